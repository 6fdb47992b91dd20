package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/question"
	"pufa/internal/quiz"
)

var _ quiz.Store = (*DB)(nil)

// MaxQuizTokens bounds the invitation tokens one IssueQuizTokens call
// makes.
const MaxQuizTokens = 10_000

// quizDefinition is what a quiz keeps in its definition column: everything
// no query filters on.
type quizDefinition struct {
	Intro          string                 `json:"intro,omitempty"`
	Dimensions     []quiz.Dimension       `json:"dimensions"`
	Questions      []quiz.Question        `json:"questions"`
	Profile        []quiz.ProfileQuestion `json:"profile,omitempty"`
	ShuffleOptions bool                   `json:"shuffle_options"`
	Limits         quiz.Limits            `json:"limits"`
	Alarm          quiz.AlarmSettings     `json:"alarm"`
	Threshold      float64                `json:"threshold"`
	ThresholdLabel string                 `json:"threshold_label,omitempty"`
	MinGroup       int                    `json:"min_group"`
}

// markedJSON is one question's marking as a response keeps it in its
// answers column; the dimension is the quiz's to say.
type markedJSON struct {
	QuestionID app.ID           `json:"question_id"`
	Given      []string         `json:"given"`
	Verdict    question.Verdict `json:"verdict"`
	Points     quiz.Hundredths  `json:"points"`
}

// CreateQuiz validates and stores a quiz under a fresh ID and public key.
// Whether its questions exist and can be marked is Quiz.CheckBank's to say
// before this.
func (db *DB) CreateQuiz(ctx context.Context, q *quiz.Stored) error {
	if err := q.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		o, err := tx.findOrgByID(ctx, q.OrgID)
		if err != nil {
			return app.Invalid("org", "组织测评的单位不存在")
		}
		q.OrgPath = o.Path
		q.ID, q.Key, q.CreatedAt, q.CreatedBy = tx.db.NewID(), randomKey(), tx.now, 0
		if a := app.ActorFrom(ctx); a != nil {
			q.CreatedBy = a.UserID
		}
		def, err := json.Marshal(quizDefinition{
			Intro: q.Intro, Dimensions: q.Dimensions, Questions: q.Questions, Profile: q.Profile,
			ShuffleOptions: q.ShuffleOptions, Limits: q.Limits, Alarm: q.Alarm,
			Threshold: q.Threshold, ThresholdLabel: q.ThresholdLabel, MinGroup: q.MinGroup,
		})
		if err != nil {
			return fmt.Errorf("quiz definition: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO quizzes (id, org_id, key, title, mode, opens_at, closes_at, definition, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			q.ID, q.OrgID, q.Key, q.Title, q.Mode, ms(q.OpensAt), ms(q.ClosesAt), string(def), q.CreatedBy, ms(tx.now)); err != nil {
			return fmt.Errorf("insert quiz: %w", err)
		}
		return tx.audit(ctx, audit.Record{Action: "quiz.create", ObjectType: "quiz", ObjectID: q.ID.String(), Detail: q.Title})
	})
}

const quizColumns = `z.id, z.org_id, o.path, z.key, z.title, z.mode, z.opens_at, z.closes_at, z.definition, z.created_by, z.created_at`

func scanQuiz(sc interface{ Scan(...any) error }) (*quiz.Stored, error) {
	var q quiz.Stored
	var opens, closes, created int64
	var def string
	if err := sc.Scan(&q.ID, &q.OrgID, &q.OrgPath, &q.Key, &q.Title, &q.Mode, &opens, &closes, &def, &q.CreatedBy, &created); err != nil {
		return nil, err
	}
	var d quizDefinition
	if err := json.Unmarshal([]byte(def), &d); err != nil {
		return nil, fmt.Errorf("quiz %s definition: %w", q.ID, err)
	}
	q.OpensAt, q.ClosesAt, q.CreatedAt = fromMS(opens), fromMS(closes), fromMS(created)
	q.Intro, q.Dimensions, q.Questions, q.Profile = d.Intro, d.Dimensions, d.Questions, d.Profile
	q.ShuffleOptions, q.Limits, q.Alarm = d.ShuffleOptions, d.Limits, d.Alarm
	q.Threshold, q.ThresholdLabel, q.MinGroup = d.Threshold, d.ThresholdLabel, d.MinGroup
	return &q, nil
}

