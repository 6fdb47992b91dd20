package loadgen

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// errorPause is how long an examinee waits after a failure that may pass
// (a network error, 429, 5xx) before its next request, so a server that
// is down or shedding load is not hit in a busy loop.
const errorPause = 100 * time.Millisecond

// progressEvery is how often a running phase reports its counts.
const progressEvery = 10 * time.Second

// Run performs the run cfg describes and returns its report. It returns
// an error, and no report, when cfg is invalid or the server does not
// answer /healthz at the start; failed requests during the run are
// counted in the report, not returned. When ctx ends the run stops, the
// requests in flight are abandoned and the report covers what was done,
// marked Interrupted.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	n, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	r := &runner{
		cfg:  cfg,
		n:    n,
		c:    newClient(cfg.URL, max(n, cfg.SetupConcurrency), cfg.Timeout),
		acks: newAckLog(cfg.AckLog),
	}
	defer r.c.close()
	if err := r.c.healthz(ctx); err != nil {
		return nil, fmt.Errorf("服务器 %s 无响应（GET /healthz）：%w", cfg.URL, err)
	}
	if cfg.Mode != ModeHealthz {
		for _, login := range cfg.Fixture.Logins[:n] {
			r.examinees = append(r.examinees, &examinee{login: login})
		}
	}
	switch cfg.Mode {
	case ModeSaves:
		r.runSaves(ctx)
	case ModeStartWarm:
		r.runStartWarm(ctx)
	case ModeStartCold:
		r.runStartCold(ctx)
	case ModeHealthz:
		r.runHealthz(ctx, r.n)
	}
	rep := r.report(ctx.Err() != nil)
	return rep, r.acks.flush()
}

// runner holds one run's state.
type runner struct {
	cfg       Config
	n         int // examinees taking part, or clients in healthz mode
	c         *client
	acks      *ackLog
	errs      errorTally
	examinees []*examinee
	phases    []*phase
}

// examinee is one simulated examinee; only its own goroutine touches it
// during a phase.
type examinee struct {
	login     string
	token     string
	attemptID string
	questions []question
	seq       int64 // the last seq sent for the attempt
}

// question is one question of an examinee's paper.
type question struct {
	id      string
	choices []string // the answers a save picks one of
}

// questionsOf returns the questions of p that saves answer: those with
// options (a random label) and judgements ("true" or "false"). A paper
// with neither gets a short text for each of its questions.
func questionsOf(p *paper) []question {
	var out []question
	for _, q := range p.Questions {
		var choices []string
		for _, o := range q.Options {
			choices = append(choices, o.Label)
		}
		if len(choices) == 0 && q.Type == "truefalse" {
			choices = []string{"true", "false"}
		}
		if len(choices) > 0 {
			out = append(out, question{id: q.ID, choices: choices})
		}
	}
	if len(out) == 0 {
		for _, q := range p.Questions {
			out = append(out, question{id: q.ID, choices: []string{"压力测试"}})
		}
	}
	return out
}

// phase is one timed stage of a run.
type phase struct {
	name       string
	start, end time.Time
	ops        []*op
}

// op gathers one kind of request within a phase.
type op struct {
	name   string
	phase  *phase
	errs   *errorTally
	lat    Histogram // successful requests only
	ok     atomic.Int64
	failed atomic.Int64
	lastOK atomic.Int64 // nanoseconds from the phase's start to the latest success
}

// newPhase adds a phase with the named operations to the report.
func (r *runner) newPhase(name string, ops ...string) *phase {
	p := &phase{name: name}
	for _, o := range ops {
		p.ops = append(p.ops, &op{name: o, phase: p, errs: &r.errs})
	}
	r.phases = append(r.phases, p)
	return p
}

// op returns the phase's operation of that name.
func (p *phase) op(name string) *op {
	for _, o := range p.ops {
		if o.name == name {
			return o
		}
	}
	panic("loadgen: phase " + p.name + " has no operation " + name)
}

// record counts a request that began at begin and ended now with err. A
// failure after ctx ended is the interrupt's doing and is not counted.
func (o *op) record(ctx context.Context, begin time.Time, err error) {
	end := time.Now()
	switch {
	case err == nil:
		o.ok.Add(1)
		o.lat.Record(end.Sub(begin))
		storeMax(&o.lastOK, int64(end.Sub(o.phase.start)))
	case ctx.Err() != nil:
		// Cut off by the interrupt, not failed by the server.
	default:
		o.failed.Add(1)
		o.errs.add(o.name, err)
	}
}

// storeMax raises a to v if v is greater.
func storeMax(a *atomic.Int64, v int64) {
	for {
		cur := a.Load()
		if v <= cur || a.CompareAndSwap(cur, v) {
			return
		}
	}
}

