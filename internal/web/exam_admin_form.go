package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/question"
)

// pickRow is one row of a paper's rules as typed.
type pickRow struct {
	Type, Tag, Count, Points string
}

// slotRow is one time slot as typed.
type slotRow struct {
	Org, Opens, Closes string
}

// orgOpt is an org offered in a list, indented to show the tree.
type orgOpt struct{ ID, Label string }

// pickTable is one table of rules on the form: the paper's, or the
// senior officials'.
type pickTable struct {
	Prefix, Field, Caption string
	Rows                   []pickRow
	Types                  []question.Type
	Tags                   []string
	Total                  string
}

// PickTable lays out the paper's rules (senior false) or the senior
// officials' for the template.
func (f *examForm) PickTable(senior bool) pickTable {
	t := pickTable{Prefix: "pick", Field: "picks", Caption: "抽题规则", Rows: f.Picks, Types: f.Types, Tags: f.Tags, Total: f.Total(senior)}
	if senior {
		t.Prefix, t.Field, t.Caption, t.Rows = "spick", "senior_picks", "领导干部的抽题规则", f.SeniorPicks
	}
	return t
}

// bankType is how many usable questions of one type the bank holds.
type bankType struct {
	Type  question.Type
	Count int
}

// examForm is the settings form of an exam, as typed.
type examForm struct {
	// Action is where the form posts: /exams for a new exam, the exam's
	// own address when editing.
	Action  string
	Editing bool
	// Started says the window has opened: a change reaches only attempts
	// started after it.
	Started bool
	// Fixed is the size of a fixed paper set outside this form; the rules
	// below do not apply while it is set.
	Fixed int
	// Saved is the exam's title as stored, for the way back to it.
	Saved string

	Title, Year                string
	Opens, Closes              string
	Duration, Grace            string
	MaxAttempts, Counts        string
	Pass                       string
	Excellent, Good, Qualified string
	Review                     string
	SitterOrg                  string
	Roles                      []string
	Rank                       string
	Picks                      []pickRow
	SeniorOn                   bool
	SeniorPicks                []pickRow
	OnePaper                   bool
	ShuffleOptions             bool
	ShuffleQuestions           bool
	MakeUpOf                   string
	Slots                      []slotRow

	// What the form offers.
	Orgs      []*org.Org
	OrgOpts   []orgOpt
	RoleOpts  []string
	Types     []question.Type
	Tags      []string
	Bank      []bankType
	BankTotal int
	// BankJSON maps "type|tag" to the usable questions, for the live
	// check beside each rule.
	BankJSON string
	Earlier  []*exam.Exam
}

// Total is the full marks the typed rules give, for the first render
// (the script keeps it live while typing).
func (f *examForm) Total(senior bool) string {
	rows := f.Picks
	if senior {
		rows = f.SeniorPicks
	}
	var t float64
	for _, p := range rows {
		n, err1 := strconv.Atoi(strings.TrimSpace(p.Count))
		x, err2 := strconv.ParseFloat(strings.TrimSpace(p.Points), 64)
		if err1 == nil && err2 == nil {
			t += float64(n) * x
		}
	}
	return strconv.FormatFloat(math.Round(t*100)/100, 'f', -1, 64)
}

// localInput formats a time for a datetime-local input, in Shanghai time.
func localInput(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(app.Shanghai).Format("2006-01-02T15:04")
}

func pickRows(r exam.Rules) []pickRow {
	var out []pickRow
	for _, p := range r.Picks {
		out = append(out, pickRow{Type: string(p.Type), Tag: p.Tag, Count: strconv.Itoa(p.Count), Points: strconv.FormatFloat(p.Points, 'f', -1, 64)})
	}
	return out
}

// padPicks and padSlots leave blank rows under the typed ones, so a
// browser without the script can still add rules and slots.
func padPicks(rows []pickRow, n int) []pickRow {
	for range n {
		rows = append(rows, pickRow{})
	}
	return rows
}

func padSlots(rows []slotRow, n int) []slotRow {
	for range n {
		rows = append(rows, slotRow{})
	}
	return rows
}

