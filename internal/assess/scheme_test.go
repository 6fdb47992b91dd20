package assess

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSchemeValidate(t *testing.T) {
	mustValid(t, demoScheme())

	tests := []struct {
		name   string
		change func(s *Scheme)
		field  string
		msg    string
	}{
		{"no name", func(s *Scheme) { s.Name = " " }, "name", "名称"},
		{"no full marks", func(s *Scheme) { s.FullMarks = 0 }, "full_marks", "满分应大于 0"},
		{"NaN full marks", func(s *Scheme) { s.FullMarks = math.NaN() }, "full_marks", "满分"},
		{"negative bonus cap", func(s *Scheme) { s.BonusCap = -1 }, "bonus_cap", "附加分总上限"},
		{"no indicators", func(s *Scheme) { s.Roots = nil }, "indicators", "至少要有一个指标"},
		{"children do not add up", func(s *Scheme) { s.Roots[0].Children[0].Children[0].Max = 5 },
			"A1", "指标 A1“组织领导”：下级指标分值合计 11 分，与本指标分值 10 分不一致"},
		{"roots do not add up", func(s *Scheme) {
			s.Roots[2].Max, s.Roots[2].Children[0].Max = 20, 20
		}, "full_marks", "一级指标分值合计 90 分，与满分 100 分不一致"},
		{"missing code", func(s *Scheme) { s.Roots[1].Children[1].Code = "" }, "code", "指标 B 的下级指标第 2 项“以案释法”缺少编号"},
		{"duplicate code", func(s *Scheme) { s.Roots[1].Children[1].Code = "B1" }, "B1", "编号重复"},
		{"missing name", func(s *Scheme) { s.Roots[1].Children[1].Name = "" }, "B2", "请填写指标名称"},
		{"negative max", func(s *Scheme) { s.Roots[1].Children[1].Max = -1 }, "B2", "分值应为不小于 0 的数"},
		{"negative weight", func(s *Scheme) { s.Roots[1].Children[1].Weight = -1 }, "B2", "权重不能为负数"},
		{"leaf without rule", func(s *Scheme) { s.Roots[1].Children[1].Rule = nil }, "B2", "末级指标需要评分规则"},
		{"parent with rule", func(s *Scheme) { s.Roots[1].Rule = Direct{} }, "B", "不能另设评分规则"},
		{"bonus with points", func(s *Scheme) { s.Roots[3].Children[0].Max = 3 }, "X1", "加分指标不计入基本分，分值应为 0"},
		{"veto with points", func(s *Scheme) { s.Roots[4].Max = 1 }, "V1", "分值应为 0"},
		{"bonus without cap", func(s *Scheme) { s.Roots[3].Children[0].Rule = Bonus{} }, "X1", "附加分上限应大于 0"},
		{"tier above max", func(s *Scheme) {
			s.Roots[0].Children[1].Children[0].Rule = Tiered{Levels: []Tier{{"完全达到", 4}}}
		}, "A2.1", "档次“完全达到”的分数应在 0 到 3 分之间"},
		{"no tiers", func(s *Scheme) { s.Roots[0].Children[1].Children[0].Rule = Tiered{} }, "A2.1", "至少要有一个档次"},
		{"duplicate tier", func(s *Scheme) {
			s.Roots[0].Children[1].Children[0].Rule = Tiered{Levels: []Tier{{"达到", 3}, {"达到", 0}}}
		}, "A2.1", "档次“达到”重复"},
		{"deduction of zero", func(s *Scheme) { s.Roots[0].Children[0].Children[1].Rule = Deduction{} }, "A1.2", "每次扣分应大于 0"},
		{"deduction cap above max", func(s *Scheme) {
			s.Roots[0].Children[0].Children[1].Rule = Deduction{PerOccurrence: 0.3, Cap: 3}
		}, "A1.2", "扣分上限 3 分超过了指标分值 2 分"},
		{"max off the step", func(s *Scheme) {
			s.Roots[0].Children[0].Children[2].Rule = Direct{Step: 3}
		}, "A1.3", "分值 4 不是评分步长 3 的整数倍"},
		{"unknown veto decider", func(s *Scheme) { s.Roots[4].Rule = Veto{By: "anyone"} }, "V1", "认定方式“anyone”无效"},
		{"public veto stage", func(s *Scheme) { s.Roots[4].Rule = Veto{By: VetoByMajority, Stage: StagePublic} }, "V1", "认定环节"},
		{"indicator twice in the tree", func(s *Scheme) { s.Roots[2].Children = append(s.Roots[2].Children, s.Roots[3]) }, "indicators", "重复出现"},
		{"nil indicator", func(s *Scheme) { s.Roots = append(s.Roots, nil) }, "indicators", "为空"},
		{"too deep", func(s *Scheme) {
			ind := &Indicator{Code: "D0", Name: "深", Rule: Direct{}}
			for i := 1; i <= MaxDepth; i++ {
				ind = &Indicator{Code: "D" + strings.Repeat("x", i), Name: "深", Children: []*Indicator{ind}}
			}
			s.Roots = append(s.Roots, ind)
		}, "D0", "层级超过"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := demoScheme()
			tt.change(s)
			err := s.Validate()
			if f := invalidField(t, err); f != tt.field {
				t.Errorf("field %q, want %q (%v)", f, tt.field, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want it to say %q", err, tt.msg)
			}
		})
	}
}

