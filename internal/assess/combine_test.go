package assess

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// totals returns results with the given totals and one indicator "K"
// scored as the total over ten.
func totals(ts ...float64) []Result {
	out := make([]Result, len(ts))
	for i, t := range ts {
		out[i] = Result{Total: t, Scores: map[string]float64{"K": t / 10}}
	}
	return out
}

func TestCombineStage(t *testing.T) {
	panel := Stage{Kind: StagePanel, Weight: 50, MinRaters: 3, Combine: TrimmedMean}
	tests := []struct {
		name    string
		st      Stage
		results []Result
		total   float64
		k       float64 // the per-indicator mean
		trimmed bool
		tooFew  bool
		line    string
	}{
		{
			name: "trimmed mean of five raters drops one highest and one lowest",
			st:   panel, results: totals(80, 95, 85, 60, 90), total: 85, k: 8.2, trimmed: true,
			line: "评议团评议：5 人评分，去掉一个最高分 95 分和一个最低分 60 分，平均 85 分",
		},
		{
			name: "trimmed mean of four raters is the plain mean",
			st:   panel, results: totals(80, 95, 85, 60), total: 80, k: 8,
			line: "评议团评议：4 人评分，平均 80 分（不足 5 人，不去掉最高分和最低分）",
		},
		{
			name: "mean",
			st:   Stage{Kind: StageSite, Combine: Mean}, results: totals(80, 95, 85, 60, 90), total: 82, k: 8.2,
			line: "实地考察：5 人评分，平均 82 分",
		},
		{
			name: "mean of thirds is rounded to a millionth",
			st:   Stage{Kind: StagePeer}, results: totals(90, 90, 91), total: 90.333333, k: 9.033333,
		},
		{
			name: "too few submissions are flagged",
			st:   panel, results: totals(80, 90), total: 85, k: 8.5, tooFew: true,
			line: "评议团评议：2 人提交，少于所需的 3 人，未计入",
		},
		{
			name: "no submissions",
			st:   Stage{Kind: StageSelf}, tooFew: true,
			line: "自评：0 人提交，少于所需的 1 人，未计入",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CombineStage(nil, tt.st, tt.results)
			if got.Total != tt.total || got.Trimmed != tt.trimmed || got.TooFew != tt.tooFew || got.Raters != len(tt.results) {
				t.Errorf("total %v trimmed %v tooFew %v raters %d; want %v %v %v %d",
					got.Total, got.Trimmed, got.TooFew, got.Raters, tt.total, tt.trimmed, tt.tooFew, len(tt.results))
			}
			if len(tt.results) > 0 && got.PerIndicator["K"] != tt.k {
				t.Errorf("per-indicator mean %v, want %v", got.PerIndicator["K"], tt.k)
			}
			if tt.line != "" && !slices.Contains(got.Explanation, tt.line) {
				t.Errorf("explanation %q lacks %q", got.Explanation, tt.line)
			}
		})
	}
}

func TestCombineStagePerIndicatorSkipsUnscored(t *testing.T) {
	// An indicator one rater found not applicable is averaged over the
	// raters who scored it.
	rs := []Result{
		{Total: 90, Scores: map[string]float64{"A": 4, "B": 2}},
		{Total: 80, Scores: map[string]float64{"A": 3}},
	}
	got := CombineStage(nil, Stage{Kind: StagePanel}, rs)
	if d := cmp.Diff(map[string]float64{"A": 3.5, "B": 2}, got.PerIndicator); d != "" {
		t.Errorf("per-indicator (-want +got):\n%s", d)
	}
}

