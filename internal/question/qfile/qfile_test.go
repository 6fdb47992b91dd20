package qfile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"html"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"pufa/internal/app"
	"pufa/internal/question"
	"pufa/internal/upload"
	"pufa/internal/xlsx"
)

// bankText is a small bank in the published form.
const bankText = `2023年学法用法考试题库
一、单项选择题（共2题，每题1分）
1．我国的根本大法是（ A ）。
A．宪法 B．刑法 C．民法典 D．行政诉讼法
2、国家宪法日是每年的（　　）。
A、12月4日 B、3月15日 C、4月15日 D、5月1日
答案：A
解析：2014年全国人大常委会决定将12月4日设立为国家宪法日，故选A。
二、判断题（共2题，每题1分）
1．宪法是国家的根本法。（√）
2．全民国家安全教育日是每年的5月1日。（×）
`

// wantBank is what bankText holds.
func wantBank() *question.Bank {
	o := func(texts ...string) []question.Option {
		out := make([]question.Option, len(texts))
		for i, t := range texts {
			out[i] = question.Option{Label: string(rune('A' + i)), Text: t}
		}
		return out
	}
	return &question.Bank{
		Sections: []question.Section{
			{Title: "单项选择题", DeclaredCount: 2, DeclaredPoints: 2, Type: question.Single, PointsEach: 1},
			{Title: "判断题", DeclaredCount: 2, DeclaredPoints: 2, Type: question.TrueFalse, PointsEach: 1},
		},
		Questions: []question.Question{
			{Section: 0, N: 1, Type: question.Single, Stem: "我国的根本大法是（ ）。", Options: o("宪法", "刑法", "民法典", "行政诉讼法"), Answer: []string{"A"}},
			{Section: 0, N: 2, Type: question.Single, Stem: "国家宪法日是每年的（ ）。", Options: o("12月4日", "3月15日", "4月15日", "5月1日"), Answer: []string{"A"},
				Analysis: "2014年全国人大常委会决定将12月4日设立为国家宪法日，故选A。"},
			{Section: 1, N: 1, Type: question.TrueFalse, Stem: "宪法是国家的根本法。（ ）", Options: []question.Option{}, Answer: []string{"true"}},
			{Section: 1, N: 2, Type: question.TrueFalse, Stem: "全民国家安全教育日是每年的5月1日。（ ）", Options: []question.Option{}, Answer: []string{"false"}},
		},
		Warnings: []question.Warning{},
	}
}

func mustRead(t *testing.T, data []byte) *question.Bank {
	t.Helper()
	b, err := Read(data)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return b
}

