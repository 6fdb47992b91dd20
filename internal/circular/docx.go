package circular

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/width"
)

// Page geometry of GB/T 9704-2012 5.2 in twips (1/20 pt; 1 mm ≈ 56.69
// twips): A4, 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm, which leaves
// 26 mm on the right and 35 mm at the bottom.
const (
	pageW        = 11906
	pageH        = 16838
	marginTop    = 2098 // 37 mm
	marginLeft   = 1587 // 28 mm
	marginRight  = 1474 // 26 mm
	marginBottom = 1984 // 35 mm
	textW        = pageW - marginLeft - marginRight
	// The page number's 一字线 sits 7 mm below the 版心: a 14 pt line ending
	// about 23 mm above the paper's edge.
	footerDist = 1304
	// linePitch fits 22 lines in the 225 mm 版心 (5.2.3).
	linePitch = 579
	// A 三号 (16 pt) character, the unit of "空二字" and 首行缩进.
	charW = 320
)

// Fonts. 方正小标宋简体 and 仿宋_GB2312 are not on most machines and OOXML
// cannot name a fallback chain, so the title and mark use bold 宋体 and the
// text 仿宋, both shipped with Windows; the font table gives their Latin
// names and PANOSE numbers so other systems can substitute (LibreOffice maps
// them to Noto Serif CJK SC or similar).
const (
	fontSong = "宋体"
	fontFang = "仿宋"
	fontHei  = "黑体"
)

// zipTime is every part's modification time, so the same circular always
// gives the same bytes.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	nsW     = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRel   = "http://schemas.openxmlformats.org/package/2006/relationships"
	relBase = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	ctBase  = "application/vnd.openxmlformats-officedocument.wordprocessingml."
	xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

type part struct {
	name, contentType string
	data              []byte
}