// run calls f(0) … f(n-1), each on its own goroutine, within phase p, and
// returns when all have returned. With limit 0 they start together: the
// goroutines are created first and released at one moment, which is the
// phase's start. With limit > 0 at most limit run at a time, from the
// phase's start. A nil p runs an untimed step.
func (r *runner) run(ctx context.Context, p *phase, n, limit int, f func(i int)) {
	if p == nil {
		p = &phase{name: "warm-up"}
	} else {
		if limit == 0 {
			r.progressf("%s: %d at once", p.name, n)
		} else {
			r.progressf("%s: %d, at most %d at a time", p.name, n, limit)
		}
		defer func() { r.progressf("%s: done in %s", p.name, fmtDur(p.end.Sub(p.start))) }()
	}
	var wg sync.WaitGroup
	if limit == 0 {
		var ready sync.WaitGroup
		release := make(chan struct{})
		for i := range n {
			ready.Add(1)
			wg.Go(func() {
				ready.Done()
				<-release
				f(i)
			})
		}
		ready.Wait()
		p.start = time.Now()
		close(release)
	} else {
		p.start = time.Now()
		sem := make(chan struct{}, limit)
		for i := range n {
			wg.Go(func() {
				select {
				case sem <- struct{}{}:
				case <-ctx.Done():
					return
				}
				defer func() { <-sem }()
				if ctx.Err() == nil {
					f(i)
				}
			})
		}
	}
	stop := r.watch(p)
	wg.Wait()
	p.end = time.Now()
	stop()
}

