package web

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/question"
)

// Hand marking: essays, and questions without a key, wait for a marker's
// points; each award re-marks the attempt in the store.

// markItem is one answer waiting for (or given) a marker's points.
type markItem struct {
	Sitting *exam.SittingRow
	// N is the question's number on the paper.
	N int
	Q *question.Stored
	// Given is the examinee's answer, each blank on its own line.
	Given  []string
	Points float64
	// Awarded is the points given so far; nil while it waits.
	Awarded     *float64
	AwardedText string
	// Field names the points input: p_<attempt>_<question>.
	Field string
	// Value is what the input shows: what was typed, or the points given.
	Value string
}

type markingData struct {
	Exam  *exam.Exam
	Items []markItem
	// Attempt is the one attempt shown, when the page is for one person.
	Attempt *exam.SittingRow
	// Waiting counts the attempts waiting for hand marking; Shown how
	// many of them this page holds.
	Waiting, Shown int
	// Saved counts the awards a refused submit still stored.
	Saved int
	Query string
}

// markingAttempts is how many waiting attempts one page lists.
const markingAttempts = 20

// markingItems lists the hand-marked answers of an exam's attempts: of
// one attempt (all of them, to correct a mark), or of the first waiting
// attempts (only those still waiting).
func (s *Server) markingItems(ctx context.Context, e *exam.Exam, attemptID app.ID) (*markingData, error) {
	rows, err := s.db.FindExamSittings(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	d := &markingData{Exam: e}
	var chosen []*exam.SittingRow
	for _, row := range rows {
		switch {
		case attemptID != 0 && row.ID == attemptID:
			d.Attempt = row
			chosen = append(chosen, row)
		case attemptID == 0 && row.PendingManual:
			d.Waiting++
			if len(chosen) < markingAttempts {
				chosen = append(chosen, row)
			}
		}
	}
	if attemptID != 0 && d.Attempt == nil {
		return nil, app.Errorf(app.ENOTFOUND, "这场考试没有这份已交的答卷")
	}
	d.Shown = len(chosen)
	for _, row := range chosen {
		answers, err := s.db.FindAnswers(ctx, row.ID)
		if err != nil {
			return nil, err
		}
		qs, err := s.paperQuestions(ctx, row.Paper)
		if err != nil {
			return nil, err
		}
		for i, it := range row.Paper.Items {
			a, ok := answers[it.QuestionID]
			c := qs[it.QuestionID]
			if !ok || c == nil || blankGiven(a.Given) || question.Mark(&c.q.Question, a.Given) != question.ByHand {
				continue
			}
			if attemptID == 0 && a.Awarded != nil {
				continue
			}
			item := markItem{Sitting: row, N: i + 1, Q: c.q, Given: a.Given, Points: it.Points, Awarded: a.Awarded,
				Field: "p_" + row.ID.String() + "_" + it.QuestionID.String()}
			if a.Awarded != nil {
				item.Value = strconv.FormatFloat(*a.Awarded, 'f', -1, 64)
				item.AwardedText = item.Value
			}
			d.Items = append(d.Items, item)
		}
	}
	if attemptID == 0 {
		// One question across the papers, then the next: a marker keeps
		// one reference answer in mind and marks alike.
		slices.SortStableFunc(d.Items, func(a, b markItem) int { return cmp.Compare(a.Q.ID, b.Q.ID) })
	}
	return d, nil
}

func blankGiven(given []string) bool {
	for _, g := range given {
		if strings.TrimSpace(g) != "" {
			return false
		}
	}
	return true
}

func markingAttempt(r *http.Request) (app.ID, error) {
	v := r.URL.Query().Get("attempt")
	if v == "" {
		return 0, nil
	}
	id, err := app.ParseID("attempt", v)
	if err != nil {
		return 0, app.Errorf(app.ENOTFOUND, "答卷不存在")
	}
	return id, nil
}

// examMarking shows the answers waiting for points.
func (s *Server) examMarking(w http.ResponseWriter, r *http.Request) error {
	e, err := s.managedExam(r)
	if err != nil {
		return err
	}
	attemptID, err := markingAttempt(r)
	if err != nil {
		return err
	}
	d, err := s.markingItems(r.Context(), e, attemptID)
	if err != nil {
		return err
	}
	d.Query = r.URL.RawQuery
	v := s.newView(r, e.Title+" · 阅卷", d)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "exam_admin_marking", v)
}

// examMarkingSave stores the points typed on the marking page: every
// filled input is one award, re-marking its attempt. A refused value is
// shown again with its message; the others are stored.
func (s *Server) examMarkingSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.managedExam(r)
	if err != nil {
		return err
	}
	attemptID, err := markingAttempt(r)
	if err != nil {
		return err
	}
	d, err := s.markingItems(ctx, e, attemptID)
	if err != nil {
		return err
	}
	var errs []fieldError
	saved := 0
	for i := range d.Items {
		it := &d.Items[i]
		typed := strings.TrimSpace(r.PostFormValue(it.Field))
		it.Value = typed
		if typed == "" || (it.Awarded != nil && typed == strconv.FormatFloat(*it.Awarded, 'f', -1, 64)) {
			continue
		}
		who := fmt.Sprintf("%s 第 %d 题", it.Sitting.UserName, it.N)
		x, perr := strconv.ParseFloat(typed, 64)
		if perr != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			errs = append(errs, fieldError{Field: it.Field, Message: who + "：得分“" + typed + "”不是数字"})
			continue
		}
		if _, err := s.db.AwardAnswer(ctx, it.Sitting.ID, it.Q.ID, x); err != nil {
			if app.ErrorCode(err) == app.EINTERNAL {
				return err
			}
			errs = append(errs, fieldError{Field: it.Field, Message: who + "：" + app.ErrorMessage(err)})
			continue
		}
		saved++
	}
	back := "/exams/" + e.ID.String() + "/marking"
	if r.URL.RawQuery != "" {
		back += "?" + r.URL.RawQuery
	}
	if len(errs) > 0 {
		d.Saved, d.Query = saved, r.URL.RawQuery
		v := s.newView(r, e.Title+" · 阅卷", d)
		v.Active = "exams"
		v.Errors = errs
		return s.render(w, r, http.StatusBadRequest, "exam_admin_marking", v)
	}
	if saved == 0 {
		return s.redirect(w, r, back, "没有填写新的得分")
	}
	return s.redirect(w, r, back, fmt.Sprintf("已保存 %d 道题的得分，答卷成绩已重新计算", saved))
}