func TestRead_text(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(bankText)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(bankText)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"UTF-8", []byte(bankText)},
		{"UTF-8 with BOM", append([]byte("\xEF\xBB\xBF"), bankText...)},
		{"GB18030", []byte(gb)},
		{"UTF-16 with BOM", []byte(utf16)},
		{"Windows line ends", []byte(strings.ReplaceAll(bankText, "\n", "\r\n"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(wantBank(), mustRead(t, tc.data)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	t.Run("GB18030 is not mistaken for UTF-8", func(t *testing.T) {
		if bytes.Equal([]byte(gb), []byte(bankText)) || !strings.Contains(gb, "\xb8\xf9") { // 根
			t.Fatal("fixture is not GB18030")
		}
	})

	t.Run("UTF-8 cut inside a character", func(t *testing.T) {
		data := []byte(bankText + "3．法律面前人人平等")
		data = data[:len(data)-1]
		b := mustRead(t, data)
		last := b.Questions[len(b.Questions)-1]
		if !strings.HasPrefix(last.Stem, "法律面前人人") || !last.Incomplete {
			t.Errorf("last question %+v", last)
		}
		if b.Sections[0].Title != "单项选择题" {
			t.Errorf("decoded as something else: %+v", b.Sections)
		}
	})
}

// docxPart is a zip entry of a test .docx.
type docxPart struct{ name, body string }

// buildDocx writes a .docx whose body holds paras (each already
// WordprocessingML paragraph XML) and, if given, numbering.xml.
func buildDocx(t testing.TB, numbering string, paras ...string) []byte {
	t.Helper()
	parts := []docxPart{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
<w:body>` + strings.Join(paras, "\n") + `<w:sectPr/></w:body></w:document>`},
	}
	if numbering != "" {
		parts = append(parts, docxPart{"word/numbering.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` + numbering + `</w:numbering>`})
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// para is a paragraph of one run per piece of text, as Word splits them.
func para(pieces ...string) string {
	var b strings.Builder
	b.WriteString("<w:p><w:pPr><w:jc w:val=\"left\"/></w:pPr>")
	for _, p := range pieces {
		fmt.Fprintf(&b, `<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>`, html.EscapeString(p))
	}
	b.WriteString("</w:p>")
	return b.String()
}

// numbered is a paragraph in Word list numId at level ilvl.
func numbered(numID, ilvl int, text string) string {
	return fmt.Sprintf(`<w:p><w:pPr><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>`, ilvl, numID, html.EscapeString(text))
}

func TestRead_docx(t *testing.T) {
	var paras []string
	for _, line := range strings.Split(strings.TrimSpace(bankText), "\n") {
		// Word splits runs at arbitrary places: mid-word, around brackets.
		r := []rune(line)
		mid := len(r) / 2
		paras = append(paras, para(string(r[:mid]), string(r[mid:])))
	}
	// What Word keeps but does not show must not reach the text.
	paras = append(paras[:3], append([]string{
		`<w:p><w:del w:id="1" w:author="张三"><w:r><w:delText>1．删除的题目是（ B ）。</w:delText></w:r></w:del></w:p>`,
		`<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`,
	}, paras[3:]...)...)
	data := buildDocx(t, "", paras...)
	if diff := cmp.Diff(wantBank(), mustRead(t, data)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	t.Run("tabs and line breaks", func(t *testing.T) {
		data := buildDocx(t, "",
			para("1. 我国的根本大法是（ A ）。"),
			`<w:p><w:r><w:t>A.宪法</w:t></w:r><w:r><w:tab/><w:t>B.刑法</w:t></w:r><w:r><w:br/><w:t>C.民法典</w:t><w:tab/><w:t>D.行政诉讼法</w:t></w:r></w:p>`)
		b := mustRead(t, data)
		if len(b.Questions) != 1 || len(b.Questions[0].Options) != 4 || b.Questions[0].Options[1].Text != "刑法" {
			t.Errorf("questions %+v", b.Questions)
		}
	})

	t.Run("automatic numbering", func(t *testing.T) {
		// Questions numbered "%1." by Word, options "%2." as upper letters,
		// and sections "%1、" in Chinese numerals in a list of their own.
		numbering := `<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%2."/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>`
		data := buildDocx(t, numbering,
			numbered(1, 0, "单项选择题（共2题）"),
			numbered(2, 0, "我国的根本大法是（ A ）。"),
			numbered(2, 1, "宪法"), numbered(2, 1, "刑法"),
			numbered(2, 0, "国家宪法日是每年的（ A ）。"),
			numbered(2, 1, "12月4日"), numbered(2, 1, "3月15日"),
			numbered(1, 0, "判断题"),
			numbered(3, 0, "宪法是国家的根本法。（√）"),
		)
		b := mustRead(t, data)
		var got []string
		for _, s := range b.Sections {
			got = append(got, s.Title)
		}
		for _, q := range b.Questions {
			var labels []string
			for _, o := range q.Options {
				labels = append(labels, o.Label+o.Text)
			}
			got = append(got, fmt.Sprintf("%d/%d %s %s %s", q.Section, q.N, q.Stem, strings.Join(labels, " "), strings.Join(q.Answer, "")))
		}
		want := []string{"单项选择题", "判断题",
			"0/1 我国的根本大法是（ ）。 A宪法 B刑法 A", "0/2 国家宪法日是每年的（ ）。 A12月4日 B3月15日 A", "1/1 宪法是国家的根本法。（ ）  true"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})

	t.Run("a bank without answers", func(t *testing.T) {
		data := buildDocx(t, "", para("一、单项选择题"), para("1. 我国的根本大法是（ ）。"), para("A.宪法 B.刑法"),
			para("2. 国家宪法日是（ ）。"), para("A.12月4日 B.5月1日"))
		b := mustRead(t, data)
		if len(b.Questions) != 2 || len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0].Message, "没有找到答案") {
			t.Errorf("questions %+v warnings %+v", b.Questions, b.Warnings)
		}
		for _, q := range b.Questions {
			if len(q.Answer) != 0 {
				t.Errorf("invented answer %q", q.Answer)
			}
		}
	})
}

func TestRead_xlsx(t *testing.T) {
	t.Run("template", func(t *testing.T) {
		data := workbook(t, sheet{"题库", question.TemplateColumns(), [][]any{
			{"单选题", "我国的根本大法是（ ）。", "宪法", "刑法", "民法典", "行政诉讼法", "", "", "A", ""},
			{"单选", "国家宪法日是每年的（ ）。", "12月4日", "3月15日", "4月15日", "5月1日", "", "", "A", "2014年全国人大常委会决定将12月4日设立为国家宪法日，故选A。"},
			{"判断", "宪法是国家的根本法。（ ）", "", "", "", "", "", "", "正确", ""},
			{"判断题", "全民国家安全教育日是每年的5月1日。（ ）", "", "", "", "", "", "", "×", ""},
		}})
		b := mustRead(t, data)
		want := wantBank()
		want.Sections = []question.Section{{}}
		for i := range want.Questions {
			want.Questions[i].Section = 0
		}
		want.Questions[2].N, want.Questions[3].N = 3, 4
		if diff := cmp.Diff(want, b); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})

	t.Run("common layout", func(t *testing.T) {
		// A title row, "题干", "A"…"D", "正确答案", "答案解析", a 序号, no type.
		data := workbook(t, sheet{"Sheet1", []string{"2023年学法考试题库"}, [][]any{
			{"序号", "题干", "A", "B", "C", "D", "正确答案", "答案解析"},
			{1, "我国的根本大法是（ ）。", "宪法", "刑法", "民法典", "行政诉讼法", "A", ""},
			{2, "下列属于法律的有（ ）。", "宪法", "刑法", "某公司章程", "", "AB", "章程不是法律，故选AB。"},
			{3, "宪法是国家的根本法。", "", "", "", "", "对", ""},
			{4, "我国的根本大法是____，国家宪法日是____。", "", "", "", "", "宪法；12月4日", ""},
			{5, "下列说法正确的是（ ）", "甲", "乙", "", "", "B", "本题选A。"},
			{6, "下列属于国家机关的有（ ）。", "国务院", "某公司", "", "", "AE", ""},
		}})
		b := mustRead(t, data)
		var got []string
		for _, q := range b.Questions {
			got = append(got, fmt.Sprintf("%d %s %d %s", q.N, q.Type, len(q.Options), strings.Join(q.Answer, ",")))
		}
		want := []string{"1 single 4 A", "2 multiple 3 A,B", "3 truefalse 0 true", "4 fill 0 宪法,12月4日", "5 single 2 B", "6 multiple 2 A,E"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		wantWarnings := []question.Warning{
			{Section: 0, N: 5, Message: "第7行：答案是 B，但解析中说“本题选A”"},
			{Section: 0, N: 6, Message: "第8行：答案 E 不在选项中（选项为 A–B）"},
		}
		if diff := cmp.Diff(wantWarnings, b.Warnings); diff != "" {
			t.Errorf("warnings (-want +got):\n%s", diff)
		}
	})

	t.Run("options in one cell, sheets per type", func(t *testing.T) {
		data := workbook(t,
			sheet{"说明", []string{"填写说明：每个工作表一种题型"}, [][]any{{"答案写字母"}}},
			sheet{"单选题", []string{"题目", "选项", "答案"}, [][]any{
				{"我国的根本大法是（ ）。", "A.宪法\nB.刑法\nC.民法典", "A"},
				{"国家宪法日是每年的（ ）。", "12月4日|3月15日", "A"},
			}},
			sheet{"判断题", []string{"题目", "答案"}, [][]any{
				{"宪法是国家的根本法。", "√"},
				{"", "×"},
			}},
		)
		b := mustRead(t, data)
		if diff := cmp.Diff([]string{"单选题", "判断题"}, []string{b.Sections[0].Title, b.Sections[1].Title}); diff != "" || len(b.Sections) != 2 {
			t.Errorf("sections %+v", b.Sections)
		}
		var got []string
		for _, q := range b.Questions {
			var o []string
			for _, x := range q.Options {
				o = append(o, x.Label+x.Text)
			}
			got = append(got, fmt.Sprintf("%d/%d %s %s %s", q.Section, q.N, q.Type, strings.Join(o, " "), strings.Join(q.Answer, "")))
		}
		want := []string{"0/1 single A宪法 B刑法 C民法典 A", "0/2 single A12月4日 B3月15日 A", "1/1 truefalse  true"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if len(b.Warnings) != 1 || b.Warnings[0].Message != "“判断题”表第3行没有题目，已跳过" {
			t.Errorf("warnings %+v", b.Warnings)
		}
	})

	t.Run("no question column", func(t *testing.T) {
		data := workbook(t, sheet{"Sheet1", []string{"姓名", "单位"}, [][]any{{"张三", "司法局"}}})
		_, err := Read(data)
		if err == nil || !strings.Contains(app.ErrorMessage(err), "没有“题目”列") {
			t.Fatalf("err = %v", err)
		}
	})
}

// sheet is a worksheet of a test workbook.
type sheet struct {
	name   string
	header []string
	rows   [][]any
}

// workbook writes sheets with pufa's own xlsx.Writer.
func workbook(t testing.TB, sheets ...sheet) []byte {
	t.Helper()
	w, err := xlsx.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, s := range sheets {
		if err := w.AddSheet(s.name, s.header); err != nil {
			t.Fatal(err)
		}
		for _, r := range s.rows {
			if err := w.WriteRow(r...); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := w.Finish(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRead_refuses(t *testing.T) {
	zipOf := func(entries ...docxPart) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, e := range entries {
			w, _ := zw.Create(e.name)
			io.WriteString(w, e.body)
		}
		zw.Close()
		return buf.Bytes()
	}
	docx := buildDocx(t, "", para("1. 宪法是根本法。（√）"))
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "文件是空的"},
		{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"), "不是文本、.docx 或 .xlsx 文件"},
		{"random bytes", bytes.Repeat([]byte{0x01, 0x9c, 0xfe, 0x00}, 100), "不是文本、.docx 或 .xlsx 文件"},
		{"legacy .doc", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 512)...), "旧版 .doc/.xls"},
		{"zip that is neither", zipOf(docxPart{"readme.txt", "hello"}), "不是 .docx 或 .xlsx"},
		{"truncated zip", docx[:len(docx)/2], "不是有效的 .docx/.xlsx"},
		{"zip bomb", zipOf(docxPart{"[Content_Types].xml", "<Types/>"}, docxPart{"word/document.xml", strings.Repeat("\x00", 4<<20)}), "压缩炸弹"},
		{"path traversal", zipOf(docxPart{"word/document.xml", "<w:document/>"}, docxPart{"../../etc/passwd", "x"}), "不安全的路径"},
		{"too large", make([]byte, 20<<20+1), "超过 20 MB"},
		{"broken document XML", zipOf(docxPart{"word/document.xml", "<w:document><w:body><w:p>"}), "已损坏"},
		{"undecodable text", []byte("\x81\x30\x81"), "编码"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Read(tc.data)
			if err == nil {
				t.Fatalf("read %+v", b)
			}
			var ae *app.Error
			if !errors.As(err, &ae) {
				t.Fatalf("%T %v is not a user error", err, err)
			}
			if !strings.Contains(ae.Message, tc.want) {
				t.Errorf("message %q, want %q", ae.Message, tc.want)
			}
		})
	}

	t.Run("entry larger than declared", func(t *testing.T) {
		// A lying header: the central directory says 10 bytes, the data
		// inflate to far more. OpenEntry stops at the declared size.
		data := lyingDocx(t)
		_, err := Read(data)
		var inv *upload.InvalidError
		if !errors.As(err, &inv) {
			t.Fatalf("err = %v", err)
		}
	})
}

// lyingDocx is a .docx whose document part declares a smaller size than it
// inflates to.
func lyingDocx(t *testing.T) []byte {
	t.Helper()
	body := "<w:document><w:body>" + strings.Repeat("<w:p><w:r><w:t>宪法</w:t></w:r></w:p>", 1000) + "</w:body></w:document>"
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, body)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	fh := &zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE([]byte(body)), CompressedSize64: uint64(comp.Len()), UncompressedSize64: 10}
	w, err := zw.CreateRaw(fh)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzRead checks that no file panics Read, and that every refusal is a
// user error with a Chinese message rather than an internal one.
func FuzzRead(f *testing.F) {
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String(bankText)
	docx := buildDocx(f, `<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`,
		para("一、单项选择题"), numbered(1, 0, "我国的根本大法是（ A ）。"), para("A.宪法 B.刑法"))
	book := workbook(f, sheet{"题库", question.TemplateColumns(), [][]any{{"单选", "根本大法是（ ）", "宪法", "刑法", "", "", "", "", "A", ""}}})
	for _, seed := range [][]byte{[]byte(bankText), []byte(gb), docx, book, docx[:len(docx)-30], book[:len(book)/3], []byte("PK\x05\x06")} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Read(data)
		if err != nil {
			var ae *app.Error
			if !errors.As(err, &ae) || ae.Message == "" {
				t.Fatalf("%T %v is not a user error", err, err)
			}
			return
		}
		if b.Sections == nil || b.Questions == nil || b.Warnings == nil {
			t.Fatalf("nil list in %+v", b)
		}
	})
}
