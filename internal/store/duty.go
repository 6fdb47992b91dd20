package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/duty"
	"pufa/internal/law"
)

var _ duty.Store = (*DB)(nil)

const adDutyPhone = "duty_items.phone"

// SaveDutyList stores a unit's list for a year as a draft.
func (db *DB) SaveDutyList(ctx context.Context, l *duty.List) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		var id app.ID
		var status duty.Status
		err := tx.queryRow(ctx, `SELECT id, status FROM duty_lists WHERE org_id = ? AND year = ?`, l.OrgID, l.Year).Scan(&id, &status)
		switch {
		case err == sql.ErrNoRows:
			if _, err := tx.findOrgByID(ctx, l.OrgID); err != nil {
				return app.Invalid("org", "单位不存在")
			}
			id = tx.db.NewID()
			if _, err := tx.exec(ctx, `INSERT INTO duty_lists (id, org_id, year, status, updated_at) VALUES (?, ?, ?, ?, ?)`, id, l.OrgID, l.Year, duty.Draft, ms(tx.now)); err != nil {
				return fmt.Errorf("insert duty list: %w", err)
			}
			status = duty.Draft
		case err != nil:
			return err
		}
		if !status.Editable() {
			return app.Errorf(app.ECONFLICT, "责任清单已提交或已审核，不能再修改；如需修改请联系普法办退回")
		}
		l.ID, l.Status, l.UpdatedAt = id, status, tx.now
		if _, err := tx.exec(ctx, `UPDATE duty_lists SET updated_at = ? WHERE id = ?`, ms(tx.now), id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM duty_item_tasks WHERE item_id IN (SELECT id FROM duty_items WHERE list_id = ?)`, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM duty_items WHERE list_id = ?`, id); err != nil {
			return err
		}
		for i := range l.Items {
			if err := tx.insertDutyItem(ctx, id, i, &l.Items[i]); err != nil {
				return err
			}
		}
		return tx.audit(ctx, audit.Record{Action: "duty.save", ObjectType: "duty_list", ObjectID: id.String(), Detail: fmt.Sprintf("%d年度，%d 项", l.Year, len(l.Items))})
	})
}

func (t *Tx) insertDutyItem(ctx context.Context, listID app.ID, pos int, it *duty.Item) error {
	it.ID = t.db.NewID()
	laws, _ := json.Marshal(nonNil(it.Laws))
	lawIDs, _ := json.Marshal(nonNil(it.LawIDs))
	aud, _ := json.Marshal(nonNil(it.Audience))
	forms, _ := json.Marshal(nonNil(it.Forms))
	phone, _, err := t.db.seal(it.Phone, adDutyPhone)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `INSERT INTO duty_items (id, list_id, position, laws, law_ids, audience, measures, forms, timing, office, person, phone_enc, standard, search_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		it.ID, listID, pos, string(laws), string(lawIDs), string(aud), it.Measures, string(forms), it.Timing, it.Office, it.Person, phone, it.Standard,
		law.SearchKey(strings.Join(it.Laws, " "))); err != nil {
		return fmt.Errorf("insert duty item: %w", err)
	}
	for _, task := range it.TaskIDs {
		if _, err := t.exec(ctx, `INSERT INTO duty_item_tasks (item_id, task_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, it.ID, task); err != nil {
			return app.Invalid("items", "关联的工作任务不存在")
		}
	}
	return nil
}

// SubmitDutyList sends a list to the office.
func (db *DB) SubmitDutyList(ctx context.Context, id app.ID) error {
	return db.update(ctx, func(tx *Tx) error {
		var status duty.Status
		var n int
		if err := tx.queryRow(ctx, `SELECT status, (SELECT COUNT(*) FROM duty_items WHERE list_id = ?) FROM duty_lists WHERE id = ?`, id, id).Scan(&status, &n); err != nil {
			return notFound(err, "责任清单不存在")
		}
		if !status.Editable() {
			return app.Errorf(app.ECONFLICT, "责任清单已经提交")
		}
		if n == 0 {
			return app.Invalid("items", "责任清单还没有任何内容")
		}
		if _, err := tx.exec(ctx, `UPDATE duty_lists SET status = ?, submitted_at = ?, updated_at = ? WHERE id = ?`, duty.Submitted, ms(tx.now), ms(tx.now), id); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "duty.submit", ObjectType: "duty_list", ObjectID: id.String()})
	})
}

