// Package question holds the question bank's types and the pure engine
// that reads question banks as Chinese offices actually publish them:
// sections such as "一、单项选择题（共40题，每题1分）", numbering that restarts
// per section, options on one line or several, answers in the stem's
// brackets or after the options, an analysis after "解析：", and the chrome
// that document-sharing sites leave in copied text.
//
// ParseText reads text; FromTables reads the rows of spreadsheets. Both are
// pure: no files, no database, no network. Decoding .txt, .docx and .xlsx
// files into text or rows is the job of the qfile sub-package, which keeps
// the spreadsheet library (and what it pulls in) out of this package.
//
// The parser never invents an answer key: a question whose source gives no
// answer has none, and the Bank says so in a warning.
package question

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"pufa/internal/app"
)

// Type is the kind of a question.
type Type string

// The question types.
const (
	Single    Type = "single"    // 单选题
	Multiple  Type = "multiple"  // 多选题
	TrueFalse Type = "truefalse" // 判断题
	Fill      Type = "fill"      // 填空题, one answer per blank
	Essay     Type = "essay"     // 简答题, marked by hand
)

// Types lists every type in the order forms offer them.
var Types = []Type{Single, Multiple, TrueFalse, Fill, Essay}

// Label is the type's Chinese name.
func (t Type) Label() string {
	switch t {
	case Single:
		return "单选题"
	case Multiple:
		return "多选题"
	case TrueFalse:
		return "判断题"
	case Fill:
		return "填空题"
	case Essay:
		return "简答题"
	}
	return string(t)
}

// HasOptions reports whether questions of type t carry options.
func (t Type) HasOptions() bool { return t == Single || t == Multiple }

// Valid reports whether t is one of Types.
func (t Type) Valid() bool { return slices.Contains(Types, t) }

// ParseType accepts the identifier, the label, or the names banks use in
// headings and type columns ("单项选择题", "多选", "是非题", "问答题"…).
func ParseType(s string) (Type, error) {
	k := strings.TrimSpace(s)
	for _, t := range Types {
		if strings.EqualFold(k, string(t)) {
			return t, nil
		}
	}
	if t, _ := typeFromWords(k); t != "" {
		return t, nil
	}
	return "", app.Invalid("type", "题型“%s”无效，应为单选题、多选题、判断题、填空题或简答题", s)
}

