package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/authz"
	"pufa/internal/notice"
	"pufa/internal/org"
)

// roundTarget targets the region that runs round {id}.
func roundTarget(s *Server, r *http.Request) (authz.Target, error) {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return authz.Target{}, err
	}
	rd, err := s.roundOnce(r, id)
	if err != nil {
		return authz.Target{}, err
	}
	return s.orgTarget(r, rd.OrgID.String(), false)
}

// roundPage is what every office page of a round loads.
type roundPage struct {
	Round  *assess.Round
	Scheme *assess.StoredScheme
	Region *org.Org
}

func (s *Server) loadRound(r *http.Request) (*roundPage, error) {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	rd, err := s.roundOnce(r, id)
	if err != nil {
		return nil, err
	}
	sc, err := s.schemeOnce(r, rd.SchemeID)
	if err != nil {
		return nil, err
	}
	region, err := s.orgOnce(r, rd.OrgID)
	if err != nil {
		return nil, err
	}
	return &roundPage{Round: rd, Scheme: sc, Region: region}, nil
}

type roundListData struct {
	Rounds    []*assess.Round
	CanManage bool
}

func (s *Server) roundList(w http.ResponseWriter, r *http.Request) error {
	a := app.ActorFrom(r.Context())
	rounds, err := s.db.FindRounds(r.Context(), a.OrgPath)
	if err != nil {
		return err
	}
	v := s.newView(r, "考评", roundListData{Rounds: rounds, CanManage: true})
	v.Active = "rounds"
	return s.render(w, r, http.StatusOK, "rounds", v)
}

// stageForm is one row of the stages table on the new-round form.
type stageForm struct {
	Kind       assess.StageKind
	On         bool
	Weight     string
	MinRaters  string
	Trimmed    bool
	Mode       assess.VoteMode
	Population string
	Opens      string
	Closes     string
}

type roundForm struct {
	// Action is where the form posts: /rounds for a new round, the
	// round's own address when editing.
	Action        string
	Editing       bool
	Status        assess.RoundStatus
	Title, Period string
	SchemeID      string
	Schemes       []*assess.StoredScheme
	Candidates    []*org.Org
	Subjects      []app.ID
	Stages        []stageForm
	Excellent     string
	Good          string
	Fair          string
	Quota         string
	Ranked        bool
	Phases        []phaseForm
}

// phaseForm is one step of the timeline as typed.
type phaseForm struct{ Name, Date string }

func defaultPhases() []phaseForm {
	out := make([]phaseForm, len(assess.DefaultPhases))
	for i, n := range assess.DefaultPhases {
		out[i].Name = n
	}
	return out
}

// defaultStages is the duty review as most counties run it: self-check and
// site visit shown but not weighted, panel 50 (trimmed), public 30, peer
// 20, and the office's verification deciding vetoes.
func defaultStages() []stageForm {
	return []stageForm{
		{Kind: assess.StageSelf, On: true, Weight: "0"},
		{Kind: assess.StageSite, On: false, Weight: "0"},
		{Kind: assess.StagePanel, On: true, Weight: "50", MinRaters: "3", Trimmed: true},
		{Kind: assess.StagePublic, On: true, Weight: "30", MinRaters: "30", Mode: assess.VoteByPhone},
		{Kind: assess.StagePeer, On: true, Weight: "20"},
		{Kind: assess.StageOffice, On: true, Weight: "0"},
	}
}

