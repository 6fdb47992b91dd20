package outline

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pufa/internal/app"
	"pufa/internal/upload"
)

// part is one file of a test package.
type part struct{ name, body string }

// buildZip writes the parts into a zip, deflated.
func buildZip(t testing.TB, parts ...part) []byte {
	t.Helper()
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

const (
	contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`
	packageRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`
	wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`
)

// docx builds a .docx whose body holds the given paragraphs' XML, with
// numbering.xml and styles.xml when given.
func docx(t testing.TB, body, numbering, styles string) []byte {
	t.Helper()
	parts := []part{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", packageRels},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wordNS + `><w:body>` + body + `</w:body></w:document>`},
	}
	if numbering != "" {
		parts = append(parts, part{"word/numbering.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering ` + wordNS + `>` + numbering + `</w:numbering>`})
	}
	if styles != "" {
		parts = append(parts, part{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ` + wordNS + `>` + styles + `</w:styles>`})
	}
	return buildZip(t, parts...)
}

// p writes a paragraph of one run.
func p(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

// np writes a paragraph numbered by Word: list numID, level ilvl.
func np(numID, ilvl, text string) string {
	return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + ilvl + `"/><w:numId w:val="` + numID + `"/></w:numPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

// sp writes a paragraph of a paragraph style.
func sp(style, text string) string {
	return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

func TestDocxLiteralNumbers(t *testing.T) {
	body := p("2023年区普法依法治理工作要点") +
		// A number split over runs, with a tab, and a tracked deletion.
		`<w:p><w:r><w:t>一、</w:t></w:r><w:r><w:tab/><w:t>总体要求</w:t></w:r><w:del><w:r><w:delText>（删去的字）</w:delText></w:r></w:del></w:p>` +
		p("1.完善普法责任清单。牵头单位：区司法局；配合单位：区教育局、区文旅局；完成时限：2023年6月底前") +
		// A field code's instruction is not text; its result is.
		`<w:p><w:r><w:t>2.开展</w:t></w:r><w:r><w:instrText> HYPERLINK "x" </w:instrText></w:r><w:r><w:t>宪法宣传周活动。</w:t></w:r></w:p>` +
		// Alternate content: the choice is read, the fallback copy is not.
		`<w:p><mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>二、保障措施</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>二、保障措施</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>` +
		`<w:tbl><w:tr><w:tc>` + p("3.加强组织领导。") + `</w:tc></w:tr></w:tbl>`
	res, err := Parse(docx(t, body, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	wantSource := "2023年区普法依法治理工作要点\n一、\t总体要求\n1.完善普法责任清单。牵头单位：区司法局；配合单位：区教育局、区文旅局；完成时限：2023年6月底前\n2.开展宪法宣传周活动。\n二、保障措施\n3.加强组织领导。"
	if diff := cmp.Diff(wantSource, res.Source); diff != "" {
		t.Errorf("source mismatch (-want +got):\n%s", diff)
	}
	if res.Encoding != EncodingDocx || len(res.Documents) != 1 {
		t.Fatalf("encoding %s, %d documents", res.Encoding, len(res.Documents))
	}
	doc := res.Documents[0]
	want := []string{
		"section cn 一 总体要求",
		"  item arabic 1 完善普法责任清单",
		"  item arabic 2 开展宪法宣传周活动",
		"section cn 二 保障措施",
		"  item arabic 3 加强组织领导",
	}
	if diff := cmp.Diff(want, outlineLines(doc.Nodes)); diff != "" || doc.Title != "2023年区普法依法治理工作要点" {
		t.Errorf("title %q; outline mismatch (-want +got):\n%s", doc.Title, diff)
	}
	item := doc.Nodes[0].Children[0]
	if !cmp.Equal(item.LeadUnits, []string{"区司法局"}) || !cmp.Equal(item.CoUnits, []string{"区教育局", "区文旅局"}) || item.Deadline != "2023年6月底前" {
		t.Errorf("item 1: lead %q, co %q, deadline %q", item.LeadUnits, item.CoUnits, item.Deadline)
	}
}

// numberingXML defines list 1 (一、 / 1. / （1）, Word's usual Chinese
// outline), list 2 (第一章, linked to the Heading1 style) and list 3, an
// instance of list 1 that restarts its second level at 1.
const numberingXML = `
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%3）"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCountingThousand"/><w:lvlText w:val="第%1章"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>`

const stylesXML = `
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1Red"><w:basedOn w:val="Heading1"/></w:style>`

func TestDocxAutomaticNumbering(t *testing.T) {
	body := p("区普法工作实施方案") +
		np("1", "0", "总体要求") +
		np("1", "1", "完善普法责任清单。") +
		np("1", "2", "编制清单。") +
		np("1", "2", "公布清单。") +
		np("1", "1", "开展宪法宣传。") +
		np("4", "0", "一个没有编号的要点。") +
		np("1", "0", "保障措施") +
		np("1", "1", "加强组织领导。") +
		np("3", "1", "强化督促检查。") + // list 3 restarts level 2 at 1
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>附：编号已关闭的段落。</w:t></w:r></w:p>`
	res, err := Parse(docx(t, body, numberingXML, ""))
	if err != nil {
		t.Fatal(err)
	}
	wantSource := "区普法工作实施方案\n一、总体要求\n1.完善普法责任清单。\n（1）编制清单。\n（2）公布清单。\n2.开展宪法宣传。\n一个没有编号的要点。\n" +
		"二、保障措施\n1.加强组织领导。\n1.强化督促检查。\n附：编号已关闭的段落。"
	if diff := cmp.Diff(wantSource, res.Source); diff != "" {
		t.Errorf("source mismatch (-want +got):\n%s", diff)
	}
	want := []string{
		"section cn 一 总体要求",
		"  item arabic 1 完善普法责任清单",
		"    subitem arabic-paren 1 编制清单",
		"    subitem arabic-paren 2 公布清单",
		"  item arabic 2 开展宪法宣传",
		"section cn 二 保障措施",
		"  item arabic 1 加强组织领导",
	}
	if diff := cmp.Diff(want, outlineLines(res.Documents[0].Nodes)); diff != "" {
		t.Errorf("outline mismatch (-want +got):\n%s", diff)
	}
	if w := warningKinds(res.Warnings); !cmp.Equal(w, []string{"numbering"}) {
		t.Errorf("warnings %q, want one about the repeated 1.", w)
	}
}

func TestDocxStyleNumbering(t *testing.T) {
	body := p("区普法工作办法") +
		sp("Heading1", "总则") +
		p("第一条　为了规范普法工作，制定本办法。") +
		sp("Heading1Red", "职责") +
		p("第二条　区司法局负责组织实施。")
	res, err := Parse(docx(t, body, numberingXML, stylesXML))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"chapter chapter 第一章 总则",
		"  article article 第一条 为了规范普法工作，制定本办法",
		"chapter chapter 第二章 职责",
		"  article article 第二条 区司法局负责组织实施",
	}
	if diff := cmp.Diff(want, outlineLines(res.Documents[0].Nodes)); diff != "" {
		t.Errorf("outline mismatch (-want +got):\n%s\nsource:\n%s", diff, res.Source)
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		v      int
		format string
		want   string
	}{
		{3, "decimal", "3"},
		{11, "chineseCounting", "十一"},
		{20, "chineseCountingThousand", "二十"},
		{105, "chineseCountingThousand", "一百零五"},
		{12, "chineseLegalSimplified", "壹拾贰"},
		{3, "ideographTraditional", "丙"},
		{10, "ideographDigital", "一〇"},
		{5, "decimalEnclosedCircle", "⑤"},
		{25, "decimalEnclosedCircle", "25"},
		{12, "decimalFullWidth", "１２"},
		{7, "decimalZero", "07"},
		{28, "lowerLetter", "bb"},
		{4, "upperRoman", "IV"},
		{9, "lowerRoman", "ix"},
		{2, "somethingNew", "2"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.v, tt.format); got != tt.want {
			t.Errorf("formatNumber(%d, %s) = %q, want %q", tt.v, tt.format, got, tt.want)
		}
	}
}

// refused checks that err is a user-facing refusal whose message says
// want.
func refused(t *testing.T, err error, want string) {
	t.Helper()
	var ae *app.Error
	if err == nil || !errors.As(err, &ae) {
		t.Fatalf("error = %v, want a refusal", err)
	}
	if !strings.Contains(ae.Message, want) {
		t.Errorf("message %q does not say %q", ae.Message, want)
	}
}

func TestDocxRefused(t *testing.T) {
	// A zip bomb: 4 MiB of spaces deflate to a few KiB.
	bomb := docx(t, p(strings.Repeat(" ", 4<<20)), "", "")
	if len(bomb) > 64<<10 {
		t.Fatalf("bomb is %d bytes, not a bomb", len(bomb))
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"zip bomb", bomb, "疑似压缩炸弹"},
		{"a spreadsheet", buildZip(t, part{"[Content_Types].xml", contentTypes}, part{"xl/workbook.xml", "<workbook/>"}), "不是 Word 文档"},
		{"a zip of anything", buildZip(t, part{"readme.txt", "hello"}), "不是 Word 文档"},
		{"a broken zip", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0xAB}, 100)...), "不是有效的"},
		{"broken XML", buildZip(t, part{"word/document.xml", `<w:document ` + wordNS + `><w:body><w:p>`}), "已损坏"},
		{"legacy .doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00"), "旧版 .doc"},
		{"pdf", []byte("%PDF-1.7\n"), "PDF"},
		{"binary", []byte{0x00, 0x01, 0x02, 0x03}, "无法识别"},
		{"empty", nil, "空的"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Parse(tt.data)
			if res != nil {
				t.Errorf("got a result %+v", res)
			}
			refused(t, err, tt.want)
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	limit := upload.DefaultDocument().MaxBytes
	_, err := Read(io.LimitReader(zeroText{}, limit+1))
	var tl *upload.TooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("Read of %d bytes: %v, want *upload.TooLargeError", limit+1, err)
	}
}

// zeroText is an endless stream of a Chinese character.
type zeroText struct{}

func (zeroText) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = 'a'
	}
	return len(b), nil
}
