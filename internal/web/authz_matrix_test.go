package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/contest"
	"pufa/internal/duty"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/password"
	"pufa/internal/plan"
	"pufa/internal/question"
	"pufa/internal/quiz"
)

// relation is where a request's target lies relative to the actor's org.
type relation string

const (
	own     relation = "own"
	sibling relation = "sibling"
	parent  relation = "parent"
	child   relation = "child"
)

var relations = []relation{own, sibling, parent, child}

// rule says which roles may use a route on a target in each relation. It
// is written from the permission model, independently of
// package authz, so a change there that the model does not allow fails.
type rule func(role string, rel relation) bool

var (
	anyone   rule = func(string, relation) bool { return true }
	onlyRole      = func(roles ...string) rule {
		return func(role string, _ relation) bool {
			for _, r := range roles {
				if r == role {
					return true
				}
			}
			return false
		}
	}
	orgView rule = func(role string, rel relation) bool {
		switch role {
		case account.RoleSysAdmin, account.RoleSecAdmin:
			return true
		case account.RoleOffice:
			return rel == own || rel == child
		case account.RoleLiaison:
			return rel == own
		}
		return false
	}
	orgManage rule = func(role string, rel relation) bool {
		return role == account.RoleSysAdmin || (role == account.RoleOffice && rel == child)
	}
	orgCreateUnder rule = func(role string, rel relation) bool {
		return role == account.RoleSysAdmin || (role == account.RoleOffice && (rel == own || rel == child))
	}
	userView        = orgView
	userManage rule = func(role string, rel relation) bool {
		return role == account.RoleSysAdmin || (role == account.RoleOffice && (rel == own || rel == child))
	}
	roleGrant rule = func(role string, rel relation) bool {
		return role == account.RoleSecAdmin || (role == account.RoleOffice && (rel == own || rel == child))
	}
	// A plan belongs to a region; the relation is the plan's region to the
	// actor's org. Units see and report on the plans of regions above them.
	planView rule = func(role string, rel relation) bool {
		return (role == account.RoleOffice && (rel == own || rel == child)) ||
			(role == account.RoleLiaison && (rel == own || rel == parent))
	}
	planManage rule = func(role string, rel relation) bool {
		return role == account.RoleOffice && (rel == own || rel == child)
	}
	taskReport rule = func(role string, rel relation) bool {
		return role == account.RoleLiaison && (rel == own || rel == parent)
	}
	piiReveal rule = func(role string, rel relation) bool {
		return role == account.RoleOffice && (rel == own || rel == child)
	}
	// A unit's duty list is its own until published: the unit and the
	// office above it read it, the office reviews it.
	dutyView rule = func(role string, rel relation) bool {
		return (role == account.RoleLiaison && rel == own) || (role == account.RoleOffice && (rel == own || rel == child))
	}
	// Schemes and rounds belong to a region's office, like plans.
	assessManage = planManage
	// So do exams: the office of the exam's region, or of one above it.
	examManage = planManage
	// And the literacy quizzes, kept with the library and question bank.
	libraryManage = planManage
	// A score sheet is open to the rater the office assigned, whatever
	// their role: in the matrix, the reviewer in A is assigned to A's round.
	sheetRate rule = func(role string, rel relation) bool {
		return role == account.RoleReviewer && rel == own
	}
	// A published result is shown to its own subject's liaison (and
	// office staff sitting in that org), never to another org.
	resultView rule = func(role string, rel relation) bool {
		return (role == account.RoleLiaison || role == account.RoleOffice) && rel == own
	}
)

