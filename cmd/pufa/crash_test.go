package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"pufa/internal/store"
	"pufa/internal/store/storetest"
)

// childEnv, when set, makes the test binary run `pufa` with the arguments
// it holds (separated by \x1f) instead of the tests: the crash test's
// server, which it kills with SIGKILL.
const childEnv = "PUFA_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childEnv); args != "" {
		ctx := withReady(context.Background(), func(addr string) { fmt.Printf("listening %s\n", addr) })
		os.Exit(run(ctx, strings.Split(args, "\x1f"), os.Getenv, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// child is a pufa server in its own process.
type child struct {
	cmd  *exec.Cmd
	addr string
}

func startChild(t *testing.T, e *testEnv, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	env := os.Environ()
	for k, v := range e.vars {
		env = append(env, k+"="+v)
	}
	cmd.Env = append(env, childEnv+"="+strings.Join(e.args(append(args, "--addr", "127.0.0.1:0")...), "\x1f"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
				addr <- a
			}
		}
		io.Copy(io.Discard, out)
	}()
	select {
	case a := <-addr:
		return &child{cmd: cmd, addr: "http://" + a}
	case <-time.After(60 * time.Second):
		t.Fatalf("the server did not start: %s", errb.String())
	}
	return nil
}

// kill ends the server the hard way: no shutdown, no deferred work.
func (c *child) kill(t *testing.T) {
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()
}

// ack is a save or submission the server acknowledged with 2xx.
type ack struct {
	attempt, question string
	seq               int64
	answer            string
	submit            bool
}

// crashClient is one examinee driving the exam API.
type crashClient struct {
	base, token, attempt string
	questions            []string
	hc                   *http.Client
}

func (c *crashClient) do(method, path string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func (c *crashClient) signIn(login, pw string) error {
	st, b, err := c.do("POST", "/api/v1/login", map[string]string{"login": login, "password": pw})
	if err != nil || st != 200 {
		return fmt.Errorf("sign-in %s: %d %v %s", login, st, err, b)
	}
	var out struct{ Token string }
	json.Unmarshal(b, &out)
	c.token = out.Token
	return nil
}

func (c *crashClient) start(examID string) error {
	st, b, err := c.do("POST", "/api/v1/exams/"+examID+"/attempts", struct{}{})
	if err != nil || (st != 200 && st != 201) {
		return fmt.Errorf("start: %d %v %s", st, err, b)
	}
	var out struct {
		AttemptID string `json:"attempt_id"`
		Questions []struct{ ID string }
	}
	json.Unmarshal(b, &out)
	c.attempt = out.AttemptID
	c.questions = c.questions[:0]
	for _, q := range out.Questions {
		c.questions = append(c.questions, q.ID)
	}
	return nil
}

// TestCrashDurability kills the server with SIGKILL in the middle of a
// save load, restarts it, and checks that every save and submission it
// acknowledged with 2xx is there. PUFA_CRASH_ROUNDS and
// PUFA_CRASH_EXAMINEES make it longer (scripts/crash-test.sh).
func TestCrashDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills server processes")
	}
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) { testCrash(t, d) })
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func testCrash(t *testing.T, d store.Dialect) {
	rounds, examinees := envInt("PUFA_CRASH_ROUNDS", 2), envInt("PUFA_CRASH_EXAMINEES", 24)
	e := newEnv(t, d)
	code, out, errb := e.run("", "loadtest-fixture", "--examinees", strconv.Itoa(examinees), "--questions", "20")
	wantCode(t, "loadtest-fixture", code, 0, out, errb)
	var fx struct {
		ExamID   string   `json:"exam_id"`
		Logins   []string `json:"logins"`
		Password string   `json:"password"`
	}
	if err := json.Unmarshal([]byte(out), &fx); err != nil {
		t.Fatalf("fixture output: %v\n%s", err, out)
	}

	var mu sync.Mutex
	var acks []ack
	submitted := map[string]bool{} // attempts acknowledged as submitted
	for round := range rounds {
		srv := startChild(t, e, "serve")
		hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: examinees}}
		clients := make([]*crashClient, examinees)
		for i, login := range fx.Logins {
			c := &crashClient{base: srv.addr, hc: hc}
			if err := c.signIn(login, fx.Password); err != nil {
				t.Fatal(err)
			}
			if err := c.start(fx.ExamID); err != nil {
				t.Fatal(err)
			}
			clients[i] = c
		}
		// Every examinee saves back to back; every fourth submits after a
		// few saves and starts again (attempts are unlimited).
		var saved sync.WaitGroup
		enough := make(chan struct{})
		var wg sync.WaitGroup
		for i, c := range clients {
			saved.Add(1)
			wg.Go(func() {
				var signalled sync.Once
				defer signalled.Do(saved.Done)
				rng := rand.New(rand.NewPCG(uint64(i), uint64(round)))
				seq := int64(round * 1_000_000)
				n := 0
				for {
					q := c.questions[rng.IntN(len(c.questions))]
					seq++
					answer := string(rune('A' + rng.IntN(4)))
					st, _, err := c.do("PUT", "/api/v1/attempts/"+c.attempt+"/answers/"+q, map[string]any{"answer": []string{answer}, "seq": seq})
					if err != nil {
						return // the server is gone
					}
					if st == 204 {
						mu.Lock()
						acks = append(acks, ack{attempt: c.attempt, question: q, seq: seq, answer: answer})
						mu.Unlock()
					} else if st != 409 {
						t.Errorf("save: status %d", st)
						return
					}
					if n++; n == 20 {
						signalled.Do(saved.Done)
					}
					if i%4 == 0 && n%12 == 0 {
						st, _, err := c.do("POST", "/api/v1/attempts/"+c.attempt+"/submit", struct{}{})
						if err != nil {
							return
						}
						if st == 200 {
							mu.Lock()
							submitted[c.attempt] = true
							mu.Unlock()
						}
						if c.start(fx.ExamID) != nil {
							return
						}
					}
					select {
					case <-enough:
						return
					default:
					}
				}
			})
		}
		// Kill once every examinee has saved a few times, while all of
		// them still are.
		saved.Wait()
		time.Sleep(50 * time.Millisecond)
		srv.kill(t)
		close(enough)
		wg.Wait()
		hc.CloseIdleConnections()

		// Restart and check everything acknowledged so far, through the API.
		srv = startChild(t, e, "serve")
		checker := &crashClient{base: srv.addr, hc: hc}
		byAttempt := map[string][]ack{}
		mu.Lock()
		for _, a := range acks {
			byAttempt[a.attempt] = append(byAttempt[a.attempt], a)
		}
		total := len(acks)
		mu.Unlock()
		lost := 0
		for _, login := range fx.Logins {
			if err := checker.signIn(login, fx.Password); err != nil {
				t.Fatal(err)
			}
			for attempt, as := range byAttempt {
				st, b, err := checker.do("GET", "/api/v1/attempts/"+attempt, nil)
				if err != nil {
					t.Fatal(err)
				}
				if st == 404 {
					continue // someone else's
				}
				var got struct {
					State   string `json:"state"`
					Answers map[string]struct {
						Answer []string `json:"answer"`
						Seq    int64    `json:"seq"`
					} `json:"answers"`
				}
				json.Unmarshal(b, &got)
				// The highest acknowledged seq per question must be stored.
				last := map[string]ack{}
				for _, a := range as {
					if a.seq > last[a.question].seq {
						last[a.question] = a
					}
				}
				for q, a := range last {
					g, ok := got.Answers[q]
					if !ok || g.Seq < a.seq || (g.Seq == a.seq && !slices.Equal(g.Answer, []string{a.answer})) {
						lost++
						if lost <= 5 {
							t.Errorf("round %d: acknowledged save %s/%s seq %d (%s) lost: stored %+v", round, attempt, q, a.seq, a.answer, g)
						}
					}
				}
				if submitted[attempt] && got.State != "submitted" {
					t.Errorf("round %d: acknowledged submission of %s lost (state %s)", round, attempt, got.State)
				}
				delete(byAttempt, attempt)
			}
		}
		if len(byAttempt) > 0 {
			t.Errorf("round %d: %d attempts with acknowledged saves belong to nobody", round, len(byAttempt))
		}
		t.Logf("round %d: %d saves and %d submissions acknowledged so far, %d lost", round, total, len(submitted), lost)
		if total == 0 {
			t.Fatal("no save was acknowledged before the kill")
		}
		srv.kill(t)
	}
}
