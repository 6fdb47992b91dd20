package outline

import (
	"strconv"
	"strings"
	"testing"
)

// pageRunes is about what one printed page of a 工作要点 holds.
const pageRunes = 900

// syntheticPlan builds a work plan of about pages pages the way a
// document-sharing site serves it: a chrome line, then one line per page
// starting with its page marker wherever the page happens to break. The
// sections and items reuse the seed plan's real item texts, numbered on
// across sections as the seed numbers them. It returns the text and the
// number of items in it.
func syntheticPlan(t testing.TB, pages int) (string, int) {
	t.Helper()
	res, err := Parse(seed(t))
	if err != nil {
		t.Fatal(err)
	}
	var sections []*Node
	var bodies []string
	for _, sec := range res.Documents[1].Nodes {
		sections = append(sections, sec)
		for _, it := range sec.Children {
			if !it.Incomplete {
				bodies = append(bodies, it.Text)
			}
		}
	}
	var b strings.Builder
	b.WriteString("2023年全区普法依法治理工作要点")
	b.WriteString(res.Documents[1].Preamble)
	// Sections of six subsections of fifteen items, the items numbered
	// on through the whole plan.
	items, runes := 0, 0
	for s := 1; runes < pages*pageRunes; s++ {
		sec := cnNumber(s) + "、" + sections[s%len(sections)].Title
		b.WriteString(sec)
		runes += len([]rune(sec))
		for sub := 1; sub <= 6; sub++ {
			h := "（" + cnNumber(sub) + "）" + sections[(s+sub)%len(sections)].Children[0].Title
			b.WriteString(h)
			runes += len([]rune(h))
			for k := 0; k < 15; k++ {
				items++
				it := strconv.Itoa(items) + " ." + bodies[items%len(bodies)]
				b.WriteString(it)
				runes += len([]rune(it))
			}
		}
	}
	text := []rune(b.String())
	var out strings.Builder
	out.WriteString("《2023年全区普法依法治理工作要点.docx》由会员分享,可在线阅读,更多相关请在文库网上搜索。\n")
	for p := 0; p*pageRunes < len(text); p++ {
		if p > 0 {
			out.WriteByte('\n')
		}
		out.WriteString(strconv.Itoa(p+1) + "、")
		out.WriteString(string(text[p*pageRunes : min(len(text), (p+1)*pageRunes)]))
	}
	return out.String(), items
}

// BenchmarkParse300Pages outlines a 300-page scraped work plan (about
// 270,000 characters, 24 sections, 144 subsections, 2,160 items, 300 page
// markers). The target is "well under a second" per document: an import
// is interactive, so the office must not wait on the engine. It records
// the figure; it asserts no timing.
func BenchmarkParse300Pages(b *testing.B) {
	text, items := syntheticPlan(b, 300)
	data := []byte(text)
	res, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	got := 0
	walk(res.Documents[0].Nodes, func(n *Node) {
		if n.Kind == KindItem {
			got++
		}
	})
	if got != items || len(res.Documents) != 1 {
		b.Fatalf("synthetic plan: %d documents, %d items found, %d written", len(res.Documents), got, items)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseDocx300Pages outlines the same plan as a .docx with one
// paragraph per item, automatic numbering off.
func BenchmarkParseDocx300Pages(b *testing.B) {
	text, _ := syntheticPlan(b, 300)
	res := ParseText(text)
	var body strings.Builder
	body.WriteString(p(res.Documents[0].Title))
	for _, sec := range res.Documents[0].Nodes {
		body.WriteString(p(sec.Label + "、" + sec.Text))
		for _, sub := range sec.Children {
			body.WriteString(p("（" + sub.Label + "）" + sub.Text))
			for _, it := range sub.Children {
				body.WriteString(p(it.Label + "." + it.Text))
			}
		}
	}
	data := docx(b, body.String(), "", "")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
