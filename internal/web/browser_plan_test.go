package web_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"pufa/internal/upload"
	"pufa/internal/xlsx"
)

// TestBrowser_planFlow walks the work-plan flow as people do it: the office
// imports the 工作要点 and confirms the review, assigns a task, the unit
// reports on it, the office accepts, and the ledger export opens as a
// spreadsheet.
func TestBrowser_planFlow(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx, problems := browser(t)
	seed, err := os.ReadFile("../outline/testdata/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	signIn := func(login string) chromedp.Tasks {
		return chromedp.Tasks{
			network.ClearBrowserCookies(),
			chromedp.Navigate(e.srv.URL + "/login"),
			waitFor(`#f-login`),
			chromedp.SendKeys(`#f-login`, login, chromedp.ByQuery),
			chromedp.SendKeys(`#f-password`, e.accounts[login].Password, chromedp.ByQuery),
			chromedp.Submit(`#f-password`, chromedp.ByQuery),
			waitFor(`.welcome`),
		}
	}
	var summary, planURL string
	err = chromedp.Run(ctx,
		emulateFor(1280, 900, false),
		signIn("office1"),
		chromedp.Navigate(e.srv.URL+"/plans/new"),
		waitFor(`#f-text`),
		chromedp.SetValue(`#f-year`, "2023", chromedp.ByQuery),
		chromedp.SetValue(`#f-text`, string(seed), chromedp.ByQuery),
		chromedp.Submit(`#f-text`, chromedp.ByQuery),
		waitFor(`table.review`),
		textOf(`main > p`, &summary),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "flow-1-review")
	if !strings.Contains(summary, "19 项任务") {
		t.Fatalf("review summary %q", summary)
	}
	var after string
	err = chromedp.Run(ctx,
		// Clicks go through the DOM, not the mouse: a mouse click lands
		// where the button was when the page was measured, which a late
		// font or layout shift can move.
		jsClick(`form.review-main button[type=submit]`),
		waitFor(`.flash, .error-summary, .panel h1`),
		textOf(`main`, &after),
	)
	if err != nil || !strings.Contains(after, "已导入工作要点") {
		screenshot(t, ctx, "flow-2-failed")
		t.Fatalf("confirm: %v: %.300s", err, after)
	}
	err = chromedp.Run(ctx,
		waitFor(`table.ledger`),
		chromedp.Location(&planURL),
		// Assign the first task to the 公安分局.
		jsClick(`table.ledger input[name=items]`),
		chromedp.Evaluate(`(() => { for (const o of document.querySelectorAll('#lead option')) { if (o.textContent === '区公安分局') o.selected = true } })()`, nil),
		jsClick(`section.assign button[type=submit]`),
		// The page before had a flash too: wait for this one's words, or
		// the next navigation aborts the form's.
		waitText(`.flash`, "已为"),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "flow-2-ledger")

	// The unit reports from its workbench.
	var flash string
	if err := chromedp.Run(ctx, signIn("liaison.gaj")); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "flow-3a-workbench")
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`[...document.querySelectorAll("section.role-block a")].find(a => a.textContent.includes("把思想和行动统一到党的二十大精神上来")).click()`, nil),
		waitFor(`#f-text`),
		jsClick(`input[name=status][value=done]`),
		setValue(`#f-text`, "已组织专题学习 4 次，形成学习记录。"),
		chromedp.Evaluate(`document.querySelector("#f-text").form.submit()`, nil),
		waitText(`.flash`, "已报送"),
		textOf(`.flash`, &flash),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "flow-3-reported")
	if !strings.Contains(flash, "已报送") {
		t.Fatalf("flash %q", flash)
	}
	var taskURL string
	chromedp.Run(ctx, chromedp.Location(&taskURL))

	// The office accepts, then exports the ledger.
	var exported string
	err = chromedp.Run(ctx,
		signIn("office1"),
		chromedp.Navigate(taskURL),
		jsClick(`button[name=review][value=accepted]`),
		waitText(`.flash`, "已采纳"),
		chromedp.Navigate(planURL),
		waitFor(`table.ledger`),
		chromedp.Evaluate(`fetch(document.querySelector('a[href$="/export"], a[href*="/export?"]').href, {credentials: "same-origin"})
			.then(r => r.arrayBuffer())
			.then(b => { let s = ""; const u = new Uint8Array(b); for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); return btoa(s) })`, &exported,
			func(p *runtimeEvaluateParams) *runtimeEvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "flow-4-accepted")
	data, err := base64.StdEncoding.DecodeString(exported)
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := xlsx.ReadSheet(data, upload.DefaultSpreadsheet(), 1000)
	if err != nil {
		t.Fatalf("export does not open as a spreadsheet: %v", err)
	}
	if len(sheet.Rows) != 19 || sheet.Col(sheet.Rows[0], "牵头单位") != "区公安分局" || sheet.Col(sheet.Rows[0], "状态") != "已完成" {
		t.Fatalf("export: %d rows, first %v", len(sheet.Rows), sheet.Rows[0])
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("console problems:\n%s", strings.Join(p, "\n"))
	}
}

// jsClick clicks the first element matching sel through the DOM.
func jsClick(sel string) chromedp.Action {
	return chromedp.Tasks{
		waitFor(sel),
		chromedp.Evaluate(`document.querySelector(`+strconv.Quote(sel)+`).click()`, nil),
	}
}

// waitFor waits until an element matching sel is on the page and shown.
// It asks the page by script, again and again, rather than holding a DOM
// node: a node fetched while the previous page was still unloading is gone
// a moment later ("No node with given id found"), and a script simply runs
// again in the new page.
func waitFor(sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		js := `(() => { const e = document.querySelector(` + strconv.Quote(sel) + `); return !!e && e.offsetParent !== null })()`
		for {
			var ok bool
			if err := chromedp.Evaluate(js, &ok).Do(ctx); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s: %w", sel, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// textOf reads an element's text by script (see waitFor for why not by
// node).
func textOf(sel string, out *string) chromedp.Action {
	return chromedp.Evaluate(`(() => { const e = document.querySelector(`+strconv.Quote(sel)+`); return e ? e.innerText : "" })()`, out)
}

// setValue sets a field's value by script.
func setValue(sel, v string) chromedp.Action {
	return chromedp.Evaluate(`document.querySelector(`+strconv.Quote(sel)+`).value = `+strconv.Quote(v), nil)
}
