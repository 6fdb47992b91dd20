package web

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/question"
	"pufa/internal/session"
)

// The exam's hot paths (start, save, submit) share this file with the
// JSON API and the exam pages, so both take the same decisions.
//
// Three caches keep the deadline rush off the database:
//   - questions by ID and content version, each rendered to JSON once
//     (stem and option texts) and composed per examinee with their own
//     lettering;
//   - each exam's bank for drawing, for a minute, so a hall starting at
//     once loads it once;
//   - each attempt's paper and clock, which never change once drawn.
// None holds anything that decides whether a write is allowed: the
// attempt's state is checked by the save statement itself.

// examCaches holds the exam caches of one server.
type examCaches struct {
	mu        sync.Mutex
	questions map[app.ID]*cachedQuestion
	banks     map[app.ID]*cachedBank
	sittings  map[app.ID]*cachedSitting
	// bankLoad serializes bank loads so a thousand simultaneous starts
	// read the bank once.
	bankLoad sync.Mutex
}

// cachedQuestion is a question with its JSON fragments rendered once.
type cachedQuestion struct {
	q       *question.Stored
	version string
	stem    json.RawMessage   // the stem as a JSON string
	options []json.RawMessage // each option's text as a JSON string
}

type cachedBank struct {
	loaded time.Time
	cands  []exam.Candidate
}

// cachedSitting is what a save needs of its attempt, all fixed at the draw.
type cachedSitting struct {
	id, examID, userID app.ID
	graceEnd           time.Time
	items              map[app.ID]exam.Item
}

// maxCachedSittings bounds the attempt cache; past it, attempts whose
// grace has ended are dropped first, then everything.
const maxCachedSittings = 50_000

// bankTTL is how long a drawn-from bank is reused.
const bankTTL = time.Minute

func newExamCaches() *examCaches {
	return &examCaches{questions: map[app.ID]*cachedQuestion{}, banks: map[app.ID]*cachedBank{}, sittings: map[app.ID]*cachedSitting{}}
}

func renderQuestion(q *question.Stored) *cachedQuestion {
	c := &cachedQuestion{q: q, version: q.Key()}
	c.stem, _ = json.Marshal(q.Stem)
	for _, o := range q.Options {
		b, _ := json.Marshal(o.Text)
		c.options = append(c.options, b)
	}
	return c
}

// question returns a bank question, from the cache when it holds this
// version.
func (s *Server) question(ctx context.Context, id app.ID) (*cachedQuestion, error) {
	s.exams.mu.Lock()
	c := s.exams.questions[id]
	s.exams.mu.Unlock()
	if c != nil {
		return c, nil
	}
	q, err := s.db.FindQuestionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	c = renderQuestion(q)
	s.exams.mu.Lock()
	s.exams.questions[id] = c
	s.exams.mu.Unlock()
	return c, nil
}

// paperQuestions returns the questions of a paper by ID.
func (s *Server) paperQuestions(ctx context.Context, p exam.Paper) (map[app.ID]*cachedQuestion, error) {
	out := make(map[app.ID]*cachedQuestion, len(p.Items))
	for _, it := range p.Items {
		c, err := s.question(ctx, it.QuestionID)
		if err != nil {
			return nil, err
		}
		out[it.QuestionID] = c
	}
	return out, nil
}

// bank returns the questions an exam draws from: every answered question
// in the banks of its office and the regions above it.
func (s *Server) bank(ctx context.Context, e *exam.Exam) ([]exam.Candidate, error) {
	now := s.clock.Now()
	s.exams.mu.Lock()
	b := s.exams.banks[e.ID]
	s.exams.mu.Unlock()
	if b != nil && now.Sub(b.loaded) < bankTTL {
		return b.cands, nil
	}
	s.exams.bankLoad.Lock()
	defer s.exams.bankLoad.Unlock()
	s.exams.mu.Lock()
	b = s.exams.banks[e.ID]
	s.exams.mu.Unlock()
	if b != nil && now.Sub(b.loaded) < bankTTL {
		return b.cands, nil
	}
	qs, err := s.db.FindBank(ctx, org.PathsUp(e.OrgPath))
	if err != nil {
		return nil, err
	}
	cands := make([]exam.Candidate, 0, len(qs))
	s.exams.mu.Lock()
	for _, q := range qs {
		cands = append(cands, exam.Candidate{ID: q.ID, Q: q.Question, Tags: q.Tags})
		if c := s.exams.questions[q.ID]; c == nil || c.version != q.Key() {
			s.exams.questions[q.ID] = renderQuestion(q)
		}
	}
	s.exams.banks[e.ID] = &cachedBank{loaded: now, cands: cands}
	s.exams.mu.Unlock()
	return cands, nil
}

