package assess

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"pufa/internal/app"
)

// StageKind is the kind of a round's stage.
type StageKind string

// Stage kinds.
const (
	StageSelf   StageKind = "self"   // 自评
	StagePanel  StageKind = "panel"  // 评议团
	StagePublic StageKind = "public" // 社会评议
	StageSite   StageKind = "site"   // 实地考察
	StagePeer   StageKind = "peer"   // 互评
	StageOffice StageKind = "office" // 普法办核查
)

// StageKinds lists the kinds in the order forms offer them.
var StageKinds = []StageKind{StageSelf, StagePanel, StagePublic, StageSite, StagePeer, StageOffice}

// Label is the kind's Chinese name.
func (k StageKind) Label() string {
	switch k {
	case StageSelf:
		return "自评"
	case StagePanel:
		return "评议团评议"
	case StagePublic:
		return "社会评议"
	case StageSite:
		return "实地考察"
	case StagePeer:
		return "互评"
	case StageOffice:
		return "普法办核查"
	}
	return string(k)
}

func (k StageKind) valid() bool { return slices.Contains(StageKinds, k) }

// Combine says how a stage turns its raters' totals into one.
type Combine string

// Ways of combining raters.
const (
	// Mean is the plain mean of the raters' totals.
	Mean Combine = "mean"
	// TrimmedMean drops one highest and one lowest total
	// (去掉一个最高分和一个最低分) and averages the rest; with fewer than
	// TrimMinRaters raters it is the plain mean.
	TrimmedMean Combine = "trimmed_mean"
)

// TrimMinRaters is the fewest raters a trimmed mean trims at: with fewer,
// dropping two totals would leave too few to average.
const TrimMinRaters = 5

// PublicRule says how a public-rating stage turns 1–5 ratings into points.
type PublicRule string

// Public-rating rules.
const (
	// Satisfaction is the share of 4 and 5 ratings (满意率) times the
	// stage's points. It is the default.
	Satisfaction PublicRule = "satisfaction"
	// MeanRating is the mean rating over 5 times the stage's points.
	MeanRating PublicRule = "mean_rating"
)

// Stage is how one stage of a round counts.
type Stage struct {
	Kind StageKind
	// Name overrides the kind's label in explanations, for rounds with two
	// stages of one kind (实地考察, 现场评议).
	Name string
	// Weight is the stage's share of the round total. The weights of a
	// round add up to 1 or to 100 (50/30/20); RoundTotal normalizes them.
	// A zero weight shows a stage (often the self-assessment) without
	// counting it.
	Weight float64
	// MinRaters is the fewest submissions (ratings for a public stage) the
	// stage needs to count; fewer are flagged, not averaged. Zero means 1.
	MinRaters int
	Combine   Combine
	// Rule applies to public stages; empty means Satisfaction.
	Rule PublicRule
}

// label names the stage in explanations.
func (st Stage) label() string {
	if st.Name != "" {
		return st.Name
	}
	return st.Kind.Label()
}

func (st Stage) minRaters() int { return max(st.MinRaters, 1) }

// ValidateStages checks a round's stages: known kinds and ways of
// combining, non-negative weights adding up to 1 or to 100, and
// non-negative minimum submissions.
func ValidateStages(stages []Stage) error {
	if len(stages) == 0 {
		return app.Invalid("stages", "考评轮次至少要有一个环节")
	}
	var sum float64
	for i, st := range stages {
		field := fmt.Sprintf("stages[%d]", i)
		if !st.Kind.valid() {
			return app.Invalid(field, "第 %d 个环节的类型“%s”无效", i+1, st.Kind)
		}
		if !finite(st.Weight) || st.Weight < 0 {
			return app.Invalid(field, "%s的权重不能为负数", st.label())
		}
		if st.MinRaters < 0 {
			return app.Invalid(field, "%s的最少提交数不能为负数", st.label())
		}
		switch st.Combine {
		case "", Mean, TrimmedMean:
		default:
			return app.Invalid(field, "%s的汇总方式“%s”无效，应为 mean（平均）或 trimmed_mean（去掉最高最低分后平均）", st.label(), st.Combine)
		}
		switch st.Rule {
		case "", Satisfaction, MeanRating:
		default:
			return app.Invalid(field, "%s的计分规则“%s”无效，应为 satisfaction（满意率）或 mean_rating（平均评分）", st.label(), st.Rule)
		}
		sum += st.Weight
	}
	if !same(sum, 1) && !same(sum, 100) {
		return app.Invalid("stages", "各环节权重合计为 %s，应为 1 或 100", pts(sum))
	}
	return nil
}

// StageResult is one stage's figures for one subject.
type StageResult struct {
	Stage Stage
	// Total is the combined total on the scheme's scale. It does not count
	// when TooFew is set.
	Total float64
	// PerIndicator is the plain mean of each indicator's score over the
	// raters who scored it; it is shown beside the total, which may be
	// trimmed. Nil for a public stage.
	PerIndicator map[string]float64
	// Raters is the number of submissions: sheets, or ratings for a public
	// stage (its sample size).
	Raters int
	// TooFew flags a stage with fewer submissions than it needs.
	TooFew bool
	// Trimmed reports that the highest and lowest totals were dropped.
	Trimmed bool
	// Satisfied is the number of 4 and 5 ratings of a public stage.
	Satisfied int
	// Vetoed lists the veto items this stage failed, in tree order, by the
	// rule each states; VetoFailed reports whether there are any.
	Vetoed     []string
	VetoFailed bool
	// Explanation says in Chinese how the figures came about.
	Explanation []string
}