// newExamForm is the form of a new exam, as most districts run it: 45
// questions worth 100, 90 minutes, three attempts with the highest
// counting, 优秀 ≥ 90 / 良好 ≥ 80 / 合格 ≥ 60.
func newExamForm(a *app.Actor, now time.Time) *examForm {
	local := now.In(app.Shanghai)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, app.Shanghai)
	return &examForm{
		Action: "/exams", Title: fmt.Sprintf("%d年度国家工作人员学法用法考试", local.Year()), Year: strconv.Itoa(local.Year()),
		Opens: localInput(day.AddDate(0, 0, 1).Add(9 * time.Hour)), Closes: localInput(day.AddDate(0, 0, 15).Add(18 * time.Hour)),
		Duration: "90", Grace: "60", MaxAttempts: "3", Counts: string(exam.Highest), Pass: "60",
		Excellent: "90", Good: "80", Qualified: "60", Review: string(exam.ReviewAfterClose),
		SitterOrg: a.OrgID.String(), Roles: []string{account.RoleExaminee},
		Picks: []pickRow{
			{Type: string(question.Single), Count: "20", Points: "2"},
			{Type: string(question.Multiple), Count: "10", Points: "3"},
			{Type: string(question.TrueFalse), Count: "15", Points: "2"},
		},
		ShuffleOptions: true, ShuffleQuestions: true,
	}
}

// formOf fills the form from a stored exam.
func formOf(e *exam.Exam, now time.Time) *examForm {
	f := &examForm{
		Action: "/exams/" + e.ID.String(), Editing: true, Started: !now.Before(e.Window.Opens), Fixed: len(e.Fixed), Saved: e.Title,
		Title: e.Title, Year: strconv.Itoa(e.Year), Opens: localInput(e.Window.Opens), Closes: localInput(e.Window.Closes),
		Duration: strconv.Itoa(int(e.Window.Duration / time.Minute)), Grace: strconv.Itoa(int(e.Window.Grace / time.Second)),
		MaxAttempts: strconv.Itoa(e.MaxAttempts), Counts: string(e.Counts), Review: string(e.Review),
		Roles: e.Sitters.Roles, Picks: pickRows(e.Rules), OnePaper: e.OnePaper,
		ShuffleOptions: e.Rules.ShuffleOptions, ShuffleQuestions: e.Rules.ShuffleQuestions,
	}
	if e.Year == 0 {
		f.Year = ""
	}
	if e.Window.Grace == 0 {
		f.Grace = strconv.Itoa(int(exam.DefaultGrace / time.Second))
	}
	if f.Counts == "" {
		f.Counts = string(exam.Highest)
	}
	if f.Review == "" {
		f.Review = string(exam.ReviewAfterClose)
	}
	pass := e.Grading.Pass
	if pass == 0 {
		pass = exam.DefaultPass
	}
	f.Pass = strconv.FormatFloat(pass, 'f', -1, 64)
	bands := e.Grading.Bands
	if len(bands) == 0 {
		bands = exam.DefaultBands()
	}
	for _, b := range bands {
		v := strconv.FormatFloat(b.Min, 'f', -1, 64)
		switch b.Grade {
		case exam.Excellent:
			f.Excellent = v
		case exam.Good:
			f.Good = v
		case exam.Qualified:
			f.Qualified = v
		}
	}
	if len(e.Sitters.Ranks) == 1 {
		f.Rank = string(e.Sitters.Ranks[0])
	}
	if e.SeniorRules != nil {
		f.SeniorOn, f.SeniorPicks = true, pickRows(*e.SeniorRules)
	}
	if e.MakeUpOf != 0 {
		f.MakeUpOf = e.MakeUpOf.String()
	}
	for _, sl := range e.Slots {
		f.Slots = append(f.Slots, slotRow{Org: sl.OrgID.String(), Opens: localInput(sl.Opens), Closes: localInput(sl.Closes)})
	}
	return f
}

