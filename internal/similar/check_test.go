package similar

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The fixtures: four honest reports of different units, a copy of the
// 教育局 report by the 青少年活动中心 with 32 edits (unit name, numbers, a few
// phrases), the year's work plan, which the 司法局 report quotes twice, and
// a list of stock phrases.
var honest = []string{"gongan", "jiaoyu", "sifa", "shichang"}

const copied, original = "qingshaonian", "jiaoyu"

func load(t testing.TB, name string) Doc {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	return Doc{ID: name, Text: string(b), Reference: name == "plan" || name == "stock"}
}

// reports returns the year's reports, honest and copied.
func reports(t testing.TB) []Doc {
	var ds []Doc
	for _, n := range append(honest, copied) {
		ds = append(ds, load(t, n))
	}
	return ds
}

// yearCorpus is what the office counts boilerplate in: the year's reports,
// the work plan and the stock phrases.
func yearCorpus(t testing.TB) []Doc {
	return append(reports(t), load(t, "plan"), load(t, "stock"))
}

// except returns docs without the one with ID id: a report is not compared
// with itself.
func except(docs []Doc, id string) []Doc {
	var out []Doc
	for _, d := range docs {
		if d.ID != id {
			out = append(out, d)
		}
	}
	return out
}

func find(ms []Match, id string) (Match, bool) {
	for _, m := range ms {
		if m.OtherID == id {
			return m, true
		}
	}
	return Match{}, false
}

// checkPassages verifies each passage against the texts as written: Text is
// the checked text's runes [Start, End), it starts and ends on content, and
// the other document's [OtherStart, OtherEnd) normalizes to the same runes.
func checkPassages(t *testing.T, text string, others []Doc, m Match, o Options) {
	t.Helper()
	var other Doc
	for _, d := range others {
		if d.ID == m.OtherID {
			other = d
		}
	}
	tr, or := []rune(text), []rune(other.Text)
	var used []Passage
	for _, p := range m.Passages {
		if p.OtherID != m.OtherID {
			t.Errorf("passage OtherID %q in match %q", p.OtherID, m.OtherID)
		}
		if p.Start < 0 || p.End > len(tr) || p.Start >= p.End {
			t.Fatalf("passage [%d,%d) outside text of %d runes", p.Start, p.End, len(tr))
		}
		if got := string(tr[p.Start:p.End]); got != p.Text {
			t.Errorf("Text %q, text[%d:%d] = %q", p.Text, p.Start, p.End, got)
		}
		n := Normalize(p.Text)
		if len(n) < o.MinPassage {
			t.Errorf("passage %q shorter than %d", p.Text, o.MinPassage)
		}
		if _, ok := fold(tr[p.Start]); !ok {
			t.Errorf("passage %q starts on %q", p.Text, tr[p.Start])
		}
		if _, ok := fold(tr[p.End-1]); !ok {
			t.Errorf("passage %q ends on %q", p.Text, tr[p.End-1])
		}
		if got := string(Normalize(string(or[p.OtherStart:p.OtherEnd]))); got != string(n) {
			t.Errorf("other[%d:%d] normalizes to %q, passage to %q", p.OtherStart, p.OtherEnd, got, string(n))
		}
		for _, q := range used {
			if p.Start < q.End && q.Start < p.End {
				t.Errorf("passages %q and %q overlap", p.Text, q.Text)
			}
		}
		used = append(used, p)
	}
	for i := 1; i < len(m.Passages); i++ {
		if len(Normalize(m.Passages[i].Text)) > len(Normalize(m.Passages[i-1].Text)) {
			t.Errorf("passages not longest first at %d", i)
		}
	}
}

// covered returns the share of text's normalized runes inside passages.
func covered(text string, ps []Passage) float64 {
	var n int
	for _, p := range ps {
		n += len(Normalize(p.Text))
	}
	return float64(n) / float64(len(Normalize(text)))
}

