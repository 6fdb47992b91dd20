package circular

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pufa/internal/app"
)

// docx writes c and returns its parts by name.
func docx(t testing.TB, c *Circular) (map[string][]byte, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteDOCX(&buf, c); err != nil {
		t.Fatalf("WriteDOCX: %v", err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("open %s: %v", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read %s: %v", f.Name, err)
		}
		if _, dup := parts[f.Name]; dup {
			t.Fatalf("part %s twice", f.Name)
		}
		parts[f.Name] = data
	}
	return parts, buf.Bytes()
}

// wellFormed reads an XML part to EOF and checks every prefix it uses is
// declared (encoding/xml leaves an undeclared prefix in Name.Space).
func wellFormed(name string, data []byte) error {
	if !bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`)) {
		return errors.New("no XML declaration")
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	roots := 0
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
			names := []xml.Name{tok.Name}
			for _, a := range tok.Attr {
				if a.Name.Space != "xmlns" && !(a.Name.Space == "" && a.Name.Local == "xmlns") {
					names = append(names, a.Name)
				}
			}
			for i, n := range names {
				if i == 0 && n.Space == "" {
					return errors.New("element " + n.Local + " has no namespace")
				}
				if n.Space != "" && !strings.Contains(n.Space, "://") {
					return errors.New("undeclared prefix " + n.Space + ":" + n.Local)
				}
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(tok)) > 0 {
				return errors.New("text outside the root")
			}
		}
	}
	if roots != 1 {
		return errors.New("not exactly one root element")
	}
	return nil
}

func TestWriteDOCX_Package(t *testing.T) {
	parts, _ := docx(t, sample())
	for _, name := range []string{
		"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/settings.xml",
		"word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml",
	} {
		if parts[name] == nil {
			t.Errorf("missing part %s", name)
		}
	}
	for name, data := range parts {
		if err := wellFormed(name, data); err != nil {
			t.Errorf("%s is not well-formed: %v", name, err)
		}
	}

	// Every part has a content type, and the main ones the right one.
	var types struct {
		Defaults []struct {
			Extension   string `xml:",attr"`
			ContentType string `xml:",attr"`
		} `xml:"Default"`
		Overrides []struct {
			PartName    string `xml:",attr"`
			ContentType string `xml:",attr"`
		} `xml:"Override"`
	}
	if err := xml.Unmarshal(parts["[Content_Types].xml"], &types); err != nil {
		t.Fatal(err)
	}
	contentType := func(name string) string {
		for _, o := range types.Overrides {
			if o.PartName == "/"+name {
				return o.ContentType
			}
		}
		for _, d := range types.Defaults {
			if strings.EqualFold(path.Ext(name), "."+d.Extension) {
				return d.ContentType
			}
		}
		return ""
	}
	for name := range parts {
		if name != "[Content_Types].xml" && contentType(name) == "" {
			t.Errorf("no content type for %s", name)
		}
	}
	for _, o := range types.Overrides {
		if parts[strings.TrimPrefix(o.PartName, "/")] == nil {
			t.Errorf("content type for missing part %s", o.PartName)
		}
	}
	for name, want := range map[string]string{
		"word/document.xml":            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
		"word/styles.xml":              "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
		"word/settings.xml":            "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
		"word/footer1.xml":             "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
		"docProps/core.xml":            "application/vnd.openxmlformats-package.core-properties+xml",
		"docProps/app.xml":             "application/vnd.openxmlformats-officedocument.extended-properties+xml",
		"word/_rels/document.xml.rels": "application/vnd.openxmlformats-package.relationships+xml",
	} {
		if got := contentType(name); got != want {
			t.Errorf("content type of %s = %q, want %q", name, got, want)
		}
	}

	// Every relationship points at a part that exists; every part but the
	// content types and the relationships themselves is reached.
	type rel struct {
		ID         string `xml:"Id,attr"`
		Type       string `xml:",attr"`
		Target     string `xml:",attr"`
		TargetMode string `xml:",attr"`
	}
	reached := map[string]bool{}
	relIDs := map[string]map[string]string{} // source part → id → type
	for name, data := range parts {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		var rs struct {
			Rels []rel `xml:"Relationship"`
		}
		if err := xml.Unmarshal(data, &rs); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		dir, file := path.Split(name) // "word/_rels/", "document.xml.rels"
		base := path.Dir(strings.TrimSuffix(dir, "_rels/"))
		source := path.Join(base, strings.TrimSuffix(file, ".rels"))
		relIDs[source] = map[string]string{}
		for _, r := range rs.Rels {
			if r.TargetMode == "External" {
				t.Errorf("%s: external target %s", name, r.Target)
				continue
			}
			target := path.Join(base, r.Target)
			if parts[target] == nil {
				t.Errorf("%s: %s points at missing %s", name, r.ID, target)
			}
			if _, dup := relIDs[source][r.ID]; dup {
				t.Errorf("%s: %s twice", name, r.ID)
			}
			relIDs[source][r.ID] = r.Type
			reached[target] = true
		}
	}
	if got := relIDs["."]["rId1"]; got != "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" {
		t.Errorf("package rId1 = %q", got)
	}
	for name := range parts {
		if name != "[Content_Types].xml" && !strings.HasSuffix(name, ".rels") && !reached[name] {
			t.Errorf("no relationship reaches %s", name)
		}
	}
	// The document's r:id attributes resolve.
	d := xml.NewDecoder(bytes.NewReader(parts["word/document.xml"]))
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Space == nsR && a.Name.Local == "id" {
					if !strings.HasSuffix(relIDs["word/document.xml"][a.Value], "/footer") {
						t.Errorf("document r:id %s is not a footer relationship", a.Value)
					}
				}
			}
		}
	}
}

// paragraphs returns a WordprocessingML part's text: a line per paragraph
// outside tables and per table row, cells joined by tabs.
func paragraphs(t *testing.T, data []byte) []string {
	t.Helper()
	var out, cells []string
	var p strings.Builder
	inT, inTable := false, 0
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "t":
				inT = true
			case "tbl":
				inTable++
			case "tr":
				cells = nil
			case "p":
				p.Reset()
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "t":
				inT = false
			case "tbl":
				inTable--
			case "tr":
				out = append(out, strings.Join(cells, "\t"))
			case "p":
				if inTable > 0 {
					cells = append(cells, p.String())
				} else if p.Len() > 0 {
					out = append(out, p.String())
				}
			}
		case xml.CharData:
			if inT {
				p.Write(tok)
			}
		}
	}
}

func TestWriteDOCX_Text(t *testing.T) {
	c := sample()
	parts, _ := docx(t, c)
	got := paragraphs(t, parts["word/document.xml"])
	want := strings.Split(PlainText(c), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("document text differs from PlainText\n got: %q\nwant: %q", got, want)
	}
	all := strings.Join(got, "\n")
	for _, s := range []string{c.Title, c.DocNumber, c.Mark, c.Issuer, "2024年1月15日", `区<司法>&"局"`, "区文旅局😀", "区市场监管局"} {
		if !strings.Contains(all, s) {
			t.Errorf("document lacks %q", s)
		}
	}
	for _, r := range c.Rows {
		if !strings.Contains(all, clean(r.Name)) || !strings.Contains(all, r.Grade) {
			t.Errorf("document lacks row %q %q", r.Name, r.Grade)
		}
	}
	if strings.Contains(all, "\x01") || bytes.Contains(parts["word/document.xml"], []byte{1}) {
		t.Error("control character written")
	}
	if !bytes.Contains(parts["word/document.xml"], []byte(`区&lt;司法&gt;&amp;&quot;局&quot;`)) {
		t.Error("specials not escaped as expected")
	}
	if got := paragraphs(t, parts["word/footer1.xml"]); len(got) != 1 || got[0] != "— 1 —" {
		t.Errorf("footer = %q", got)
	}
	if !bytes.Contains(parts["docProps/core.xml"], []byte("<dc:title>关于2023年度“谁执法谁普法”履职评议结果的通报</dc:title>")) {
		t.Errorf("core.xml: %s", parts["docProps/core.xml"])
	}
}

func TestWriteDOCX_Layout(t *testing.T) {
	parts, _ := docx(t, sample())
	doc := string(parts["word/document.xml"])
	styles := string(parts["word/styles.xml"])
	for _, s := range []string{
		`<w:pgSz w:w="11906" w:h="16838"/>`,
		`<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="1304" w:gutter="0"/>`,
		`<w:tblHeader/>`,
		`<w:color w:val="FF0000"/><w:sz w:val="84"/>`, // the mark, red, 42 pt for 8 characters
		`<w:tblW w:w="8845" w:type="dxa"/>`,
		`<w:footerReference w:type="even" r:id="rId5"/>`,
	} {
		if !strings.Contains(doc, s) {
			t.Errorf("document.xml lacks %s", s)
		}
	}
	if n := strings.Count(doc, "<w:tblHeader/>"); n != 1 {
		t.Errorf("%d header rows", n)
	}
	for _, s := range []string{
		`<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="11" w:color="FF0000"/></w:pBdr>`, // the red line
		`w:eastAsia="仿宋"`, `w:eastAsia="宋体"`, `w:eastAsia="zh-CN"`,
		`<w:sz w:val="44"/>`, // 二号 title
		`<w:sz w:val="32"/>`, // 三号 text
		`<w:ind w:firstLineChars="200" w:firstLine="640"/>`,
	} {
		if !strings.Contains(styles, s) {
			t.Errorf("styles.xml lacks %s", s)
		}
	}
	// Each pStyle used is defined.
	for _, m := range strings.Split(doc, `<w:pStyle w:val="`)[1:] {
		id := m[:strings.IndexByte(m, '"')]
		if !strings.Contains(styles, `w:styleId="`+id+`"`) {
			t.Errorf("style %s used but not defined", id)
		}
	}
	if !strings.Contains(string(parts["word/fontTable.xml"]), `<w:altName w:val="FangSong"/>`) {
		t.Error("font table lacks FangSong")
	}
}