func (s *Server) cacheSitting(st *exam.Sitting) *cachedSitting {
	c := &cachedSitting{id: st.ID, examID: st.ExamID, userID: st.UserID, graceEnd: st.GraceEnd, items: make(map[app.ID]exam.Item, len(st.Paper.Items))}
	for _, it := range st.Paper.Items {
		c.items[it.QuestionID] = it
	}
	now := s.clock.Now()
	s.exams.mu.Lock()
	defer s.exams.mu.Unlock()
	if len(s.exams.sittings) >= maxCachedSittings {
		for id, v := range s.exams.sittings {
			if now.After(v.graceEnd) {
				delete(s.exams.sittings, id)
			}
		}
		if len(s.exams.sittings) >= maxCachedSittings {
			clear(s.exams.sittings)
		}
	}
	s.exams.sittings[st.ID] = c
	return c
}

// mySitting returns the caller's attempt for a save. Another person's
// attempt is not found, whoever asks.
func (s *Server) mySitting(ctx context.Context, id app.ID) (*cachedSitting, error) {
	s.exams.mu.Lock()
	c := s.exams.sittings[id]
	s.exams.mu.Unlock()
	if c == nil {
		st, err := s.db.FindSitting(ctx, id)
		if err != nil {
			return nil, err
		}
		c = s.cacheSitting(st)
	}
	if a := app.ActorFrom(ctx); a == nil || a.UserID != c.userID {
		return nil, errAttemptNotFound
	}
	return c, nil
}

var errAttemptNotFound = app.Errorf(app.ENOTFOUND, "答卷不存在")

