package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/question"
)

// newPageExam opens an exam of the demo district for everyone under the
// root: five single-choice, three multiple-choice and two true/false
// questions of 10 points, open from an hour ago for a day, 60 minutes an
// attempt. set adjusts it before it is stored.
func newPageExam(t *testing.T, set func(*exam.Exam)) (*env, *exam.Exam) {
	t.Helper()
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	root, err := e.db.FindRootOrg(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	ex := &exam.Exam{OrgID: root.ID, Title: "2026年度学法用法考试", Year: 2026,
		Window: exam.Window{Opens: now.Add(-time.Hour), Closes: now.Add(24 * time.Hour), Duration: 60 * time.Minute},
		Rules: exam.Rules{Picks: []exam.Pick{{Type: question.Single, Count: 5, Points: 10}, {Type: question.Multiple, Count: 3, Points: 10},
			{Type: question.TrueFalse, Count: 2, Points: 10}}, ShuffleOptions: true},
		Review: exam.ReviewAfterClose,
	}
	if set != nil {
		set(ex)
	}
	if err := e.db.CreateExam(ctx, ex); err != nil {
		t.Fatal(err)
	}
	return e, ex
}

// examinee signs a browser-like client in as a demo account.
func (e *env) examinee(login string) *client {
	c := e.client()
	c.login(login, e.accounts[login].Password)
	return c
}

// startExam starts the client's attempt and returns its page's path.
func (c *client) startExam(t *testing.T, ex *exam.Exam) string {
	t.Helper()
	resp, body := c.post("/exams/"+ex.ID.String()+"/start", nil)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/attempts/") {
		t.Fatalf("start: %d %s %s", resp.StatusCode, loc, firstError(body))
	}
	return loc
}

// putAnswer saves an answer the way the take page's script does.
func (c *client) putAnswer(path, qid string, answer []string, seq int64, withToken bool) (*http.Response, string) {
	b, _ := json.Marshal(map[string]any{"answer": answer, "seq": seq})
	hdr := map[string]string{"Content-Type": "application/json"}
	if withToken {
		hdr["X-CSRF-Token"] = c.csrfCookie()
	}
	return c.doBody("PUT", path+"/answers/"+qid, strings.NewReader(string(b)), false, hdr)
}