// watch reports p's counts every progressEvery until stop is called.
func (r *runner) watch(p *phase) (stop func()) {
	if r.cfg.Progress == nil || len(p.ops) == 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				line := fmt.Sprintf("%s: %s", p.name, fmtDur(now.Sub(p.start)))
				for _, o := range p.ops {
					line += fmt.Sprintf(", %s %d ok %d failed", o.name, o.ok.Load(), o.failed.Load())
				}
				r.progressf("%s", line)
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

func (r *runner) progressf(format string, args ...any) {
	if r.cfg.Progress != nil {
		fmt.Fprintf(r.cfg.Progress, "loadtest: "+format+"\n", args...)
	}
}

// runSaves: setup, the save phase, the healthz phase, submit.
func (r *runner) runSaves(ctx context.Context) {
	setup := r.newPhase("setup", "sign-in", "start")
	r.run(ctx, setup, len(r.examinees), r.cfg.SetupConcurrency, func(i int) {
		e := r.examinees[i]
		if r.signIn(ctx, setup.op("sign-in"), e) {
			r.start(ctx, setup.op("start"), e)
		}
	})
	active := r.started()
	if ctx.Err() != nil {
		return
	}
	saves := r.newPhase("saves", "save")
	r.run(ctx, saves, len(active), 0, func(i int) { r.saveLoop(ctx, saves, active[i]) })
	if ctx.Err() != nil {
		return
	}
	if r.cfg.HealthzDuration > 0 {
		r.runHealthz(ctx, r.n)
	}
	r.submitAll(ctx, active)
}

// runStartWarm: sign in (untimed, bounded), open a connection each, then
// start all attempts at once.
func (r *runner) runStartWarm(ctx context.Context) {
	signIn := r.newPhase("sign-in", "sign-in")
	r.run(ctx, signIn, len(r.examinees), r.cfg.SetupConcurrency, func(i int) {
		r.signIn(ctx, signIn.op("sign-in"), r.examinees[i])
	})
	var signed []*examinee
	for _, e := range r.examinees {
		if e.token != "" {
			signed = append(signed, e)
		}
	}
	if ctx.Err() != nil {
		return
	}
	// One request each, all at once, leaves about one idle connection per
	// examinee in the pool, so the start latency is the server's and not
	// that of thousands of TCP handshakes. Best effort: its failures are
	// not counted.
	r.run(ctx, nil, len(signed), 0, func(int) { r.c.healthz(ctx) })
	start := r.newPhase("start", "start")
	r.run(ctx, start, len(signed), 0, func(i int) { r.start(ctx, start.op("start"), signed[i]) })
	if ctx.Err() != nil {
		return
	}
	r.submitAll(ctx, r.started())
}

// runStartCold: every examinee signs in at the same moment and then
// starts, with no limit on the client's side.
func (r *runner) runStartCold(ctx context.Context) {
	cold := r.newPhase("cold", "sign-in", "start")
	r.run(ctx, cold, len(r.examinees), 0, func(i int) {
		e := r.examinees[i]
		if r.signIn(ctx, cold.op("sign-in"), e) {
			r.start(ctx, cold.op("start"), e)
		}
	})
	if ctx.Err() != nil {
		return
	}
	r.submitAll(ctx, r.started())
}

// runHealthz has n goroutines call GET /healthz back to back for the
// healthz duration.
func (r *runner) runHealthz(ctx context.Context, n int) {
	p := r.newPhase("healthz", "healthz")
	o := p.op("healthz")
	r.run(ctx, p, n, 0, func(int) {
		end, cancel := context.WithDeadline(ctx, p.start.Add(r.cfg.HealthzDuration))
		defer cancel()
		for end.Err() == nil {
			begin := time.Now()
			err := r.c.healthz(ctx)
			o.record(ctx, begin, err)
			if err != nil && !sleep(end, errorPause) {
				return
			}
		}
	})
}

// submitAll submits the attempts of es at once, if the run asks for it.
func (r *runner) submitAll(ctx context.Context, es []*examinee) {
	if !r.cfg.Submit || len(es) == 0 {
		return
	}
	p := r.newPhase("submit", "submit")
	o := p.op("submit")
	r.run(ctx, p, len(es), 0, func(i int) {
		e := es[i]
		begin := time.Now()
		err := r.c.submit(ctx, e.token, e.attemptID)
		o.record(ctx, begin, err)
		if err == nil {
			r.acks.write(ack{Op: "submit", AttemptID: e.attemptID})
		}
	})
}

// signIn signs e in and reports whether it succeeded. A session that
// must change its password is used as it is: the fixture's examinees are
// not expected to need it, and if they do the server's refusals show in
// the report.
func (r *runner) signIn(ctx context.Context, o *op, e *examinee) bool {
	begin := time.Now()
	token, err := r.c.login(ctx, e.login, r.cfg.Fixture.Password)
	o.record(ctx, begin, err)
	e.token = token
	return err == nil
}

// start starts or resumes e's attempt and keeps its paper. The next seq
// is above any the attempt has stored, so no save of this run is stale.
func (r *runner) start(ctx context.Context, o *op, e *examinee) bool {
	begin := time.Now()
	p, err := r.c.start(ctx, e.token, r.cfg.Fixture.ExamID)
	o.record(ctx, begin, err)
	if err != nil {
		return false
	}
	e.attemptID = p.AttemptID
	e.questions = questionsOf(p)
	for _, a := range p.Answers {
		e.seq = max(e.seq, a.Seq)
	}
	return true
}

// started returns the examinees with an attempt.
func (r *runner) started() []*examinee {
	var out []*examinee
	for _, e := range r.examinees {
		if e.attemptID != "" {
			out = append(out, e)
		}
	}
	return out
}

// saveLoop saves random answers for e until the save phase ends: a
// random question of its paper, one of its options at random, the next
// seq. Think time is slept between saves; a request still in flight
// when the phase ends is waited for, and counts.
func (r *runner) saveLoop(ctx context.Context, p *phase, e *examinee) {
	o := p.op("save")
	if len(e.questions) == 0 {
		return
	}
	end, cancel := context.WithDeadline(ctx, p.start.Add(r.cfg.Duration))
	defer cancel()
	think := r.cfg.Think
	// A first pause drawn from [0, Max] spreads the examinees over the
	// think time from the start, instead of having them all save at the
	// same instant and drift apart only slowly.
	if think.Max > 0 && !sleep(end, rand.N(think.Max+1)) {
		return
	}
	for end.Err() == nil {
		q := e.questions[rand.IntN(len(e.questions))]
		answer := []string{q.choices[rand.IntN(len(q.choices))]}
		e.seq++
		begin := time.Now()
		err := r.c.save(ctx, e.token, e.attemptID, q.id, answer, e.seq)
		o.record(ctx, begin, err)
		pause := think.pause()
		switch {
		case err == nil:
			r.acks.write(ack{Op: "save", AttemptID: e.attemptID, QuestionID: q.id, Seq: e.seq, Answer: answer})
		case giveUp(err):
			return
		default:
			pause = max(pause, errorPause)
		}
		if pause > 0 && !sleep(end, pause) {
			return
		}
	}
}

// sleep waits for d and reports whether ctx was still live after it.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// ack is one line of the acknowledgement log.
type ack struct {
	Op         string   `json:"op"` // "save" or "submit"
	AttemptID  string   `json:"attempt_id"`
	QuestionID string   `json:"question_id,omitempty"`
	Seq        int64    `json:"seq,omitempty"`
	Answer     []string `json:"answer,omitempty"`
}

// ackLog writes acknowledgements as JSON lines, buffered: a block goes
// out whenever 64 KiB have gathered and the rest at the end of the run.
// Lines are lost only if the load generator itself dies, which makes the
// log claim less than the server acknowledged, never more.
type ackLog struct {
	mu sync.Mutex
	w  *bufio.Writer
}

// newAckLog returns a log writing to w, or nil, which logs nothing, for a
// nil w.
func newAckLog(w io.Writer) *ackLog {
	if w == nil {
		return nil
	}
	return &ackLog{w: bufio.NewWriterSize(w, 64<<10)}
}

func (l *ackLog) write(a ack) {
	if l == nil {
		return
	}
	b, _ := json.Marshal(a)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.Write(b)
	l.w.WriteByte('\n')
}

func (l *ackLog) flush() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.w.Flush(); err != nil {
		return fmt.Errorf("写确认日志：%w", err)
	}
	return nil
}
