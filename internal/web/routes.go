package web

import (
	"context"
	"net/http"
	"strings"

	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/org"
)

// access says who may reach a route before its handler runs.
type access int

const (
	// public routes need no sign-in.
	public access = iota
	// signedIn routes need a session; the handler may check more.
	signedIn
	// passwordChange routes stay reachable while a password must change.
	passwordChange
	// action routes need authz.Can(actor, route.action, route.target(r)).
	action
)

// route is one URL of pufa. Every URL is in routeTable, and the
// authorization test walks this table: a route missing from its
// expectations fails the test.
type route struct {
	method  string
	pattern string
	access  access
	action  authz.Action
	// target resolves what the action applies to from the request (an org
	// or user id in the path); nil means the whole system.
	target func(s *Server, r *http.Request) (authz.Target, error)
	// api routes answer errors as JSON and take bearer tokens.
	api bool
	// quiet routes do not refresh the session's last-seen time: a hot
	// write (an exam answer) writes its own row and nothing else.
	quiet bool
	// jsonErrors routes take the browser's session and CSRF token like any
	// page but answer errors as JSON: a page's own script calls them.
	jsonErrors bool
	h          handlerFunc
}

// routeTable is every URL pufa serves.
func (s *Server) routeTable() []route {
	return []route{
		{method: "GET", pattern: "/healthz", access: public, h: s.healthz},
		{method: "GET", pattern: "/metrics", access: public, h: s.serveMetrics},
		{method: "GET", pattern: "/static/{file...}", access: public, h: s.serveStatic},
		{method: "GET", pattern: "/favicon.ico", access: public, h: s.favicon},
		{method: "GET", pattern: "/login", access: public, h: s.loginForm},
		{method: "POST", pattern: "/login", access: public, h: s.loginSubmit},
		{method: "POST", pattern: "/logout", access: passwordChange, h: s.logout},
		{method: "GET", pattern: "/password", access: passwordChange, h: s.passwordForm},
		{method: "POST", pattern: "/password", access: passwordChange, h: s.passwordSubmit},
		{method: "GET", pattern: "/p", access: public, h: s.publicHome},
		{method: "GET", pattern: "/qr.svg", access: public, h: s.qrSVG},
		{method: "GET", pattern: "/p/results/{id}", access: public, h: s.publicResults},
		{method: "GET", pattern: "/p/duty", access: public, h: s.publicDuty},
		{method: "GET", pattern: "/p/duty/{id}", access: public, h: s.publicDutyList},
		{method: "GET", pattern: "/p/rate/{key}", access: public, h: s.rateForm},
		{method: "POST", pattern: "/p/rate/{key}", access: public, h: s.rateSubmit},
		{method: "POST", pattern: "/p/rate/{key}/code", access: public, h: s.rateCode},

		{method: "GET", pattern: "/{$}", access: signedIn, h: s.home},
		{method: "GET", pattern: "/notices", access: signedIn, h: s.noticeList},
		{method: "POST", pattern: "/notices/{id}/read", access: signedIn, h: s.noticeRead},
		{method: "GET", pattern: "/jobs/{id}", access: signedIn, h: s.jobShow},
		{method: "GET", pattern: "/jobs/{id}/download", access: signedIn, h: s.jobDownload},

		{method: "GET", pattern: "/orgs", access: action, action: authz.OrgView, target: scopeParam, h: s.orgList},
		{method: "POST", pattern: "/orgs/export", access: action, action: authz.OrgView, target: scopeParam, h: s.orgExport},
		{method: "GET", pattern: "/orgs/new", access: action, action: authz.OrgManage, target: parentParam, h: s.orgNew},
		{method: "POST", pattern: "/orgs", access: action, action: authz.OrgManage, target: parentParam, h: s.orgCreate},
		{method: "GET", pattern: "/orgs/{id}/edit", access: action, action: authz.OrgManage, target: orgInPath, h: s.orgEdit},
		{method: "POST", pattern: "/orgs/{id}", access: action, action: authz.OrgManage, target: orgInPath, h: s.orgUpdate},
		{method: "POST", pattern: "/orgs/{id}/move", access: action, action: authz.OrgManage, target: orgInPath, h: s.orgMove},
		{method: "POST", pattern: "/orgs/{id}/delete", access: action, action: authz.OrgManage, target: orgInPath, h: s.orgDelete},

		{method: "GET", pattern: "/users", access: action, action: authz.UserView, target: scopeParam, h: s.userList},
		{method: "POST", pattern: "/users/export", access: action, action: authz.UserView, target: scopeParam, h: s.userExport},
		{method: "GET", pattern: "/users/new", access: action, action: authz.UserManage, target: orgParam, h: s.userNew},
		{method: "POST", pattern: "/users", access: action, action: authz.UserManage, target: orgParam, h: s.userCreate},
		{method: "GET", pattern: "/users/{id}", access: action, action: authz.UserView, target: userInPath, h: s.userShow},
		{method: "GET", pattern: "/users/{id}/edit", access: action, action: authz.UserManage, target: userInPath, h: s.userEdit},
		{method: "POST", pattern: "/users/{id}", access: action, action: authz.UserManage, target: userInPath, h: s.userUpdate},
		{method: "POST", pattern: "/users/{id}/roles", access: action, action: authz.RoleGrant, target: userInPath, h: s.userRoles},
		{method: "POST", pattern: "/users/{id}/reset-password", access: action, action: authz.UserManage, target: userInPath, h: s.userResetPassword},
		{method: "POST", pattern: "/users/{id}/reveal", access: action, action: authz.PIIReveal, target: userInPath, h: s.userReveal},

		{method: "GET", pattern: "/import", access: action, action: authz.UserManage, target: nil, h: s.importForm},
		{method: "GET", pattern: "/import/template.xlsx", access: action, action: authz.UserManage, target: nil, h: s.importTemplate},
		{method: "POST", pattern: "/import", access: action, action: authz.UserManage, target: nil, h: s.importPreview},
		{method: "POST", pattern: "/import/commit", access: action, action: authz.UserManage, target: nil, h: s.importCommit},

		{method: "GET", pattern: "/plans", access: signedIn, h: s.planList},
		{method: "GET", pattern: "/plans/new", access: action, action: authz.PlanManage, target: ownOrg, h: s.planNew},
		{method: "POST", pattern: "/plans/preview", access: action, action: authz.PlanManage, target: ownOrg, h: s.planPreview},
		{method: "POST", pattern: "/plans", access: action, action: authz.PlanManage, target: ownOrg, h: s.planCreate},
		{method: "GET", pattern: "/plans/{id}/source", access: action, action: authz.PlanView, target: planTarget, h: s.planSource},
		{method: "GET", pattern: "/plans/{id}", access: action, action: authz.PlanView, target: planTarget, h: s.planShow},
		{method: "GET", pattern: "/plans/{id}/export", access: action, action: authz.PlanView, target: planTarget, h: s.planExport},
		{method: "POST", pattern: "/plans/{id}/assign", access: action, action: authz.PlanManage, target: planTarget, h: s.planAssign},
		{method: "POST", pattern: "/plans/{id}/tasks", access: action, action: authz.PlanManage, target: planTarget, h: s.planAddTask},
		{method: "POST", pattern: "/tasks/{id}", access: action, action: authz.PlanManage, target: taskTarget, h: s.taskUpdate},
		{method: "POST", pattern: "/plans/{id}/remind", access: action, action: authz.PlanManage, target: planTarget, h: s.planRemind},
		{method: "GET", pattern: "/tasks/{id}", access: action, action: authz.PlanView, target: taskTarget, h: s.taskShow},
		{method: "POST", pattern: "/tasks/{id}/reports", access: action, action: authz.TaskReport, target: taskTarget, h: s.taskReport},
		{method: "GET", pattern: "/reports/{id}/files/{n}", access: action, action: authz.PlanView, target: reportTarget, h: s.reportFile},
		{method: "POST", pattern: "/reports/{id}/review", access: action, action: authz.PlanManage, target: reportTarget, h: s.reportReview},

		{method: "GET", pattern: "/schemes", access: action, action: authz.AssessManage, target: ownOrg, h: s.schemeList},
		{method: "GET", pattern: "/schemes/new", access: action, action: authz.AssessManage, target: ownOrg, h: s.schemeNew},
		{method: "GET", pattern: "/schemes/template.xlsx", access: action, action: authz.AssessManage, target: ownOrg, h: s.schemeTemplate},
		{method: "POST", pattern: "/schemes/import", access: action, action: authz.AssessManage, target: ownOrg, h: s.schemeImport},
		{method: "POST", pattern: "/schemes", access: action, action: authz.AssessManage, target: ownOrg, h: s.schemeCreate},
		{method: "GET", pattern: "/schemes/{id}", access: action, action: authz.AssessManage, target: schemeTarget, h: s.schemeShow},
		{method: "GET", pattern: "/schemes/{id}/edit", access: action, action: authz.AssessManage, target: schemeTarget, h: s.schemeEdit},
		{method: "POST", pattern: "/schemes/{id}", access: action, action: authz.AssessManage, target: schemeTarget, h: s.schemeUpdate},
		{method: "POST", pattern: "/schemes/{id}/publish", access: action, action: authz.AssessManage, target: schemeTarget, h: s.schemePublish},
		{method: "POST", pattern: "/schemes/{id}/versions", access: action, action: authz.AssessManage, target: schemeTarget, h: s.schemeNewVersion},
		{method: "GET", pattern: "/schemes/{id}/export", access: action, action: authz.AssessManage, target: schemeTarget, h: s.schemeExport},

		{method: "GET", pattern: "/rounds", access: action, action: authz.AssessManage, target: ownOrg, h: s.roundList},
		{method: "GET", pattern: "/rounds/roster", access: action, action: authz.AssessManage, target: ownOrg, h: s.roundRoster},
		{method: "POST", pattern: "/rounds/roster", access: action, action: authz.AssessManage, target: ownOrg, h: s.roundRosterSave},
		{method: "GET", pattern: "/rounds/new", access: action, action: authz.AssessManage, target: ownOrg, h: s.roundNew},
		{method: "POST", pattern: "/rounds", access: action, action: authz.AssessManage, target: ownOrg, h: s.roundCreate},
		{method: "GET", pattern: "/rounds/{id}", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundShow},
		{method: "GET", pattern: "/rounds/{id}/edit", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundEdit},
		{method: "POST", pattern: "/rounds/{id}", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundUpdate},
		{method: "POST", pattern: "/rounds/{id}/raters", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundRaters},
		{method: "POST", pattern: "/rounds/{id}/status", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundStatus},
		{method: "POST", pattern: "/rounds/{id}/remind", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundRemind},
		{method: "GET", pattern: "/rounds/{id}/results", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundResults},
		{method: "POST", pattern: "/rounds/{id}/publish", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundPublish},
		{method: "GET", pattern: "/rounds/{id}/circular", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundCircular},
		{method: "POST", pattern: "/rounds/{id}/circular", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundCircularSave},
		{method: "GET", pattern: "/rounds/{id}/circular.docx", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundCircularDocx},
		{method: "GET", pattern: "/rounds/{id}/export", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundExport},
		{method: "GET", pattern: "/rounds/{id}/subjects/{subject}", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundSubject},
		{method: "POST", pattern: "/rounds/{id}/corrections", access: action, action: authz.AssessManage, target: roundTarget, h: s.correctionCreate},
		{method: "POST", pattern: "/rounds/{id}/corrections/{cid}", access: action, action: authz.AssessManage, target: roundTarget, h: s.correctionDecide},
		{method: "POST", pattern: "/rounds/{id}/tokens", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundTokens},
		{method: "GET", pattern: "/rounds/{id}/votes", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundVotes},
		{method: "POST", pattern: "/rounds/{id}/votes", access: action, action: authz.AssessManage, target: roundTarget, h: s.roundVotesExclude},
		{method: "POST", pattern: "/sheets/{id}/return", access: action, action: authz.AssessManage, target: sheetTargetByID, h: s.sheetReturn},

		{method: "GET", pattern: "/sheets", access: signedIn, h: s.sheetList},
		{method: "GET", pattern: "/rounds/{id}/sheets/{stage}/{subject}", access: action, action: authz.SheetRate, target: sheetTarget, h: s.sheetShow},
		{method: "POST", pattern: "/rounds/{id}/sheets/{stage}/{subject}", access: action, action: authz.SheetRate, target: sheetTarget, h: s.sheetSave},
		{method: "GET", pattern: "/rounds/{id}/sheets/{stage}/{subject}/report-files/{n}", access: action, action: authz.SheetRate, target: sheetTarget, h: s.sheetReportFile},
		{method: "GET", pattern: "/rounds/{id}/sheets/{stage}/{subject}/photos/{n}", access: action, action: authz.SheetRate, target: sheetTarget, h: s.sitePhoto},
		{method: "GET", pattern: "/rounds/{id}/subjects/{subject}/photos/{n}", access: action, action: authz.AssessManage, target: roundTarget, h: s.sitePhoto},
		{method: "POST", pattern: "/rounds/{id}/sheets/{stage}/{subject}/site", access: action, action: authz.SheetRate, target: sheetTarget, h: s.sheetSite},
		{method: "GET", pattern: "/results", access: signedIn, h: s.myResults},
		{method: "GET", pattern: "/results/{id}", access: action, action: authz.ResultView, target: myResultTarget, h: s.myResult},

		{method: "GET", pattern: "/duty", access: signedIn, h: s.dutyIndex},
		{method: "GET", pattern: "/duty/coverage", access: action, action: authz.DutyReview, target: ownOrg, h: s.dutyCoverage},
		{method: "GET", pattern: "/duty/{year}", access: action, action: authz.DutyEdit, target: ownOrg, h: s.dutyEdit},
		{method: "POST", pattern: "/duty/{year}", access: action, action: authz.DutyEdit, target: ownOrg, h: s.dutySave},
		{method: "GET", pattern: "/duty/template.xlsx", access: action, action: authz.DutyEdit, target: ownOrg, h: s.dutyTemplate},
		{method: "POST", pattern: "/duty/import/{year}", access: action, action: authz.DutyEdit, target: ownOrg, h: s.dutyImport},
		{method: "POST", pattern: "/duty/copy/{year}", access: action, action: authz.DutyEdit, target: ownOrg, h: s.dutyCopy},
		{method: "GET", pattern: "/duty/report/{year}", access: action, action: authz.DutyEdit, target: ownOrg, h: s.reportEdit},
		{method: "POST", pattern: "/duty/report/{year}", access: action, action: authz.DutyEdit, target: ownOrg, h: s.reportSave},
		{method: "GET", pattern: "/duty/reports", access: action, action: authz.DutyReview, target: ownOrg, h: s.reportList},
		{method: "GET", pattern: "/duty/reports/{id}/files/{n}", access: action, action: authz.DutyView, target: dutyReportTarget, h: s.reportFileDownload},
		{method: "GET", pattern: "/duty/reports/{id}", access: action, action: authz.DutyView, target: dutyReportTarget, h: s.reportShow},
		{method: "GET", pattern: "/duty/lists/{id}", access: action, action: authz.DutyView, target: dutyListTarget, h: s.dutyShow},
		{method: "POST", pattern: "/duty/lists/{id}/review", access: action, action: authz.DutyReview, target: dutyListTarget, h: s.dutyReview},

		{method: "GET", pattern: "/laws", access: signedIn, h: s.lawList},
		{method: "GET", pattern: "/laws/import", access: action, action: authz.LibraryManage, target: ownOrg, h: s.lawImportForm},
		{method: "POST", pattern: "/laws/preview", access: action, action: authz.LibraryManage, target: ownOrg, h: s.lawImportPreview},
		{method: "POST", pattern: "/laws", access: action, action: authz.LibraryManage, target: ownOrg, h: s.lawCreate},
		{method: "GET", pattern: "/laws/{id}", access: signedIn, h: s.lawShow},
		{method: "POST", pattern: "/articles/{id}/read", access: signedIn, h: s.articleRead},
		{method: "GET", pattern: "/lists", access: signedIn, h: s.listIndex},
		{method: "GET", pattern: "/lists/new", access: action, action: authz.LibraryManage, target: ownOrg, h: s.listNew},
		{method: "POST", pattern: "/lists", access: action, action: authz.LibraryManage, target: ownOrg, h: s.listCreate},
		{method: "GET", pattern: "/lists/{id}", access: signedIn, h: s.listShow},
		{method: "GET", pattern: "/questions", access: action, action: authz.LibraryManage, target: ownOrg, h: s.questionList},
		{method: "GET", pattern: "/questions/template.xlsx", access: action, action: authz.LibraryManage, target: ownOrg, h: s.questionTemplate},
		{method: "GET", pattern: "/questions/import", access: action, action: authz.LibraryManage, target: ownOrg, h: s.questionImportForm},
		{method: "POST", pattern: "/questions/import", access: action, action: authz.LibraryManage, target: ownOrg, h: s.questionImportPreview},
		{method: "POST", pattern: "/questions/import/commit", access: action, action: authz.LibraryManage, target: ownOrg, h: s.questionImportCommit},
		{method: "GET", pattern: "/practice", access: signedIn, h: s.practiceHome},
		{method: "GET", pattern: "/practice/next", access: signedIn, h: s.practiceNext},
		{method: "POST", pattern: "/practice/{id}", access: signedIn, h: s.practiceAnswer},
		{method: "GET", pattern: "/mistakes", access: signedIn, h: s.mistakeBook},

		// Exams: the examinee's pages (exam_pages.go)
		{method: "GET", pattern: "/exams", access: signedIn, h: s.myExamList},
		{method: "GET", pattern: "/exams/{id}", access: signedIn, h: s.myExamShow},
		{method: "POST", pattern: "/exams/{id}/start", access: signedIn, h: s.myExamStart},
		{method: "GET", pattern: "/attempts/{id}", access: signedIn, h: s.attemptPage},
		// The take page's saves: the API's handler behind the browser's
		// session and CSRF token.
		{method: "PUT", pattern: "/attempts/{id}/answers/{question}", access: signedIn, quiet: true, jsonErrors: true, h: s.apiSaveAnswer},
		{method: "POST", pattern: "/attempts/{id}/submit", access: signedIn, h: s.attemptSubmit},
		{method: "GET", pattern: "/attempts/{id}/certificate", access: signedIn, h: s.attemptCertificate},

		// Exams: the office's pages (exam_admin.go)
		{method: "GET", pattern: "/exams/manage", access: action, action: authz.ExamManage, target: ownOrg, h: s.examManageList},
		{method: "GET", pattern: "/exams/new", access: action, action: authz.ExamManage, target: ownOrg, h: s.examNew},
		{method: "POST", pattern: "/exams", access: action, action: authz.ExamManage, target: ownOrg, h: s.examCreate},
		{method: "GET", pattern: "/exams/{id}/edit", access: action, action: authz.ExamManage, target: examTarget, h: s.examEdit},
		{method: "POST", pattern: "/exams/{id}", access: action, action: authz.ExamManage, target: examTarget, h: s.examUpdate},
		{method: "GET", pattern: "/exams/{id}/results", access: action, action: authz.ExamManage, target: examTarget, h: s.examResultsPage},
		{method: "POST", pattern: "/exams/{id}/results/export", access: action, action: authz.ExamManage, target: examTarget, h: s.examExport},
		{method: "GET", pattern: "/exams/{id}/marking", access: action, action: authz.ExamManage, target: examTarget, h: s.examMarking},
		{method: "POST", pattern: "/exams/{id}/marking", access: action, action: authz.ExamManage, target: examTarget, h: s.examMarkingSave},
		// The learning record: one's own, or (?user=) a person's in the
		// office's region; the handler checks.
		{method: "GET", pattern: "/record", access: signedIn, h: s.learningRecord},

		// Knowledge contests: the office's pages (contest_admin.go)
		{method: "GET", pattern: "/contests", access: action, action: authz.ExamManage, target: ownOrg, h: s.contestList},
		{method: "GET", pattern: "/contests/new", access: action, action: authz.ExamManage, target: ownOrg, h: s.contestNew},
		{method: "POST", pattern: "/contests", access: action, action: authz.ExamManage, target: ownOrg, h: s.contestCreate},
		{method: "GET", pattern: "/contests/{id}", access: action, action: authz.ExamManage, target: contestTarget, h: s.contestShow},
		{method: "GET", pattern: "/contests/{id}/edit", access: action, action: authz.ExamManage, target: contestTarget, h: s.contestEdit},
		{method: "POST", pattern: "/contests/{id}", access: action, action: authz.ExamManage, target: contestTarget, h: s.contestUpdate},
		{method: "POST", pattern: "/contests/{id}/finalists", access: action, action: authz.ExamManage, target: contestTarget, h: s.contestFinalists},
		{method: "POST", pattern: "/contests/{id}/export", access: action, action: authz.ExamManage, target: contestTarget, h: s.contestExport},
		{method: "GET", pattern: "/contests/{id}/certificates", access: action, action: authz.ExamManage, target: contestTarget, h: s.contestCertificates},

		// Knowledge contests: the live final (contest_live.go). The host's
		// console, the large screen and its replay are the office's; the
		// phone page is each finalist's own (the handler refuses others).
		{method: "GET", pattern: "/contests/{id}/live/host", access: action, action: authz.ExamManage, target: contestTarget, h: s.liveHost},
		{method: "GET", pattern: "/contests/{id}/live/screen", access: action, action: authz.ExamManage, target: contestTarget, h: s.liveScreen},
		{method: "GET", pattern: "/contests/{id}/live/state", access: action, action: authz.ExamManage, target: contestTarget, jsonErrors: true, h: s.liveState},
		{method: "GET", pattern: "/contests/{id}/live/stream", access: action, action: authz.ExamManage, target: contestTarget, jsonErrors: true, h: s.liveStream},
		{method: "POST", pattern: "/contests/{id}/live/next", access: action, action: authz.ExamManage, target: contestTarget, h: s.liveNext},
		{method: "POST", pattern: "/contests/{id}/live/reveal", access: action, action: authz.ExamManage, target: contestTarget, h: s.liveReveal},
		{method: "POST", pattern: "/contests/{id}/live/reset", access: action, action: authz.ExamManage, target: contestTarget, h: s.liveReset},
		{method: "GET", pattern: "/contests/{id}/play", access: signedIn, h: s.play},
		{method: "GET", pattern: "/contests/{id}/play/stream", access: signedIn, jsonErrors: true, h: s.playStream},
		{method: "POST", pattern: "/contests/{id}/play/answer", access: signedIn, quiet: true, jsonErrors: true, h: s.playAnswer},

		// The public legal-literacy quiz (quiz.go, quiz_admin.go): the
		// citizen's pages need no account; the office's are the library
		// managers' of the quiz's region.
		{method: "GET", pattern: "/p/quiz/{key}", access: public, h: s.quizShow},
		{method: "POST", pattern: "/p/quiz/{key}", access: public, h: s.quizSubmit},
		// A respondent's result again, by the signed reference its link
		// carries (quizResultShow).
		{method: "GET", pattern: "/p/quiz/{key}/result/{ref}", access: public, h: s.quizResultShow},
		{method: "GET", pattern: "/quizzes", access: action, action: authz.LibraryManage, target: ownOrg, h: s.quizList},
		{method: "GET", pattern: "/quizzes/new", access: action, action: authz.LibraryManage, target: ownOrg, h: s.quizNew},
		{method: "POST", pattern: "/quizzes", access: action, action: authz.LibraryManage, target: ownOrg, h: s.quizCreate},
		{method: "GET", pattern: "/quizzes/{id}", access: action, action: authz.LibraryManage, target: quizTarget, h: s.quizResults},
		{method: "POST", pattern: "/quizzes/{id}/exclude", access: action, action: authz.LibraryManage, target: quizTarget, h: s.quizExclude},
		{method: "POST", pattern: "/quizzes/{id}/tokens", access: action, action: authz.LibraryManage, target: quizTarget, h: s.quizTokens},
		{method: "GET", pattern: "/quizzes/{id}/poster", access: action, action: authz.LibraryManage, target: quizTarget, h: s.quizPoster},
		{method: "POST", pattern: "/quizzes/{id}/export", access: action, action: authz.LibraryManage, target: quizTarget, h: s.quizExport},

		{method: "GET", pattern: "/settings", access: action, action: authz.SettingsManage, h: s.settingsForm},
		{method: "POST", pattern: "/settings", access: action, action: authz.SettingsManage, h: s.settingsSave},

		{method: "GET", pattern: "/audit", access: action, action: authz.AuditView, h: s.auditList},

		{method: "POST", pattern: "/api/v1/login", access: public, api: true, h: s.apiLogin},
		{method: "POST", pattern: "/api/v1/logout", access: passwordChange, api: true, h: s.apiLogout},
		{method: "POST", pattern: "/api/v1/password", access: passwordChange, api: true, h: s.apiPassword},
		{method: "GET", pattern: "/api/v1/me", access: signedIn, api: true, h: s.apiMe},
		{method: "GET", pattern: "/api/v1/exams", access: signedIn, api: true, h: s.apiExams},
		{method: "POST", pattern: "/api/v1/exams/{id}/attempts", access: signedIn, api: true, h: s.apiStartAttempt},
		{method: "GET", pattern: "/api/v1/attempts/{id}", access: signedIn, api: true, h: s.apiAttempt},
		{method: "PUT", pattern: "/api/v1/attempts/{id}/answers/{question}", access: signedIn, api: true, quiet: true, h: s.apiSaveAnswer},
		{method: "POST", pattern: "/api/v1/attempts/{id}/submit", access: signedIn, api: true, h: s.apiSubmit},
		{method: "GET", pattern: "/api/v1/orgs", access: action, action: authz.OrgView, target: scopeParam, api: true, h: s.apiOrgs},
		{method: "GET", pattern: "/api/v1/users/{id}", access: action, action: authz.UserView, target: userInPath, api: true, h: s.apiUser},
	}
}

