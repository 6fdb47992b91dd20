package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/auth"
	"pufa/internal/contest"
	"pufa/internal/crypt"
	"pufa/internal/demo"
	"pufa/internal/exam"
	"pufa/internal/law"
	"pufa/internal/learn"
	"pufa/internal/org"
	"pufa/internal/password"
	"pufa/internal/pii"
	"pufa/internal/plan"
	"pufa/internal/question"
	"pufa/internal/quiz"
	"pufa/internal/session"
	"pufa/internal/store"
	"pufa/internal/store/storetest"
)

func TestLoad(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) { testLoad(t, d) })
	}
}

func testLoad(t *testing.T, d store.Dialect) {
	ctx := context.Background()
	db := storetest.Open(t, d, nil)
	hasher := password.FastForTests()
	accounts, err := demo.Load(ctx, db, hasher)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("Orgs", func(t *testing.T) {
		orgs, total, err := db.FindOrgs(ctx, org.Filter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[org.Kind]int{}
		for _, o := range orgs {
			kinds[o.Kind]++
			c := *o
			if err := c.Validate(); err != nil {
				t.Errorf("%s %s: %v", o.Name, o.Code, err)
			}
			if o.Kind.IsRegion() && !strings.HasPrefix(o.Code, demo.RegionCode) {
				t.Errorf("%s: code %s is outside the demo district", o.Name, o.Code)
			}
		}
		if total != len(orgs) || kinds[org.KindRegion] != 1 || kinds[org.KindUnit] < 18 ||
			kinds[org.KindSubdistrict]+kinds[org.KindTown] < 4 || kinds[org.KindVillage] < 2 || kinds[org.KindCommunity] < 2 {
			t.Errorf("org kinds %v (total %d)", kinds, total)
		}
		root, err := db.FindRootOrg(ctx)
		if err != nil || root.Code != demo.RegionCode {
			t.Fatalf("root %+v, %v", root, err)
		}
		for _, o := range orgs {
			if o.Kind == org.KindUnit && o.ParentID != root.ID {
				t.Errorf("unit %s is not under the root", o.Name)
			}
		}
	})

	t.Run("Users", func(t *testing.T) {
		users, total, err := db.FindUsers(ctx, account.Filter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if total != len(accounts) || total < 30 {
			t.Fatalf("%d users, %d accounts", total, len(accounts))
		}
		byRole := map[string]int{}
		var phones, ids, seniors int
		for _, u := range users {
			for _, r := range u.Roles {
				byRole[r]++
			}
			if account.IsAdminRole(u.Roles[0]) && len(u.Roles) != 1 {
				t.Errorf("%s: admin with roles %v", u.Login, u.Roles)
			}
			if u.MustChange {
				t.Errorf("%s must change the password; demo accounts must not", u.Login)
			}
			if u.Phone != "" {
				phones++
				if err := pii.ValidPhone(u.Phone); err != nil {
					t.Errorf("%s phone %s: %v", u.Login, u.Phone, err)
				}
			}
			if u.IDNumber != "" {
				ids++
				if err := pii.ValidIDNumber(u.IDNumber); err != nil {
					t.Errorf("%s ID %s: %v", u.Login, u.IDNumber, err)
				}
			}
			if u.Rank == account.RankSenior {
				seniors++
				if u.RankTitle == "" {
					t.Errorf("%s: senior without 职级", u.Login)
				}
			}
		}
		for _, r := range account.Roles {
			if byRole[r] == 0 {
				t.Errorf("no demo account has role %s", r)
			}
		}
		for _, r := range []string{account.RoleSysAdmin, account.RoleSecAdmin, account.RoleAuditor} {
			if byRole[r] != 1 {
				t.Errorf("%d accounts with role %s, want 1", byRole[r], r)
			}
		}
		if byRole[account.RoleExaminee] < 20 || byRole[account.RoleOffice] != 2 || byRole[account.RoleReviewer] != 5 || byRole[account.RoleLiaison] < 5 {
			t.Errorf("roles %v", byRole)
		}
		if phones < 5 || ids < 5 || seniors < 3 {
			t.Errorf("%d phones, %d ID numbers, %d senior officials", phones, ids, seniors)
		}
	})

	t.Run("SignIn", func(t *testing.T) {
		provider, err := crypt.NewEphemeral()
		if err != nil {
			t.Fatal(err)
		}
		svc := &auth.Service{Users: db, Orgs: db, Sessions: db, Audit: db, Hasher: hasher,
			Policy: password.Dengbao(), Lockout: account.DefaultLockout, Timeouts: session.DefaultTimeouts,
			Clock: app.SystemClock{}, Crypto: provider}
		seen := map[string]bool{}
		for _, a := range accounts {
			if seen[a.Password] {
				t.Errorf("%s: password repeated", a.Login)
			}
			seen[a.Password] = true
			if err := password.Dengbao().Check(a.Password, a.Login); err != nil {
				t.Errorf("%s: password breaks the policy: %v", a.Login, err)
			}
			if a.Role == "" || a.Name == "" || a.OrgName == "" {
				t.Errorf("incomplete account %+v", a)
			}
			res, err := svc.Login(ctx, a.Login, a.Password, session.KindWeb)
			if err != nil {
				t.Errorf("%s cannot sign in: %v", a.Login, err)
				continue
			}
			if res.MustChange {
				t.Errorf("%s must change the password at first sign-in", a.Login)
			}
			if got := strings.Join(res.User.Roles, ","); got != a.Role {
				t.Errorf("%s: roles %s, listed as %s", a.Login, got, a.Role)
			}
		}
	})

	t.Run("NotTwice", func(t *testing.T) {
		_, err := demo.Load(ctx, db, hasher)
		if app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("second load: %v, want conflict", err)
		}
	})

	t.Run("AuditChain", func(t *testing.T) {
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLoad_workPlan(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, nil)
	if _, err := demo.Load(ctx, db, password.FastForTests()); err != nil {
		t.Fatal(err)
	}
	root, _ := db.FindRootOrg(ctx)
	plans, err := db.FindPlans(ctx, root.Path)
	if err != nil || len(plans) != 1 {
		t.Fatalf("plans %v %v", plans, err)
	}
	items, err := db.FindItems(ctx, plans[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	tasks, sections, reported, overdue := 0, 0, 0, 0
	now := time.Now()
	for _, it := range items {
		if !it.IsTask {
			sections++
			continue
		}
		tasks++
		if len(it.LeadUnits) == 0 {
			t.Errorf("task %s has no lead unit", it.Label)
		}
		if it.Status != plan.NotStarted {
			reported++
		}
		if it.SignalAt(now, plan.DefaultWarning) == plan.Red {
			overdue++
		}
	}
	if sections != 5 || tasks != 19 || reported == 0 || overdue == 0 {
		t.Fatalf("sections %d tasks %d reported %d overdue %d", sections, tasks, reported, overdue)
	}
}

// TestLoad_dutyReview: the demo has last year's review published from a
// three-level scheme using every rule kind, with a panel of five, a public
// rating whose burst the office excluded, and a vetoed unit last; and this
// year's review open with work in progress.
func TestLoad_dutyReview(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, nil)
	if _, err := demo.Load(ctx, db, password.FastForTests()); err != nil {
		t.Fatal(err)
	}
	root, _ := db.FindRootOrg(ctx)
	rounds, err := db.FindRounds(ctx, root.Path)
	if err != nil || len(rounds) != 2 {
		t.Fatalf("rounds %v %v", rounds, err)
	}
	current, last := rounds[0], rounds[1]
	if last.Status != assess.RoundPublished || current.Status != assess.RoundOpen {
		t.Fatalf("statuses %s, %s", last.Status, current.Status)
	}
	sc, err := db.FindSchemeByID(ctx, last.SchemeID)
	if err != nil {
		t.Fatal(err)
	}
	kinds, depth := map[assess.RuleKind]bool{}, 0
	sc.Scheme.Walk(func(ind, _ *assess.Indicator, d int) {
		depth = max(depth, d)
		if ind.Rule != nil {
			kinds[ind.Rule.Kind()] = true
		}
	})
	if depth != 3 || len(kinds) != 7 {
		t.Fatalf("scheme depth %d, rule kinds %v", depth, kinds)
	}
	full, err := db.FindRoundByID(ctx, last.ID)
	if err != nil {
		t.Fatal(err)
	}
	prog, _ := db.FindProgress(ctx, last.ID)
	var panel, public *assess.RoundStage
	for _, st := range full.Stages {
		switch st.Kind {
		case assess.StagePanel:
			panel = st
		case assess.StagePublic:
			public = st
		}
	}
	if p := prog.ByStage[panel.ID]; p.Submitted != 5*len(full.Subjects) || p.Left() != 0 {
		t.Fatalf("panel progress %+v", p)
	}
	if public.Public.Key == "" || prog.ByStage[public.ID].Submitted < 30*len(full.Subjects) {
		t.Fatalf("public stage %+v, %d votes", public.Public, prog.ByStage[public.ID].Submitted)
	}
	counts, _ := db.VoteCounts(ctx, public.ID)
	excluded := 0
	for _, c := range counts {
		excluded += c[1]
	}
	if excluded < 20 {
		t.Fatalf("the burst was not excluded: %v", counts)
	}
	results, err := db.FindResults(ctx, last.ID, 0)
	if err != nil || len(results) != len(full.Subjects) {
		t.Fatalf("%d results, %v", len(results), err)
	}
	lastOne := results[len(results)-1]
	if !lastOne.VetoFailed || lastOne.Grade != assess.Poor || lastOne.Rank != len(results) {
		t.Fatalf("vetoed unit %+v", lastOne)
	}
	for _, r := range results {
		if !r.Complete || len(r.Stages) != 5 || !r.Stages[1].Trimmed {
			t.Fatalf("result %+v", r)
		}
	}
	reviewer, _ := db.FindUserByLogin(ctx, "reviewer1")
	tasks, _ := db.FindRaterTasks(ctx, reviewer.ID)
	drafts := 0
	for _, tk := range tasks {
		if tk.Sheet == assess.SheetDraft {
			drafts++
		}
	}
	if len(tasks) != 5 || drafts != 1 {
		t.Fatalf("reviewer1's tasks %d, drafts %d", len(tasks), drafts)
	}
}

// TestLoad_library: the demo library holds the whole 宪法 and the 总则 of
// the 民法典, a must-know list per audience, and a bank of a few hundred
// questions imported through the importer, each linked to the article
// its analysis cites.
func TestLoad_library(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, nil)
	if _, err := demo.Load(ctx, db, password.FastForTests()); err != nil {
		t.Fatal(err)
	}
	root, _ := db.FindRootOrg(ctx)
	laws, err := db.FindLaws(ctx, law.Filter{InPaths: []string{root.Path}})
	if err != nil || len(laws) != 2 {
		t.Fatalf("laws %v %v", laws, err)
	}
	counts := map[string]int{}
	for _, l := range laws {
		counts[l.Law.Title] = l.ArticleCount
	}
	if counts["中华人民共和国宪法"] != 143 || counts["中华人民共和国民法典"] < 204 {
		t.Fatalf("articles per law %v", counts)
	}
	lists, _ := db.FindLists(ctx, []string{root.Path})
	audiences := map[learn.Audience]bool{}
	for _, l := range lists {
		audiences[l.Audience] = true
	}
	if len(lists) != 3 || !audiences[learn.Leaders] || !audiences[learn.StateEmployees] || !audiences[learn.LawUnderstanders] {
		t.Fatalf("lists %v", lists)
	}
	sfj, _ := db.FindUserByLogin(ctx, "liaison.sfj")
	sfjOrg, _ := db.FindOrgByID(ctx, sfj.OrgID)
	if own, _ := db.FindLists(ctx, []string{sfjOrg.Path}); len(own) != 1 || own[0].Audience != learn.UnitOwn {
		t.Fatalf("区司法局's own list %v", own)
	}
	qs, total, err := db.FindQuestions(ctx, question.Filter{OrgPath: root.Path, Limit: 500})
	if err != nil || total < 300 {
		t.Fatalf("%d questions, %v", total, err)
	}
	for _, q := range qs {
		if q.ArticleID == 0 || !q.Answered() {
			t.Fatalf("question not linked or without answer: %+v", q)
		}
		art, err := db.FindArticleByID(ctx, q.ArticleID)
		if err != nil {
			t.Fatal(err)
		}
		// The article linked is the one the analysis cites.
		if _, label, _ := law.FindCitation(q.Analysis); art.Label != label {
			t.Fatalf("question %q linked to %s, cites %s", q.Stem, art.Label, label)
		}
	}
	zw, _ := db.FindUserByLogin(ctx, "zhangwei")
	if ms, _ := db.FindMistakes(ctx, zw.ID); len(ms) != 3 {
		t.Fatalf("zhangwei's mistakes %v", ms)
	}
}

// TestLoad_dutyLists: the demo's 2023 duty lists, most approved and public,
// one waiting, one returned.
func TestLoad_dutyLists(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, nil)
	if _, err := demo.Load(ctx, db, password.FastForTests()); err != nil {
		t.Fatal(err)
	}
	root, _ := db.FindRootOrg(ctx)
	all, _ := db.FindDutyLists(ctx, root.Path, 2023, false)
	public, _ := db.FindDutyLists(ctx, root.Path, 2023, true)
	if len(all) != 5 || len(public) != 3 {
		t.Fatalf("%d lists, %d public", len(all), len(public))
	}
	reps, _ := db.FindDutyReports(ctx, root.Path, 2023, true)
	flagged := 0
	for _, r := range reps {
		if r.Check == nil {
			t.Fatalf("%s's report has no check", r.OrgName)
		}
		for _, o := range r.Check.Overlaps {
			if o.Flagged {
				flagged++
				if r.OrgName != "区卫生健康委员会" || !strings.Contains(o.With, "区教育局") {
					t.Fatalf("%s flagged against %s", r.OrgName, o.With)
				}
			}
		}
	}
	if len(reps) != 4 || flagged != 1 {
		t.Fatalf("%d reports, %d flagged", len(reps), flagged)
	}
}

// TestLoad_exams: last year's exam is finished with results (two absent,
// two failed and passed the make-up), this year's is open now, and the
// examinees the demo suggests have not sat it yet.
func TestLoad_exams(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, nil)
	if _, err := demo.Load(ctx, db, password.FastForTests()); err != nil {
		t.Fatal(err)
	}
	root, _ := db.FindRootOrg(ctx)
	all, _, err := db.FindExams(ctx, exam.ExamFilter{OrgPath: root.Path})
	if err != nil {
		t.Fatal(err)
	}
	// The knowledge contests' online rounds are exams too; this test is
	// about the annual exam.
	contests, err := db.FindContests(ctx, root.Path)
	if err != nil {
		t.Fatal(err)
	}
	var exams []*exam.Exam
	for _, e := range all {
		if !slices.ContainsFunc(contests, func(c *contest.Contest) bool {
			return slices.ContainsFunc(c.Rounds, func(r contest.Round) bool { return r.ExamID == e.ID })
		}) {
			exams = append(exams, e)
		}
	}
	if len(exams) != 3 {
		t.Fatalf("exams %d", len(exams))
	}
	open, _, _ := db.FindExams(ctx, exam.ExamFilter{OrgPath: root.Path, OpenAt: time.Now()})
	if len(open) != 1 || open[0].SeniorRules == nil {
		t.Fatalf("open exams %+v", open)
	}
	var last, makeUp *exam.Exam
	for _, e := range exams {
		switch {
		case e.MakeUpOf != 0:
			makeUp = e
		case e.ID != open[0].ID:
			last = e
		}
	}
	if last == nil || makeUp == nil || makeUp.MakeUpOf != last.ID {
		t.Fatalf("no finished exam with its make-up: %+v", exams)
	}
	users, _, _ := db.FindUsers(ctx, account.Filter{Limit: 200})
	sat, failed, passedMakeUp := 0, 0, 0
	for _, u := range users {
		sts, err := db.FindSittings(ctx, last.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range sts {
			sat++
			if st.State != exam.Submitted || st.Max != 100 || len(st.Paper.Items) != 45 {
				t.Errorf("%s: %+v", u.Login, st)
			}
			if !st.Passed {
				failed++
				mk, _ := db.FindSittings(ctx, makeUp.ID, u.ID)
				if len(mk) == 1 && mk[0].Passed {
					passedMakeUp++
				}
			}
		}
		if slices.Contains([]string{"zhangwei", "wangfang", "lina"}, u.Login) {
			if cur, _ := db.FindSittings(ctx, open[0].ID, u.ID); len(cur) != 0 {
				t.Errorf("%s has sat this year's exam already", u.Login)
			}
		}
	}
	if sat < 18 || failed < 2 || passedMakeUp != failed {
		t.Errorf("last year: %d sat, %d failed, %d passed the make-up", sat, failed, passedMakeUp)
	}
}

// TestLoad_quiz: the demo's literacy quiz keeps the default alarms and
// raises none, its responses spread over the weeks since it opened; its
// place question offers the villages and communities of the tree.
func TestLoad_quiz(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, nil)
	if _, err := demo.Load(ctx, db, password.FastForTests()); err != nil {
		t.Fatal(err)
	}
	root, _ := db.FindRootOrg(ctx)
	qs, err := db.FindQuizzes(ctx, root.Path)
	if err != nil || len(qs) != 1 {
		t.Fatalf("quizzes %d %v", len(qs), err)
	}
	q := qs[0]
	if q.Alarm != (quiz.AlarmSettings{}) || len(q.Questions) != 15 {
		t.Fatalf("demo quiz alarm %+v, %d questions", q.Alarm, len(q.Questions))
	}
	var places []string
	for _, c := range q.Profile[2].Choices {
		places = append(places, c.Label)
	}
	if len(places) != 10 || !slices.Contains(places, "桃源村（柳溪镇）") {
		t.Errorf("place choices %v", places)
	}
	rs, err := db.FindResponses(ctx, q.ID)
	if err != nil || len(rs) != 320 {
		t.Fatalf("responses %d %v", len(rs), err)
	}
	stamps := make([]quiz.Stamp, len(rs))
	days := map[string]bool{}
	for i, r := range rs {
		stamps[i] = quiz.Stamp{ID: r.ID, At: r.At}
		if r.At.Before(q.OpensAt) || r.At.After(time.Now()) {
			t.Errorf("response %s at %s, outside %s – now", r.ID, r.At, q.OpensAt)
		}
		days[r.At.In(app.Shanghai).Format("2006-01-02")] = true
	}
	if a := q.Alarm.Check(stamps); a.Message != "" {
		t.Errorf("the demo quiz raises an alarm: %s", a.Message)
	}
	if len(days) < 10 {
		t.Errorf("responses on %d days, want them spread over the weeks", len(days))
	}
}
