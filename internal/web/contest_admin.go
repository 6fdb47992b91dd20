package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/contest"
	"pufa/internal/exam"
)

// The office's side of a knowledge contest (知识竞赛): the list of a
// region's contests and the overview of one with its rankings and the
// choice of finalists (this file), the settings form
// (contest_admin_form.go), the export and the certificates
// (contest_admin_export.go). The rounds are exams of the exam engine,
// reached on their own pages; the live final's pages are contest_live.go.

// contestState is where a contest stands, in words and as a tag colour.
type contestState struct{ Label, Class string }

// contestStateOf reads a contest's state from its rounds' windows and its
// final's board at now.
func contestStateOf(c *contest.Contest, exams []*exam.Exam, board *contest.Board, began bool, now time.Time) contestState {
	if began {
		if board.Phase == contest.Finished {
			return contestState{Label: "已结束"}
		}
		return contestState{Label: "决赛进行中", Class: "tag-red"}
	}
	opened, over := false, true
	for _, e := range exams {
		if !now.Before(e.Window.Opens) {
			opened = true
		}
		if now.Before(e.Window.Closes) {
			over = false
		}
	}
	switch {
	case !opened:
		return contestState{Label: "未开始", Class: "tag-amber"}
	case !over:
		return contestState{Label: "初赛进行中", Class: "tag-green"}
	case c.Final != nil:
		return contestState{Label: "初赛已结束，待决赛", Class: "tag-blue"}
	}
	return contestState{Label: "已结束"}
}

// contestExams reads the rounds' exams, aligned with c.Rounds.
func (s *Server) contestExams(ctx context.Context, c *contest.Contest) ([]*exam.Exam, error) {
	out := make([]*exam.Exam, len(c.Rounds))
	for i, rd := range c.Rounds {
		e, err := s.db.FindExamByID(ctx, rd.ExamID)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

// contestBoard reads the final as it stands at now, and whether it has
// begun (a question was opened, in a rehearsal or for real). Both are
// zero for a contest without a final.
func (s *Server) contestBoard(ctx context.Context, c *contest.Contest) (*contest.Board, bool, error) {
	if c.Final == nil {
		return nil, false, nil
	}
	steps, answers, err := s.db.FindLive(ctx, c.ID)
	if err != nil {
		return nil, false, err
	}
	b := c.Final.BoardAt(steps, answers, s.clock.Now(), c.Awards.Team)
	return &b, len(steps) > 0, nil
}

// durText writes a time taken as people read it: 12分05秒.
func durText(d time.Duration) string {
	if d <= 0 {
		return "—"
	}
	sec := int(d.Round(time.Second) / time.Second)
	h, m, s := sec/3600, sec/60%60, sec%60
	switch {
	case h > 0:
		return fmt.Sprintf("%d小时%02d分%02d秒", h, m, s)
	case m > 0:
		return fmt.Sprintf("%d分%02d秒", m, s)
	}
	return fmt.Sprintf("%d秒", s)
}

// prizesText writes prizes for a sentence: 一等奖 1 名、二等奖 2 名.
func prizesText(ps contest.Prizes) string {
	if len(ps) == 0 {
		return "不设奖项"
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s %d 名", p.Name, p.Count)
	}
	return strings.Join(parts, "、")
}

// contestRow is one contest on the office's list.
type contestRow struct {
	Contest *contest.Contest
	State   contestState
	// Rounds name the rounds with their exams.
	Rounds []string
	// Opens and Closes span the preliminaries.
	Opens, Closes time.Time
	Final         string
}

type contestListData struct {
	Rows  []contestRow
	Total int
	Pager pager
}

const contestPageSize = 20

// contestList lists the contests of the offices of the actor's region.
func (s *Server) contestList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	cs, err := s.db.FindContests(ctx, a.OrgPath)
	if err != nil {
		return err
	}
	page, offset := pageParams(r, contestPageSize)
	d := contestListData{Total: len(cs), Pager: newPager(page, contestPageSize, len(cs), "")}
	now := s.clock.Now()
	for _, c := range pageOf(cs, offset, contestPageSize) {
		exams, err := s.contestExams(ctx, c)
		if err != nil {
			return err
		}
		board, began, err := s.contestBoard(ctx, c)
		if err != nil {
			return err
		}
		row := contestRow{Contest: c, State: contestStateOf(c, exams, board, began, now), Final: "不设决赛"}
		for i, e := range exams {
			// The round's own name, or its exam's when it has none.
			title := strings.TrimSpace(c.Rounds[i].Title)
			if title == "" {
				title = e.Title
			}
			row.Rounds = append(row.Rounds, title)
			if row.Opens.IsZero() || e.Window.Opens.Before(row.Opens) {
				row.Opens = e.Window.Opens
			}
			if e.Window.Closes.After(row.Closes) {
				row.Closes = e.Window.Closes
			}
		}
		if c.Final != nil {
			row.Final = fmt.Sprintf("%d 题 · %d 名选手", len(c.Final.Questions), len(c.Final.Finalists))
			if board != nil && began {
				row.Final += " · " + board.Phase.Label()
			}
		}
		d.Rows = append(d.Rows, row)
	}
	v := s.newView(r, "知识竞赛", d)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "contest_list", v)
}

