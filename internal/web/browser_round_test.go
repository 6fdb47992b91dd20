package web_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"pufa/internal/app"
)

// waitText waits until the element matching sel shows text containing
// want, asking the page by script (see waitFor).
func waitText(sel, want string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		js := `(() => { const e = document.querySelector(` + strconv.Quote(sel) + `); return !!e && e.innerText.includes(` + strconv.Quote(want) + `) })()`
		for {
			var ok bool
			if err := chromedp.Evaluate(js, &ok).Do(ctx); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %q in %s: %w", want, sel, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// fillSheetJS gives every item on a score sheet full marks, the way a
// rater who finds nothing wanting fills it in: the top of each number
// field's range, "达到", the first tier, zero occurrences, and a note
// where evidence is asked for.
const fillSheetJS = `(() => {
  for (const i of document.querySelectorAll('.score-sheet input[type=number][name^="v_"]')) {
    const label = i.closest('label') ? i.closest('label').textContent : '';
    i.value = (label.includes('次数') || label.includes('加分') || label.includes('减分')) ? '0' : i.max;
  }
  for (const r of document.querySelectorAll('.score-sheet input[type=radio][value="1"]')) r.checked = true;
  for (const s of document.querySelectorAll('.score-sheet select[name^="v_"]')) s.selectedIndex = 1;
  for (const n of document.querySelectorAll('.score-sheet input.note')) if (n.placeholder.includes('必填')) n.value = '查阅了年度台账';
})()`

// TestBrowser_roundFlow: the office builds a scheme from the built-in one
// and publishes it, starts a round of two units with a panel of two,
// reviewers fill their sheets on a phone, the office locks and publishes,
// and the export downloads; then a citizen rates this year's units on a
// phone and cannot vote twice.
func TestBrowser_roundFlow(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx, problems := browser(t)
	signIn := e.signInAs
	var roundURL string
	err := chromedp.Run(ctx,
		signIn("office1", 1280, 900, false),
		chromedp.Navigate(e.srv.URL+"/schemes/new"),
		jsClick(`input[name=template][value=duty] ~ button`),
		waitText(`.flash`, "草稿"),
		jsClick(`form[action$="/publish"] button`),
		waitText(`.flash`, "已发布"),
		chromedp.Navigate(e.srv.URL+"/rounds/new"),
		waitFor(`#r-title`),
		setValue(`#r-title`, "浏览器测试评议"),
		// The newest published scheme is the one just built.
		chromedp.Evaluate(`document.querySelector('#r-scheme').selectedIndex = 0`, nil),
		chromedp.Evaluate(`(() => { const boxes = document.querySelectorAll('input[name=subjects]'); boxes.forEach((b, i) => b.checked = i < 2) })()`, nil),
		setValue(`input[name=min_panel]`, "2"),
		jsClick(`form[action="/rounds"] button[type=submit]`),
		waitText(`.flash`, "考评已建立"),
		chromedp.Location(&roundURL),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "round-1-created")
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`(() => {
		  const row = [...document.querySelectorAll('tr[id^=stage-]')].find(r => r.innerText.startsWith('评议团'));
		  row.querySelector('details').open = true;
		  for (const l of row.querySelectorAll('.check-grid label')) if (l.innerText.includes('孙丽华') || l.innerText.includes('何文斌')) l.querySelector('input').checked = true;
		  row.querySelector('form button').click();
		})()`, nil),
		waitText(`.flash`, "已指派 4 项"),
		jsClick(`form[action$="/status"] button`),
		waitText(`.flash`, "已开始评分"),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Both reviewers score both units on a phone.
	for i, login := range []string{"reviewer1", "reviewer2"} {
		if err := chromedp.Run(ctx, signIn(login, 390, 844, true)); err != nil {
			t.Fatal(err)
		}
		for n := range 2 {
			err := chromedp.Run(ctx,
				chromedp.Navigate(e.srv.URL+"/sheets"),
				waitText(`main`, "浏览器测试评议"),
				chromedp.Evaluate(`[...[...document.querySelectorAll('section.panel')].find(s => s.innerText.includes('浏览器测试评议')).querySelectorAll('li')].find(li => !li.innerText.includes('已提交')).querySelector('a').click()`, nil),
				waitFor(`.score-sheet`),
				chromedp.Evaluate(fillSheetJS, nil),
			)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 && n == 0 {
				screenshot(t, ctx, "round-2-sheet-phone")
			}
			err = chromedp.Run(ctx,
				jsClick(`button[name=action][value=submit]`),
				waitText(`.flash`, "评分表已提交"),
			)
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	var table string
	var export string
	err = chromedp.Run(ctx,
		signIn("office1", 1280, 900, false),
		chromedp.Navigate(roundURL),
		waitText(`main`, "4 / 4"),
		jsClick(`form[action$="/status"] button.btn-primary`),
		waitText(`.flash`, "评分已锁定"),
		chromedp.Navigate(roundURL+"/results"),
		jsClick(`form[action$="/publish"] button`),
		waitText(`.flash`, "结果已发布"),
		textOf(`table.results`, &table),
		chromedp.Evaluate(`fetch(location.pathname.replace('/results', '/export')).then(r => r.arrayBuffer().then(b => r.status + ' ' + r.headers.get('content-type') + ' ' + String.fromCharCode(...new Uint8Array(b).slice(0, 2))))`, &export, func(p *runtimeEvaluateParams) *runtimeEvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "round-3-published")
	if !strings.Contains(table, "100") || !strings.Contains(table, "优秀") {
		t.Fatalf("results table:\n%s", table)
	}
	if !strings.HasPrefix(export, "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet PK") {
		t.Fatalf("export: %q", export)
	}

	// A citizen rates this year's units on a phone, once.
	root, _ := e.db.FindRootOrg(context.Background())
	rounds, _ := e.db.FindRounds(context.Background(), root.Path)
	var key string
	for _, r := range rounds {
		full, _ := e.db.FindRoundByID(context.Background(), r.ID)
		if full.Status == "open" {
			for _, st := range full.Stages {
				if st.Public.Key != "" {
					key = st.Public.Key
				}
			}
		}
	}
	if key == "" {
		t.Fatal("demo has no open public rating")
	}
	phone := "13800001111"
	var thanks, again string
	err = chromedp.Run(ctx,
		network.ClearBrowserCookies(),
		emulateFor(390, 844, true),
		chromedp.Navigate(e.srv.URL+"/p/rate/"+key),
		waitFor(`.stars`),
		chromedp.Evaluate(`document.querySelector('.rate-item input[value="5"]').click(); document.querySelectorAll('.rate-item')[1].querySelector('input[value="4"]').click()`, nil),
		setValue(`#p-phone`, phone),
		jsClick(`button[formaction$="/code"]`),
		waitText(`.flash`, "验证码已发送"),
	)
	if err != nil {
		t.Fatal(err)
	}
	code := e.codes.code(phone)
	err = chromedp.Run(ctx,
		setValue(`#p-code`, code),
		chromedp.Evaluate(`document.querySelector('.rate-item input[value="5"]').checked`, new(bool)),
		jsClick(`form button.btn-block`),
		waitText(`main`, "感谢"),
		textOf(`main`, &thanks),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "round-4-voted-phone")
	if !strings.Contains(thanks, "2 个单位") {
		t.Fatalf("thanks page: %s", thanks)
	}
	// Back, and vote again with the same phone and code: not counted.
	err = chromedp.Run(ctx,
		chromedp.Navigate(e.srv.URL+"/p/rate/"+key),
		waitFor(`.stars`),
		chromedp.Evaluate(`document.querySelector('.rate-item input[value="1"]').click()`, nil),
		setValue(`#p-phone`, phone),
		setValue(`#p-code`, code),
		jsClick(`form button.btn-block`),
		waitText(`main`, "未重复计入"),
		textOf(`main`, &again),
	)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(again, "已记录") {
		t.Fatalf("second vote: %s", again)
	}
	if pr := problems(); len(pr) > 0 {
		t.Errorf("console problems:\n%s", strings.Join(pr, "\n"))
	}
}

// TestBrowser_schemeEditor builds a small scheme in the tree editor: a
// first save with points that do not add up shows the problem by its row
// and keeps every row typed; the fix saves and publishes.
func TestBrowser_schemeEditor(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx, problems := browser(t)
	fill := `(() => {
	  const rows = document.querySelectorAll('.editor-table tbody tr');
	  const set = (r, name, v) => { const el = rows[r].querySelector('[name="' + name + '"]'); el.value = v; };
	  document.querySelector('#e-name').value = '村（社区）法治建设考评指标';
	  [['1', '组织领导', '', '', ''], ['2', '配备法律明白人', '60', '直接评分', '步长0.5'], ['2', '开展法治讲座', '30', '扣分', '每少一次扣10分，最多扣40分']]
	    .forEach(([level, name, max, rule, params], i) => { set(i, 'level_', level); set(i, 'name_', name); set(i, 'max_', max); set(i, 'rule_', rule); set(i, 'params_', params); });
	})()`
	var problemsText, rowName string
	err := chromedp.Run(ctx,
		e.signInAs("office1", 1280, 900, false),
		chromedp.Navigate(e.srv.URL+"/schemes/new?blank=1"),
		waitFor(`.editor-table`),
		chromedp.Evaluate(fill, nil),
		jsClick(`.scheme-editor button.btn-primary`),
		waitFor(`.error-summary`),
		textOf(`.error-summary`, &problemsText),
		textOf(`.error-summary`, &problemsText),
		chromedp.Evaluate(`document.querySelectorAll('.editor-table tbody tr')[2].querySelector('[name="name_"]').value`, &rowName),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "scheme-editor-error")
	if !strings.Contains(problemsText, "第3行") {
		t.Fatalf("the problem does not name its row:\n%.600s", problemsText)
	}
	if rowName != "开展法治讲座" {
		t.Fatalf("the typed rows were not kept: %q", rowName)
	}
	// The deduction's cap (40) exceeds its points (30); make it 30 and
	// give the row 40 points so the scheme adds up to 100.
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`(() => { const r = document.querySelectorAll('.editor-table tbody tr')[2]; r.querySelector('[name="max_"]').value = '40'; })()`, nil),
		jsClick(`.scheme-editor button.btn-primary`),
		waitText(`.flash`, "草稿"),
		jsClick(`form[action$="/publish"] button`),
		waitText(`.flash`, "已发布"),
	)
	if err != nil {
		t.Fatalf("%v (first problems: %s)", err, problemsText)
	}
	var tree string
	chromedp.Run(ctx, textOf(`table.scheme-tree`, &tree))
	if !strings.Contains(tree, "每次扣 10 分，扣完为止") || !strings.Contains(tree, "组织领导") {
		t.Fatalf("scheme page:\n%s", tree)
	}
	screenshot(t, ctx, "scheme-published")
	for _, pr := range problems() {
		// The first save is refused with 400 on purpose.
		if !strings.Contains(pr, "status of 400") {
			t.Errorf("console problem: %s", pr)
		}
	}
}

// TestBrowser_libraryFlow: the office pastes a question bank and sees
// the preview with its warnings before importing; an official on a phone
// opens a must-know list, reads the law, practises from the list, answers
// one wrong and finds it in the mistake book.
func TestBrowser_libraryFlow(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx, problems := browser(t)
	var summary, flash string
	err := chromedp.Run(ctx,
		e.signInAs("office1", 1280, 900, false),
		chromedp.Navigate(e.srv.URL+"/questions/import"),
		waitFor(`#f-text`),
		setValue(`#f-text`, testBank),
		jsClick(`form[action^="/questions/import"] button`),
		waitFor(`.notice-box`),
		textOf(`.summary`, &summary),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "library-1-preview")
	if !strings.Contains(summary, "将新增 3 题") {
		t.Fatalf("preview summary %q", summary)
	}
	err = chromedp.Run(ctx,
		jsClick(`form[action="/questions/import/commit"] button`),
		waitText(`.flash`, "已导入"),
		textOf(`.flash`, &flash),
	)
	if err != nil || !strings.Contains(flash, "已导入 3 题") {
		t.Fatalf("import: %v %q", err, flash)
	}

	// An official on a phone.
	var listTitle, lawText, verdict, mistakes string
	err = chromedp.Run(ctx,
		e.signInAs("wangfang", 390, 844, true),
		chromedp.Navigate(e.srv.URL+"/lists"),
		jsClick(`table.data a[href^="/lists/"]`),
		waitFor(`.summary`),
		textOf(`h1`, &listTitle),
		jsClick(`main section.panel li a`),
		waitFor(`.law-text`),
		textOf(`.law-article:target`, &lawText),
		chromedp.Evaluate(`document.querySelector('.law-article:target form button').click()`, nil),
		waitFor(`.law-article:target .tag-green`),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "library-2-law-phone")
	if lawText == "" {
		t.Fatal("the list's link did not land on its article")
	}
	var action string
	err = chromedp.Run(ctx,
		chromedp.Navigate(e.srv.URL+"/lists"),
		jsClick(`table.data a[href^="/lists/"]`),
		jsClick(`a[href^="/practice/next?list="]`),
		waitFor(`form[action^="/practice/"]`),
		chromedp.Evaluate(`document.querySelector('form[action^="/practice/"]').getAttribute('action')`, &action),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "library-3-question-phone")
	qid, _ := app.ParseID("id", strings.TrimPrefix(action, "/practice/"))
	q, err := e.db.FindQuestionByID(context.Background(), qid)
	if err != nil {
		t.Fatal(err)
	}
	// Answer it wrong on purpose: any option not in the key, or the
	// judgement's opposite, or a wrong word in a blank.
	pick := ""
	switch q.Type {
	case "truefalse":
		pick = `document.querySelector('input[value="` + map[bool]string{true: "false", false: "true"}[q.Answer[0] == "true"] + `"]').click()`
	case "fill":
		pick = `document.querySelectorAll('input[name=answer]').forEach(i => i.value = '不对')`
	default:
		for _, o := range q.Options {
			if !slices.Contains(q.Answer, o.Label) {
				pick = `document.querySelector('input[value="` + o.Label + `"]').click()`
				break
			}
		}
	}
	err = chromedp.Run(ctx,
		chromedp.Evaluate(pick, nil),
		jsClick(`form[action^="/practice/"] button`),
		waitFor(`.verdict`),
		textOf(`.verdict`, &verdict),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "library-4-feedback-phone")
	if !strings.Contains(verdict, "回答错误") {
		t.Fatalf("verdict %q", verdict)
	}
	err = chromedp.Run(ctx,
		chromedp.Navigate(e.srv.URL+"/mistakes"),
		waitFor(`main h1`),
		textOf(`main`, &mistakes),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "library-5-mistakes-phone")
	if stem := []rune(q.Stem); !strings.Contains(mistakes, string(stem[:min(len(stem), 6)])) {
		t.Fatalf("mistake book:\n%s", mistakes)
	}
	for _, pr := range problems() {
		t.Errorf("console problem: %s", pr)
	}
}

// TestBrowser_dutyFlow: a liaison fills and submits the unit's duty list
// on a phone; the office approves it at a desk; the public page lists it.
func TestBrowser_dutyFlow(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx, problems := browser(t)
	signIn := e.signInAs
	err := chromedp.Run(ctx,
		signIn("liaison.scj", 390, 844, true),
		chromedp.Navigate(e.srv.URL+"/duty/2024"),
		waitFor(`#laws0`),
		setValue(`#laws0`, "中华人民共和国食品安全法"),
		setValue(`#aud0`, "企业、服务对象"),
		setValue(`#mea0`, "许可窗口告知承诺，发布食品安全典型案例"),
		setValue(`#frm0`, "窗口宣传、以案释法"),
		setValue(`#tim0`, "全年"),
		setValue(`#std0`, "发布典型案例不少于6个"),
		setValue(`#off0`, "法规科"),
		setValue(`#per0`, "赵军"),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "duty-1-edit-phone")
	err = chromedp.Run(ctx,
		jsClick(`button[name=action][value=submit]`),
		waitText(`.flash`, "已提交普法办审核"),
		signIn("office1", 1280, 900, false),
		chromedp.Navigate(e.srv.URL+"/duty?year=2024"),
		jsClick(`table.data a[href^="/duty/lists/"]`),
		waitFor(`button[name=decision][value=approve]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "duty-2-review")
	var public string
	err = chromedp.Run(ctx,
		jsClick(`button[name=decision][value=approve]`),
		waitText(`.flash`, "审核通过"),
		network.ClearBrowserCookies(),
		chromedp.Navigate(e.srv.URL+"/p/duty?year=2024&q="+url.QueryEscape("食品安全法")),
		waitFor(`main h1`),
		textOf(`main`, &public),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "duty-3-public")
	if !strings.Contains(public, "区市场监督管理局") || !strings.Contains(public, "许可窗口告知承诺") {
		t.Fatalf("public page:\n%s", public)
	}
	for _, pr := range problems() {
		t.Errorf("console problem: %s", pr)
	}
}

// signInAs signs in as login at a viewport, from a clean cookie jar, the
// way a person opens the login page.
func (e *env) signInAs(login string, w, h int64, mobile bool) chromedp.Tasks {
	return chromedp.Tasks{
		network.ClearBrowserCookies(),
		emulateFor(w, h, mobile),
		chromedp.Navigate(e.srv.URL + "/login"),
		waitFor(`#f-login`),
		chromedp.SendKeys(`#f-login`, login, chromedp.ByQuery),
		chromedp.SendKeys(`#f-password`, e.accounts[login].Password, chromedp.ByQuery),
		chromedp.Submit(`#f-password`, chromedp.ByQuery),
		waitFor(`.welcome`),
	}
}
