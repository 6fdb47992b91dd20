package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/exam"
	"pufa/internal/question"
	"pufa/internal/session"
	"pufa/internal/store"
	"pufa/internal/store/storetest"
)

// examWorld is an exam of the demo district and its examinees' tokens.
type examWorld struct {
	e    *env
	exam *exam.Exam
}

// newExamWorld opens an exam of ten single-choice and five true/false
// questions from the demo bank, open from an hour ago for a day.
func newExamWorld(t *testing.T, d store.Dialect, manual bool, set func(*exam.Exam)) *examWorld {
	t.Helper()
	e := newEnv(t, envOptions{dialect: d, demo: true, manual: manual})
	ctx := context.Background()
	root, err := e.db.FindRootOrg(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := e.now()
	ex := &exam.Exam{OrgID: root.ID, Title: "测试考试", Year: 2026,
		Window:  exam.Window{Opens: now.Add(-time.Hour), Closes: now.Add(24 * time.Hour), Duration: 60 * time.Minute},
		Rules:   exam.Rules{Picks: []exam.Pick{{Type: question.Single, Count: 10, Points: 8}, {Type: question.TrueFalse, Count: 5, Points: 4}}, ShuffleOptions: true, ShuffleQuestions: true},
		Sitters: exam.Sitters{Roles: []string{account.RoleExaminee}},
		Review:  exam.ReviewAfterClose,
	}
	if set != nil {
		set(ex)
	}
	if err := e.db.CreateExam(ctx, ex); err != nil {
		t.Fatal(err)
	}
	return &examWorld{e: e, exam: ex}
}

func (e *env) now() time.Time {
	if e.clock != nil {
		return e.clock.Now()
	}
	return time.Now()
}

// api is a bearer-token client of the JSON API.
type api struct {
	t     testing.TB
	base  string
	token string
}

func (w *examWorld) signIn(login string) *api {
	w.e.t.Helper()
	status, body := apiLogin(w.e.t.(*testing.T), w.e, login, w.e.accounts[login].Password)
	if status != 200 {
		w.e.t.Fatalf("login %s: %d %v", login, status, body)
	}
	return &api{t: w.e.t, base: w.e.srv.URL, token: body["token"].(string)}
}

// call sends v as JSON (nil: no body) and decodes the answer into out
// (nil: ignore); it returns the status.
func (a *api) call(method, path string, v, out any) int {
	a.t.Helper()
	var body io.Reader
	if v != nil {
		b, _ := json.Marshal(v)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, a.base+path, body)
	req.Header.Set("Authorization", "Bearer "+a.token)
	if v != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			a.t.Fatalf("%s %s: %d, body not JSON: %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode
}

type startBody struct {
	AttemptID        string `json:"attempt_id"`
	Deadline         string `json:"deadline"`
	ServerTime       string `json:"server_time"`
	RemainingSeconds int64  `json:"remaining_seconds"`
	Questions        []struct {
		ID      string `json:"id"`
		Type    string `json:"type"`
		Stem    string `json:"stem"`
		Options []struct {
			Label string `json:"label"`
			Text  string `json:"text"`
		} `json:"options"`
	} `json:"questions"`
	Answers map[string]struct {
		Answer []string `json:"answer"`
		Seq    int64    `json:"seq"`
	} `json:"answers"`
}

type attemptBody struct {
	State   string `json:"state"`
	Answers map[string]struct {
		Answer []string `json:"answer"`
		Seq    int64    `json:"seq"`
	} `json:"answers"`
	Keys   map[string]any `json:"keys"`
	Result map[string]any `json:"result"`
}

func (a *api) start(examID app.ID) (int, startBody) {
	var sb startBody
	st := a.call("POST", "/api/v1/exams/"+examID.String()+"/attempts", nil, &sb)
	return st, sb
}

func (a *api) save(attemptID, qid string, answer []string, seq int64) int {
	return a.call("PUT", "/api/v1/attempts/"+attemptID+"/answers/"+qid, map[string]any{"answer": answer, "seq": seq}, nil)
}

func TestExamAPIFlow(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			w := newExamWorld(t, d, false, nil)
			a := w.signIn("wangfang")

			var list struct {
				Exams []struct {
					ID              string `json:"id"`
					OpensAt         string `json:"opens_at"`
					DurationMinutes int    `json:"duration_minutes"`
					AttemptsLeft    *int   `json:"attempts_left"`
				} `json:"exams"`
			}
			// The demo's exam of this year is open too.
			if st := a.call("GET", "/api/v1/exams", nil, &list); st != 200 || len(list.Exams) != 2 || list.Exams[0].ID != w.exam.ID.String() || list.Exams[0].DurationMinutes != 60 || list.Exams[0].AttemptsLeft != nil {
				t.Fatalf("exams: %d %+v", st, list)
			}
			st, sb := a.start(w.exam.ID)
			if st != 201 {
				t.Fatalf("start: %d %s", st, a.raw("POST", "/api/v1/exams/"+w.exam.ID.String()+"/attempts"))
			}
			if len(sb.Questions) != 15 || sb.RemainingSeconds < 3590 || !strings.HasSuffix(sb.Deadline, "+08:00") {
				t.Fatalf("start: %d %+v", st, sb)
			}
			q0 := sb.Questions[0]
			if q0.Type != "single" || len(q0.Options) < 2 || q0.Options[0].Label != "A" {
				t.Fatalf("first question %+v", q0)
			}
			if a.save(sb.AttemptID, q0.ID, []string{"B"}, 1) != 204 {
				t.Fatal("save refused")
			}
			// Unknown label, unknown question, second label on a single choice.
			if st := a.save(sb.AttemptID, q0.ID, []string{"Z"}, 2); st != 400 {
				t.Errorf("unknown label: %d, want 400", st)
			}
			if st := a.save(sb.AttemptID, "12345", []string{"A"}, 2); st != 400 {
				t.Errorf("unknown question: %d, want 400", st)
			}
			if st := a.save(sb.AttemptID, q0.ID, []string{"A", "B"}, 2); st != 400 {
				t.Errorf("two labels on a single choice: %d, want 400", st)
			}
			// Resume: the same attempt, the saved answer in the examinee's letters.
			st, again := a.start(w.exam.ID)
			if st != 200 || again.AttemptID != sb.AttemptID || again.Answers[q0.ID].Seq != 1 || fmt.Sprint(again.Answers[q0.ID].Answer) != "[B]" {
				t.Fatalf("resume: %d %+v", st, again.Answers)
			}
			// The same paper in the same letters.
			for i := range sb.Questions {
				if fmt.Sprint(sb.Questions[i]) != fmt.Sprint(again.Questions[i]) {
					t.Fatalf("question %d differs on resume", i)
				}
			}
			var res map[string]any
			if st := a.call("POST", "/api/v1/attempts/"+sb.AttemptID+"/submit", nil, &res); st != 200 || res["grade_code"] == nil || res["pending_manual"] != false {
				t.Fatalf("submit: %d %v", st, res)
			}
			if st := a.save(sb.AttemptID, q0.ID, []string{"A"}, 9); st != 409 {
				t.Errorf("save after submission: %d, want 409", st)
			}
			var ab attemptBody
			if st := a.call("GET", "/api/v1/attempts/"+sb.AttemptID, nil, &ab); st != 200 || ab.State != "submitted" || ab.Result == nil {
				t.Fatalf("attempt: %d %+v", st, ab)
			}
			// The answer after submission is the one saved before it.
			if fmt.Sprint(ab.Answers[q0.ID].Answer) != "[B]" {
				t.Errorf("stored answer %v, want [B]", ab.Answers[q0.ID].Answer)
			}
		})
	}
}

