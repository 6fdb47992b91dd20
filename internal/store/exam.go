package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/audit"
	"pufa/internal/exam"
)

var _ exam.Store = (*DB)(nil)

// examSettings is what an exam keeps in its settings column: everything
// no query filters on.
type examSettings struct {
	DurationMS  int64          `json:"duration_ms"`
	GraceMS     int64          `json:"grace_ms"`
	MaxAttempts int            `json:"max_attempts"`
	Counts      exam.BestRule  `json:"counts"`
	Pass        float64        `json:"pass"`
	Bands       []assess.Band  `json:"bands"`
	Review      exam.Review    `json:"review"`
	Rules       exam.Rules     `json:"rules"`
	SeniorRules *exam.Rules    `json:"senior_rules,omitempty"`
	Fixed       []exam.Item    `json:"fixed,omitempty"`
	OnePaper    bool           `json:"one_paper"`
	Roles       []string       `json:"roles,omitempty"`
	Ranks       []account.Rank `json:"ranks,omitempty"`
	Slots       []slotJSON     `json:"slots,omitempty"`
}

type slotJSON struct {
	OrgID  app.ID `json:"org_id"`
	Opens  int64  `json:"opens"`
	Closes int64  `json:"closes"`
}

func settingsOf(e *exam.Exam) examSettings {
	s := examSettings{
		DurationMS: e.Window.Duration.Milliseconds(), GraceMS: e.Window.Grace.Milliseconds(),
		MaxAttempts: e.MaxAttempts, Counts: e.Counts, Pass: e.Grading.Pass, Bands: e.Grading.Bands, Review: e.Review,
		Rules: e.Rules, SeniorRules: e.SeniorRules, Fixed: e.Fixed, OnePaper: e.OnePaper,
		Roles: e.Sitters.Roles, Ranks: e.Sitters.Ranks,
	}
	for _, sl := range e.Slots {
		s.Slots = append(s.Slots, slotJSON{OrgID: sl.OrgID, Opens: ms(sl.Opens), Closes: ms(sl.Closes)})
	}
	return s
}

// checkExamOrgs resolves the org paths an exam names: its office, the
// root of its sitters (which must lie within the office's subtree) and its
// slots' units.
func (t *Tx) checkExamOrgs(ctx context.Context, e *exam.Exam) error {
	o, err := t.findOrgByID(ctx, e.OrgID)
	if err != nil {
		return app.Invalid("org", "组织单位不存在")
	}
	e.OrgPath = o.Path
	if e.Sitters.OrgPath == "" {
		e.Sitters.OrgPath = o.Path
	}
	if !strings.HasPrefix(e.Sitters.OrgPath, o.Path) {
		return app.Invalid("sitters", "参考范围应在本单位管辖范围之内")
	}
	for i := range e.Slots {
		so, err := t.findOrgByID(ctx, e.Slots[i].OrgID)
		if err != nil || !strings.HasPrefix(so.Path, o.Path) {
			return app.Invalid("slots", "第 %d 个时段的单位不存在或不在管辖范围之内", i+1)
		}
		e.Slots[i].OrgPath = so.Path
	}
	if e.MakeUpOf != 0 {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM exams WHERE id = ?`, e.MakeUpOf).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return app.Invalid("makeup_of", "补考对应的考试不存在")
		}
	}
	return nil
}

// CreateExam stores a new exam.
func (db *DB) CreateExam(ctx context.Context, e *exam.Exam) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		if err := tx.checkExamOrgs(ctx, e); err != nil {
			return err
		}
		e.ID, e.CreatedAt = tx.db.NewID(), tx.now
		if a := app.ActorFrom(ctx); a != nil {
			e.CreatedBy = a.UserID
		}
		settings, _ := json.Marshal(settingsOf(e))
		if _, err := tx.exec(ctx, `INSERT INTO exams (id, org_id, title, year, sitters_path, opens_at, closes_at, makeup_of, settings, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, e.OrgID, strings.TrimSpace(e.Title), e.Year, e.Sitters.OrgPath, ms(e.Window.Opens), ms(e.Window.Closes), e.MakeUpOf, string(settings), e.CreatedBy, ms(tx.now)); err != nil {
			return fmt.Errorf("insert exam: %w", err)
		}
		return tx.audit(ctx, audit.Record{Action: "exam.create", ObjectType: "exam", ObjectID: e.ID.String(), Detail: e.Title})
	})
}

