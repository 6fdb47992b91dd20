package web_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"pufa/internal/exam"
)

// offline cuts this tab off the network: requests fail, and with
// navigator too the page is told (navigator.onLine, the offline event).
func offline(navigator bool) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if _, err := network.EmulateNetworkConditionsByRule([]*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}).Do(ctx); err != nil {
			return err
		}
		if navigator {
			return network.OverrideNetworkState(true, 0, -1, -1).Do(ctx)
		}
		return nil
	})
}

// online undoes offline.
func online() chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if _, err := network.EmulateNetworkConditionsByRule([]*network.Conditions{}).Do(ctx); err != nil {
			return err
		}
		return network.OverrideNetworkState(false, 0, -1, -1).Do(ctx)
	})
}

// tap clicks the middle of an element with the pointer, as a finger
// does: the whole option row must take it.
func tap(sel string) chromedp.Action {
	return chromedp.Tasks{waitFor(sel), chromedp.Click(sel, chromedp.ByQuery, chromedp.NodeVisible)}
}

// viewShot saves what the viewport shows (see screenshot), to see the
// sticky bar where a person sees it.
func viewShot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("PUFA_SCREENSHOTS")
	if dir == "" {
		return
	}
	var buf []byte
	if err := chromedp.Run(ctx, chromedp.Sleep(150*time.Millisecond), chromedp.CaptureScreenshot(&buf)); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Error(err)
	}
}

// scrollTo puts an element at the top of the viewport, under the bar.
func scrollTo(sel string) chromedp.Action {
	return chromedp.Evaluate(`document.querySelector(`+strconv.Quote(sel)+`).scrollIntoView({block: "start"})`, nil)
}

// acceptConfirms makes window.confirm say yes and remember what it
// asked in sessionStorage, which outlives the submission's navigation.
const acceptConfirms = `sessionStorage.removeItem("asked"); window.confirm = m => { sessionStorage.setItem("asked", (sessionStorage.getItem("asked") || "") + m + "\n"); return true; }`

func evalInt(js string, out *int) chromedp.Action { return chromedp.Evaluate(js, out) }

