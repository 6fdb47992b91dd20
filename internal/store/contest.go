package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/contest"
)

var _ contest.Store = (*DB)(nil)

// contestDefinition is what a contest keeps in its definition column:
// everything no query filters on. The finalists are also copied into
// contest_finalists, for FindContestsFor.
type contestDefinition struct {
	Intro  string           `json:"intro,omitempty"`
	Rounds []contest.Round  `json:"rounds"`
	Team   contest.TeamRule `json:"team"`
	Awards contest.Awards   `json:"awards"`
	Final  *contest.Final   `json:"final,omitempty"`
	// Revision is Contest.Revision; no query filters on it.
	Revision int `json:"revision,omitempty"`
}

func contestDefinitionJSON(c *contest.Contest) (string, error) {
	def, err := json.Marshal(contestDefinition{Intro: c.Intro, Rounds: c.Rounds, Team: c.Team, Awards: c.Awards, Final: c.Final, Revision: c.Revision})
	if err != nil {
		return "", fmt.Errorf("contest definition: %w", err)
	}
	return string(def), nil
}

// checkContestRounds refuses a round whose exam does not exist or is run
// by an office outside orgPath's subtree: a contest counts only exams its
// own office (or one under it) runs.
func (t *Tx) checkContestRounds(ctx context.Context, c *contest.Contest, orgPath string) error {
	for i, r := range c.Rounds {
		var path string
		err := t.queryRow(ctx, `SELECT o.path FROM exams e JOIN orgs o ON o.id = e.org_id WHERE e.id = ?`, r.ExamID).Scan(&path)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err != nil || !strings.HasPrefix(path, orgPath) {
			return app.Invalid("rounds", "第 %d 轮的考试不存在或不属于本单位", i+1)
		}
	}
	return nil
}

