package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"pufa/internal/app"
	"pufa/internal/contest"
	"pufa/internal/question"
)

// liveFixture is the demo's 12·4 contest, whose final is set and not
// begun, with the office and two finalists signed in.
type liveFixture struct {
	e           *env
	c           *contest.Contest
	office      *client
	lina, zhang *client
	base        string
}

func newLiveFixture(t *testing.T) *liveFixture {
	e := newEnv(t, envOptions{demo: true, manual: true})
	root, _ := e.db.FindRootOrg(context.Background())
	cs, err := e.db.FindContests(context.Background(), root.Path)
	if err != nil {
		t.Fatal(err)
	}
	f := &liveFixture{e: e}
	for _, c := range cs {
		if strings.Contains(c.Title, "宪法") {
			f.c = c
		}
	}
	if f.c == nil {
		t.Fatal("the demo has no 12·4 contest")
	}
	f.base = "/contests/" + f.c.ID.String()
	f.office = e.examinee("office1")
	f.lina = e.examinee("lina")
	f.zhang = e.examinee("zhangwei")
	return f
}

// state reads the large screen's board.
func (f *liveFixture) state(t *testing.T, query string) boardJSON {
	t.Helper()
	resp, body := f.office.get(f.base + "/live/state" + query)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("state: %d %s", resp.StatusCode, body)
	}
	var b boardJSON
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		t.Fatal(err)
	}
	return b
}

// answer sends a finalist's answer as the phone's script does.
func (f *liveFixture) answer(c *client, no int, given ...string) (*http.Response, string) {
	body, _ := json.Marshal(map[string]any{"no": no, "answer": given})
	return c.doBody("POST", f.base+"/play/answer", strings.NewReader(string(body)), false,
		map[string]string{"Content-Type": "application/json", "X-CSRF-Token": c.csrfCookie()})
}

// key returns the right and a wrong answer of the final's question no.
func (f *liveFixture) key(t *testing.T, no int) (right, wrong string) {
	q, err := f.e.db.FindQuestionByID(context.Background(), f.c.Final.Questions[no-1].QuestionID)
	if err != nil {
		t.Fatal(err)
	}
	right = q.Answer[0]
	for _, l := range answerLabels(&q.Question) {
		if l != right {
			return right, l
		}
	}
	t.Fatal("no wrong option")
	return
}

func (f *liveFixture) host(t *testing.T, action string, form url.Values) string {
	t.Helper()
	resp, body := f.office.post(f.base+"/live/"+action, form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s: %d %s", action, resp.StatusCode, firstError(body))
	}
	c := resp.Cookies()
	for _, ck := range c {
		if ck.Name == "pufa_flash" {
			msg, _ := url.QueryUnescape(ck.Value)
			return msg
		}
	}
	return ""
}

func teamOf(b boardJSON, name string) boardTeamJSON {
	for _, t := range b.Teams {
		if t.Name == name {
			return t
		}
	}
	return boardTeamJSON{}
}

