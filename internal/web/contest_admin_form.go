package web

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/contest"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/question"
)

// The settings form of a knowledge contest: what it is, which exams are
// its rounds, how teams score, the prizes, and the live final with its
// questions drawn from the office's bank.

// contestExamOpt is an exam the form offers as a round.
type contestExamOpt struct {
	ID    string
	Title string
	Exam  *exam.Exam
	State examState
	// Office names the office that runs it when that is not the
	// contest's own (an office below it).
	Office     string
	Checked    bool
	RoundTitle string
}

// drawnQuestion is a question of the final as the form lists it.
type drawnQuestion struct {
	No      int
	Type    string
	Stem    string
	Points  string
	Seconds int
}

// contestForm is the settings form of a contest, as typed.
type contestForm struct {
	// Action is where the form posts: /contests for a new contest, the
	// contest's own address when editing.
	Action  string
	Editing bool
	// Saved is the contest's title as stored, for the way back to it.
	Saved string
	// Revision is the contest's revision the form was opened on; the store
	// refuses the edit if someone has saved since.
	Revision string

	Title, Year, Intro           string
	Exams                        []contestExamOpt
	TeamRule, TeamN              string
	IndividualAwards, TeamAwards string

	FinalOn                     bool
	FinalTitle                  string
	FinalSingle, FinalTrueFalse string
	FinalPoints, FinalSeconds   string
	Redraw                      bool
	// Drawn are the final's questions as stored; Began says the final has
	// begun, so they may no longer change.
	Drawn []drawnQuestion
	Began bool
	// The bank's usable single-choice and true/false questions.
	BankSingle, BankTrueFalse int
	// Finalists counts the finalists already picked, kept by the form.
	Finalists int

	bank map[app.ID]*question.Stored
}

// BestNLabel states the rule of the best N as the rankings will, with N
// as typed.
func (f *contestForm) BestNLabel() string {
	if n, err := strconv.Atoi(strings.TrimSpace(f.TeamN)); err == nil && n > 0 && n <= contest.MaxBestN {
		return contest.TeamRule{Kind: contest.BestN, N: n}.Label()
	}
	return strings.ReplaceAll(contest.TeamRule{Kind: contest.BestN, N: 1}.Label(), " 1 ", " N ")
}

// ParticipationLabel states the rule of turnout as the rankings will.
func (f *contestForm) ParticipationLabel() string {
	return contest.TeamRule{Kind: contest.Participation}.Label()
}

// Defaults of a new contest's final.
const (
	finalDefaultSingle    = 10
	finalDefaultTrueFalse = 10
	finalDefaultPoints    = 10
	finalDefaultSeconds   = 30
)

// newContestForm is the form of a new contest, as a district commonly
// runs one: each unit's best five counted, prizes in three or four levels,
// a final of twenty questions ready to switch on.
func newContestForm(year int) *contestForm {
	return &contestForm{
		Action: "/contests", Title: fmt.Sprintf("%d年度学法用法知识竞赛", year), Year: strconv.Itoa(year),
		TeamRule: string(contest.BestN), TeamN: "5",
		IndividualAwards: "一等奖 1\n二等奖 3\n三等奖 6\n优秀奖 10\n",
		TeamAwards:       "一等奖 1\n二等奖 2\n三等奖 3\n",
		FinalTitle:       "现场决赛",
		FinalSingle:      strconv.Itoa(finalDefaultSingle), FinalTrueFalse: strconv.Itoa(finalDefaultTrueFalse),
		FinalPoints: strconv.Itoa(finalDefaultPoints), FinalSeconds: strconv.Itoa(finalDefaultSeconds),
	}
}

// contestFormOf fills the form from a stored contest.
func contestFormOf(c *contest.Contest) *contestForm {
	f := newContestForm(c.Year)
	f.Action, f.Editing, f.Saved = "/contests/"+c.ID.String(), true, c.Title
	f.Revision = strconv.Itoa(c.Revision)
	f.Title, f.Intro = c.Title, c.Intro
	f.TeamRule, f.TeamN = string(c.Team.Kind), ""
	if c.Team.Kind == contest.BestN {
		f.TeamN = strconv.Itoa(c.Team.N)
	}
	f.IndividualAwards, f.TeamAwards = c.Awards.Individual.String(), c.Awards.Team.String()
	if c.Final != nil {
		f.FinalOn, f.FinalTitle = true, c.Final.Title
		f.Finalists = len(c.Final.Finalists)
		if qs := c.Final.Questions; len(qs) > 0 {
			f.FinalPoints = strconv.FormatFloat(qs[0].Points, 'f', -1, 64)
			f.FinalSeconds = strconv.Itoa(qs[0].Seconds)
		}
	}
	return f
}

