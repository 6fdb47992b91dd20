package store

import (
	"context"
	"fmt"
	"strings"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/learn"
)

var _ learn.Store = (*DB)(nil)

// CreateList stores a must-know list with its items.
func (db *DB) CreateList(ctx context.Context, l *learn.List) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.findOrgByID(ctx, l.OrgID); err != nil {
			return app.Invalid("org", "所属单位不存在")
		}
		l.ID, l.CreatedAt = tx.db.NewID(), tx.now
		if a := app.ActorFrom(ctx); a != nil {
			l.CreatedBy = a.UserID
		}
		if _, err := tx.exec(ctx, `INSERT INTO must_know_lists (id, org_id, title, audience, year, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			l.ID, l.OrgID, l.Title, l.Audience, l.Year, l.CreatedBy, ms(tx.now)); err != nil {
			return fmt.Errorf("insert list: %w", err)
		}
		if err := tx.insertListItems(ctx, l); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "list.create", ObjectType: "must_know_list", ObjectID: l.ID.String(), Detail: fmt.Sprintf("%s：%d 项", l.Title, len(l.Items))})
	})
}

func (t *Tx) insertListItems(ctx context.Context, l *learn.List) error {
	for i, it := range l.Items {
		var n int
		if it.ArticleID != 0 {
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM law_articles WHERE id = ? AND law_id = ?`, it.ArticleID, it.LawID).Scan(&n); err != nil {
				return err
			}
		} else if err := t.queryRow(ctx, `SELECT COUNT(*) FROM laws WHERE id = ?`, it.LawID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return app.Invalid("items", "第 %d 项的法律法规或条文不存在", i+1)
		}
		if _, err := t.exec(ctx, `INSERT INTO must_know_items (list_id, position, law_id, article_id, material) VALUES (?, ?, ?, ?, ?)`,
			l.ID, i, it.LawID, it.ArticleID, strings.TrimSpace(it.Material)); err != nil {
			return fmt.Errorf("insert list item: %w", err)
		}
	}
	return nil
}

// UpdateList replaces a list's title, audience, year and items.
func (db *DB) UpdateList(ctx context.Context, l *learn.List) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE must_know_lists SET title = ?, audience = ?, year = ? WHERE id = ?`, l.Title, l.Audience, l.Year, l.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "清单不存在")
		}
		if _, err := tx.exec(ctx, `DELETE FROM must_know_items WHERE list_id = ?`, l.ID); err != nil {
			return err
		}
		if err := tx.insertListItems(ctx, l); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "list.update", ObjectType: "must_know_list", ObjectID: l.ID.String(), Detail: fmt.Sprintf("%s：%d 项", l.Title, len(l.Items))})
	})
}

// FindListByID returns a list with its items.
func (db *DB) FindListByID(ctx context.Context, id app.ID) (*learn.List, error) {
	tx := db.reader()
	l := &learn.List{}
	var created int64
	err := tx.queryRow(ctx, `SELECT id, org_id, title, audience, year, created_by, created_at FROM must_know_lists WHERE id = ?`, id).
		Scan(&l.ID, &l.OrgID, &l.Title, &l.Audience, &l.Year, &l.CreatedBy, &created)
	if err != nil {
		return nil, notFound(err, "清单不存在")
	}
	l.CreatedAt = fromMS(created)
	rows, err := tx.query(ctx, `SELECT i.law_id, i.article_id, i.material, l.title, COALESCE(a.label, '') FROM must_know_items i JOIN laws l ON l.id = i.law_id
		LEFT JOIN law_articles a ON a.id = i.article_id WHERE i.list_id = ? ORDER BY i.position`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var it learn.Item
		if err := rows.Scan(&it.LawID, &it.ArticleID, &it.Material, &it.LawTitle, &it.ArticleLabel); err != nil {
			return nil, err
		}
		l.Items = append(l.Items, it)
	}
	return l, rows.Err()
}

// FindLists lists the lists kept by the orgs on the given paths.
func (db *DB) FindLists(ctx context.Context, orgPaths []string) ([]*learn.List, error) {
	if len(orgPaths) == 0 {
		return nil, nil
	}
	args := anyArgs(orgPaths)
	rows, err := db.reader().query(ctx, `SELECT m.id, m.org_id, m.title, m.audience, m.year, m.created_by, m.created_at FROM must_know_lists m JOIN orgs o ON o.id = m.org_id
		WHERE o.path IN (`+placeholders(len(orgPaths))+`) ORDER BY m.year DESC, m.created_at DESC, m.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*learn.List
	for rows.Next() {
		l := &learn.List{}
		var created int64
		if err := rows.Scan(&l.ID, &l.OrgID, &l.Title, &l.Audience, &l.Year, &l.CreatedBy, &created); err != nil {
			return nil, err
		}
		l.CreatedAt = fromMS(created)
		out = append(out, l)
	}
	return out, rows.Err()
}

// listArticlesSQL selects the article ids a list covers: its single
// articles, and every article of its whole laws.
const listArticlesSQL = `SELECT i.article_id FROM must_know_items i WHERE i.list_id = ? AND i.article_id <> 0
	UNION SELECT a.id FROM must_know_items i JOIN law_articles a ON a.law_id = i.law_id WHERE i.list_id = ? AND i.article_id = 0`