// UpdateExam replaces an exam's settings. Attempts already started keep
// the paper and deadline they were given.
func (db *DB) UpdateExam(ctx context.Context, e *exam.Exam) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		if err := tx.checkExamOrgs(ctx, e); err != nil {
			return err
		}
		settings, _ := json.Marshal(settingsOf(e))
		res, err := tx.exec(ctx, `UPDATE exams SET title = ?, year = ?, sitters_path = ?, opens_at = ?, closes_at = ?, makeup_of = ?, settings = ? WHERE id = ?`,
			strings.TrimSpace(e.Title), e.Year, e.Sitters.OrgPath, ms(e.Window.Opens), ms(e.Window.Closes), e.MakeUpOf, string(settings), e.ID)
		if err != nil {
			return fmt.Errorf("update exam: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "考试不存在")
		}
		return tx.audit(ctx, audit.Record{Action: "exam.update", ObjectType: "exam", ObjectID: e.ID.String(), Detail: e.Title})
	})
}

const examColumns = `e.id, e.org_id, o.path, e.title, e.year, e.sitters_path, e.opens_at, e.closes_at, e.makeup_of, e.settings, e.created_by, e.created_at`

func (t *Tx) scanExam(ctx context.Context, sc interface{ Scan(...any) error }) (*exam.Exam, error) {
	var e exam.Exam
	var opens, closes, created int64
	var settings string
	if err := sc.Scan(&e.ID, &e.OrgID, &e.OrgPath, &e.Title, &e.Year, &e.Sitters.OrgPath, &opens, &closes, &e.MakeUpOf, &settings, &e.CreatedBy, &created); err != nil {
		return nil, err
	}
	var s examSettings
	if err := json.Unmarshal([]byte(settings), &s); err != nil {
		return nil, fmt.Errorf("exam %d settings: %w", e.ID, err)
	}
	e.Window = exam.Window{Opens: fromMS(opens), Closes: fromMS(closes), Duration: time.Duration(s.DurationMS) * time.Millisecond, Grace: time.Duration(s.GraceMS) * time.Millisecond}
	e.CreatedAt = fromMS(created)
	e.MaxAttempts, e.Counts, e.Review = s.MaxAttempts, s.Counts, s.Review
	e.Grading = exam.Grading{Pass: s.Pass, Bands: s.Bands}
	e.Rules, e.SeniorRules, e.Fixed, e.OnePaper = s.Rules, s.SeniorRules, s.Fixed, s.OnePaper
	e.Sitters.Roles, e.Sitters.Ranks = s.Roles, s.Ranks
	for _, sl := range s.Slots {
		e.Slots = append(e.Slots, exam.Slot{OrgID: sl.OrgID, Opens: fromMS(sl.Opens), Closes: fromMS(sl.Closes)})
	}
	return &e, nil
}

// slotPaths fills in the org paths of an exam's slots.
func (t *Tx) slotPaths(ctx context.Context, e *exam.Exam) error {
	for i := range e.Slots {
		o, err := t.findOrgByID(ctx, e.Slots[i].OrgID)
		if err != nil {
			return err
		}
		e.Slots[i].OrgPath = o.Path
	}
	return nil
}