// TestExamStaleSave: a save numbered at or below the stored one is
// accepted and changes nothing.
func TestExamStaleSave(t *testing.T) {
	w := newExamWorld(t, store.SQLite, false, nil)
	a := w.signIn("wangfang")
	_, sb := a.start(w.exam.ID)
	q := sb.Questions[0].ID
	for _, s := range []struct {
		answer string
		seq    int64
	}{{"C", 5}, {"A", 3}, {"B", 5}, {"D", 4}} {
		if st := a.save(sb.AttemptID, q, []string{s.answer}, s.seq); st != 204 {
			t.Fatalf("save %v: %d", s, st)
		}
	}
	var ab attemptBody
	a.call("GET", "/api/v1/attempts/"+sb.AttemptID, nil, &ab)
	if got := ab.Answers[q]; got.Seq != 5 || fmt.Sprint(got.Answer) != "[C]" {
		t.Errorf("stored %+v, want C at seq 5", got)
	}
	if st := a.save(sb.AttemptID, q, []string{"D"}, 6); st != 204 {
		t.Fatal(st)
	}
	a.call("GET", "/api/v1/attempts/"+sb.AttemptID, nil, &ab)
	if got := ab.Answers[q]; got.Seq != 6 || fmt.Sprint(got.Answer) != "[D]" {
		t.Errorf("stored %+v, want D at seq 6", got)
	}
}