func (s *Server) roundFormData(ctx context.Context, a *app.Actor, f *roundForm) error {
	schemes, err := s.db.FindSchemes(ctx, a.OrgPath)
	if err != nil {
		return err
	}
	// Only published versions can be used; a family whose latest version
	// is a draft still offers its published one.
	f.Schemes = nil
	for _, sc := range schemes {
		if sc.Status == assess.Published {
			f.Schemes = append(f.Schemes, sc)
		} else if sc.Scheme.Version > 1 {
			if prev, err := s.db.FindPublishedScheme(ctx, sc.FamilyID); err == nil {
				f.Schemes = append(f.Schemes, prev)
			}
		}
	}
	orgs, _, err := s.db.FindOrgs(ctx, org.Filter{UnderPath: &a.OrgPath, Active: ptr(true)})
	if err != nil {
		return err
	}
	f.Candidates = nil
	for _, o := range orgs {
		if o.Path != a.OrgPath {
			f.Candidates = append(f.Candidates, o)
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

func (s *Server) roundNew(w http.ResponseWriter, r *http.Request) error {
	a := app.ActorFrom(r.Context())
	year := s.clock.Now().In(app.Shanghai).Year()
	f := &roundForm{Action: "/rounds", Title: fmt.Sprintf("%d年度谁执法谁普法履职评议", year), Period: fmt.Sprintf("%d年度", year),
		Stages: defaultStages(), Excellent: "90", Good: "80", Fair: "60", Quota: "0", Ranked: false, Phases: defaultPhases()}
	if err := s.roundFormData(r.Context(), a, f); err != nil {
		return err
	}
	if len(f.Schemes) > 0 {
		f.SchemeID = f.Schemes[0].ID.String()
	}
	for _, o := range f.Candidates {
		if o.Kind == org.KindUnit {
			f.Subjects = append(f.Subjects, o.ID)
		}
	}
	v := s.newView(r, "新建考评", f)
	v.Active = "rounds"
	return s.render(w, r, http.StatusOK, "round_new", v)
}

func parsePoints(field, label, v string) (float64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || x < 0 || x > 1000 {
		return 0, app.Invalid(field, "%s“%s”不是有效的数字", label, v)
	}
	return x, nil
}

func parseLocalTime(field, label, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, app.Shanghai); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, app.Invalid(field, "%s“%s”不是有效的日期时间", label, v)
}

// readRoundForm reads the new-round form into f and a round.
func (s *Server) readRoundForm(r *http.Request, a *app.Actor, f *roundForm) (*assess.Round, error) {
	f.Title, f.Period, f.SchemeID = r.PostFormValue("title"), r.PostFormValue("period"), r.PostFormValue("scheme")
	f.Excellent, f.Good, f.Fair, f.Quota = r.PostFormValue("excellent"), r.PostFormValue("good"), r.PostFormValue("fair"), r.PostFormValue("quota")
	f.Ranked = r.PostFormValue("ranked") == "1"
	subjects, err := idList(r, "subjects")
	if err != nil {
		return nil, err
	}
	f.Subjects = subjects
	f.Stages = defaultStages()
	rd := &assess.Round{Title: f.Title, Period: strings.TrimSpace(f.Period)}
	for i := range f.Stages {
		sf := &f.Stages[i]
		k := string(sf.Kind)
		sf.On = r.PostFormValue("on_"+k) == "1"
		sf.Weight, sf.MinRaters = r.PostFormValue("weight_"+k), r.PostFormValue("min_"+k)
		sf.Trimmed = r.PostFormValue("trim_"+k) == "1"
		sf.Opens, sf.Closes = r.PostFormValue("opens_"+k), r.PostFormValue("closes_"+k)
		if sf.Kind == assess.StagePublic {
			sf.Mode, sf.Population = assess.VoteMode(r.PostFormValue("mode_public")), r.PostFormValue("population_public")
		}
	}
	schemeID, err := app.ParseID("scheme", f.SchemeID)
	if err != nil {
		return nil, app.Invalid("scheme", "请选择已发布的指标体系")
	}
	rd.SchemeID, rd.OrgID = schemeID, a.OrgID
	for _, id := range subjects {
		rd.Subjects = append(rd.Subjects, assess.Subject{OrgID: id})
	}
	for _, sf := range f.Stages {
		if !sf.On {
			continue
		}
		label := sf.Kind.Label()
		w, err := parsePoints("stages", label+"的权重", sf.Weight)
		if err != nil {
			return nil, err
		}
		minRaters, err := parsePoints("stages", label+"的最少提交数", sf.MinRaters)
		if err != nil {
			return nil, err
		}
		st := &assess.RoundStage{Stage: assess.Stage{Kind: sf.Kind, Weight: w, MinRaters: int(minRaters)}}
		if sf.Trimmed {
			st.Combine = assess.TrimmedMean
		}
		if st.OpensAt, err = parseLocalTime("stages", label+"的开始时间", sf.Opens); err != nil {
			return nil, err
		}
		if st.ClosesAt, err = parseLocalTime("stages", label+"的截止时间", sf.Closes); err != nil {
			return nil, err
		}
		if sf.Kind == assess.StagePublic {
			pop, err := parsePoints("stages", "社会评议的人口数", sf.Population)
			if err != nil {
				return nil, err
			}
			st.Public = assess.PublicSettings{Mode: sf.Mode, Population: int(pop)}
		}
		rd.Stages = append(rd.Stages, st)
	}
	bands := assess.DefaultBands()
	for i, v := range []string{f.Excellent, f.Good, f.Fair} {
		x, err := parsePoints("bands", bands[i].Grade+"的分数线", v)
		if err != nil {
			return nil, err
		}
		bands[i].Min = x
	}
	quota, err := parsePoints("quota", "优秀名额比例", f.Quota)
	if err != nil {
		return nil, err
	}
	rd.Grading = assess.Grading{Grader: assess.Grader{Bands: bands}, Quota: assess.Quota{Share: quota / 100}, Ranked: f.Ranked}
	names, dates := r.PostForm["phase_name"], r.PostForm["phase_date"]
	f.Phases = nil
	for i := range names {
		ph := phaseForm{Name: strings.TrimSpace(names[i])}
		if i < len(dates) {
			ph.Date = strings.TrimSpace(dates[i])
		}
		f.Phases = append(f.Phases, ph)
		if ph.Name == "" {
			continue
		}
		if len([]rune(ph.Name)) > 30 {
			return nil, app.Invalid("timeline", "日程“%s”的名称太长", ph.Name)
		}
		at, err := parseLocalTime("timeline", ph.Name+"的日期", ph.Date)
		if err != nil {
			return nil, err
		}
		rd.Timeline = append(rd.Timeline, assess.Phase{Name: ph.Name, Date: at})
	}
	// Subjects must lie in the office's region.
	for _, id := range subjects {
		o, err := s.db.FindOrgByID(r.Context(), id)
		if err != nil || !strings.HasPrefix(o.Path, a.OrgPath) {
			return nil, app.Invalid("subjects", "所选对象不在本区域内")
		}
	}
	sc, err := s.db.FindSchemeByID(r.Context(), schemeID)
	if err != nil {
		return nil, app.Invalid("scheme", "请选择已发布的指标体系")
	}
	if !s.canAt(r, authz.AssessManage, sc.OrgID) {
		return nil, app.Invalid("scheme", "请选择本区域的指标体系")
	}
	return rd, nil
}

func (s *Server) roundCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	f := &roundForm{Action: "/rounds"}
	rd, err := s.readRoundForm(r, a, f)
	if err == nil {
		err = s.db.CreateRound(ctx, rd)
	}
	if err != nil {
		if derr := s.roundFormData(ctx, a, f); derr != nil {
			return derr
		}
		return s.renderForm(w, r, "round_new", "新建考评", f, err)
	}
	return s.redirect(w, r, "/rounds/"+rd.ID.String(), "考评已建立：请为各环节指定评分人，然后开始评分")
}

// raterRow is one rater's progress.
type raterRow struct {
	User *account.User
	assess.Progress
}

// subjectRow is one subject's progress.
type subjectRow struct {
	Subject assess.Subject
	assess.Progress
	Votes, Excluded int
	Alarm           string
}

// stageRow is a stage on the round page with who rates it.
type stageRow struct {
	Stage    *assess.RoundStage
	Progress assess.Progress
	Raters   []*account.User
	RaterIDs []app.ID
	PerSubj  bool // raters differ per subject (self, peer)
	Link     string
	Tokens   int
}

type roundData struct {
	*roundPage
	Stages     []stageRow
	Raters     []raterRow
	Subjects   []subjectRow
	Candidates []*account.User
	// Kinds are the roster kinds of the raters and candidates.
	Kinds    map[app.ID]string
	Now      time.Time
	Pending  int
	Timeline timelineView
}

// stagePublicPath is a public stage's address, printed as a QR code.
func stagePublicPath(st *assess.RoundStage) string { return "/p/rate/" + st.Public.Key }

func (s *Server) roundShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	d := roundData{roundPage: p, Now: s.clock.Now(), Timeline: timelineOf(p.Round, "", s.clock.Now())}
	prog, err := s.db.FindProgress(ctx, p.Round.ID)
	if err != nil {
		return err
	}
	as, err := s.db.FindAssignments(ctx, p.Round.ID)
	if err != nil {
		return err
	}
	user := s.userLookup(ctx)
	for _, st := range p.Round.Stages {
		row := stageRow{Stage: st}
		if pr := prog.ByStage[st.ID]; pr != nil {
			row.Progress = *pr
		}
		seen := map[app.ID]bool{}
		perSubject := map[app.ID]int{}
		for _, a := range as {
			if a.StageID != st.ID {
				continue
			}
			perSubject[a.RaterID]++
			if !seen[a.RaterID] {
				seen[a.RaterID] = true
				row.Raters = append(row.Raters, user(a.RaterID))
				row.RaterIDs = append(row.RaterIDs, a.RaterID)
			}
		}
		for _, n := range perSubject {
			if n != len(p.Round.Subjects) {
				row.PerSubj = true
			}
		}
		if st.Kind == assess.StagePublic {
			row.Link = stagePublicPath(st)
		}
		d.Stages = append(d.Stages, row)
	}
	for id, pr := range prog.ByRater {
		d.Raters = append(d.Raters, raterRow{User: user(id), Progress: *pr})
	}
	slices.SortFunc(d.Raters, func(a, b raterRow) int {
		if a.Left() != b.Left() {
			return b.Left() - a.Left()
		}
		return strings.Compare(a.User.Name, b.User.Name)
	})
	for _, sub := range p.Round.Subjects {
		row := subjectRow{Subject: sub}
		if pr := prog.BySubject[sub.OrgID]; pr != nil {
			row.Progress = *pr
		}
		d.Subjects = append(d.Subjects, row)
	}
	if err := s.voteAlarms(ctx, p.Round, d.Subjects); err != nil {
		return err
	}
	cands, err := s.raterCandidates(ctx, p.Region)
	if err != nil {
		return err
	}
	d.Candidates = cands
	var ids []app.ID
	for _, u := range cands {
		ids = append(ids, u.ID)
	}
	for _, st := range d.Stages {
		ids = append(ids, st.RaterIDs...)
	}
	profiles, err := s.db.FindReviewers(ctx, ids)
	if err != nil {
		return err
	}
	d.Kinds = map[app.ID]string{}
	for id, p := range profiles {
		d.Kinds[id] = p.Kind
	}
	if cs, err := s.db.FindCorrections(ctx, p.Round.ID); err == nil {
		for _, c := range cs {
			if c.Status == assess.CorrectionPending {
				d.Pending++
			}
		}
	}
	v := s.newView(r, p.Round.Title, d)
	v.Active = "rounds"
	return s.render(w, r, http.StatusOK, "round", v)
}

