package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pufa/internal/account"
	"pufa/internal/exam"
	"pufa/internal/question"
)

// TestBrowser_examAdmin opens the office's exam pages and the learning
// record at a desktop and a phone width: no console problems, nothing
// scrolling sideways, the paper's total kept live by the script, a
// refused save shown with its message; screenshots with PUFA_SCREENSHOTS.
func TestBrowser_examAdmin(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx, problems := browser(t)
	bg := context.Background()
	root, _ := e.db.FindRootOrg(bg)
	exams, _, err := e.db.FindExams(bg, exam.ExamFilter{OrgPath: root.Path})
	if err != nil || len(exams) == 0 {
		t.Fatalf("demo has no exams: %v", err)
	}
	current := exams[0] // the newest window: this year's, open now

	// An exam with an essay, sat by two people, so the marking page has
	// answers to mark.
	essays := []*question.Stored{{Question: question.Question{Type: question.Essay, Stem: "简述领导干部应当如何带头尊法学法守法用法。",
		Answer: []string{"带头尊崇法治、敬畏法律；带头了解法律、掌握法律；带头遵纪守法、捍卫法治；带头厉行法治、依法办事。"}, Analysis: "参见《关于完善国家工作人员学法用法制度的意见》。"}, Tags: []string{"简答"}}}
	if _, err := e.db.ImportQuestions(bg, root.ID, essays); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	withEssay := &exam.Exam{OrgID: root.ID, Title: "领导干部任前法律知识考试", Year: now.Year(),
		Window:  exam.Window{Opens: now.Add(-time.Hour), Closes: now.Add(72 * time.Hour), Duration: time.Hour},
		Rules:   exam.Rules{Picks: []exam.Pick{{Type: question.Single, Count: 8, Points: 10}, {Type: question.Essay, Count: 1, Points: 20}}},
		Sitters: exam.Sitters{Roles: []string{account.RoleExaminee}, Ranks: []account.Rank{account.RankSenior}}}
	if err := e.db.CreateExam(bg, withEssay); err != nil {
		t.Fatal(err)
	}
	for _, login := range []string{"zhangwei", "liuyang"} {
		eaSignIn(t, e, login).sit(withEssay.ID, func(i int, _ string) bool { return i%3 != 1 })
	}
	zw := e.mustUser("zhangwei")
	base := "/exams/" + current.ID.String()
	officePages := []string{"/exams/manage", "/exams/new", base + "/edit", base + "/results", base + "/results?show=absent",
		"/exams/" + withEssay.ID.String() + "/results", "/exams/" + withEssay.ID.String() + "/marking", "/record?user=" + zw.ID.String()}

	for _, vp := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"desktop", 1280, 900, false}, {"phone", 375, 812, true}} {
		t.Run(vp.name, func(t *testing.T) {
			if err := chromedp.Run(ctx, e.signInAs("office1", vp.width, vp.height, vp.mobile)); err != nil {
				t.Fatal(err)
			}
			for i, p := range officePages {
				eaCheckPage(t, ctx, e, p, fmt.Sprintf("%s-exam-admin-%d", vp.name, i), problems)
			}
			// The form keeps the paper's total live, and a refused save
			// shows its message at the top and at the rules.
			var total, avail, summary string
			err := chromedp.Run(ctx,
				chromedp.Navigate(e.srv.URL+"/exams/new"),
				waitFor(`[data-total]`),
				setValue(`input[name=pick_count]`, "160"),
				chromedp.Evaluate(`document.querySelector("table[data-picks]").dispatchEvent(new Event("input", {bubbles: true}))`, nil),
				textOf(`[data-total]`, &total),
				textOf(`[data-avail]`, &avail),
			)
			if err != nil {
				t.Fatal(err)
			}
			if total != "380" || !strings.Contains(avail, "不够") {
				t.Errorf("live total %q, availability %q; want 380 and a shortage", total, avail)
			}
			screenshot(t, ctx, vp.name+"-exam-admin-form-live")
			err = chromedp.Run(ctx,
				chromedp.Submit(`form.ea-form`, chromedp.ByQuery),
				waitFor(`.error-summary`),
				textOf(`.error-summary`, &summary),
			)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(summary, "单选题需要 160 题，题库只有") {
				t.Errorf("refused save says %q", summary)
			}
			screenshot(t, ctx, vp.name+"-exam-admin-form-refused")
			if err := chromedp.Run(ctx, e.signInAs("zhangwei", vp.width, vp.height, vp.mobile)); err != nil {
				t.Fatal(err)
			}
			eaCheckPage(t, ctx, e, "/record", vp.name+"-exam-record-own", problems)
		})
	}
}

// eaCheckPage opens p and checks what every page must: a heading, no
// error, no sideways scrolling, no console problems.
func eaCheckPage(t *testing.T, ctx context.Context, e *env, p, name string, problems func() []string) {
	t.Helper()
	before := len(problems())
	var h1 string
	var scrollW, clientW int64
	err := chromedp.Run(ctx,
		chromedp.Navigate(e.srv.URL+p),
		waitFor(`main h1`),
		textOf(`main h1`, &h1),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollW),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &clientW))
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	if h1 == "" || strings.Contains(h1, "没有权限") || strings.Contains(h1, "错误") || strings.Contains(h1, "不存在") {
		t.Errorf("%s shows %q", p, h1)
	}
	if scrollW > clientW {
		t.Errorf("%s scrolls sideways: %d > %d", p, scrollW, clientW)
	}
	screenshot(t, ctx, name)
	if pr := problems()[before:]; len(pr) > 0 {
		t.Errorf("console problems on %s:\n%s", p, strings.Join(pr, "\n"))
	}
}
