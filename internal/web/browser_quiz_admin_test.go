package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"pufa/internal/quiz"
)

// TestBrowser_quizAdmin: the office makes a quiz with the form at a desk
// and on a phone (a mistake first, shown at the field), prints the open
// quiz's poster, issues links for an invited one; a citizen finds the open
// quizzes on the public home page.
func TestBrowser_quizAdmin(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx, problems := browser(t)

	for _, vp := range viewports {
		err := chromedp.Run(ctx,
			e.signInAs("office1", vp.width, vp.height, vp.mobile),
			chromedp.Navigate(e.srv.URL+"/quizzes"),
			jsClick(`a[href="/quizzes/new"]`),
			waitFor(`form.qz-new`),
		)
		if err != nil {
			t.Fatal(err)
		}
		noSideways(t, ctx, vp.name+" new quiz form")
		screenshot(t, ctx, "quiz-admin-1-form-"+vp.name)

		// A title left out: the form comes back with the message at the
		// top and at the field, the rest as typed.
		var summary string
		err = chromedp.Run(ctx,
			chromedp.Evaluate(`document.querySelector('#z-title').value = ''`, nil),
			jsClick(`form.qz-new button[type=submit]`),
			waitFor(`.error-summary`),
			textOf(`.error-summary`, &summary),
		)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(summary, "请填写测评的标题") {
			t.Errorf("%s: error summary %q", vp.name, summary)
		}
		screenshot(t, ctx, "quiz-admin-2-error-"+vp.name)

		mode, title := "open", "江滨街道法治素养测评"
		if vp.mobile {
			mode, title = "invited", "抽样法治素养测评"
		}
		var flash string
		err = chromedp.Run(ctx,
			chromedp.Evaluate(`document.querySelector('#z-title').value = '`+title+`'`, nil),
			chromedp.Evaluate(`document.querySelector('input[name=mode][value=`+mode+`]').click()`, nil),
			jsClick(`form.qz-new button[type=submit]`),
			waitFor(`.flash`),
			textOf(`.flash`, &flash),
		)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(flash, "测评已建立："+title) {
			t.Fatalf("%s: flash %q", vp.name, flash)
		}
		noSideways(t, ctx, vp.name+" new quiz's page")
		screenshot(t, ctx, "quiz-admin-3-created-"+vp.name)
		if vp.mobile {
			err = chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector('.qz-questions').open = true`, nil), scrollTo(`#tokens`))
			if err != nil {
				t.Fatal(err)
			}
			screenshot(t, ctx, "quiz-admin-4-tokens-phone")
		}
	}

	// The demo quiz's poster, on screen at both widths and as printed.
	root, _ := e.db.FindRootOrg(context.Background())
	var demoQ *quiz.Stored
	for _, q := range mustQuizzes(t, e, root.Path) {
		if strings.HasSuffix(q.Title, "临江区公民法治素养测评") {
			demoQ = q
		}
	}
	for _, vp := range viewports {
		err := chromedp.Run(ctx,
			e.signInAs("office1", vp.width, vp.height, vp.mobile),
			chromedp.Navigate(e.srv.URL+"/quizzes/"+demoQ.ID.String()),
			jsClick(`a[href="/quizzes/`+demoQ.ID.String()+`/poster"]`),
			waitFor(`.qz-poster-qr`),
		)
		if err != nil {
			t.Fatal(err)
		}
		noSideways(t, ctx, vp.name+" poster")
		screenshot(t, ctx, "quiz-admin-5-poster-"+vp.name)
	}
	// Printed, the poster is one A4 page.
	var pdf []byte
	err := chromedp.Run(ctx,
		emulateFor(794, 1123, false),
		emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPreferCSSPageSize(true).WithPrintBackground(true).Do(ctx)
			return err
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(pdfPage.FindAll(pdf, -1)); n != 1 {
		t.Errorf("the poster prints on %d pages, want 1", n)
	}
	screenshot(t, ctx, "quiz-admin-6-poster-print")
	if err := chromedp.Run(ctx, emulation.SetEmulatedMedia().WithMedia("")); err != nil {
		t.Fatal(err)
	}

	// The public home page lists the open quizzes, not the invited one.
	for _, vp := range viewports {
		var text string
		err := chromedp.Run(ctx,
			network.ClearBrowserCookies(),
			emulateFor(vp.width, vp.height, vp.mobile),
			chromedp.Navigate(e.srv.URL+"/p"),
			waitFor(`.portal-quizzes`),
			textOf(`.portal-quizzes`, &text),
		)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, demoQ.Title) || !strings.Contains(text, "江滨街道法治素养测评") || strings.Contains(text, "抽样法治素养测评") {
			t.Errorf("%s: open quizzes on the public home page: %q", vp.name, text)
		}
		noSideways(t, ctx, vp.name+" public home")
		screenshot(t, ctx, "quiz-admin-7-portal-"+vp.name)
	}
	for _, p := range problems() {
		// The form's mistake is answered 400 on purpose.
		if !strings.Contains(p, "status of 400") {
			t.Errorf("console problem: %s", p)
		}
	}
}

// pdfPage matches a page object of a PDF (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)
