package assess

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"pufa/internal/app"
)

// demoScheme is a small three-level scheme with every rule kind, its
// numbers taken from real 履职评议 schemes: 100 points in three areas, an
// 附加分 heading with ±3 items, and two veto items.
func demoScheme() *Scheme {
	return &Scheme{
		Name: "2023年度普法责任制履职评议指标", Version: 1, FullMarks: 100,
		Roots: []*Indicator{
			{Code: "A", Name: "机制建设", Max: 20, Children: []*Indicator{
				{Code: "A1", Name: "组织领导", Max: 10, Children: []*Indicator{
					{Code: "A1.1", Name: "成立普法工作领导小组", Max: 4, Rule: YesNo{}},
					{Code: "A1.2", Name: "党委理论学习中心组学法", Max: 2, Rule: Deduction{PerOccurrence: 0.3, Cap: 1.2},
						Guidance: "每年不少于4次，每少一次扣0.3分，累计扣分不超过1.2分"},
					{Code: "A1.3", Name: "制定年度普法计划", Max: 4, Rule: Direct{Step: 0.5}, EvidenceRequired: true},
				}},
				{Code: "A2", Name: "普法责任清单", Max: 10, Children: []*Indicator{
					{Code: "A2.1", Name: "清单按时公开", Max: 3, Rule: Tiered{Levels: []Tier{
						{"完全达到", 3}, {"部分达到", 2}, {"未达到", 0}}}},
					{Code: "A2.2", Name: "清单落实情况", Max: 7, Rule: Direct{}},
				}},
			}},
			{Code: "B", Name: "社会普法宣传", Max: 50, Children: []*Indicator{
				{Code: "B1", Name: "主题活动", Max: 30, Rule: Direct{Step: 0.5}},
				{Code: "B2", Name: "以案释法", Max: 20, Rule: Direct{}},
			}},
			{Code: "C", Name: "普法实效", Max: 30, Children: []*Indicator{
				{Code: "C1", Name: "群众满意度", Max: 30, Rule: Direct{}},
			}},
			{Code: "X", Name: "附加分", Children: []*Indicator{
				{Code: "X1", Name: "获得省级以上表彰", Rule: Bonus{Cap: 3}},
				{Code: "X2", Name: "被上级通报批评", Rule: Penalty{Cap: 3}},
			}},
			{Code: "V1", Name: "发生重大违法违纪案件", Rule: Veto{By: VetoByOffice}},
			{Code: "V2", Name: "未开展普法责任制工作", Rule: Veto{By: VetoByMajority}},
		},
	}
}

// fullSheet is a sheet for demoScheme scoring every indicator in full.
func fullSheet() Sheet {
	return Sheet{Values: map[string]Input{
		"A1.1": {Yes: true},
		"A1.3": {Points: 4},
		"A2.1": {Tier: "完全达到"},
		"A2.2": {Points: 7},
		"B1":   {Points: 30},
		"B2":   {Points: 20},
		"C1":   {Points: 30},
	}}
}

// mustValid validates s or fails the test.
func mustValid(t testing.TB, s *Scheme) *Scheme {
	t.Helper()
	if err := s.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	return s
}

// invalidField returns the Field of err, failing unless err is EINVALID.
func invalidField(t testing.TB, err error) string {
	t.Helper()
	var e *app.Error
	if !errors.As(err, &e) || e.Code != app.EINVALID {
		t.Fatalf("got error %v, want an EINVALID app.Error", err)
	}
	return e.Field
}

// genScheme builds a random valid scheme: up to three levels, every rule
// kind, points in tenths so sums carry floating-point noise, full marks
// usually 100.
func genScheme(r *rand.Rand) *Scheme {
	full := 1000
	if r.IntN(4) == 0 {
		full = 10 + r.IntN(2000)
	}
	g := &gen{r: r}
	s := &Scheme{Name: "随机指标体系", Version: 1, FullMarks: float64(full) / 10}
	s.Roots = g.children(full, 1)
	if r.IntN(3) == 0 {
		s.BonusCap = float64(1 + r.IntN(5))
	}
	if r.IntN(2) == 0 {
		s.Roots = append(s.Roots, g.extra())
	}
	return s
}