// ownOrg targets the actor's own org: plans are imported for the region
// the office belongs to.
func ownOrg(s *Server, r *http.Request) (authz.Target, error) {
	if a := app.ActorFrom(r.Context()); a != nil {
		return authz.AtOrg(a.OrgPath), nil
	}
	return authz.Target{}, nil
}

// scopeParam targets the org named by ?org= (a subtree to list), or the
// actor's own org when none is given.
func scopeParam(s *Server, r *http.Request) (authz.Target, error) {
	return s.orgTarget(r, r.URL.Query().Get("org"), true)
}

// parentParam targets the parent an org is created under (?parent= or the
// form's parent field).
func parentParam(s *Server, r *http.Request) (authz.Target, error) {
	v := r.URL.Query().Get("parent")
	if r.Method == http.MethodPost {
		v = r.PostFormValue("parent")
	}
	// The new org will sit below the parent, so that is where the right
	// must hold. Without a parent chosen yet, the form offers parents
	// under the actor's own org.
	t, err := s.orgTarget(r, v, true)
	if err != nil || t.OrgPath == "" {
		return t, err
	}
	return authz.Below(t.OrgPath), nil
}

// orgParam targets the org a user is created in (?org= or the form's org).
func orgParam(s *Server, r *http.Request) (authz.Target, error) {
	v := r.URL.Query().Get("org")
	if r.Method == http.MethodPost {
		v = r.PostFormValue("org")
	}
	return s.orgTarget(r, v, true)
}

