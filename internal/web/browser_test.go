package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"pufa/internal/law"
)

// browserPath finds Debian's chromium; .ci/run installs it.
func browserPath(t *testing.T) string {
	for _, p := range []string{os.Getenv("PUFA_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	t.Skip("browser tests: skipped, no chromium found (apt-get install chromium fonts-noto-cjk, or set PUFA_CHROMIUM)")
	return ""
}

// browser starts one headless chromium for a test and returns a context
// for a new tab, and a function returning the console errors, exceptions
// and CSP violations seen so far.
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browserPath(t)),
		chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelC := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelC(); cancelB(); cancelA() })
	var mu sync.Mutex
	var problems []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeAssert {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				problems = append(problems, "console."+string(ev.Type)+": "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Error())
		case *log.EventEntryAdded:
			// Network errors and CSP violations are reported here.
			if ev.Entry.Level == log.LevelError {
				problems = append(problems, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		}
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Skipf("browser tests: skipped, chromium did not start: %v", err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// screenshot saves a full-page PNG when PUFA_SCREENSHOTS names a folder,
// so a person can look at what the test saw.
func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("PUFA_SCREENSHOTS")
	if dir == "" {
		return
	}
	var buf []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&buf, 100)); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Error(err)
	}
}

func emulateFor(w, h int64, mobile bool) chromedp.Action {
	if mobile {
		return chromedp.EmulateViewport(w, h, chromedp.EmulateMobile, chromedp.EmulateScale(2))
	}
	return chromedp.EmulateViewport(w, h)
}

var viewports = []struct {
	name          string
	width, height int64
	mobile        bool
}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}}

// TestBrowser_workbenchEveryRole signs in as each demo role at a desktop
// and a phone width and loads its workbench with no console errors.
func TestBrowser_workbenchEveryRole(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx, problems := browser(t)
	logins := []string{"sysadmin", "secadmin", "auditor", "office1", "liaison.gaj", "reviewer1", "zhangwei"}
	for _, vp := range viewports {
		for _, login := range logins {
			acct := e.accounts[login]
			if acct.Password == "" {
				t.Fatalf("demo has no account %s", login)
			}
			name := vp.name + "-" + login
			t.Run(name, func(t *testing.T) {
				before := len(problems())
				emulate := emulateFor(vp.width, vp.height, vp.mobile)
				var heading, nav string
				var scrollW, clientW int64
				err := chromedp.Run(ctx,
					network.ClearBrowserCookies(),
					emulate,
					chromedp.Navigate(e.srv.URL+"/login"),
					waitFor(`#f-login`),
					chromedp.SendKeys(`#f-login`, acct.Login, chromedp.ByQuery),
					chromedp.SendKeys(`#f-password`, acct.Password, chromedp.ByQuery),
					chromedp.Submit(`#f-password`, chromedp.ByQuery),
					waitFor(`.welcome h1`),
					textOf(`.welcome h1`, &heading),
					chromedp.Evaluate(`document.querySelector("#nav").innerText`, &nav),
					chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollW),
					chromedp.Evaluate(`document.documentElement.clientWidth`, &clientW),
				)
				if err != nil {
					t.Fatal(err)
				}
				if login == logins[0] {
					// The sign-in page, as the first visitor sees it.
					if err := chromedp.Run(ctx, chromedp.Navigate(e.srv.URL+"/p"), waitFor(`main h1`)); err != nil {
						t.Fatal(err)
					}
					screenshot(t, ctx, vp.name+"-portal")
					var anon string
					if err := chromedp.Run(ctx, network.ClearBrowserCookies(), chromedp.Navigate(e.srv.URL+"/login"),
						waitFor(`#f-login`), chromedp.Title(&anon)); err != nil {
						t.Fatal(err)
					}
					screenshot(t, ctx, vp.name+"-login")
				}
				if !strings.Contains(heading, acct.Name) {
					t.Errorf("workbench heading %q does not greet %s", heading, acct.Name)
				}
				if !strings.Contains(nav, "工作台") {
					t.Errorf("navigation %q lacks 工作台", nav)
				}
				if scrollW > clientW {
					t.Errorf("page scrolls sideways: scrollWidth %d > clientWidth %d", scrollW, clientW)
				}
				screenshot(t, ctx, name)
				if p := problems()[before:]; len(p) > 0 {
					t.Errorf("console problems:\n%s", strings.Join(p, "\n"))
				}
			})
		}
	}
}