func TestMarkRPr(t *testing.T) {
	for _, tc := range []struct{ mark, want string }{
		{"临江区普法办文件", `<w:color w:val="FF0000"/><w:sz w:val="84"/>`},                                 // 8 characters fit at 42 pt
		{"临江区人民政府办公室文件", `<w:color w:val="FF0000"/><w:sz w:val="70"/>`},                             // 12 at 35 pt
		{"临江区全面依法治区委员会守法普法协调小组办公室", `<w:color w:val="FF0000"/><w:w w:val="84"/><w:sz w:val="44"/>`}, // 23 at 二号, narrowed
	} {
		if got := markRPr(tc.mark); !strings.Contains(got, tc.want) {
			t.Errorf("markRPr(%s) = %s, want %s", tc.mark, got, tc.want)
		}
	}
}

func TestSignatureIndents(t *testing.T) {
	// A long signature: it sits 右空二字 and the date starts two characters
	// right of its first character.
	sig, date := signatureIndents("临江区全面依法治区委员会守法普法协调小组办公室", "2024年1月15日")
	if sig != `<w:ind w:right="640"/><w:jc w:val="right"/>` {
		t.Errorf("long signature: %s", sig)
	}
	// 23 characters of 320 twips end 640 from the right of 8845.
	if date != `<w:ind w:left="1485"/><w:jc w:val="left"/>` {
		t.Errorf("date under long signature: %s", date)
	}
	// A short signature: the date sits 右空二字, the signature moves right.
	sig, date = signatureIndents("区普法办", "2024年12月31日")
	if date != `<w:ind w:right="640"/><w:jc w:val="right"/>` {
		t.Errorf("date: %s", date)
	}
	// date 3 wide + 8 narrow = 7 characters = 2240; signature 4 = 1280;
	// its right indent is 1280 + 2240 - 1280.
	if sig != `<w:ind w:right="2240"/><w:jc w:val="right"/>` {
		t.Errorf("short signature: %s", sig)
	}
}

