// Package law holds the law library (法律法规库): laws, regulations and
// party rules with their articles, entered by hand or imported from a
// .docx or text through the outline engine, and the pure helpers the
// library needs: article labels (第一百二十条之一) in both directions and
// the normalised text search runs on.
//
// It is a capability package: no I/O, no HTTP, no SQL. The store and the
// web pages are built on top of it.
package law

import (
	"strings"
	"time"
	"unicode/utf8"

	"pufa/internal/app"
)

// Category files a law for browsing and for the must-know lists. The set
// mixes three axes on purpose, because that is how a 普法 office files
// laws and one law has one category:
//
//   - the themes 普法 campaigns are built around, which win over the rest:
//     宪法 (宪法宣传周), 民法典 (民法典宣传月), 国家安全 (全民国家安全教育日);
//   - the seven departments of 中国特色社会主义法律体系 for the other 法律
//     the National People's Congress and its Standing Committee pass:
//     宪法相关法, 民商法, 行政法, 经济法, 社会法, 刑法, 诉讼与非诉讼程序法;
//   - the sources below or beside 法律 (立法法's levels, and the Party's
//     own rules): 行政法规, 地方性法规, 部门规章, 地方政府规章, 司法解释,
//     党内法规.
//
// Anything else is 其他.
type Category string

// The categories, in the order Categories lists them.
const (
	CategoryConstitution             Category = "constitution"              // 宪法
	CategoryConstitutionRelated      Category = "constitution_related"      // 宪法相关法
	CategoryCivilCode                Category = "civil_code"                // 民法典
	CategoryCivilCommercial          Category = "civil_commercial"          // 民商法
	CategoryAdministrative           Category = "administrative"            // 行政法
	CategoryEconomic                 Category = "economic"                  // 经济法
	CategorySocial                   Category = "social"                    // 社会法
	CategoryCriminal                 Category = "criminal"                  // 刑法
	CategoryProcedural               Category = "procedural"                // 诉讼与非诉讼程序法
	CategoryNationalSecurity         Category = "national_security"         // 国家安全
	CategoryPartyRegulation          Category = "party_regulation"          // 党内法规
	CategoryAdministrativeRegulation Category = "administrative_regulation" // 行政法规
	CategoryLocalRegulation          Category = "local_regulation"          // 地方性法规
	CategoryDepartmentalRule         Category = "departmental_rule"         // 部门规章
	CategoryLocalRule                Category = "local_rule"                // 地方政府规章
	CategoryJudicialInterpretation   Category = "judicial_interpretation"   // 司法解释
	CategoryOther                    Category = "other"                     // 其他
)

// categoryLabels holds the Chinese names, in the order of Categories.
var categoryLabels = []struct {
	c     Category
	label string
}{
	{CategoryConstitution, "宪法"},
	{CategoryConstitutionRelated, "宪法相关法"},
	{CategoryCivilCode, "民法典"},
	{CategoryCivilCommercial, "民商法"},
	{CategoryAdministrative, "行政法"},
	{CategoryEconomic, "经济法"},
	{CategorySocial, "社会法"},
	{CategoryCriminal, "刑法"},
	{CategoryProcedural, "诉讼与非诉讼程序法"},
	{CategoryNationalSecurity, "国家安全"},
	{CategoryPartyRegulation, "党内法规"},
	{CategoryAdministrativeRegulation, "行政法规"},
	{CategoryLocalRegulation, "地方性法规"},
	{CategoryDepartmentalRule, "部门规章"},
	{CategoryLocalRule, "地方政府规章"},
	{CategoryJudicialInterpretation, "司法解释"},
	{CategoryOther, "其他"},
}

// Categories lists every category in the order a form offers them.
func Categories() []Category {
	out := make([]Category, len(categoryLabels))
	for i, l := range categoryLabels {
		out[i] = l.c
	}
	return out
}

