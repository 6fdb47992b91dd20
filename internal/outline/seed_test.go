package outline

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// seed reads the copy of the scraped seed document.
func seed(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestSeed checks the engine on the real scraped text: a district speech
// and the national 2023 work plan glued together, with page markers in
// mid-sentence, numbering written "1 ." and a bare "7", and OCR swaps.
func TestSeed(t *testing.T) {
	res, err := Parse(seed(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 2 {
		t.Fatalf("got %d documents, want the speech and the work plan", len(res.Documents))
	}
	speech, plan := res.Documents[0], res.Documents[1]
	if speech.Title != "在2023年全区推动普法宣传专题会议上的讲话" || plan.Title != "2023年全国普法依法治理工作要点" {
		t.Errorf("titles %q, %q", speech.Title, plan.Title)
	}
	if !strings.HasPrefix(speech.Preamble, "同志们,今天我们组织召开") || !strings.HasPrefix(plan.Preamble, "2023年是全面贯彻落实") {
		t.Errorf("preambles start %q, %q", speech.Preamble[:30], plan.Preamble[:30])
	}

	// The speech: four sections with 3+4+3+3 一是 points.
	var points []int
	for i, sec := range speech.Nodes {
		if sec.Kind != KindSection || sec.Style != StyleCN || sec.N != i+1 {
			t.Errorf("speech section %d: %s %s %d", i+1, sec.Kind, sec.Style, sec.N)
		}
		for j, pt := range sec.Children {
			if pt.Kind != KindPoint || pt.Style != StyleCNShi || pt.N != j+1 || len(pt.Children) != 0 {
				t.Errorf("speech %d point %d: %s %s %d", i+1, j+1, pt.Kind, pt.Style, pt.N)
			}
		}
		points = append(points, len(sec.Children))
	}
	if diff := cmp.Diff([]int{3, 4, 3, 3}, points); diff != "" {
		t.Errorf("speech points per section (-want +got):\n%s", diff)
	}
	if got := speech.Nodes[2].Children[0].Title; got != "要将宣传工作摆放到应有高度" {
		t.Errorf("a point split by a page marker has title %q", got)
	}

	// The plan: five sections with 3/5/4/2/5 items numbered 1–19.
	var items []int
	n := 0
	var last *Node
	for i, sec := range plan.Nodes {
		if sec.Kind != KindSection || sec.Style != StyleCN || sec.N != i+1 {
			t.Errorf("plan section %d: %s %s %d", i+1, sec.Kind, sec.Style, sec.N)
		}
		for _, it := range sec.Children {
			n++
			if it.Kind != KindItem || it.Style != StyleArabic || it.N != n || it.Label != strconv.Itoa(n) {
				t.Errorf("plan item %d: %s %s n=%d label=%q", n, it.Kind, it.Style, it.N, it.Label)
			}
			if it.Incomplete != (n == 19) {
				t.Errorf("item %d incomplete = %v", n, it.Incomplete)
			}
			last = it
		}
		items = append(items, len(sec.Children))
	}
	if diff := cmp.Diff([]int{3, 5, 4, 2, 5}, items); diff != "" {
		t.Errorf("plan items per section (-want +got):\n%s", diff)
	}
	if last == nil || last.N != 19 || last.Title != "加强全民普法理论研究和" {
		t.Errorf("last item %+v", last)
	}
	wantTitles := map[int]string{
		1:  "把思想和行动统一到党的二十大精神上来",
		7:  "加强国家安全法治宣传教育",             // written "7加强…", a bare number
		13: "组织开展“全国守法普法示范市(县、区)”创建活动", // a page marker sat inside (县、⏎15、区)
		14: "深化“全国民主法治示范村(社区)”创建",      // its text holds 创建20周年, not item 20
	}
	sections := []string{
		"全面学习、全面把握、全面落实党的二十大精神,深入学习宣传贯彻习近平法治思想",
		"紧紧围绕党和国家工作大局开展法治宣传教育,增强全民法治观念",
		"推进社会主义法治文化建设,弘扬社会主义法治精神",
		"深入推进基层依法治理,提升社会治理法治化水平",
		"做好中期评估工作,推动“八五”普法规划进一步落实",
	}
	for i, sec := range plan.Nodes {
		if sec.Title != sections[i] {
			t.Errorf("section %d title %q, want %q", i+1, sec.Title, sections[i])
		}
		for _, it := range sec.Children {
			if w, ok := wantTitles[it.N]; ok && it.Title != w {
				t.Errorf("item %d title %q, want %q", it.N, it.Title, w)
			}
		}
	}
	if !strings.Contains(plan.Nodes[1].Children[3].Text, "组织开展“415”全民国家安全教育日") {
		t.Errorf("item 7 text: the marker inside “⏎13、415” was not removed: %q", plan.Nodes[1].Children[3].Text)
	}

	// No page marker is left in any title or text.
	marker := regexp.MustCompile(`(^|[^0-9])(1[0-6]|[1-9])、`)
	for _, doc := range res.Documents {
		walk(doc.Nodes, func(nd *Node) {
			if marker.MatchString(nd.Title) || strings.Contains(nd.Text, "\n") {
				t.Errorf("node %s %q: title %q has a page marker or a line break", nd.Kind, nd.Label, nd.Title)
			}
		})
	}

	// Warnings: one per page marker (16), one per OCR swap, the cut-off
	// end, and nothing else.
	src := []rune(res.Source)
	var pages, ocr, truncated int
	for _, w := range res.Warnings {
		switch w.Kind {
		case WarnPageMarker:
			pages++
			if want := strconv.Itoa(pages) + "、"; string(src[w.At:w.At+len([]rune(want))]) != want {
				t.Errorf("page marker warning %d at %d points at %q", pages, w.At, string(src[w.At:w.At+3]))
			}
		case WarnOCR:
			ocr++
			if got := string(src[w.At : w.At+2]); got != "阵她" && got != "性她" {
				t.Errorf("OCR warning at %d points at %q", w.At, got)
			}
		case WarnTruncated:
			truncated++
		default:
			t.Errorf("unexpected warning %+v", w)
		}
	}
	if pages != 16 || ocr != strings.Count(res.Source, "阵她")+strings.Count(res.Source, "性她") || ocr != 5 || truncated != 1 {
		t.Errorf("warnings: %d page markers, %d OCR, %d truncated; want 16, 5, 1", pages, ocr, truncated)
	}
}

// walk calls f for every node, depth first.
func walk(nodes []*Node, f func(*Node)) {
	for _, n := range nodes {
		f(n)
		walk(n.Children, f)
	}
}

// TestSeedJSON checks the JSON contract on the seed: children and
// warnings always present, omitted fields absent, incomplete only where
// true.
func TestSeedJSON(t *testing.T) {
	res, err := Parse(seed(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var generic struct {
		Documents []map[string]any `json:"documents"`
		Warnings  []map[string]any `json:"warnings"`
	}
	if err := json.Unmarshal(b, &generic); err != nil {
		t.Fatal(err)
	}
	if len(generic.Warnings) == 0 {
		t.Error("no warnings")
	}
	for _, w := range generic.Warnings {
		if _, ok := w["at"].(float64); !ok || w["kind"] == "" || w["message"] == "" {
			t.Errorf("warning %v", w)
		}
	}
	incomplete := 0
	var check func(nodes []any)
	check = func(nodes []any) {
		for _, x := range nodes {
			nd := x.(map[string]any)
			children, ok := nd["children"].([]any)
			if !ok {
				t.Errorf("node %v has no children array", nd["label"])
			}
			for _, k := range []string{"kind", "n", "label", "style", "title", "text"} {
				if _, ok := nd[k]; !ok {
					t.Errorf("node %v lacks %s", nd["label"], k)
				}
			}
			for _, k := range []string{"points", "rules", "units", "lead_units", "co_units", "deadline"} {
				if _, ok := nd[k]; ok {
					t.Errorf("node %v has %s, which the seed does not state", nd["label"], k)
				}
			}
			if v, ok := nd["incomplete"]; ok {
				incomplete++
				if v != true {
					t.Errorf("incomplete = %v", v)
				}
			}
			check(children)
		}
	}
	for _, d := range generic.Documents {
		if _, ok := d["nodes"].([]any); !ok {
			t.Fatal("document without nodes")
		}
		for _, k := range []string{"issuer", "doc_number", "date"} {
			if _, ok := d[k]; ok {
				t.Errorf("document has %s, which the seed does not state", k)
			}
		}
		check(d["nodes"].([]any))
	}
	if incomplete != 1 {
		t.Errorf("%d nodes carry incomplete, want 1", incomplete)
	}
}
