package quiz

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/question"
)

// streamOptions is the PCG stream of option shuffles, so a seed shared
// with another use of the generator does not give the same permutations.
const streamOptions = 0x7075666171757a31 // "pufaquz1"

// Paper returns the quiz as one respondent sees it: an exam item per
// question, in the quiz's order, with the question's points and, when
// ShuffleOptions is set, the display order of a choice question's options
// drawn from seed. The same quiz, bank and seed always give the same
// paper, so the store keeps only the seed with the response (a random one
// per respondent) and the pages show each question with
// exam.Present(q, item) and read answers back with exam.ToOriginal. A
// question missing from bank keeps the bank's order.
func (q *Quiz) Paper(bank map[app.ID]question.Question, seed uint64) exam.Paper {
	r := rand.New(rand.NewPCG(seed, streamOptions))
	p := exam.Paper{Items: make([]exam.Item, 0, len(q.Questions))}
	for _, qq := range q.Questions {
		it := exam.Item{QuestionID: qq.QuestionID, Points: qq.Points}
		if bq, ok := bank[qq.QuestionID]; ok && q.ShuffleOptions && bq.Type.HasOptions() {
			it.Order = r.Perm(len(bq.Options))
		}
		p.Items = append(p.Items, it)
	}
	return p
}

// Result is one response marked.
type Result struct {
	// Total is out of 100: the dimensions' scores weighted by their
	// weights, Σ weight × score / Σ weight, rounded to hundredths.
	Total Hundredths
	// Dimensions are the scores per dimension, in the quiz's order.
	Dimensions []DimensionScore
	// Questions are the verdicts, in the quiz's order.
	Questions []Marked
	// Paper is what the respondent saw; with it the result page shows the
	// right answers in the letters the respondent saw them under.
	Paper exam.Paper
}

// DimensionScore is a response's score on one dimension.
type DimensionScore struct {
	Code string
	// Earned and Possible are points, in hundredths.
	Earned, Possible Hundredths
	// Score is Earned / Possible × 100, rounded to hundredths.
	Score Hundredths
}

// Marked is the marking of one question.
type Marked struct {
	QuestionID app.ID
	Dimension  string
	// Given is the answer in the question's own labels (see
	// exam.ToOriginal), empty when unanswered.
	Given   []string
	Verdict question.Verdict
	// Points are the points earned, in hundredths: the question's points
	// or nothing.
	Points Hundredths
}