// Label is the category's Chinese name; an unknown category shows as
// written.
func (c Category) Label() string {
	for _, l := range categoryLabels {
		if l.c == c {
			return l.label
		}
	}
	return string(c)
}

// Valid reports whether c is one of the categories.
func (c Category) Valid() bool {
	for _, l := range categoryLabels {
		if l.c == c {
			return true
		}
	}
	return false
}

// ParseCategory accepts an identifier or a Chinese label, as a form or an
// import sheet writes it.
func ParseCategory(s string) (Category, error) {
	s = strings.TrimSpace(s)
	for _, l := range categoryLabels {
		if s == string(l.c) || s == l.label {
			return l.c, nil
		}
	}
	return "", app.Invalid("category", "分类“%s”无效", s)
}

// Status is whether a law is in force (时效性), as the national database
// of laws states it.
type Status string

// The statuses.
const (
	StatusInForce  Status = "in_force" // 现行有效
	StatusAmended  Status = "amended"  // 已被修改: a later version replaces this text
	StatusRepealed Status = "repealed" // 已废止
	StatusNotYet   Status = "not_yet"  // 尚未生效: promulgated, effective later
)

// Statuses lists the statuses in the order a form offers them.
func Statuses() []Status {
	return []Status{StatusInForce, StatusAmended, StatusRepealed, StatusNotYet}
}

// Label is the status's Chinese name; an unknown status shows as written.
func (s Status) Label() string {
	switch s {
	case StatusInForce:
		return "现行有效"
	case StatusAmended:
		return "已被修改"
	case StatusRepealed:
		return "已废止"
	case StatusNotYet:
		return "尚未生效"
	}
	return string(s)
}

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusInForce, StatusAmended, StatusRepealed, StatusNotYet:
		return true
	}
	return false
}

// ParseStatus accepts an identifier or a Chinese label.
func ParseStatus(s string) (Status, error) {
	s = strings.TrimSpace(s)
	for _, st := range Statuses() {
		if s == string(st) || s == st.Label() {
			return st, nil
		}
	}
	return "", app.Invalid("status", "时效状态“%s”无效，应为 现行有效/已被修改/已废止/尚未生效 之一", s)
}