// orgInPath targets the org {id}.
func orgInPath(s *Server, r *http.Request) (authz.Target, error) {
	return s.orgTarget(r, r.PathValue("id"), false)
}

// userInPath targets the org of the user {id}.
func userInPath(s *Server, r *http.Request) (authz.Target, error) {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return authz.Target{}, err
	}
	u, err := s.db.FindUserByID(r.Context(), id)
	if err != nil {
		return authz.Target{}, err
	}
	o, err := s.db.FindOrgByID(r.Context(), u.OrgID)
	if err != nil {
		return authz.Target{}, err
	}
	return authz.AtUser(o.Path, u.ID, u.Roles), nil
}

func (s *Server) orgTarget(r *http.Request, idText string, defaultOwn bool) (authz.Target, error) {
	if idText == "" {
		if a := app.ActorFrom(r.Context()); defaultOwn && a != nil {
			return authz.AtOrg(a.OrgPath), nil
		}
		return authz.Target{}, nil
	}
	id, err := app.ParseID("org", idText)
	if err != nil {
		return authz.Target{}, err
	}
	o, err := s.orgOnce(r, id)
	if err != nil {
		return authz.Target{}, err
	}
	return authz.AtOrg(o.Path), nil
}

// canAt reports whether the actor may act on the org orgID; an org that
// cannot be found allows nothing.
func (s *Server) canAt(r *http.Request, act authz.Action, orgID app.ID) bool {
	t, err := s.orgTarget(r, orgID.String(), false)
	return err == nil && authz.Can(app.ActorFrom(r.Context()), act, t)
}

// keptAbove returns the org orgID when it is the actor's own or one above
// it: the orgs whose laws, lists and question banks the actor reads.
func (s *Server) keptAbove(ctx context.Context, orgID app.ID) (*org.Org, bool) {
	o, err := s.db.FindOrgByID(ctx, orgID)
	if err != nil {
		return nil, false
	}
	a := app.ActorFrom(ctx)
	return o, a != nil && strings.HasPrefix(a.OrgPath, o.Path)
}

// RouteInfo describes one route for tests that walk every URL.
type RouteInfo struct {
	Method, Pattern string
	Public, API     bool
}

// Routes lists every route the server answers.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, len(s.routes))
	for i, rt := range s.routes {
		out[i] = RouteInfo{Method: rt.method, Pattern: rt.pattern, Public: rt.access == public, API: rt.api}
	}
	return out
}
