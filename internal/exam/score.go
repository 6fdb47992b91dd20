package exam

import (
	"math"
	"slices"
	"strings"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/question"
)

// Answer is what an examinee saved for one question.
type Answer struct {
	// Given is in the question's own labels (see ToOriginal).
	Given []string
	// Seq orders the saves of one question; see Newer.
	Seq int64
	// Awarded is the points a marker gave a question marked by hand; nil
	// while it waits for one.
	Awarded *float64
}

// ItemResult is the marking of one item.
type ItemResult struct {
	QuestionID app.ID
	Verdict    question.Verdict
	// Points are the points earned, on the paper's own scale.
	Points float64
}

// Result is the marking of an attempt.
type Result struct {
	// Score is out of 100 whatever the paper's full marks: Raw / Max × 100,
	// rounded to two decimals. Grade and Passed are read from it.
	Score float64
	// Raw is the points earned and Max the paper's full marks.
	Raw, Max float64
	// PendingManual says some answer waits for a marker; Score, Grade and
	// Passed are provisional until then.
	PendingManual bool
	PerItem       []ItemResult
	Grade         string
	Passed        bool
}

// Grades of the exam's default bands.
const (
	Excellent = "优秀"
	Good      = "良好"
	Qualified = "合格"
	Failed    = "不合格"
)

// DefaultPass is the pass mark out of 100.
const DefaultPass = 60

// DefaultBands returns 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, else 不合格, as a
// new slice a form may edit.
func DefaultBands() []assess.Band {
	return []assess.Band{{Grade: Excellent, Min: 90}, {Grade: Good, Min: 80}, {Grade: Qualified, Min: 60}, {Grade: Failed, Min: 0}}
}

// Grading turns a score out of 100 into a grade and a pass.
type Grading struct {
	// Pass is the lowest passing score out of 100; zero means DefaultPass.
	Pass float64
	// Bands run from the best grade down (see assess.Grader); empty means
	// DefaultBands.
	Bands []assess.Band
}

// Validate checks the pass mark and the bands.
func (g Grading) Validate() error {
	if math.IsNaN(g.Pass) || g.Pass < 0 || g.Pass > 100 {
		return app.Invalid("pass", "及格分应在 0 到 100 之间")
	}
	return assess.Grader{Bands: g.Bands}.Validate()
}

// Score marks an attempt on paper p. qs holds the paper's questions and
// answers the examinee's, both by question ID.
//
// A right answer earns the item's full points; a wrong or missing one
// earns nothing. A question marked by hand (an essay, or one without a
// key) earns what Answer.Awarded says, clamped to the item's points, and
// until a marker has set it earns nothing and makes the result
// PendingManual; an unanswered essay is simply wrong. A question missing
// from qs is left to a marker too, rather than silently scored. The score
// is scaled to 100 when the paper's full marks are not 100.
func Score(p Paper, qs map[app.ID]question.Question, answers map[app.ID]Answer, g Grading) Result {
	res := Result{PerItem: make([]ItemResult, 0, len(p.Items))}
	for _, it := range p.Items {
		res.Max += it.Points
		a := answers[it.QuestionID]
		ir := ItemResult{QuestionID: it.QuestionID, Verdict: question.ByHand}
		q, ok := qs[it.QuestionID]
		switch {
		case !blank(a.Given) && ok:
			ir.Verdict = question.Mark(&q, a.Given)
		case blank(a.Given) && a.Awarded == nil:
			ir.Verdict = question.Wrong
		}
		switch ir.Verdict {
		case question.Right:
			ir.Points = it.Points
		case question.ByHand:
			if a.Awarded != nil && !math.IsNaN(*a.Awarded) {
				ir.Points = min(max(*a.Awarded, 0), it.Points)
			} else {
				res.PendingManual = true
			}
		}
		res.Raw += ir.Points
		res.PerItem = append(res.PerItem, ir)
	}
	if res.Max > 0 {
		res.Score = math.Round(res.Raw/res.Max*100*100) / 100
	}
	bands := g.Bands
	if len(bands) == 0 {
		bands = DefaultBands()
	}
	res.Grade = assess.Grader{Bands: bands}.GradeByThreshold(res.Score, false)
	pass := g.Pass
	if pass == 0 {
		pass = DefaultPass
	}
	// Score is rounded to hundredths, so a small epsilon only absorbs
	// binary representation.
	res.Passed = res.Score >= pass-1e-9
	return res
}

// blank reports whether an answer holds nothing but white space.
func blank(given []string) bool {
	return !slices.ContainsFunc(given, func(s string) bool { return strings.TrimSpace(s) != "" })
}