func TestCheck_CopyIsFlagged(t *testing.T) {
	o := DefaultOptions()
	rs := reports(t)
	cp := load(t, copied)
	others := append(except(rs, copied), load(t, "plan"))
	ms := Check(cp.Text, others, yearCorpus(t), o)
	if len(ms) == 0 || ms[0].OtherID != original {
		t.Fatalf("top match = %+v, want %s", ms, original)
	}
	m := ms[0]
	t.Logf("%s vs %s: similarity %.3f, %d passages covering %.0f%%", copied, original, m.Similarity, len(m.Passages), 100*covered(cp.Text, m.Passages))
	if !m.Flagged(o) || m.Similarity < 0.6 {
		t.Errorf("similarity %.3f, flagged %v; want ≥ 0.6 and flagged", m.Similarity, m.Flagged(o))
	}
	if c := covered(cp.Text, m.Passages); c < 0.6 {
		t.Errorf("passages cover %.2f of the copy, want ≥ 0.6", c)
	}
	checkPassages(t, cp.Text, others, m, o)
	// The copied paragraph on legal vice-principals is one passage, with
	// its stock phrases inside.
	want := "全部配备法治副校长，实现法治副校长聘任全覆盖，其中由政法干警担任的有"
	var found bool
	for _, p := range m.Passages {
		found = found || strings.Contains(p.Text, want)
	}
	if !found {
		t.Errorf("no passage contains %q", want)
	}
	for _, m := range ms[1:] {
		if m.Flagged(o) {
			t.Errorf("%s vs %s flagged at %.3f", copied, m.OtherID, m.Similarity)
		}
	}

	// And the other way round: the original is flagged against the copy.
	jy := load(t, original)
	ms = Check(jy.Text, except(rs, original), yearCorpus(t), o)
	if len(ms) == 0 || ms[0].OtherID != copied || !ms[0].Flagged(o) {
		t.Fatalf("%s: top match %+v, want %s flagged", original, ms, copied)
	}
	t.Logf("%s vs %s: similarity %.3f", original, copied, ms[0].Similarity)
}

func TestCheck_HonestReportsNotFlagged(t *testing.T) {
	rs := reports(t)
	for _, tc := range []struct {
		name        string
		corpus      []Doc
		boilerplate int
		max         float64
		passages    bool // whether honest pairs may share passages
	}{
		// The first report of the year: nothing known about boilerplate.
		// The shared stock sentences show as passages but weigh little.
		{"no corpus", nil, 5, 0.1, true},
		// The stock phrase list removes the stock sentences.
		{"year corpus", yearCorpus(t), 5, 0.04, false},
		// With enough reports in the corpus, document frequency removes
		// what the list missed (the title line, the leading group).
		{"year corpus, low boilerplate threshold", yearCorpus(t), 2, 0.015, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions()
			o.BoilerplateDocs = tc.boilerplate
			for _, a := range honest {
				d := load(t, a)
				for _, m := range Check(d.Text, except(rs, a), tc.corpus, o) {
					if m.OtherID == copied && a == original {
						continue
					}
					t.Logf("%s vs %s: %.3f, %d passages", a, m.OtherID, m.Similarity, len(m.Passages))
					if m.Flagged(o) || m.Similarity > tc.max {
						t.Errorf("%s vs %s: similarity %.3f, want ≤ %.3f and not flagged", a, m.OtherID, m.Similarity, tc.max)
					}
					if !tc.passages && len(m.Passages) > 0 {
						t.Errorf("%s vs %s: passages %q", a, m.OtherID, m.Passages[0].Text)
					}
				}
			}
		})
	}
	// The copy is still flagged at the low threshold: a text shared by two
	// reports is not boilerplate just because they share it.
	o := DefaultOptions()
	o.BoilerplateDocs = 2
	cp := load(t, copied)
	ms := Check(cp.Text, except(rs, copied), yearCorpus(t), o)
	if len(ms) == 0 || ms[0].OtherID != original || !ms[0].Flagged(o) {
		t.Errorf("copy at BoilerplateDocs 2: %+v", ms)
	}
}