// Law is one law, regulation or party rule of the library. Dates are
// calendar days (midnight UTC); a zero date is not stated.
type Law struct {
	ID app.ID
	// OrgID is the region whose office keeps it; the orgs below read it.
	OrgID     app.ID
	Title     string // 中华人民共和国民法典
	Issuer    string // 制定机关: 全国人民代表大会
	DocNumber string // 主席令第四十五号, 国发〔2021〕5号
	Category  Category
	// Promulgated is the day the law was adopted or promulgated
	// (通过/公布); Effective the day it takes effect (施行).
	Promulgated time.Time
	Effective   time.Time
	Status      Status
	// Preamble is the text before the first article that belongs to the
	// law, such as the 宪法's 序言; the note on its adoption and the 目录
	// are not part of it.
	Preamble  string
	Articles  []Article
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Article is one article (条) of a law: its paragraphs (款) and
// enumerations (项, 目) are lines of Text, not articles of their own.
type Article struct {
	ID       app.ID
	LawID    app.ID
	Position int // 1, 2, … in the law's order
	// Label is the article's number as statutes write it: 第一百二十条之一.
	// N and Sub are its parts (120 and 1), so articles sort and cite
	// without parsing Chinese numerals.
	Label  string
	N, Sub int
	// The headings the article stands under, each with its title
	// ("第一编 总则", "第一分编 通则", "第一章 基本规定", "第一节 监护", or the
	// unnumbered "附则"); empty where the law has no such level.
	Part, Subpart, Chapter, Division string
	// Text is the article's text without its label, paragraphs separated
	// by "\n".
	Text string
}

// Limits of a law, so one record stays a size a page can show and a form
// can post.
const (
	MaxTitle       = 200   // runes
	MaxArticles    = 5000  // 民法典, the longest, has 1260
	MaxArticleText = 20000 // runes; the longest articles have about 1000
	MaxPreamble    = 50000 // runes
	maxShort       = 200   // runes of an issuer, 文号 or heading
)

// Validate checks a law and normalises what a form leaves loose: it trims
// the fields, writes each article's label the way statutes do (第120条 →
// 第一百二十条) with N and Sub to match, and numbers the articles'
// positions in order. The first problem is returned as an *app.Error with
// code EINVALID naming the field, its message in Chinese.
func (l *Law) Validate() error {
	l.Title = strings.TrimSpace(l.Title)
	l.Issuer = strings.TrimSpace(l.Issuer)
	l.DocNumber = strings.TrimSpace(l.DocNumber)
	l.Preamble = strings.TrimSpace(l.Preamble)
	switch n := utf8.RuneCountInString(l.Title); {
	case n == 0:
		return app.Invalid("title", "请填写法律法规的标题")
	case n > MaxTitle:
		return app.Invalid("title", "标题不能超过 %d 个字", MaxTitle)
	}
	if utf8.RuneCountInString(l.Issuer) > maxShort {
		return app.Invalid("issuer", "制定机关不能超过 %d 个字", maxShort)
	}
	if utf8.RuneCountInString(l.DocNumber) > maxShort {
		return app.Invalid("doc_number", "文号不能超过 %d 个字", maxShort)
	}
	if l.Category == "" {
		return app.Invalid("category", "请选择分类")
	} else if !l.Category.Valid() {
		return app.Invalid("category", "分类“%s”无效", l.Category)
	}
	if l.Status == "" {
		return app.Invalid("status", "请选择时效状态")
	} else if !l.Status.Valid() {
		return app.Invalid("status", "时效状态“%s”无效", l.Status)
	}
	if !l.Promulgated.IsZero() && !l.Effective.IsZero() && l.Effective.Before(l.Promulgated) {
		return app.Invalid("effective", "施行日期不能早于公布日期")
	}
	if utf8.RuneCountInString(l.Preamble) > MaxPreamble {
		return app.Invalid("preamble", "序言不能超过 %d 个字", MaxPreamble)
	}
	if len(l.Articles) > MaxArticles {
		return app.Invalid("articles", "条文不能超过 %d 条，现有 %d 条", MaxArticles, len(l.Articles))
	}
	seen := make(map[string]int, len(l.Articles))
	for i := range l.Articles {
		a := &l.Articles[i]
		a.Position = i + 1
		a.Label = strings.TrimSpace(a.Label)
		a.Text = strings.TrimSpace(a.Text)
		if a.Label == "" {
			return app.Invalid("articles", "第 %d 个条文缺少编号", i+1)
		}
		n, sub, ok := ParseLabel(a.Label)
		if !ok {
			return app.Invalid("articles", "条文编号“%s”无效，应写作“第一条”或“第一百二十条之一”", a.Label)
		}
		a.N, a.Sub, a.Label = n, sub, CiteLabel(n, sub)
		if j, dup := seen[a.Label]; dup {
			return app.Invalid("articles", "条文编号“%s”重复（第 %d 个和第 %d 个条文）", a.Label, j, i+1)
		}
		seen[a.Label] = i + 1
		switch t := utf8.RuneCountInString(a.Text); {
		case t == 0:
			return app.Invalid("articles", "%s的内容不能为空", a.Label)
		case t > MaxArticleText:
			return app.Invalid("articles", "%s的内容不能超过 %d 个字", a.Label, MaxArticleText)
		}
		for _, h := range []*string{&a.Part, &a.Subpart, &a.Chapter, &a.Division} {
			*h = strings.TrimSpace(*h)
			if utf8.RuneCountInString(*h) > maxShort {
				return app.Invalid("articles", "%s所属的标题“%s”不能超过 %d 个字", a.Label, *h, maxShort)
			}
		}
	}
	return nil
}