// examFormData fills in what the form offers: the orgs of the region, the
// bank's tags and counts, the earlier exams a make-up may follow. It also
// pads the rows and resolves the sitters' org.
func (s *Server) examFormData(ctx context.Context, a *app.Actor, officePath string, selfID app.ID, f *examForm) error {
	orgs, _, err := s.db.FindOrgs(ctx, org.Filter{UnderPath: &officePath, Active: ptr(true)})
	if err != nil {
		return err
	}
	f.Orgs, f.OrgOpts = orgs, nil
	for _, o := range orgs {
		label := o.Name
		if d := o.Depth() - strings.Count(officePath, "/") + 2; d > 0 {
			label = strings.Repeat("\u3000", d-1) + "└ " + o.Name
		}
		f.OrgOpts = append(f.OrgOpts, orgOpt{ID: o.ID.String(), Label: label})
	}
	for _, r := range account.Roles {
		if r != account.RoleSysAdmin && r != account.RoleSecAdmin && r != account.RoleAuditor {
			f.RoleOpts = append(f.RoleOpts, r)
		}
	}
	f.Types = question.Types
	bank, err := s.db.FindBank(ctx, org.PathsUp(officePath))
	if err != nil {
		return err
	}
	sum := summarizeBank(bank, question.Types)
	f.Bank, f.BankTotal, f.Tags, f.BankJSON = sum.Types, sum.Total, sum.Tags, sum.JSON
	earlier, _, err := s.db.FindExams(ctx, exam.ExamFilter{OrgPath: officePath, Limit: 100})
	if err != nil {
		return err
	}
	f.Earlier = slices.DeleteFunc(earlier, func(e *exam.Exam) bool { return e.ID == selfID })
	f.Picks = padPicks(f.Picks, max(1, 4-len(f.Picks)))
	f.SeniorPicks = padPicks(f.SeniorPicks, max(1, 4-len(f.SeniorPicks)))
	f.Slots = padSlots(f.Slots, max(1, 2-len(f.Slots)))
	if f.SitterOrg == "" {
		f.SitterOrg = a.OrgID.String()
	}
	return nil
}

// bankSummary is what a form that draws from the question bank offers:
// the usable questions per type, the tags, and the counts per type and
// tag for the live check beside each rule.
type bankSummary struct {
	Types []bankType
	Total int
	// Tags are the most used first: the laws, then the sections.
	Tags []string
	// JSON maps "type|tag" (and "type|" for any tag) to the count.
	JSON string
}

// summarizeBank counts the bank's questions of types that a draw could
// take: those that pass Validate and have an answer key (exam.Draw skips
// the rest).
func summarizeBank(bank []*question.Stored, types []question.Type) bankSummary {
	var sum bankSummary
	byKey := map[string]int{}
	tagCount := map[string]int{}
	for _, q := range bank {
		if !slices.Contains(types, q.Type) || q.Validate() != nil || !q.Answered() {
			continue
		}
		sum.Total++
		byKey[string(q.Type)+"|"]++
		for _, t := range q.Tags {
			byKey[string(q.Type)+"|"+t]++
			tagCount[t]++
		}
	}
	for _, t := range types {
		if n := byKey[string(t)+"|"]; n > 0 {
			sum.Types = append(sum.Types, bankType{Type: t, Count: n})
		}
	}
	for t := range tagCount {
		sum.Tags = append(sum.Tags, t)
	}
	slices.SortFunc(sum.Tags, func(x, y string) int {
		if tagCount[x] != tagCount[y] {
			return tagCount[y] - tagCount[x]
		}
		return strings.Compare(x, y)
	})
	b, _ := json.Marshal(byKey)
	sum.JSON = string(b)
	return sum
}

// sitterOrgID finds the org the sitters of a stored exam are drawn from.
func sitterOrgID(e *exam.Exam, orgs []*org.Org) string {
	for _, o := range orgs {
		if o.Path == e.Sitters.OrgPath {
			return o.ID.String()
		}
	}
	return e.OrgID.String()
}

func parseInt(field, label, v string, lo, hi int, blank int) (int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return blank, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, app.Invalid(field, "%s应为 %d 到 %d 之间的整数", label, lo, hi)
	}
	return n, nil
}

func parseScore(field, label, v string) (float64, error) {
	v = strings.TrimSpace(v)
	x, err := strconv.ParseFloat(v, 64)
	if v == "" || err != nil || math.IsNaN(x) || x < 0 || x > 100 {
		return 0, app.Invalid(field, "%s应为 0 到 100 之间的数", label)
	}
	return x, nil
}