// TestExamConcurrentStart: many simultaneous starts make one attempt.
func TestExamConcurrentStart(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			w := newExamWorld(t, d, false, nil)
			a := w.signIn("lina")
			const n = 20
			var wg sync.WaitGroup
			statuses, ids := make([]int, n), make([]string, n)
			for i := range n {
				wg.Go(func() {
					st, sb := a.start(w.exam.ID)
					statuses[i], ids[i] = st, sb.AttemptID
				})
			}
			wg.Wait()
			created := 0
			for i := range n {
				if statuses[i] == 201 {
					created++
				} else if statuses[i] != 200 {
					t.Errorf("start %d: status %d", i, statuses[i])
				}
				if ids[i] != ids[0] {
					t.Errorf("start %d: attempt %s, first %s", i, ids[i], ids[0])
				}
			}
			if created != 1 {
				t.Errorf("%d starts answered 201, want 1", created)
			}
			u, _ := w.e.db.FindUserByLogin(context.Background(), "lina")
			if sts, _ := w.e.db.FindSittings(context.Background(), w.exam.ID, u.ID); len(sts) != 1 {
				t.Errorf("%d attempts stored, want 1", len(sts))
			}
		})
	}
}

// TestExamIdempotentSubmit: fifty simultaneous submits make one
// submission, and every one of them answers the same result.
func TestExamIdempotentSubmit(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			w := newExamWorld(t, d, false, nil)
			a := w.signIn("chenjing")
			_, sb := a.start(w.exam.ID)
			for i, q := range sb.Questions {
				ans := "A"
				if q.Type == "truefalse" || len(q.Options) == 0 {
					ans = "true"
				}
				if st := a.save(sb.AttemptID, q.ID, []string{ans}, int64(i+1)); st != 204 {
					t.Fatalf("save %d: %d", i, st)
				}
			}
			const n = 50
			var wg sync.WaitGroup
			bodies, statuses := make([]string, n), make([]int, n)
			for i := range n {
				wg.Go(func() {
					var res map[string]any
					statuses[i] = a.call("POST", "/api/v1/attempts/"+sb.AttemptID+"/submit", nil, &res)
					bodies[i] = fmt.Sprint(res)
				})
			}
			wg.Wait()
			for i := range n {
				if statuses[i] != 200 || bodies[i] != bodies[0] {
					t.Errorf("submit %d: %d %s, first %s", i, statuses[i], bodies[i], bodies[0])
				}
			}
			u, _ := w.e.db.FindUserByLogin(context.Background(), "chenjing")
			sts, _ := w.e.db.FindSittings(context.Background(), w.exam.ID, u.ID)
			if len(sts) != 1 || sts[0].State != exam.Submitted || sts[0].AutoSubmitted {
				t.Fatalf("attempts after 50 submits: %+v", sts)
			}
			// A later submit still answers the stored result, not a new one.
			first := sts[0].SubmittedAt
			w.e.db.Clock() // the same clock the server uses
			var res map[string]any
			a.call("POST", "/api/v1/attempts/"+sb.AttemptID+"/submit", nil, &res)
			sts, _ = w.e.db.FindSittings(context.Background(), w.exam.ID, u.ID)
			if !sts[0].SubmittedAt.Equal(first) || fmt.Sprint(res) != bodies[0] {
				t.Errorf("a later submit changed the submission: %v %v", sts[0].SubmittedAt, res)
			}
		})
	}
}

