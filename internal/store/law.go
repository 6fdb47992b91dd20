package store

import (
	"context"
	"fmt"
	"strings"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/law"
)

var _ law.Store = (*DB)(nil)

// CreateLaw stores a law with its articles.
func (db *DB) CreateLaw(ctx context.Context, l *law.Law) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.findOrgByID(ctx, l.OrgID); err != nil {
			return app.Invalid("org", "所属区域不存在")
		}
		l.ID, l.CreatedAt, l.UpdatedAt = tx.db.NewID(), tx.now, tx.now
		var by app.ID
		if a := app.ActorFrom(ctx); a != nil {
			by = a.UserID
		}
		if _, err := tx.exec(ctx, `INSERT INTO laws (id, org_id, title, category, issuer, doc_number, promulgated, effective, status, preamble, search_key, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			l.ID, l.OrgID, l.Title, l.Category, l.Issuer, l.DocNumber, ms(l.Promulgated), ms(l.Effective), l.Status, l.Preamble, law.SearchKey(l.Title), by, ms(tx.now), ms(tx.now)); err != nil {
			return fmt.Errorf("insert law: %w", err)
		}
		for i := range l.Articles {
			a := &l.Articles[i]
			a.ID, a.LawID = tx.db.NewID(), l.ID
			if _, err := tx.exec(ctx, `INSERT INTO law_articles (id, law_id, position, label, n, sub, part, subpart, chapter, division, body, search_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				a.ID, l.ID, a.Position, a.Label, a.N, a.Sub, a.Part, a.Subpart, a.Chapter, a.Division, a.Text, law.SearchKey(a.Label+" "+a.Text)); err != nil {
				return fmt.Errorf("insert article: %w", err)
			}
		}
		return tx.audit(ctx, audit.Record{Action: "law.create", ObjectType: "law", ObjectID: l.ID.String(), Detail: fmt.Sprintf("%s：%d 条", l.Title, len(l.Articles))})
	})
}

// UpdateLaw changes a law's title, category, issuer, dates and status; the
// articles stay (a new text is a new law, so questions keep their article).
func (db *DB) UpdateLaw(ctx context.Context, l *law.Law) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE laws SET title = ?, category = ?, issuer = ?, doc_number = ?, promulgated = ?, effective = ?, status = ?, search_key = ?, updated_at = ? WHERE id = ?`,
			l.Title, l.Category, l.Issuer, l.DocNumber, ms(l.Promulgated), ms(l.Effective), l.Status, law.SearchKey(l.Title), ms(tx.now), l.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "法律法规不存在")
		}
		return tx.audit(ctx, audit.Record{Action: "law.update", ObjectType: "law", ObjectID: l.ID.String(), Detail: l.Title})
	})
}

const lawColumns = `l.id, l.org_id, l.title, l.category, l.issuer, l.doc_number, l.promulgated, l.effective, l.status, l.preamble, l.created_at, l.updated_at`

func scanLaw(sc interface{ Scan(...any) error }, extra ...any) (*law.Law, error) {
	l := &law.Law{}
	var prom, eff, created, updated int64
	if err := sc.Scan(append([]any{&l.ID, &l.OrgID, &l.Title, &l.Category, &l.Issuer, &l.DocNumber, &prom, &eff, &l.Status, &l.Preamble, &created, &updated}, extra...)...); err != nil {
		return nil, err
	}
	l.Promulgated, l.Effective, l.CreatedAt, l.UpdatedAt = fromMS(prom), fromMS(eff), fromMS(created), fromMS(updated)
	return l, nil
}

const articleColumns = `a.id, a.law_id, a.position, a.label, a.n, a.sub, a.part, a.subpart, a.chapter, a.division, a.body`

func scanArticle(sc interface{ Scan(...any) error }, extra ...any) (*law.Article, error) {
	a := &law.Article{}
	err := sc.Scan(append([]any{&a.ID, &a.LawID, &a.Position, &a.Label, &a.N, &a.Sub, &a.Part, &a.Subpart, &a.Chapter, &a.Division, &a.Text}, extra...)...)
	return a, err
}

// FindLawByID returns a law with its articles in order.
func (db *DB) FindLawByID(ctx context.Context, id app.ID) (*law.Law, error) {
	tx := db.reader()
	l, err := scanLaw(tx.queryRow(ctx, `SELECT `+lawColumns+` FROM laws l WHERE l.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "法律法规不存在")
	}
	rows, err := tx.query(ctx, `SELECT `+articleColumns+` FROM law_articles a WHERE a.law_id = ? ORDER BY a.position`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		l.Articles = append(l.Articles, *a)
	}
	return l, rows.Err()
}