// contestRoundLine is one round on the overview.
type contestRoundLine struct {
	No    int
	Title string
	Exam  *exam.Exam
	State examState
	// Sat counts the people with a counted attempt.
	Sat int
}

// contestTeamLine is a line of the team ranking, its turnout written out.
type contestTeamLine struct {
	contest.Team
	TurnoutText string
}

// contestPersonLine is a line of the individual ranking, its scores
// written out ("—" for a round not sat).
type contestPersonLine struct {
	contest.Person
	ScoreTexts []string
	TimeText   string
	// Within names the person's own org when it is below their team's
	// unit (a community under its subdistrict).
	Within string
}

func personLine(p contest.Person) contestPersonLine {
	l := contestPersonLine{Person: p, TimeText: durText(p.Time)}
	if p.OrgName != p.TeamName && p.OrgPath != p.Team {
		l.Within = p.OrgName
	}
	for _, x := range p.Scores {
		if x < 0 {
			l.ScoreTexts = append(l.ScoreTexts, "—")
		} else {
			l.ScoreTexts = append(l.ScoreTexts, strconv.FormatFloat(x, 'f', -1, 64))
		}
	}
	return l
}

// finalistTeam is one team on the final's stage and who plays for it.
type finalistTeam struct {
	Key, Name string
	Members   []contest.Finalist
}

// groupFinalists groups the finalists by team, in the order they were
// picked (the teams' ranking).
func groupFinalists(fs []contest.Finalist) []finalistTeam {
	var out []finalistTeam
	at := map[string]int{}
	for _, f := range fs {
		i, ok := at[f.Team]
		if !ok {
			i = len(out)
			at[f.Team] = i
			out = append(out, finalistTeam{Key: f.Team, Name: f.TeamName})
		}
		out[i].Members = append(out[i].Members, f)
	}
	return out
}

// boardTeamLine is a team's line of the final's ranking.
type boardTeamLine struct {
	contest.BoardTeam
	Members  int
	TimeText string
}

// contestFinalView is the final's section of the overview.
type contestFinalView struct {
	Title     string
	Questions int
	// Each says the points and seconds of a question when all are alike.
	Each      string
	Teams     []finalistTeam
	Finalists int
	Began     bool
	Phase     string
	Finished  bool
	Board     []boardTeamLine
	// The pick form, as typed.
	PickTeams, PickPerTeam string
	// Insiders are finalists who may manage this contest: its settings
	// list the final's questions, so the office should know before the
	// day.
	Insiders []string
}