// WriteDOCX validates c and writes it to w as a .docx (OOXML
// WordprocessingML, transitional). Nothing is written if c is invalid.
func WriteDOCX(w io.Writer, c *Circular) error {
	if err := c.Validate(); err != nil {
		return err
	}
	parts := []part{
		{"word/document.xml", ctBase + "document.main+xml", document(c)},
		{"word/styles.xml", ctBase + "styles+xml", []byte(stylesXML)},
		{"word/settings.xml", ctBase + "settings+xml", []byte(settingsXML)},
		{"word/fontTable.xml", ctBase + "fontTable+xml", []byte(fontTableXML)},
		{"word/footer1.xml", ctBase + "footer+xml", footer(false)},
		{"word/footer2.xml", ctBase + "footer+xml", footer(true)},
		{"docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml", core(c)},
		{"docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml", appProps(c)},
	}
	var ct bytes.Buffer
	ct.WriteString(xmlDecl)
	ct.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	ct.WriteString(`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`)
	ct.WriteString(`<Default Extension="xml" ContentType="application/xml"/>`)
	for _, p := range parts {
		fmt.Fprintf(&ct, `<Override PartName="/%s" ContentType="%s"/>`, p.name, p.contentType)
	}
	ct.WriteString(`</Types>`)

	all := append([]part{
		{name: "[Content_Types].xml", data: ct.Bytes()},
		{name: "_rels/.rels", data: rels(
			"officeDocument", "word/document.xml",
			"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml",
			"extended-properties", "docProps/app.xml",
		)},
		{name: "word/_rels/document.xml.rels", data: rels(
			"styles", "styles.xml",
			"settings", "settings.xml",
			"fontTable", "fontTable.xml",
			"footer", "footer1.xml", // rId4: odd pages
			"footer", "footer2.xml", // rId5: even pages
		)},
	}, parts...)

	z := zip.NewWriter(w)
	for _, p := range all {
		f, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return fmt.Errorf("circular: zip %s: %w", p.name, err)
		}
		if _, err := f.Write(p.data); err != nil {
			return fmt.Errorf("circular: zip %s: %w", p.name, err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("circular: zip: %w", err)
	}
	return nil
}

// rels writes a relationships part from (type, target) pairs, numbering
// them rId1, rId2, …; a type without a scheme is an officeDocument one.
func rels(pairs ...string) []byte {
	var b bytes.Buffer
	b.WriteString(xmlDecl)
	b.WriteString(`<Relationships xmlns="` + nsRel + `">`)
	for i := 0; i < len(pairs); i += 2 {
		typ := pairs[i]
		if !strings.Contains(typ, "://") {
			typ = relBase + typ
		}
		fmt.Fprintf(&b, `<Relationship Id="rId%d" Type="%s" Target="%s"/>`, i/2+1, typ, pairs[i+1])
	}
	b.WriteString(`</Relationships>`)
	return b.Bytes()
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

// esc escapes cleaned text for an XML text node or attribute value.
func esc(s string) string { return escaper.Replace(clean(s)) }

// run writes one text run; rPr is raw run properties or "".
func run(b *bytes.Buffer, rPr, text string) {
	b.WriteString(`<w:r>`)
	if rPr != "" {
		b.WriteString(`<w:rPr>` + rPr + `</w:rPr>`)
	}
	b.WriteString(`<w:t xml:space="preserve">` + esc(text) + `</w:t></w:r>`)
}

// para writes a paragraph of one run. pPr is raw properties after pStyle,
// in schema order.
func para(b *bytes.Buffer, style, pPr, rPr, text string) {
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>` + pPr + `</w:pPr>`)
	if text != "" {
		run(b, rPr, text)
	}
	b.WriteString(`</w:p>`)
}

func document(c *Circular) []byte {
	var b bytes.Buffer
	b.WriteString(xmlDecl)
	b.WriteString(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>`)

	// 版头: the red mark, the 文号 two lines below it, and the red line
	// 4 mm under the 文号, drawn as that paragraph's bottom border.
	mark := clean(c.mark())
	para(&b, "GwMark", "", markRPr(mark), mark)
	para(&b, "GwDocNumber", "", "", c.DocNumber)

	para(&b, "GwTitle", "", "", c.Title)
	para(&b, "GwAddressee", "", "", c.Addressees)
	for _, p := range c.Body {
		if clean(p) != "" {
			para(&b, "GwBody", "", "", p)
		}
	}
	if len(c.Rows) > 0 {
		if clean(c.TableTitle) != "" {
			para(&b, "GwTableTitle", "", "", c.TableTitle)
		}
		table(&b, c.table())
	}
	for _, p := range c.After {
		if clean(p) != "" {
			para(&b, "GwBody", "", "", p)
		}
	}
	sigInd, dateInd := signatureIndents(clean(c.Issuer), DateText(c.Date))
	para(&b, "GwSignature", sigInd, "", c.Issuer)
	para(&b, "GwDate", dateInd, "", DateText(c.Date))

	fmt.Fprintf(&b, `<w:sectPr>`+
		`<w:footerReference w:type="default" r:id="rId4"/><w:footerReference w:type="even" r:id="rId5"/>`+
		`<w:pgSz w:w="%d" w:h="%d"/>`+
		`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="%d" w:gutter="0"/>`+
		`<w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="%d"/></w:sectPr>`,
		pageW, pageH, marginTop, marginRight, marginBottom, marginLeft, footerDist, linePitch)
	b.WriteString(`</w:body></w:document>`)
	return b.Bytes()
}

// markRPr sizes the 发文机关标志 to one line of the 版心: as large as fits,
// up to 42 pt (about the 15 mm height offices keep to); a name too long for
// one line at 二号 is narrowed with character scaling (w:w) down to 50%,
// as offices do by hand, rather than shrunk below the title's size.
func markRPr(mark string) string {
	const room = 430 // points, a little under the 版心's 442
	halves := max(1, halfWidths(mark))
	pt := min(max(2*room/halves, 22), 42)
	scale := ""
	if halves*pt/2 > room {
		scale = fmt.Sprintf(`<w:w w:val="%d"/>`, max(50, 2*room*100/(halves*pt)))
	}
	return rFonts(fontSong) + `<w:b/><w:bCs/><w:color w:val="FF0000"/>` + scale +
		fmt.Sprintf(`<w:sz w:val="%[1]d"/><w:szCs w:val="%[1]d"/>`, 2*pt)
}

// Column widths of the results table; they add up to the 版心's width.
var columns = [4]int{1100, textW - 1100 - 1600 - 1600, 1600, 1600}

func table(b *bytes.Buffer, rows [][]string) {
	b.WriteString(`<w:tbl><w:tblPr>`)
	fmt.Fprintf(b, `<w:tblW w:w="%d" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>`, textW)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/>`)
	b.WriteString(`<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>`)
	b.WriteString(`</w:tblPr><w:tblGrid>`)
	for _, w := range columns {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
	for i, cells := range rows {
		// Rows never break across pages, and the header repeats on each.
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="454" w:hRule="atLeast"/>`)
		style := "GwTableCell"
		if i == 0 {
			b.WriteString(`<w:tblHeader/>`)
			style = "GwTableHead"
		}
		b.WriteString(`</w:trPr>`)
		for j, text := range cells {
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`, columns[j])
			para(b, style, "", "", text)
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
}

// signatureIndents places 发文机关署名 and 成文日期 as GB/T 9704-2012
// 7.3.5.2 does for a document without a seal: the signature 右空二字, the
// date on the next line starting two characters right of the signature's
// first; if the date would then run past 右空二字, the date is set 右空二字
// and the signature moves right to keep the two-character step. Widths are
// estimated from East Asian width at 三号, which 仿宋's fixed pitch honours.
// It returns raw <w:ind/><w:jc/> for each paragraph.
func signatureIndents(sig, date string) (sigPPr, datePPr string) {
	sigW, dateW := halfWidths(sig)*charW/2, halfWidths(date)*charW/2
	right := func(twips int) string {
		return fmt.Sprintf(`<w:ind w:right="%d"/><w:jc w:val="right"/>`, twips)
	}
	switch {
	case sigW > textW-2*charW:
		// A signature longer than a line wraps; keep both at 右空二字.
		return right(2 * charW), right(2 * charW)
	case sigW >= dateW+2*charW:
		return right(2 * charW), fmt.Sprintf(`<w:ind w:left="%d"/><w:jc w:val="left"/>`, textW-sigW)
	default:
		return right(4*charW + dateW - sigW), right(2 * charW)
	}
}

// halfWidths counts s in half-width cells: CJK and other wide or ambiguous
// characters take two, as they do in a Chinese font.
func halfWidths(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianAmbiguous:
			n += 2
		default:
			n++
		}
	}
	return n
}

// footer writes a page-number footer, “— 1 —” in 四号 半角 宋体 (7.5):
// on odd pages 右空一字, on even pages 左空一字.
func footer(even bool) []byte {
	var b bytes.Buffer
	b.WriteString(xmlDecl)
	b.WriteString(`<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:pStyle w:val="Footer"/>`)
	if even {
		b.WriteString(`<w:ind w:left="280"/><w:jc w:val="left"/>`)
	} else {
		b.WriteString(`<w:ind w:right="280"/><w:jc w:val="right"/>`)
	}
	b.WriteString(`</w:pPr>`)
	// The spaces around the number are part of the layout, so these runs
	// are written raw rather than through run, which trims.
	b.WriteString(`<w:r><w:t xml:space="preserve">— </w:t></w:r>`)
	b.WriteString(`<w:r><w:fldChar w:fldCharType="begin"/></w:r>`)
	b.WriteString(`<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>`)
	b.WriteString(`<w:r><w:fldChar w:fldCharType="separate"/></w:r>`)
	b.WriteString(`<w:r><w:t>1</w:t></w:r>`)
	b.WriteString(`<w:r><w:fldChar w:fldCharType="end"/></w:r>`)
	b.WriteString(`<w:r><w:t xml:space="preserve"> —</w:t></w:r>`)
	b.WriteString(`</w:p></w:ftr>`)
	return b.Bytes()
}

func core(c *Circular) []byte {
	when := c.Date.UTC().Format("2006-01-02T15:04:05Z")
	return []byte(xmlDecl +
		`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(c.Title) + `</dc:title>` +
		`<dc:subject>` + esc(c.DocNumber) + `</dc:subject>` +
		`<dc:creator>` + esc(c.Issuer) + `</dc:creator>` +
		`<dc:language>zh-CN</dc:language>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + when + `</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">` + when + `</dcterms:modified>` +
		`</cp:coreProperties>`)
}

