package assess

import (
	"fmt"
	"strings"
	"testing"
)

// benchScheme builds a scheme the size of real ones, 10 level-1, 34
// level-2 and 104 level-3 indicators worth 100 points, the leaves cycling
// through the counted rules, plus a bonus, a penalty and a veto item; and a
// full sheet for it with a deduction and a bonus to explain.
func benchScheme(tb testing.TB) (*Scheme, Sheet) {
	s := &Scheme{Name: "基准指标体系", Version: 1, FullMarks: 100}
	sh := Sheet{Values: map[string]Input{}}
	leaf := 0
	for i := range 10 {
		l1 := &Indicator{Code: fmt.Sprintf("%d", i+1), Name: "一级指标", Max: 10}
		n2 := 3
		if i < 4 {
			n2 = 4 // 4×4 + 6×3 = 34
		}
		for j := range n2 {
			l2 := &Indicator{Code: fmt.Sprintf("%d.%d", i+1, j+1), Name: "二级指标"}
			n3 := 3
			if i == 0 && j < 2 {
				n3 = 4 // 32×3 + 2×4 = 104
			}
			for k := range n3 {
				leaf++
				l3 := &Indicator{Code: fmt.Sprintf("%d.%d.%d", i+1, j+1, k+1), Name: "三级指标", Max: 1}
				switch leaf % 4 {
				case 0:
					l3.Rule = Direct{Step: 0.5}
					sh.Values[l3.Code] = Input{Points: 0.5}
				case 1:
					l3.Rule = Deduction{PerOccurrence: 0.3, Cap: 0.6}
					sh.Values[l3.Code] = Input{Count: leaf % 3}
				case 2:
					l3.Rule = YesNo{}
					sh.Values[l3.Code] = Input{Yes: true}
				case 3:
					l3.Rule = Tiered{Levels: []Tier{{"完全达到", 1}, {"部分达到", 0.5}, {"未达到", 0}}}
					sh.Values[l3.Code] = Input{Tier: "部分达到"}
				}
				l2.Children = append(l2.Children, l3)
				l2.Max++
			}
			l1.Children = append(l1.Children, l2)
		}
		s.Roots = append(s.Roots, l1)
	}
	// Level-1 points follow their children; the roots add up to 104, so
	// the full marks do too.
	s.FullMarks = 0
	for _, l1 := range s.Roots {
		l1.Max = 0
		for _, l2 := range l1.Children {
			l1.Max += l2.Max
		}
		s.FullMarks += l1.Max
	}
	s.Roots = append(s.Roots,
		&Indicator{Code: "X1", Name: "加分", Rule: Bonus{Cap: 3}},
		&Indicator{Code: "X2", Name: "减分", Rule: Penalty{Cap: 3}},
		&Indicator{Code: "V1", Name: "一票否决", Rule: Veto{By: VetoByOffice}},
	)
	sh.Values["X1"] = Input{Points: 4}
	mustValid(tb, s)
	return s, sh
}

func TestBenchScheme(t *testing.T) {
	s, sh := benchScheme(t)
	counts := map[int]int{}
	s.Walk(func(ind, _ *Indicator, depth int) {
		if !ind.Extra() {
			counts[depth]++
		}
	})
	if counts[1] != 10 || counts[2] != 34 || counts[3] != 104 {
		t.Fatalf("levels %v, want 10/34/104", counts)
	}
	if _, err := Score(s, sh); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkScore scores one subject's sheet on a 10/34/104 scheme, with
// and without indicators marked not applicable.
func BenchmarkScore(b *testing.B) {
	s, sh := benchScheme(b)
	b.Run("all applicable", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Score(s, sh); err != nil {
				b.Fatal(err)
			}
		}
	})
	na := Sheet{Values: map[string]Input{}, NotApplicable: map[string]bool{"10": true}}
	for code, in := range sh.Values {
		if !strings.HasPrefix(code, "10.") {
			na.Values[code] = in
		}
	}
	b.Run("normalized", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Score(s, na); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCombineStage combines 20 raters' results for one subject on
// the same scheme.
func BenchmarkCombineStage(b *testing.B) {
	s, sh := benchScheme(b)
	results := make([]Result, 20)
	for i := range results {
		res, err := Score(s, sh)
		if err != nil {
			b.Fatal(err)
		}
		res.Total -= float64(i)
		results[i] = res
	}
	st := Stage{Kind: StagePanel, Combine: TrimmedMean, MinRaters: 5}
	b.ReportAllocs()
	for b.Loop() {
		CombineStage(s, st, results)
	}
}
