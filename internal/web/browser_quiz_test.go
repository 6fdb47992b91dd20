package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/question"
	"pufa/internal/quiz"
)

// noSideways fails the test when the page scrolls sideways.
func noSideways(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	var scrollW, clientW int64
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollW),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &clientW)); err != nil {
		t.Fatal(err)
	}
	if scrollW > clientW {
		t.Errorf("%s scrolls sideways: scrollWidth %d > clientWidth %d", what, scrollW, clientW)
	}
}

// TestBrowser_quiz: an anonymous respondent opens the demo quiz by its
// link on a 375 px phone, switches to large text and back, fills the
// profile, answers every question and submits, sees the score, then goes
// back and submits again and is refused, and is refused when opening the
// link again. The office then reads the results at a desk and on a phone.
func TestBrowser_quiz(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx, problems := browser(t)
	q, bank := demoQuiz(t, e)
	link := e.srv.URL + "/p/quiz/" + q.Key

	var big bool
	err := chromedp.Run(ctx,
		network.ClearBrowserCookies(),
		emulateFor(375, 812, true),
		chromedp.Navigate(link),
		waitFor(`.qz-intro`),
	)
	if err != nil {
		t.Fatal(err)
	}
	noSideways(t, ctx, "quiz intro")
	screenshot(t, ctx, "quiz-1-intro-phone")
	err = chromedp.Run(ctx,
		jsClick(`[data-qz-big]`),
		chromedp.Evaluate(`document.getElementById('qz').classList.contains('qz-big')`, &big),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !big {
		t.Fatal("大字 switch did not enlarge the page")
	}
	screenshot(t, ctx, "quiz-2-intro-big-phone")
	// The choice is kept on the next page, by the cookie the script set.
	err = chromedp.Run(ctx,
		jsClick(`.qz-intro a.btn-primary`),
		waitFor(`select[name=p_place]`),
		chromedp.Evaluate(`document.getElementById('qz').classList.contains('qz-big')`, &big),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !big {
		t.Error("the profile step forgot 大字")
	}
	noSideways(t, ctx, "profile step in large text")
	screenshot(t, ctx, "quiz-3-profile-big-phone")

	if err := chromedp.Run(ctx, jsClick(`[data-qz-big]`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "quiz-3b-profile-phone")
	var seedText string
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`document.querySelector('input[name=p_age][value="45-59"]').click()`, nil),
		chromedp.Evaluate(`document.querySelector('input[name=p_occupation][value=retired]').click()`, nil),
		chromedp.Evaluate(`(() => { const s = document.querySelector('select[name=p_place]'); s.selectedIndex = 2 })()`, nil),
		jsClick(`.qz-form button[type=submit]`),
		waitFor(`fieldset.qz-q:not(.qz-profile)`),
		chromedp.Evaluate(`document.querySelector('input[name=seed]').value`, &seedText),
	)
	if err != nil {
		t.Fatal(err)
	}
	noSideways(t, ctx, "question step")
	screenshot(t, ctx, "quiz-4-questions-phone")

	// A second tab opened on the same questions before submitting, as a
	// person who opened the link twice has.
	var questionsURL string
	if err := chromedp.Run(ctx, chromedp.Location(&questionsURL)); err != nil {
		t.Fatal(err)
	}
	tab2, cancel := chromedp.NewContext(ctx)
	defer cancel()
	var seed2 string
	err = chromedp.Run(tab2,
		emulateFor(375, 812, true),
		chromedp.Navigate(questionsURL),
		waitFor(`fieldset.qz-q:not(.qz-profile)`),
		chromedp.Evaluate(`document.querySelector('input[name=seed]').value`, &seed2),
	)
	if err != nil {
		t.Fatal(err)
	}

	// Answer every question right but the second.
	var total string
	err = chromedp.Run(ctx,
		chromedp.Evaluate(answerJS(t, q, bank, seedText, 1), nil),
		chromedp.Evaluate(acceptConfirms, nil),
		jsClick(`.qz-form button[type=submit]`),
		waitFor(`#qz-total`),
		textOf(`#qz-total`, &total),
	)
	if err != nil {
		t.Fatal(err)
	}
	if total == "" || total == "100" {
		t.Errorf("score %q, want less than 100 with one wrong answer", total)
	}
	noSideways(t, ctx, "result")
	screenshot(t, ctx, "quiz-5-result-phone")
	if err := chromedp.Run(ctx, jsClick(`[data-qz-big]`)); err != nil {
		t.Fatal(err)
	}
	noSideways(t, ctx, "result in large text")
	screenshot(t, ctx, "quiz-5b-result-big-phone")

	// The second tab submits too: refused.
	var refused string
	err = chromedp.Run(tab2,
		chromedp.Evaluate(answerJS(t, q, bank, seed2, -1), nil),
		chromedp.Evaluate(acceptConfirms, nil),
		jsClick(`.qz-form button[type=submit]`),
		waitFor(`.qz-refused`),
		textOf(`.qz-refused`, &refused),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(refused, "您已经提交过") {
		t.Errorf("second submission: %q", refused)
	}
	screenshot(t, tab2, "quiz-6-refused-phone")
	// Back from the result: the browser shows the questions again, from
	// its cache or asked anew; either way no second response is taken.
	var form bool
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`history.back()`, nil),
		waitFor(`.qz-refused, fieldset.qz-q`),
		chromedp.Evaluate(`!!document.querySelector('fieldset.qz-q')`, &form),
	)
	if err != nil {
		t.Fatal(err)
	}
	if form {
		err = chromedp.Run(ctx,
			chromedp.Evaluate(acceptConfirms, nil),
			jsClick(`.qz-form button[type=submit]`),
			waitFor(`.qz-refused`),
		)
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Run(ctx, textOf(`.qz-refused`, &refused)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(refused, "您已经提交过") {
		t.Errorf("back from the result: %q", refused)
	}
	// Opening the link again: told at once.
	err = chromedp.Run(ctx,
		chromedp.Navigate(link),
		waitFor(`.qz-refused`),
		textOf(`.qz-refused`, &refused),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(refused, "您已经提交过") {
		t.Errorf("reopened link: %q", refused)
	}
	rs, err := e.db.FindResponses(context.Background(), q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := rs[len(rs)-1]; last.Profile["age"] != "45-59" || last.Profile["occupation"] != "retired" {
		t.Errorf("stored profile %v", last.Profile)
	}

	// The office's pages at a desk and on a phone.
	for _, vp := range viewports {
		var text string
		err := chromedp.Run(ctx,
			e.signInAs("office1", vp.width, vp.height, vp.mobile),
			chromedp.Navigate(e.srv.URL+"/exams/manage"),
			jsClick(`a[href="/quizzes"]`),
			waitFor(`.qz-item`),
		)
		if err != nil {
			t.Fatal(err)
		}
		noSideways(t, ctx, vp.name+" quiz list")
		screenshot(t, ctx, "quiz-7-list-"+vp.name)
		err = chromedp.Run(ctx,
			jsClick(`.qz-item a.btn-primary`),
			waitFor(`.qz-bars`),
			textOf(`main`, &text),
		)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"法治认知", "法治意识", "法治行为", "按年龄段", "样本不足", "n = "} {
			if !strings.Contains(text, want) {
				t.Errorf("%s results page lacks %q", vp.name, want)
			}
		}
		noSideways(t, ctx, vp.name+" quiz results")
		screenshot(t, ctx, "quiz-8-results-"+vp.name)
	}
	// A burst on a quiz of its own: the office sees the alarm and
	// excludes the flagged responses.
	burst := burstQuiz(t, e, q, bank)
	var flash string
	err = chromedp.Run(ctx,
		e.signInAs("office1", 1280, 900, false),
		chromedp.Navigate(e.srv.URL+"/quizzes/"+burst.ID.String()),
		waitFor(`.qz-alarm form button`),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "quiz-9-alarm-desktop")
	err = chromedp.Run(ctx,
		chromedp.Evaluate(acceptConfirms, nil),
		jsClick(`.qz-alarm form button`),
		waitFor(`.flash`),
		textOf(`.flash`, &flash),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(flash, "份答卷排除出统计") {
		t.Errorf("flash after excluding: %q", flash)
	}
	screenshot(t, ctx, "quiz-10-excluded-desktop")
	for _, p := range problems() {
		// The second submissions are refused with 409 on purpose.
		if !strings.Contains(p, "status of 409") {
			t.Errorf("console problem: %s", p)
		}
	}
}

// burstQuiz copies q as an open quiz with the default alarm and stores 24
// responses from it at once, as a script would.
func burstQuiz(t *testing.T, e *env, q *quiz.Stored, bank map[app.ID]question.Question) *quiz.Stored {
	t.Helper()
	ctx := context.Background()
	b := &quiz.Stored{Quiz: q.Quiz}
	b.ID, b.Title, b.Alarm = 0, "集中提交演练测评", quiz.AlarmSettings{}
	if err := e.db.CreateQuiz(ctx, b); err != nil {
		t.Fatal(err)
	}
	for i := range 24 {
		seed := uint64(7000 + i)
		answers := map[app.ID][]string{}
		for _, it := range b.Paper(bank, seed).Items {
			answers[it.QuestionID] = exam.FromOriginal(bank[it.QuestionID], it, bank[it.QuestionID].Answer)
		}
		res, err := b.Mark(bank, seed, answers)
		if err != nil {
			t.Fatal(err)
		}
		sub := &quiz.Submission{Seed: seed, Device: "burst:" + strconv.Itoa(i), Client: "burst", Profile: map[string]string{"age": "18-29"}, Result: res}
		if _, err := e.db.SubmitResponse(ctx, b, sub); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// answerJS is a script that ticks the answers of the paper seed draws:
// all right but question wrong (-1: none).
func answerJS(t *testing.T, q *quiz.Stored, bank map[app.ID]question.Question, seedText string, wrong int) string {
	t.Helper()
	seed, err := strconv.ParseUint(seedText, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	var js strings.Builder
	for i, it := range q.Paper(bank, seed).Items {
		bq := bank[it.QuestionID]
		ans := bq.Answer
		if i == wrong {
			ans = wrongOf(bq.Type == question.TrueFalse, bq.Answer, len(bq.Options))
		}
		for _, v := range exam.FromOriginal(bq, it, ans) {
			js.WriteString(`document.querySelector('input[name="q` + it.QuestionID.String() + `"][value="` + v + `"]').click();`)
		}
	}
	return js.String()
}

// wrongOf returns a wrong answer in the question's own labels.
func wrongOf(judge bool, key []string, options int) []string {
	if judge {
		if key[0] == "true" {
			return []string{"false"}
		}
		return []string{"true"}
	}
	for i := range options {
		l := string(rune('A' + i))
		if l != key[0] {
			return []string{l}
		}
	}
	return key
}