// ReviewDutyList approves or returns a submitted list.
func (db *DB) ReviewDutyList(ctx context.Context, id app.ID, approve bool, reason string) error {
	reason = strings.TrimSpace(reason)
	if !approve && reason == "" {
		return app.Invalid("reason", "请写明退回理由")
	}
	return db.update(ctx, func(tx *Tx) error {
		var status duty.Status
		if err := tx.queryRow(ctx, `SELECT status FROM duty_lists WHERE id = ?`, id).Scan(&status); err != nil {
			return notFound(err, "责任清单不存在")
		}
		if status != duty.Submitted {
			return app.Errorf(app.ECONFLICT, "只能审核已提交的责任清单")
		}
		var by app.ID
		if a := app.ActorFrom(ctx); a != nil {
			by = a.UserID
		}
		var err error
		if approve {
			_, err = tx.exec(ctx, `UPDATE duty_lists SET status = ?, approved_at = ?, approved_by = ?, return_reason = '', updated_at = ? WHERE id = ?`, duty.Approved, ms(tx.now), by, ms(tx.now), id)
		} else {
			_, err = tx.exec(ctx, `UPDATE duty_lists SET status = ?, return_reason = ?, updated_at = ? WHERE id = ?`, duty.Returned, reason, ms(tx.now), id)
		}
		if err != nil {
			return err
		}
		action := "duty.approve"
		if !approve {
			action = "duty.return"
		}
		return tx.audit(ctx, audit.Record{Action: action, ObjectType: "duty_list", ObjectID: id.String(), Detail: reason})
	})
}

const dutyListColumns = `d.id, d.org_id, o.name, d.year, d.status, d.return_reason, d.submitted_at, d.approved_at, d.approved_by, d.updated_at`

func scanDutyList(sc interface{ Scan(...any) error }) (*duty.List, error) {
	l := &duty.List{}
	var sub, appr, upd int64
	if err := sc.Scan(&l.ID, &l.OrgID, &l.OrgName, &l.Year, &l.Status, &l.ReturnReason, &sub, &appr, &l.ApprovedBy, &upd); err != nil {
		return nil, err
	}
	l.SubmittedAt, l.ApprovedAt, l.UpdatedAt = fromMS(sub), fromMS(appr), fromMS(upd)
	return l, nil
}

func (db *DB) findDutyList(ctx context.Context, where string, args ...any) (*duty.List, error) {
	tx := db.reader()
	l, err := scanDutyList(tx.queryRow(ctx, `SELECT `+dutyListColumns+` FROM duty_lists d JOIN orgs o ON o.id = d.org_id WHERE `+where, args...))
	if err != nil {
		return nil, notFound(err, "责任清单不存在")
	}
	items, err := db.dutyItems(ctx, `i.list_id = ? ORDER BY i.position`, l.ID)
	if err != nil {
		return nil, err
	}
	for _, f := range items {
		l.Items = append(l.Items, f.Item)
	}
	return l, nil
}