// FindExamByID returns an exam.
func (db *DB) FindExamByID(ctx context.Context, id app.ID) (*exam.Exam, error) {
	tx := db.reader()
	e, err := tx.scanExam(ctx, tx.queryRow(ctx, `SELECT `+examColumns+` FROM exams e JOIN orgs o ON o.id = e.org_id WHERE e.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "考试不存在")
	}
	return e, tx.slotPaths(ctx, e)
}

// FindExams lists exams, newest window first.
func (db *DB) FindExams(ctx context.Context, f exam.ExamFilter) ([]*exam.Exam, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.OrgPath != "" {
		where, args = append(where, `o.path LIKE ? ESCAPE '\'`), append(args, prefixPattern(f.OrgPath))
	}
	if !f.OpenAt.IsZero() {
		where, args = append(where, "e.opens_at <= ? AND e.closes_at > ?"), append(args, ms(f.OpenAt), ms(f.OpenAt))
	}
	if f.ForPath != "" {
		// The sitters' root is an ancestor of (or is) the person's org;
		// org paths hold no LIKE wildcards (ids and slashes).
		where, args = append(where, "CAST(? AS TEXT) LIKE (e.sitters_path || '%')"), append(args, f.ForPath)
	}
	cond := strings.Join(where, " AND ")
	tx := db.reader()
	var total int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM exams e JOIN orgs o ON o.id = e.org_id WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := tx.query(ctx, `SELECT `+examColumns+` FROM exams e JOIN orgs o ON o.id = e.org_id WHERE `+cond+` ORDER BY e.opens_at DESC, e.id DESC LIMIT ? OFFSET ?`,
		append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*exam.Exam
	for rows.Next() {
		e, err := tx.scanExam(ctx, rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for _, e := range out {
		if err := tx.slotPaths(ctx, e); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

const sittingColumns = `a.id, a.exam_id, a.user_id, a.org_id, a.no, a.paper, a.started_at, a.deadline_at, a.grace_end_at, a.state, a.submitted_at,
	a.auto_submitted, a.score_cent, a.raw_mu, a.max_mu, a.grade, a.passed, a.pending_manual`

func scanSitting(sc interface{ Scan(...any) error }, extra ...any) (*exam.Sitting, error) {
	var s exam.Sitting
	var paper string
	var started, deadline, grace, submitted, cent, raw, max int64
	dest := append([]any{&s.ID, &s.ExamID, &s.UserID, &s.OrgID, &s.No, &paper, &started, &deadline, &grace, &s.State, &submitted,
		&s.AutoSubmitted, &cent, &raw, &max, &s.Grade, &s.Passed, &s.PendingManual}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(paper), &s.Paper); err != nil {
		return nil, fmt.Errorf("attempt %d paper: %w", s.ID, err)
	}
	s.Started, s.Deadline, s.GraceEnd, s.SubmittedAt = fromMS(started), fromMS(deadline), fromMS(grace), fromMS(submitted)
	s.Score = float64(cent) / 100
	s.Raw, s.Max = assess.FromMicro(assess.Micro(raw)), assess.FromMicro(assess.Micro(max))
	return &s, nil
}

// StartAttempt resumes the open attempt or starts the next one. The paper
// is drawn outside any transaction and the attempt stored as a short
// write, so a hall of examinees starting at once shares a few commits;
// should another start slip in between (on PostgreSQL: the unique index
// refuses the second), it tries again and resumes.
func (db *DB) StartAttempt(ctx context.Context, e *exam.Exam, userID, orgID app.ID, maxAttempts int, draw func(no int) (exam.Sitting, error)) (*exam.Sitting, bool, error) {
	for range 3 {
		r := db.reader()
		// One read for the usual case, a first start: how many attempts,
		// and whether one is open (then it is read in full and resumed).
		var used, open int
		if err := r.queryRow(ctx, `SELECT COUNT(*), COUNT(CASE WHEN state = 'open' THEN 1 END) FROM exam_attempts WHERE exam_id = ? AND user_id = ?`, e.ID, userID).Scan(&used, &open); err != nil {
			return nil, false, err
		}
		if open > 0 {
			if s, err := db.findOpenSitting(ctx, r, e.ID, userID); err == nil {
				return s, false, nil
			} else if app.ErrorCode(err) != app.ENOTFOUND {
				return nil, false, err
			}
		}
		if maxAttempts > 0 && used >= maxAttempts {
			return nil, false, app.Errorf(app.ECONFLICT, "本场考试的 %d 次考试机会已用完", maxAttempts)
		}
		s, err := draw(used + 1)
		if err != nil {
			return nil, false, err
		}
		var out *exam.Sitting
		err = db.shortWrite(ctx, func(tx *Tx) error {
			// Another start may have committed since the reads above.
			if open, err := db.findOpenSitting(ctx, tx, e.ID, userID); err == nil {
				out = open
				return nil
			} else if app.ErrorCode(err) != app.ENOTFOUND {
				return err
			}
			var now int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM exam_attempts WHERE exam_id = ? AND user_id = ?`, e.ID, userID).Scan(&now); err != nil {
				return err
			}
			if now != used {
				return nil // an attempt began and ended meanwhile: draw again
			}
			s.ID, s.ExamID, s.UserID, s.OrgID, s.No, s.State = tx.db.NewID(), e.ID, userID, orgID, used+1, exam.Open
			paper, _ := json.Marshal(s.Paper)
			if _, err := tx.exec(ctx, `INSERT INTO exam_attempts (id, exam_id, user_id, org_id, no, paper, started_at, deadline_at, grace_end_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				s.ID, s.ExamID, s.UserID, s.OrgID, s.No, string(paper), ms(s.Started), ms(s.Deadline), ms(s.GraceEnd), s.State); err != nil {
				return fmt.Errorf("insert attempt: %w", err)
			}
			out = &s
			return nil
		})
		if err != nil && !isUniqueViolation(err) {
			return nil, false, err
		}
		if out != nil {
			return out, out == &s, nil
		}
	}
	return nil, false, app.Errorf(app.ECONFLICT, "同时开始的请求过多，请稍后重试")
}

func (db *DB) findOpenSitting(ctx context.Context, q *Tx, examID, userID app.ID) (*exam.Sitting, error) {
	s, err := scanSitting(q.queryRow(ctx, `SELECT `+sittingColumns+` FROM exam_attempts a WHERE a.exam_id = ? AND a.user_id = ? AND a.state = 'open'`, examID, userID))
	return s, notFound(err, "没有进行中的考试")
}

// FindSitting returns an attempt.
func (db *DB) FindSitting(ctx context.Context, id app.ID) (*exam.Sitting, error) {
	s, err := scanSitting(db.reader().queryRow(ctx, `SELECT `+sittingColumns+` FROM exam_attempts a WHERE a.id = ?`, id))
	return s, notFound(err, "答卷不存在")
}

// FindSittings lists a person's attempts at an exam, oldest first.
func (db *DB) FindSittings(ctx context.Context, examID, userID app.ID) ([]*exam.Sitting, error) {
	return db.findSittings(ctx, `a.exam_id = ? AND a.user_id = ? ORDER BY a.no`, examID, userID)
}

// findSittings lists the attempts a WHERE clause (with its ORDER BY) picks.
func (db *DB) findSittings(ctx context.Context, where string, args ...any) ([]*exam.Sitting, error) {
	rows, err := db.reader().query(ctx, `SELECT `+sittingColumns+` FROM exam_attempts a WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*exam.Sitting
	for rows.Next() {
		s, err := scanSitting(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SaveAnswer stores one answer through the group-commit writer. All the
// saves of a batch are one statement (saveBulk).
func (db *DB) SaveAnswer(ctx context.Context, attemptID, questionID app.ID, given []string, seq int64) error {
	g, _ := json.Marshal(nonNil(given))
	return db.GroupWriteBulk(ctx, saveBulk, savedAnswer{attemptID, questionID, string(g), seq})
}

type savedAnswer struct {
	attempt, question app.ID
	given             string
	seq               int64
}

// saveBulk writes a batch of saves. The statement writes a row only while
// its attempt is open and only over an older seq, so a stale retry and a
// late save after submission both change nothing; RETURNING tells which
// rows were written, and one query tells a closed attempt (409) from a
// stale seq (accepted, ignored). Within a batch, the highest seq of each
// question is the one written: the others are stale already.
var saveBulk = &Bulk{Run: func(ctx context.Context, tx *Tx, rows []any) ([]error, error) {
	errs := make([]error, len(rows))
	type key struct{ attempt, question app.ID }
	newest := map[key]int{}
	for i, r := range rows {
		a := r.(savedAnswer)
		k := key{a.attempt, a.question}
		if j, ok := newest[k]; !ok || a.seq > rows[j].(savedAnswer).seq {
			newest[k] = i
		}
	}
	pending := make([]int, 0, len(newest))
	for _, i := range newest {
		pending = append(pending, i)
	}
	slices.Sort(pending)
	written := map[key]bool{}
	// Statements of 128, 64, … rows: few texts to prepare, however the
	// batches fall.
	for len(pending) > 0 {
		n := 128
		for n > len(pending) {
			n /= 2
		}
		chunk := pending[:n]
		pending = pending[n:]
		args := make([]any, 0, 4*n+1)
		args = append(args, ms(tx.now))
		for _, i := range chunk {
			a := rows[i].(savedAnswer)
			args = append(args, a.attempt, a.question, a.given, a.seq)
		}
		res, err := tx.query(ctx, saveAnswersSQL[n], args...)
		if err != nil {
			return nil, fmt.Errorf("save answers: %w", err)
		}
		for res.Next() {
			var k key
			if err := res.Scan(&k.attempt, &k.question); err != nil {
				res.Close()
				return nil, err
			}
			written[k] = true
		}
		res.Close()
		if err := res.Err(); err != nil {
			return nil, fmt.Errorf("save answers: %w", err)
		}
	}
	// Rows not written: a closed attempt, or a stale seq.
	var unwritten []app.ID
	for i, r := range rows {
		a := r.(savedAnswer)
		if !written[key{a.attempt, a.question}] || newest[key{a.attempt, a.question}] != i {
			unwritten = append(unwritten, a.attempt)
		}
	}
	if len(unwritten) == 0 {
		return errs, nil
	}
	slices.Sort(unwritten)
	unwritten = slices.Compact(unwritten)
	open := map[app.ID]bool{}
	q, err := tx.query(ctx, `SELECT id FROM exam_attempts WHERE state = 'open' AND id IN (`+placeholders(len(unwritten))+`)`, anyArgs(unwritten)...)
	if err != nil {
		return nil, err
	}
	defer q.Close()
	for q.Next() {
		var id app.ID
		if err := q.Scan(&id); err != nil {
			return nil, err
		}
		open[id] = true
	}
	if err := q.Err(); err != nil {
		return nil, err
	}
	for i, r := range rows {
		if a := r.(savedAnswer); !open[a.attempt] && !(written[key{a.attempt, a.question}] && newest[key{a.attempt, a.question}] == i) {
			errs[i] = app.Errorf(app.ECONFLICT, "试卷已交，答案不能再修改")
		}
	}
	return errs, nil
}}

// saveAnswersSQL holds the upsert of n saves for n = 1, 2, 4 … 128 (see
// saveBulk); its first argument is the time saved, then four per row.
var saveAnswersSQL = func() map[int]string {
	m := map[int]string{}
	for n := 1; n <= 128; n *= 2 {
		m[n] = saveAnswersText(n)
	}
	return m
}()

func saveAnswersText(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO exam_answers (attempt_id, question_id, given, seq, saved_at)
	SELECT v.column1, v.column2, v.column3, v.column4, CAST(? AS BIGINT) FROM (VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS BIGINT))`)
	}
	b.WriteString(`) AS v WHERE EXISTS (SELECT 1 FROM exam_attempts a WHERE a.id = v.column1 AND a.state = 'open')
	ON CONFLICT (attempt_id, question_id) DO UPDATE SET given = excluded.given, seq = excluded.seq, saved_at = excluded.saved_at
	WHERE excluded.seq > exam_answers.seq
	RETURNING attempt_id, question_id`)
	return b.String()
}

// FindAnswers returns an attempt's saved answers by question.
func (db *DB) FindAnswers(ctx context.Context, attemptID app.ID) (map[app.ID]exam.Answer, error) {
	return findAnswers(ctx, db.reader(), attemptID)
}

func findAnswers(ctx context.Context, q *Tx, attemptID app.ID) (map[app.ID]exam.Answer, error) {
	rows, err := q.query(ctx, `SELECT question_id, given, seq, awarded_mu FROM exam_answers WHERE attempt_id = ?`, attemptID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[app.ID]exam.Answer{}
	for rows.Next() {
		var qid app.ID
		var given string
		var a exam.Answer
		var awarded sql.NullInt64
		if err := rows.Scan(&qid, &given, &a.Seq, &awarded); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(given), &a.Given); err != nil {
			return nil, fmt.Errorf("answer %d/%d: %w", attemptID, qid, err)
		}
		if awarded.Valid {
			v := assess.FromMicro(assess.Micro(awarded.Int64))
			a.Awarded = &v
		}
		out[qid] = a
	}
	return out, rows.Err()
}

// SubmitAttempt marks and closes an attempt. It runs through the same
// group-commit writer as the saves, so on either engine a save is either
// committed before the submission reads the answers or refused after it.
func (db *DB) SubmitAttempt(ctx context.Context, attemptID app.ID, auto bool, mark func(map[app.ID]exam.Answer) exam.Result) (*exam.Sitting, error) {
	var out *exam.Sitting
	err := db.GroupWrite(ctx, func(tx *Tx) error {
		s, err := scanSitting(tx.queryRow(ctx, `SELECT `+sittingColumns+` FROM exam_attempts a WHERE a.id = ?`, attemptID))
		if err != nil {
			return notFound(err, "答卷不存在")
		}
		if s.State != exam.Open {
			out = s
			return nil
		}
		answers, err := findAnswers(ctx, tx, attemptID)
		if err != nil {
			return err
		}
		r := mark(answers)
		s.State, s.SubmittedAt, s.AutoSubmitted = exam.Submitted, tx.now, auto
		setResult(s, r)
		if _, err := tx.exec(ctx, `UPDATE exam_attempts SET state = ?, submitted_at = ?, auto_submitted = ?, score_cent = ?, raw_mu = ?, max_mu = ?, grade = ?, passed = ?, pending_manual = ?
			WHERE id = ? AND state = 'open'`,
			s.State, ms(tx.now), auto, int64(math.Round(s.Score*100)), int64(assess.ToMicro(s.Raw)), int64(assess.ToMicro(s.Max)), s.Grade, s.Passed, s.PendingManual, s.ID); err != nil {
			return fmt.Errorf("submit attempt: %w", err)
		}
		out = s
		return nil
	})
	return out, err
}

func setResult(s *exam.Sitting, r exam.Result) {
	s.Score, s.Raw, s.Max, s.Grade, s.Passed, s.PendingManual = r.Score, r.Raw, r.Max, r.Grade, r.Passed, r.PendingManual
}

// FindDueSittings lists open attempts whose grace ended by now.
func (db *DB) FindDueSittings(ctx context.Context, now time.Time, limit int) ([]app.ID, error) {
	rows, err := db.reader().query(ctx, `SELECT id FROM exam_attempts WHERE state = 'open' AND grace_end_at <= ? ORDER BY grace_end_at LIMIT ?`, ms(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.ID
	for rows.Next() {
		var id app.ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// RecordSitting stores a finished attempt as it was sat elsewhere or
// earlier (results carried over from another system, the demo's past
// years): the attempt, its answers and its marking, in one transaction.
func (db *DB) RecordSitting(ctx context.Context, s *exam.Sitting, answers map[app.ID]exam.Answer) error {
	if s.State != exam.Submitted || s.SubmittedAt.IsZero() {
		return app.Invalid("state", "只能录入已交卷的答卷")
	}
	return db.update(ctx, func(tx *Tx) error {
		var used int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM exam_attempts WHERE exam_id = ? AND user_id = ?`, s.ExamID, s.UserID).Scan(&used); err != nil {
			return err
		}
		s.ID, s.No = tx.db.NewID(), used+1
		paper, _ := json.Marshal(s.Paper)
		if _, err := tx.exec(ctx, `INSERT INTO exam_attempts (id, exam_id, user_id, org_id, no, paper, started_at, deadline_at, grace_end_at, state, submitted_at,
			auto_submitted, score_cent, raw_mu, max_mu, grade, passed, pending_manual) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.ExamID, s.UserID, s.OrgID, s.No, string(paper), ms(s.Started), ms(s.Deadline), ms(s.GraceEnd), s.State, ms(s.SubmittedAt),
			s.AutoSubmitted, int64(math.Round(s.Score*100)), int64(assess.ToMicro(s.Raw)), int64(assess.ToMicro(s.Max)), s.Grade, s.Passed, s.PendingManual); err != nil {
			return fmt.Errorf("record attempt: %w", err)
		}
		for qid, a := range answers {
			g, _ := json.Marshal(nonNil(a.Given))
			var awarded any
			if a.Awarded != nil {
				awarded = int64(assess.ToMicro(*a.Awarded))
			}
			if _, err := tx.exec(ctx, `INSERT INTO exam_answers (attempt_id, question_id, given, seq, saved_at, awarded_mu) VALUES (?, ?, ?, ?, ?, ?)`,
				s.ID, qid, string(g), a.Seq, ms(s.SubmittedAt), awarded); err != nil {
				return fmt.Errorf("record answer: %w", err)
			}
		}
		return nil
	})
}