// expectations covers every route. A route added to the server without a
// line here fails TestAuthorizationMatrix.
var expectations = map[string]rule{
	"GET /healthz":            anyone,
	"GET /metrics":            anyone,
	"GET /static/{file...}":   anyone,
	"GET /favicon.ico":        anyone,
	"GET /login":              anyone,
	"POST /login":             anyone,
	"POST /logout":            anyone,
	"GET /password":           anyone,
	"POST /password":          anyone,
	"GET /p":                  anyone,
	"GET /qr.svg":             anyone,
	"GET /{$}":                anyone,
	"GET /notices":            anyone,
	"POST /notices/{id}/read": anyone,
	"GET /jobs/{id}":          anyone,
	"GET /jobs/{id}/download": anyone,

	"GET /orgs":              orgView,
	"POST /orgs/export":      orgView,
	"GET /orgs/new":          orgCreateUnder,
	"POST /orgs":             orgCreateUnder,
	"GET /orgs/{id}/edit":    orgManage,
	"POST /orgs/{id}":        orgManage,
	"POST /orgs/{id}/move":   orgManage,
	"POST /orgs/{id}/delete": orgManage,

	"GET /users":                      userView,
	"POST /users/export":              userView,
	"GET /users/new":                  userManage,
	"POST /users":                     userManage,
	"GET /users/{id}":                 userView,
	"GET /users/{id}/edit":            userManage,
	"POST /users/{id}":                userManage,
	"POST /users/{id}/roles":          roleGrant,
	"POST /users/{id}/reset-password": userManage,
	"POST /users/{id}/reveal":         piiReveal,

	"GET /import":               onlyRole(account.RoleSysAdmin, account.RoleOffice),
	"GET /import/template.xlsx": onlyRole(account.RoleSysAdmin, account.RoleOffice),
	"POST /import":              onlyRole(account.RoleSysAdmin, account.RoleOffice),
	"POST /import/commit":       onlyRole(account.RoleSysAdmin, account.RoleOffice),

	"GET /audit": onlyRole(account.RoleAuditor),

	"GET /settings":  onlyRole(account.RoleSysAdmin),
	"POST /settings": onlyRole(account.RoleSysAdmin),

	"GET /plans":                  anyone,
	"GET /plans/new":              onlyRole(account.RoleOffice),
	"POST /plans/preview":         onlyRole(account.RoleOffice),
	"POST /plans":                 onlyRole(account.RoleOffice),
	"GET /plans/{id}/source":      planView,
	"GET /plans/{id}":             planView,
	"GET /plans/{id}/export":      planView,
	"POST /plans/{id}/assign":     planManage,
	"POST /plans/{id}/remind":     planManage,
	"POST /plans/{id}/tasks":      planManage,
	"POST /tasks/{id}":            planManage,
	"GET /tasks/{id}":             planView,
	"POST /tasks/{id}/reports":    taskReport,
	"POST /reports/{id}/review":   planManage,
	"GET /reports/{id}/files/{n}": planView,

	"GET /p/rate/{key}":       anyone,
	"POST /p/rate/{key}":      anyone,
	"POST /p/rate/{key}/code": anyone,

	"GET /duty":                        onlyRole(account.RoleOffice, account.RoleLiaison),
	"GET /duty/coverage":               onlyRole(account.RoleOffice),
	"GET /duty/{year}":                 onlyRole(account.RoleLiaison),
	"POST /duty/{year}":                onlyRole(account.RoleLiaison),
	"GET /duty/template.xlsx":          onlyRole(account.RoleLiaison),
	"POST /duty/import/{year}":         onlyRole(account.RoleLiaison),
	"POST /duty/copy/{year}":           onlyRole(account.RoleLiaison),
	"GET /duty/report/{year}":          onlyRole(account.RoleLiaison),
	"POST /duty/report/{year}":         onlyRole(account.RoleLiaison),
	"GET /duty/reports":                onlyRole(account.RoleOffice),
	"GET /duty/reports/{id}/files/{n}": dutyView,
	"GET /duty/reports/{id}":           dutyView,
	"GET /duty/lists/{id}":             dutyView,
	"POST /duty/lists/{id}/review":     planManage,
	"GET /p/duty":                      anyone,
	"GET /p/duty/{id}":                 anyone,
	"GET /laws":                        anyone,
	"GET /laws/import":                 onlyRole(account.RoleOffice),
	"POST /laws/preview":               onlyRole(account.RoleOffice),
	"POST /laws":                       onlyRole(account.RoleOffice),
	"GET /laws/{id}":                   anyone,
	"POST /articles/{id}/read":         anyone,
	"GET /lists":                       anyone,
	"GET /lists/new":                   onlyRole(account.RoleOffice),
	"POST /lists":                      onlyRole(account.RoleOffice),
	"GET /lists/{id}":                  anyone,
	"GET /questions":                   onlyRole(account.RoleOffice),
	"GET /questions/template.xlsx":     onlyRole(account.RoleOffice),
	"GET /questions/import":            onlyRole(account.RoleOffice),
	"POST /questions/import":           onlyRole(account.RoleOffice),
	"POST /questions/import/commit":    onlyRole(account.RoleOffice),
	"GET /practice":                    anyone,
	"GET /practice/next":               anyone,
	"POST /practice/{id}":              anyone,
	"GET /mistakes":                    anyone,

	// Exams: the office's pages, for the office of the exam's region and
	// those above it; the learning record checks in its handler (one's
	// own, or ?user= within the office's region: exam_admin_test.go).
	"GET /exams/manage":               onlyRole(account.RoleOffice),
	"GET /exams/new":                  onlyRole(account.RoleOffice),
	"POST /exams":                     onlyRole(account.RoleOffice),
	"GET /exams/{id}/edit":            examManage,
	"POST /exams/{id}":                examManage,
	"GET /exams/{id}/results":         examManage,
	"POST /exams/{id}/results/export": examManage,
	"GET /exams/{id}/marking":         examManage,
	"POST /exams/{id}/marking":        examManage,
	"GET /record":                     anyone,

	// Knowledge contests: the office's pages, for the office of the
	// contest's region and those above it, like its exams.
	"GET /contests":                   onlyRole(account.RoleOffice),
	"GET /contests/new":               onlyRole(account.RoleOffice),
	"POST /contests":                  onlyRole(account.RoleOffice),
	"GET /contests/{id}":              examManage,
	"GET /contests/{id}/edit":         examManage,
	"POST /contests/{id}":             examManage,
	"POST /contests/{id}/finalists":   examManage,
	"POST /contests/{id}/export":      examManage,
	"GET /contests/{id}/certificates": examManage,
	// The live final: the host's console, screen and buttons are the
	// office's; the phone's pages are every signed-in person's to ask for,
	// and the handler answers 404 to anyone not on the stage (the matrix's
	// contests have no final, so every role gets that 404, never a 403).
	"GET /contests/{id}/live/host":    examManage,
	"GET /contests/{id}/live/screen":  examManage,
	"GET /contests/{id}/live/state":   examManage,
	"GET /contests/{id}/live/stream":  examManage,
	"POST /contests/{id}/live/next":   examManage,
	"POST /contests/{id}/live/reveal": examManage,
	"POST /contests/{id}/live/reset":  examManage,
	"GET /contests/{id}/play":         anyone,
	"GET /contests/{id}/play/stream":  anyone,
	"POST /contests/{id}/play/answer": anyone,

	// The public literacy quiz: the citizen's pages need no account; the
	// office's are the library managers' of the quiz's region.
	"GET /p/quiz/{key}":              anyone,
	"POST /p/quiz/{key}":             anyone,
	"GET /p/quiz/{key}/result/{ref}": anyone,
	"GET /quizzes":                   onlyRole(account.RoleOffice),
	"GET /quizzes/new":               onlyRole(account.RoleOffice),
	"POST /quizzes":                  onlyRole(account.RoleOffice),
	"GET /quizzes/{id}":              libraryManage,
	"POST /quizzes/{id}/exclude":     libraryManage,
	"POST /quizzes/{id}/tokens":      libraryManage,
	"GET /quizzes/{id}/poster":       libraryManage,
	"POST /quizzes/{id}/export":      libraryManage,

	// The examinee's exam pages check in their handlers, through the same
	// core as the exam API: an exam the caller does not sit and another
	// person's attempt are not found (exam_pages_test.go).
	"GET /exams":                            anyone,
	"GET /exams/{id}":                       anyone,
	"POST /exams/{id}/start":                anyone,
	"GET /attempts/{id}":                    anyone,
	"PUT /attempts/{id}/answers/{question}": anyone,
	"POST /attempts/{id}/submit":            anyone,
	"GET /attempts/{id}/certificate":        anyone,

	"GET /schemes":                               onlyRole(account.RoleOffice),
	"GET /schemes/new":                           onlyRole(account.RoleOffice),
	"GET /schemes/template.xlsx":                 onlyRole(account.RoleOffice),
	"POST /schemes/import":                       onlyRole(account.RoleOffice),
	"POST /schemes":                              onlyRole(account.RoleOffice),
	"GET /schemes/{id}":                          assessManage,
	"GET /schemes/{id}/edit":                     assessManage,
	"POST /schemes/{id}":                         assessManage,
	"POST /schemes/{id}/publish":                 assessManage,
	"POST /schemes/{id}/versions":                assessManage,
	"GET /schemes/{id}/export":                   assessManage,
	"GET /rounds":                                onlyRole(account.RoleOffice),
	"GET /rounds/roster":                         onlyRole(account.RoleOffice),
	"POST /rounds/roster":                        onlyRole(account.RoleOffice),
	"GET /rounds/new":                            onlyRole(account.RoleOffice),
	"POST /rounds":                               onlyRole(account.RoleOffice),
	"GET /rounds/{id}":                           assessManage,
	"GET /rounds/{id}/edit":                      assessManage,
	"POST /rounds/{id}":                          assessManage,
	"POST /rounds/{id}/raters":                   assessManage,
	"POST /rounds/{id}/status":                   assessManage,
	"POST /rounds/{id}/remind":                   assessManage,
	"GET /rounds/{id}/results":                   assessManage,
	"POST /rounds/{id}/publish":                  assessManage,
	"GET /rounds/{id}/circular":                  assessManage,
	"POST /rounds/{id}/circular":                 assessManage,
	"GET /rounds/{id}/circular.docx":             assessManage,
	"GET /p/results/{id}":                        anyone,
	"GET /rounds/{id}/export":                    assessManage,
	"GET /rounds/{id}/subjects/{subject}":        assessManage,
	"POST /rounds/{id}/corrections":              assessManage,
	"POST /rounds/{id}/corrections/{cid}":        assessManage,
	"POST /rounds/{id}/tokens":                   assessManage,
	"GET /rounds/{id}/votes":                     assessManage,
	"POST /rounds/{id}/votes":                    assessManage,
	"POST /sheets/{id}/return":                   assessManage,
	"GET /sheets":                                anyone,
	"GET /rounds/{id}/sheets/{stage}/{subject}":  sheetRate,
	"POST /rounds/{id}/sheets/{stage}/{subject}": sheetRate,
	"GET /rounds/{id}/sheets/{stage}/{subject}/report-files/{n}": sheetRate,
	"GET /rounds/{id}/sheets/{stage}/{subject}/photos/{n}":       sheetRate,
	"GET /rounds/{id}/subjects/{subject}/photos/{n}":             assessManage,
	"POST /rounds/{id}/sheets/{stage}/{subject}/site":            sheetRate,
	"GET /results":      anyone,
	"GET /results/{id}": resultView,

	"POST /api/v1/login":    anyone,
	"POST /api/v1/logout":   anyone,
	"POST /api/v1/password": anyone,
	"GET /api/v1/me":        anyone,
	// The exam API checks in its handlers: an exam the caller does not sit
	// and another person's attempt are not found (TestExamAuthorization).
	"GET /api/v1/exams":                            anyone,
	"POST /api/v1/exams/{id}/attempts":             anyone,
	"GET /api/v1/attempts/{id}":                    anyone,
	"PUT /api/v1/attempts/{id}/answers/{question}": anyone,
	"POST /api/v1/attempts/{id}/submit":            anyone,
	"GET /api/v1/orgs":                             orgView,
	"GET /api/v1/users/{id}":                       userView,
}