// contestShowData is the overview of a contest.
type contestShowData struct {
	Contest   *contest.Contest
	State     contestState
	Rounds    []contestRoundLine
	RoundCols []string
	RuleLabel string
	Teams     []contestTeamLine
	People    []contestPersonLine
	// PeopleTotal counts everyone ranked; People holds the first of them.
	PeopleTotal int
	// TeamsTook counts the units with someone who took part.
	TeamsTook int
	// TeamByFinal says the team prizes go by the final's ranking.
	TeamByFinal      bool
	IndividualPrizes string
	TeamPrizes       string
	Final            *contestFinalView
	// Certificates count the prizes to print.
	PersonCerts, TeamCerts int
}

// contestShowTop bounds the individual ranking on the page; the export
// holds everyone.
const contestShowTop = 100

// contestOverview gathers the overview of c.
func (s *Server) contestOverview(ctx context.Context, c *contest.Contest) (*contestShowData, error) {
	st, exams, err := s.contestStandings(ctx, c)
	if err != nil {
		return nil, err
	}
	board, began, err := s.contestBoard(ctx, c)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	d := &contestShowData{Contest: c, State: contestStateOf(c, exams, board, began, now), RuleLabel: c.Team.Label(),
		PeopleTotal: len(st.People), TeamByFinal: c.Final != nil,
		IndividualPrizes: prizesText(c.Awards.Individual), TeamPrizes: prizesText(c.Awards.Team)}
	sat := make([]int, len(exams))
	for _, p := range st.People {
		for i, x := range p.Scores {
			if x >= 0 {
				sat[i]++
			}
		}
		if p.Award != "" {
			d.PersonCerts++
		}
	}
	for i, e := range exams {
		d.Rounds = append(d.Rounds, contestRoundLine{No: i + 1, Title: c.RoundTitle(i), Exam: e, State: stateOf(e, now), Sat: sat[i]})
		d.RoundCols = append(d.RoundCols, c.RoundTitle(i))
	}
	for _, t := range st.Teams {
		d.Teams = append(d.Teams, contestTeamLine{Team: t, TurnoutText: rateText(t.Turnout())})
		if t.Took > 0 {
			d.TeamsTook++
		}
		if t.Award != "" {
			d.TeamCerts++
		}
	}
	for _, p := range st.People[:min(contestShowTop, len(st.People))] {
		d.People = append(d.People, personLine(p))
	}
	if f := c.Final; f != nil {
		fv := &contestFinalView{Title: f.Title, Questions: len(f.Questions), Teams: groupFinalists(f.Finalists), Finalists: len(f.Finalists), Began: began}
		if fv.Title == "" {
			fv.Title = "现场决赛"
		}
		fv.Each = eachQuestion(f.Questions)
		if fv.Insiders, err = s.insiders(ctx, c); err != nil {
			return nil, err
		}
		fv.PickTeams, fv.PickPerTeam = "5", "3"
		if len(fv.Teams) > 0 {
			most := 0
			for _, t := range fv.Teams {
				most = max(most, len(t.Members))
			}
			fv.PickTeams, fv.PickPerTeam = strconv.Itoa(len(fv.Teams)), strconv.Itoa(most)
		}
		if began {
			fv.Phase = board.Phase.Label()
			fv.Finished = board.Phase == contest.Finished
		}
		if fv.Finished {
			members := map[string]int{}
			for _, p := range f.Finalists {
				members[p.Team]++
			}
			for _, t := range board.Teams {
				fv.Board = append(fv.Board, boardTeamLine{BoardTeam: t, Members: members[t.Key], TimeText: durText(t.Time)})
				if t.Award != "" {
					d.TeamCerts++
				}
			}
		}
		d.Final = fv
	}
	return d, nil
}

// insiders names the finalists who hold the right to manage c, and so can
// read the final's questions on its settings page beforehand.
func (s *Server) insiders(ctx context.Context, c *contest.Contest) ([]string, error) {
	var out []string
	for _, f := range c.Final.Finalists {
		u, err := s.db.FindUserByID(ctx, f.UserID)
		if app.ErrorCode(err) == app.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		o, err := s.db.FindOrgByID(ctx, u.OrgID)
		if err != nil {
			return nil, err
		}
		a := &app.Actor{UserID: u.ID, Roles: u.Roles, OrgID: o.ID, OrgPath: o.Path}
		if authz.Can(a, authz.ExamManage, authz.AtOrg(c.OrgPath)) {
			out = append(out, f.Name)
		}
	}
	return out, nil
}