// TestBrowser_pages opens the main pages of the office and admin roles at
// both widths, for the same checks and for screenshots.
func TestBrowser_pages(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx, problems := browser(t)
	root, _ := e.db.FindRootOrg(context.Background())
	plans, _ := e.db.FindPlans(context.Background(), root.Path)
	if len(plans) == 0 {
		t.Fatal("demo has no work plan")
	}
	planPath := "/plans/" + plans[0].ID.String()
	items, _ := e.db.FindItems(context.Background(), plans[0].ID)
	var taskPath string
	for _, it := range items {
		if it.IsTask && it.Status != "not_started" {
			taskPath = "/tasks/" + it.ID.String()
			break
		}
	}
	rounds, _ := e.db.FindRounds(context.Background(), root.Path)
	if len(rounds) != 2 {
		t.Fatal("demo has no duty reviews")
	}
	current, _ := e.db.FindRoundByID(context.Background(), rounds[0].ID)
	last := "/rounds/" + rounds[1].ID.String()
	gaj := current.Subjects[0].OrgID.String()
	laws, _ := e.db.FindLaws(context.Background(), law.Filter{InPaths: []string{root.Path}})
	lists, _ := e.db.FindLists(context.Background(), []string{root.Path})
	if len(laws) == 0 || len(lists) == 0 {
		t.Fatal("demo has no law library")
	}
	lawPath, listPath := "/laws/"+laws[0].Law.ID.String(), "/lists/"+lists[0].ID.String()
	pages := map[string][]string{
		"office1": {"/orgs", "/users", "/import", "/orgs/new", "/users/new", "/password", "/notices", "/plans", planPath, taskPath, "/plans/new",
			"/rounds", last, last + "/results", last + "/subjects/" + gaj, "/rounds/" + current.ID.String(), "/rounds/new",
			"/schemes", "/schemes/" + rounds[1].SchemeID.String(), "/schemes/new", "/schemes/new?blank=1",
			"/laws?q=私有 财产", lawPath, "/laws/import", "/lists", listPath, "/lists/new", "/questions", "/questions/import",
			"/duty?year=2023", "/duty/coverage", "/duty/reports?year=2023", "/rounds/roster", last + "/circular", "/p/duty?year=2023", "/p/results/" + rounds[1].ID.String()},
		"zhangwei":    {"/laws", lawPath, "/lists", listPath, "/practice", "/practice/next", "/mistakes"},
		"liaison.gaj": {"/plans", planPath, taskPath, "/results", "/results/" + rounds[1].ID.String(), "/duty/2023", "/duty/2024", "/duty/report/2023"},
		"reviewer1":   {"/sheets", fmt.Sprintf("/rounds/%s/sheets/%s/%s", current.ID, current.Stages[0].ID, gaj), "/p/rate/" + current.Stages[1].Public.Key},
		"sysadmin":    {"/orgs", "/users", "/settings"},
		"auditor":     {"/audit"},
	}
	for _, vp := range viewports {
		for login, paths := range pages {
			acct := e.accounts[login]
			for i, p := range paths {
				slug := strings.TrimPrefix(p, "/")
				if p == planPath {
					slug = "plan"
				} else if p == taskPath {
					slug = "task"
				} else if p == lawPath {
					slug = "law"
				} else if len(slug) > 40 {
					slug = fmt.Sprintf("page%d", i)
				}
				name := fmt.Sprintf("%s-%s-%s", vp.name, login, strings.NewReplacer("/", "_").Replace(slug))
				t.Run(name, func(t *testing.T) {
					before := len(problems())
					actions := []chromedp.Action{}
					if i == 0 {
						actions = append(actions, network.ClearBrowserCookies(),
							emulateFor(vp.width, vp.height, vp.mobile),
							chromedp.Navigate(e.srv.URL+"/login"),
							waitFor(`#f-login`),
							chromedp.SendKeys(`#f-login`, acct.Login, chromedp.ByQuery),
							chromedp.SendKeys(`#f-password`, acct.Password, chromedp.ByQuery),
							chromedp.Submit(`#f-password`, chromedp.ByQuery),
							waitFor(`.welcome`))
					}
					var scrollW, clientW int64
					var h1 string
					actions = append(actions,
						chromedp.Navigate(e.srv.URL+p),
						waitFor(`main h1`),
						textOf(`main h1`, &h1),
						chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollW),
						chromedp.Evaluate(`document.documentElement.clientWidth`, &clientW))
					if err := chromedp.Run(ctx, actions...); err != nil {
						t.Fatal(err)
					}
					if h1 == "" || strings.Contains(h1, "没有权限") || strings.Contains(h1, "错误") {
						t.Errorf("%s shows %q", p, h1)
					}
					if scrollW > clientW {
						t.Errorf("%s scrolls sideways: %d > %d", p, scrollW, clientW)
					}
					screenshot(t, ctx, name)
					if pr := problems()[before:]; len(pr) > 0 {
						t.Errorf("console problems on %s:\n%s", p, strings.Join(pr, "\n"))
					}
				})
			}
		}
	}
}

type runtimeEvaluateParams = runtime.EvaluateParams