func TestCheck_WorkPlanQuotes(t *testing.T) {
	o := DefaultOptions()
	sf, plan := load(t, "sifa"), load(t, "plan")
	others := append(except(reports(t), "sifa"), plan)
	ms := Check(sf.Text, others, yearCorpus(t), o)
	m, ok := find(ms, "plan")
	if !ok {
		t.Fatalf("no match against the plan: %+v", ms)
	}
	t.Logf("sifa vs plan: similarity %.3f", m.Similarity)
	if !m.Reference || m.Flagged(o) {
		t.Errorf("plan match: Reference %v, flagged %v; want a reference, not flagged", m.Reference, m.Flagged(o))
	}
	if m.Similarity >= o.Flag {
		t.Errorf("plan match similarity %.3f ≥ flag", m.Similarity)
	}
	checkPassages(t, sf.Text, others, m, o)
	quotes := []string{
		"全面推行国家机关‘谁执法谁普法’履职报告评议制度，年底前完成对各成员单位履职情况的评议",
		"加强基层法治文化阵地建设，每个街道至少建成一个法治文化主题公园或法治广场",
	}
	if len(m.Passages) != len(quotes) {
		t.Fatalf("passages %+v, want the two quotes", m.Passages)
	}
	for i, q := range quotes {
		if m.Passages[i].Text != q {
			t.Errorf("passage %d = %q, want %q", i, m.Passages[i].Text, q)
		}
	}
	for _, m := range ms {
		if m.Flagged(o) {
			t.Errorf("sifa vs %s flagged at %.3f", m.OtherID, m.Similarity)
		}
	}
}

// Two reports quoting the same sentences of the plan, each in its own
// words, have not copied each other: with the plan known, the quotes are
// not text shared between them.
func TestCheck_SharedQuotesAreNotCopying(t *testing.T) {
	o := DefaultOptions()
	q1 := "各执法单位要在执法办案过程中加强以案释法，每季度至少向区普法办报送一件典型案例"
	q2 := "各成员单位要把普法责任清单落实情况纳入年度绩效考核，考核结果作为评先评优的重要依据"
	a, b := load(t, "gongan"), load(t, "shichang")
	a.Text += "分局对照工作要点“" + q1 + "”的规定，由法制大队按季度汇总报送。工作要点同时提出，“" + q2 + "”。分局已将其写入所队考核细则。"
	b.Text += "按照“" + q1 + "”和“" + q2 + "”的要求，我局法规科负责案例报送，人事科负责考核结果运用。"
	plan := load(t, "plan")

	// Without the plan the quotes look like copying.
	m, ok := find(Check(a.Text, []Doc{b}, nil, o), b.ID)
	if !ok || len(m.Passages) < 2 {
		t.Fatalf("without the plan: %+v, want the quotes as passages", m)
	}
	before := m.Similarity

	for _, tc := range []struct {
		name           string
		others, corpus []Doc
	}{
		{"plan among others", []Doc{b, plan}, nil},
		{"plan in corpus", []Doc{b, plan}, []Doc{a, b, plan}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms := Check(a.Text, tc.others, tc.corpus, o)
			m, _ := find(ms, b.ID)
			for _, p := range m.Passages {
				if strings.Contains(p.Text, q1[:30]) || strings.Contains(p.Text, q2[:30]) {
					t.Errorf("quote shown as shared between the reports: %q", p.Text)
				}
			}
			if m.Similarity >= before {
				t.Errorf("similarity %.3f, not below %.3f without the plan", m.Similarity, before)
			}
			p, ok := find(ms, plan.ID)
			if !ok || !p.Reference {
				t.Fatalf("no reference match against the plan: %+v", ms)
			}
			checkPassages(t, a.Text, tc.others, p, o)
			for _, q := range []string{q1, q2} {
				var found bool
				for _, ps := range p.Passages {
					found = found || strings.Contains(ps.Text, q)
				}
				if !found {
					t.Errorf("quote %q not among the plan passages", q)
				}
			}
		})
	}
}

func TestCheck_SelfIsOne(t *testing.T) {
	o := DefaultOptions()
	for _, d := range append(reports(t), load(t, "plan")) {
		for _, corpus := range [][]Doc{nil, yearCorpus(t)} {
			self := Doc{ID: "self", Text: d.Text}
			ms := Check(d.Text, []Doc{self}, corpus, o)
			if len(ms) != 1 || ms[0].Similarity != 1 {
				t.Errorf("%s against itself (corpus %d docs): %+v", d.ID, len(corpus), ms)
				continue
			}
			checkPassages(t, d.Text, []Doc{self}, ms[0], o)
		}
	}
}