// FindQuizByID returns a quiz; ENOTFOUND if there is none.
func (db *DB) FindQuizByID(ctx context.Context, id app.ID) (*quiz.Stored, error) {
	q, err := scanQuiz(db.reader().queryRow(ctx, `SELECT `+quizColumns+` FROM quizzes z JOIN orgs o ON o.id = z.org_id WHERE z.id = ?`, id))
	return q, notFound(err, "测评不存在")
}

// FindQuizByKey returns the quiz of a public link; ENOTFOUND for an
// unknown key.
func (db *DB) FindQuizByKey(ctx context.Context, key string) (*quiz.Stored, error) {
	q, err := scanQuiz(db.reader().queryRow(ctx, `SELECT `+quizColumns+` FROM quizzes z JOIN orgs o ON o.id = z.org_id WHERE z.key = ?`, key))
	return q, notFound(err, "测评不存在或链接有误，请核对链接或重新扫描二维码")
}

// FindQuizzes lists the quizzes of the offices in orgPath's subtree, newest
// first.
func (db *DB) FindQuizzes(ctx context.Context, orgPath string) ([]*quiz.Stored, error) {
	rows, err := db.reader().query(ctx, `SELECT `+quizColumns+` FROM quizzes z JOIN orgs o ON o.id = z.org_id
		WHERE o.path LIKE ? ESCAPE '\' ORDER BY z.created_at DESC, z.id DESC`, prefixPattern(orgPath))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*quiz.Stored
	for rows.Next() {
		q, err := scanQuiz(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// FindOpenQuizzes lists the open-mode quizzes taking responses at now,
// those closing soonest first (then the newest), for the public home page.
func (db *DB) FindOpenQuizzes(ctx context.Context, now time.Time) ([]*quiz.Stored, error) {
	// A quiz without a closing time sorts after those with one.
	rows, err := db.reader().query(ctx, `SELECT `+quizColumns+` FROM quizzes z JOIN orgs o ON o.id = z.org_id
		WHERE z.mode = ? AND (z.opens_at = 0 OR z.opens_at <= ?) AND (z.closes_at = 0 OR z.closes_at > ?)
		ORDER BY CASE WHEN z.closes_at = 0 THEN 1 ELSE 0 END, z.closes_at, z.created_at DESC, z.id DESC`,
		quiz.Open, ms(now), ms(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*quiz.Stored
	for rows.Next() {
		q, err := scanQuiz(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// IssueQuizTokens makes n invitation tokens for an invited quiz: unguessable,
// as a public key is, and kept as issued so the office's links stay
// valid. It is EINVALID for n outside 1–MaxQuizTokens or an open quiz,
// ENOTFOUND for an unknown quiz.
func (db *DB) IssueQuizTokens(ctx context.Context, quizID app.ID, n int) ([]string, error) {
	if n < 1 || n > MaxQuizTokens {
		return nil, app.Invalid("n", "邀请链接的数量应在 1 到 %d 之间", MaxQuizTokens)
	}
	var tokens []string
	err := db.update(ctx, func(tx *Tx) error {
		var mode quiz.Mode
		if err := tx.queryRow(ctx, `SELECT mode FROM quizzes WHERE id = ?`, quizID).Scan(&mode); err != nil {
			return notFound(err, "测评不存在")
		}
		if mode != quiz.Invited {
			return app.Invalid("mode", "只有定向邀请的测评才能生成邀请链接，公开作答的测评请使用测评链接或二维码")
		}
		tokens = make([]string, n)
		for i := range tokens {
			tokens[i] = randomKey()
		}
		// Rows of a few fixed sizes per statement: thousands of tokens in
		// a few round trips, and few statement texts to prepare.
		for rest := tokens; len(rest) > 0; {
			k := 256
			for k > len(rest) {
				k /= 2
			}
			args := make([]any, 0, 3*k)
			for _, tok := range rest[:k] {
				args = append(args, quizID, tok, ms(tx.now))
			}
			if _, err := tx.exec(ctx, `INSERT INTO quiz_tokens (quiz_id, token, issued_at) VALUES `+
				strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", k), ", "), args...); err != nil {
				return fmt.Errorf("insert quiz tokens: %w", err)
			}
			rest = rest[k:]
		}
		return tx.audit(ctx, audit.Record{Action: "quiz.tokens", ObjectType: "quiz", ObjectID: quizID.String(), Detail: fmt.Sprintf("生成邀请链接 %d 个", n)})
	})
	if err != nil {
		return nil, err
	}
	return tokens, nil
}

// ArrivalFor reads the facts Accept decides on, outside any transaction:
// for the check before the questions are shown. SubmitResponse reads them
// again where it decides.
func (db *DB) ArrivalFor(ctx context.Context, q *quiz.Stored, token, device, client string, at time.Time) (quiz.Arrival, error) {
	return db.reader().quizArrival(ctx, q, token, device, client, at)
}

// quizArrival reads an Arrival through t: the token issued and used, the
// device seen, and the client's responses since the longest rate window.
// An empty token or device matches nothing: tokens are never empty and a
// response keeps NULL for the column its quiz's mode does not use.
func (t *Tx) quizArrival(ctx context.Context, q *quiz.Stored, token, device, client string, at time.Time) (quiz.Arrival, error) {
	a := quiz.Arrival{At: at, Token: token, Device: device}
	var issued int
	var byToken, byDevice app.ID // the unique keys allow one of each
	if err := t.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM quiz_tokens WHERE quiz_id = ? AND token = ?),
		(SELECT COALESCE(MAX(id), 0) FROM quiz_responses WHERE quiz_id = ? AND token = ?),
		(SELECT COALESCE(MAX(id), 0) FROM quiz_responses WHERE quiz_id = ? AND device = ?)`,
		q.ID, token, q.ID, token, q.ID, device).Scan(&issued, &byToken, &byDevice); err != nil {
		return a, fmt.Errorf("quiz arrival: %w", err)
	}
	a.TokenIssued, a.TokenUsed, a.DeviceSeen = issued > 0, byToken != 0, byDevice != 0
	a.Previous = byDevice
	if q.Mode == quiz.Invited {
		a.Previous = byToken
	}
	rows, err := t.query(ctx, `SELECT created_at FROM quiz_responses WHERE quiz_id = ? AND client = ? AND created_at >= ? ORDER BY created_at`,
		q.ID, client, ms(q.Limits.Since(at)))
	if err != nil {
		return a, fmt.Errorf("quiz arrival client: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return a, err
		}
		a.ClientTimes = append(a.ClientTimes, fromMS(v))
	}
	return a, rows.Err()
}

// SubmitResponse stores a response when q.Accept allows it, deciding on
// the Arrival read in the same transaction, and returns Accept's refusal
// unchanged. An invited quiz's response keeps its token and no device, an
// open quiz's its device and no token: the unique keys then hold one
// response per token or per device, and an invited sample may share a
// phone. A unique violation (a concurrent response that committed between
// our read and our insert, on PostgreSQL) is answered with the ECONFLICT
// Accept gives a second response. The rate limits have no such guard:
// under PostgreSQL's read committed, concurrent responses from one client
// may overshoot a limit by the few in flight, which the limits (a coarse
// brake on scripts) can bear.
//
// A response is stamped with the store's clock, or with Submission.At
// when an import or the demo backdates it: Accept then decides as at that
// time (the window, the client's responses around it), and a time ahead
// of the clock is EINVALID.
//
// Responses are not audited: they are public, anonymous and come in
// bursts, and each row is its own record. The office's exclusions are
// audited.
//
// It runs as a short write (store.shortWrite): on SQLite a village
// meeting answering at once shares commits through the group-commit
// writer, each response in its own savepoint of the batch; on PostgreSQL
// it is a transaction of its own.
func (db *DB) SubmitResponse(ctx context.Context, q *quiz.Stored, s *quiz.Submission) (app.ID, error) {
	var token, device any // NULL unless the quiz's mode uses it
	switch q.Mode {
	case quiz.Invited:
		token = s.Token
	case quiz.Open:
		device = s.Device
	}
	profile, err := json.Marshal(nonNilMap(s.Profile))
	if err != nil {
		return 0, fmt.Errorf("response profile: %w", err)
	}
	marked := make([]markedJSON, len(s.Result.Questions))
	for i, m := range s.Result.Questions {
		marked[i] = markedJSON{QuestionID: m.QuestionID, Given: nonNil(m.Given), Verdict: m.Verdict, Points: m.Points}
	}
	answers, err := json.Marshal(marked)
	if err != nil {
		return 0, fmt.Errorf("response answers: %w", err)
	}
	var id app.ID
	var arrival quiz.Arrival
	err = db.shortWrite(ctx, func(tx *Tx) error {
		id = 0
		at := tx.now
		if !s.At.IsZero() {
			if s.At.After(tx.now) {
				return app.Invalid("at", "答卷时间不能晚于当前时间")
			}
			at = s.At
		}
		a, err := tx.quizArrival(ctx, q, s.Token, s.Device, s.Client, at)
		if err != nil {
			return err
		}
		arrival = a
		if err := q.Accept(a); err != nil {
			return err
		}
		rid := tx.db.NewID()
		if _, err := tx.exec(ctx, `INSERT INTO quiz_responses (id, quiz_id, seed, token, device, client, profile, total, answers, excluded, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			rid, q.ID, int64(s.Seed), token, device, s.Client, string(profile), int64(s.Result.Total), string(answers), false, ms(at)); err != nil {
			return fmt.Errorf("insert quiz response: %w", err)
		}
		if len(s.Result.Dimensions) > 0 {
			args := make([]any, 0, 3*len(s.Result.Dimensions))
			for _, d := range s.Result.Dimensions {
				args = append(args, rid, d.Code, int64(d.Score))
			}
			if _, err := tx.exec(ctx, `INSERT INTO quiz_response_scores (response_id, dimension, score) VALUES `+
				strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(s.Result.Dimensions)), ", "), args...); err != nil {
				return fmt.Errorf("insert quiz response scores: %w", err)
			}
		}
		id = rid
		return nil
	})
	if isUniqueViolation(err) {
		arrival.TokenIssued, arrival.TokenUsed, arrival.DeviceSeen = true, true, true
		if refused := q.Accept(arrival); refused != nil {
			return 0, refused
		}
		return 0, app.Errorf(app.ECONFLICT, "您已经提交过本次测评的答卷，每人只能作答一次")
	}
	if err != nil {
		return 0, err
	}
	return id, nil
}

// nonNilMap returns m, or an empty map for nil, so a stored profile is
// always a JSON object.
func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// FindResponses lists a quiz's responses, oldest first, excluded ones
// included, each with its profile, total and scores per dimension.
func (db *DB) FindResponses(ctx context.Context, quizID app.ID) ([]quiz.StoredResponse, error) {
	r := db.reader()
	rows, err := r.query(ctx, `SELECT id, profile, total, excluded, created_at FROM quiz_responses WHERE quiz_id = ? ORDER BY created_at, id`, quizID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []quiz.StoredResponse
	index := map[app.ID]int{}
	for rows.Next() {
		var sr quiz.StoredResponse
		var profile string
		var total, at int64
		if err := rows.Scan(&sr.ID, &profile, &total, &sr.Excluded, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(profile), &sr.Profile); err != nil {
			return nil, fmt.Errorf("quiz response %s profile: %w", sr.ID, err)
		}
		sr.Total, sr.At, sr.Scores = quiz.Hundredths(total), fromMS(at), map[string]quiz.Hundredths{}
		index[sr.ID] = len(out)
		out = append(out, sr)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(out) == 0 {
		return nil, nil
	}
	// One query for every response's scores, not one per response.
	srows, err := r.query(ctx, `SELECT s.response_id, s.dimension, s.score FROM quiz_response_scores s
		JOIN quiz_responses r ON r.id = s.response_id WHERE r.quiz_id = ?`, quizID)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var id app.ID
		var dim string
		var score int64
		if err := srows.Scan(&id, &dim, &score); err != nil {
			return nil, err
		}
		// A response stored between the two queries is not in the list.
		if i, ok := index[id]; ok {
			out[i].Scores[dim] = quiz.Hundredths(score)
		}
	}
	return out, srows.Err()
}

// FindResponseResult reads one response of a quiz with its markings and
// scores, for its result page shown again; ENOTFOUND when quizID has no
// response responseID.
func (db *DB) FindResponseResult(ctx context.Context, quizID, responseID app.ID) (*quiz.StoredResult, error) {
	r := db.reader()
	sr := &quiz.StoredResult{ID: responseID, Scores: map[string]quiz.Hundredths{}}
	var seed, total, at int64
	var answers string
	if err := r.queryRow(ctx, `SELECT seed, total, answers, excluded, created_at FROM quiz_responses WHERE quiz_id = ? AND id = ?`,
		quizID, responseID).Scan(&seed, &total, &answers, &sr.Excluded, &at); err != nil {
		return nil, notFound(err, "测评结果不存在或链接有误")
	}
	sr.Seed, sr.Total, sr.At = uint64(seed), quiz.Hundredths(total), fromMS(at)
	var marked []markedJSON
	if err := json.Unmarshal([]byte(answers), &marked); err != nil {
		return nil, fmt.Errorf("quiz response %s answers: %w", responseID, err)
	}
	for _, m := range marked {
		sr.Questions = append(sr.Questions, quiz.Marked{QuestionID: m.QuestionID, Given: nonNil(m.Given), Verdict: m.Verdict, Points: m.Points})
	}
	rows, err := r.query(ctx, `SELECT dimension, score FROM quiz_response_scores WHERE response_id = ?`, responseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var dim string
		var score int64
		if err := rows.Scan(&dim, &score); err != nil {
			return nil, err
		}
		sr.Scores[dim] = quiz.Hundredths(score)
	}
	return sr, rows.Err()
}

// ExcludeResponses marks responses of a quiz excluded, audited. An id that
// is not one of the quiz's responses fails the whole call (ENOTFOUND) and
// excludes nothing; no ids is nothing to do.
func (db *DB) ExcludeResponses(ctx context.Context, quizID app.ID, ids []app.ID) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) == 0 {
		return nil
	}
	return db.update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM quizzes WHERE id = ?`, quizID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return app.Errorf(app.ENOTFOUND, "测评不存在")
		}
		for rest := ids; len(rest) > 0; {
			chunk := rest[:min(len(rest), 500)]
			rest = rest[len(chunk):]
			args := append([]any{true, quizID}, anyArgs(chunk)...)
			res, err := tx.exec(ctx, `UPDATE quiz_responses SET excluded = ? WHERE quiz_id = ? AND id IN (`+placeholders(len(chunk))+`)`, args...)
			if err != nil {
				return fmt.Errorf("exclude quiz responses: %w", err)
			}
			// Both engines count the rows matched, changed or not.
			if k, err := res.RowsAffected(); err != nil {
				return err
			} else if int(k) != len(chunk) {
				return app.Errorf(app.ENOTFOUND, "所选答卷中有不属于本测评或已不存在的，未作任何排除")
			}
		}
		return tx.audit(ctx, audit.Record{Action: "quiz.exclude", ObjectType: "quiz", ObjectID: quizID.String(), Detail: fmt.Sprintf("排除答卷 %d 份", len(ids))})
	})
}