// userLookup returns a lookup of accounts by id that asks the database
// once per person, for pages that name many raters; an account that is
// gone reads as such rather than failing the page.
func (s *Server) userLookup(ctx context.Context) func(app.ID) *account.User {
	users := map[app.ID]*account.User{}
	return func(id app.ID) *account.User {
		if u, ok := users[id]; ok {
			return u
		}
		u, err := s.db.FindUserByID(ctx, id)
		if err != nil {
			u = &account.User{ID: id, Name: "（已删除的用户）"}
		}
		users[id] = u
		return u
	}
}

// raterCandidates lists who may sit on a panel or verify: reviewers and
// office staff of the region.
func (s *Server) raterCandidates(ctx context.Context, region *org.Org) ([]*account.User, error) {
	var out []*account.User
	for _, role := range []string{account.RoleReviewer, account.RoleOffice} {
		us, _, err := s.db.FindUsers(ctx, account.Filter{UnderPath: &region.Path, Role: ptr(role), Active: ptr(true), Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			if !slices.ContainsFunc(out, func(x *account.User) bool { return x.ID == u.ID }) {
				out = append(out, u)
			}
		}
	}
	return out, nil
}

// liaisonsOf returns the liaisons of an org.
func (s *Server) liaisonsOf(ctx context.Context, orgID app.ID) ([]*account.User, error) {
	us, _, err := s.db.FindUsers(ctx, account.Filter{OrgID: &orgID, Role: ptr(account.RoleLiaison), Active: ptr(true), Limit: 50})
	return us, err
}

// roundRaters assigns a stage's raters: chosen people for every subject,
// or, for self-assessment and peer rating, the subjects' own liaisons.
func (s *Server) roundRaters(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	stageID, err := app.ParseID("stage", r.PostFormValue("stage"))
	if err != nil {
		return err
	}
	st := p.Round.Stage(stageID)
	if st == nil {
		return app.Invalid("stage", "环节不属于这次考评")
	}
	var as []assess.Assignment
	switch r.PostFormValue("how") {
	case "liaisons":
		// 自评: each subject's liaisons score their own unit; 互评: they
		// score every other subject.
		for _, sub := range p.Round.Subjects {
			ls, err := s.liaisonsOf(ctx, sub.OrgID)
			if err != nil {
				return err
			}
			for _, l := range ls {
				for _, target := range p.Round.Subjects {
					if (st.Kind == assess.StageSelf) == (target.OrgID == sub.OrgID) {
						as = append(as, assess.Assignment{StageID: st.ID, RaterID: l.ID, SubjectID: target.OrgID})
					}
				}
			}
		}
		if len(as) == 0 {
			return s.redirect(w, r, "/rounds/"+p.Round.ID.String(), "被考评单位还没有联络员账号，请先在用户管理中添加")
		}
	default:
		raters, err := idList(r, "raters")
		if err != nil {
			return err
		}
		cands, err := s.raterCandidates(ctx, p.Region)
		if err != nil {
			return err
		}
		for _, id := range raters {
			if !slices.ContainsFunc(cands, func(u *account.User) bool { return u.ID == id }) {
				return app.Invalid("raters", "评分人应为本区域的评议团成员或普法办人员")
			}
		}
		// The chosen raters score the chosen subjects (all when none is
		// chosen); other subjects keep their raters, so a panel can be
		// split into groups, one form per group.
		chosen, err := idList(r, "subjects")
		if err != nil {
			return err
		}
		for _, id := range chosen {
			if _, ok := p.Round.Subject(id); !ok {
				return app.Invalid("subjects", "所选对象不在本次考评中")
			}
		}
		if len(chosen) > 0 {
			existing, err := s.db.FindAssignments(ctx, p.Round.ID)
			if err != nil {
				return err
			}
			for _, a := range existing {
				if a.StageID == st.ID && !hasID(chosen, a.SubjectID) {
					as = append(as, a)
				}
			}
		} else {
			for _, sub := range p.Round.Subjects {
				chosen = append(chosen, sub.OrgID)
			}
		}
		for _, id := range raters {
			for _, sub := range chosen {
				as = append(as, assess.Assignment{StageID: st.ID, RaterID: id, SubjectID: sub})
			}
		}
	}
	if err := s.db.SetAssignments(ctx, st.ID, as); err != nil {
		return err
	}
	return s.redirect(w, r, "/rounds/"+p.Round.ID.String()+"#stage-"+st.ID.String(), fmt.Sprintf("%s：已指派 %d 项评分", st.Kind.Label(), len(as)))
}

// roundStatus opens, locks or reopens a round.
func (s *Server) roundStatus(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	to := assess.RoundStatus(r.PostFormValue("to"))
	if err := s.db.SetRoundStatus(r.Context(), p.Round.ID, p.Round.Status, to); err != nil {
		return err
	}
	msg := map[assess.RoundStatus]string{
		assess.RoundOpen:   "已开始评分：评分人登录后即可在“我的评分”中填写",
		assess.RoundLocked: "评分已锁定：请核对结果，确认无误后发布",
	}[to]
	return s.redirect(w, r, "/rounds/"+p.Round.ID.String(), msg)
}

// roundRemind sends a notice to every rater with sheets left to submit.
func (s *Server) roundRemind(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	if p.Round.Status != assess.RoundOpen {
		return app.Errorf(app.ECONFLICT, "只有评分中的考评可以催办")
	}
	prog, err := s.db.FindProgress(ctx, p.Round.ID)
	if err != nil {
		return err
	}
	var ids []app.ID
	for id, pr := range prog.ByRater {
		if pr.Left() > 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return s.redirect(w, r, "/rounds/"+p.Round.ID.String(), "所有评分人都已提交，无需催办")
	}
	slices.Sort(ids)
	n := notice.Notice{Kind: "reminder", Title: "请尽快完成评分：" + p.Round.Title, Body: "您还有评分表未提交。", Link: "/sheets"}
	if err := s.db.CreateNotices(ctx, ids, n); err != nil {
		return err
	}
	return s.redirect(w, r, "/rounds/"+p.Round.ID.String(), fmt.Sprintf("已提醒 %d 位评分人", len(ids)))
}

// voteAlarms fills each subject's vote counts and alarms for the round's
// public stages. Bursts are looked for only where a subject has at least
// a burst's worth of votes.
func (s *Server) voteAlarms(ctx context.Context, rd *assess.Round, rows []subjectRow) error {
	for _, st := range rd.Stages {
		if st.Kind != assess.StagePublic {
			continue
		}
		counts, err := s.db.VoteCounts(ctx, st.ID)
		if err != nil {
			return err
		}
		burst, _ := st.Public.Burst()
		for i := range rows {
			c := counts[rows[i].Subject.OrgID]
			rows[i].Votes += c[0]
			rows[i].Excluded += c[1]
			if c[0]+c[1] < burst && (st.Public.Population == 0 || c[0] <= st.Public.Population) {
				continue
			}
			votes, err := s.db.FindVotes(ctx, st.ID, rows[i].Subject.OrgID)
			if err != nil {
				return err
			}
			rows[i].Alarm = assess.VoteAlarm(st.Public, votes).Message
		}
	}
	return nil
}

// roundForEdit fills the round form from a stored round.
func roundForEdit(rd *assess.Round) *roundForm {
	f := &roundForm{Action: "/rounds/" + rd.ID.String(), Editing: true, Status: rd.Status, Title: rd.Title, Period: rd.Period,
		SchemeID: rd.SchemeID.String(), Ranked: rd.Grading.Ranked, Quota: fmtNum(rd.Grading.Quota.Share * 100), Stages: defaultStages()}
	bands := rd.Grading.Bands
	if len(bands) == 0 {
		bands = assess.DefaultBands()
	}
	for i, v := range []*string{&f.Excellent, &f.Good, &f.Fair} {
		if i < len(bands) {
			*v = strconv.FormatFloat(bands[i].Min, 'f', -1, 64)
		}
	}
	if f.Quota == "" {
		f.Quota = "0"
	}
	for _, sub := range rd.Subjects {
		f.Subjects = append(f.Subjects, sub.OrgID)
	}
	for _, ph := range rd.Timeline {
		f.Phases = append(f.Phases, phaseForm{Name: ph.Name, Date: dateInput(ph.Date)})
	}
	if len(f.Phases) == 0 {
		f.Phases = defaultPhases()
	}
	local := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(app.Shanghai).Format("2006-01-02T15:04")
	}
	for i := range f.Stages {
		sf := &f.Stages[i]
		sf.On = false
		for _, st := range rd.Stages {
			if st.Kind != sf.Kind {
				continue
			}
			sf.On, sf.Weight, sf.MinRaters = true, strconv.FormatFloat(st.Weight, 'f', -1, 64), strconv.Itoa(st.MinRaters)
			sf.Trimmed = st.Combine == assess.TrimmedMean
			sf.Opens, sf.Closes = local(st.OpensAt), local(st.ClosesAt)
			sf.Mode, sf.Population = st.Public.Mode, strconv.Itoa(st.Public.Population)
		}
	}
	return f
}

