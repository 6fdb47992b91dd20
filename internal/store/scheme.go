package store

import (
	"context"
	"fmt"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/audit"
)

var _ assess.Store = (*DB)(nil)

// CreateScheme stores a new draft version.
func (db *DB) CreateScheme(ctx context.Context, orgID, family app.ID, s *assess.Scheme) (*assess.StoredScheme, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	out := &assess.StoredScheme{OrgID: orgID, FamilyID: family, Status: assess.Draft}
	err := db.update(ctx, func(tx *Tx) error {
		if _, err := tx.findOrgByID(ctx, orgID); err != nil {
			return app.Invalid("org", "所属区域不存在")
		}
		out.ID, out.CreatedAt = tx.db.NewID(), tx.now
		if a := app.ActorFrom(ctx); a != nil {
			out.CreatedBy = a.UserID
		}
		s.Version = 1
		if family == 0 {
			out.FamilyID = out.ID
		} else {
			var last int
			var fam app.ID
			if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0), COALESCE(MAX(org_id), 0) FROM schemes WHERE family_id = ?`, family).Scan(&last, &fam); err != nil {
				return err
			}
			if last == 0 {
				return app.Errorf(app.ENOTFOUND, "指标体系不存在")
			}
			var drafts int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM schemes WHERE family_id = ? AND status = ?`, family, assess.Draft).Scan(&drafts); err != nil {
				return err
			}
			if drafts > 0 {
				return app.Errorf(app.ECONFLICT, "这套指标体系已有未发布的草稿，请在草稿上继续修改")
			}
			s.Version = last + 1
		}
		out.Scheme = s
		body, err := assess.EncodeScheme(s)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO schemes (id, family_id, org_id, name, version, status, body, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			out.ID, out.FamilyID, orgID, s.Name, s.Version, assess.Draft, string(body), out.CreatedBy, ms(tx.now)); err != nil {
			return fmt.Errorf("insert scheme: %w", err)
		}
		return tx.audit(ctx, audit.Record{Action: "scheme.create", ObjectType: "scheme", ObjectID: out.ID.String(), Detail: fmt.Sprintf("%s 第 %d 版", s.Name, s.Version)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateScheme replaces a draft's tree.
func (db *DB) UpdateScheme(ctx context.Context, id app.ID, s *assess.Scheme) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		cur, err := tx.findScheme(ctx, id)
		if err != nil {
			return err
		}
		if cur.Status != assess.Draft {
			return app.Errorf(app.ECONFLICT, "已发布的指标体系不能修改；请基于它新建一个版本")
		}
		s.Version = cur.Scheme.Version
		body, err := assess.EncodeScheme(s)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE schemes SET name = ?, body = ? WHERE id = ?`, s.Name, string(body), id); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "scheme.update", ObjectType: "scheme", ObjectID: id.String(), Detail: s.Name})
	})
}

// PublishScheme freezes a draft.
func (db *DB) PublishScheme(ctx context.Context, id app.ID) error {
	return db.update(ctx, func(tx *Tx) error {
		cur, err := tx.findScheme(ctx, id)
		if err != nil {
			return err
		}
		if cur.Status != assess.Draft {
			return app.Errorf(app.ECONFLICT, "这个版本已经发布")
		}
		if _, err := tx.exec(ctx, `UPDATE schemes SET status = ?, published_at = ? WHERE id = ?`, assess.Published, ms(tx.now), id); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "scheme.publish", ObjectType: "scheme", ObjectID: id.String(), Detail: fmt.Sprintf("%s 第 %d 版", cur.Scheme.Name, cur.Scheme.Version)})
	})
}

const schemeColumns = `id, family_id, org_id, status, body, created_by, created_at, published_at`

func scanScheme(sc interface{ Scan(...any) error }) (*assess.StoredScheme, error) {
	out := &assess.StoredScheme{}
	var body string
	var created, published int64
	if err := sc.Scan(&out.ID, &out.FamilyID, &out.OrgID, &out.Status, &body, &out.CreatedBy, &created, &published); err != nil {
		return nil, err
	}
	out.CreatedAt, out.PublishedAt = fromMS(created), fromMS(published)
	s, err := assess.DecodeScheme([]byte(body))
	if err != nil {
		return nil, fmt.Errorf("stored scheme %s: %w", out.ID, err)
	}
	out.Scheme = s
	return out, nil
}

func (t *Tx) findScheme(ctx context.Context, id app.ID) (*assess.StoredScheme, error) {
	s, err := scanScheme(t.queryRow(ctx, `SELECT `+schemeColumns+` FROM schemes WHERE id = ?`, id))
	return s, notFound(err, "指标体系不存在")
}

// FindSchemeByID returns one stored version.
func (db *DB) FindSchemeByID(ctx context.Context, id app.ID) (*assess.StoredScheme, error) {
	return db.reader().findScheme(ctx, id)
}

// FindSchemes returns the latest version of each scheme in a subtree.
func (db *DB) FindSchemes(ctx context.Context, orgPath string) ([]*assess.StoredScheme, error) {
	rows, err := db.reader().query(ctx, `SELECT `+prefixedCols("s.", schemeColumns)+` FROM schemes s JOIN orgs o ON o.id = s.org_id
		WHERE o.path LIKE ? ESCAPE '\' AND s.version = (SELECT MAX(version) FROM schemes v WHERE v.family_id = s.family_id)
		ORDER BY s.created_at DESC, s.id DESC`, prefixPattern(orgPath))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*assess.StoredScheme
	for rows.Next() {
		s, err := scanScheme(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// FindPublishedScheme returns the latest published version of a family.
func (db *DB) FindPublishedScheme(ctx context.Context, family app.ID) (*assess.StoredScheme, error) {
	s, err := scanScheme(db.reader().queryRow(ctx, `SELECT `+schemeColumns+` FROM schemes WHERE family_id = ? AND status = ? ORDER BY version DESC LIMIT 1`, family, assess.Published))
	return s, notFound(err, "这套指标体系还没有发布的版本")
}