// TestExamDeadlineAndGrace runs an attempt on a hand-moved clock: saves
// are stored until the deadline plus the grace, then refused, and the
// attempt is submitted with its last saved answers.
func TestExamDeadlineAndGrace(t *testing.T) {
	w := newExamWorld(t, store.SQLite, true, func(e *exam.Exam) { e.Window.Grace = 30 * time.Second })
	a := w.signIn("huangmin")
	_, sb := a.start(w.exam.ID)
	q := sb.Questions[0].ID
	if sb.RemainingSeconds != 3600 {
		t.Errorf("remaining %d s at start, want 3600", sb.RemainingSeconds)
	}
	// Past the idle timeout (30 min) with no request: the exam keeps the
	// sign-in alive.
	w.e.clock.Advance(45 * time.Minute)
	if st := a.save(sb.AttemptID, q, []string{"A"}, 1); st != 204 {
		t.Fatalf("save after 45 idle minutes: %d", st)
	}
	w.e.clock.Advance(15*time.Minute + 29*time.Second) // 29 s into the grace
	if st := a.save(sb.AttemptID, q, []string{"B"}, 2); st != 204 {
		t.Fatalf("save within the grace: %d", st)
	}
	var ab attemptBody
	if a.call("GET", "/api/v1/attempts/"+sb.AttemptID, nil, &ab); ab.State != "open" {
		t.Fatalf("state within the grace: %s", ab.State)
	}
	w.e.clock.Advance(time.Second) // the grace has ended
	if st := a.save(sb.AttemptID, q, []string{"C"}, 3); st != 409 {
		t.Errorf("save at the end of the grace: %d, want 409", st)
	}
	n, err := w.e.web.SubmitDue(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("SubmitDue: %d %v", n, err)
	}
	a.call("GET", "/api/v1/attempts/"+sb.AttemptID, nil, &ab)
	if ab.State != "submitted" || fmt.Sprint(ab.Answers[q].Answer) != "[B]" {
		t.Fatalf("after the grace: %+v", ab)
	}
	u, _ := w.e.db.FindUserByLogin(context.Background(), "huangmin")
	sts, _ := w.e.db.FindSittings(context.Background(), w.exam.ID, u.ID)
	if !sts[0].AutoSubmitted {
		t.Error("not marked as submitted by the server")
	}
	if n, _ := w.e.web.SubmitDue(context.Background()); n != 0 {
		t.Errorf("second sweep submitted %d", n)
	}
}

// TestExamWindowClosesFirst: an attempt started 20 minutes before the
// window closes ends when it closes, not an hour later.
func TestExamWindowClosesFirst(t *testing.T) {
	w := newExamWorld(t, store.SQLite, true, func(e *exam.Exam) {
		e.Window.Closes = e.Window.Opens.Add(time.Hour + 20*time.Minute)
		e.MaxAttempts = 1
	})
	a := w.signIn("zhaolei")
	_, sb := a.start(w.exam.ID)
	// Stored times keep milliseconds, and remaining seconds round down.
	if sb.RemainingSeconds != 20*60 && sb.RemainingSeconds != 20*60-1 {
		t.Errorf("remaining %d s, want 1200", sb.RemainingSeconds)
	}
	w.e.clock.Advance(20*time.Minute + time.Minute + time.Second) // past the grace
	var ab attemptBody
	if a.call("GET", "/api/v1/attempts/"+sb.AttemptID, nil, &ab); ab.State != "submitted" {
		t.Errorf("state after close and grace: %s (reading an attempt past its grace submits it)", ab.State)
	}
	// The window is closed, and the one attempt is used.
	var e map[string]any
	if st := a.call("POST", "/api/v1/exams/"+w.exam.ID.String()+"/attempts", nil, &e); st != 409 && st != 403 {
		t.Errorf("start after close: %d %v", st, e)
	}
}

// TestExamAttemptsAndWindow: 409 when no attempts are left, 403 outside
// the window.
func TestExamAttemptsAndWindow(t *testing.T) {
	w := newExamWorld(t, store.SQLite, true, func(e *exam.Exam) { e.MaxAttempts = 1 })
	a := w.signIn("wuxia")
	_, sb := a.start(w.exam.ID)
	a.call("POST", "/api/v1/attempts/"+sb.AttemptID+"/submit", nil, nil)
	var e map[string]map[string]string
	if st := a.call("POST", "/api/v1/exams/"+w.exam.ID.String()+"/attempts", nil, &e); st != 409 || !strings.Contains(e["error"]["message"], "次考试机会已用完") {
		t.Errorf("second attempt: %d %v", st, e)
	}
	w.e.clock.Advance(25 * time.Hour)
	b := w.signIn("xuqiang")
	if st := b.call("POST", "/api/v1/exams/"+w.exam.ID.String()+"/attempts", nil, &e); st != 403 || !strings.Contains(e["error"]["message"], "不在本场考试的时间内") {
		t.Errorf("start after the window: %d %v", st, e)
	}
}

