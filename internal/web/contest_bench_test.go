package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/contest"
	"pufa/internal/demo"
	"pufa/internal/password"
	"pufa/internal/question"
)

// BenchmarkLiveFinal runs one question of a live final per iteration with
// 50 or 200 finalists answering it at the same instant through the real
// handler, while 20 large screens and every finalist's phone follow by
// their event streams. It
// reports the answers stored per second, the answers' p99, and how long
// after the last answer was acknowledged every screen showed them all.
//
// Run with -benchtime=20x (a final has at most 100 questions).
//
// Target: p99 ≤ 100 ms per answer and every screen up to date within 1 s
// (the stream's own poll is 1 s; the hub's wake-up should beat it).
func BenchmarkLiveFinal(b *testing.B) {
	for _, n := range []int{50, 200} {
		b.Run(fmt.Sprintf("finalists=%d", n), func(b *testing.B) { benchLiveFinal(b, n, 20) })
	}
}

func benchLiveFinal(b *testing.B, finalists, screens int) {
	e := newEnv(b, envOptions{demo: true, logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	ctx := context.Background()
	root, _ := e.db.FindRootOrg(ctx)
	office := e.mustUser("office1")
	actx := app.WithActor(ctx, &app.Actor{UserID: office.ID, Login: "office1", OrgID: root.ID, OrgPath: root.Path})
	hash, err := password.FastForTests().Hash(ctx, "bench-pw-1!Aa")
	if err != nil {
		b.Fatal(err)
	}
	var users []*account.User
	for i := range finalists {
		users = append(users, &account.User{Login: fmt.Sprintf("final%03d", i), Name: fmt.Sprintf("选手%03d", i), OrgID: root.ID,
			Roles: []string{account.RoleExaminee}, PasswordHash: hash})
	}
	if err := e.db.CreateUsers(actx, users); err != nil {
		b.Fatal(err)
	}
	bank, err := e.db.FindBank(ctx, []string{root.Path})
	if err != nil {
		b.Fatal(err)
	}
	var qs []*question.Stored
	for _, q := range bank {
		if q.Type == question.Single && q.Answered() && len(qs) < contest.MaxLiveQuestions {
			qs = append(qs, q)
		}
	}
	if b.N > len(qs) {
		b.Fatalf("run with -benchtime=%dx or fewer", len(qs))
	}
	cs, _ := e.db.FindContests(ctx, root.Path)
	c := cs[0]
	final := &contest.Final{Title: "压测决赛"}
	for _, q := range qs {
		final.Questions = append(final.Questions, contest.LiveQuestion{QuestionID: q.ID, Points: 10, Seconds: 600})
	}
	for i, u := range users {
		final.Finalists = append(final.Finalists, contest.Finalist{UserID: u.ID, Name: u.Name, Team: fmt.Sprint(i % 10), TeamName: fmt.Sprintf("第%d队", i%10)})
	}
	if err := e.db.ResetLive(actx, c.ID); err != nil {
		b.Fatal(err)
	}
	c.Final = final
	if err := e.db.UpdateContest(actx, c); err != nil {
		b.Fatal(err)
	}
	base := "/contests/" + c.ID.String()
	host := e.examinee("office1")
	clients := make([]*client, finalists)
	for i, u := range users {
		e.accounts[u.Login] = demo.Account{Login: u.Login, Password: "bench-pw-1!Aa"}
		clients[i] = e.examinee(u.Login)
	}

	// The screens: each reports the highest "answered" it has seen for
	// each question number.
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type seen struct {
		mu   sync.Mutex
		at   map[int]time.Time // question no -> when all had answered
		cond *sync.Cond
	}
	views := make([]*seen, screens)
	for i := range views {
		v := &seen{at: map[int]time.Time{}}
		v.cond = sync.NewCond(&v.mu)
		views[i] = v
		req, _ := http.NewRequestWithContext(sctx, "GET", e.srv.URL+base+"/live/stream", nil)
		resp, err := host.http.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		go func() {
			defer resp.Body.Close()
			sc := bufio.NewScanner(resp.Body)
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				data, ok := strings.CutPrefix(sc.Text(), "data: ")
				if !ok {
					continue
				}
				var st struct {
					No       int `json:"no"`
					Answered int `json:"answered"`
				}
				if json.Unmarshal([]byte(data), &st) == nil && st.Answered == finalists {
					v.mu.Lock()
					if _, ok := v.at[st.No]; !ok {
						v.at[st.No] = time.Now()
					}
					v.cond.Broadcast()
					v.mu.Unlock()
				}
			}
		}()
	}

	// Every finalist's phone follows its own stream too, as on the day.
	for _, c := range clients {
		req, _ := http.NewRequestWithContext(sctx, "GET", e.srv.URL+base+"/play/stream", nil)
		resp, err := c.http.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		go func() {
			defer resp.Body.Close()
			io.Copy(io.Discard, resp.Body)
		}()
	}

	var lat []time.Duration
	var lag []time.Duration
	var answering time.Duration
	b.ResetTimer()
	for n := 1; n <= b.N; n++ {
		if resp, body := host.post(base+"/live/next", nil); resp.StatusCode != http.StatusSeeOther {
			b.Fatalf("next: %d %s", resp.StatusCode, body)
		}
		right := qs[n-1].Answer[0]
		start := time.Now()
		times := make([]time.Duration, finalists)
		var wg sync.WaitGroup
		for i, c := range clients {
			wg.Go(func() {
				t0 := time.Now()
				resp, body := answerLive(c, base, n, right)
				times[i] = time.Since(t0)
				if resp.StatusCode != http.StatusOK {
					b.Errorf("answer: %d %s", resp.StatusCode, body)
				}
			})
		}
		wg.Wait()
		done := time.Now()
		answering += done.Sub(start)
		lat = append(lat, times...)
		for _, v := range views {
			v.mu.Lock()
			for {
				if _, ok := v.at[n]; ok {
					break
				}
				v.cond.Wait()
			}
			lag = append(lag, max(0, v.at[n].Sub(done)))
			v.mu.Unlock()
		}
		if resp, body := host.post(base+"/live/reveal", nil); resp.StatusCode != http.StatusSeeOther {
			b.Fatalf("reveal: %d %s", resp.StatusCode, body)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	slices.Sort(lag)
	b.ReportMetric(float64(len(lat))/answering.Seconds(), "answers/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lag[len(lag)-1].Microseconds())/1000, "screen-lag-max-ms")
}

func answerLive(c *client, base string, no int, given string) (*http.Response, string) {
	body, _ := json.Marshal(map[string]any{"no": no, "answer": []string{given}})
	return c.doBody("POST", base+"/play/answer", strings.NewReader(string(body)), false,
		map[string]string{"Content-Type": "application/json", "X-CSRF-Token": c.csrfCookie()})
}
