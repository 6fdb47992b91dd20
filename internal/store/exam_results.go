package store

import (
	"context"
	"fmt"
	"math"
	"strings"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/audit"
	"pufa/internal/exam"
	"pufa/internal/question"
)

var _ exam.ResultStore = (*DB)(nil)

// FindExamSittings lists an exam's submitted attempts with who made them.
func (db *DB) FindExamSittings(ctx context.Context, examID app.ID) ([]*exam.SittingRow, error) {
	rows, err := db.reader().query(ctx, `SELECT `+sittingColumns+`, u.name, u.login, o.name, o.path,
		(SELECT COUNT(*) FROM exam_attempts x WHERE x.exam_id = a.exam_id AND x.user_id = a.user_id)
		FROM exam_attempts a JOIN users u ON u.id = a.user_id JOIN orgs o ON o.id = u.org_id
		WHERE a.exam_id = ? AND a.state = 'submitted'
		ORDER BY o.path, u.name, u.id, a.no`, examID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*exam.SittingRow
	for rows.Next() {
		var r exam.SittingRow
		s, err := scanSitting(rows, &r.UserName, &r.Login, &r.OrgName, &r.OrgPath, &r.Attempts)
		if err != nil {
			return nil, err
		}
		r.Sitting = *s
		out = append(out, &r)
	}
	return out, rows.Err()
}

// sittersWhere is the condition, over users u joined with orgs o, that
// picks the active people who sit under s; it mirrors Sitters.Includes.
func sittersWhere(s exam.Sitters) (string, []any) {
	where := []string{`u.active = TRUE`, `o.path LIKE ? ESCAPE '\'`}
	args := []any{prefixPattern(s.OrgPath)}
	if len(s.Roles) > 0 {
		where = append(where, `EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN (`+placeholders(len(s.Roles))+`))`)
		args = append(args, anyArgs(s.Roles)...)
	}
	if len(s.Ranks) > 0 {
		// An account without a rank is staff, as Includes reads it.
		where = append(where, `COALESCE(NULLIF(u.rank, ''), ?) IN (`+placeholders(len(s.Ranks))+`)`)
		args = append(append(args, string(account.RankStaff)), anyArgs(s.Ranks)...)
	}
	return strings.Join(where, ` AND `), args
}

// CountSitters counts the active people who sit under s, per org.
func (db *DB) CountSitters(ctx context.Context, s exam.Sitters) ([]exam.UnitCount, error) {
	cond, args := sittersWhere(s)
	rows, err := db.reader().query(ctx, `SELECT o.id, o.name, o.path, COUNT(*) FROM users u JOIN orgs o ON o.id = u.org_id
		WHERE `+cond+` GROUP BY o.id, o.name, o.path ORDER BY o.path`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []exam.UnitCount
	for rows.Next() {
		var c exam.UnitCount
		if err := rows.Scan(&c.OrgID, &c.OrgName, &c.OrgPath, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindSitters lists the active people who sit under s.
func (db *DB) FindSitters(ctx context.Context, s exam.Sitters, limit int) ([]exam.Sitter, error) {
	if limit <= 0 {
		limit = 1000
	}
	cond, args := sittersWhere(s)
	rows, err := db.reader().query(ctx, `SELECT u.id, u.name, u.login, o.id, o.name, o.path FROM users u JOIN orgs o ON o.id = u.org_id
		WHERE `+cond+` ORDER BY o.path, u.name, u.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []exam.Sitter
	for rows.Next() {
		var p exam.Sitter
		if err := rows.Scan(&p.UserID, &p.Name, &p.Login, &p.OrgID, &p.OrgName, &p.OrgPath); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CountTakers counts, per exam, the people with a submitted attempt.
func (db *DB) CountTakers(ctx context.Context, examIDs []app.ID) (map[app.ID]int, error) {
	if len(examIDs) == 0 {
		return map[app.ID]int{}, nil
	}
	return db.countsByID(ctx, `SELECT exam_id, COUNT(DISTINCT user_id) FROM exam_attempts
		WHERE state = 'submitted' AND exam_id IN (`+placeholders(len(examIDs))+`) GROUP BY exam_id`, anyArgs(examIDs)...)
}

// FindUserSittings lists a person's attempts at every exam, newest first.
func (db *DB) FindUserSittings(ctx context.Context, userID app.ID) ([]*exam.Sitting, error) {
	return db.findSittings(ctx, `a.user_id = ? ORDER BY a.started_at DESC, a.id DESC`, userID)
}

// AwardAnswer stores a marker's points for one answer and re-marks the
// attempt.
func (db *DB) AwardAnswer(ctx context.Context, attemptID, questionID app.ID, points float64) (*exam.Sitting, error) {
	if math.IsNaN(points) || math.IsInf(points, 0) || points < 0 {
		return nil, app.Invalid("points", "得分应为不小于 0 的数")
	}
	var out *exam.Sitting
	err := db.update(ctx, func(tx *Tx) error {
		// Touch the attempt first: on PostgreSQL the row lock makes two
		// markers of one attempt re-mark it in turn, each reading the
		// other's points (SQLite has one writer anyway).
		res, err := tx.exec(ctx, `UPDATE exam_attempts SET pending_manual = pending_manual WHERE id = ?`, attemptID)
		if err != nil {
			return fmt.Errorf("lock attempt: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "答卷不存在")
		}
		s, err := scanSitting(tx.queryRow(ctx, `SELECT `+sittingColumns+` FROM exam_attempts a WHERE a.id = ?`, attemptID))
		if err != nil {
			return notFound(err, "答卷不存在")
		}
		if s.State != exam.Submitted {
			return app.Errorf(app.ECONFLICT, "考生尚未交卷，交卷后才能阅卷")
		}
		var item *exam.Item
		for i := range s.Paper.Items {
			if s.Paper.Items[i].QuestionID == questionID {
				item = &s.Paper.Items[i]
			}
		}
		if item == nil {
			return app.Invalid("question", "这份答卷没有这道题")
		}
		if points > item.Points+1e-9 {
			return app.Invalid("points", "得分 %s 超过了本题的分值 %s 分", fmtPoints(points), fmtPoints(item.Points))
		}
		qs, err := tx.paperQuestions(ctx, s.Paper)
		if err != nil {
			return err
		}
		answers, err := findAnswers(ctx, tx, attemptID)
		if err != nil {
			return err
		}
		a, answered := answers[questionID]
		if !answered || blankAnswer(a.Given) {
			return app.Invalid("question", "考生未作答这道题，按零分计，无需阅卷")
		}
		if q, ok := qs[questionID]; ok && question.Mark(&q, a.Given) != question.ByHand {
			return app.Invalid("question", "这道题由系统自动判分，不能人工给分")
		}
		if _, err := tx.exec(ctx, `UPDATE exam_answers SET awarded_mu = ? WHERE attempt_id = ? AND question_id = ?`,
			int64(assess.ToMicro(points)), attemptID, questionID); err != nil {
			return fmt.Errorf("award answer: %w", err)
		}
		v := assess.FromMicro(assess.ToMicro(points))
		a.Awarded = &v
		answers[questionID] = a
		e, err := tx.scanExam(ctx, tx.queryRow(ctx, `SELECT `+examColumns+` FROM exams e JOIN orgs o ON o.id = e.org_id WHERE e.id = ?`, s.ExamID))
		if err != nil {
			return notFound(err, "考试不存在")
		}
		before := s.Score
		setResult(s, exam.Score(s.Paper, qs, answers, e.Grading))
		if _, err := tx.exec(ctx, `UPDATE exam_attempts SET score_cent = ?, raw_mu = ?, max_mu = ?, grade = ?, passed = ?, pending_manual = ? WHERE id = ?`,
			int64(math.Round(s.Score*100)), int64(assess.ToMicro(s.Raw)), int64(assess.ToMicro(s.Max)), s.Grade, s.Passed, s.PendingManual, s.ID); err != nil {
			return fmt.Errorf("re-mark attempt: %w", err)
		}
		out = s
		return tx.audit(ctx, audit.Record{Action: "exam.award", ObjectType: "exam_attempt", ObjectID: attemptID.String(),
			Detail: fmt.Sprintf("题目 %s 给 %s 分；成绩 %s → %s", questionID, fmtPoints(points), fmtPoints(before), fmtPoints(s.Score))})
	})
	return out, err
}

// paperQuestions reads the bank questions of a paper, as they are now;
// a question since deleted is missing, and Score leaves it to a marker.
func (t *Tx) paperQuestions(ctx context.Context, p exam.Paper) (map[app.ID]question.Question, error) {
	out := make(map[app.ID]question.Question, len(p.Items))
	if len(p.Items) == 0 {
		return out, nil
	}
	ids := make([]app.ID, len(p.Items))
	for i, it := range p.Items {
		ids[i] = it.QuestionID
	}
	rows, err := t.query(ctx, `SELECT `+questionColumns+` FROM questions q WHERE q.id IN (`+placeholders(len(ids))+`)`, anyArgs(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		q, err := scanQuestion(rows)
		if err != nil {
			return nil, err
		}
		out[q.ID] = q.Question
	}
	return out, rows.Err()
}

// blankAnswer reports an answer of nothing but white space.
func blankAnswer(given []string) bool {
	for _, g := range given {
		if strings.TrimSpace(g) != "" {
			return false
		}
	}
	return true
}

// fmtPoints writes points as people read them: 7.5, 10.
func fmtPoints(x float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", x), "0"), ".")
}