// matrixWorld is the tree the matrix runs in: the actors sit in "A", a
// subdistrict under the root; "B" is A's sibling, "C" A's child.
type matrixWorld struct {
	orgs     map[relation]*org.Org
	users    map[relation]*account.User // one examinee in each org
	plans    map[relation]*plan.Plan    // one plan of each org, one task
	tasks    map[relation]*plan.Item
	reports  map[relation]*plan.Report
	schemes  map[relation]*assess.StoredScheme
	rounds   map[relation]*assess.Round
	sheets   map[relation]*assess.StoredSheet
	duties   map[relation]*duty.List
	dutyReps map[relation]*duty.Report
	exams    map[relation]*exam.Exam   // one exam run by each org's office, open now
	quizzes  map[relation]*quiz.Stored // one open literacy quiz of each org's office
	// One knowledge contest of each org's office, its exam the round.
	contests map[relation]*contest.Contest
}

func buildMatrixWorld(t *testing.T, e *env) (*matrixWorld, map[string]string) {
	ctx := context.Background()
	mk := func(o *org.Org) *org.Org {
		if err := e.db.CreateOrg(ctx, o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	root := mk(&org.Org{Kind: org.KindRegion, Name: "矩阵区", Code: "330198"})
	a := mk(&org.Org{ParentID: root.ID, Kind: org.KindSubdistrict, Name: "甲街道", Code: "330198001"})
	b := mk(&org.Org{ParentID: root.ID, Kind: org.KindSubdistrict, Name: "乙街道", Code: "330198002"})
	c := mk(&org.Org{ParentID: a.ID, Kind: org.KindCommunity, Name: "甲社区", Code: "330198001001"})
	w := &matrixWorld{orgs: map[relation]*org.Org{own: a, sibling: b, parent: root, child: c}, users: map[relation]*account.User{},
		plans: map[relation]*plan.Plan{}, tasks: map[relation]*plan.Item{}, reports: map[relation]*plan.Report{}}
	hasher := password.FastForTests()
	hash, _ := hasher.Hash(ctx, "Unused-Pass-9")
	for rel, o := range w.orgs {
		u := &account.User{Login: "target." + string(rel), Name: "目标" + string(rel), OrgID: o.ID, Roles: []string{account.RoleExaminee},
			Phone: "13900000000", PasswordHash: hash}
		if err := e.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		w.users[rel] = u
		p := &plan.Plan{OrgID: o.ID, Year: 2023, Title: o.Name + "工作要点"}
		tree := []*plan.Node{{Item: plan.Item{Label: "1", Title: "任务", LeadUnits: []app.ID{o.ID}}}}
		if err := e.db.CreatePlan(ctx, p, tree); err != nil {
			t.Fatal(err)
		}
		rep := &plan.Report{ItemID: tree[0].Item.ID, OrgID: o.ID, Author: u.ID, Status: plan.InProgress, Percent: 10, Text: "进展"}
		if err := e.db.CreateReport(ctx, rep); err != nil {
			t.Fatal(err)
		}
		w.plans[rel], w.tasks[rel], w.reports[rel] = p, &tree[0].Item, rep
	}
	pw := "Matrix-Pass-42"
	hash, _ = hasher.Hash(ctx, pw)
	logins := map[string]string{}
	for _, role := range account.Roles {
		u := &account.User{Login: "actor." + role, Name: "角色" + role, OrgID: a.ID, Roles: []string{role}, PasswordHash: hash}
		if err := e.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		logins[role] = u.Login
	}
	buildAssessWorld(t, e, w)
	return w, logins
}

// buildAssessWorld gives each org a published scheme and a round scoring
// the org itself, with one submitted sheet by the org's examinee. In A's
// round the reviewer actor is a rater too, and A's results are published.
func buildAssessWorld(t *testing.T, e *env, w *matrixWorld) {
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	reviewer, err := e.db.FindUserByLogin(ctx, "actor."+account.RoleReviewer)
	must(err)
	w.schemes, w.rounds, w.sheets = map[relation]*assess.StoredScheme{}, map[relation]*assess.Round{}, map[relation]*assess.StoredSheet{}
	w.duties, w.dutyReps = map[relation]*duty.List{}, map[relation]*duty.Report{}
	for rel, o := range w.orgs {
		sc, err := e.db.CreateScheme(ctx, o.ID, 0, assess.DutyReviewScheme())
		must(err)
		must(e.db.PublishScheme(ctx, sc.ID))
		rd := &assess.Round{OrgID: o.ID, SchemeID: sc.ID, Title: o.Name + "履职评议", Subjects: []assess.Subject{{OrgID: o.ID}},
			Stages: []*assess.RoundStage{{Stage: assess.Stage{Kind: assess.StagePanel, Weight: 100}},
				{Stage: assess.Stage{Kind: assess.StagePublic}, Public: assess.PublicSettings{Mode: assess.VoteByPhone}}}}
		must(e.db.CreateRound(ctx, rd))
		panel := rd.Stages[0]
		as := []assess.Assignment{{StageID: panel.ID, RaterID: w.users[rel].ID, SubjectID: o.ID}}
		if rel == own {
			as = append(as, assess.Assignment{StageID: panel.ID, RaterID: reviewer.ID, SubjectID: o.ID})
		}
		must(e.db.SetAssignments(ctx, panel.ID, as))
		must(e.db.SetRoundStatus(ctx, rd.ID, assess.RoundDraft, assess.RoundOpen))
		sh := &assess.StoredSheet{StageID: panel.ID, SubjectID: o.ID, RaterID: w.users[rel].ID, Sheet: fullSheet(sc.Scheme)}
		res, err := assess.Score(sc.Scheme, sh.Sheet)
		must(err)
		must(e.db.SubmitSheet(ctx, sh, res, sc.Scheme.Codes()))
		if rel == own {
			must(e.db.SetRoundStatus(ctx, rd.ID, assess.RoundOpen, assess.RoundLocked))
			stored, err := e.db.FindRoundByID(ctx, rd.ID)
			must(err)
			results, err := assess.ComputeResults(ctx, e.db, sc.Scheme, stored, nil)
			must(err)
			must(e.db.PublishResults(ctx, rd.ID, results, assess.Revision{EnteredBy: reviewer.ID, ApprovedBy: reviewer.ID}, nil))
		}
		w.schemes[rel], w.rounds[rel], w.sheets[rel] = sc, rd, sh
		// A submitted duty list of each org: reviewable, not public.
		dl := &duty.List{OrgID: o.ID, Year: 2023, Items: []duty.Item{{Laws: []string{"宪法"}, Audience: []string{"服务对象"}, Measures: "集中宣传"}}}
		must(e.db.SaveDutyList(ctx, dl))
		must(e.db.SubmitDutyList(ctx, dl.ID))
		w.duties[rel] = dl
		rep := &duty.Report{OrgID: o.ID, Year: 2023, Sections: []string{"机制", "", "", "", ""}}
		must(e.db.SaveDutyReport(ctx, rep))
		w.dutyReps[rel] = rep
		ex := &exam.Exam{OrgID: o.ID, Title: o.Name + "学法考试", Year: 2026,
			Window:  exam.Window{Opens: time.Now().Add(-time.Hour), Closes: time.Now().Add(24 * time.Hour), Duration: time.Hour},
			Rules:   exam.Rules{Picks: []exam.Pick{{Type: question.Single, Count: 10, Points: 10}}},
			Sitters: exam.Sitters{Roles: []string{account.RoleExaminee}}}
		must(e.db.CreateExam(ctx, ex))
		if w.exams == nil {
			w.exams = map[relation]*exam.Exam{}
		}
		w.exams[rel] = ex
		ct := &contest.Contest{OrgID: o.ID, Title: o.Name + "知识竞赛", Year: 2026, Rounds: []contest.Round{{ExamID: ex.ID}},
			Team: contest.TeamRule{Kind: contest.BestN, N: 3}}
		must(e.db.CreateContest(ctx, ct))
		if w.contests == nil {
			w.contests = map[relation]*contest.Contest{}
		}
		w.contests[rel] = ct
		// A quiz needs no bank to be listed and tallied: the IDs name no
		// question, which only the question step would read.
		dims, err := quiz.DimensionsFromScheme(quiz.LiteracyScheme())
		must(err)
		qz := &quiz.Stored{Quiz: quiz.Quiz{OrgID: o.ID, Title: o.Name + "法治素养测评", Mode: quiz.Open, Dimensions: dims,
			Questions: []quiz.Question{{QuestionID: 1, Dimension: "A", Points: 1}, {QuestionID: 2, Dimension: "B", Points: 1}, {QuestionID: 3, Dimension: "C", Points: 1}}}}
		must(e.db.CreateQuiz(ctx, qz))
		if w.quizzes == nil {
			w.quizzes = map[relation]*quiz.Stored{}
		}
		w.quizzes[rel] = qz
	}
}

// fullSheet gives every scoring leaf of s its full marks.
func fullSheet(s *assess.Scheme) assess.Sheet {
	sh := assess.Sheet{Values: map[string]assess.Input{}}
	s.Walk(func(ind, _ *assess.Indicator, _ int) {
		switch r := ind.Rule.(type) {
		case assess.Direct:
			sh.Values[ind.Code] = assess.Input{Points: ind.Max}
		case assess.YesNo:
			sh.Values[ind.Code] = assess.Input{Yes: true}
		case assess.Tiered:
			sh.Values[ind.Code] = assess.Input{Tier: r.Levels[0].Label}
		}
	})
	return sh
}

// officeExamRoutes are the office's exam routes, aimed at the exam of the
// relation; the examinee's routes under /exams/{id} keep nobody's id.
var officeExamRoutes = map[string]bool{
	"GET /exams/{id}/edit": true, "POST /exams/{id}": true, "GET /exams/{id}/results": true,
	"POST /exams/{id}/results/export": true, "GET /exams/{id}/marking": true, "POST /exams/{id}/marking": true,
}

// requestFor builds the request of a route aimed at a target in rel. Every
// form is invalid on purpose, so an allowed request fails validation
// instead of changing the world the next requests run in.
func requestFor(rt string, w *matrixWorld, rel relation) (method, path string, form url.Values) {
	method, pattern, _ := strings.Cut(rt, " ")
	o, u := w.orgs[rel], w.users[rel]
	path = pattern
	path = strings.Replace(path, "{$}", "", 1)
	path = strings.Replace(path, "{file...}", "nothing/style.css", 1)
	switch {
	case strings.HasPrefix(pattern, "/orgs/{id}"):
		path = strings.Replace(path, "{id}", o.ID.String(), 1)
	case strings.HasPrefix(pattern, "/users/{id}"), strings.HasPrefix(pattern, "/api/v1/users/{id}"):
		path = strings.Replace(path, "{id}", u.ID.String(), 1)
	case strings.HasPrefix(pattern, "/plans/{id}"):
		path = strings.Replace(path, "{id}", w.plans[rel].ID.String(), 1)
	case strings.HasPrefix(pattern, "/tasks/{id}"):
		path = strings.Replace(path, "{id}", w.tasks[rel].ID.String(), 1)
	case strings.HasPrefix(pattern, "/reports/{id}"):
		path = strings.Replace(path, "{id}", w.reports[rel].ID.String(), 1)
	case strings.HasPrefix(pattern, "/schemes/{id}"):
		path = strings.Replace(path, "{id}", w.schemes[rel].ID.String(), 1)
	case strings.HasPrefix(pattern, "/rounds/{id}"), strings.HasPrefix(pattern, "/results/{id}"), strings.HasPrefix(pattern, "/p/results/{id}"):
		rd := w.rounds[rel]
		path = strings.Replace(path, "{id}", rd.ID.String(), 1)
		path = strings.Replace(path, "{stage}", rd.Stages[0].ID.String(), 1)
		path = strings.Replace(path, "{subject}", rd.Subjects[0].OrgID.String(), 1)
		path = strings.Replace(path, "{cid}", "12345", 1)
	case strings.HasPrefix(pattern, "/duty/reports/{id}"):
		path = strings.Replace(path, "{id}", w.dutyReps[rel].ID.String(), 1)
	case strings.HasPrefix(pattern, "/duty/report/{year}"):
		path = strings.Replace(path, "{year}", "2023", 1)
	case strings.HasPrefix(pattern, "/duty/lists/{id}"), strings.HasPrefix(pattern, "/p/duty/{id}"):
		path = strings.Replace(path, "{id}", w.duties[rel].ID.String(), 1)
	case strings.HasPrefix(pattern, "/duty/{year}"), strings.HasPrefix(pattern, "/duty/copy/{year}"), strings.HasPrefix(pattern, "/duty/import/{year}"):
		path = strings.Replace(path, "{year}", "2023", 1)
	case strings.HasPrefix(pattern, "/sheets/{id}"):
		path = strings.Replace(path, "{id}", w.sheets[rel].ID.String(), 1)
	case strings.HasPrefix(pattern, "/p/rate/{key}"):
		path = strings.Replace(path, "{key}", w.rounds[rel].Stages[1].Public.Key, 1)
	case strings.HasPrefix(pattern, "/quizzes/{id}"):
		path = strings.Replace(path, "{id}", w.quizzes[rel].ID.String(), 1)
	case strings.HasPrefix(pattern, "/p/quiz/{key}"):
		path = strings.Replace(path, "{key}", w.quizzes[rel].Key, 1)
	case strings.HasPrefix(pattern, "/contests/{id}"):
		path = strings.Replace(path, "{id}", w.contests[rel].ID.String(), 1)
	case officeExamRoutes[rt]:
		path = strings.Replace(path, "{id}", w.exams[rel].ID.String(), 1)
	case strings.Contains(pattern, "{id}"):
		path = strings.Replace(path, "{id}", "12345", 1) // someone else's or nobody's
	}
	form = url.Values{}
	switch rt {
	case "GET /orgs", "POST /orgs/export", "GET /users", "POST /users/export", "GET /api/v1/orgs", "GET /users/new":
		path += "?org=" + o.ID.String()
	case "GET /orgs/new":
		path += "?parent=" + o.ID.String()
	case "POST /orgs":
		form.Set("parent", o.ID.String()) // no name: invalid
	case "POST /users":
		form.Set("org", o.ID.String()) // no login: invalid
	case "POST /orgs/{id}/move":
		form.Set("parent", "1") // no such org
	case "GET /qr.svg":
		path += "?path=/p"
	case "POST /users/{id}/roles":
		form["roles"] = []string{} // no roles: invalid
	}
	return method, path, form
}

func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t, envOptions{})
	w, logins := buildMatrixWorld(t, e)

	routes := e.web.Routes()
	seen := map[string]bool{}
	for _, r := range routes {
		key := r.Method + " " + r.Pattern
		seen[key] = true
		if _, ok := expectations[key]; !ok {
			t.Errorf("route %s has no line in the authorization expectations: add one", key)
		}
	}
	for key := range expectations {
		if !seen[key] {
			t.Errorf("expectation for %s names no route", key)
		}
	}

	// Signed-out: every non-public route sends the browser to sign in, or
	// answers 401 on the API.
	anon := e.client()
	for _, r := range routes {
		if r.Public {
			continue
		}
		method, path, form := requestFor(r.Method+" "+r.Pattern, w, own)
		var resp *http.Response
		if method == "POST" && !r.API {
			resp, _ = anon.post(path, form)
		} else if method == "PUT" && !r.API {
			// A page's script sends its token in a header.
			resp, _ = anon.do(method, path, nil, map[string]string{"X-CSRF-Token": anon.csrfCookie()})
		} else {
			resp, _ = anon.do(method, path, nil, nil)
		}
		want := http.StatusSeeOther
		if r.API {
			want = http.StatusUnauthorized
		}
		if resp.StatusCode != want {
			t.Errorf("signed out: %s %s = %d, want %d", method, path, resp.StatusCode, want)
		}
	}

	for _, role := range account.Roles {
		c := e.client()
		c.login(logins[role], "Matrix-Pass-42")
		token := apiToken(t, e, logins[role], "Matrix-Pass-42")
		for _, r := range routes {
			key := r.Method + " " + r.Pattern
			if key == "POST /logout" || key == "POST /api/v1/logout" || key == "POST /password" || key == "POST /api/v1/password" {
				continue // they end or change the session the matrix runs on; tested on their own
			}
			for _, rel := range relations {
				method, path, form := requestFor(key, w, rel)
				var resp *http.Response
				var body string
				switch {
				case r.API:
					var b *strings.Reader
					if method == "POST" {
						b = strings.NewReader(`{}`)
					}
					hdr := map[string]string{"Authorization": "Bearer " + token}
					if b != nil {
						resp, body = c.do(method, path, nil, hdr)
					} else {
						resp, body = c.do(method, path, nil, hdr)
					}
				case method == "POST":
					resp, body = c.post(path, form)
				default:
					resp, body = c.get(path)
				}
				allowed := expectations[key](role, rel)
				got := resp.StatusCode
				switch {
				case !allowed && got != http.StatusForbidden:
					t.Errorf("%s in %s: %s %s = %d, want 403", role, rel, method, path, got)
				case allowed && (got == http.StatusForbidden || (got == http.StatusUnauthorized && !r.Public) || got >= 500):
					t.Errorf("%s in %s: %s %s = %d, want it allowed: %s", role, rel, method, path, got, firstError(body))
				}
			}
		}
	}
}

func apiToken(t *testing.T, e *env, login, pw string) string {
	t.Helper()
	resp, body := e.client().do("POST", "/api/v1/login", nil, map[string]string{"Content-Type": "application/json"})
	_ = resp
	_ = body
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/login", strings.NewReader(`{"login":"`+login+`","password":"`+pw+`"}`))
	req.Header.Set("Content-Type", "application/json")
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&out); err != nil || out.Token == "" {
		t.Fatalf("api login %s: %d %v", login, r.StatusCode, err)
	}
	return out.Token
}

var _ = app.ID(0)
