package store

import (
	"context"
	"fmt"
	"strings"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/org"
)

var _ org.Store = (*DB)(nil)

const orgColumns = `id, COALESCE(parent_id, 0), path, kind, name, code, sort_order, active, created_at, updated_at`

func scanOrg(sc interface{ Scan(...any) error }) (*org.Org, error) {
	o := &org.Org{}
	var created, updated int64
	if err := sc.Scan(&o.ID, &o.ParentID, &o.Path, &o.Kind, &o.Name, &o.Code, &o.SortOrder, &o.Active, &created, &updated); err != nil {
		return nil, err
	}
	o.CreatedAt, o.UpdatedAt = fromMS(created), fromMS(updated)
	return o, nil
}

func (t *Tx) findOrgByID(ctx context.Context, id app.ID) (*org.Org, error) {
	o, err := scanOrg(t.queryRow(ctx, `SELECT `+orgColumns+` FROM orgs WHERE id = ?`, id))
	return o, notFound(err, "组织不存在")
}

// FindOrgByID returns one org.
func (db *DB) FindOrgByID(ctx context.Context, id app.ID) (*org.Org, error) {
	return db.reader().findOrgByID(ctx, id)
}

// FindOrgByCode returns the org with code.
func (db *DB) FindOrgByCode(ctx context.Context, code string) (*org.Org, error) {
	o, err := scanOrg(db.reader().queryRow(ctx, `SELECT `+orgColumns+` FROM orgs WHERE code = ?`, strings.ToUpper(strings.TrimSpace(code))))
	return o, notFound(err, fmt.Sprintf("没有代码为“%s”的组织", code))
}

// FindRootOrg returns the org without a parent.
func (db *DB) FindRootOrg(ctx context.Context) (*org.Org, error) {
	o, err := scanOrg(db.reader().queryRow(ctx, `SELECT `+orgColumns+` FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1`))
	return o, notFound(err, "尚未创建根组织")
}

// FindOrgs returns orgs in tree order (by path, which sorts parents before
// children) and the total.
func (db *DB) FindOrgs(ctx context.Context, f org.Filter) ([]*org.Org, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if v := f.ID; v != nil {
		where, args = append(where, "id = ?"), append(args, *v)
	}
	if v := f.UnderPath; v != nil {
		where, args = append(where, `path LIKE ? ESCAPE '\'`), append(args, prefixPattern(*v))
	}
	if v := f.ParentID; v != nil {
		where, args = append(where, "parent_id = ?"), append(args, *v)
	}
	if v := f.Kind; v != nil && *v != "" {
		where, args = append(where, "kind = ?"), append(args, *v)
	}
	if v := f.Active; v != nil {
		where, args = append(where, "active = ?"), append(args, *v)
	}
	if v := f.Query; v != nil && *v != "" {
		p := likePattern(*v)
		where, args = append(where, `(LOWER(name) LIKE LOWER(?) ESCAPE '\' OR LOWER(code) LIKE LOWER(?) ESCAPE '\')`), append(args, p, p)
	}
	cond := strings.Join(where, " AND ")
	r := db.reader()
	var total int
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM orgs WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count orgs: %w", err)
	}
	// Tree order (siblings by the order people set) needs the whole
	// filtered set: a page cut by SQL first would break it at page
	// boundaries. A district holds hundreds of orgs; maxOrgList bounds
	// what one request reads at larger scale.
	limit, offset := f.Limit, max(f.Offset, 0)
	if limit <= 0 || limit > maxOrgList {
		limit = maxOrgList
	}
	rows, err := r.query(ctx, `SELECT `+orgColumns+` FROM orgs WHERE `+cond+` ORDER BY path LIMIT ?`, append(args, maxOrgList)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find orgs: %w", err)
	}
	defer rows.Close()
	var out []*org.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	sortTree(out)
	if offset >= len(out) {
		return nil, total, nil
	}
	return out[offset:min(offset+limit, len(out))], total, nil
}

// maxOrgList bounds the orgs one list reads: far above a district or a
// city, below what would make a request heavy. A province-scale tree is
// browsed a subtree at a time.
const maxOrgList = 20000

