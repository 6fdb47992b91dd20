package assess

import (
	"math"
	"strings"
	"testing"
)

func TestRules(t *testing.T) {
	tiers := Tiered{Levels: []Tier{{"完全达到", 3}, {"部分达到", 2}, {"未达到", 0}}}
	tests := []struct {
		name    string
		max     float64
		rule    Rule
		in      Input
		want    float64
		invalid bool   // refused, naming the indicator
		note    string // part of the explanation line, if any
	}{
		{name: "direct in range", max: 4, rule: Direct{}, in: Input{Points: 3.7}, want: 3.7},
		{name: "direct full", max: 4, rule: Direct{}, in: Input{Points: 4}, want: 4},
		{name: "direct zero", max: 4, rule: Direct{}, in: Input{}, want: 0},
		{name: "direct above max", max: 4, rule: Direct{}, in: Input{Points: 4.5}, invalid: true},
		{name: "direct negative", max: 4, rule: Direct{}, in: Input{Points: -1}, invalid: true},
		{name: "direct NaN", max: 4, rule: Direct{}, in: Input{Points: math.NaN()}, invalid: true},
		{name: "direct infinite", max: 4, rule: Direct{}, in: Input{Points: math.Inf(1)}, invalid: true},
		{name: "direct on a 0.5 step", max: 4, rule: Direct{Step: 0.5}, in: Input{Points: 3.5}, want: 3.5},
		{name: "direct off a 0.5 step", max: 4, rule: Direct{Step: 0.5}, in: Input{Points: 3.3}, invalid: true},
		{name: "direct on a 0.1 step with float noise", max: 0.3, rule: Direct{Step: 0.1}, in: Input{Points: 3 * 0.1}, want: 0.3},

		// 每少一次扣0.3分,累计扣分不超过1.2分, on an indicator worth 2.
		{name: "deduction none", max: 2, rule: Deduction{PerOccurrence: 0.3, Cap: 1.2}, in: Input{Count: 0}, want: 2},
		{name: "deduction once", max: 2, rule: Deduction{PerOccurrence: 0.3, Cap: 1.2}, in: Input{Count: 1}, want: 1.7,
			note: "A：扣分 1 次 × 0.3 分 = 0.3 分，得 1.7 分（满分 2）"},
		{name: "deduction thrice", max: 2, rule: Deduction{PerOccurrence: 0.3, Cap: 1.2}, in: Input{Count: 3}, want: 1.1},
		{name: "deduction reaches the cap", max: 2, rule: Deduction{PerOccurrence: 0.3, Cap: 1.2}, in: Input{Count: 4}, want: 0.8},
		{name: "deduction beyond the cap", max: 2, rule: Deduction{PerOccurrence: 0.3, Cap: 1.2}, in: Input{Count: 9}, want: 0.8,
			note: "扣分 9 次 × 0.3 分 = 2.7 分，累计扣分以 1.2 分为限，得 0.8 分"},
		{name: "deduction without a cap stops at zero", max: 1, rule: Deduction{PerOccurrence: 0.3}, in: Input{Count: 4}, want: 0},
		{name: "deduction of a huge count", max: 1, rule: Deduction{PerOccurrence: 0.3}, in: Input{Count: math.MaxInt}, want: 0},
		{name: "deduction negative count", max: 2, rule: Deduction{PerOccurrence: 0.3}, in: Input{Count: -1}, invalid: true},

		{name: "yes", max: 4, rule: YesNo{}, in: Input{Yes: true}, want: 4},
		{name: "no", max: 4, rule: YesNo{}, in: Input{}, want: 0},

		// 完全达到得3分,部分达到得2分,未达到不得分
		{name: "tier full", max: 3, rule: tiers, in: Input{Tier: "完全达到"}, want: 3},
		{name: "tier partial", max: 3, rule: tiers, in: Input{Tier: "部分达到"}, want: 2},
		{name: "tier none", max: 3, rule: tiers, in: Input{Tier: "未达到"}, want: 0},
		{name: "tier unknown", max: 3, rule: tiers, in: Input{Tier: "基本达到"}, invalid: true},

		// 附加分 ±3
		{name: "bonus within cap", rule: Bonus{Cap: 3}, in: Input{Points: 2}, want: 2},
		{name: "bonus clamped", rule: Bonus{Cap: 3}, in: Input{Points: 4}, want: 3, note: "填报加 4 分，超过上限，按 3 分计"},
		{name: "bonus negative", rule: Bonus{Cap: 3}, in: Input{Points: -1}, invalid: true},
		{name: "penalty as a positive amount", rule: Penalty{Cap: 3}, in: Input{Points: 2}, want: -2},
		{name: "penalty as a negative amount", rule: Penalty{Cap: 3}, in: Input{Points: -2}, want: -2},
		{name: "penalty clamped", rule: Penalty{Cap: 3}, in: Input{Points: 5}, want: -3},
		{name: "penalty NaN", rule: Penalty{Cap: 3}, in: Input{Points: math.NaN()}, invalid: true},

		{name: "veto carries no points", rule: Veto{By: VetoByOffice}, in: Input{Failed: true}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ind := &Indicator{Code: "A", Max: tt.max, Rule: tt.rule}
			if err := tt.rule.check(ind); err != nil {
				t.Fatalf("check: %v", err)
			}
			got, note, err := tt.rule.score(ind, tt.in)
			if tt.invalid {
				if f := invalidField(t, err); f != "A" {
					t.Errorf("error field %q, want the indicator code A", f)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("score %v, want %v", got, tt.want)
			}
			if !strings.Contains(note, tt.note) {
				t.Errorf("note %q, want it to contain %q", note, tt.note)
			}
		})
	}
}