func TestWriteDOCX_Deterministic(t *testing.T) {
	_, a := docx(t, sample())
	_, b := docx(t, sample())
	if !bytes.Equal(a, b) {
		t.Error("two writes of the same circular differ")
	}
	z, _ := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if z.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first part is %s", z.File[0].Name)
	}
	for _, f := range z.File {
		if !f.Modified.Equal(zipTime) {
			t.Errorf("%s modified %v", f.Name, f.Modified)
		}
	}
}

func TestWriteDOCX_Invalid(t *testing.T) {
	c := sample()
	c.Rows[0].Name = ""
	var buf bytes.Buffer
	err := WriteDOCX(&buf, c)
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("WriteDOCX = %v, want EINVALID", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written for an invalid circular", buf.Len())
	}
}

// TestWriteDOCX_Minimal writes a circular with only the required fields: no
// mark (the issuer stands in), no 文号 (the red line stays), no table.
func TestWriteDOCX_Minimal(t *testing.T) {
	c := &Circular{Title: "通报", Issuer: "区普法办", Date: time.Date(2024, 3, 1, 9, 0, 0, 0, app.Shanghai)}
	parts, _ := docx(t, c)
	for name, data := range parts {
		if err := wellFormed(name, data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	got := paragraphs(t, parts["word/document.xml"])
	if strings.Join(got, "|") != "区普法办|通报|区普法办|2024年3月1日" {
		t.Errorf("text = %q", got)
	}
	if strings.Contains(string(parts["word/document.xml"]), "<w:tbl>") {
		t.Error("table without rows")
	}
}

// TestWriteDOCX_LibreOffice converts the circular to PDF with LibreOffice,
// when it is installed, as a check that a real reader accepts the file.
func TestWriteDOCX_LibreOffice(t *testing.T) {
	var bin string
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("neither soffice nor libreoffice is on PATH; skipping the LibreOffice rendering check")
	}
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := WriteDOCX(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "circular.docx")
	if err := os.WriteFile(in, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// A profile of its own, so a running LibreOffice does not take the job.
	profile := "file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation="+profile, "--headless", "--norestore",
		"--convert-to", "pdf", "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "circular.pdf"))
	if err != nil {
		t.Fatalf("no PDF: %v\n%s", err, out)
	}
	if len(pdf) == 0 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("PDF of %d bytes does not start with %%PDF", len(pdf))
	}
}

func FuzzWriteDOCX(f *testing.F) {
	f.Add("通报", "区<司法>&\"局\"", "优秀", "正文\x00\x1b段落")
	f.Add("]]>", "\uFFFE\uFFFF😀", "'", "\xff\xfe")
	f.Fuzz(func(t *testing.T, title, name, grade, body string) {
		c := &Circular{Title: title, Issuer: "区普法办", Body: []string{body},
			Rows: []Row{{Rank: 1, Name: name, Grade: grade, Total: 90}}, Ranked: true,
			Date: time.Date(2024, 1, 15, 0, 0, 0, 0, app.Shanghai)}
		var buf bytes.Buffer
		if err := WriteDOCX(&buf, c); err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("WriteDOCX: %v", err)
			}
			return
		}
		parts, _ := docx(t, c)
		for n, data := range parts {
			if err := wellFormed(n, data); err != nil {
				t.Fatalf("%s: %v", n, err)
			}
		}
		got := strings.Join(paragraphs(t, parts["word/document.xml"]), "\n")
		if got != PlainText(c) {
			t.Fatalf("text %q, PlainText %q", got, PlainText(c))
		}
	})
}