// typeFromWords finds the type named in a heading or a type cell. generic
// reports a plain "选择题", which may hold single and multiple choice.
func typeFromWords(s string) (t Type, generic bool) {
	switch {
	case s == "":
		return "", false
	case containsAny(s, "多项选择", "多选", "不定项"):
		return Multiple, false
	case containsAny(s, "单项选择", "单选"):
		return Single, false
	case strings.Contains(s, "选择"):
		return Single, true
	case containsAny(s, "判断", "是非", "正误", "对错"):
		return TrueFalse, false
	case strings.Contains(s, "填空"):
		return Fill, false
	case containsAny(s, "简答", "问答", "论述", "案例", "分析", "名词解释", "材料", "辨析", "综合", "主观"):
		return Essay, false
	}
	return "", false
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// Option is one choice of a single- or multiple-choice question.
type Option struct {
	// Label is the option's letter, "A" to "H".
	Label string `json:"label"`
	Text  string `json:"text"`
}

// True and False are the answers of a true/false question.
const (
	True  = "true"
	False = "false"
)

// Question is one question of a bank, as read from a file or entered.
type Question struct {
	// Section indexes the Bank's Sections.
	Section int `json:"section"`
	// N is the question's number as printed; it restarts per section.
	N    int  `json:"n"`
	Type Type `json:"type"`
	// Stem is the question text. A blank the answer was taken out of
	// stays as an empty bracket "（ ）".
	Stem string `json:"stem"`
	// Options are the choices, for single and multiple choice only.
	Options []Option `json:"options"`
	// Answer is empty when the source gives none. It holds option labels
	// for choice questions, True or False for true/false, one entry per
	// blank for fill-in, and the reference answer for an essay.
	Answer   []string `json:"answer"`
	Analysis string   `json:"analysis"`
	// Incomplete marks a question cut off by the end of the text.
	Incomplete bool `json:"incomplete,omitempty"`
}

// MarshalJSON writes nil Options and Answer as [], as the import contract
// promises.
func (q Question) MarshalJSON() ([]byte, error) {
	type plain Question
	p := plain(q)
	if p.Options == nil {
		p.Options = []Option{}
	}
	if p.Answer == nil {
		p.Answer = []string{}
	}
	return json.Marshal(p)
}

// Answered reports whether q has an answer key, so it can be marked
// automatically (an essay's reference answer counts).
func (q *Question) Answered() bool { return len(q.Answer) > 0 }

// Validate checks q before it is saved. A question without an answer is
// valid, since a bank may be imported before its key arrives; paper rules
// must then skip it (see Answered). The error is an *app.Error whose
// Chinese message names the problem.
func (q *Question) Validate() error {
	if !q.Type.Valid() {
		return app.Invalid("type", "题型“%s”无效，应为单选题、多选题、判断题、填空题或简答题", q.Type)
	}
	if q.Incomplete {
		return app.Invalid("stem", "题目不完整（原文在此处截断），请补全后再保存")
	}
	stem := strings.TrimSpace(q.Stem)
	if stem == "" {
		return app.Invalid("stem", "题干不能为空")
	}
	if n := utf8.RuneCountInString(stem); n > MaxStemRunes {
		return app.Invalid("stem", "题干有 %d 个字，超过 %d 字上限", n, MaxStemRunes)
	}
	if !q.Type.HasOptions() && len(q.Options) > 0 {
		return app.Invalid("options", "%s不应有选项", q.Type.Label())
	}
	labels := map[string]bool{}
	if q.Type.HasOptions() {
		if len(q.Options) < 2 {
			return app.Invalid("options", "选择题至少需要两个选项")
		}
		if len(q.Options) > len(optionLetters) {
			return app.Invalid("options", "选项不能超过 %d 个", len(optionLetters))
		}
		for i, o := range q.Options {
			if want := optionLetters[i : i+1]; o.Label != want {
				return app.Invalid("options", "第 %d 个选项的标号应为 %s，而不是“%s”", i+1, want, o.Label)
			}
			if strings.TrimSpace(o.Text) == "" {
				return app.Invalid("options", "选项 %s 的内容不能为空", o.Label)
			}
			labels[o.Label] = true
		}
	}
	if len(q.Answer) == 0 {
		return nil
	}
	switch q.Type {
	case Single, Multiple:
		seen := map[string]bool{}
		for _, a := range q.Answer {
			if !labels[a] {
				return app.Invalid("answer", "答案 %s 不在选项中", a)
			}
			if seen[a] {
				return app.Invalid("answer", "答案 %s 重复", a)
			}
			seen[a] = true
		}
		if q.Type == Single && len(q.Answer) != 1 {
			return app.Invalid("answer", "单选题只能有一个答案，现有 %s", strings.Join(q.Answer, ""))
		}
	case TrueFalse:
		if len(q.Answer) != 1 || (q.Answer[0] != True && q.Answer[0] != False) {
			return app.Invalid("answer", "判断题的答案应为“正确”或“错误”")
		}
	case Fill:
		for i, a := range q.Answer {
			if strings.TrimSpace(a) == "" {
				return app.Invalid("answer", "第 %d 个空的答案不能为空", i+1)
			}
		}
		if b := CountBlanks(q.Stem); b > 0 && b != len(q.Answer) {
			return app.Invalid("answer", "题干有 %d 个空，答案却有 %d 个", b, len(q.Answer))
		}
	case Essay:
		if len(q.Answer) != 1 {
			return app.Invalid("answer", "简答题的参考答案应为一段文字")
		}
	}
	return nil
}

// MaxStemRunes bounds a stem; a case-analysis question with its material
// runs to a few thousand characters.
const MaxStemRunes = 10000

// optionLetters are the labels options may carry, in order.
const optionLetters = "ABCDEFGH"

// Key identifies a question's content for duplicate detection: two
// questions have the same key when their stems and option texts agree
// after folding full- and half-width forms, dropping white space and
// punctuation, treating every blank ("（ ）", "____") alike and ignoring the
// order of the options. Type, answer and analysis are not part of it, so a
// re-import with a corrected key is still a duplicate. The key is a hex
// SHA-256, fit for an indexed column.
func (q *Question) Key() string {
	var b strings.Builder
	b.WriteString(normalizeForKey(q.Stem))
	texts := make([]string, len(q.Options))
	for i, o := range q.Options {
		texts[i] = normalizeForKey(o.Text)
	}
	slices.Sort(texts)
	for _, t := range texts {
		b.WriteByte(0x1f)
		b.WriteString(t)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// normalizeForKey is the form stems and options are compared in.
func normalizeForKey(s string) string {
	s = norm.NFKC.String(s) // full-width to half-width, ① to 1, U+3000 to space
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		// A blank, "( )" or "__", reads the same however it is written.
		if r == '(' || r == '_' {
			j := i + 1
			for j < len(s) && s[j] == ' ' && r == '(' {
				j++
			}
			if r == '(' && j < len(s) && s[j] == ')' {
				b.WriteString("□")
				i = j + 1
				continue
			}
			if r == '_' && j < len(s) && s[j] == '_' {
				for j < len(s) && s[j] == '_' {
					j++
				}
				b.WriteString("□")
				i = j
				continue
			}
		}
		i += w
		switch {
		case unicode.IsSpace(r), unicode.IsPunct(r), unicode.IsSymbol(r):
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Section is one part of a bank, from a heading such as
// "一、单项选择题（共40题，每题1分）".
type Section struct {
	// Title is the heading without its number and its parenthesis:
	// "单项选择题". It is empty for a file without headings.
	Title string `json:"title"`
	// DeclaredCount is the question count the heading states, 0 if none.
	DeclaredCount int `json:"declared_count"`
	// DeclaredPoints is the section's total points as the heading states
	// them (每题1分 × 40 题 is 40), 0 if none.
	DeclaredPoints float64 `json:"declared_points"`
	// Type is the question type the heading names, "" if it names none or
	// only "选择题".
	Type Type `json:"-"`
	// PointsEach is the points per question the heading states, 0 if none.
	PointsEach float64 `json:"-"`
}

// Warning is something an importer should see before saving: an answer
// that contradicts its analysis, a missing answer, a gap in the numbering.
type Warning struct {
	// Section and N locate the question; N is 0 for a warning about a
	// whole section or, with Section 0, about the whole file.
	Section int    `json:"section"`
	N       int    `json:"n"`
	Message string `json:"message"`
}

// Bank is what one question-bank file holds.
type Bank struct {
	Sections  []Section  `json:"sections"`
	Questions []Question `json:"questions"`
	Warnings  []Warning  `json:"warnings"`
}

// MarshalJSON writes nil slices as [], as the import contract promises.
func (b Bank) MarshalJSON() ([]byte, error) {
	type plain Bank
	p := plain(b)
	if p.Sections == nil {
		p.Sections = []Section{}
	}
	if p.Questions == nil {
		p.Questions = []Question{}
	}
	if p.Warnings == nil {
		p.Warnings = []Warning{}
	}
	return json.Marshal(p)
}

// where names a question in a warning message: "第3题" in a file without
// headings, "“单项选择题”第3题" otherwise.
func (b *Bank) where(section, n int) string {
	if section >= 0 && section < len(b.Sections) && b.Sections[section].Title != "" {
		return fmt.Sprintf("“%s”第%d题", b.Sections[section].Title, n)
	}
	return fmt.Sprintf("第%d题", n)
}