// readPicks reads the rule rows named prefix_type, prefix_tag, …; a row
// with neither count nor points is left out.
func readPicks(r *http.Request, prefix, field, paper string) ([]pickRow, []exam.Pick, error) {
	types, tags, counts, points := r.PostForm[prefix+"_type"], r.PostForm[prefix+"_tag"], r.PostForm[prefix+"_count"], r.PostForm[prefix+"_points"]
	at := func(xs []string, i int) string {
		if i < len(xs) {
			return strings.TrimSpace(xs[i])
		}
		return ""
	}
	var rows []pickRow
	var picks []exam.Pick
	var firstErr error
	fail := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	for i := range types {
		row := pickRow{Type: at(types, i), Tag: at(tags, i), Count: at(counts, i), Points: at(points, i)}
		if row.Count == "" && row.Points == "" {
			continue
		}
		rows = append(rows, row)
		n := len(rows)
		t, err := question.ParseType(row.Type)
		if err != nil {
			fail(app.Invalid(field, "%s第 %d 条抽题规则：请选择题型", paper, n))
			continue
		}
		count, err := strconv.Atoi(row.Count)
		if err != nil || count < 1 || count > 500 {
			fail(app.Invalid(field, "%s第 %d 条抽题规则（%s）：题数应为 1 到 500 之间的整数", paper, n, t.Label()))
			continue
		}
		pts, err := strconv.ParseFloat(row.Points, 64)
		if err != nil || !(pts > 0) || pts > 100 {
			fail(app.Invalid(field, "%s第 %d 条抽题规则（%s）：每题分值应大于 0、不超过 100", paper, n, t.Label()))
			continue
		}
		picks = append(picks, exam.Pick{Type: t, Tag: row.Tag, Count: count, Points: pts})
	}
	if firstErr == nil && len(picks) == 0 {
		firstErr = app.Invalid(field, "%s至少需要一条抽题规则：选择题型，填写题数和每题分值", paper)
	}
	return rows, picks, firstErr
}