func TestCombineStageVeto(t *testing.T) {
	s := mustValid(t, demoScheme()) // V1 by the office, V2 by the panel's majority
	vetoed := func(codes ...[]string) []Result {
		out := make([]Result, len(codes))
		for i, c := range codes {
			out[i] = Result{Total: 90, Vetoed: c}
		}
		return out
	}
	v1, v2, none := []string{"V1"}, []string{"V2"}, []string(nil)
	tests := []struct {
		name    string
		kind    StageKind
		results []Result
		want    []string
	}{
		{"one office verifier fails an office veto", StageOffice, vetoed(v1, none), []string{"V1"}},
		{"panel marks do not decide an office veto", StagePanel, vetoed(v1, v1, v1), nil},
		{"a panel majority fails a majority veto", StagePanel, vetoed(v2, v2, v2, none, none), []string{"V2"}},
		{"a panel minority does not", StagePanel, vetoed(v2, v2, none, none, none), nil},
		{"a tie passes", StagePanel, vetoed(v2, v2, none, none), nil},
		{"another stage's majority does not decide", StageSite, vetoed(v2, v2, v2), nil},
		{"both", StageOffice, vetoed([]string{"V1", "V2"}), []string{"V1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CombineStage(s, Stage{Kind: tt.kind}, tt.results)
			if !cmp.Equal(got.Vetoed, tt.want) || got.VetoFailed != (len(tt.want) > 0) {
				t.Errorf("vetoed %v (%v), want %v", got.Vetoed, got.VetoFailed, tt.want)
			}
		})
	}
	got := CombineStage(s, Stage{Kind: StagePanel}, vetoed(v2, v2, v2, none, none))
	if want := "一票否决指标 V2“未开展普法责任制工作”：评议团评议 5 人中 3 人认定未通过，过半数"; !slices.Contains(got.Explanation, want) {
		t.Errorf("explanation %q lacks %q", got.Explanation, want)
	}
}

