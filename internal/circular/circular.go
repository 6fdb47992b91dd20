// Package circular writes the circular (通报) an office issues after a
// year-end duty review is published: a government notice in the layout of
// GB/T 9704-2012 (党政机关公文格式), downloaded as a .docx that Word, WPS
// and LibreOffice open. The WordprocessingML is written by hand with
// archive/zip, so the package has no I/O of its own and no dependencies
// beyond the standard library and golang.org/x/text.
package circular

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"pufa/internal/app"
)

// Row is one reviewed subject in the results table.
type Row struct {
	Rank  int // place in a ranked circular; 0 = not ranked (the cell stays empty)
	Name  string
	Grade string // 等次, e.g. 优秀; may be empty
	Total float64
}

// Circular is the content of one circular. Text fields are plain text: the
// writer escapes them and drops characters XML 1.0 cannot carry.
type Circular struct {
	Issuer     string   // 发文机关, signed at the end
	Mark       string   // 发文机关标志, red at the top; empty = Issuer
	DocNumber  string   // 文号, e.g. 临普法办〔2024〕3号
	Title      string   // 标题
	Addressees string   // 主送机关, e.g. 各街道办事处、镇人民政府，区级各部门：
	Body       []string // paragraphs before the table; blank ones are skipped
	TableTitle string   // shown centred above the table
	Ranked     bool     // first column is 名次 (Row.Rank) instead of 序号
	Rows       []Row
	After      []string  // paragraphs after the table; blank ones are skipped
	Date       time.Time // 成文日期, shown in Asia/Shanghai
}

// Limits on what Validate accepts, in characters (runes) unless noted. They
// keep a circular a document a person could print, and its .docx small.
const (
	MaxTitle      = 200
	MaxIssuer     = 100
	MaxMark       = 50
	MaxDocNumber  = 50
	MaxAddressees = 500
	MaxParagraph  = 5000
	MaxParagraphs = 300 // Body and After together
	MaxTableTitle = 100
	MaxRows       = 2000
	MaxName       = 100
	MaxGrade      = 20
	maxTotal      = 1e6
)

// Validate reports the first problem with c as an app.EINVALID error with a
// Chinese message. It judges the text as it will be written, after
// clean, so a title of control characters counts as empty.
func (c *Circular) Validate() error {
	if c == nil {
		return app.Invalid("", "通报内容为空")
	}
	if err := checkText("title", "通报标题", c.Title, MaxTitle, true); err != nil {
		return err
	}
	if err := checkText("issuer", "发文机关", c.Issuer, MaxIssuer, true); err != nil {
		return err
	}
	if err := checkText("mark", "发文机关标志", c.Mark, MaxMark, false); err != nil {
		return err
	}
	if err := checkText("doc_number", "文号", c.DocNumber, MaxDocNumber, false); err != nil {
		return err
	}
	if err := checkText("addressees", "主送机关", c.Addressees, MaxAddressees, false); err != nil {
		return err
	}
	if n := len(c.Body) + len(c.After); n > MaxParagraphs {
		return app.Invalid("body", "正文不能超过%d段，现有%d段", MaxParagraphs, n)
	}
	for i, p := range c.Body {
		if n := utf8.RuneCountInString(clean(p)); n > MaxParagraph {
			return app.Invalid("body", "表前正文第%d段不能超过%d个字，现有%d个字", i+1, MaxParagraph, n)
		}
	}
	for i, p := range c.After {
		if n := utf8.RuneCountInString(clean(p)); n > MaxParagraph {
			return app.Invalid("after", "表后正文第%d段不能超过%d个字，现有%d个字", i+1, MaxParagraph, n)
		}
	}
	if err := checkText("table_title", "表格标题", c.TableTitle, MaxTableTitle, false); err != nil {
		return err
	}
	if len(c.Rows) > MaxRows {
		return app.Invalid("rows", "结果表不能超过%d行，现有%d行", MaxRows, len(c.Rows))
	}
	for i, r := range c.Rows {
		name := clean(r.Name)
		switch {
		case name == "":
			return app.Invalid("rows", "结果表第%d行的单位名称为空", i+1)
		case utf8.RuneCountInString(name) > MaxName:
			return app.Invalid("rows", "结果表第%d行的单位名称不能超过%d个字", i+1, MaxName)
		case utf8.RuneCountInString(clean(r.Grade)) > MaxGrade:
			return app.Invalid("rows", "结果表第%d行的等次不能超过%d个字", i+1, MaxGrade)
		case math.IsNaN(r.Total) || math.Abs(r.Total) > maxTotal:
			return app.Invalid("rows", "结果表第%d行的得分无效", i+1)
		case r.Rank < 0 || r.Rank > MaxRows:
			return app.Invalid("rows", "结果表第%d行的名次无效", i+1)
		}
	}
	if c.Date.IsZero() {
		return app.Invalid("date", "请填写成文日期")
	}
	if y := c.Date.In(app.Shanghai).Year(); y < 1949 || y > 9999 {
		return app.Invalid("date", "成文日期无效")
	}
	return nil
}