// readExamForm reads the posted form into f and e (which holds what the
// form does not show, when editing). It keeps reading past the first
// mistake so that everything typed is shown again, and returns that
// mistake.
func (s *Server) readExamForm(r *http.Request, a *app.Actor, f *examForm, e *exam.Exam) error {
	ctx := r.Context()
	var first error
	fail := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	pf := r.PostFormValue
	f.Title, f.Year = strings.TrimSpace(pf("title")), pf("year")
	f.Opens, f.Closes, f.Duration, f.Grace = pf("opens"), pf("closes"), pf("duration"), pf("grace")
	f.MaxAttempts, f.Counts, f.Review = pf("max_attempts"), pf("counts"), pf("review")
	f.Pass, f.Excellent, f.Good, f.Qualified = pf("pass"), pf("excellent"), pf("good"), pf("qualified")
	f.SitterOrg, f.Roles, f.Rank = pf("sitter_org"), r.PostForm["roles"], pf("rank")
	f.SeniorOn = pf("senior_on") == "1"
	f.OnePaper = pf("one_paper") == "1"
	f.ShuffleOptions, f.ShuffleQuestions = pf("shuffle_options") == "1", pf("shuffle_questions") == "1"
	f.MakeUpOf = pf("makeup_of")

	e.Title = f.Title
	if e.Title == "" {
		fail(app.Invalid("title", "请填写考试名称"))
	}
	year, err := parseInt("year", "年度", f.Year, 2000, 2100, s.clock.Now().In(app.Shanghai).Year())
	fail(err)
	e.Year = year
	opens, err := parseLocalTime("opens", "开考时间", f.Opens)
	fail(err)
	closes, err := parseLocalTime("closes", "截止时间", f.Closes)
	fail(err)
	if strings.TrimSpace(f.Opens) == "" {
		fail(app.Invalid("opens", "请填写开考时间"))
	}
	if strings.TrimSpace(f.Closes) == "" {
		fail(app.Invalid("closes", "请填写截止时间"))
	}
	minutes, err := parseInt("duration", "考试时长（分钟）", f.Duration, 0, 24*60, 0)
	fail(err)
	// A zero grace would read as the default, so one second is the least.
	grace, err := parseInt("grace", "宽限时间（秒）", f.Grace, 1, 3600, int(exam.DefaultGrace/time.Second))
	fail(err)
	e.Window = exam.Window{Opens: opens, Closes: closes, Duration: time.Duration(minutes) * time.Minute, Grace: time.Duration(grace) * time.Second}
	e.MaxAttempts, err = parseInt("max_attempts", "考试次数", f.MaxAttempts, 0, 100, 0)
	fail(err)
	switch exam.BestRule(f.Counts) {
	case exam.Highest, exam.Last:
		e.Counts = exam.BestRule(f.Counts)
	default:
		fail(app.Invalid("counts", "请选择计分方式"))
	}
	switch exam.Review(f.Review) {
	case exam.ReviewNever, exam.ReviewAfterSubmit, exam.ReviewAfterClose:
		e.Review = exam.Review(f.Review)
	default:
		fail(app.Invalid("review", "请选择答案公布方式"))
	}
	pass, err := parseScore("pass", "及格线", f.Pass)
	if err == nil && pass == 0 {
		// A zero pass mark would read as the default 60.
		err = app.Invalid("pass", "及格线应大于 0")
	}
	fail(err)
	e.Grading.Pass = pass
	bands := exam.DefaultBands()
	for i, v := range []string{f.Excellent, f.Good, f.Qualified} {
		x, err := parseScore("bands", bands[i].Grade+"的分数线", v)
		fail(err)
		bands[i].Min = x
	}
	e.Grading.Bands = bands

	// Who sits: an org within the office's region, roles, rank.
	if id, err := app.ParseID("sitter_org", f.SitterOrg); err != nil {
		fail(app.Invalid("sitters", "请选择参考范围"))
	} else if o, err := s.db.FindOrgByID(ctx, id); err != nil || !strings.HasPrefix(o.Path, e.OrgPath) {
		fail(app.Invalid("sitters", "参考范围应在本区域之内"))
	} else {
		e.Sitters.OrgPath = o.Path
	}
	e.Sitters.Roles = nil
	for _, role := range f.Roles {
		if !slices.Contains(account.Roles, role) {
			fail(app.Invalid("sitters", "参考人员的角色“%s”无效", role))
			continue
		}
		e.Sitters.Roles = append(e.Sitters.Roles, role)
	}
	if len(e.Sitters.Roles) == 0 {
		fail(app.Invalid("sitters", "请至少选择一种参考人员"))
	}
	switch f.Rank {
	case "":
		e.Sitters.Ranks = nil
	case string(account.RankSenior), string(account.RankStaff):
		e.Sitters.Ranks = []account.Rank{account.Rank(f.Rank)}
	default:
		fail(app.Invalid("sitters", "请选择参考人员的职级"))
	}

	// The paper.
	var picks []exam.Pick
	f.Picks, picks, err = readPicks(r, "pick", "picks", "")
	fail(err)
	e.Rules = exam.Rules{Picks: picks, ShuffleOptions: f.ShuffleOptions, ShuffleQuestions: f.ShuffleQuestions}
	e.SeniorRules = nil
	var seniorRows []pickRow
	seniorRows, picks, err = readPicks(r, "spick", "senior_picks", "领导干部试卷")
	if f.SeniorOn {
		fail(err)
		e.SeniorRules = &exam.Rules{Picks: picks, ShuffleOptions: f.ShuffleOptions, ShuffleQuestions: f.ShuffleQuestions}
	}
	f.SeniorPicks = seniorRows
	e.OnePaper = f.OnePaper

	e.MakeUpOf = 0
	if f.MakeUpOf != "" {
		id, err := app.ParseID("makeup_of", f.MakeUpOf)
		if err == nil && id == e.ID {
			err = app.Invalid("makeup_of", "补考不能对应本场考试自己")
		}
		if err == nil {
			var m *exam.Exam
			if m, err = s.db.FindExamByID(ctx, id); err == nil && !strings.HasPrefix(m.OrgPath, e.OrgPath) {
				err = app.Invalid("makeup_of", "补考对应的考试不在本区域")
			}
		}
		if err != nil {
			fail(app.Invalid("makeup_of", "请选择补考对应的考试"))
		}
		e.MakeUpOf = id
	}

	slotOrgs, slotOpens, slotCloses := r.PostForm["slot_org"], r.PostForm["slot_opens"], r.PostForm["slot_closes"]
	f.Slots, e.Slots = nil, nil
	for i, v := range slotOrgs {
		row := slotRow{Org: strings.TrimSpace(v)}
		if i < len(slotOpens) {
			row.Opens = slotOpens[i]
		}
		if i < len(slotCloses) {
			row.Closes = slotCloses[i]
		}
		if row.Org == "" && strings.TrimSpace(row.Opens) == "" && strings.TrimSpace(row.Closes) == "" {
			continue
		}
		f.Slots = append(f.Slots, row)
		n := len(f.Slots)
		id, err := app.ParseID("slots", row.Org)
		if err != nil {
			fail(app.Invalid("slots", "第 %d 个时段：请选择单位", n))
			continue
		}
		so, err := parseLocalTime("slots", fmt.Sprintf("第 %d 个时段的开始时间", n), row.Opens)
		fail(err)
		sc, err2 := parseLocalTime("slots", fmt.Sprintf("第 %d 个时段的结束时间", n), row.Closes)
		fail(err2)
		if err == nil && err2 == nil && (so.IsZero() || sc.IsZero()) {
			fail(app.Invalid("slots", "第 %d 个时段：请填写开始和结束时间", n))
		}
		e.Slots = append(e.Slots, exam.Slot{OrgID: id, Opens: so, Closes: sc})
	}
	if first != nil {
		return first
	}
	if err := e.Validate(); err != nil {
		return err
	}
	return s.checkDraw(ctx, e)
}

