package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/question"
)

var _ question.Store = (*DB)(nil)

// ImportQuestions adds the questions the bank does not hold yet.
func (db *DB) ImportQuestions(ctx context.Context, orgID app.ID, qs []*question.Stored) (question.ImportResult, error) {
	var res question.ImportResult
	for i, q := range qs {
		if err := q.Validate(); err != nil {
			e := app.Invalid("questions", "第 %d 题：%s", i+1, app.ErrorMessage(err))
			return res, e
		}
		if q.Difficulty < 0 || q.Difficulty > 5 {
			return res, app.Invalid("questions", "第 %d 题：难度应为 1 到 5", i+1)
		}
	}
	err := db.update(ctx, func(tx *Tx) error {
		res = question.ImportResult{}
		if _, err := tx.findOrgByID(ctx, orgID); err != nil {
			return app.Invalid("org", "所属区域不存在")
		}
		var by app.ID
		if a := app.ActorFrom(ctx); a != nil {
			by = a.UserID
		}
		seen := map[string]bool{}
		for i, q := range qs {
			key := q.Key()
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM questions WHERE org_id = ? AND content_key = ?`, orgID, key).Scan(&n); err != nil {
				return err
			}
			if n > 0 || seen[key] {
				res.Duplicates = append(res.Duplicates, i)
				continue
			}
			seen[key] = true
			opts, _ := json.Marshal(nonNil(q.Options))
			ans, _ := json.Marshal(nonNil(q.Answer))
			q.ID, q.OrgID, q.CreatedBy, q.CreatedAt = tx.db.NewID(), orgID, by, tx.now
			if _, err := tx.exec(ctx, `INSERT INTO questions (id, org_id, qtype, stem, options, answer, analysis, law_id, article_id, tags, difficulty, source, content_key, created_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				q.ID, orgID, q.Type, q.Stem, string(opts), string(ans), q.Analysis, q.LawID, q.ArticleID, joinTags(q.Tags), q.Difficulty, q.Source, key, by, ms(tx.now)); err != nil {
				return fmt.Errorf("insert question: %w", err)
			}
			res.Added++
		}
		return tx.audit(ctx, audit.Record{Action: "question.import", ObjectType: "org", ObjectID: orgID.String(),
			Detail: fmt.Sprintf("导入 %d 题，跳过重复 %d 题", res.Added, len(res.Duplicates))})
	})
	return res, err
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// joinTags stores tags as ",a,b," so one tag is found with LIKE '%,a,%'.
func joinTags(tags []string) string {
	var clean []string
	for _, t := range tags {
		t = strings.TrimSpace(strings.ReplaceAll(t, ",", "，"))
		if t != "" {
			clean = append(clean, t)
		}
	}
	if len(clean) == 0 {
		return ""
	}
	return "," + strings.Join(clean, ",") + ","
}

func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(strings.Trim(s, ","), ",") {
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

const questionColumns = `q.id, q.org_id, q.qtype, q.stem, q.options, q.answer, q.analysis, q.law_id, q.article_id, q.tags, q.difficulty, q.source, q.created_by, q.created_at`

func scanQuestion(sc interface{ Scan(...any) error }) (*question.Stored, error) {
	q := &question.Stored{}
	var opts, ans, tags string
	var created int64
	if err := sc.Scan(&q.ID, &q.OrgID, &q.Type, &q.Stem, &opts, &ans, &q.Analysis, &q.LawID, &q.ArticleID, &tags, &q.Difficulty, &q.Source, &q.CreatedBy, &created); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(opts), &q.Options); err != nil {
		return nil, fmt.Errorf("question %s options: %w", q.ID, err)
	}
	if err := json.Unmarshal([]byte(ans), &q.Answer); err != nil {
		return nil, fmt.Errorf("question %s answer: %w", q.ID, err)
	}
	q.Tags, q.CreatedAt = splitTags(tags), fromMS(created)
	return q, nil
}

// FindQuestionByID returns ENOTFOUND.
func (db *DB) FindQuestionByID(ctx context.Context, id app.ID) (*question.Stored, error) {
	q, err := scanQuestion(db.reader().queryRow(ctx, `SELECT `+questionColumns+` FROM questions q WHERE q.id = ?`, id))
	return q, notFound(err, "题目不存在")
}

// FindQuestions pages through a subtree's bank, newest first.
func (db *DB) FindQuestions(ctx context.Context, f question.Filter) ([]*question.Stored, int, error) {
	where := []string{`o.path LIKE ? ESCAPE '\'`, `q.active = TRUE`}
	args := []any{prefixPattern(f.OrgPath)}
	if len(f.InPaths) > 0 {
		where, args = []string{`o.path IN (` + placeholders(len(f.InPaths)) + `)`, `q.active = TRUE`}, anyArgs(f.InPaths)
	}
	if f.Type != "" {
		where, args = append(where, `q.qtype = ?`), append(args, f.Type)
	}
	if f.Tag != "" {
		where, args = append(where, `q.tags LIKE ? ESCAPE '\'`), append(args, "%,"+likeEscaper.Replace(f.Tag)+",%")
	}
	if f.LawID != 0 {
		where, args = append(where, `q.law_id = ?`), append(args, f.LawID)
	}
	if f.ArticleID != 0 {
		where, args = append(where, `q.article_id = ?`), append(args, f.ArticleID)
	}
	if len(f.ArticleIDs) > 0 || len(f.LawIDs) > 0 {
		var either []string
		if len(f.ArticleIDs) > 0 {
			either = append(either, `q.article_id IN (`+placeholders(len(f.ArticleIDs))+`)`)
			args = append(args, anyArgs(f.ArticleIDs)...)
		}
		if len(f.LawIDs) > 0 {
			either = append(either, `(q.article_id = 0 AND q.law_id IN (`+placeholders(len(f.LawIDs))+`))`)
			args = append(args, anyArgs(f.LawIDs)...)
		}
		where = append(where, `(`+strings.Join(either, ` OR `)+`)`)
	}
	if f.Query != "" {
		where, args = append(where, `q.stem LIKE ? ESCAPE '\'`), append(args, likePattern(f.Query))
	}
	if f.Answered {
		where = append(where, `q.answer <> '[]'`)
	}
	cond := strings.Join(where, ` AND `)
	tx := db.reader()
	var total int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM questions q JOIN orgs o ON o.id = q.org_id WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := tx.query(ctx, `SELECT `+questionColumns+` FROM questions q JOIN orgs o ON o.id = q.org_id WHERE `+cond+` ORDER BY q.created_at DESC, q.id DESC LIMIT ? OFFSET ?`,
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*question.Stored
	for rows.Next() {
		q, err := scanQuestion(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, q)
	}
	return out, total, rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// FindTags lists the tags used in a subtree's bank.
func (db *DB) FindTags(ctx context.Context, orgPath string) ([]string, error) {
	return db.tagsWhere(ctx, `o.path LIKE ? ESCAPE '\'`, prefixPattern(orgPath))
}

// FindTagsAt lists the tags of exactly one org's bank.
func (db *DB) FindTagsAt(ctx context.Context, orgPath string) ([]string, error) {
	return db.tagsWhere(ctx, `o.path = ?`, orgPath)
}

func (db *DB) tagsWhere(ctx context.Context, cond string, arg any) ([]string, error) {
	rows, err := db.reader().query(ctx, `SELECT DISTINCT q.tags FROM questions q JOIN orgs o ON o.id = q.org_id WHERE `+cond+` AND q.tags <> ''`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		for _, t := range splitTags(s) {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	sortSlice(out, func(a, b string) bool { return a < b })
	return out, rows.Err()
}

// CountQuestionKey counts an org's questions with the given content key:
// the import preview's duplicate check.
func (db *DB) CountQuestionKey(ctx context.Context, orgID app.ID, key string) (int, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM questions WHERE org_id = ? AND content_key = ?`, orgID, key).Scan(&n)
	return n, err
}

// FindBank returns every active, answered question in the banks of the
// orgs at paths: what an exam draws from. Unlike FindQuestions it has no
// page size, since a draw must see the whole bank; the web layer caches it.
func (db *DB) FindBank(ctx context.Context, paths []string) ([]*question.Stored, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	rows, err := db.reader().query(ctx, `SELECT `+questionColumns+` FROM questions q JOIN orgs o ON o.id = q.org_id
		WHERE o.path IN (`+placeholders(len(paths))+`) AND q.active = TRUE AND q.answer <> '[]' ORDER BY q.id`, anyArgs(paths)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*question.Stored
	for rows.Next() {
		q, err := scanQuestion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}