// ListArticles returns the articles a list covers.
func (db *DB) ListArticles(ctx context.Context, listID app.ID) ([]app.ID, error) {
	rows, err := db.reader().query(ctx, listArticlesSQL, listID, listID)
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

// MarkRead records that a person has read an article; reading it again
// changes nothing.
func (db *DB) MarkRead(ctx context.Context, userID, articleID app.ID) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO article_reads (user_id, article_id, read_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, userID, articleID, ms(tx.now))
		return err
	})
}

// progressSQL counts, per user, the list's articles read and the questions
// testing them that were practised. The ? are: list (twice) for the
// covered articles, the same again for the questions, then the user
// condition's arguments.
const progressSQL = `WITH arts AS (` + listArticlesSQL + `),
	qs AS (SELECT q.id FROM questions q WHERE q.active = TRUE AND q.article_id IN (SELECT article_id FROM arts))
	SELECT u.id, u.org_id,
		(SELECT COUNT(*) FROM article_reads r WHERE r.user_id = u.id AND r.article_id IN (SELECT article_id FROM arts)),
		(SELECT COUNT(*) FROM practice_answers p WHERE p.user_id = u.id AND p.question_id IN (SELECT id FROM qs)),
		(SELECT COUNT(*) FROM arts), (SELECT COUNT(*) FROM qs)
	FROM users u JOIN orgs o ON o.id = u.org_id WHERE `

func (db *DB) progressRows(ctx context.Context, listID app.ID, cond string, args []any, fn func(user, org app.ID, p learn.Progress)) error {
	rows, err := db.reader().query(ctx, progressSQL+cond, append([]any{listID, listID}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var user, org app.ID
		var p learn.Progress
		if err := rows.Scan(&user, &org, &p.Read, &p.Practised, &p.Articles, &p.Questions); err != nil {
			return err
		}
		p.People = 1
		fn(user, org, p)
	}
	return rows.Err()
}

// FindListProgress returns each given user's progress through a list.
func (db *DB) FindListProgress(ctx context.Context, listID app.ID, userIDs []app.ID) (map[app.ID]learn.Progress, error) {
	out := map[app.ID]learn.Progress{}
	if len(userIDs) == 0 {
		return out, nil
	}
	args := anyArgs(userIDs)
	err := db.progressRows(ctx, listID, `u.id IN (`+placeholders(len(userIDs))+`)`, args, func(user, _ app.ID, p learn.Progress) { out[user] = p })
	return out, err
}

// FindUnitListProgress sums the progress of every active user in a subtree,
// per org.
func (db *DB) FindUnitListProgress(ctx context.Context, listID app.ID, orgPath string) (map[app.ID]learn.Progress, error) {
	out := map[app.ID]learn.Progress{}
	err := db.progressRows(ctx, listID, `o.path LIKE ? ESCAPE '\' AND u.active = TRUE`, []any{prefixPattern(orgPath)}, func(_, org app.ID, p learn.Progress) {
		sum := out[org]
		sum.Articles, sum.Questions = p.Articles, p.Questions
		sum.Read += p.Read
		sum.Practised += p.Practised
		sum.People++
		out[org] = sum
	})
	return out, err
}

// RecordPractice stores a practice answer and keeps the mistake book.
func (db *DB) RecordPractice(ctx context.Context, userID, questionID app.ID, answer []string, correct bool) error {
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO practice_answers (user_id, question_id, correct, answer, answered_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, question_id) DO UPDATE SET correct = excluded.correct, answer = excluded.answer, answered_at = excluded.answered_at`,
			userID, questionID, correct, strings.Join(answer, "|"), ms(tx.now)); err != nil {
			return err
		}
		if !correct {
			_, err := tx.exec(ctx, `INSERT INTO mistakes (user_id, question_id, wrong_count, right_streak, last_wrong_at) VALUES (?, ?, 1, 0, ?)
				ON CONFLICT (user_id, question_id) DO UPDATE SET wrong_count = mistakes.wrong_count + 1, right_streak = 0, last_wrong_at = excluded.last_wrong_at`,
				userID, questionID, ms(tx.now))
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE mistakes SET right_streak = right_streak + 1 WHERE user_id = ? AND question_id = ?`, userID, questionID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM mistakes WHERE user_id = ? AND question_id = ? AND right_streak >= ?`, userID, questionID, learn.ClearAfter)
		return err
	})
}

// FindMistakes returns a person's mistake book, most recent first.
func (db *DB) FindMistakes(ctx context.Context, userID app.ID) ([]learn.Mistake, error) {
	rows, err := db.reader().query(ctx, `SELECT question_id, wrong_count, right_streak, last_wrong_at FROM mistakes WHERE user_id = ? ORDER BY last_wrong_at DESC, question_id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []learn.Mistake
	for rows.Next() {
		var m learn.Mistake
		var at int64
		if err := rows.Scan(&m.QuestionID, &m.WrongCount, &m.RightStreak, &at); err != nil {
			return nil, err
		}
		m.LastWrongAt = fromMS(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// PractisedQuestions returns the questions a person has answered in
// practice.
func (db *DB) PractisedQuestions(ctx context.Context, userID app.ID) (map[app.ID]bool, error) {
	return db.idSet(ctx, `SELECT question_id FROM practice_answers WHERE user_id = ?`, userID)
}
