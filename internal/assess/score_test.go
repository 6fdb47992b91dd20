package assess

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScoreFull(t *testing.T) {
	s := mustValid(t, demoScheme())
	res, err := Score(s, fullSheet())
	if err != nil {
		t.Fatal(err)
	}
	want := Result{
		Scores: map[string]float64{
			"A": 20, "A1": 10, "A1.1": 4, "A1.2": 2, "A1.3": 4, "A2": 10, "A2.1": 3, "A2.2": 7,
			"B": 50, "B1": 30, "B2": 20, "C": 30, "C1": 30, "X": 0, "X1": 0, "X2": 0,
		},
		Base: 100, ApplicableMax: 100, Normalized: 100, Total: 100,
		Explanation: []string{"总分 100 分"},
	}
	if d := cmp.Diff(want, res); d != "" {
		t.Errorf("result (-want +got):\n%s", d)
	}
}

func TestScoreNotApplicable(t *testing.T) {
	// The example of DESIGN.md: a unit scored on 50 applicable points gets
	// 45 of them, which is 90 of 100.
	s := mustValid(t, demoScheme())
	sh := fullSheet()
	delete(sh.Values, "B1")
	delete(sh.Values, "B2")
	sh.NotApplicable = map[string]bool{"B": true}
	sh.Values["C1"] = Input{Points: 25}
	res, err := Score(s, sh)
	if err != nil {
		t.Fatal(err)
	}
	if res.Base != 45 || res.ApplicableMax != 50 || res.Normalized != 90 || res.Total != 90 {
		t.Errorf("base %v of %v, normalized %v, total %v; want 45 of 50, 90, 90", res.Base, res.ApplicableMax, res.Normalized, res.Total)
	}
	for _, line := range []string{"不适用指标：B，不计入适用分值", "适用分值 50 分，得 45 分，折算为 90 分（满分 100）"} {
		if !slices.Contains(res.Explanation, line) {
			t.Errorf("explanation %q lacks %q", res.Explanation, line)
		}
	}
	for _, code := range []string{"B", "B1", "B2"} {
		if _, ok := res.Scores[code]; ok {
			t.Errorf("%s is not applicable but has a score", code)
		}
	}

	// A leaf marked not applicable shrinks its parent's applicable points.
	sh = fullSheet()
	delete(sh.Values, "A1.3")
	sh.NotApplicable = map[string]bool{"A1.3": true, "A2.2": false}
	sh.Values["A1.2"] = Input{Count: 2} // 2 − 0.6 = 1.4
	res, err = Score(s, sh)
	if err != nil {
		t.Fatal(err)
	}
	if res.Scores["A1"] != 5.4 || res.Base != 95.4 || res.ApplicableMax != 96 {
		t.Errorf("A1 %v, base %v of %v; want 5.4, 95.4 of 96", res.Scores["A1"], res.Base, res.ApplicableMax)
	}
	if want := round(95.4 * 100 / 96); res.Normalized != want {
		t.Errorf("normalized %v, want %v", res.Normalized, want)
	}

	// Marking every scored indicator not applicable leaves nothing to
	// score.
	sh = Sheet{NotApplicable: map[string]bool{"A": true, "B": true, "C": true}}
	if f := invalidField(t, scoreErr(s, sh)); f != "not_applicable" {
		t.Errorf("field %q", f)
	}
}

func scoreErr(s *Scheme, sh Sheet) error {
	_, err := Score(s, sh)
	return err
}

func TestScoreBonus(t *testing.T) {
	s := mustValid(t, demoScheme())
	sh := fullSheet()
	sh.Values["X1"] = Input{Points: 4} // capped at 3
	res, err := Score(s, sh)
	if err != nil {
		t.Fatal(err)
	}
	if res.Bonus != 3 || res.Total != 103 || res.Base != 100 {
		t.Errorf("bonus %v, total %v, base %v; want 3, 103, 100", res.Bonus, res.Total, res.Base)
	}
	if !slices.Contains(res.Explanation, "X1 获得省级以上表彰：填报加 4 分，超过上限，按 3 分计") {
		t.Errorf("explanation %q lacks the clamp", res.Explanation)
	}

	// Bonus is added after normalization, never scaled with it.
	sh = fullSheet()
	delete(sh.Values, "B1")
	delete(sh.Values, "B2")
	sh.NotApplicable = map[string]bool{"B": true}
	sh.Values["C1"] = Input{Points: 25}
	sh.Values["X1"] = Input{Points: 2}
	sh.Values["X2"] = Input{Points: 0.5}
	res, err = Score(s, sh)
	if err != nil {
		t.Fatal(err)
	}
	if res.Normalized != 90 || res.Bonus != 1.5 || res.Total != 91.5 {
		t.Errorf("normalized %v, bonus %v, total %v; want 90, 1.5, 91.5", res.Normalized, res.Bonus, res.Total)
	}
	if last := res.Explanation[len(res.Explanation)-1]; last != "总分 91.5 分（基本分 90，附加分 +1.5，附加分在折算后计入）" {
		t.Errorf("last line %q", last)
	}

	// The scheme's net cap applies after the items' own caps.
	s.BonusCap = 2
	sh = fullSheet()
	sh.Values["X1"] = Input{Points: 3}
	res, err = Score(s, sh)
	if err != nil {
		t.Fatal(err)
	}
	if res.Bonus != 2 || res.Total != 102 {
		t.Errorf("bonus %v, total %v; want 2, 102", res.Bonus, res.Total)
	}

	// A penalty cannot take the total below zero.
	s.BonusCap = 0
	sh = Sheet{Values: map[string]Input{
		"A1.1": {}, "A1.3": {}, "A2.1": {Tier: "未达到"}, "A2.2": {}, "B1": {}, "B2": {}, "C1": {},
		"A1.2": {Count: 10}, "X2": {Points: 3},
	}}
	res, err = Score(s, sh)
	if err != nil {
		t.Fatal(err)
	}
	if res.Base != 0.8 || res.Total != 0 {
		t.Errorf("base %v, total %v; want 0.8, 0", res.Base, res.Total)
	}
}