func appProps(c *Circular) []byte {
	return []byte(xmlDecl +
		`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"` +
		` xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
		`<Application>pufa</Application><DocSecurity>0</DocSecurity>` +
		`<Company>` + esc(c.Issuer) + `</Company>` +
		`</Properties>`)
}

// rFonts sets one font for every script, with East Asian rendering for
// ambiguous characters such as “” and —.
func rFonts(f string) string {
	return `<w:rFonts w:hint="eastAsia" w:ascii="` + f + `" w:hAnsi="` + f + `" w:eastAsia="` + f + `" w:cs="` + f + `"/>`
}

// Spacing values: one line of the grid, and exactly-spaced lines.
var (
	exact      = fmt.Sprintf(`w:line="%d" w:lineRule="exact"`, linePitch)
	oneLine    = fmt.Sprintf(`%d`, linePitch)
	twoLines   = fmt.Sprintf(`%d`, 2*linePitch)
	indentTwo  = fmt.Sprintf(`<w:ind w:firstLineChars="200" w:firstLine="%d"/>`, 2*charW)
	markPaper  = `<w:spacing w:before="1984" w:after="0" w:line="240" w:lineRule="auto"/>` // 35 mm below the 版心's top (7.2.2)
	tableLines = `<w:spacing w:before="0" w:after="0" w:line="400" w:lineRule="exact"/>`
)

// stylesXML holds one paragraph style per part of the circular, so a user
// who edits the document in Word keeps the layout. The style ids are ASCII;
// the names say what they are for.
var stylesXML = xmlDecl + `<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` + rFonts(fontFang) +
	`<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>` +
	`</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" ` + exact + `/></w:pPr></w:pPrDefault></w:docDefaults>` +

	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>` +
	`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>` +
	`<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>` +
	`<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>` +
	`<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>` +
	`</w:tblPr></w:style>` +

	style("GwMark", "公文发文机关标志", "GwDocNumber",
		`<w:snapToGrid w:val="0"/>`+markPaper+`<w:jc w:val="center"/>`,
		rFonts(fontSong)+`<w:b/><w:bCs/><w:color w:val="FF0000"/>`) +
	style("GwDocNumber", "公文发文字号", "GwTitle",
		`<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="11" w:color="FF0000"/></w:pBdr>`+ // the red line, 4 mm below
			`<w:spacing w:before="`+twoLines+`"/><w:jc w:val="center"/>`, "") +
	style("GwTitle", "公文标题", "GwAddressee",
		`<w:spacing w:before="`+twoLines+`"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/>`,
		rFonts(fontSong)+`<w:b/><w:bCs/><w:sz w:val="44"/><w:szCs w:val="44"/>`) +
	style("GwAddressee", "公文主送机关", "GwBody", `<w:spacing w:before="`+oneLine+`"/><w:jc w:val="both"/>`, "") +
	style("GwBody", "公文正文", "GwBody", indentTwo+`<w:jc w:val="both"/>`, "") +
	style("GwTableTitle", "公文表格标题", "GwBody", `<w:keepNext/><w:jc w:val="center"/>`, rFonts(fontHei)) +
	style("GwTableHead", "公文表头", "GwTableHead", `<w:keepNext/><w:snapToGrid w:val="0"/>`+tableLines+`<w:jc w:val="center"/>`,
		rFonts(fontHei)+`<w:sz w:val="28"/><w:szCs w:val="28"/>`) +
	style("GwTableCell", "公文表格", "GwTableCell", `<w:snapToGrid w:val="0"/>`+tableLines+`<w:jc w:val="center"/>`,
		`<w:sz w:val="28"/><w:szCs w:val="28"/>`) +
	style("GwSignature", "公文发文机关署名", "GwDate", `<w:keepNext/><w:spacing w:before="`+oneLine+`"/>`, "") + // 正文下空一行
	style("GwDate", "公文成文日期", "GwBody", "", "") +
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>` +
	`<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/></w:pPr>` +
	`<w:rPr>` + rFonts(fontSong) + `<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	`</w:styles>`

func style(id, name, next, pPr, rPr string) string {
	s := `<w:style w:type="paragraph" w:customStyle="1" w:styleId="` + id + `"><w:name w:val="` + name + `"/>` +
		`<w:basedOn w:val="Normal"/><w:next w:val="` + next + `"/><w:qFormat/>`
	if pPr != "" {
		s += `<w:pPr>` + pPr + `</w:pPr>`
	}
	if rPr != "" {
		s += `<w:rPr>` + rPr + `</w:rPr>`
	}
	return s + `</w:style>`
}

// settingsXML: Word 2013+ layout (compatibilityMode 15), different odd and
// even footers for the page numbers, and Chinese punctuation compression.
// Elements follow the schema's order.
var settingsXML = xmlDecl + `<w:settings xmlns:w="` + nsW + `">` +
	`<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/>` +
	`<w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>` +
	`</w:settings>`

// fontTableXML describes the three fonts with their Latin names, GB2312
// charset (86) and PANOSE numbers, which Word and LibreOffice use to pick a
// substitute where the font is missing.
var fontTableXML = xmlDecl + `<w:fonts xmlns:w="` + nsW + `">` +
	font(fontSong, "SimSun", "02010600030101010101", "auto", "variable") +
	font(fontFang, "FangSong", "02010609060101010101", "modern", "fixed") +
	font(fontHei, "SimHei", "02010609060101010101", "modern", "fixed") +
	`</w:fonts>`

func font(name, alt, panose, family, pitch string) string {
	return `<w:font w:name="` + name + `"><w:altName w:val="` + alt + `"/><w:panose1 w:val="` + panose + `"/>` +
		`<w:charset w:val="86"/><w:family w:val="` + family + `"/><w:pitch w:val="` + pitch + `"/></w:font>`
}