func (s *Server) roundEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	if p.Round.Status != assess.RoundDraft && p.Round.Status != assess.RoundOpen {
		return app.Errorf(app.ECONFLICT, "考评已锁定或已发布，不能再修改设置")
	}
	f := roundForEdit(p.Round)
	if err := s.roundFormData(r.Context(), app.ActorFrom(r.Context()), f); err != nil {
		return err
	}
	v := s.newView(r, "修改考评设置", f)
	v.Active = "rounds"
	return s.render(w, r, http.StatusOK, "round_new", v)
}

// roundUpdate saves the settings form. Stages are matched to the stored
// ones by kind, so their raters and a public stage's QR code carry over;
// once scoring has started the store refuses changes to what scores
// depend on (kinds, weights, ways of combining).
func (s *Server) roundUpdate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	f := &roundForm{Action: "/rounds/" + p.Round.ID.String(), Editing: true, Status: p.Round.Status}
	rd, err := s.readRoundForm(r, a, f)
	if err == nil {
		rd.ID, rd.OrgID = p.Round.ID, p.Round.OrgID
		for _, st := range rd.Stages {
			for _, old := range p.Round.Stages {
				if old.Kind == st.Kind {
					st.ID, st.Public.BurstVotes, st.Public.BurstSeconds, st.Name, st.Rule = old.ID, old.Public.BurstVotes, old.Public.BurstSeconds, old.Name, old.Rule
				}
			}
		}
		if p.Round.Status != assess.RoundDraft {
			// Subjects and scheme are fixed once scoring starts.
			rd.SchemeID, rd.Subjects = p.Round.SchemeID, p.Round.Subjects
		}
		err = s.db.UpdateRound(ctx, rd)
	}
	if err != nil {
		if derr := s.roundFormData(ctx, a, f); derr != nil {
			return derr
		}
		return s.renderForm(w, r, "round_new", "修改考评设置", f, err)
	}
	return s.redirect(w, r, "/rounds/"+p.Round.ID.String(), "考评设置已保存")
}