func TestPublicStage(t *testing.T) {
	st := Stage{Kind: StagePublic, Weight: 30, MinRaters: 10}
	// Seven of ten satisfied: 70% of 100.
	ratings := []int{5, 5, 4, 3, 2, 4, 5, 1, 4, 5}
	got, err := PublicStage(st, ratings, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != 70 || got.Satisfied != 7 || got.Raters != 10 || got.TooFew {
		t.Errorf("total %v satisfied %d sample %d tooFew %v", got.Total, got.Satisfied, got.Raters, got.TooFew)
	}
	if want := []string{"社会评议：10 份评价，满意（4–5 分）7 份，满意率 70%，折合 70 分（满分 100）"}; !cmp.Equal(got.Explanation, want) {
		t.Errorf("explanation %q", got.Explanation)
	}

	// The rate times the stage's points, when the points are the stage's
	// share: 70% × 30.
	got, _ = PublicStage(st, ratings, 30)
	if got.Total != 21 {
		t.Errorf("total %v, want 21", got.Total)
	}

	st.Rule = MeanRating
	got, _ = PublicStage(st, ratings, 100)
	if got.Total != 76 { // mean 3.8 of 5
		t.Errorf("mean-rating total %v, want 76", got.Total)
	}

	got, _ = PublicStage(Stage{Kind: StagePublic, MinRaters: 30}, ratings, 100)
	if !got.TooFew || got.Raters != 10 {
		t.Errorf("a sample of 10 against a minimum of 30 is not flagged")
	}
	if _, err := PublicStage(st, []int{5, 6}, 100); invalidField(t, err) != "ratings" {
		t.Errorf("a rating of 6 was not refused")
	}
	if _, err := PublicStage(st, ratings, 0); invalidField(t, err) != "points" {
		t.Errorf("zero points were not refused")
	}
}

func TestRoundTotal(t *testing.T) {
	s := demoScheme()
	panel := StageResult{Stage: Stage{Kind: StagePanel, Weight: 50}, Total: 86}
	public := StageResult{Stage: Stage{Kind: StagePublic, Weight: 30}, Total: 70}
	peer := StageResult{Stage: Stage{Kind: StagePeer, Weight: 20}, Total: 90}
	self := StageResult{Stage: Stage{Kind: StageSelf}, Total: 99} // shown, not counted

	got := RoundTotal(s, []StageResult{self, panel, public, peer})
	// 86 × 0.5 + 70 × 0.3 + 90 × 0.2 = 43 + 21 + 18
	if got.Total != 82 || !got.Complete || got.VetoFailed {
		t.Errorf("total %v complete %v veto %v; want 82 true false", got.Total, got.Complete, got.VetoFailed)
	}
	if want := "总分 = 评议团评议 86 分 × 50% + 社会评议 70 分 × 30% + 互评 90 分 × 20% = 82 分"; !slices.Contains(got.Explanation, want) {
		t.Errorf("explanation %q lacks %q", got.Explanation, want)
	}

	// Weights as shares of 1 give the same total.
	for _, sr := range []*StageResult{&panel, &public, &peer} {
		sr.Stage.Weight /= 100
	}
	if again := RoundTotal(s, []StageResult{panel, public, peer}); again.Total != 82 {
		t.Errorf("total with weights of 1: %v", again.Total)
	}

	// A stage with too few submissions is left out and named; the others
	// are scaled up.
	public.TooFew = true
	got = RoundTotal(s, []StageResult{panel, public, peer})
	if want := round((86*0.5 + 90*0.2) / 0.7); got.Total != want || got.Complete || !cmp.Equal(got.Missing, []StageKind{StagePublic}) {
		t.Errorf("total %v complete %v missing %v; want %v false [public]", got.Total, got.Complete, got.Missing, want)
	}
	for _, line := range []string{"社会评议（权重 30%）提交不足，未计入总分", "其余环节的权重合计 70%，按比例折算为 100%"} {
		if !slices.Contains(got.Explanation, line) {
			t.Errorf("explanation %q lacks %q", got.Explanation, line)
		}
	}

	// A veto in any stage fails the round; with VetoZero the total is 0.
	public.TooFew = false
	peer.Vetoed, peer.VetoFailed = []string{"V1"}, true
	got = RoundTotal(s, []StageResult{panel, public, peer})
	if !got.VetoFailed || got.Total != 82 || !cmp.Equal(got.Vetoed, []string{"V1"}) {
		t.Errorf("veto %v total %v vetoed %v", got.VetoFailed, got.Total, got.Vetoed)
	}
	s.VetoZero = true
	if got = RoundTotal(s, []StageResult{panel, public, peer}); got.Total != 0 {
		t.Errorf("VetoZero total %v", got.Total)
	}

	if got = RoundTotal(s, nil); got.Complete || got.Total != 0 {
		t.Errorf("an empty round: %+v", got)
	}
}

func TestValidateStages(t *testing.T) {
	ok := [][]Stage{
		{{Kind: StagePanel, Weight: 50}, {Kind: StagePublic, Weight: 30}, {Kind: StagePeer, Weight: 20}},
		{{Kind: StagePanel, Weight: 0.4}, {Kind: StagePublic, Weight: 0.4}, {Kind: StagePeer, Weight: 0.2}, {Kind: StageSelf}},
		{{Kind: StageOffice, Weight: 1, Combine: TrimmedMean, MinRaters: 5}},
	}
	for _, stages := range ok {
		if err := ValidateStages(stages); err != nil {
			t.Errorf("%v: %v", stages, err)
		}
	}
	bad := []struct {
		stages []Stage
		field  string
	}{
		{nil, "stages"},
		{[]Stage{{Kind: "jury", Weight: 1}}, "stages[0]"},
		{[]Stage{{Kind: StagePanel, Weight: 60}, {Kind: StagePublic, Weight: 50}}, "stages"},
		{[]Stage{{Kind: StagePanel, Weight: 2}, {Kind: StagePublic, Weight: -1}}, "stages[1]"},
		{[]Stage{{Kind: StagePanel, Weight: 1, Combine: "median"}}, "stages[0]"},
		{[]Stage{{Kind: StagePanel, Weight: 1, MinRaters: -1}}, "stages[0]"},
		{[]Stage{{Kind: StagePublic, Weight: 1, Rule: "nps"}}, "stages[0]"},
	}
	for _, tt := range bad {
		if f := invalidField(t, ValidateStages(tt.stages)); f != tt.field {
			t.Errorf("%v: field %q, want %q", tt.stages, f, tt.field)
		}
	}
}