func TestSchemeValidateTrims(t *testing.T) {
	s := demoScheme()
	s.Name = " 指标 "
	s.Roots[0].Code = " A "
	mustValid(t, s)
	if s.Name != "指标" || s.Roots[0].Code != "A" {
		t.Errorf("not trimmed: %q, %q", s.Name, s.Roots[0].Code)
	}
}

func TestConvertWeights(t *testing.T) {
	// 50/30/20 at level 1, thirds below the first, a bonus item aside.
	s := &Scheme{Name: "权重体系", FullMarks: 100, Roots: []*Indicator{
		{Code: "A", Name: "甲", Weight: 50, Children: []*Indicator{
			{Code: "A1", Name: "甲一", Weight: 1, Rule: Direct{}},
			{Code: "A2", Name: "甲二", Weight: 1, Rule: Direct{}},
			{Code: "A3", Name: "甲三", Weight: 1, Rule: Direct{}},
		}},
		{Code: "B", Name: "乙", Weight: 30, Rule: Direct{}},
		{Code: "C", Name: "丙", Weight: 20, Children: []*Indicator{
			{Code: "C1", Name: "丙一", Weight: 0.7, Rule: YesNo{}},
			{Code: "C2", Name: "丙二", Weight: 0.3, Rule: YesNo{}},
		}},
		{Code: "X", Name: "附加分", Children: []*Indicator{
			{Code: "X1", Name: "加分", Rule: Bonus{Cap: 3}},
		}},
	}}
	if err := s.ConvertWeights(); err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	s.Walk(func(ind, _ *Indicator, _ int) { got[ind.Code] = ind.Max })
	want := map[string]float64{"A": 50, "A1": 16.67, "A2": 16.67, "A3": 16.66, "B": 30, "C": 20, "C1": 14, "C2": 6, "X": 0, "X1": 0}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("points (-want +got):\n%s", d)
	}
	mustValid(t, s)

	s.Roots[1].Weight = 0
	if f := invalidField(t, s.ConvertWeights()); f != "B" {
		t.Errorf("field %q, want B", f)
	}
}

func TestConvertWeightsThirds(t *testing.T) {
	s := &Scheme{Name: "三等分", FullMarks: 100}
	for _, c := range []string{"A", "B", "C"} {
		s.Roots = append(s.Roots, &Indicator{Code: c, Name: c, Weight: 1, Rule: Direct{}})
	}
	if err := s.ConvertWeights(); err != nil {
		t.Fatal(err)
	}
	if got := []float64{s.Roots[0].Max, s.Roots[1].Max, s.Roots[2].Max}; !cmp.Equal(got, []float64{33.34, 33.33, 33.33}) {
		t.Errorf("thirds of 100 = %v", got)
	}
	mustValid(t, s)
}
