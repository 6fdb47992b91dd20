package quiz

import (
	"slices"
	"strings"
	"testing"

	"pufa/internal/app"
	"pufa/internal/question"
)

// FuzzMark marks arbitrary answers on a shuffled paper: Mark must not
// panic; it either refuses the form with an app.Invalid error about the
// answer, or returns scores within 0–100 whose points add up, and marks
// the same answers the same way again.
func FuzzMark(f *testing.F) {
	f.Add(uint64(0), "C", "A,D,E", "true", "A", "12,4", "false", "B,C")
	f.Add(uint64(1), "c ", "e,a,,d", "", "Ｂ", "１２,4", "x", "")
	f.Add(uint64(2), "Z", "A,A", "TRUE", "A,B", "", "false", "D")
	f.Fuzz(func(t *testing.T, seed uint64, a1, a2, a3, a4, a5, a6, a7 string) {
		q, bank := sampleQuiz(), sampleBank()
		q.ShuffleOptions = true
		answers := map[app.ID][]string{}
		for i, s := range []string{a1, a2, a3, a4, a5, a6, a7} {
			if s != "" {
				answers[app.ID(i+1)] = strings.Split(s, ",")
			}
		}
		res, err := q.Mark(bank, seed, answers)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("Mark: %v, want an invalid-answer error", err)
			}
			return
		}
		if res.Total < 0 || res.Total > Full {
			t.Fatalf("total %v", res.Total)
		}
		earned := map[string]Hundredths{}
		for _, m := range res.Questions {
			if (m.Verdict == question.Right) != (m.Points > 0) {
				t.Fatalf("question %s: %v with %v points", m.QuestionID, m.Verdict, m.Points)
			}
			earned[m.Dimension] += m.Points
			bq := bank[m.QuestionID]
			for _, g := range m.Given {
				if bq.Type.HasOptions() && !slices.ContainsFunc(bq.Options, func(o question.Option) bool { return o.Label == g }) {
					t.Fatalf("question %s: given %q is not an option", m.QuestionID, g)
				}
			}
		}
		for _, d := range res.Dimensions {
			if d.Earned != earned[d.Code] || d.Score < 0 || d.Score > Full || (d.Earned == d.Possible) != (d.Score == Full) {
				t.Fatalf("dimension %+v, earned %v", d, earned[d.Code])
			}
		}
		again, err := q.Mark(bank, seed, answers)
		if err != nil || again.Total != res.Total || !slices.Equal(again.Dimensions, res.Dimensions) {
			t.Fatalf("marking again: %v, %v", again.Total, err)
		}
	})
}
