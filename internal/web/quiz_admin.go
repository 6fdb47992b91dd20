package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/authz"
	"pufa/internal/quiz"
)

// The office's side of the public literacy quiz: its quizzes with their
// links and QR codes to print, and one quiz's figures per dimension,
// overall and per profile group, each with its sample size, with the
// burst and population alarms and the exclusion of a flagged burst. The
// form that makes a quiz is quiz_admin_form.go; the invitation links, the
// poster and the export of the figures are quiz_admin_export.go.

// quizTarget targets the office that runs quiz {id}.
func quizTarget(s *Server, r *http.Request) (authz.Target, error) {
	q, err := s.managedQuiz(r)
	if err != nil {
		return authz.Target{}, err
	}
	return authz.AtOrg(q.OrgPath), nil
}

// managedQuiz loads quiz {id}; the route has checked the right to manage it.
func (s *Server) managedQuiz(r *http.Request) (*quiz.Stored, error) {
	id, err := pathID(r, "id", "测评")
	if err != nil {
		return nil, err
	}
	return once(r, "quiz:"+id.String(), func() (*quiz.Stored, error) { return s.db.FindQuizByID(r.Context(), id) })
}

// quizPublicPath is the quiz's public address, which its QR code encodes.
func quizPublicPath(q *quiz.Stored) string { return "/p/quiz/" + url.PathEscape(q.Key) }

// quizRow is one quiz on the office's list.
type quizRow struct {
	Quiz              *quiz.Stored
	Link, FullLink    string
	StateLabel, Class string
	Counted, Excluded int
	Dimensions        int
	// Window says when it takes responses.
	Window string
}

type quizListData struct {
	Rows []quizRow
}

// quizList lists the quizzes of the office's region and those below it,
// each with its link and QR code and how many responses it has.
func (s *Server) quizList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	qs, err := s.db.FindQuizzes(ctx, a.OrgPath)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	d := quizListData{}
	for _, q := range qs {
		rs, err := s.db.FindResponses(ctx, q.ID)
		if err != nil {
			return err
		}
		row := quizRow{Quiz: q, Link: quizPublicPath(q), Dimensions: len(q.Dimensions), Window: quizWindow(q)}
		row.FullLink = s.publicBase(r) + row.Link
		row.StateLabel, row.Class = quizState(q, now)
		for _, resp := range rs {
			if resp.Excluded {
				row.Excluded++
			} else {
				row.Counted++
			}
		}
		d.Rows = append(d.Rows, row)
	}
	v := s.newView(r, "公民法治素养测评", d)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "quizzes", v)
}

// quizFigure is one figure of the results page: a mean and a share over
// N responses, or "—" with the reason it is withheld.
type quizFigure struct {
	N           int
	Mean, Share string
	Reached     int
	// Width is the mean as a bar's width out of 100.
	Width int
	// Why names the reason a figure is withheld: too few responses, or
	// withheld beside a small group so that it cannot be worked out.
	Why string
	// OwnN says the figure's N differs from its row's, so the page shows
	// it beside the figure.
	OwnN bool
	// Raw is the tallied figure, for the export's numbers.
	Raw quiz.Figure
}

// Withheld reports a withheld figure.
func (f quizFigure) Withheld() bool { return f.Mean == "" }

// quizFigRow is one row of figures: the total, then each dimension.
type quizFigRow struct {
	Label string
	// Key names the row in the page's data-fig attributes:
	// "overall", or "<profile code>.<choice code>".
	Key   string
	Total quizFigure
	Dims  []quizFigure
}

// quizBreakdown is the figures per choice of one profile question.
type quizBreakdown struct {
	Code, Label string
	Rows        []quizFigRow
	Withheld    bool
}

type quizResultsData struct {
	Quiz              *quiz.Stored
	Link, FullLink    string
	StateLabel, Class string
	All, Counted      int
	Excluded          int
	Dimensions        []quiz.Dimension
	Threshold         string
	ThresholdLabel    string
	MinGroup          int
	Overall           quizFigRow
	Breakdowns        []quizBreakdown
	// The alarms over every response.
	Alarm assess.Alarm
	// Pending are the flagged responses not excluded yet; BurstFrom and
	// BurstTo span the flagged ones.
	Pending            int
	BurstFrom, BurstTo time.Time
	// Last is the time of the newest response.
	Last time.Time
	// Questions are the quiz's questions; MaxTokens bounds one issue of
	// invitation links.
	Questions []quizQuestionRow
	MaxTokens int
}