// drawSeeds is how many papers checkDraw draws: rules that overlap (a
// 宪法 pick after a pick of any single choice) may fit the bank for one
// seed and not another.
const drawSeeds = 24

// checkDraw draws papers by the exam's rules from the bank its examinees
// will draw from, so rules the bank cannot fill are refused now rather
// than in front of an examinee.
func (s *Server) checkDraw(ctx context.Context, e *exam.Exam) error {
	if len(e.Fixed) > 0 {
		return nil
	}
	bank, err := s.db.FindBank(ctx, org.PathsUp(e.OrgPath))
	if err != nil {
		return err
	}
	cands := make([]exam.Candidate, len(bank))
	for i, q := range bank {
		cands[i] = exam.Candidate{ID: q.ID, Q: q.Question, Tags: q.Tags}
	}
	check := func(rules exam.Rules, field, paper string) error {
		for seed := range uint64(drawSeeds) {
			if _, err := exam.Draw(cands, rules, seed*0x9e3779b97f4a7c15+1); err != nil {
				msg := app.ErrorMessage(err)
				if seed > 0 {
					msg += "（抽题规则之间有重叠：请把带标签的规则排在前面，或减少题数）"
				}
				return app.Invalid(field, "%s%s", paper, msg)
			}
		}
		return nil
	}
	if err := check(e.Rules, "picks", ""); err != nil {
		return err
	}
	if e.SeniorRules != nil {
		return check(*e.SeniorRules, "senior_picks", "领导干部试卷：")
	}
	return nil
}

func (s *Server) examNew(w http.ResponseWriter, r *http.Request) error {
	a := app.ActorFrom(r.Context())
	f := newExamForm(a, s.clock.Now())
	if err := s.examFormData(r.Context(), a, a.OrgPath, 0, f); err != nil {
		return err
	}
	v := s.newView(r, "新建考试", f)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "exam_form", v)
}

func (s *Server) examCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	f := &examForm{Action: "/exams"}
	e := &exam.Exam{OrgID: a.OrgID, OrgPath: a.OrgPath}
	err := s.readExamForm(r, a, f, e)
	if err == nil {
		err = s.db.CreateExam(ctx, e)
	}
	if err != nil {
		if derr := s.examFormData(ctx, a, a.OrgPath, 0, f); derr != nil {
			return derr
		}
		return s.renderExamForm(w, r, "新建考试", f, err)
	}
	return s.redirect(w, r, "/exams/manage", "考试已建立："+e.Title)
}

// renderExamForm shows the form again with what was typed and the error.
func (s *Server) renderExamForm(w http.ResponseWriter, r *http.Request, title string, f *examForm, err error) error {
	return s.renderFormIn(w, r, "exams", "exam_form", title, f, err)
}

func (s *Server) examEdit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.managedExam(r)
	if err != nil {
		return err
	}
	f := formOf(e, s.clock.Now())
	if err := s.examFormData(ctx, app.ActorFrom(ctx), e.OrgPath, e.ID, f); err != nil {
		return err
	}
	f.SitterOrg = sitterOrgID(e, f.Orgs)
	v := s.newView(r, "修改考试设置", f)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "exam_form", v)
}

func (s *Server) examUpdate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	e, err := s.managedExam(r)
	if err != nil {
		return err
	}
	f := &examForm{Action: "/exams/" + e.ID.String(), Editing: true, Started: !s.clock.Now().Before(e.Window.Opens), Fixed: len(e.Fixed), Saved: e.Title}
	err = s.readExamForm(r, a, f, e)
	if err == nil {
		err = s.db.UpdateExam(ctx, e)
	}
	if err != nil {
		if derr := s.examFormData(ctx, a, e.OrgPath, e.ID, f); derr != nil {
			return derr
		}
		return s.renderExamForm(w, r, "修改考试设置", f, err)
	}
	// The next start draws from the rules just saved.
	s.exams.mu.Lock()
	delete(s.exams.banks, e.ID)
	s.exams.mu.Unlock()
	msg := "考试设置已保存"
	if f.Started {
		msg += "；已经开始的答卷沿用原来的试卷和交卷时间"
	}
	return s.redirect(w, r, "/exams/manage", msg)
}
