package outline

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// FuzzParse checks that no input panics or hangs the engine, and that
// whatever it returns keeps the contract: non-nil slices, offsets inside
// the source, at most one incomplete node, encodable JSON.
func FuzzParse(f *testing.F) {
	s := seed(f)
	f.Add(s)
	f.Add(s[:len(s)/3])
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes(s[:1200])
	f.Add(gbk)
	f.Add(docx(f, p("工作要点")+np("1", "0", "总体要求")+np("1", "1", "完善清单。"), numberingXML, stylesXML))
	f.Add(docx(f, p("一、总体要求")+p("1.完善清单。牵头单位：区司法局"), "", ""))
	for _, in := range []string{
		"", "\uFEFF", "一、", "（一）", "第一百二十条之一", "1 .", "。7加强", "一是二是三是",
		"1、\n2、\n3、", "1、" + strings.Repeat("长", 30) + "\n2、续", "第一章\n第一条\n第一条之一\n第二条",
		"区司法局\n二〇二三年三月一日", "X政办〔2020〕20号", "（10分）每少一次扣0.5分", "牵头单位：（（（",
		"①②③④⑤", "十二．十三．", strings.Repeat("一、", 100), strings.Repeat("(", 100),
		"第一编 总则\n第一分编 通则\n第一章\n第一节 甲\n第一条 甲：\n（一）乙；\n1.丙。\n附　则\n第三条 丁",
		"目录\n第一章 总则\n附则\n第一章 总则\n第五条 甲\n第五条 乙\n第四条 丙", "附则\n第一条 甲\n附则",
	} {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(data)
		if err != nil {
			if res != nil {
				t.Fatal("a result with an error")
			}
		} else {
			checkResult(t, res)
		}
		if utf8.Valid(data) {
			checkResult(t, ParseText(string(data)))
		}
	})
}

// checkResult checks the invariants of a result.
func checkResult(t *testing.T, res *Result) {
	t.Helper()
	if res.Documents == nil || res.Warnings == nil {
		t.Fatal("nil documents or warnings")
	}
	n := utf8.RuneCountInString(res.Source)
	for _, w := range res.Warnings {
		if w.At < 0 || w.At > n || w.Message == "" || w.Kind == "" {
			t.Fatalf("warning %+v outside a source of %d runes", w, n)
		}
	}
	incomplete := 0
	for _, d := range res.Documents {
		if d.Nodes == nil {
			t.Fatal("nil nodes")
		}
		walk(d.Nodes, func(nd *Node) {
			if nd.Children == nil {
				t.Fatal("nil children")
			}
			// Only the unnumbered 附则 of a statute has no number.
			numbered := nd.N > 0 || nd.N == 0 && nd.Label == "附则"
			if nd.At < 0 || nd.At >= n || !numbered || nd.Label == "" || nd.Kind == "" || nd.Style == "" {
				t.Fatalf("node %+v", nd)
			}
			if nd.Incomplete {
				incomplete++
			}
		})
	}
	if incomplete > len(res.Documents) {
		t.Fatalf("%d incomplete nodes in %d documents", incomplete, len(res.Documents))
	}
	if _, err := json.Marshal(res); err != nil {
		t.Fatal(err)
	}
}

// FuzzDocxXML feeds the Word XML readers directly, since mutated zips
// rarely get past their checksums: document.xml and numbering.xml as
// given, styles.xml fixed.
func FuzzDocxXML(f *testing.F) {
	f.Add([]byte(`<w:document `+wordNS+`><w:body>`+np("1", "0", "总体要求")+np("1", "1", "完善清单。")+sp("Heading1", "总则")+`</w:body></w:document>`), []byte(`<w:numbering `+wordNS+`>`+numberingXML+`</w:numbering>`))
	f.Add([]byte(`<w:document `+wordNS+`><w:body><w:p><w:pPr><w:numPr><w:ilvl w:val="8"/><w:numId w:val="9"/></w:numPr></w:pPr></w:p></w:body></w:document>`),
		[]byte(`<w:numbering `+wordNS+`><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="8"><w:start w:val="-7"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%9%1%5"/></w:lvl></w:abstractNum><w:num w:numId="9"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="8"><w:startOverride w:val="9223372036854775807"/></w:lvlOverride></w:num></w:numbering>`))
	styles := parseStyles([]byte(`<w:styles ` + wordNS + `>` + stylesXML + `</w:styles>`))
	f.Fuzz(func(t *testing.T, document, numbering []byte) {
		paras, err := docxParagraphs(document, parseNumbering(numbering), styles)
		if err != nil {
			return
		}
		checkResult(t, ParseText(strings.Join(paras, "\n")))
	})
}