// sortTree orders orgs depth-first with siblings by sort order, then name.
// Paths alone sort by id, not by the order people set.
func sortTree(orgs []*org.Org) {
	byParent := map[app.ID][]*org.Org{}
	present := map[app.ID]bool{}
	for _, o := range orgs {
		present[o.ID] = true
	}
	var roots []*org.Org
	for _, o := range orgs {
		if present[o.ParentID] {
			byParent[o.ParentID] = append(byParent[o.ParentID], o)
		} else {
			roots = append(roots, o)
		}
	}
	less := func(s []*org.Org) {
		sortSlice(s, func(a, b *org.Org) bool {
			if a.SortOrder != b.SortOrder {
				return a.SortOrder < b.SortOrder
			}
			return a.Name < b.Name
		})
	}
	out := orgs[:0:0]
	var walk func(list []*org.Org)
	walk = func(list []*org.Org) {
		less(list)
		for _, o := range list {
			out = append(out, o)
			walk(byParent[o.ID])
		}
	}
	walk(roots)
	copy(orgs, out)
}

// CreateOrg stores o under its parent (or as the root when the tree is
// empty and ParentID is 0).
func (db *DB) CreateOrg(ctx context.Context, o *org.Org) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error { return tx.createOrg(ctx, o) })
}

func (t *Tx) createOrg(ctx context.Context, o *org.Org) error {
	o.ID = t.db.NewID()
	o.CreatedAt, o.UpdatedAt = t.now, t.now
	var parent any
	if o.ParentID == 0 {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM orgs WHERE parent_id IS NULL`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return app.Invalid("parent", "请选择上级组织")
		}
		o.Path = "/" + o.ID.String() + "/"
	} else {
		p, err := t.findOrgByID(ctx, o.ParentID)
		if err != nil {
			return app.Invalid("parent", "上级组织不存在")
		}
		if p.Kind == org.KindUnit && o.Kind != org.KindUnit {
			return app.Invalid("parent", "单位下不能设立%s", o.Kind.Label())
		}
		o.Path = p.Path + o.ID.String() + "/"
		parent = o.ParentID
	}
	o.Active = true
	_, err := t.exec(ctx, `INSERT INTO orgs (id, parent_id, path, kind, name, code, sort_order, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.ID, parent, o.Path, o.Kind, o.Name, o.Code, o.SortOrder, o.Active, ms(t.now), ms(t.now))
	if isUniqueViolation(err) {
		return &app.Error{Code: app.ECONFLICT, Field: "code", Message: fmt.Sprintf("代码“%s”已被其他组织使用", o.Code)}
	} else if err != nil {
		return fmt.Errorf("insert org: %w", err)
	}
	return t.audit(ctx, audit.Record{Action: "org.create", ObjectType: "org", ObjectID: o.ID.String(), Detail: o.Name + " " + o.Code})
}

// UpdateOrg changes an org's fields.
func (db *DB) UpdateOrg(ctx context.Context, id app.ID, u org.Update) (*org.Org, error) {
	var out *org.Org
	err := db.update(ctx, func(tx *Tx) error {
		o, err := tx.findOrgByID(ctx, id)
		if err != nil {
			return err
		}
		if u.Name != nil {
			o.Name = *u.Name
		}
		if u.Code != nil {
			o.Code = *u.Code
		}
		if u.Kind != nil && *u.Kind != o.Kind {
			if err := tx.checkKindChange(ctx, o, *u.Kind); err != nil {
				return err
			}
			o.Kind = *u.Kind
		}
		if u.SortOrder != nil {
			o.SortOrder = *u.SortOrder
		}
		if u.Active != nil {
			if !*u.Active && o.ParentID == 0 {
				return app.Invalid("active", "根组织不能停用")
			}
			o.Active = *u.Active
		}
		if err := o.Validate(); err != nil {
			return err
		}
		o.UpdatedAt = tx.now
		_, err = tx.exec(ctx, `UPDATE orgs SET name = ?, code = ?, kind = ?, sort_order = ?, active = ?, updated_at = ? WHERE id = ?`,
			o.Name, o.Code, o.Kind, o.SortOrder, o.Active, ms(tx.now), id)
		if isUniqueViolation(err) {
			return &app.Error{Code: app.ECONFLICT, Field: "code", Message: fmt.Sprintf("代码“%s”已被其他组织使用", o.Code)}
		} else if err != nil {
			return fmt.Errorf("update org: %w", err)
		}
		out = o
		return tx.audit(ctx, audit.Record{Action: "org.update", ObjectType: "org", ObjectID: id.String(), Detail: o.Name + " " + o.Code})
	})
	return out, err
}

// checkKindChange keeps the tree's shape when an org's kind changes: the
// root stays a region, nothing but units sits under a unit.
func (t *Tx) checkKindChange(ctx context.Context, o *org.Org, to org.Kind) error {
	if o.ParentID == 0 && to != org.KindRegion {
		return app.Invalid("kind", "根组织必须是区县")
	}
	if to == org.KindUnit {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM orgs WHERE parent_id = ? AND kind <> ?`, o.ID, org.KindUnit).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return app.Invalid("kind", "“%s”下有 %d 个区域，不能改为单位", o.Name, n)
		}
	} else if o.ParentID != 0 {
		p, err := t.findOrgByID(ctx, o.ParentID)
		if err != nil {
			return err
		}
		if p.Kind == org.KindUnit {
			return app.Invalid("kind", "单位下不能设立%s", to.Label())
		}
	}
	return nil
}

// MoveOrg moves an org and its subtree under newParent, rewriting the
// paths of the whole subtree in one statement.
func (db *DB) MoveOrg(ctx context.Context, id, newParent app.ID) error {
	return db.update(ctx, func(tx *Tx) error {
		o, err := tx.findOrgByID(ctx, id)
		if err != nil {
			return err
		}
		if o.ParentID == 0 {
			return app.Invalid("parent", "根组织不能移动")
		}
		p, err := tx.findOrgByID(ctx, newParent)
		if err != nil {
			return app.Invalid("parent", "目标上级组织不存在")
		}
		if o.Contains(p) {
			return app.Invalid("parent", "不能把组织移动到它自己或它的下级之下")
		}
		if p.Kind == org.KindUnit && o.Kind != org.KindUnit {
			return app.Invalid("parent", "单位下不能设立%s", o.Kind.Label())
		}
		newPath := p.Path + o.ID.String() + "/"
		if _, err := tx.exec(ctx, `UPDATE orgs SET path = ? || SUBSTR(path, ?), updated_at = ? WHERE path LIKE ? ESCAPE '\'`,
			newPath, len(o.Path)+1, ms(tx.now), prefixPattern(o.Path)); err != nil {
			return fmt.Errorf("move org paths: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE orgs SET parent_id = ? WHERE id = ?`, newParent, id); err != nil {
			return fmt.Errorf("move org: %w", err)
		}
		return tx.audit(ctx, audit.Record{Action: "org.move", ObjectType: "org", ObjectID: id.String(), Detail: fmt.Sprintf("%s → %s", o.Name, p.Name)})
	})
}