func TestRuleDescribe(t *testing.T) {
	tests := []struct {
		rule Rule
		max  float64
		want string
	}{
		{Direct{Step: 0.5}, 4, "直接评分，0–4 分，按 0.5 分一档"},
		{Deduction{PerOccurrence: 0.3, Cap: 1.2}, 2, "满分 2 分，每次扣 0.3 分，累计扣分不超过 1.2 分"},
		{Deduction{PerOccurrence: 0.5}, 2, "满分 2 分，每次扣 0.5 分，扣完为止"},
		{YesNo{}, 2, "达到得 2 分，未达到不得分"},
		{Tiered{Levels: []Tier{{"完全达到", 3}, {"部分达到", 2}, {"未达到", 0}}}, 3, "完全达到得3分，部分达到得2分，未达到不得分"},
		{Bonus{Cap: 3}, 0, "附加加分，最多加 3 分，在折算后计入总分"},
		{Penalty{Cap: 3}, 0, "附加减分，最多减 3 分，在折算后计入总分"},
		{Veto{By: VetoByOffice}, 0, "一票否决，由普法办核查认定"},
		{Veto{By: VetoByMajority}, 0, "一票否决，由评议团评议过半数认定"},
	}
	for _, tt := range tests {
		if got := tt.rule.Describe(tt.max); got != tt.want {
			t.Errorf("%s.Describe(%v) = %q, want %q", tt.rule.Kind(), tt.max, got, tt.want)
		}
	}
}

func TestRulePointers(t *testing.T) {
	// A rule given as a pointer scores like the value; a nil pointer is no
	// rule at all.
	s := demoScheme()
	s.Roots[1].Children[0].Rule = &Direct{Step: 0.5}
	s.Roots[4].Rule = &Veto{By: VetoByOffice}
	mustValid(t, s)
	if _, ok := s.Roots[1].Children[0].Rule.(Direct); !ok {
		t.Errorf("Validate kept the pointer rule %T", s.Roots[1].Children[0].Rule)
	}
	s = demoScheme()
	s.Roots[1].Children[0].Rule = (*Direct)(nil)
	if f := invalidField(t, s.Validate()); f != "B1" {
		t.Errorf("field %q, want B1", f)
	}
}