func TestCheck_Edges(t *testing.T) {
	o := DefaultOptions()
	if ms := Check("", []Doc{{ID: "a", Text: "宪法宣传周"}}, nil, o); ms != nil {
		t.Errorf("empty text: %+v", ms)
	}
	if ms := Check("宪法宣传周", []Doc{{ID: "a", Text: "宪法宣传周"}}, nil, o); ms != nil {
		t.Errorf("text shorter than a shingle: %+v", ms)
	}
	if ms := Check("深入开展民主法治示范村创建工作", nil, nil, o); ms != nil {
		t.Errorf("no others: %+v", ms)
	}
	// A repetitive text does not blow up and still matches itself.
	rep := strings.Repeat("普法", 3000)
	ms := Check(rep, []Doc{{ID: "a", Text: rep}}, nil, o)
	if len(ms) != 1 || ms[0].Similarity != 1 {
		t.Errorf("repetitive text: %+v", ms)
	}
	// Zero options fall back to the defaults.
	jy := load(t, original)
	if ms := Check(jy.Text, []Doc{load(t, copied)}, nil, Options{Flag: 0.3}); len(ms) != 1 || !ms[0].Flagged(o) {
		t.Errorf("zero options: %+v", ms)
	}
}

func TestIndex_Common(t *testing.T) {
	ix := NewIndex(10, reports(t))
	if ix.Len() != 5 || ix.K() != 10 {
		t.Fatalf("Len %d, K %d", ix.Len(), ix.K())
	}
	common := ix.Common(4)
	stock := Shingles(10, "坚持以习近平新时代中国特色社会主义思想为指导，深入学习宣传贯彻习近平法治思想")
	for _, h := range stock {
		if _, ok := common[h]; !ok {
			t.Errorf("stock shingle %x not common (in %d docs)", h, ix.DocFreq(h))
		}
	}
	own := Shingles(10, "反诈中心民警深入辖区142家企业")
	for _, h := range own {
		if _, ok := common[h]; ok || ix.DocFreq(h) != 1 {
			t.Errorf("own shingle %x in %d docs", h, ix.DocFreq(h))
		}
	}
	// The copy and its original share most of their shingles: common to 2.
	pair := Shingles(10, "全部配备法治副校长，实现法治副校长聘任全覆盖")
	for _, h := range pair {
		if ix.DocFreq(h) != 2 {
			t.Errorf("copied shingle %x in %d docs, want 2", h, ix.DocFreq(h))
		}
	}
}

// TestPure checks the package stays a pure engine.
func TestPure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Skipf("go list: %v\n%s", err, out)
	}
	for _, d := range strings.Fields(string(out)) {
		if d == "net/http" || d == "database/sql" || strings.HasPrefix(d, "pufa/internal/store") || strings.HasPrefix(d, "pufa/internal/web") {
			t.Errorf("depends on %s", d)
		}
	}
}

func FuzzCheck(f *testing.F) {
	jy, cp := load(f, original), load(f, copied)
	f.Add(jy.Text[:600], cp.Text[:900])
	f.Add("一、普法责任制机制建设。局党组将普法工作纳入年度工作要点", "局党组将普法工作纳入年度工作要点，与中心工作同部署")
	f.Add(strings.Repeat("普法", 50), strings.Repeat("法普", 50))
	f.Fuzz(func(t *testing.T, text, other string) {
		o := DefaultOptions()
		others := []Doc{{ID: "o", Text: other}}
		for _, m := range Check(text, others, others, o) {
			if m.Similarity <= 0 || m.Similarity > 1 {
				t.Fatalf("similarity %v", m.Similarity)
			}
			checkPassages(t, text, others, m, o)
		}
		if len(Normalize(text)) >= o.K {
			self := []Doc{{ID: "s", Text: text}}
			ms := Check(text, self, nil, o)
			if len(ms) != 1 || ms[0].Similarity != 1 {
				t.Fatalf("self: %+v", ms)
			}
		}
	})
}