// contestFormData fills in what the form offers: the exams of the
// office's region, the bank's counts and the final's questions as stored.
// stored is the contest as stored (nil for a new one); the offered exams
// are ticked from its rounds unless the form was posted.
func (s *Server) contestFormData(ctx context.Context, officeID app.ID, officePath string, stored *contest.Contest, f *contestForm, posted bool) error {
	exams, _, err := s.db.FindExams(ctx, exam.ExamFilter{OrgPath: officePath, Limit: 100})
	if err != nil {
		return err
	}
	titles := map[app.ID]string{}
	if stored != nil {
		for _, rd := range stored.Rounds {
			titles[rd.ExamID] = rd.Title
			if !slices.ContainsFunc(exams, func(e *exam.Exam) bool { return e.ID == rd.ExamID }) {
				if e, err := s.db.FindExamByID(ctx, rd.ExamID); err == nil {
					exams = append(exams, e)
				}
			}
		}
	}
	now := s.clock.Now()
	offices := map[app.ID]string{}
	for _, e := range exams {
		opt := contestExamOpt{ID: e.ID.String(), Title: e.Title, Exam: e, State: stateOf(e, now)}
		if e.OrgID != officeID {
			name, ok := offices[e.OrgID]
			if !ok {
				if o, err := s.db.FindOrgByID(ctx, e.OrgID); err == nil {
					name = o.Name
				}
				offices[e.OrgID] = name
			}
			opt.Office = name
		}
		if !posted {
			if t, ok := titles[e.ID]; ok {
				opt.Checked, opt.RoundTitle = true, t
			}
		}
		f.Exams = append(f.Exams, opt)
	}

	bank, err := s.db.FindBank(ctx, org.PathsUp(officePath))
	if err != nil {
		return err
	}
	f.bank = map[app.ID]*question.Stored{}
	for _, q := range bank {
		f.bank[q.ID] = q
		if !q.Answered() || q.Validate() != nil {
			continue // Draw skips it too
		}
		switch q.Type {
		case question.Single:
			f.BankSingle++
		case question.TrueFalse:
			f.BankTrueFalse++
		}
	}
	f.Drawn = nil
	if stored != nil && stored.Final != nil {
		single, tf := 0, 0
		for i, lq := range stored.Final.Questions {
			q := f.bank[lq.QuestionID]
			if q == nil {
				// Taken out of the bank since: the final still holds it,
				// but a new draw does not.
				if q, err = s.db.FindQuestionByID(ctx, lq.QuestionID); err != nil {
					return err
				}
			}
			if q.Type == question.TrueFalse {
				tf++
			} else {
				single++
			}
			f.Drawn = append(f.Drawn, drawnQuestion{No: i + 1, Type: q.Type.Label(), Stem: q.Stem,
				Points: strconv.FormatFloat(lq.Points, 'f', -1, 64), Seconds: lq.Seconds})
		}
		if !posted && len(stored.Final.Questions) > 0 {
			f.FinalSingle, f.FinalTrueFalse = strconv.Itoa(single), strconv.Itoa(tf)
		}
		if f.Began, err = s.finalBegan(ctx, stored); err != nil {
			return err
		}
	}
	return nil
}

// finalBegan reports whether c's final has begun: a question was opened.
func (s *Server) finalBegan(ctx context.Context, c *contest.Contest) (bool, error) {
	if c.ID == 0 || c.Final == nil {
		return false, nil
	}
	steps, err := s.db.FindSteps(ctx, c.ID)
	return len(steps) > 0, err
}