func TestScoreVeto(t *testing.T) {
	s := mustValid(t, demoScheme())
	sh := fullSheet()
	sh.Values["V1"] = Input{Failed: true}
	sh.Values["V2"] = Input{}
	res, err := Score(s, sh)
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(res.Vetoed, []string{"V1"}) || !res.VetoFailed() || res.Total != 100 {
		t.Errorf("vetoed %v, total %v", res.Vetoed, res.Total)
	}
	if !slices.Contains(res.Explanation, "一票否决指标 V1：评为未通过") {
		t.Errorf("explanation %q", res.Explanation)
	}
}

func TestScoreInvalid(t *testing.T) {
	s := mustValid(t, demoScheme())
	tests := []struct {
		name   string
		change func(sh *Sheet)
		field  string
		msg    string
	}{
		{"direct above max", func(sh *Sheet) { sh.Values["B2"] = Input{Points: 21} }, "B2", "指标 B2“以案释法”：得分应在 0 到 20 分之间"},
		{"off step", func(sh *Sheet) { sh.Values["A1.3"] = Input{Points: 3.3} }, "A1.3", "按 0.5 分一档"},
		{"negative count", func(sh *Sheet) { sh.Values["A1.2"] = Input{Count: -2} }, "A1.2", "扣分次数不能为负数"},
		{"unknown tier", func(sh *Sheet) { sh.Values["A2.1"] = Input{Tier: "优"} }, "A2.1", "档次“优”不存在，应为 “完全达到”、“部分达到”、“未达到” 之一"},
		{"unknown code", func(sh *Sheet) { sh.Values["Z9"] = Input{} }, "Z9", "指标编号“Z9”不在考评指标体系中"},
		{"unknown not-applicable code", func(sh *Sheet) { sh.NotApplicable = map[string]bool{"Z8": true} }, "Z8", "不在考评指标体系中"},
		{"parent scored", func(sh *Sheet) { sh.Values["A1"] = Input{Points: 10} }, "A1", "不能直接评分"},
		{"not applicable scored", func(sh *Sheet) { sh.NotApplicable = map[string]bool{"B": true} }, "B1", "已标为不适用"},
		{"missing entry", func(sh *Sheet) { delete(sh.Values, "C1") }, "C1", "尚未评分"},
		{"missing yes/no", func(sh *Sheet) { delete(sh.Values, "A1.1") }, "A1.1", "尚未评分"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh := fullSheet()
			tt.change(&sh)
			err := scoreErr(s, sh)
			if f := invalidField(t, err); f != tt.field {
				t.Errorf("field %q, want %q (%v)", f, tt.field, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want it to say %q", err, tt.msg)
			}
		})
	}
	if f := invalidField(t, scoreErr(nil, Sheet{})); f != "scheme" {
		t.Errorf("nil scheme: field %q", f)
	}
}

func TestScoreDeductionExplained(t *testing.T) {
	s := mustValid(t, demoScheme())
	sh := fullSheet()
	sh.Values["A1.2"] = Input{Count: 5}
	res, err := Score(s, sh)
	if err != nil {
		t.Fatal(err)
	}
	if res.Scores["A1.2"] != 0.8 || res.Total != 98.8 {
		t.Errorf("A1.2 %v, total %v; want 0.8, 98.8", res.Scores["A1.2"], res.Total)
	}
	want := "A1.2 党委理论学习中心组学法：扣分 5 次 × 0.3 分 = 1.5 分，累计扣分以 1.2 分为限，得 0.8 分（满分 2）"
	if res.Explanation[0] != want {
		t.Errorf("explanation %q, want %q", res.Explanation[0], want)
	}
	// Three deductions of 0.3 leave 1.1, not 1.1000000000000001.
	sh.Values["A1.2"] = Input{Count: 3}
	res, _ = Score(s, sh)
	if res.Scores["A1.2"] != 1.1 || math.Abs(res.Total-99.1) > 0 {
		t.Errorf("A1.2 %v, total %v; want 1.1, 99.1", res.Scores["A1.2"], res.Total)
	}
}