// BurstText says when the flagged responses came: one minute, or a span.
func (d quizResultsData) BurstText() string {
	from, to := d.BurstFrom.In(app.Shanghai), d.BurstTo.In(app.Shanghai)
	switch {
	case from.Truncate(time.Minute).Equal(to.Truncate(time.Minute)):
		return from.Format("2006-01-02 15:04")
	case from.YearDay() == to.YearDay() && from.Year() == to.Year():
		return from.Format("2006-01-02 15:04") + " 至 " + to.Format("15:04")
	}
	return fmtTime(from) + " 至 " + fmtTime(to)
}

// figureOf turns a tallied figure into the page's.
func figureOf(f quiz.Figure, minGroup int) quizFigure {
	out := quizFigure{N: f.N, Raw: f}
	switch {
	case !f.Withheld():
		out.Mean, out.Share, out.Reached = fixed2(*f.Mean), fixed2(*f.Share)+"%", *f.Reached
		out.Width = int(*f.Mean / 100)
	case f.N == 0:
		out.Why = "无答卷"
	case f.N < minGroup:
		out.Why = "样本不足"
	default:
		out.Why = "防推算"
	}
	return out
}

// fixed2 writes a figure with two decimals, so the columns of a table
// line up: 6300 is "63.00".
func fixed2(h quiz.Hundredths) string {
	sign := ""
	if h < 0 {
		sign, h = "-", -h
	}
	return fmt.Sprintf("%s%d.%02d", sign, h/100, h%100)
}

// figRow turns a tallied row into the page's.
func figRow(label, key string, row quiz.Row, minGroup int) quizFigRow {
	out := quizFigRow{Label: label, Key: key, Total: figureOf(row.Total, minGroup)}
	for _, f := range row.Dimensions {
		fig := figureOf(f, minGroup)
		fig.OwnN = f.N != row.Total.N
		out.Dims = append(out.Dims, fig)
	}
	return out
}

// quizResults shows a quiz's figures: per dimension, overall and per
// profile group, from the responses not excluded, with N beside each and
// small groups withheld (Quiz.Tally), and the alarms over all responses.
func (s *Server) quizResults(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q, err := s.managedQuiz(r)
	if err != nil {
		return err
	}
	d, err := s.quizFigures(ctx, q)
	if err != nil {
		return err
	}
	d.Link = quizPublicPath(q)
	d.FullLink = s.publicBase(r) + d.Link
	d.StateLabel, d.Class = quizState(q, s.clock.Now())
	d.MaxTokens = maxTokensPerIssue
	if d.Questions, err = s.quizQuestionRows(ctx, q); err != nil {
		return err
	}
	v := s.newView(r, q.Title+" · 测评结果", d)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "quiz_results", v)
}