func (db *DB) dutyItems(ctx context.Context, where string, args ...any) ([]duty.Found, error) {
	tx := db.reader()
	rows, err := tx.query(ctx, `SELECT i.id, i.list_id, o.name, i.laws, i.law_ids, i.audience, i.measures, i.forms, i.timing, i.office, i.person, i.phone_enc, i.standard
		FROM duty_items i JOIN duty_lists d ON d.id = i.list_id JOIN orgs o ON o.id = d.org_id WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []duty.Found
	for rows.Next() {
		var f duty.Found
		it := &f.Item
		var laws, lawIDs, aud, forms string
		var phone []byte
		if err := rows.Scan(&it.ID, &f.ListID, &f.OrgName, &laws, &lawIDs, &aud, &it.Measures, &forms, &it.Timing, &it.Office, &it.Person, &phone, &it.Standard); err != nil {
			return nil, err
		}
		for _, x := range []struct {
			s string
			v any
		}{{laws, &it.Laws}, {lawIDs, &it.LawIDs}, {aud, &it.Audience}, {forms, &it.Forms}} {
			if err := json.Unmarshal([]byte(x.s), x.v); err != nil {
				return nil, fmt.Errorf("duty item %s: %w", it.ID, err)
			}
		}
		if it.Phone, err = db.open(phone, adDutyPhone); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	// The items' linked tasks, in one query rather than one per item.
	ids := make([]app.ID, len(out))
	at := make(map[app.ID]int, len(out))
	for i, f := range out {
		ids[i], at[f.Item.ID] = f.Item.ID, i
	}
	trows, err := tx.query(ctx, `SELECT item_id, task_id FROM duty_item_tasks WHERE item_id IN (`+placeholders(len(ids))+`) ORDER BY item_id, task_id`, anyArgs(ids)...)
	if err != nil {
		return nil, err
	}
	defer trows.Close()
	for trows.Next() {
		var item, task app.ID
		if err := trows.Scan(&item, &task); err != nil {
			return nil, err
		}
		it := &out[at[item]].Item
		it.TaskIDs = append(it.TaskIDs, task)
	}
	if err := trows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// FindDutyList returns a unit's list for a year, ENOTFOUND when it has none.
func (db *DB) FindDutyList(ctx context.Context, orgID app.ID, year int) (*duty.List, error) {
	return db.findDutyList(ctx, `d.org_id = ? AND d.year = ?`, orgID, year)
}

// FindDutyListByID returns a list with its items.
func (db *DB) FindDutyListByID(ctx context.Context, id app.ID) (*duty.List, error) {
	return db.findDutyList(ctx, `d.id = ?`, id)
}

// FindDutyLists lists a subtree's lists of a year.
func (db *DB) FindDutyLists(ctx context.Context, orgPath string, year int, approvedOnly bool) ([]*duty.List, error) {
	q := `SELECT ` + dutyListColumns + ` FROM duty_lists d JOIN orgs o ON o.id = d.org_id WHERE o.path LIKE ? ESCAPE '\' AND d.year = ?`
	args := []any{prefixPattern(orgPath), year}
	if approvedOnly {
		q += ` AND d.status = ?`
		args = append(args, duty.Approved)
	}
	rows, err := db.reader().query(ctx, q+` ORDER BY o.path`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*duty.List
	for rows.Next() {
		l, err := scanDutyList(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// SearchDutyItems finds approved items of a year that teach a law.
func (db *DB) SearchDutyItems(ctx context.Context, orgPath string, year int, lawText string) ([]duty.Found, error) {
	key := law.SearchKey(lawText)
	if key == "" {
		return nil, nil
	}
	return db.dutyItems(ctx, `o.path LIKE ? ESCAPE '\' AND d.year = ? AND d.status = ? AND i.search_key LIKE ? ESCAPE '\' ORDER BY o.path, i.position`,
		prefixPattern(orgPath), year, duty.Approved, likePattern(key))
}

// TaskCoverage counts the submitted or approved items serving each task
// of a plan.
func (db *DB) TaskCoverage(ctx context.Context, planID app.ID) (map[app.ID]int, error) {
	return db.countsByID(ctx, `SELECT t.task_id, COUNT(*) FROM duty_item_tasks t JOIN duty_items i ON i.id = t.item_id JOIN duty_lists d ON d.id = i.list_id
		JOIN plan_items p ON p.id = t.task_id WHERE p.plan_id = ? AND d.status IN (?, ?) GROUP BY t.task_id`, planID, duty.Submitted, duty.Approved)
}