// TestExamAuthorization: another examinee's attempt is not found, an exam
// one does not sit is not found, and keys stay hidden until review opens.
func TestExamAuthorization(t *testing.T) {
	w := newExamWorld(t, store.SQLite, true, nil)
	a, b := w.signIn("sunyan"), w.signIn("majun")
	_, sb := a.start(w.exam.ID)
	q := sb.Questions[0].ID
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/v1/attempts/" + sb.AttemptID},
		{"POST", "/api/v1/attempts/" + sb.AttemptID + "/submit"},
	} {
		if st := b.call(c.method, c.path, nil, nil); st != 404 {
			t.Errorf("%s %s by another examinee: %d, want 404", c.method, c.path, st)
		}
	}
	if st := b.save(sb.AttemptID, q, []string{"A"}, 1); st != 404 {
		t.Errorf("save into another's attempt: %d, want 404", st)
	}
	// The reviewers are no examinees: the exam is not theirs.
	r := w.signIn("reviewer1")
	if st, _ := r.start(w.exam.ID); st != 404 {
		t.Errorf("start by a non-sitter: %d, want 404", st)
	}

	// Keys: never in the start body; not after submission while the
	// window is open (review after close); present once it closes.
	keysOf := func(ctx context.Context) []string {
		var keys []string
		for _, it := range w.paper(t, sb.AttemptID).Items {
			qq, _ := w.e.db.FindQuestionByID(ctx, it.QuestionID)
			if qq.Analysis != "" {
				keys = append(keys, qq.Analysis)
			}
		}
		return keys
	}
	raw := a.raw("POST", "/api/v1/exams/"+w.exam.ID.String()+"/attempts")
	for _, k := range keysOf(context.Background()) {
		if strings.Contains(raw, k) {
			t.Fatalf("the start body holds an analysis: %q", k)
		}
	}
	if strings.Contains(raw, `"answer":["`) && !strings.Contains(raw, `"answers":{}`) {
		t.Fatalf("the start body holds answers before any save: %s", raw[:200])
	}
	a.call("POST", "/api/v1/attempts/"+sb.AttemptID+"/submit", nil, nil)
	var ab attemptBody
	a.call("GET", "/api/v1/attempts/"+sb.AttemptID, nil, &ab)
	if ab.Keys != nil {
		t.Error("keys shown before the window closed (review after close)")
	}
	w.e.clock.Advance(25 * time.Hour)
	a = w.signIn("sunyan") // the sign-in of yesterday has expired
	ab = attemptBody{}
	a.call("GET", "/api/v1/attempts/"+sb.AttemptID, nil, &ab)
	if len(ab.Keys) != 15 {
		t.Errorf("keys after close: %d, want 15", len(ab.Keys))
	}
}