func checkText(field, label, s string, max int, required bool) error {
	s = clean(s)
	if required && s == "" {
		return app.Invalid(field, "请填写%s", label)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return app.Invalid(field, "%s不能超过%d个字，现有%d个字", label, max, n)
	}
	return nil
}

// DateText writes t as a 成文日期 in Asia/Shanghai, with Arabic numerals and
// no leading zeros as GB/T 9704-2012 7.3.5 asks: 2024年1月15日. The zero
// time gives "".
func DateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(app.Shanghai)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// PlainText returns the circular's text in reading order, one paragraph a
// line, table rows with their cells separated by tabs: the mark, 文号,
// title, addressees, body, table title and table, the paragraphs after it,
// the issuer and the date. It is exactly the text of the .docx body, so it
// serves search, tests and a print fallback.
func PlainText(c *Circular) string {
	return strings.Join(lines(c), "\n")
}

// lines is PlainText before joining; the .docx writer and PlainText share
// the decisions made here (cleaning, which paragraphs exist, cell text).
func lines(c *Circular) []string {
	var out []string
	add := func(s string) {
		if s = clean(s); s != "" {
			out = append(out, s)
		}
	}
	add(c.mark())
	add(c.DocNumber)
	add(c.Title)
	add(c.Addressees)
	for _, p := range c.Body {
		add(p)
	}
	if len(c.Rows) > 0 {
		add(c.TableTitle)
		for _, cells := range c.table() {
			out = append(out, strings.Join(cells, "\t"))
		}
	}
	for _, p := range c.After {
		add(p)
	}
	add(c.Issuer)
	add(DateText(c.Date))
	return out
}

func (c *Circular) mark() string {
	if m := clean(c.Mark); m != "" {
		return m
	}
	return c.Issuer
}

// table returns the results table as cleaned cell text, header row first.
func (c *Circular) table() [][]string {
	first := "序号"
	if c.Ranked {
		first = "名次"
	}
	t := [][]string{{first, "单位名称", "得分", "等次"}}
	dec := decimals(c.Rows)
	for i, r := range c.Rows {
		n := strconv.Itoa(i + 1)
		if c.Ranked {
			n = ""
			if r.Rank > 0 {
				n = strconv.Itoa(r.Rank)
			}
		}
		t = append(t, []string{n, clean(r.Name), score(r.Total, dec), clean(r.Grade)})
	}
	return t
}

// decimals is how many decimals (at most 2) the scores need, so the whole
// column is written alike: 95.5 and 90 become 95.5 and 90.0.
func decimals(rows []Row) int {
	d := 0
	for _, r := range rows {
		for d < 2 {
			x := r.Total * math.Pow10(d)
			if math.Abs(x-math.Round(x)) < 1e-6 {
				break
			}
			d++
		}
	}
	return d
}

func score(x float64, dec int) string {
	s := strconv.FormatFloat(x, 'f', dec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // no "-0.0"
	}
	return s
}

// clean makes s safe for an XML 1.0 text node and a one-line paragraph: it
// drops control characters (C0 other than tab and line breaks, DEL, C1) and
// the non-characters U+FFFE and U+FFFF, turns tabs and line breaks into
// spaces, and trims. Invalid UTF-8 becomes U+FFFD.
func clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
		case r >= 0xd800 && r <= 0xdfff, r == 0xfffe, r == 0xffff:
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}