// timelineView is a round's timeline with the phase under way marked.
type timelineView struct {
	Title   string
	Link    string
	Phases  []assess.Phase
	Current int
}

func timelineOf(r *assess.Round, link string, now time.Time) timelineView {
	return timelineView{Title: r.Title, Link: link, Phases: r.Timeline, Current: assess.Current(r.Timeline, now)}
}

type rosterRow struct {
	User *account.User
	assess.Reviewer
}

type rosterData struct {
	Rows  []rosterRow
	Kinds []string
}

// roundRoster is the panel roster: every reviewer of the region with who
// they are, so panels can be built balanced across kinds.
func (s *Server) roundRoster(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	region, err := s.db.FindOrgByID(ctx, a.OrgID)
	if err != nil {
		return err
	}
	us, _, err := s.db.FindUsers(ctx, account.Filter{UnderPath: &region.Path, Role: ptr(account.RoleReviewer), Active: ptr(true), Limit: 500})
	if err != nil {
		return err
	}
	ids := make([]app.ID, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	profiles, err := s.db.FindReviewers(ctx, ids)
	if err != nil {
		return err
	}
	d := rosterData{Kinds: assess.ReviewerKinds}
	for _, u := range us {
		d.Rows = append(d.Rows, rosterRow{User: u, Reviewer: profiles[u.ID]})
	}
	v := s.newView(r, "评议团成员库", d)
	v.Active = "rounds"
	return s.render(w, r, http.StatusOK, "roster", v)
}

func (s *Server) roundRosterSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ids, err := idList(r, "user")
	if err != nil {
		return err
	}
	kinds, affs := r.PostForm["kind"], r.PostForm["affiliation"]
	n := 0
	for i, id := range ids {
		if i >= len(kinds) || kinds[i] == "" {
			continue
		}
		u, err := s.db.FindUserByID(ctx, id)
		if err != nil || !slices.Contains(u.Roles, account.RoleReviewer) {
			return app.Invalid("user", "只能登记评议员")
		}
		if !s.canAt(r, authz.AssessManage, u.OrgID) {
			return app.Invalid("user", "只能登记本区域的评议员")
		}
		aff := ""
		if i < len(affs) {
			aff = affs[i]
		}
		if err := s.db.SaveReviewer(ctx, assess.Reviewer{UserID: id, Kind: kinds[i], Affiliation: aff}); err != nil {
			return err
		}
		n++
	}
	return s.redirect(w, r, "/rounds/roster", fmt.Sprintf("已登记 %d 位评议员", n))
}