// sittingOf reads an attempt from its page's path.
func (e *env) sittingOf(t *testing.T, path string) *exam.Sitting {
	t.Helper()
	id, err := app.ParseID("id", strings.TrimPrefix(path, "/attempts/"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.db.FindSitting(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// keyForm is a submit form answering every question of st rightly.
func (e *env) keyForm(t *testing.T, st *exam.Sitting) url.Values {
	t.Helper()
	form := url.Values{}
	for _, it := range st.Paper.Items {
		q, err := e.db.FindQuestionByID(context.Background(), it.QuestionID)
		if err != nil {
			t.Fatal(err)
		}
		id := it.QuestionID.String()
		form.Add("shown", id)
		form["q"+id] = exam.FromOriginal(q.Question, it, q.Answer)
	}
	return form
}

func TestExamPages_takeResumeSubmit(t *testing.T) {
	e, ex := newPageExam(t, nil)
	ctx := context.Background()
	zw := e.examinee("zhangwei")

	resp, body := zw.get("/exams")
	if resp.StatusCode != 200 || !strings.Contains(body, ex.Title) || !strings.Contains(body, "开始考试") || !strings.Contains(body, "60 分钟") {
		t.Fatalf("list: %d\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, "管理考试") {
		t.Error("an examinee is offered 管理考试")
	}
	if _, body := e.examinee("office1").get("/exams"); !strings.Contains(body, `href="/exams/manage"`) {
		t.Error("the office is not offered 管理考试")
	}
	resp, body = zw.get("/exams/" + ex.ID.String())
	for _, want := range []string{"60 分钟", "60 分及格", "取最高一次的成绩", "考试结束", "开始答题"} {
		if !strings.Contains(body, want) {
			t.Errorf("rules page lacks %q", want)
		}
	}

	path := zw.startExam(t, ex)
	st := e.sittingOf(t, path)
	resp, body = zw.get(path)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="exam-form"`) || !strings.Contains(body, "已答 <strong id=\"exam-answered\">0</strong>/10") {
		t.Fatalf("take page: %d\n%s", resp.StatusCode, body)
	}
	if !regexp.MustCompile(`data-remaining="3[56]\d\d"`).MatchString(body) {
		t.Errorf("take page does not count down from about an hour")
	}
	// No key before the review: no analysis, no key words, no key
	// attribute; the true/false options are the same two for everyone.
	for _, it := range st.Paper.Items {
		q, _ := e.db.FindQuestionByID(ctx, it.QuestionID)
		if len([]rune(q.Analysis)) > 8 && strings.Contains(body, q.Analysis) {
			t.Errorf("take page shows the analysis of %s", it.QuestionID)
		}
	}
	for _, leak := range []string{"正确答案", "解析", "data-key", `"answer"`} {
		if strings.Contains(body, leak) {
			t.Errorf("take page contains %q", leak)
		}
	}

	// Save the first question's answer as the page's script does.
	q0 := st.Paper.Items[0].QuestionID.String()
	if resp, body := zw.putAnswer(path, q0, []string{"B"}, 1, true); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("save: %d %s", resp.StatusCode, body)
	}
	// Resume: the saved answer is checked when the page is opened again,
	// and the page's seq starts above it.
	_, body = zw.get(path)
	if !regexp.MustCompile(`name="q` + q0 + `" value="B" checked`).MatchString(body) {
		t.Errorf("the saved answer is not checked on resume")
	}
	if !strings.Contains(body, `data-seq="1" data-total="10"`) || !strings.Contains(body, "已答 <strong id=\"exam-answered\">1</strong>/10") {
		t.Errorf("resume: seq or count wrong")
	}
	if resp, _ := zw.post("/exams/"+ex.ID.String()+"/start", nil); resp.Header.Get("Location") != path {
		t.Errorf("starting again does not resume %s: %s", path, resp.Header.Get("Location"))
	}

	// The save endpoint's errors are JSON, as the API's.
	for _, c := range []struct {
		name   string
		qid    string
		answer []string
		token  bool
		status int
		code   string
	}{
		{"not an option", q0, []string{"Z"}, true, 400, app.EINVALID},
		{"two on a single choice", q0, []string{"A", "B"}, true, 400, app.EINVALID},
		{"not on the paper", "12345", []string{"A"}, true, 400, app.EINVALID},
		{"no CSRF token", q0, []string{"A"}, false, 403, app.EFORBIDDEN},
	} {
		resp, body := zw.putAnswer(path, c.qid, c.answer, 2, c.token)
		var out struct {
			Error struct{ Code, Message string }
		}
		if resp.StatusCode != c.status || json.Unmarshal([]byte(body), &out) != nil || out.Error.Code != c.code || out.Error.Message == "" {
			t.Errorf("%s: %d %s, want %d %s", c.name, resp.StatusCode, body, c.status, c.code)
		}
	}
	if resp, body := zw.putAnswer("/attempts/12345", q0, []string{"A"}, 2, true); resp.StatusCode != 404 || !strings.Contains(body, `"code":"`+app.ENOTFOUND+`"`) {
		t.Errorf("unknown attempt: %d %s", resp.StatusCode, body)
	}

	// Another examinee finds nothing at this attempt.
	wf := e.examinee("wangfang")
	for _, p := range []string{path, path + "/certificate"} {
		if resp, _ := wf.get(p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another examinee: GET %s = %d, want 404", p, resp.StatusCode)
		}
	}
	if resp, _ := wf.putAnswer(path, q0, []string{"A"}, 9, true); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another examinee saves: %d, want 404", resp.StatusCode)
	}
	if resp, _ := wf.post(path+"/submit", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another examinee submits: %d, want 404", resp.StatusCode)
	}

	// No certificate before submitting.
	if resp, body := zw.get(path + "/certificate"); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "还没有交卷") {
		t.Errorf("certificate of an open attempt: %d", resp.StatusCode)
	}

	// Submit by the form, as a browser without script does, with every
	// answer right; twice, as a double click does.
	form := e.keyForm(t, st)
	for i := range 2 {
		resp, body := zw.post(path+"/submit", form)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != path {
			t.Fatalf("submit %d: %d %s", i+1, resp.StatusCode, firstError(body))
		}
	}
	zwUser, _ := e.db.FindUserByLogin(ctx, "zhangwei")
	sts, err := e.db.FindSittings(ctx, ex.ID, zwUser.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 1 || sts[0].State != exam.Submitted || sts[0].Score != 100 || sts[0].AutoSubmitted {
		t.Fatalf("after two submits: %d attempts, first %+v", len(sts), sts[0])
	}
	if resp, _ := zw.putAnswer(path, q0, []string{"A"}, 99, true); resp.StatusCode != http.StatusConflict {
		t.Errorf("save after submission: %d, want 409", resp.StatusCode)
	}

	resp, body = zw.get(path)
	for _, want := range []string{"考试成绩", ">100<", "优秀", "考试合格", "答案和解析在考试结束", "/certificate"} {
		if !strings.Contains(body, want) {
			t.Errorf("result page lacks %q", want)
		}
	}
	if strings.Contains(body, "正确答案") {
		t.Error("result page shows keys before the exam closes")
	}
	resp, body = zw.get(path + "/certificate")
	if resp.StatusCode != 200 {
		t.Fatalf("certificate: %d %s", resp.StatusCode, firstError(body))
	}
	for _, want := range []string{"合格证书", "张伟", ex.Title, "100", "优秀", "全面依法治", "data-print"} {
		if !strings.Contains(body, want) {
			t.Errorf("certificate lacks %q", want)
		}
	}
	if resp, body := zw.get("/exams"); !strings.Contains(body, "100 分") || !strings.Contains(body, "合格证书") {
		t.Errorf("list after passing: %d", resp.StatusCode)
	}
}

// TestExamPages_reviewAndFail: an exam that shows the keys at once, taken
// with nothing answered: the review marks every question wrong with its
// key and analysis, and there is no certificate.
func TestExamPages_reviewAndFail(t *testing.T) {
	e, ex := newPageExam(t, func(x *exam.Exam) { x.Review = exam.ReviewAfterSubmit; x.MaxAttempts = 1 })
	lina := e.examinee("lina")
	path := lina.startExam(t, ex)
	if resp, body := lina.post(path+"/submit", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", resp.StatusCode, firstError(body))
	}
	_, body := lina.get(path)
	for _, want := range []string{"不合格", "未达到及格线", "答题情况", "答对 0 题", "正确答案", "✗ 答错"} {
		if !strings.Contains(body, want) {
			t.Errorf("review lacks %q", want)
		}
	}
	if strings.Contains(body, "/certificate") {
		t.Error("a failed attempt links to a certificate")
	}
	if resp, body := lina.get(path + "/certificate"); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "未达到及格线") {
		t.Errorf("certificate of a failed attempt: %d", resp.StatusCode)
	}
	// One attempt only: the rules page says so and a start is refused.
	if _, body := lina.get("/exams/" + ex.ID.String()); !strings.Contains(body, "考试次数已用完") || strings.Contains(body, `/start"`) {
		t.Error("the rules page offers a second attempt")
	}
	resp, body := lina.post("/exams/"+ex.ID.String()+"/start", nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "error-summary") {
		t.Errorf("second start: %d %s", resp.StatusCode, firstError(body))
	}
	_, body = lina.get("/exams")
	if i := strings.Index(body, "<h2>已结束</h2>"); i < 0 || !strings.Contains(body[i:], ex.Title) {
		t.Error("an exam with no attempts left is not listed as finished")
	}
}

// TestExamPages_notYetOpen: an exam that opens tomorrow is listed as
// upcoming and cannot be started; a person outside its sitters does not
// see it at all.
func TestExamPages_notYetOpen(t *testing.T) {
	e, ex := newPageExam(t, func(x *exam.Exam) {
		now := time.Now()
		x.Window = exam.Window{Opens: now.Add(24 * time.Hour), Closes: now.Add(48 * time.Hour), Duration: 30 * time.Minute}
		x.Sitters.Roles = []string{"examinee"}
	})
	zw := e.examinee("zhangwei")
	if _, body := zw.get("/exams"); !strings.Contains(body, "即将开始") || !strings.Contains(body, ex.Title) {
		t.Error("upcoming exam not listed")
	}
	resp, body := zw.post("/exams/"+ex.ID.String()+"/start", nil)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "不在本场考试的时间内") {
		t.Errorf("early start: %d %s", resp.StatusCode, firstError(body))
	}
	// The system administrator sits no exam.
	admin := e.examinee("sysadmin")
	if resp, _ := admin.get("/exams/" + ex.ID.String()); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a non-sitter sees the exam: %d", resp.StatusCode)
	}
	if _, body := admin.get("/exams"); !strings.Contains(body, "目前没有需要您参加的考试") {
		t.Error("empty state missing")
	}
}
