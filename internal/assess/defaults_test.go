package assess

import "testing"

func TestDutyReviewScheme(t *testing.T) {
	s := DutyReviewScheme()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	kinds := map[RuleKind]bool{}
	s.Walk(func(ind, _ *Indicator, _ int) {
		if ind.Rule != nil {
			kinds[ind.Rule.Kind()] = true
		}
	})
	for _, k := range []RuleKind{KindDirect, KindDeduction, KindYesNo, KindTiered, KindBonus, KindPenalty, KindVeto} {
		if !kinds[k] {
			t.Errorf("the default scheme has no %s indicator", k)
		}
	}
	// A unit that met every indicator scores full marks.
	sh := Sheet{Values: map[string]Input{}}
	s.Walk(func(ind, _ *Indicator, _ int) {
		switch r := ind.Rule.(type) {
		case Direct:
			sh.Values[ind.Code] = Input{Points: ind.Max}
		case YesNo:
			sh.Values[ind.Code] = Input{Yes: true}
		case Tiered:
			sh.Values[ind.Code] = Input{Tier: r.Levels[0].Label}
		}
	})
	res, err := Score(s, sh)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 100 || res.VetoFailed() {
		t.Fatalf("full marks: total %v, veto %v", res.Total, res.VetoFailed())
	}
}