// TestBrowser_examPhone: on a phone, an examinee starts the exam, answers
// by tapping, reloads and finds the answers kept, loses the network,
// answers on, gets the network back and sees it saved, submits and sees
// the score. Then another examinee takes it at a desk with every answer
// right and opens the certificate, and the pages are shot at both widths.
func TestBrowser_examPhone(t *testing.T) {
	e, ex := newPageExam(t, func(x *exam.Exam) { x.Review = exam.ReviewAfterSubmit })
	ctx, problems := browser(t)
	var attemptURL string
	err := chromedp.Run(ctx,
		e.signInAs("wangfang", 375, 740, true),
		chromedp.Navigate(e.srv.URL+"/exams"),
		waitText(`main`, ex.Title),
		waitText(`main`, "开始考试"),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "phone-1-exams")
	err = chromedp.Run(ctx,
		jsClick(`.exam-card-go a[href="/exams/`+ex.ID.String()+`"]`),
		waitText(`.exam-start`, "开始答题"),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "phone-2-rules")
	err = chromedp.Run(ctx,
		jsClick(`.exam-start button`),
		waitText(`#exam-status`, "自动保存"),
		chromedp.Location(&attemptURL),
	)
	if err != nil {
		t.Fatal(err)
	}
	attempt := strings.TrimPrefix(attemptURL, e.srv.URL)
	st := e.sittingOf(t, attempt)

	// Tap answers: two single choices, two options of a multiple choice,
	// a judgement.
	var checked, scrollW, clientW int
	err = chromedp.Run(ctx,
		tap(`#q1 .opt:nth-child(2)`),
		waitText(`#exam-answered`, "1"),
		waitText(`#exam-status`, "已保存"),
		tap(`#q2 .opt:nth-child(1)`),
		waitText(`#exam-answered`, "2"),
		tap(`#q6 .opt:nth-child(1)`),
		tap(`#q6 .opt:nth-child(3)`),
		waitText(`#exam-answered`, "3"),
		tap(`#q9 .opt:nth-child(2)`),
		waitText(`#exam-answered`, "4"),
		waitText(`#exam-status`, "已保存"),
		evalInt(`document.documentElement.scrollWidth`, &scrollW),
		evalInt(`document.documentElement.clientWidth`, &clientW),
	)
	if err != nil {
		t.Fatal(err)
	}
	if scrollW > clientW {
		t.Errorf("take page scrolls sideways on a phone: %d > %d", scrollW, clientW)
	}
	screenshot(t, ctx, "phone-3-take")
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.scrollTo(0, 0)`, nil)); err != nil {
		t.Fatal(err)
	}
	viewShot(t, ctx, "phone-3a-take-top")
	if err := chromedp.Run(ctx, scrollTo(`#q6`)); err != nil {
		t.Fatal(err)
	}
	viewShot(t, ctx, "phone-3b-take-scrolled")

	// Reload, as after closing the browser: the answers are still there.
	err = chromedp.Run(ctx,
		chromedp.Reload(),
		waitText(`#exam-answered`, "4"),
		waitText(`#exam-status`, "已保存"),
		evalInt(`document.querySelectorAll('#exam-form input:checked').length`, &checked),
	)
	if err != nil {
		t.Fatal(err)
	}
	if checked != 5 {
		t.Errorf("after reload %d options checked, want 5", checked)
	}

	// Offline, and the page knows it: the answer waits in the browser.
	var queued int
	queueJS := `Object.keys(JSON.parse(localStorage.getItem("pufa.exam.` + st.ID.String() + `.queue") || "{}")).length`
	err = chromedp.Run(ctx,
		offline(true),
		tap(`#q3 .opt:nth-child(1)`),
		waitText(`#exam-status`, "网络已断开，1 题的答案暂存在本机"),
		evalInt(queueJS, &queued),
	)
	if err != nil {
		t.Fatal(err)
	}
	if queued != 1 {
		t.Errorf("%d answers queued in the browser, want 1", queued)
	}
	viewShot(t, ctx, "phone-4-offline")
	err = chromedp.Run(ctx,
		online(),
		waitText(`#exam-status`, "已保存"),
		evalInt(queueJS, &queued),
	)
	if err != nil {
		t.Fatal(err)
	}
	if queued != 0 {
		t.Errorf("%d answers still queued after the network came back", queued)
	}
	// The network fails while the device thinks it is online: the save
	// fails, is kept, and the retry sends it.
	err = chromedp.Run(ctx,
		offline(false),
		tap(`#q4 .opt:nth-child(1)`),
		waitText(`#exam-answered`, "6"),
		waitText(`#exam-status`, "暂存在本机"),
		online(),
		waitText(`#exam-status`, "已保存"),
	)
	if err != nil {
		t.Fatal(err)
	}
	answers, err := e.db.FindAnswers(context.Background(), st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != 6 {
		for i, it := range st.Paper.Items {
			t.Logf("q%d %s: %v", i+1, it.QuestionID, answers[it.QuestionID])
		}
		t.Errorf("%d answers stored, want 6", len(answers))
	}

	// Submit: the page warns about the unanswered questions.
	var asked string
	err = chromedp.Run(ctx,
		chromedp.Evaluate(acceptConfirms, nil),
		jsClick(`.exam-bar .exam-submit`),
		waitText(`main h1`, "考试成绩"),
		chromedp.Evaluate(`sessionStorage.getItem("asked") || ""`, &asked),
	)
	if err != nil {
		t.Fatal(err)
	}
	if sub := e.sittingOf(t, attempt); sub.State != exam.Submitted {
		t.Fatalf("attempt not submitted: %+v", sub)
	}
	var resultText string
	if err := chromedp.Run(ctx, textOf(`.score-panel`, &resultText)); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`\d+\s*分`).MatchString(resultText) {
		t.Errorf("result shows no score: %q", resultText)
	}
	if !strings.Contains(asked, "还有 4 题未作答") || !strings.Contains(asked, "不能再修改") {
		t.Errorf("before submitting the page asked %q", asked)
	}
	screenshot(t, ctx, "phone-5-result")
	viewShot(t, ctx, "phone-5a-result-top")
	if err := chromedp.Run(ctx, scrollTo(`#q1`)); err != nil {
		t.Fatal(err)
	}
	viewShot(t, ctx, "phone-5b-review")

	// At a desk, another examinee answers every question rightly (by
	// script, from the keys), submits, and opens the certificate.
	err = chromedp.Run(ctx,
		e.signInAs("zhangwei", 1280, 900, false),
		chromedp.Navigate(e.srv.URL+"/exams"),
		waitText(`main`, "开始考试"),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "desktop-1-exams")
	err = chromedp.Run(ctx,
		jsClick(`.exam-card-go a[href="/exams/`+ex.ID.String()+`"]`),
		waitText(`.exam-start`, "开始答题"),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "desktop-2-rules")
	err = chromedp.Run(ctx,
		jsClick(`.exam-start button`),
		waitText(`#exam-status`, "自动保存"),
		chromedp.Location(&attemptURL),
	)
	if err != nil {
		t.Fatal(err)
	}
	attempt = strings.TrimPrefix(attemptURL, e.srv.URL)
	st = e.sittingOf(t, attempt)
	keys := map[string][]string{}
	for qid, vs := range e.keyForm(t, st) {
		if strings.HasPrefix(qid, "q") {
			keys[strings.TrimPrefix(qid, "q")] = vs
		}
	}
	keyJSON, _ := json.Marshal(keys)
	answerJS := `(() => { const keys = ` + string(keyJSON) + `; let i = 0;
	  for (const [id, vs] of Object.entries(keys)) { if (i++ >= 7) break; for (const v of vs) document.querySelector('input[name="q' + id + '"][value="' + v + '"]').click(); }
	})()`
	restJS := `(() => { const keys = ` + string(keyJSON) + `; let i = 0;
	  for (const [id, vs] of Object.entries(keys)) { if (i++ < 7) continue; for (const v of vs) document.querySelector('input[name="q' + id + '"][value="' + v + '"]').click(); }
	})()`
	err = chromedp.Run(ctx,
		chromedp.Evaluate(answerJS, nil),
		waitText(`#exam-answered`, "7"),
		waitText(`#exam-status`, "已保存"),
		chromedp.Evaluate(`window.scrollTo(0, 0)`, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "desktop-3-take")
	if err := chromedp.Run(ctx, scrollTo(`#q4`)); err != nil {
		t.Fatal(err)
	}
	viewShot(t, ctx, "desktop-3b-take-scrolled")
	err = chromedp.Run(ctx,
		chromedp.Evaluate(restJS, nil),
		waitText(`#exam-answered`, "10"),
		waitText(`#exam-status`, "已保存"),
		chromedp.Evaluate(acceptConfirms, nil),
		jsClick(`.exam-end .exam-submit`),
		waitText(`main h1`, "考试成绩"),
		chromedp.Evaluate(`document.querySelector('.score-panel').innerText`, &resultText),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resultText, "100") || !strings.Contains(resultText, "考试合格") {
		t.Errorf("all right, but the result says %q", resultText)
	}
	screenshot(t, ctx, "desktop-4-result")
	viewShot(t, ctx, "desktop-4a-result-top")
	var pdf []byte
	err = chromedp.Run(ctx,
		jsClick(`a[href$="/certificate"]`),
		waitText(`.cert`, "特发此证"),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPreferCSSPageSize(true).Do(ctx)
			return err
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "desktop-5-certificate")
	// What the printer gets, roughly: print styles on an A4-landscape
	// sized viewport (297 × 210 mm less the margins, at 96 dpi).
	err = chromedp.Run(ctx,
		emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.EmulateViewport(1047, 718),
	)
	if err != nil {
		t.Fatal(err)
	}
	viewShot(t, ctx, "desktop-5b-certificate-print")
	if err := chromedp.Run(ctx, emulation.SetEmulatedMedia().WithMedia("")); err != nil {
		t.Fatal(err)
	}
	// Printed, the certificate is one A4 landscape page (842 × 595 pt).
	boxes := regexp.MustCompile(`/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]`).FindAllStringSubmatch(string(pdf), -1)
	if len(boxes) != 1 {
		t.Errorf("the certificate prints on %d pages, want 1", len(boxes))
	} else if w, _ := strconv.ParseFloat(boxes[0][1], 64); math.Abs(w-842) > 2 {
		t.Errorf("the certificate prints %s × %s pt, want A4 landscape", boxes[0][1], boxes[0][2])
	}

	// The same pages at a phone's width.
	certURL := attemptURL + "/certificate"
	for _, p := range []struct{ path, want, name string }{
		{"/exams", "再考一次", "phone-6-exams-done"},
		{strings.TrimPrefix(attemptURL, e.srv.URL), "考试成绩", "phone-7-result-passed"},
		{strings.TrimPrefix(certURL, e.srv.URL), "特发此证", "phone-8-certificate"},
	} {
		err = chromedp.Run(ctx,
			emulateFor(375, 740, true),
			chromedp.Navigate(e.srv.URL+p.path),
			waitText(`main`, p.want),
			evalInt(`document.documentElement.scrollWidth`, &scrollW),
			evalInt(`document.documentElement.clientWidth`, &clientW),
		)
		if err != nil {
			t.Fatal(err)
		}
		if scrollW > clientW {
			t.Errorf("%s scrolls sideways on a phone: %d > %d", p.path, scrollW, clientW)
		}
		screenshot(t, ctx, p.name)
	}

	// The demo's own exam has fill-in questions: how they look, at both
	// widths.
	err = chromedp.Run(ctx,
		e.signInAs("lina", 1280, 900, false),
		chromedp.Navigate(e.srv.URL+"/exams"),
		waitText(`main`, "国家工作人员学法用法考试"),
		jsClick(`.exam-card-go a[href^="/exams/"]:not([href="/exams/`+ex.ID.String()+`"])`),
		waitText(`.exam-start`, "开始答题"),
		jsClick(`.exam-start button`),
		waitText(`#exam-status`, "自动保存"),
		chromedp.Evaluate(`document.querySelector('.blank input').value = '全国人民代表大会'; document.querySelector('.blank input').dispatchEvent(new Event('input', {bubbles: true}))`, nil),
		waitText(`#exam-status`, "已保存"),
		scrollTo(`.blank`),
		chromedp.Evaluate(`window.scrollBy(0, -200)`, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	viewShot(t, ctx, "desktop-6-demo-fill")
	err = chromedp.Run(ctx,
		emulateFor(375, 740, true),
		chromedp.Reload(),
		waitText(`#exam-status`, "已保存"),
		scrollTo(`.blank`),
		chromedp.Evaluate(`window.scrollBy(0, -160)`, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	viewShot(t, ctx, "phone-9-demo-fill")

	for _, pr := range problems() {
		// The offline steps fail their requests on purpose.
		if strings.Contains(pr, "ERR_INTERNET_DISCONNECTED") {
			continue
		}
		t.Errorf("console problem: %s", pr)
	}
}

// TestBrowser_examTimeUp: the countdown runs, is red in the last five
// minutes, and at zero the page sends what is queued and submits itself.
func TestBrowser_examTimeUp(t *testing.T) {
	e, ex := newPageExam(t, func(x *exam.Exam) {
		now := time.Now()
		x.Window = exam.Window{Opens: now.Add(-time.Hour), Closes: now.Add(12 * time.Second)}
	})
	ctx, problems := browser(t)
	var attemptURL, before, after string
	var urgent bool
	err := chromedp.Run(ctx,
		e.signInAs("lina", 1280, 900, false),
		chromedp.Navigate(e.srv.URL+"/exams/"+ex.ID.String()),
		jsClick(`.exam-start button`),
		waitText(`#exam-status`, "自动保存"),
		chromedp.Location(&attemptURL),
		textOf(`#exam-remaining`, &before),
		chromedp.Sleep(1500*time.Millisecond),
		textOf(`#exam-remaining`, &after),
		chromedp.Evaluate(`document.querySelector('#exam-clock').classList.contains('urgent')`, &urgent),
		tap(`#q1 .opt:nth-child(1)`),
		waitText(`#exam-status`, "已保存"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if before == after || !strings.HasPrefix(before, "00:") {
		t.Errorf("the countdown does not run: %q then %q", before, after)
	}
	if !urgent {
		t.Error("the countdown is not red in the last five minutes")
	}
	viewShot(t, ctx, "desktop-7-last-seconds")
	// No one clicks 交卷: the page submits at zero.
	if err := chromedp.Run(ctx, waitText(`main h1`, "考试成绩")); err != nil {
		t.Fatal(err)
	}
	st := e.sittingOf(t, strings.TrimPrefix(attemptURL, e.srv.URL))
	answers, _ := e.db.FindAnswers(context.Background(), st.ID)
	if st.State != exam.Submitted || len(answers) != 1 {
		t.Errorf("after time up: state %s, %d answers", st.State, len(answers))
	}
	for _, pr := range problems() {
		t.Errorf("console problem: %s", pr)
	}
}