func (w *examWorld) paper(t *testing.T, attemptID string) exam.Paper {
	id, _ := app.ParseID("id", attemptID)
	st, err := w.e.db.FindSitting(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return st.Paper
}

func (a *api) raw(method, path string) string {
	req, _ := http.NewRequest(method, a.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestExamSaveTouchesNoSession: a save writes the answer and nothing else
// (no session refresh, no audit row).
func TestExamSaveTouchesNoSession(t *testing.T) {
	w := newExamWorld(t, store.SQLite, true, nil)
	a := w.signIn("guojing")
	_, sb := a.start(w.exam.ID)
	before := auditCount(t, w.e)
	w.e.clock.Advance(10 * time.Minute) // the session's last-seen is stale
	for i, q := range sb.Questions {
		if st := a.save(sb.AttemptID, q.ID, []string{"A"}, int64(i+1)); st != 204 && st != 400 {
			t.Fatalf("save: %d", st)
		}
	}
	if after := auditCount(t, w.e); after != before {
		t.Errorf("saves wrote %d audit rows", after-before)
	}
	sess := w.e.sessionOf(t, a.token)
	if !sess.LastSeenAt.Before(w.e.clock.Now().Add(-9 * time.Minute)) {
		t.Errorf("a save refreshed the session (last seen %v, now %v)", sess.LastSeenAt, w.e.clock.Now())
	}
}

func (e *env) sessionOf(t *testing.T, token string) *session.Session {
	t.Helper()
	sess, err := e.db.FindSession(context.Background(), e.auth.SessionID(token))
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

func auditCount(t *testing.T, e *env) int {
	t.Helper()
	_, n, err := e.db.FindAuditEntries(context.Background(), audit.Filter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestExamSaveAfterSignOut: the save path caches who a user is for a few
// seconds, but never a session: signing out stops saves at once.
func TestExamSaveAfterSignOut(t *testing.T) {
	w := newExamWorld(t, store.SQLite, false, nil)
	a := w.signIn("luoming")
	_, sb := a.start(w.exam.ID)
	q := sb.Questions[0].ID
	if st := a.save(sb.AttemptID, q, []string{"A"}, 1); st != 204 {
		t.Fatalf("save: %d", st)
	}
	if st := a.call("POST", "/api/v1/logout", nil, nil); st != 204 {
		t.Fatalf("logout: %d", st)
	}
	if st := a.save(sb.AttemptID, q, []string{"B"}, 2); st != 401 {
		t.Errorf("save after sign-out: %d, want 401", st)
	}
}

// TestExamMakeUp: a make-up exam is closed to those who passed the exam
// it makes up, and open to those who failed it or did not sit it.
func TestExamMakeUp(t *testing.T) {
	w := newExamWorld(t, store.SQLite, false, nil)
	ctx := context.Background()
	makeUp := *w.exam
	makeUp.ID, makeUp.Title, makeUp.MakeUpOf = 0, "补考", w.exam.ID
	if err := w.e.db.CreateExam(ctx, &makeUp); err != nil {
		t.Fatal(err)
	}
	record := func(login string, passed bool) {
		u, _ := w.e.db.FindUserByLogin(ctx, login)
		now := w.e.now()
		st := &exam.Sitting{ExamID: w.exam.ID, UserID: u.ID, OrgID: u.OrgID, Started: now.Add(-time.Hour), Deadline: now, GraceEnd: now,
			State: exam.Submitted, SubmittedAt: now.Add(-time.Minute), Score: 50, Passed: passed}
		if passed {
			st.Score = 90
		}
		if err := w.e.db.RecordSitting(ctx, st, nil); err != nil {
			t.Fatal(err)
		}
	}
	record("wangfang", true)
	record("lina", false)
	var e map[string]map[string]string
	if st := w.signIn("wangfang").call("POST", "/api/v1/exams/"+makeUp.ID.String()+"/attempts", nil, &e); st != 403 || !strings.Contains(e["error"]["message"], "无需补考") {
		t.Errorf("make-up for one who passed: %d %v", st, e)
	}
	for _, login := range []string{"lina", "chenjing"} {
		if st, _ := w.signIn(login).start(makeUp.ID); st != 201 {
			t.Errorf("make-up for %s: %d, want 201", login, st)
		}
	}
}

// TestExamSaveAfterPasswordChange: a password change ends the person's
// other sessions, and the save path, which caches sessions for a second,
// notices at once on this node.
func TestExamSaveAfterPasswordChange(t *testing.T) {
	w := newExamWorld(t, store.SQLite, false, nil)
	phone, desk := w.signIn("songjia"), w.signIn("songjia")
	_, sb := phone.start(w.exam.ID)
	q := sb.Questions[0].ID
	if st := phone.save(sb.AttemptID, q, []string{"A"}, 1); st != 204 {
		t.Fatalf("save: %d", st)
	}
	if st := desk.call("POST", "/api/v1/password", map[string]string{"current": w.e.accounts["songjia"].Password, "new": "Xin-Mima#2026!"}, nil); st != 204 {
		t.Fatalf("password change: %d", st)
	}
	if st := phone.save(sb.AttemptID, q, []string{"B"}, 2); st != 401 {
		t.Errorf("save from the other session after a password change: %d, want 401", st)
	}
}