// Mark marks a response. bank holds the quiz's questions by ID; answers
// holds what the respondent gave, by question ID, in the letters shown on
// their paper (the one Paper gives for seed), as the form sent them.
//
// A right answer earns the question's points; a wrong or missing one
// earns nothing, and so does a question the bank can no longer mark (its
// key removed since publishing: Verdict question.ByHand). An answer to a
// question the quiz does not ask is ignored. An answer that is not one of
// the question's options, or a second choice for a single-choice question,
// is an app.Invalid error (field "answer") naming the question's number: a
// form the page built cannot send one. A quiz question missing from bank is
// an internal error.
//
// Each dimension scores Earned / Possible × 100 and the total is the
// weighted mean of those scores, all rounded to hundredths, halves up, as
// exam.Score rounds.
func (q *Quiz) Mark(bank map[app.ID]question.Question, seed uint64, answers map[app.ID][]string) (Result, error) {
	res := Result{Paper: q.Paper(bank, seed)}
	earned := make([]int64, len(q.Dimensions))
	possible := make([]int64, len(q.Dimensions))
	for i, qq := range q.Questions {
		bq, ok := bank[qq.QuestionID]
		if !ok {
			return Result{}, fmt.Errorf("quiz.Mark: question %s of the quiz is not in the bank", qq.QuestionID)
		}
		d := q.dimension(qq.Dimension)
		if d < 0 {
			return Result{}, fmt.Errorf("quiz.Mark: question %s is in unknown dimension %q", qq.QuestionID, qq.Dimension)
		}
		pts, _ := hundredths(qq.Points)
		m := Marked{QuestionID: qq.QuestionID, Dimension: qq.Dimension, Given: []string{}, Verdict: question.Wrong}
		if given := answers[qq.QuestionID]; !blank(given) {
			orig, err := exam.ToOriginal(bq, res.Paper.Items[i], given)
			if err != nil {
				return Result{}, app.Invalid("answer", "第 %d 题：%s", i+1, app.ErrorMessage(err))
			}
			m.Given = orig
			if !blank(orig) {
				m.Verdict = question.Mark(&bq, orig)
			}
		} else if bq.Type == question.Essay || !bq.Answered() {
			m.Verdict = question.ByHand
		}
		if m.Verdict == question.Right {
			m.Points = pts
		}
		earned[d] += int64(m.Points)
		possible[d] += int64(pts)
		res.Questions = append(res.Questions, m)
	}
	var num, den int64
	for i, dim := range q.Dimensions {
		ds := DimensionScore{Code: dim.Code, Earned: Hundredths(earned[i]), Possible: Hundredths(possible[i])}
		if possible[i] > 0 {
			ds.Score = Hundredths(divRound(earned[i]*int64(Full), possible[i]))
		}
		res.Dimensions = append(res.Dimensions, ds)
		w, _ := hundredths(dim.Weight)
		if possible[i] > 0 && w > 0 {
			num += int64(w) * int64(ds.Score)
			den += int64(w)
		}
	}
	if den > 0 {
		res.Total = Hundredths(divRound(num, den))
	}
	return res, nil
}

// Restore rebuilds the Result a respondent saw from their stored response,
// for their result page opened again: the verdicts, points, dimension
// scores and total as stored, nothing marked again (a key corrected since
// does not change a result already shown); each question's dimension and
// each dimension's points possible from the quiz; the paper drawn again
// from the seed, for which bank needs only the questions' options. The
// questions are in the quiz's order, aligned with Paper's items; one the
// stored response lacks shows as unanswered and wrong.
func (q *Quiz) Restore(bank map[app.ID]question.Question, sr StoredResult) Result {
	res := Result{Total: sr.Total, Paper: q.Paper(bank, sr.Seed)}
	stored := make(map[app.ID]Marked, len(sr.Questions))
	for _, m := range sr.Questions {
		stored[m.QuestionID] = m
	}
	earned := make([]Hundredths, len(q.Dimensions))
	possible := make([]Hundredths, len(q.Dimensions))
	for _, qq := range q.Questions {
		m, ok := stored[qq.QuestionID]
		if !ok {
			m = Marked{QuestionID: qq.QuestionID, Given: []string{}, Verdict: question.Wrong}
		}
		m.Dimension = qq.Dimension
		if d := q.dimension(qq.Dimension); d >= 0 {
			pts, _ := hundredths(qq.Points)
			earned[d] += m.Points
			possible[d] += pts
		}
		res.Questions = append(res.Questions, m)
	}
	for i, dim := range q.Dimensions {
		res.Dimensions = append(res.Dimensions, DimensionScore{Code: dim.Code, Earned: earned[i], Possible: possible[i], Score: sr.Scores[dim.Code]})
	}
	return res
}

// Response returns the raw response Tally reads: the profile answers (as
// ReadProfile returned them) and the scores.
func (r Result) Response(profile map[string]string) Response {
	resp := Response{Profile: profile, Scores: make(map[string]Hundredths, len(r.Dimensions)), Total: r.Total}
	for _, d := range r.Dimensions {
		resp.Scores[d.Code] = d.Score
	}
	return resp
}

// blank reports whether an answer holds nothing but white space.
func blank(given []string) bool {
	return !slices.ContainsFunc(given, func(s string) bool { return strings.TrimSpace(s) != "" })
}