// gen numbers the indicators it makes.
type gen struct {
	r *rand.Rand
	n int
}

func (g *gen) code() string { g.n++; return fmt.Sprintf("I%d", g.n) }

// children splits tenths points among one to four counted siblings, with
// now and then an extra item beside them.
func (g *gen) children(tenths, depth int) []*Indicator {
	k := 1 + g.r.IntN(4)
	parts := make([]int, k)
	left := tenths
	for i := range k - 1 {
		parts[i] = g.r.IntN(left + 1)
		left -= parts[i]
	}
	parts[k-1] = left
	var out []*Indicator
	for _, p := range parts {
		ind := &Indicator{Code: g.code(), Name: "指标", Max: float64(p) / 10}
		if depth < 3 && g.r.IntN(5) < 2 {
			ind.Children = g.children(p, depth+1)
		} else {
			ind.Rule = g.rule(p)
		}
		out = append(out, ind)
	}
	if g.r.IntN(5) == 0 {
		out = append(out, g.extra())
	}
	return out
}

// rule returns a random counted rule that fits max tenths.
func (g *gen) rule(tenths int) Rule {
	max := float64(tenths) / 10
	switch g.r.IntN(4) {
	case 0:
		steps := []float64{0, 0.1}
		if tenths%5 == 0 {
			steps = append(steps, 0.5)
		}
		return Direct{Step: steps[g.r.IntN(len(steps))]}
	case 1:
		var capv float64
		if g.r.IntN(2) == 0 {
			capv = float64(g.r.IntN(tenths+1)) / 10
		}
		return Deduction{PerOccurrence: float64(1+g.r.IntN(20)) / 10, Cap: capv}
	case 2:
		return YesNo{}
	}
	n := 1 + g.r.IntN(4)
	levels := make([]Tier, n)
	for i := range levels {
		levels[i] = Tier{Label: fmt.Sprintf("第%d档", i+1), Points: math.Round(g.r.Float64()*max*10) / 10}
	}
	return Tiered{Levels: levels}
}

// extra returns a random bonus, penalty or veto item.
func (g *gen) extra() *Indicator {
	ind := &Indicator{Code: g.code(), Name: "附加"}
	switch g.r.IntN(4) {
	case 0:
		ind.Rule = Bonus{Cap: float64(1 + g.r.IntN(5))}
	case 1:
		ind.Rule = Penalty{Cap: float64(1 + g.r.IntN(5))}
	case 2:
		ind.Rule = Veto{By: VetoByOffice}
	default:
		ind.Rule = Veto{By: VetoByMajority, Stage: []StageKind{"", StagePanel, StageSite}[g.r.IntN(3)]}
	}
	return ind
}

// genSheet fills a random valid sheet for s: each leaf gets an entry its
// rule accepts (deduction, bonus, penalty and veto entries are sometimes
// left out), and now and then an indicator is marked not applicable.
func genSheet(r *rand.Rand, s *Scheme) Sheet {
	sh := Sheet{Values: map[string]Input{}, NotApplicable: map[string]bool{}}
	var fill func(list []*Indicator, na bool)
	fill = func(list []*Indicator, na bool) {
		for _, ind := range list {
			mark := !na && r.IntN(12) == 0
			if mark {
				sh.NotApplicable[ind.Code] = true
			} else if !na && r.IntN(30) == 0 {
				sh.NotApplicable[ind.Code] = false // listed, still applicable
			}
			if len(ind.Children) > 0 {
				fill(ind.Children, na || mark)
				continue
			}
			if na || mark {
				continue
			}
			if in, ok := genInput(r, ind); ok {
				sh.Values[ind.Code] = in
			}
		}
	}
	fill(s.Roots, false)
	return sh
}

