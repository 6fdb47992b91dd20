package schemefile

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pufa/internal/app"
	"pufa/internal/assess"
)

// genScheme makes a random valid scheme using every rule kind, with
// weights beside points, guidance with punctuation and line breaks, and
// extra items among the counted ones, for round trips.
func genScheme(r *rand.Rand) *assess.Scheme {
	g := &gen{r: r}
	full := 10 + r.IntN(2000) // tenths
	s := &assess.Scheme{Name: fmt.Sprintf("随机指标体系%d", r.IntN(100)), FullMarks: float64(full) / 10, BonusCap: float64(r.IntN(4)), VetoZero: r.IntN(2) == 0}
	s.Roots = g.children(full, 1, "")
	if r.IntN(2) == 0 {
		s.Roots = append(s.Roots, &assess.Indicator{Code: "X", Name: "附加分", Children: []*assess.Indicator{g.extra("X1"), g.extra("X2")}})
	}
	return s
}

type gen struct{ r *rand.Rand }

func (g *gen) children(tenths, depth int, parent string) []*assess.Indicator {
	k := 1 + g.r.IntN(4)
	parts := make([]int, k)
	left := tenths
	for i := range k - 1 {
		parts[i] = g.r.IntN(left + 1)
		left -= parts[i]
	}
	parts[k-1] = left
	var out []*assess.Indicator
	for i, p := range parts {
		code := fmt.Sprintf("%s%c%d", parent, 'K'+rune(depth), i+1)
		ind := &assess.Indicator{Code: code, Name: fmt.Sprintf("指标%s", code), Max: float64(p) / 10}
		if g.r.IntN(3) == 0 {
			ind.Weight = float64(1+g.r.IntN(40)) / 4
		}
		if g.r.IntN(2) == 0 {
			ind.Guidance = "查看台账，每季度至少一次；\n=以实际为准"
		}
		ind.EvidenceRequired = g.r.IntN(3) == 0
		if depth < 3 && g.r.IntN(5) < 2 {
			ind.Children = g.children(p, depth+1, code)
		} else {
			ind.Rule = g.rule(p)
		}
		out = append(out, ind)
	}
	if g.r.IntN(5) == 0 {
		out = append(out, g.extra(parent+"E"))
	}
	return out
}

func (g *gen) rule(tenths int) assess.Rule {
	max := float64(tenths) / 10
	switch g.r.IntN(4) {
	case 0:
		steps := []float64{0, 0.1}
		if tenths%5 == 0 {
			steps = append(steps, 0.5)
		}
		return assess.Direct{Step: steps[g.r.IntN(len(steps))]}
	case 1:
		var capv float64
		switch g.r.IntN(3) {
		case 0:
			capv = float64(g.r.IntN(tenths+1)) / 10
		case 1:
			capv = max
		}
		return assess.Deduction{PerOccurrence: float64(1+g.r.IntN(20)) / 10, Cap: capv}
	case 2:
		return assess.YesNo{}
	}
	levels := make([]assess.Tier, 1+g.r.IntN(4))
	for i := range levels {
		levels[i] = assess.Tier{Label: fmt.Sprintf("第%d档（%c）", i+1, '甲'+rune(i)), Points: math.Round(g.r.Float64()*max*10) / 10}
	}
	return assess.Tiered{Levels: levels}
}

func (g *gen) extra(code string) *assess.Indicator {
	stages := []assess.StageKind{"", assess.StagePanel, assess.StageSite, assess.StagePeer, assess.StageSelf, assess.StageOffice}
	ind := &assess.Indicator{Code: code, Name: "附加项" + code}
	switch g.r.IntN(4) {
	case 0:
		ind.Rule = assess.Bonus{Cap: float64(1+g.r.IntN(30)) / 10}
	case 1:
		ind.Rule = assess.Penalty{Cap: float64(1+g.r.IntN(30)) / 10}
	case 2:
		ind.Rule = assess.Veto{By: assess.VetoByOffice}
	default:
		ind.Rule = assess.Veto{By: assess.VetoByMajority, Stage: stages[g.r.IntN(len(stages))]}
	}
	return ind
}