// CreateContest validates and stores a contest under a fresh ID, with its
// finalists indexed; audited.
func (db *DB) CreateContest(ctx context.Context, c *contest.Contest) error {
	if err := c.Validate(); err != nil {
		return err
	}
	c.Title = strings.TrimSpace(c.Title)
	return db.update(ctx, func(tx *Tx) error {
		o, err := tx.findOrgByID(ctx, c.OrgID)
		if err != nil {
			return app.Invalid("org", "组织竞赛的单位不存在")
		}
		if err := tx.checkContestRounds(ctx, c, o.Path); err != nil {
			return err
		}
		def, err := contestDefinitionJSON(c)
		if err != nil {
			return err
		}
		c.OrgPath = o.Path
		c.ID, c.CreatedAt, c.CreatedBy = tx.db.NewID(), tx.now, 0
		if a := app.ActorFrom(ctx); a != nil {
			c.CreatedBy = a.UserID
		}
		if _, err := tx.exec(ctx, `INSERT INTO contests (id, org_id, title, year, definition, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.OrgID, c.Title, c.Year, def, c.CreatedBy, ms(tx.now)); err != nil {
			return fmt.Errorf("insert contest: %w", err)
		}
		if err := tx.insertFinalists(ctx, c.ID, finalistIDs(c.Final)); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "contest.create", ObjectType: "contest", ObjectID: c.ID.String(), Detail: c.Title})
	})
}

// UpdateContest stores a contest's settings: title, year, intro, rounds,
// team rule, awards and final. Its office and creation stay as stored,
// and c's OrgID, OrgPath, CreatedBy and CreatedAt are set to them. Once
// the final has begun (a step exists) its questions and finalists must
// stay exactly as stored, names and teams included: the steps ask the
// questions by number and the answers count for the teams as they were
// (ECONFLICT). ENOTFOUND for an unknown contest.
func (db *DB) UpdateContest(ctx context.Context, c *contest.Contest) error {
	if err := c.Validate(); err != nil {
		return err
	}
	c.Title = strings.TrimSpace(c.Title)
	// A refused edit leaves c as it came, revision and all.
	rev := c.Revision
	err := db.update(ctx, func(tx *Tx) error {
		old, err := tx.lockContest(ctx, c.ID)
		if err != nil {
			return err
		}
		if c.Revision != old.Revision {
			return app.Errorf(app.ECONFLICT, "竞赛设置在您打开之后已被他人修改并保存，请刷新页面，在最新的设置上重新修改")
		}
		c.OrgID, c.OrgPath, c.CreatedBy, c.CreatedAt = old.OrgID, old.OrgPath, old.CreatedBy, old.CreatedAt
		if err := tx.checkContestRounds(ctx, c, old.OrgPath); err != nil {
			return err
		}
		var steps int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM contest_steps WHERE contest_id = ?`, c.ID).Scan(&steps); err != nil {
			return err
		}
		if steps > 0 && (!slices.Equal(finalQuestions(old.Final), finalQuestions(c.Final)) || !slices.Equal(finalFinalists(old.Final), finalFinalists(c.Final))) {
			return app.Errorf(app.ECONFLICT, "决赛已经开始，不能再修改决赛题目和选手")
		}
		c.Revision = old.Revision + 1
		def, err := contestDefinitionJSON(c)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE contests SET title = ?, year = ?, definition = ? WHERE id = ?`, c.Title, c.Year, def, c.ID); err != nil {
			return fmt.Errorf("update contest: %w", err)
		}
		if ids := finalistIDs(c.Final); !slices.Equal(finalistIDs(old.Final), ids) {
			if _, err := tx.exec(ctx, `DELETE FROM contest_finalists WHERE contest_id = ?`, c.ID); err != nil {
				return fmt.Errorf("delete contest finalists: %w", err)
			}
			if err := tx.insertFinalists(ctx, c.ID, ids); err != nil {
				return err
			}
		}
		return tx.audit(ctx, audit.Record{Action: "contest.update", ObjectType: "contest", ObjectID: c.ID.String(), Detail: c.Title})
	})
	if err != nil {
		c.Revision = rev
	}
	return err
}

// lockContest takes the contest's row lock and reads it; ENOTFOUND for an
// unknown id. UpdateContest, OpenStep and ResetLive take it first, so on
// PostgreSQL (read committed) they queue on the contest as every write
// does on SQLite's one writer: an edit of the final cannot miss a step
// the host opens at the same moment, nor a step be opened on questions
// edited meanwhile. The answers and reveals do not take it: they are
// single statements on the step's rows.
func (t *Tx) lockContest(ctx context.Context, id app.ID) (*contest.Contest, error) {
	res, err := t.exec(ctx, `UPDATE contests SET created_at = created_at WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("lock contest: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n == 0 {
		return nil, app.Errorf(app.ENOTFOUND, "竞赛不存在")
	}
	c, err := scanContest(t.queryRow(ctx, `SELECT `+contestColumns+` FROM contests c JOIN orgs o ON o.id = c.org_id WHERE c.id = ?`, id))
	return c, notFound(err, "竞赛不存在")
}

func finalQuestions(f *contest.Final) []contest.LiveQuestion {
	if f == nil {
		return nil
	}
	return f.Questions
}

func finalFinalists(f *contest.Final) []contest.Finalist {
	if f == nil {
		return nil
	}
	return f.Finalists
}

// finalistIDs returns the final's finalists' user ids, sorted.
func finalistIDs(f *contest.Final) []app.ID {
	var ids []app.ID
	for _, p := range finalFinalists(f) {
		ids = append(ids, p.UserID)
	}
	slices.Sort(ids)
	return ids
}

// insertFinalists indexes a contest's finalists (Final.Validate keeps them
// distinct), in statements of a few fixed sizes.
func (t *Tx) insertFinalists(ctx context.Context, contestID app.ID, ids []app.ID) error {
	for rest := ids; len(rest) > 0; {
		k := 256
		for k > len(rest) {
			k /= 2
		}
		args := make([]any, 0, 2*k)
		for _, id := range rest[:k] {
			args = append(args, contestID, id)
		}
		if _, err := t.exec(ctx, `INSERT INTO contest_finalists (contest_id, user_id) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?), ", k), ", "), args...); err != nil {
			return fmt.Errorf("insert contest finalists: %w", err)
		}
		rest = rest[k:]
	}
	return nil
}

const contestColumns = `c.id, c.org_id, o.path, c.title, c.year, c.definition, c.created_by, c.created_at`

func scanContest(sc interface{ Scan(...any) error }) (*contest.Contest, error) {
	var c contest.Contest
	var def string
	var created int64
	if err := sc.Scan(&c.ID, &c.OrgID, &c.OrgPath, &c.Title, &c.Year, &def, &c.CreatedBy, &created); err != nil {
		return nil, err
	}
	var d contestDefinition
	if err := json.Unmarshal([]byte(def), &d); err != nil {
		return nil, fmt.Errorf("contest %s definition: %w", c.ID, err)
	}
	c.CreatedAt = fromMS(created)
	c.Intro, c.Rounds, c.Team, c.Awards, c.Final, c.Revision = d.Intro, d.Rounds, d.Team, d.Awards, d.Final, d.Revision
	return &c, nil
}

// FindContestByID returns a contest; ENOTFOUND if there is none.
func (db *DB) FindContestByID(ctx context.Context, id app.ID) (*contest.Contest, error) {
	c, err := scanContest(db.reader().queryRow(ctx, `SELECT `+contestColumns+` FROM contests c JOIN orgs o ON o.id = c.org_id WHERE c.id = ?`, id))
	return c, notFound(err, "竞赛不存在")
}

// FindContests lists the contests of the offices in orgPath's subtree,
// newest first.
func (db *DB) FindContests(ctx context.Context, orgPath string) ([]*contest.Contest, error) {
	return db.findContests(ctx, `SELECT `+contestColumns+` FROM contests c JOIN orgs o ON o.id = c.org_id
		WHERE o.path LIKE ? ESCAPE '\' ORDER BY c.created_at DESC, c.id DESC`, prefixPattern(orgPath))
}

// FindContestsFor lists the contests whose final has userID among its
// finalists, newest first.
func (db *DB) FindContestsFor(ctx context.Context, userID app.ID) ([]*contest.Contest, error) {
	return db.findContests(ctx, `SELECT `+contestColumns+` FROM contest_finalists f JOIN contests c ON c.id = f.contest_id JOIN orgs o ON o.id = c.org_id
		WHERE f.user_id = ? ORDER BY c.created_at DESC, c.id DESC`, userID)
}

func (db *DB) findContests(ctx context.Context, q string, args ...any) ([]*contest.Contest, error) {
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*contest.Contest
	for rows.Next() {
		c, err := scanContest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindLive reads a final's steps by No and its answers by step, then time
// (then person, for a stable order). An unknown contest has none.
func (db *DB) FindLive(ctx context.Context, contestID app.ID) ([]contest.Step, []contest.LiveAnswer, error) {
	r := db.reader()
	steps, err := findSteps(ctx, r, contestID)
	if err != nil {
		return nil, nil, err
	}
	rows, err := r.query(ctx, `SELECT no, user_id, given, answered_at, correct, points FROM contest_answers
		WHERE contest_id = ? ORDER BY no, answered_at, user_id`, contestID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var answers []contest.LiveAnswer
	for rows.Next() {
		var a contest.LiveAnswer
		var given string
		var at int64
		if err := rows.Scan(&a.No, &a.UserID, &given, &at, &a.Correct, &a.Points); err != nil {
			return nil, nil, err
		}
		if err := json.Unmarshal([]byte(given), &a.Given); err != nil {
			return nil, nil, fmt.Errorf("contest %s answer %d/%s: %w", contestID, a.No, a.UserID, err)
		}
		a.At = fromMS(at)
		answers = append(answers, a)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return steps, answers, nil
}

// FindSteps reads a final's steps by No, without its answers.
func (db *DB) FindSteps(ctx context.Context, contestID app.ID) ([]contest.Step, error) {
	return findSteps(ctx, db.reader(), contestID)
}

func findSteps(ctx context.Context, q *Tx, contestID app.ID) ([]contest.Step, error) {
	rows, err := q.query(ctx, `SELECT no, question_id, opened_at, closes_at, revealed_at FROM contest_steps WHERE contest_id = ? ORDER BY no`, contestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []contest.Step
	for rows.Next() {
		var s contest.Step
		var opened, closes, revealed int64
		if err := rows.Scan(&s.No, &s.QuestionID, &opened, &closes, &revealed); err != nil {
			return nil, err
		}
		s.OpenedAt, s.ClosesAt, s.RevealedAt = fromMS(opened), fromMS(closes), fromMS(revealed)
		out = append(out, s)
	}
	return out, rows.Err()
}

// OpenStep stores a step the host opened, unrevealed whatever its
// RevealedAt says (RevealStep reveals it). ECONFLICT when a step of that
// No exists (two hosts clicked), when it is not the next step, when the
// previous one is not revealed, and when it is not the final's question
// No as stored (the questions were edited since the host's page read
// them, or every question has been asked); ENOTFOUND for an unknown
// contest. The contest's lock queues two hosts; the primary key is the
// last guard.
func (db *DB) OpenStep(ctx context.Context, contestID app.ID, s contest.Step) error {
	if s.OpenedAt.IsZero() || !s.ClosesAt.After(s.OpenedAt) {
		return app.Invalid("step", "第 %d 题的开始和截止时间无效", s.No)
	}
	err := db.update(ctx, func(tx *Tx) error {
		c, err := tx.lockContest(ctx, contestID)
		if err != nil {
			return err
		}
		steps, err := findSteps(ctx, tx, contestID)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(steps, func(x contest.Step) bool { return x.No == s.No }) {
			return app.Errorf(app.ECONFLICT, "第 %d 题已经开始", s.No)
		}
		if s.No != len(steps)+1 {
			return app.Errorf(app.ECONFLICT, "决赛应进行第 %d 题，不能开始第 %d 题", len(steps)+1, s.No)
		}
		if n := len(steps); n > 0 && steps[n-1].RevealedAt.IsZero() {
			return app.Errorf(app.ECONFLICT, "第 %d 题还没有公布答案", n)
		}
		qs := finalQuestions(c.Final)
		if s.No > len(qs) {
			return app.Errorf(app.ECONFLICT, "决赛题目已全部答完")
		}
		if qs[s.No-1].QuestionID != s.QuestionID {
			return app.Errorf(app.ECONFLICT, "决赛第 %d 题已修改，请刷新页面后重试", s.No)
		}
		if _, err := tx.exec(ctx, `INSERT INTO contest_steps (contest_id, no, question_id, opened_at, closes_at, revealed_at) VALUES (?, ?, ?, ?, ?, 0)`,
			contestID, s.No, s.QuestionID, ms(s.OpenedAt), ms(s.ClosesAt)); err != nil {
			return fmt.Errorf("insert contest step: %w", err)
		}
		return nil
	})
	if isUniqueViolation(err) {
		return app.Errorf(app.ECONFLICT, "第 %d 题已经开始", s.No)
	}
	return err
}

// RevealStep stores step no's reveal at at, closing its window then if it
// is still open. One conditional statement: of two reveals one wins, and
// an answer is either stored before it or refused after it. ECONFLICT
// when the step is revealed already, and also (as the interface says)
// when there is no such step: to the host both mean there is nothing to
// reveal.
func (db *DB) RevealStep(ctx context.Context, contestID app.ID, no int, at time.Time) error {
	return db.update(ctx, func(tx *Tx) error {
		t := ms(at)
		res, err := tx.exec(ctx, `UPDATE contest_steps SET revealed_at = ?, closes_at = CASE WHEN closes_at > ? THEN ? ELSE closes_at END
			WHERE contest_id = ? AND no = ? AND revealed_at = 0`, t, t, t, contestID, no)
		if err != nil {
			return fmt.Errorf("reveal contest step: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return app.Errorf(app.ECONFLICT, "没有待公布答案的题目")
		}
		return nil
	})
}

// SaveLiveAnswer stores a finalist's first answer to step a.No when the
// step accepts it at a.At (contest.Step.Accepts), decided in the insert
// itself: on SQLite the one writer orders it against a reveal; on
// PostgreSQL it decides on the statement's snapshot, so an answer is
// stored only if the reveal had not committed when it started, that is
// before anyone could have seen the answer shown. The store does not
// check that a.UserID is a finalist: the caller knows its final.
// Answers are not audited: each row is its own record.
func (db *DB) SaveLiveAnswer(ctx context.Context, contestID app.ID, a contest.LiveAnswer) error {
	if a.UserID == 0 || a.No < 1 || a.At.IsZero() {
		return app.Invalid("answer", "答案无效")
	}
	given, err := json.Marshal(nonNil(a.Given))
	if err != nil {
		return fmt.Errorf("live answer: %w", err)
	}
	at := ms(a.At)
	// A hall of phones answers within seconds of each other: on SQLite the
	// answers share a group commit (each in its own savepoint, so a refusal
	// is its own), on PostgreSQL each is its own transaction.
	return db.shortWrite(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `INSERT INTO contest_answers (contest_id, no, user_id, given, answered_at, correct, points)
			SELECT s.contest_id, s.no, CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BOOLEAN), CAST(? AS DOUBLE PRECISION)
			FROM contest_steps s WHERE s.contest_id = ? AND s.no = ? AND s.revealed_at = 0 AND s.opened_at <= ? AND s.closes_at >= ?
			ON CONFLICT DO NOTHING`,
			a.UserID, string(given), at, a.Correct, a.Points, contestID, a.No, at, at-contest.AnswerGrace.Milliseconds())
		if err != nil {
			return fmt.Errorf("insert live answer: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n > 0 {
			return nil
		}
		var answered int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM contest_answers WHERE contest_id = ? AND no = ? AND user_id = ?`, contestID, a.No, a.UserID).Scan(&answered); err != nil {
			return err
		}
		if answered > 0 {
			return app.Errorf(app.ECONFLICT, "您已作答本题，答案不能修改")
		}
		return app.Errorf(app.ECONFLICT, "本题作答时间已过")
	})
}

// ResetLive deletes a final's steps and answers (after a rehearsal,
// 彩排), so it starts again from the first question; audited. ENOTFOUND
// for an unknown contest.
func (db *DB) ResetLive(ctx context.Context, contestID app.ID) error {
	return db.update(ctx, func(tx *Tx) error {
		c, err := tx.lockContest(ctx, contestID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM contest_answers WHERE contest_id = ?`, contestID); err != nil {
			return fmt.Errorf("delete live answers: %w", err)
		}
		res, err := tx.exec(ctx, `DELETE FROM contest_steps WHERE contest_id = ?`, contestID)
		if err != nil {
			return fmt.Errorf("delete live steps: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "contest.live_reset", ObjectType: "contest", ObjectID: contestID.String(),
			Detail: fmt.Sprintf("%s：清除决赛进程 %d 题", c.Title, n)})
	})
}