// genInput returns a random valid input for a leaf, or false to leave the
// entry out where the rule allows.
func genInput(r *rand.Rand, ind *Indicator) (Input, bool) {
	switch rule := deref(ind.Rule).(type) {
	case Direct:
		if rule.Step > 0 {
			n := int(math.Floor(ind.Max/rule.Step + 1e-9))
			return Input{Points: float64(r.IntN(n+1)) * rule.Step}, true
		}
		return Input{Points: r.Float64() * ind.Max}, true
	case Deduction:
		return Input{Count: r.IntN(12)}, r.IntN(4) != 0
	case YesNo:
		return Input{Yes: r.IntN(2) == 0}, true
	case Tiered:
		return Input{Tier: rule.Levels[r.IntN(len(rule.Levels))].Label}, true
	case Bonus:
		return Input{Points: r.Float64() * 2 * rule.Cap}, r.IntN(3) != 0
	case Penalty:
		return Input{Points: (r.Float64()*4 - 2) * rule.Cap}, r.IntN(3) != 0
	case Veto:
		return Input{Failed: r.IntN(8) == 0}, r.IntN(2) == 0
	}
	return Input{}, false
}

// checkResult checks the invariants every scored sheet keeps.
func checkResult(t testing.TB, s *Scheme, sh Sheet, res Result) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf(format, args...)
	}
	bonusCap := 0.0
	s.Walk(func(ind, _ *Indicator, _ int) {
		v, ok := res.Scores[ind.Code]
		rule := deref(ind.Rule)
		if b, isBonus := rule.(Bonus); isBonus {
			bonusCap += b.Cap
		}
		if !ok {
			return
		}
		if math.IsNaN(v) {
			fail("%s: NaN score", ind.Code)
		}
		switch rule := rule.(type) {
		case Bonus:
			if v < 0 || v > rule.Cap {
				fail("%s: bonus %v outside 0..%v", ind.Code, v, rule.Cap)
			}
		case Penalty:
			if v > 0 || v < -rule.Cap {
				fail("%s: penalty %v outside -%v..0", ind.Code, v, rule.Cap)
			}
		case Veto:
			fail("%s: a veto item has a score", ind.Code)
		default:
			if v < 0 || v > ind.Max {
				fail("%s: score %v outside 0..%v", ind.Code, v, ind.Max)
			}
		}
		if len(ind.Children) > 0 {
			var sum float64
			for _, c := range ind.Children {
				if !c.Extra() {
					sum += res.Scores[c.Code]
				}
			}
			if want := math.Min(round(sum), ind.Max); v != want {
				fail("%s: parent score %v, children sum to %v", ind.Code, v, sum)
			}
		}
	})
	if s.BonusCap > 0 {
		bonusCap = s.BonusCap
		if math.Abs(res.Bonus) > s.BonusCap {
			fail("net bonus %v beyond ±%v", res.Bonus, s.BonusCap)
		}
	}
	if res.Base < 0 || res.Base > res.ApplicableMax+1e-6 {
		fail("base %v outside 0..%v", res.Base, res.ApplicableMax)
	}
	if res.Normalized < 0 || res.Normalized > s.FullMarks {
		fail("normalized %v outside 0..%v", res.Normalized, s.FullMarks)
	}
	if res.Total < 0 || res.Total > s.FullMarks+bonusCap {
		fail("total %v outside 0..%v", res.Total, s.FullMarks+bonusCap)
	}
	applicable := true
	for _, na := range sh.NotApplicable {
		applicable = applicable && !na
	}
	if applicable && res.Normalized != res.Base {
		fail("a fully applicable sheet was normalized: base %v, normalized %v", res.Base, res.Normalized)
	}
	if !applicable && math.Abs(res.Normalized-math.Min(res.Base*s.FullMarks/res.ApplicableMax, s.FullMarks)) > 1e-5 {
		fail("normalized %v, want %v × %v / %v", res.Normalized, res.Base, s.FullMarks, res.ApplicableMax)
	}
	if len(res.Explanation) == 0 {
		fail("no explanation")
	}
}