// schemes returns the schemes round trips are tried on: the built-in one
// and random valid ones, each with Version 0 as Build leaves it.
func schemes(t *testing.T, n int) []*assess.Scheme {
	t.Helper()
	out := []*assess.Scheme{assess.DutyReviewScheme()}
	r := rand.New(rand.NewPCG(7, 11))
	for len(out) < n {
		if s := genScheme(r); s.Validate() == nil {
			out = append(out, s)
		}
	}
	for _, s := range out {
		s.Version = 0
	}
	return out
}

// encode returns the stored form of s.
func encode(t *testing.T, s *assess.Scheme) []byte {
	t.Helper()
	data, err := assess.EncodeScheme(s)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestRowsBuild_roundTrip(t *testing.T) {
	for i, s := range schemes(t, 300) {
		rows := Rows(s)
		back, errs := Build(MetaOf(s), rows)
		if len(errs) > 0 {
			t.Fatalf("scheme %d: Build: %v\nrows: %+v", i, errs, rows)
		}
		if want, got := encode(t, s), encode(t, back); !bytes.Equal(want, got) {
			t.Fatalf("scheme %d changed in the round trip:\n%s\n%s", i, want, got)
		}
		if diff := cmp.Diff(rows, Rows(back)); diff != "" {
			t.Fatalf("scheme %d: rows changed (-want +got):\n%s", i, diff)
		}
	}
}

func TestRows_dutyReview(t *testing.T) {
	rows := Rows(assess.DutyReviewScheme())
	want := map[string]Row{
		"A":  {Level: 1, Code: "A", Name: "普法责任制机制建设", Max: 20},
		"A2": {Level: 2, Code: "A2", Name: "党组（党委）专题研究普法工作", Max: 4, Rule: "扣分", Params: "每次扣2分，扣完为止", Guidance: "每年至少专题研究 2 次，每少一次扣 2 分，扣完为止"},
		"F3": {Level: 2, Code: "F3", Name: "因未履行普法职责造成重大不良影响", Rule: "一票否决", Params: "普法办核查"},
	}
	for _, r := range rows {
		if w, ok := want[r.Code]; ok {
			if diff := cmp.Diff(w, r); diff != "" {
				t.Errorf("row %s (-want +got):\n%s", r.Code, diff)
			}
			delete(want, r.Code)
		}
	}
	if len(want) > 0 {
		t.Errorf("rows missing: %v", want)
	}
}

func TestBuild_fillsIn(t *testing.T) {
	tests := []struct {
		name string
		meta Meta
		rows []Row
		want *assess.Scheme
	}{
		{
			name: "codes from position, parents' points from children, full marks from the top level",
			meta: Meta{Name: "考核"},
			rows: []Row{
				{Level: 1, Name: "组织领导"},
				{Level: 2, Name: "领导小组", Max: 4, Rule: "是否"},
				{Level: 2, Name: "专题研究"},
				{Level: 3, Name: "会前学法", Max: 0.1, Rule: "直接评分"},
				{Level: 3, Name: "专题会议", Max: 0.2, Rule: "直接评分"},
				{Level: 1, Name: "社会普法", Max: 10, Rule: "直接评分", Params: "按0.5分一档"},
				{Level: 1, Name: "附加分"},
				{Level: 2, Name: "获表彰", Rule: "加分", Params: "最多加3分"},
			},
			want: &assess.Scheme{Name: "考核", FullMarks: 14.3, Roots: []*assess.Indicator{
				{Code: "A", Name: "组织领导", Max: 4.3, Children: []*assess.Indicator{
					{Code: "A1", Name: "领导小组", Max: 4, Rule: assess.YesNo{}},
					{Code: "A2", Name: "专题研究", Max: 0.3, Children: []*assess.Indicator{
						{Code: "A2.1", Name: "会前学法", Max: 0.1, Rule: assess.Direct{}},
						{Code: "A2.2", Name: "专题会议", Max: 0.2, Rule: assess.Direct{}},
					}},
				}},
				{Code: "B", Name: "社会普法", Max: 10, Rule: assess.Direct{Step: 0.5}},
				{Code: "C", Name: "附加分", Children: []*assess.Indicator{
					{Code: "C1", Name: "获表彰", Rule: assess.Bonus{Cap: 3}},
				}},
			}},
		},
		{
			name: "weights shared out level by level",
			meta: Meta{Name: "按权重", FullMarks: 100},
			rows: []Row{
				{Level: 1, Code: "一", Name: "机制", Weight: 1},
				{Level: 2, Name: "甲", Weight: 1, Rule: "直接评分"},
				{Level: 2, Name: "乙", Weight: 1, Rule: "直接评分"},
				{Level: 2, Name: "丙", Weight: 1, Rule: "是否"},
				{Level: 1, Code: "二", Name: "实效", Weight: 2},
				{Level: 2, Name: "丁", Max: 50, Rule: "直接评分"},
				{Level: 2, Name: "戊", Max: 16.67, Rule: "直接评分"},
				{Level: 1, Name: "否决", Rule: "一票否决"},
			},
			want: &assess.Scheme{Name: "按权重", FullMarks: 100, Roots: []*assess.Indicator{
				{Code: "一", Name: "机制", Max: 33.33, Weight: 1, Children: []*assess.Indicator{
					{Code: "一1", Name: "甲", Max: 11.11, Weight: 1, Rule: assess.Direct{}},
					{Code: "一2", Name: "乙", Max: 11.11, Weight: 1, Rule: assess.Direct{}},
					{Code: "一3", Name: "丙", Max: 11.11, Weight: 1, Rule: assess.YesNo{}},
				}},
				{Code: "二", Name: "实效", Max: 66.67, Weight: 2, Children: []*assess.Indicator{
					{Code: "二1", Name: "丁", Max: 50, Rule: assess.Direct{}},
					{Code: "二2", Name: "戊", Max: 16.67, Rule: assess.Direct{}},
				}},
				{Code: "C", Name: "否决", Rule: assess.Veto{By: assess.VetoByOffice}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := Build(tt.meta, tt.rows)
			if len(errs) > 0 {
				t.Fatalf("Build: %v", errs)
			}
			if err := tt.want.Validate(); err != nil {
				t.Fatalf("the wanted scheme is invalid: %v", err)
			}
			if diff := cmp.Diff(string(encode(t, tt.want)), string(encode(t, got))); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Every problem is reported at once, each naming its row.
func TestBuild_errors(t *testing.T) {
	meta := Meta{Name: "考核", FullMarks: 10}
	tests := []struct {
		name string
		meta Meta
		rows []Row
		want []string // one message fragment per error, in order
	}{
		{
			name: "unknown rule kind",
			rows: []Row{{Level: 1, Name: "甲", Max: 5, Rule: "直接评分"}, {Level: 1, Name: "乙", Max: 2, Rule: "直接评分"}, {Level: 1, Name: "丙", Max: 3, Rule: "打钩"}},
			want: []string{"第3行：计分方式“打钩”无法识别"},
		},
		{
			name: "level jump",
			rows: []Row{{Level: 1, Name: "甲", Max: 10}, {Level: 2, Name: "乙", Max: 10, Rule: "是否"}, {Level: 4, Name: "丙", Rule: "是否"}},
			want: []string{"第3行：层级从 2 跳到了 4"},
		},
		{
			name: "first row not level 1",
			rows: []Row{{Level: 3, Name: "甲", Max: 10, Rule: "是否"}},
			want: []string{"第1行：第一个指标应为一级指标"},
		},
		{
			name: "children not adding up",
			rows: []Row{{Level: 1, Name: "甲", Max: 10}, {Level: 2, Name: "乙", Max: 6, Rule: "是否"}, {Level: 2, Name: "丙", Max: 3, Rule: "是否"}},
			want: []string{"第1行：下级指标分值合计 9 分，与本指标分值 10 分不一致"},
		},
		{
			name: "duplicate code",
			rows: []Row{{Level: 1, Code: "A", Name: "甲", Max: 5}, {Level: 2, Code: "A1", Name: "乙", Max: 5, Rule: "是否"}, {Level: 1, Code: "A1", Name: "丙", Max: 5, Rule: "是否"}},
			want: []string{"第3行：编号“A1”与第2行重复"},
		},
		{
			name: "bad params, missing rule, rule on a parent, points on a bonus, bad number: all at once",
			rows: []Row{
				{Level: 1, Name: "甲", Max: 4, Rule: "扣分", Params: "酌情扣分"},
				{Level: 1, Name: "乙", Max: 3},
				{Level: 1, Name: "丙", Rule: "是否"},
				{Level: 2, Name: "丁", Max: 3, Rule: "是否"},
				{Level: 1, Name: "戊", Max: 2, Rule: "加分", Params: "上限2"},
				{Level: 1, Name: "", Max: math.NaN(), Rule: "是否"},
			},
			want: []string{
				"第1行：扣分的计分参数“酌情扣分”无法识别",
				"第2行：末级指标“乙”需要选择计分方式",
				"第3行：“丙”有下级指标，得分由下级指标相加，计分方式应留空",
				"第5行：加分指标不计入基本分，分值应留空或填 0",
				"第6行：请填写指标名称",
				"第6行：分值应为不小于 0 的数",
			},
		},
		{
			name: "line numbers from the source",
			rows: []Row{{Level: 1, Name: "甲", Max: 10, Rule: "分档", Params: "好:11；差:0", Line: 17}},
			want: []string{"第17行：档次“好”的分数 11 应在 0 到 10 分之间"},
		},
		{
			name: "weights without a weight",
			rows: []Row{{Level: 1, Name: "甲", Weight: 1, Rule: "是否"}, {Level: 1, Name: "乙", Rule: "是否"}},
			want: []string{"第2行：指标 B“乙”：按权重折算分值时，每个指标都要填写大于 0 的权重"},
		},
		{
			name: "no name, no rows",
			meta: Meta{FullMarks: 10},
			rows: nil,
			want: []string{"请填写考评指标体系的名称", "至少要有一个指标"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.meta
			if m == (Meta{}) {
				m = meta
			}
			s, errs := Build(m, tt.rows)
			if s != nil {
				t.Fatalf("Build gave a scheme despite errors")
			}
			var got []string
			for _, err := range errs {
				var field string
				if e, ok := err.(*app.Error); ok && e.Code == app.EINVALID {
					field = e.Field
				} else {
					t.Errorf("error %v is not an app.Invalid", err)
				}
				got = append(got, field+" "+app.ErrorMessage(err))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("error %d: %q does not contain %q", i, got[i], w)
				}
			}
		})
	}
}

func TestBuild_rowCap(t *testing.T) {
	rows := make([]Row, MaxRows+1)
	for i := range rows {
		rows[i] = Row{Level: 1, Name: "甲", Max: 1, Rule: "是否"}
	}
	_, errs := Build(Meta{Name: "大"}, rows)
	if len(errs) != 1 || !strings.Contains(app.ErrorMessage(errs[0]), "指标超过 5000 行上限") {
		t.Fatalf("got %v", errs)
	}
}

func TestLetters(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := letters(i); got != want {
			t.Errorf("letters(%d) = %q, want %q", i, got, want)
		}
	}
}