// loadMySitting reads the caller's attempt in full (not for the save
// path): another person's attempt is not found.
func (s *Server) loadMySitting(ctx context.Context, id app.ID) (*exam.Sitting, *exam.Exam, error) {
	st, err := s.db.FindSitting(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if a := app.ActorFrom(ctx); a == nil || a.UserID != st.UserID {
		return nil, nil, errAttemptNotFound
	}
	e, err := s.db.FindExamByID(ctx, st.ExamID)
	if err != nil {
		return nil, nil, err
	}
	if st.State == exam.Open && !st.GraceEnd.After(s.clock.Now()) {
		// Its grace has ended: submit it now rather than wait for the
		// sweep, so nobody sees an attempt that looks open but is over.
		if st, err = s.submitSitting(ctx, st, e, true); err != nil {
			return nil, nil, err
		}
	}
	return st, e, nil
}

// mySittingInPath loads the caller's attempt named by the path's {id}.
func (s *Server) mySittingInPath(r *http.Request) (*exam.Sitting, *exam.Exam, error) {
	id, err := pathID(r, "id", "答卷")
	if err != nil {
		return nil, nil, err
	}
	return s.loadMySitting(r.Context(), id)
}

// examinee is what the exam rules read of a person.
type examinee struct {
	user    *account.User
	orgPath string
}

func examineeFrom(ctx context.Context) examinee {
	u, _ := ctx.Value(userKey).(*account.User)
	a := app.ActorFrom(ctx)
	return examinee{user: u, orgPath: a.OrgPath}
}

// examFor returns an exam the caller sits; an exam they do not sit is not
// found.
func (s *Server) examFor(ctx context.Context, id app.ID) (*exam.Exam, error) {
	e, err := s.db.FindExamByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p := examineeFrom(ctx)
	if p.user == nil || !e.Sitters.Includes(p.orgPath, p.user.Roles, p.user.Rank) {
		return nil, app.Errorf(app.ENOTFOUND, "考试不存在")
	}
	return e, nil
}

// openExam is an exam open to the caller now, with their attempts.
type openExam struct {
	Exam     *exam.Exam
	Window   exam.Window
	Sittings []*exam.Sitting
	// AttemptsLeft is -1 when unlimited.
	AttemptsLeft int
	// Open is the caller's attempt in progress, if any.
	Open *exam.Sitting
	// MakeUpBlocked says a make-up exam is closed to this person (they
	// passed the exam it makes up).
	MakeUpBlocked bool
}

// myExams lists the exams the caller sits, open now or not, with their
// attempts; it is the list both the API and the pages show.
func (s *Server) myExams(ctx context.Context) ([]openExam, error) {
	p := examineeFrom(ctx)
	if p.user == nil {
		return nil, nil
	}
	exams, _, err := s.db.FindExams(ctx, exam.ExamFilter{ForPath: p.orgPath, Limit: 200})
	if err != nil {
		return nil, err
	}
	var out []openExam
	for _, e := range exams {
		if !e.Sitters.Includes(p.orgPath, p.user.Roles, p.user.Rank) {
			continue
		}
		oe, err := s.examState(ctx, e, p)
		if err != nil {
			return nil, err
		}
		out = append(out, oe)
	}
	return out, nil
}

func (s *Server) examState(ctx context.Context, e *exam.Exam, p examinee) (openExam, error) {
	oe := openExam{Exam: e, Window: e.WindowFor(p.orgPath), AttemptsLeft: -1}
	sts, err := s.db.FindSittings(ctx, e.ID, p.user.ID)
	if err != nil {
		return oe, err
	}
	oe.Sittings = sts
	for _, st := range sts {
		if st.State == exam.Open {
			oe.Open = st
		}
	}
	if e.MaxAttempts > 0 {
		oe.AttemptsLeft = max(e.MaxAttempts-len(sts), 0)
	}
	if e.MakeUpOf != 0 {
		prev, err := s.db.FindSittings(ctx, e.MakeUpOf, p.user.ID)
		if err != nil {
			return oe, err
		}
		for _, st := range prev {
			if st.State == exam.Submitted && st.Passed && !st.PendingManual {
				oe.MakeUpBlocked = true
			}
		}
	}
	return oe, nil
}

// startAttempt starts the caller's next attempt at exam id, or resumes the
// one in progress. created says which.
func (s *Server) startAttempt(ctx context.Context, id app.ID) (*exam.Sitting, *exam.Exam, bool, error) {
	e, err := s.examFor(ctx, id)
	if err != nil {
		return nil, nil, false, err
	}
	p := examineeFrom(ctx)
	w := e.WindowFor(p.orgPath)
	for range 2 {
		now := s.clock.Now()
		st, created, err := s.db.StartAttempt(ctx, e, p.user.ID, p.user.OrgID, e.MaxAttempts, func(no int) (exam.Sitting, error) {
			// Checked here, where no attempt is open: an attempt in
			// progress resumes whatever the window says.
			if !w.CanStart(now) {
				return exam.Sitting{}, app.Errorf(app.EFORBIDDEN, "现在不在本场考试的时间内（%s 至 %s）", w.Opens.In(app.Shanghai).Format("2006-01-02 15:04"), w.Closes.In(app.Shanghai).Format("2006-01-02 15:04"))
			}
			if e.MakeUpOf != 0 {
				oe, err := s.examState(ctx, e, p)
				if err != nil {
					return exam.Sitting{}, err
				}
				if oe.MakeUpBlocked {
					return exam.Sitting{}, app.Errorf(app.EFORBIDDEN, "您已通过本次补考对应的考试，无需补考")
				}
			}
			paper, err := s.drawPaper(ctx, e, p.user, no)
			if err != nil {
				return exam.Sitting{}, err
			}
			return exam.Sitting{Paper: paper, Started: now, Deadline: w.Deadline(now), GraceEnd: w.GraceEnd(now)}, nil
		})
		if err != nil {
			return nil, nil, false, err
		}
		if !created && !st.GraceEnd.After(now) {
			// Left open past its grace: submit it, then start afresh.
			if _, err := s.submitSitting(ctx, st, e, true); err != nil {
				return nil, nil, false, err
			}
			continue
		}
		s.cacheSitting(st)
		// Keep the sign-in alive until the grace ends, whatever the idle
		// timeout: one session write per start, none per save.
		if sess, _ := ctx.Value(sessionKey).(*session.Session); sess != nil && sess.KeepAliveUntil.Before(st.GraceEnd) {
			if err := s.auth.KeepAlive(ctx, sess.ID, st.GraceEnd); err != nil {
				return nil, nil, false, err
			}
		}
		return st, e, created, nil
	}
	return nil, nil, false, app.Errorf(app.ECONFLICT, "无法开始考试，请稍后重试")
}

// drawPaper draws attempt no's paper for u.
func (s *Server) drawPaper(ctx context.Context, e *exam.Exam, u *account.User, no int) (exam.Paper, error) {
	seed := e.Seed(u.ID, no)
	if len(e.Fixed) > 0 {
		n := map[app.ID]int{}
		for _, it := range e.Fixed {
			c, err := s.question(ctx, it.QuestionID)
			if err != nil {
				return exam.Paper{}, err
			}
			n[it.QuestionID] = len(c.q.Options)
		}
		return e.FixedPaper(seed, n), nil
	}
	bank, err := s.bank(ctx, e)
	if err != nil {
		return exam.Paper{}, err
	}
	paper, err := exam.Draw(bank, e.RulesFor(u.Rank), seed)
	if err != nil {
		// The office set rules the bank cannot fill: the examinee can do
		// nothing about it, so say whom to tell.
		return exam.Paper{}, app.Errorf(app.ECONFLICT, "试卷无法生成（%s），请联系考试组织单位", app.ErrorMessage(err))
	}
	return paper, nil
}

// saveAnswer stores the caller's answer to one question, given in display
// letters.
func (s *Server) saveAnswer(ctx context.Context, attemptID, questionID app.ID, given []string, seq int64) error {
	c, err := s.mySitting(ctx, attemptID)
	if err != nil {
		return err
	}
	it, ok := c.items[questionID]
	if !ok {
		return app.Invalid("question", "本试卷没有这道题")
	}
	if seq < 0 {
		return app.Invalid("seq", "序号不能为负")
	}
	if len(given) > 26 {
		return app.Invalid("answer", "答案过多")
	}
	for _, g := range given {
		if len(g) > 20_000 {
			return app.Invalid("answer", "答案过长（上限约 6,000 字）")
		}
	}
	q, err := s.question(ctx, questionID)
	if err != nil {
		return err
	}
	orig, err := exam.ToOriginal(q.q.Question, it, given)
	if err != nil {
		return err
	}
	if !s.clock.Now().Before(c.graceEnd) {
		return app.Errorf(app.ECONFLICT, "考试时间已到，答案未能保存")
	}
	return s.db.SaveAnswer(ctx, attemptID, questionID, orig, seq)
}

// submitSitting marks and submits an attempt; on a submitted one it
// returns the stored result.
func (s *Server) submitSitting(ctx context.Context, st *exam.Sitting, e *exam.Exam, auto bool) (*exam.Sitting, error) {
	if st.State != exam.Open {
		return st, nil
	}
	qs, err := s.paperQuestions(ctx, st.Paper)
	if err != nil {
		return nil, err
	}
	plain := make(map[app.ID]question.Question, len(qs))
	for id, c := range qs {
		plain[id] = c.q.Question
	}
	return s.db.SubmitAttempt(ctx, st.ID, auto, func(answers map[app.ID]exam.Answer) exam.Result {
		return exam.Score(st.Paper, plain, answers, e.Grading)
	})
}

// SubmitDue submits the attempts whose grace has ended, with their last
// saved answers; the server calls it every few seconds. It returns how
// many it submitted.
func (s *Server) SubmitDue(ctx context.Context) (int, error) {
	ids, err := s.db.FindDueSittings(ctx, s.clock.Now(), 500)
	if err != nil {
		return 0, err
	}
	exams := map[app.ID]*exam.Exam{}
	n := 0
	for _, id := range ids {
		st, err := s.db.FindSitting(ctx, id)
		if err != nil {
			return n, err
		}
		e := exams[st.ExamID]
		if e == nil {
			if e, err = s.db.FindExamByID(ctx, st.ExamID); err != nil {
				return n, err
			}
			exams[st.ExamID] = e
		}
		if _, err := s.submitSitting(ctx, st, e, true); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// gradeCode names a grade for machines: the default bands have names, a
// custom band is "band<N>" from the top.
func gradeCode(e *exam.Exam, grade string) string {
	switch grade {
	case exam.Excellent:
		return "excellent"
	case exam.Good:
		return "good"
	case exam.Qualified:
		return "qualified"
	case exam.Failed:
		return "failed"
	}
	for i, b := range e.Grading.Bands {
		if b.Grade == grade {
			return "band" + strconv.Itoa(i+1)
		}
	}
	return "unknown"
}

// remaining is the whole seconds left until t, never negative.
func remaining(now, t time.Time) int64 {
	return int64(math.Max(0, math.Floor(t.Sub(now).Seconds())))
}