// DeleteOrg deletes an org that holds nothing.
func (db *DB) DeleteOrg(ctx context.Context, id app.ID) error {
	return db.update(ctx, func(tx *Tx) error {
		o, err := tx.findOrgByID(ctx, id)
		if err != nil {
			return err
		}
		if o.ParentID == 0 {
			return app.Errorf(app.ECONFLICT, "根组织不能删除")
		}
		// Each table that points at orgs says why the org must stay; later
		// capabilities add their own rows to this list.
		for _, c := range orgReferences {
			var n int
			if err := tx.queryRow(ctx, c.query, id).Scan(&n); err != nil {
				return fmt.Errorf("check org references: %w", err)
			}
			if n > 0 {
				return app.Errorf(app.ECONFLICT, "“%s”%s，不能删除；可以改为停用", o.Name, fmt.Sprintf(c.reason, n))
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM orgs WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete org: %w", err)
		}
		return tx.audit(ctx, audit.Record{Action: "org.delete", ObjectType: "org", ObjectID: id.String(), Detail: o.Name + " " + o.Code})
	})
}

// orgReferences are the checks that keep an org with data from deletion.
var orgReferences = []struct{ query, reason string }{
	{`SELECT COUNT(*) FROM orgs WHERE parent_id = ?`, "还有 %d 个下级组织"},
	{`SELECT COUNT(*) FROM users WHERE org_id = ?`, "还有 %d 个用户"},
	{`SELECT COUNT(*) FROM plans WHERE org_id = ?`, "还有 %d 份工作要点"},
	{`SELECT COUNT(*) FROM plan_item_units WHERE org_id = ?`, "承担着 %d 项任务"},
	{`SELECT COUNT(*) FROM plan_reports WHERE org_id = ?`, "报送过 %d 次任务进展"},
	{`SELECT COUNT(*) FROM schemes WHERE org_id = ?`, "还有 %d 个指标体系版本"},
}