// readContestForm reads the posted form into f and c (which holds the
// stored contest when editing). It keeps reading past the first mistake
// so that everything typed is shown again, and returns that mistake.
func (s *Server) readContestForm(r *http.Request, f *contestForm, c *contest.Contest) error {
	var first error
	fail := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	pf := r.PostFormValue
	f.Title, f.Year, f.Intro = strings.TrimSpace(pf("title")), strings.TrimSpace(pf("year")), strings.TrimSpace(pf("intro"))
	if f.Editing {
		// The edit is of the contest as the form showed it.
		f.Revision = pf("revision")
		rev, err := strconv.Atoi(f.Revision)
		if err != nil {
			fail(app.Errorf(app.ECONFLICT, "表单缺少版本信息，请刷新页面后重新修改"))
		}
		c.Revision = rev
	}
	f.TeamRule, f.TeamN = pf("team_rule"), strings.TrimSpace(pf("team_n"))
	f.IndividualAwards, f.TeamAwards = pf("individual_awards"), pf("team_awards")
	f.FinalOn, f.FinalTitle = pf("final_on") == "1", strings.TrimSpace(pf("final_title"))
	f.FinalSingle, f.FinalTrueFalse = strings.TrimSpace(pf("final_single")), strings.TrimSpace(pf("final_truefalse"))
	f.FinalPoints, f.FinalSeconds = strings.TrimSpace(pf("final_points")), strings.TrimSpace(pf("final_seconds"))
	f.Redraw = pf("final_redraw") == "1"

	c.Title, c.Intro = f.Title, f.Intro
	if c.Title == "" {
		fail(app.Invalid("title", "请填写竞赛名称"))
	}
	year, err := parseInt("year", "年度", f.Year, 2000, 2100, s.clock.Now().In(app.Shanghai).Year())
	fail(err)
	c.Year = year

	// The rounds: the exams ticked, in the order they open.
	chosen := map[string]bool{}
	for _, v := range r.PostForm["round"] {
		chosen[v] = true
	}
	var rounds []contestExamOpt
	for i := range f.Exams {
		o := &f.Exams[i]
		o.Checked = chosen[o.ID]
		o.RoundTitle = strings.TrimSpace(pf("round_title_" + o.ID))
		if o.Checked {
			rounds = append(rounds, *o)
			delete(chosen, o.ID)
		}
	}
	if len(chosen) > 0 {
		fail(app.Invalid("rounds", "所选的考试不在本区域，请重新选择"))
	}
	slices.SortStableFunc(rounds, func(a, b contestExamOpt) int {
		if d := a.Exam.Window.Opens.Compare(b.Exam.Window.Opens); d != 0 {
			return d
		}
		return strings.Compare(a.ID, b.ID)
	})
	c.Rounds = nil
	for _, o := range rounds {
		c.Rounds = append(c.Rounds, contest.Round{Title: o.RoundTitle, ExamID: o.Exam.ID})
	}

	switch contest.TeamRuleKind(f.TeamRule) {
	case contest.BestN:
		if f.TeamN == "" {
			fail(app.Invalid("team_n", "请填写“取前 N 名”的 N"))
		} else if n, err := parseInt("team_n", "“取前 N 名”的 N", f.TeamN, 1, contest.MaxBestN, 0); err != nil {
			fail(err)
		} else {
			c.Team = contest.TeamRule{Kind: contest.BestN, N: n}
		}
	case contest.Participation:
		c.Team = contest.TeamRule{Kind: contest.Participation}
	default:
		fail(app.Invalid("team_rule", "请选择团体计分方式"))
	}

	ind, err := contest.ParsePrizes("individual_awards", f.IndividualAwards)
	fail(err)
	team, err := contest.ParsePrizes("team_awards", f.TeamAwards)
	fail(err)
	c.Awards = contest.Awards{Individual: ind, Team: team}

	fail(s.readFinal(r.Context(), f, c))
	if first != nil {
		return first
	}
	return c.Validate()
}

// readFinal reads the final's settings into c.Final: its questions are
// kept as stored unless the office asks for a new draw (or there are none
// yet), and the finalists already picked stay.
func (s *Server) readFinal(ctx context.Context, f *contestForm, c *contest.Contest) error {
	prev := c.Final
	began, err := s.finalBegan(ctx, c)
	if err != nil {
		return err
	}
	if !f.FinalOn {
		if began {
			return app.Invalid("final_on", "决赛已经开始，不能取消决赛")
		}
		c.Final = nil
		return nil
	}
	single, err := parseInt("final_questions", "决赛单选题数", f.FinalSingle, 0, contest.MaxLiveQuestions, 0)
	if err != nil {
		return err
	}
	tf, err := parseInt("final_questions", "决赛判断题数", f.FinalTrueFalse, 0, contest.MaxLiveQuestions, 0)
	if err != nil {
		return err
	}
	switch n := single + tf; {
	case n == 0:
		return app.Invalid("final_questions", "请填写决赛的题数：单选题和判断题至少一道")
	case n > contest.MaxLiveQuestions:
		return app.Invalid("final_questions", "决赛题目最多 %d 道", contest.MaxLiveQuestions)
	}
	v, perr := strconv.ParseFloat(f.FinalPoints, 64)
	if perr != nil || math.IsNaN(v) || !(v > 0) || v > 100 {
		return app.Invalid("final_questions", "决赛每题分值应大于 0、不超过 100")
	}
	points := v
	if f.FinalSeconds == "" {
		return app.Invalid("final_questions", "请填写决赛每题作答时间（秒）")
	}
	seconds, err := parseInt("final_questions", "决赛每题作答时间（秒）", f.FinalSeconds, contest.MinSeconds, contest.MaxSeconds, 0)
	if err != nil {
		return err
	}
	next := &contest.Final{Title: f.FinalTitle}
	var kept []contest.LiveQuestion
	if prev != nil {
		next.Finalists = prev.Finalists
		kept = prev.Questions
	}
	redraw := f.Redraw || len(kept) == 0
	if !redraw && single+tf != len(kept) {
		return app.Invalid("final_questions", "决赛题数改为 %d 道，与已抽取的 %d 道不同：请勾选“重新抽题”，或改回原来的题数", single+tf, len(kept))
	}
	if redraw {
		if began {
			return app.Invalid("final_questions", "决赛已经开始，不能重新抽题")
		}
		kept, err = drawFinal(f.bank, single, tf)
		if err != nil {
			return err
		}
	}
	next.Questions = make([]contest.LiveQuestion, len(kept))
	for i, q := range kept {
		next.Questions[i] = contest.LiveQuestion{QuestionID: q.QuestionID, Points: points, Seconds: seconds}
		if began && (q.Points != points || q.Seconds != seconds) {
			return app.Invalid("final_questions", "决赛已经开始，每题分值和作答时间不能再修改")
		}
	}
	c.Final = next
	return nil
}

