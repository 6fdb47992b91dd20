package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestFmtDur(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0ns"},
		{850 * time.Nanosecond, "850ns"},
		{850 * time.Microsecond, "850µs"},
		{1250 * time.Microsecond, "1.25ms"},
		{12500 * time.Microsecond, "12.5ms"},
		{250 * time.Millisecond, "250ms"},
		{1250 * time.Millisecond, "1.25s"},
		{12500 * time.Millisecond, "12.5s"},
		{125 * time.Second, "125s"},
	} {
		if got := fmtDur(tc.d); got != tc.want {
			t.Errorf("fmtDur(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestRatio(t *testing.T) {
	for _, tc := range []struct{ a, b, want float64 }{
		{400, 10000, 0.04},
		{0, 10000, 0},
		{400, 0, 0},
	} {
		if got := ratio(tc.a, tc.b); got != tc.want {
			t.Errorf("ratio(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if got := perSecond(300, 30); got != 10 {
		t.Errorf("perSecond(300, 30) = %v", got)
	}
	if got := perSecond(300, 0); got != 0 {
		t.Errorf("perSecond(300, 0) = %v", got)
	}
}

// TestRunner_report builds a run's phases by hand, as the goroutines
// would have left them, and checks the report made from them.
func TestRunner_report(t *testing.T) {
	r := &runner{cfg: Config{Mode: ModeSaves, URL: "http://127.0.0.1:8080", Think: Think{5 * time.Second, 20 * time.Second}}, n: 2}
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	ctx := context.Background()

	saves := r.newPhase("saves", "save")
	saves.start, saves.end = t0, t0.Add(30*time.Second)
	save := saves.op("save")
	for i := range 300 {
		save.ok.Add(1)
		save.lat.Record(time.Duration(i+1) * time.Millisecond)
	}
	save.lastOK.Store(int64(29 * time.Second))
	save.record(ctx, time.Now(), &apiError{Status: 409, Code: "conflict", Message: "已交卷"})

	hz := r.newPhase("healthz", "healthz")
	hz.start, hz.end = t0.Add(31*time.Second), t0.Add(41*time.Second)
	hz.op("healthz").ok.Store(10000)

	never := r.newPhase("submit", "submit") // interrupted before it began
	_ = never

	// An interrupted request is not the server's failure.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	save.record(cancelled, time.Now(), context.Canceled)

	rep := r.report(false)
	if len(rep.Phases) != 2 {
		t.Fatalf("%d phases, want saves and healthz: %+v", len(rep.Phases), rep.Phases)
	}
	s := rep.Phases[0].Ops[0]
	if s.OK != 300 || s.Failed != 1 || s.PerSecond != 10 || s.LastOKSeconds != 29 || s.Latency.Count != 300 {
		t.Errorf("save row = %+v", s)
	}
	if rep.SaveHealthzRatio != 0.01 {
		t.Errorf("ratio = %v, want 10/1000", rep.SaveHealthzRatio)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Kind != "409 conflict" || rep.Errors[0].Count != 1 {
		t.Errorf("errors = %+v", rep.Errors)
	}
	if rep.Think != "5s-20s" || rep.Examinees != 2 {
		t.Errorf("header = %+v", rep)
	}

	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"pufa loadtest: mode saves, 2 examinees, think 5s-20s, http://127.0.0.1:8080\n",
		"phase       time  op            ok failed     ok/s      p50      p90      p95      p99      max  last ok\n",
		"saves      30.0s  save         300      1     10.0    150ms    269ms    284ms    297ms    300ms    29.0s\n", // percentiles at bucket midpoints
		"healthz    10.0s  healthz    10000      0   1000.0        -        -        -        -        -        -\n",
		"save rate / healthz rate: 0.010 (10.0 saves/s, 1000.0 healthz/s)\n",
		"  save     409 conflict                   1  e.g. \"HTTP 409 conflict: 已交卷\"\n",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}

	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"mode":"saves"`, `"per_second":10`, `"p99_ms":`, `"save_healthz_ratio":0.01`, `"kind":"409 conflict"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s: %s", want, b)
		}
	}
}

func TestQuestionsOf(t *testing.T) {
	var p paper
	if err := json.Unmarshal([]byte(`{"attempt_id":"a1","questions":[
		{"id":"q1","type":"single","stem":"…","options":[{"label":"A","text":"甲"},{"label":"B","text":"乙"}]},
		{"id":"q2","type":"truefalse","stem":"…"},
		{"id":"q3","type":"essay","stem":"…"}],
		"answers":{"q1":{"answer":["A"],"seq":7}}}`), &p); err != nil {
		t.Fatal(err)
	}
	got := questionsOf(&p)
	if want := "[{q1 [A B]} {q2 [true false]}]"; fmt.Sprint(got) != want {
		t.Errorf("questionsOf = %v, want %s", got, want)
	}
	if p.Answers["q1"].Seq != 7 {
		t.Errorf("seq of q1 = %d", p.Answers["q1"].Seq)
	}

	p.Questions = p.Questions[2:]
	if got, want := fmt.Sprint(questionsOf(&p)), "[{q3 [压力测试]}]"; got != want {
		t.Errorf("essays only: %s, want %s", got, want)
	}
}

func TestAckLog(t *testing.T) {
	var buf bytes.Buffer
	l := newAckLog(&buf)
	l.write(ack{Op: "save", AttemptID: "a1", QuestionID: "q3", Seq: 12, Answer: []string{"B"}})
	l.write(ack{Op: "submit", AttemptID: "a1"})
	if err := l.flush(); err != nil {
		t.Fatal(err)
	}
	want := `{"op":"save","attempt_id":"a1","question_id":"q3","seq":12,"answer":["B"]}` + "\n" + `{"op":"submit","attempt_id":"a1"}` + "\n"
	if buf.String() != want {
		t.Errorf("log:\n%s\nwant:\n%s", buf.String(), want)
	}
	// No log: writing is a no-op.
	var none *ackLog
	none.write(ack{Op: "save"})
	if err := none.flush(); err != nil {
		t.Error(err)
	}
}