// TestLiveFinal runs a final through the real handler: the host opens a
// question, finalists answer once each, nothing scores and no key shows
// until the reveal, late and second answers are refused, the board at an
// earlier moment replays what was, and a rehearsal resets.
func TestLiveFinal(t *testing.T) {
	f := newLiveFixture(t)
	linaUser, zhangUser := f.e.mustUser("lina"), f.e.mustUser("zhangwei")
	linaF, _ := f.c.Final.Finalist(linaUser.ID)
	zhangF, _ := f.c.Final.Finalist(zhangUser.ID)

	if b := f.state(t, ""); b.Phase != "waiting" || b.Total != len(f.c.Final.Questions) || b.Question != nil {
		t.Fatalf("before the start: %+v", b)
	}
	if resp, body := f.lina.get(f.base + "/play"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "决赛即将开始") {
		t.Fatalf("lina's phone before the start: %d %s", resp.StatusCode, firstError(body))
	}
	// An answer before any question is open is refused.
	if resp, body := f.answer(f.lina, 1, "A"); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "尚未开始") {
		t.Fatalf("answer before the start: %d %s", resp.StatusCode, body)
	}

	if msg := f.host(t, "next", nil); !strings.Contains(msg, "第 1 题已出题") {
		t.Fatalf("next: %q", msg)
	}
	opened := f.e.now()
	right, wrong := f.key(t, 1)
	b := f.state(t, "")
	if b.Phase != "asking" || b.No != 1 || b.Question == nil || len(b.Question.Answer) != 0 || b.Question.Analysis != "" || b.ClosesAt == 0 {
		t.Fatalf("asking: %+v", b)
	}
	// The phone shows the question and no key either.
	resp, body := f.lina.get(f.base + "/play")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="live-answer"`) || strings.Contains(body, "live-right") {
		t.Fatalf("lina's phone while asking: %d %s", resp.StatusCode, firstError(body))
	}
	// A second question cannot open before this one's answer is shown.
	if msg := f.host(t, "next", nil); !strings.Contains(msg, "还没有公布答案") {
		t.Fatalf("next while asking: %q", msg)
	}

	f.e.clock.Advance(3 * time.Second)
	if resp, body := f.answer(f.lina, 1, right); resp.StatusCode != http.StatusOK {
		t.Fatalf("lina's answer: %d %s", resp.StatusCode, body)
	}
	if resp, body := f.answer(f.lina, 1, wrong); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "已作答") {
		t.Fatalf("lina's second answer: %d %s", resp.StatusCode, body)
	}
	if resp, body := f.answer(f.zhang, 1, "Z"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "不是本题的选项") {
		t.Fatalf("an answer that is no option: %d %s", resp.StatusCode, body)
	}
	if resp, body := f.answer(f.zhang, 2, right); resp.StatusCode != http.StatusConflict {
		t.Fatalf("an answer to a question not asked: %d %s", resp.StatusCode, body)
	}
	f.e.clock.Advance(2 * time.Second)
	if resp, body := f.answer(f.zhang, 1, wrong); resp.StatusCode != http.StatusOK {
		t.Fatalf("zhangwei's answer: %d %s", resp.StatusCode, body)
	}
	// Someone not on the stage may not answer or even see it.
	outsider := f.e.examinee("huangmin")
	if resp, _ := f.answer(outsider, 1, right); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("an outsider's answer: %d", resp.StatusCode)
	}
	if resp, _ := outsider.get(f.base + "/play"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("an outsider's phone: %d", resp.StatusCode)
	}

	// The phone's plain form answers without JavaScript, and comes back
	// to the page with word that it was taken.
	chen := f.e.examinee("chenjing")
	resp, body = chen.post(f.base+"/play/answer", url.Values{"no": {"1"}, "answer": {right}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != f.base+"/play" {
		t.Fatalf("chenjing's form answer: %d %s", resp.StatusCode, firstError(body))
	}
	if _, body := chen.get(f.base + "/play"); !strings.Contains(body, "已提交答案") || !strings.Contains(body, "已提交，等待公布答案") {
		t.Fatalf("chenjing's phone after a form answer: %s", firstError(body))
	}

	b = f.state(t, "")
	if b.Answered != 3 || teamOf(b, linaF.TeamName).Points != 0 {
		t.Fatalf("answers before the reveal: %+v", b)
	}
	if msg := f.host(t, "reveal", nil); !strings.Contains(msg, "第 1 题已公布答案") {
		t.Fatalf("reveal: %q", msg)
	}
	revealed := f.e.now()
	b = f.state(t, "")
	points := f.c.Final.Questions[0].Points
	if b.Phase != "revealed" || b.Question == nil || !slices.Equal(b.Question.Answer, []string{right}) {
		t.Fatalf("revealed: %+v", b)
	}
	if got := teamOf(b, linaF.TeamName); got.Points != points || got.Correct != 1 {
		t.Fatalf("lina's team after the reveal: %+v (want %v)", got, points)
	}
	if linaF.Team != zhangF.Team {
		if got := teamOf(b, zhangF.TeamName); got.Points != 0 {
			t.Fatalf("zhangwei's team after a wrong answer: %+v", got)
		}
	}
	if resp, body := f.lina.get(f.base + "/play"); !strings.Contains(body, "回答正确") || resp.StatusCode != http.StatusOK {
		t.Fatalf("lina's phone after the reveal: %s", firstError(body))
	}
	if _, body := f.zhang.get(f.base + "/play"); !strings.Contains(body, "回答错误") {
		t.Fatalf("zhangwei's phone after the reveal: %s", firstError(body))
	}
	// An answer after the reveal is refused, even from someone who had not
	// answered.
	if resp, body := f.answer(f.e.examinee("wangfang"), 1, right); resp.StatusCode != http.StatusConflict {
		t.Fatalf("an answer after the reveal: %d %s", resp.StatusCode, body)
	}

	// The replay: the board a second after the opening shows the question
	// asked, no key and no points; ?replay spans the stored final.
	at := opened.Add(time.Second).UnixMilli()
	past := f.state(t, "?replay=1&at="+strconv.FormatInt(at, 10))
	if past.Phase != "asking" || past.Answered != 0 || len(past.Question.Answer) != 0 || teamOf(past, linaF.TeamName).Points != 0 {
		t.Fatalf("the board a second in: %+v", past)
	}
	if past.Replay == nil || past.Replay.Start != opened.UnixMilli() || past.Replay.End < revealed.UnixMilli() {
		t.Fatalf("replay span %+v, opened %d revealed %d", past.Replay, opened.UnixMilli(), revealed.UnixMilli())
	}
	if resp, body := f.office.get(f.base + "/live/state?at=soon"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "回放时间") {
		t.Fatalf("a bad replay time: %d %s", resp.StatusCode, body)
	}

	// The second question's window runs out: an answer past the grace is
	// refused, one inside it is taken.
	f.host(t, "next", nil)
	right2, _ := f.key(t, 2)
	f.e.clock.Advance(time.Duration(f.c.Final.Questions[1].Seconds)*time.Second + contest.AnswerGrace - time.Millisecond)
	if resp, body := f.answer(f.lina, 2, right2); resp.StatusCode != http.StatusOK {
		t.Fatalf("an answer inside the grace: %d %s", resp.StatusCode, body)
	}
	f.e.clock.Advance(2 * time.Millisecond)
	if resp, body := f.answer(f.zhang, 2, right2); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "时间已过") {
		t.Fatalf("an answer past the grace: %d %s", resp.StatusCode, body)
	}
	if b := f.state(t, ""); b.Phase != "closed" {
		t.Fatalf("after the window: %s", b.Phase)
	}

	// Reset needs its box ticked, then clears the final.
	if msg := f.host(t, "reset", nil); !strings.Contains(msg, "请勾选确认") {
		t.Fatalf("reset without confirm: %q", msg)
	}
	f.host(t, "reset", url.Values{"confirm": {"yes"}})
	if b := f.state(t, ""); b.Phase != "waiting" || b.Answered != 0 || teamOf(b, linaF.TeamName).Points != 0 {
		t.Fatalf("after reset: %+v", b)
	}
}

// TestLiveFinalAccess: the console, screen and state are the office's;
// a unit liaison cannot reach them.
func TestLiveFinalAccess(t *testing.T) {
	f := newLiveFixture(t)
	liaison := f.e.examinee("liaison.gaj")
	for _, p := range []string{"/live/host", "/live/screen", "/live/state", "/live/stream"} {
		if resp, _ := liaison.get(f.base + p); resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
			t.Errorf("liaison GET %s: %d", p, resp.StatusCode)
		}
	}
	if resp, _ := liaison.post(f.base+"/live/next", nil); resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
		t.Errorf("liaison next: %d", resp.StatusCode)
	}
	for _, p := range []string{"/live/host", "/live/screen"} {
		if resp, body := f.office.get(f.base + p); resp.StatusCode != http.StatusOK {
			t.Errorf("office GET %s: %d %s", p, resp.StatusCode, firstError(body))
		}
	}
	// Nothing to replay before the final is held.
	if resp, _ := f.office.get(f.base + "/live/screen?replay=1"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("replay of a final not held: %d", resp.StatusCode)
	}
	// The finalist finds the stage on their exams page.
	if _, body := f.lina.get("/exams"); !strings.Contains(body, f.base+"/play") {
		t.Errorf("lina's exams page has no way to the final")
	}
	// The contest's page warns when a finalist may manage the contest
	// (and so read the final's questions beforehand), and only then.
	if _, body := f.office.get(f.base); strings.Contains(body, "有权管理本竞赛") {
		t.Errorf("a warning with no insider on the stage")
	}
	office2 := f.e.mustUser("office2")
	c := *f.c
	final := *c.Final
	final.Finalists = append(slices.Clone(final.Finalists), contest.Finalist{UserID: office2.ID, Name: office2.Name, Team: "insider", TeamName: "普法办"})
	c.Final = &final
	root, _ := f.e.db.FindRootOrg(context.Background())
	actx := app.WithActor(context.Background(), &app.Actor{UserID: f.e.mustUser("office1").ID, OrgID: root.ID, OrgPath: root.Path})
	if err := f.e.db.UpdateContest(actx, &c); err != nil {
		t.Fatal(err)
	}
	if _, body := f.office.get(f.base); !strings.Contains(body, "决赛选手"+office2.Name+"有权管理本竞赛") {
		t.Errorf("no warning that %s, an office account, is on the stage", office2.Name)
	}
}

// TestLiveStream: the screen's stream sends the board at once, and again
// when a finalist answers.
func TestLiveStream(t *testing.T) {
	f := newLiveFixture(t)
	f.host(t, "next", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.e.srv.URL+f.base+"/live/stream", nil)
	resp, err := f.office.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("stream: %d %s", resp.StatusCode, ct)
	}
	events := make(chan boardJSON)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var b boardJSON
			if json.Unmarshal([]byte(data), &b) == nil {
				select {
				case events <- b:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	next := func() boardJSON {
		select {
		case b, ok := <-events:
			if !ok {
				t.Fatal("the stream ended")
			}
			return b
		case <-ctx.Done():
			t.Fatal("no event from the stream")
		}
		return boardJSON{}
	}
	if b := next(); b.Phase != "asking" || b.Answered != 0 {
		t.Fatalf("first event: %+v", b)
	}
	right, _ := f.key(t, 1)
	if resp, body := f.answer(f.lina, 1, right); resp.StatusCode != http.StatusOK {
		t.Fatalf("answer: %d %s", resp.StatusCode, body)
	}
	for {
		if b := next(); b.Answered == 1 {
			break
		}
	}
	// A shutdown ends the stream (else the server would wait on it).
	f.e.web.StopStreams()
	for {
		select {
		case _, ok := <-events:
			if !ok {
				return
			}
		case <-ctx.Done():
			t.Fatal("the stream outlived StopStreams")
		}
	}
}

// boardJSON is the large screen's state as the test reads it.
type boardJSON struct {
	Phase     string `json:"phase"`
	ClosesAt  int64  `json:"closes_at"`
	No        int    `json:"no"`
	Total     int    `json:"total"`
	Answered  int    `json:"answered"`
	Finalists int    `json:"finalists"`
	Question  *struct {
		Answer   []string `json:"answer"`
		Analysis string   `json:"analysis"`
	} `json:"question"`
	Teams  []boardTeamJSON `json:"teams"`
	Replay *struct {
		Start int64 `json:"start"`
		End   int64 `json:"end"`
	} `json:"replay"`
}

type boardTeamJSON struct {
	Rank    int     `json:"rank"`
	Name    string  `json:"name"`
	Points  float64 `json:"points"`
	Correct int     `json:"correct"`
	Award   string  `json:"award"`
}

// answerLabels are what an answer to q may give.
func answerLabels(q *question.Question) []string {
	if q.Type == question.TrueFalse {
		return []string{question.True, question.False}
	}
	var out []string
	for _, o := range q.Options {
		out = append(out, o.Label)
	}
	return out
}