// drawFinal draws the final's questions from the bank: single-choice
// questions, then true/false ones, each set in random order. A bank that
// cannot fill them is refused with what it holds.
func drawFinal(bank map[app.ID]*question.Stored, single, tf int) ([]contest.LiveQuestion, error) {
	var cands []exam.Candidate
	for _, q := range bank {
		if q.Type == question.Single || q.Type == question.TrueFalse {
			cands = append(cands, exam.Candidate{ID: q.ID, Q: q.Question, Tags: q.Tags})
		}
	}
	rules := exam.Rules{ShuffleQuestions: true}
	if single > 0 {
		rules.Picks = append(rules.Picks, exam.Pick{Type: question.Single, Count: single, Points: 1})
	}
	if tf > 0 {
		rules.Picks = append(rules.Picks, exam.Pick{Type: question.TrueFalse, Count: tf, Points: 1})
	}
	paper, err := exam.Draw(cands, rules, rand.Uint64())
	if err != nil {
		return nil, app.Invalid("final_questions", "决赛抽题：%s", app.ErrorMessage(err))
	}
	out := make([]contest.LiveQuestion, len(paper.Items))
	for i, it := range paper.Items {
		out[i] = contest.LiveQuestion{QuestionID: it.QuestionID}
	}
	return out, nil
}

func (s *Server) contestNew(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	f := newContestForm(s.clock.Now().In(app.Shanghai).Year())
	if err := s.contestFormData(ctx, a.OrgID, a.OrgPath, nil, f, false); err != nil {
		return err
	}
	v := s.newView(r, "新建知识竞赛", f)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "contest_form", v)
}

func (s *Server) contestCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	f := &contestForm{Action: "/contests"}
	if err := s.contestFormData(ctx, a.OrgID, a.OrgPath, nil, f, true); err != nil {
		return err
	}
	c := &contest.Contest{OrgID: a.OrgID, OrgPath: a.OrgPath}
	err := s.readContestForm(r, f, c)
	if err == nil {
		err = s.db.CreateContest(ctx, c)
	}
	if err != nil {
		return s.renderContestForm(w, r, "新建知识竞赛", f, err)
	}
	return s.redirect(w, r, "/contests/"+c.ID.String(), "竞赛已建立："+c.Title)
}

// renderContestForm shows the form again with what was typed and the
// error.
func (s *Server) renderContestForm(w http.ResponseWriter, r *http.Request, title string, f *contestForm, err error) error {
	return s.renderFormIn(w, r, "exams", "contest_form", title, f, err)
}

func (s *Server) contestEdit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.managedContest(r)
	if err != nil {
		return err
	}
	f := contestFormOf(c)
	if err := s.contestFormData(ctx, c.OrgID, c.OrgPath, c, f, false); err != nil {
		return err
	}
	v := s.newView(r, "修改竞赛设置", f)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "contest_form", v)
}

func (s *Server) contestUpdate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.managedContest(r)
	if err != nil {
		return err
	}
	f := &contestForm{Action: "/contests/" + c.ID.String(), Editing: true, Saved: c.Title}
	if c.Final != nil {
		f.Finalists = len(c.Final.Finalists)
	}
	if err := s.contestFormData(ctx, c.OrgID, c.OrgPath, c, f, true); err != nil {
		return err
	}
	err = s.readContestForm(r, f, c)
	if err == nil {
		err = s.db.UpdateContest(ctx, c)
	}
	if err != nil {
		return s.renderContestForm(w, r, "修改竞赛设置", f, err)
	}
	return s.redirect(w, r, "/contests/"+c.ID.String(), "竞赛设置已保存")
}
