package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pufa/internal/contest"
)

// TestBrowser_liveFinal: a finalist answers a live question on a phone
// while the large screen, in another browser session, follows by its
// event stream: the answered count moves when she answers, and her team's
// points when the host reveals the answer.
func TestBrowser_liveFinal(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	root, _ := e.db.FindRootOrg(ctx)
	cs, err := e.db.FindContests(ctx, root.Path)
	if err != nil {
		t.Fatal(err)
	}
	var c *contest.Contest
	for _, x := range cs {
		if strings.Contains(x.Title, "宪法") {
			c = x
		}
	}
	if c == nil {
		t.Fatal("the demo has no 12·4 contest")
	}
	lina := e.mustUser("lina")
	team, _ := c.Final.Finalist(lina.ID)
	base := e.srv.URL + "/contests/" + c.ID.String()
	host := e.examinee("office1")

	screenCtx, problems := browser(t)
	// The phone is a browser of its own (its own cookies), so lina and the
	// office are signed in side by side.
	phoneCtx, phoneProblems := browser(t)
	if err := chromedp.Run(screenCtx,
		e.signInAs("office1", 1280, 800, false),
		chromedp.Navigate(base+"/live/screen"),
		waitText(`#ls-stem`, "决赛即将开始"),
	); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(phoneCtx,
		e.signInAs("lina", 390, 844, true),
		chromedp.Navigate(base+"/play"),
		waitText(`#live-card`, "决赛即将开始"),
	); err != nil {
		t.Fatal(err)
	}

	// The host opens the first question; the phone shows it by itself.
	if resp, body := host.post("/contests/"+c.ID.String()+"/live/next", nil); resp.StatusCode != 303 {
		t.Fatalf("next: %d %s", resp.StatusCode, firstError(body))
	}
	q, err := e.db.FindQuestionByID(ctx, c.Final.Questions[0].QuestionID)
	if err != nil {
		t.Fatal(err)
	}
	right := q.Answer[0]
	if err := chromedp.Run(phoneCtx,
		waitFor(`#live-answer`),
		tap(`input[name=answer][value="`+right+`"]`),
	); err != nil {
		t.Fatal(err)
	}
	viewShot(t, phoneCtx, "live-1-phone-question")
	if err := chromedp.Run(screenCtx, waitText(`#ls-answered`, "已作答 0 / ")); err != nil {
		t.Fatal(err)
	}
	viewShot(t, screenCtx, "live-2-screen-asking")
	if err := chromedp.Run(phoneCtx,
		tap(`.live-submit`),
		waitText(`#live-card`, "已提交，等待公布答案"),
	); err != nil {
		t.Fatal(err)
	}
	// The screen counts her answer without a reload.
	if err := chromedp.Run(screenCtx, waitText(`#ls-answered`, "已作答 1 / ")); err != nil {
		t.Fatal(err)
	}

	if resp, body := host.post("/contests/"+c.ID.String()+"/live/reveal", nil); resp.StatusCode != 303 {
		t.Fatalf("reveal: %d %s", resp.StatusCode, firstError(body))
	}
	points := strconv.FormatFloat(c.Final.Questions[0].Points, 'f', -1, 64)
	if err := chromedp.Run(screenCtx,
		waitText(`#ls-teams li:first-child`, team.TeamName),
		waitText(`#ls-teams li:first-child`, points),
		waitFor(`#ls-options li.ls-right`),
	); err != nil {
		t.Fatal(err)
	}
	viewShot(t, screenCtx, "live-3-screen-revealed")
	if err := chromedp.Run(phoneCtx, waitText(`#live-card`, "回答正确")); err != nil {
		t.Fatal(err)
	}
	viewShot(t, phoneCtx, "live-4-phone-revealed")
	if p := append(problems(), phoneProblems()...); len(p) > 0 {
		t.Errorf("browser problems: %v", p)
	}
}