// eachQuestion says what every question of the final is worth and how
// long it runs, when they are alike: 每题 10 分，限时 30 秒.
func eachQuestion(qs []contest.LiveQuestion) string {
	if len(qs) == 0 {
		return ""
	}
	for _, q := range qs[1:] {
		if q.Points != qs[0].Points || q.Seconds != qs[0].Seconds {
			return "分值和限时各题不同"
		}
	}
	return fmt.Sprintf("每题 %s 分，限时 %d 秒", strconv.FormatFloat(qs[0].Points, 'f', -1, 64), qs[0].Seconds)
}

// contestShow shows a contest: its rounds, the rankings of the
// preliminaries, and the final.
func (s *Server) contestShow(w http.ResponseWriter, r *http.Request) error {
	c, err := s.managedContest(r)
	if err != nil {
		return err
	}
	d, err := s.contestOverview(r.Context(), c)
	if err != nil {
		return err
	}
	v := s.newView(r, c.Title, d)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "contest", v)
}

// contestFinalists picks the final's stage from the preliminaries: the
// best K teams, each sending its best M members. Once the final has begun
// the store refuses a change of finalists.
func (s *Server) contestFinalists(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.managedContest(r)
	if err != nil {
		return err
	}
	teamsText, perText := strings.TrimSpace(r.PostFormValue("teams")), strings.TrimSpace(r.PostFormValue("per_team"))
	picked, err := s.pickFinalists(ctx, c, teamsText, perText)
	if err == nil {
		err = s.db.UpdateContest(ctx, c)
	}
	if err != nil {
		return s.contestShowAgain(w, r, err, teamsText, perText)
	}
	return s.redirect(w, r, "/contests/"+c.ID.String()+"#final",
		fmt.Sprintf("已选出 %d 支代表队共 %d 名决赛选手", len(groupFinalists(picked)), len(picked)))
}

// contestShowAgain shows the overview again after a refused pick of
// finalists: the contest as stored, the numbers as typed, and why.
func (s *Server) contestShowAgain(w http.ResponseWriter, r *http.Request, cause error, teamsText, perText string) error {
	errs, internal := formErrors(cause)
	if internal != nil {
		return internal
	}
	c, err := s.managedContest(r)
	if err != nil {
		return err
	}
	d, err := s.contestOverview(r.Context(), c)
	if err != nil {
		return err
	}
	if d.Final != nil {
		d.Final.PickTeams, d.Final.PickPerTeam = teamsText, perText
	}
	v := s.newView(r, c.Title, d)
	v.Active = "exams"
	v.Errors = errs
	return s.render(w, r, statusOf(app.ErrorCode(cause)), "contest", v)
}

// pickFinalists sets c's finalists from the standings and returns them.
func (s *Server) pickFinalists(ctx context.Context, c *contest.Contest, teamsText, perText string) ([]contest.Finalist, error) {
	if c.Final == nil {
		return nil, app.Errorf(app.ECONFLICT, "本竞赛没有设置现场决赛：请先在竞赛设置中开启决赛")
	}
	if teamsText == "" {
		return nil, app.Invalid("finalists", "请填写进入决赛的代表队数")
	}
	teams, err := parseInt("finalists", "进入决赛的代表队数", teamsText, 1, 100, 0)
	if err != nil {
		return nil, err
	}
	if perText == "" {
		return nil, app.Invalid("finalists", "请填写每队上场人数")
	}
	per, err := parseInt("finalists", "每队上场人数", perText, 1, 20, 0)
	if err != nil {
		return nil, err
	}
	st, _, err := s.contestStandings(ctx, c)
	if err != nil {
		return nil, err
	}
	picked := contest.PickFinalists(st, teams, per)
	if len(picked) == 0 {
		return nil, app.Invalid("finalists", "初赛还没有成绩，选不出决赛选手")
	}
	c.Final.Finalists = picked
	return picked, nil
}
