package web_test

import (
	"archive/zip"
	"bytes"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// wordDoc builds a .docx whose paragraphs are numbered by Word itself
// (numbering.xml and w:numPr), the way offices write their 工作要点.
func wordDoc(t *testing.T, paras []string) []byte {
	t.Helper()
	const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	var body strings.Builder
	for _, p := range paras {
		level, text, numbered := "", p, false
		if strings.HasPrefix(p, "#") { // "#0 text": numbered at level 0
			level, text, numbered = p[1:2], p[3:], true
		}
		body.WriteString(`<w:p>`)
		if numbered {
			body.WriteString(`<w:pPr><w:numPr><w:ilvl w:val="` + level + `"/><w:numId w:val="1"/></w:numPr></w:pPr>`)
		}
		body.WriteString(`<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`)
	}
	files := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8"?><w:document ` + ns + `><w:body>` + body.String() + `</w:body></w:document>`,
		"word/numbering.xml": `<?xml version="1.0" encoding="UTF-8"?><w:numbering ` + ns + `><w:abstractNum w:abstractNumId="0">` +
			`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>` +
			`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>` +
			`</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/numbering.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPlanImportFiles imports a Word document with automatic numbering and
// a GBK text file through the import page.
func TestPlanImportFiles(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	office := e.client()
	office.login("office1", e.accounts["office1"].Password)

	doc := wordDoc(t, []string{
		"2024年临江区普法依法治理工作要点",
		"#0 健全普法工作机制",
		"#1 完善普法责任清单制度。牵头单位：区司法局；配合单位：区教育局；完成时限：2024年6月底前",
		"#1 落实年度履职报告评议。牵头单位：区司法局；完成时限：2024年11月底前",
		"#0 深化重点内容宣传",
		"#1 组织开展宪法宣传周活动。牵头单位：区教育局；完成时限：2024年12月10日前",
	})
	resp, body := office.upload("/plans/preview?year=2024", "工作要点.docx", doc)
	if resp.StatusCode != 200 {
		t.Fatalf("docx preview = %d: %s", resp.StatusCode, firstError(body))
	}
	if !strings.Contains(body, "其中 <strong>3</strong> 项任务") {
		t.Fatalf("docx: %s", regexp.MustCompile(`共识别出.*?任务`).FindString(body))
	}
	form := reviewForm(t, body)
	if form.Get("label0") != "一" || form.Get("label1") != "1" || form.Get("deadline1") != "2024-06-30" || form.Get("deadline4") != "2024-12-10" {
		t.Errorf("Word numbering or deadlines lost: labels %q %q, deadlines %q %q", form.Get("label0"), form.Get("label1"), form.Get("deadline1"), form.Get("deadline4"))
	}
	if form.Get("lead1") == "" || form.Get("co1") == "" {
		t.Errorf("the units the document names are not matched: lead %q co %q", form.Get("lead1"), form.Get("co1"))
	}
	resp, body = office.post("/plans", form)
	if resp.StatusCode != 303 {
		t.Fatalf("confirm = %d: %s", resp.StatusCode, firstError(body))
	}

	gbk, err := simplifiedchinese.GBK.NewEncoder().String("2024年普法工作要点\n一、加强组织领导\n1.建立领导干部应知应会法律清单。\n2.开展法律明白人培训。\n二、强化宣传\n3.开展民法典宣传月活动。\n")
	if err != nil {
		t.Fatal(err)
	}
	resp, body = office.upload("/plans/preview?year=2024", "要点.txt", []byte(gbk))
	if resp.StatusCode != 200 || !strings.Contains(body, "其中 <strong>3</strong> 项任务") || !strings.Contains(body, "应知应会") {
		t.Fatalf("GBK preview = %d: %s", resp.StatusCode, firstError(body))
	}

	// A file that is neither is refused with a Chinese message.
	resp, body = office.upload("/plans/preview?year=2024", "x.docx", []byte("PK\x03\x04 not really a zip"))
	if resp.StatusCode != 400 {
		t.Errorf("broken docx = %d", resp.StatusCode)
	}
}
