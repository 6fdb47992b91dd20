package store

import (
	"context"
	"fmt"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/directory"
)

// ApplyDirectoryPlan creates a checked import's orgs and accounts in one
// transaction: all of them or, on any error, none. Each user's
// PasswordHash must be set. A parent or org named by code resolves to an
// existing org or to one created earlier in the same plan.
func (db *DB) ApplyDirectoryPlan(ctx context.Context, p *directory.Plan) error {
	if !p.Valid() {
		return app.Errorf(app.EINVALID, "导入文件仍有 %d 处错误，未写入任何数据", len(p.Errors))
	}
	return db.update(ctx, func(tx *Tx) error {
		ids := map[string]app.ID{}
		resolve := func(code string) (app.ID, error) {
			if id, ok := ids[code]; ok {
				return id, nil
			}
			var id app.ID
			if err := tx.queryRow(ctx, `SELECT id FROM orgs WHERE code = ?`, code).Scan(&id); err != nil {
				return 0, notFound(err, fmt.Sprintf("找不到代码为 %s 的组织", code))
			}
			ids[code] = id
			return id, nil
		}
		for i := range p.Orgs {
			r := &p.Orgs[i]
			parent, err := resolve(r.ParentCode)
			if err != nil {
				return rowError(directory.OrgSheet, r.Row, err)
			}
			o := r.Org
			o.ParentID = parent
			if err := o.Validate(); err != nil {
				return rowError(directory.OrgSheet, r.Row, err)
			}
			if err := tx.createOrg(ctx, &o); err != nil {
				return rowError(directory.OrgSheet, r.Row, err)
			}
			ids[o.Code] = o.ID
			r.Org.ID = o.ID
		}
		for i := range p.Users {
			r := &p.Users[i]
			orgID, err := resolve(r.OrgCode)
			if err != nil {
				return rowError(directory.UserSheet, r.Row, err)
			}
			u := r.User
			u.OrgID = orgID
			if err := u.Validate(); err != nil {
				return rowError(directory.UserSheet, r.Row, err)
			}
			if err := tx.createUser(ctx, &u); err != nil {
				return rowError(directory.UserSheet, r.Row, err)
			}
			r.User.ID, r.User.OrgID = u.ID, orgID
		}
		return tx.audit(ctx, audit.Record{Action: "directory.import", ObjectType: "import", Detail: fmt.Sprintf("组织 %d 个，用户 %d 个", len(p.Orgs), len(p.Users))})
	})
}

func rowError(sheet string, row int, err error) error {
	code := app.ErrorCode(err)
	if code == app.EINTERNAL {
		return err
	}
	return app.Errorf(code, "“%s”表第 %d 行：%s（未写入任何数据）", sheet, row, app.ErrorMessage(err))
}