// quizFigures tallies a quiz's responses as the results page and its
// export show them: the figures from the responses not excluded, small
// groups withheld (Quiz.Tally), and the alarms over all responses.
func (s *Server) quizFigures(ctx context.Context, q *quiz.Stored) (*quizResultsData, error) {
	rs, err := s.db.FindResponses(ctx, q.ID)
	if err != nil {
		return nil, err
	}
	d := &quizResultsData{Quiz: q, Dimensions: q.Dimensions, All: len(rs)}
	counted := make([]quiz.Response, 0, len(rs))
	stamps := make([]quiz.Stamp, 0, len(rs))
	excluded := map[app.ID]bool{}
	at := map[app.ID]time.Time{}
	for _, resp := range rs {
		stamps = append(stamps, quiz.Stamp{ID: resp.ID, At: resp.At, Excluded: resp.Excluded})
		at[resp.ID] = resp.At
		if resp.At.After(d.Last) {
			d.Last = resp.At
		}
		if resp.Excluded {
			excluded[resp.ID] = true
			d.Excluded++
			continue
		}
		counted = append(counted, resp.Response)
	}
	d.Counted = len(counted)
	rep := q.Tally(counted)
	d.Threshold, d.ThresholdLabel, d.MinGroup = rep.Threshold.String(), rep.ThresholdLabel, rep.MinGroup
	d.Overall = figRow("全部答卷", "overall", rep.Overall, rep.MinGroup)
	for _, b := range rep.Profile {
		qb := quizBreakdown{Code: b.Code, Label: b.Label}
		for _, g := range b.Groups {
			row := figRow(g.Label, b.Code+"."+g.Choice, g.Row, rep.MinGroup)
			// The note explains withheld figures, not groups nobody is in.
			if row.Total.N > 0 && (row.Total.Withheld() || slices.ContainsFunc(row.Dims, func(f quizFigure) bool { return f.N > 0 && f.Withheld() })) {
				qb.Withheld = true
			}
			qb.Rows = append(qb.Rows, row)
		}
		d.Breakdowns = append(d.Breakdowns, qb)
	}
	d.Alarm = q.Alarm.Check(stamps)
	for _, id := range d.Alarm.Suspicious {
		t := at[id]
		if d.BurstFrom.IsZero() || t.Before(d.BurstFrom) {
			d.BurstFrom = t
		}
		if t.After(d.BurstTo) {
			d.BurstTo = t
		}
		if !excluded[id] {
			d.Pending++
		}
	}
	return d, nil
}

// quizQuestionRow is one question of a quiz as its results page lists it.
type quizQuestionRow struct {
	N         int
	Dimension string
	Type      string
	Stem      string
	Points    float64
}

// quizQuestionRows lists a quiz's questions for the office to check what
// the draw took; a question since deleted from the bank says so.
func (s *Server) quizQuestionRows(ctx context.Context, q *quiz.Stored) ([]quizQuestionRow, error) {
	names := map[string]string{}
	for _, d := range q.Dimensions {
		names[d.Code] = d.Name
	}
	out := make([]quizQuestionRow, 0, len(q.Questions))
	for i, qq := range q.Questions {
		row := quizQuestionRow{N: i + 1, Dimension: names[qq.Dimension], Points: qq.Points, Stem: "（题库中已删除）"}
		c, err := s.question(ctx, qq.QuestionID)
		switch {
		case err == nil:
			row.Type, row.Stem = c.q.Type.Label(), c.q.Stem
		case app.ErrorCode(err) != app.ENOTFOUND:
			return nil, err
		}
		out = append(out, row)
	}
	return out, nil
}

// quizExclude excludes the responses the burst alarm flags (burst=1), or
// those chosen by ID: the office judged them not genuine. Excluded
// responses leave the figures but stay listed, and the alarm still
// shows them.
func (s *Server) quizExclude(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q, err := s.managedQuiz(r)
	if err != nil {
		return err
	}
	ids, err := idList(r, "responses")
	if err != nil {
		return err
	}
	rs, err := s.db.FindResponses(ctx, q.ID)
	if err != nil {
		return err
	}
	known := map[app.ID]bool{}
	stamps := make([]quiz.Stamp, 0, len(rs))
	for _, resp := range rs {
		stamps = append(stamps, quiz.Stamp{ID: resp.ID, At: resp.At, Excluded: resp.Excluded})
		if !resp.Excluded {
			known[resp.ID] = true
		}
	}
	if r.PostFormValue("burst") == "1" {
		ids = nil
		for _, id := range q.Alarm.Check(stamps).Suspicious {
			if known[id] {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return app.Invalid("responses", "没有需要排除的集中提交答卷")
		}
	}
	if len(ids) == 0 {
		return app.Invalid("responses", "请选择要排除的答卷")
	}
	for _, id := range ids {
		if !known[id] {
			return app.Invalid("responses", "所选答卷不属于本测评或已排除")
		}
	}
	if err := s.db.ExcludeResponses(ctx, q.ID, ids); err != nil {
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("/quizzes/%s", q.ID), fmt.Sprintf("已将 %d 份答卷排除出统计", len(ids)))
}