// PublicStage turns a public-rating stage's 1–5 ratings for one subject
// into points on a scale of points (normally the scheme's full marks, so
// the stage's weight gives its share: 85% satisfied × 100 × 30% = 25.5).
// By default the figure is the satisfaction rate, the share of 4 and 5
// ratings; with MeanRating it is the mean rating over 5. A rating outside
// 1–5 is refused.
func PublicStage(st Stage, ratings []int, points float64) (StageResult, error) {
	c, err := CountRatings(ratings)
	if err != nil {
		return StageResult{}, err
	}
	return PublicCounts(st, c, points)
}

func invalidRating(i, r int) error {
	return app.Invalid("ratings", "第 %d 份评价的评分 %d 无效，应为 1 到 5", i+1, r)
}

// PublicCounts is PublicStage from counts.
func PublicCounts(st Stage, c Ratings, points float64) (StageResult, error) {
	if !finite(points) || points <= 0 {
		return StageResult{}, app.Invalid("points", "社会评议的折算分值应大于 0")
	}
	if c.N < 0 || c.Satisfied < 0 || c.Satisfied > c.N || c.Sum < c.N || c.Sum > 5*c.N {
		return StageResult{}, app.Invalid("ratings", "社会评议的统计数字不一致")
	}
	out := StageResult{Stage: st, Raters: c.N, Satisfied: c.Satisfied}
	name := st.label()
	if c.N < st.minRaters() {
		out.TooFew = true
		out.Explanation = append(out.Explanation, fmt.Sprintf("%s：收到 %d 份评价，少于所需的 %d 份，未计入", name, c.N, st.minRaters()))
	}
	if c.N == 0 {
		return out, nil
	}
	n := float64(c.N)
	if st.Rule == MeanRating {
		mean := float64(c.Sum) / n
		out.Total = round(mean / 5 * points)
		out.Explanation = append(out.Explanation, fmt.Sprintf("%s：%d 份评价，平均 %s 分（满分 5 分），折合 %s 分（满分 %s）",
			name, c.N, pts(mean), pts(out.Total), pts(points)))
	} else {
		rate := float64(c.Satisfied) / n
		out.Total = round(float64(c.Satisfied) * points / n)
		out.Explanation = append(out.Explanation, fmt.Sprintf("%s：%d 份评价，满意（4–5 分）%d 份，满意率 %s，折合 %s 分（满分 %s）",
			name, c.N, c.Satisfied, percent(rate), pts(out.Total), pts(points)))
	}
	return out, nil
}

// RoundResult is a subject's result in a round.
type RoundResult struct {
	// Total is the weighted sum of the counted stages' totals, the weights
	// normalized over the stages that count.
	Total float64
	// Complete reports that every weighted stage had enough submissions;
	// Missing lists the stages that did not, which the total leaves out.
	Complete bool
	Missing  []StageKind
	// Vetoed lists the veto items any stage failed; VetoFailed reports
	// whether there are any.
	Vetoed      []string
	VetoFailed  bool
	Explanation []string
}

// Standing is the result as grading and ranking read it.
func (r RoundResult) Standing() Standing {
	return Standing{Total: r.Total, VetoFailed: r.VetoFailed}
}

// RoundTotal weights a subject's stage results into its round total. Stage
// totals are all on the scheme's scale (a public stage is scored with the
// scheme's full marks as its points), so the weights give the shares. The
// weights are normalized (1 or 100, whichever the round uses). A stage with
// too few submissions is left out and named, and the remaining stages'
// weights are scaled up to the whole, so a missing public rating does not
// read as a low score; the result is then not Complete, and publishing it
// is the office's call. A failed veto in any stage fails the round; with
// the scheme's VetoZero the total is then zero.
func RoundTotal(s *Scheme, stages []StageResult) RoundResult {
	var out RoundResult
	var all, counted float64
	for _, sr := range stages {
		w := math.Max(sr.Stage.Weight, 0)
		all += w
		if w > 0 && sr.TooFew {
			out.Missing = append(out.Missing, sr.Stage.Kind)
		} else {
			counted += w
		}
		for _, code := range sr.Vetoed {
			if !slices.Contains(out.Vetoed, code) {
				out.Vetoed = append(out.Vetoed, code)
			}
		}
	}
	out.Complete = len(out.Missing) == 0 && all > 0
	out.VetoFailed = len(out.Vetoed) > 0
	var parts []string
	var total float64
	for _, sr := range stages {
		w := math.Max(sr.Stage.Weight, 0)
		if w == 0 || sr.TooFew || counted == 0 {
			continue
		}
		share := w / counted
		total += sr.Total * share
		parts = append(parts, fmt.Sprintf("%s %s 分 × %s", sr.Stage.label(), pts(sr.Total), percent(share)))
	}
	out.Total = round(total)
	for _, sr := range stages {
		if sr.Stage.Weight > 0 && sr.TooFew {
			out.Explanation = append(out.Explanation, fmt.Sprintf("%s（权重 %s）提交不足，未计入总分", sr.Stage.label(), percent(sr.Stage.Weight/all)))
		}
	}
	if len(out.Missing) > 0 && counted > 0 {
		out.Explanation = append(out.Explanation, fmt.Sprintf("其余环节的权重合计 %s，按比例折算为 100%%", percent(counted/all)))
	}
	if len(parts) > 0 {
		out.Explanation = append(out.Explanation, fmt.Sprintf("总分 = %s = %s 分", strings.Join(parts, " + "), pts(out.Total)))
	} else {
		out.Explanation = append(out.Explanation, "没有可计入总分的环节")
	}
	if out.VetoFailed {
		line := fmt.Sprintf("一票否决指标 %s 未通过，等次按一票否决确定，排名列于其他对象之后", strings.Join(out.Vetoed, "、"))
		if s != nil && s.VetoZero {
			out.Total = 0
			line += "，总分记为 0 分"
		}
		out.Explanation = append(out.Explanation, line)
	}
	return out
}