// FindLaws lists the laws kept by the orgs on the given paths, matching
// the filter, by title; ArticleCount is filled, Articles are not.
func (db *DB) FindLaws(ctx context.Context, f law.Filter) ([]law.Summary, error) {
	if len(f.InPaths) == 0 {
		return nil, nil
	}
	where, args := []string{`o.path IN (` + placeholders(len(f.InPaths)) + `)`}, anyArgs(f.InPaths)
	if f.Category != "" {
		where, args = append(where, `l.category = ?`), append(args, f.Category)
	}
	if f.Query != "" {
		where, args = append(where, `l.search_key LIKE ? ESCAPE '\'`), append(args, likePattern(law.SearchKey(f.Query)))
	}
	rows, err := db.reader().query(ctx, `SELECT `+lawColumns+`, (SELECT COUNT(*) FROM law_articles a WHERE a.law_id = l.id) FROM laws l JOIN orgs o ON o.id = l.org_id
		WHERE `+strings.Join(where, ` AND `)+` ORDER BY l.category, l.title`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []law.Summary
	for rows.Next() {
		var n int
		l, err := scanLaw(rows, &n)
		if err != nil {
			return nil, err
		}
		out = append(out, law.Summary{Law: l, ArticleCount: n})
	}
	return out, rows.Err()
}

// SearchArticles finds articles whose label or text contain the query, in
// the laws kept by the orgs on the given paths.
func (db *DB) SearchArticles(ctx context.Context, paths []string, query string, limit int) ([]law.Hit, error) {
	// Words separated by spaces must all occur: 私有 财产 finds
	// 公民的合法的私有财产不受侵犯.
	var terms []string
	for _, w := range strings.Fields(query) {
		if k := law.SearchKey(w); k != "" {
			terms = append(terms, k)
		}
	}
	if len(terms) == 0 || len(paths) == 0 {
		return nil, nil
	}
	args := anyArgs(paths)
	cond := ""
	for _, t := range terms {
		cond += ` AND a.search_key LIKE ? ESCAPE '\'`
		args = append(args, likePattern(t))
	}
	args = append(args, max(1, min(limit, 200)))
	rows, err := db.reader().query(ctx, `SELECT `+articleColumns+`, l.title FROM law_articles a JOIN laws l ON l.id = a.law_id JOIN orgs o ON o.id = l.org_id
		WHERE o.path IN (`+placeholders(len(paths))+`)`+cond+` ORDER BY l.title, a.position LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []law.Hit
	for rows.Next() {
		var title string
		a, err := scanArticle(rows, &title)
		if err != nil {
			return nil, err
		}
		out = append(out, law.Hit{Article: *a, LawTitle: title})
	}
	return out, rows.Err()
}

// FindArticleByID returns ENOTFOUND.
func (db *DB) FindArticleByID(ctx context.Context, id app.ID) (*law.Article, error) {
	a, err := scanArticle(db.reader().queryRow(ctx, `SELECT `+articleColumns+` FROM law_articles a WHERE a.id = ?`, id))
	return a, notFound(err, "条文不存在")
}

// FindArticleByLabel finds a law's article by its label (第三十三条).
func (db *DB) FindArticleByLabel(ctx context.Context, lawID app.ID, label string) (*law.Article, error) {
	a, err := scanArticle(db.reader().queryRow(ctx, `SELECT `+articleColumns+` FROM law_articles a WHERE a.law_id = ? AND a.label = ? ORDER BY a.position LIMIT 1`, lawID, label))
	return a, notFound(err, "条文不存在")
}

// ReadArticles returns which of a law's articles a person has read.
func (db *DB) ReadArticles(ctx context.Context, userID, lawID app.ID) (map[app.ID]bool, error) {
	return db.idSet(ctx, `SELECT r.article_id FROM article_reads r JOIN law_articles a ON a.id = r.article_id WHERE r.user_id = ? AND a.law_id = ?`, userID, lawID)
}

// QuestionCounts counts the questions that test each article of a law.
func (db *DB) QuestionCounts(ctx context.Context, lawID app.ID) (map[app.ID]int, error) {
	return db.countsByID(ctx, `SELECT article_id, COUNT(*) FROM questions WHERE law_id = ? AND article_id <> 0 AND active = TRUE GROUP BY article_id`, lawID)
}
