package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/notice"
	"pufa/internal/plan"
)

var _ plan.Store = (*DB)(nil)

// CreatePlan stores a plan and its tree in one transaction.
func (db *DB) CreatePlan(ctx context.Context, p *plan.Plan, tree []*plan.Node) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if _, tasks := plan.Count(tree); tasks == 0 {
		return app.Invalid("items", "工作要点中没有任何任务")
	}
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.findOrgByID(ctx, p.OrgID); err != nil {
			return app.Invalid("org", "所属区域不存在")
		}
		p.ID, p.CreatedAt, p.UpdatedAt = tx.db.NewID(), tx.now, tx.now
		if a := app.ActorFrom(ctx); a != nil {
			p.CreatedBy = a.UserID
		}
		if _, err := tx.exec(ctx, `INSERT INTO plans (id, org_id, year, title, source_key, source_name, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.OrgID, p.Year, p.Title, p.SourceKey, p.SourceName, p.CreatedBy, ms(tx.now), ms(tx.now)); err != nil {
			return fmt.Errorf("insert plan: %w", err)
		}
		if err := tx.insertItems(ctx, p.ID, 0, tree); err != nil {
			return err
		}
		sections, tasks := plan.Count(tree)
		return tx.audit(ctx, audit.Record{Action: "plan.create", ObjectType: "plan", ObjectID: p.ID.String(),
			Detail: fmt.Sprintf("%s：%d 个部分，%d 项任务", p.Title, sections, tasks)})
	})
}

func (t *Tx) insertItems(ctx context.Context, planID, parent app.ID, nodes []*plan.Node) error {
	for i, n := range nodes {
		it := &n.Item
		it.IsTask = len(n.Children) == 0
		if err := it.Validate(); err != nil {
			return err
		}
		it.ID, it.PlanID, it.ParentID, it.Position, it.UpdatedAt = t.db.NewID(), planID, parent, i, t.now
		if it.Status == "" {
			it.Status = plan.NotStarted
		}
		var parentArg any
		if parent != 0 {
			parentArg = parent
		}
		if _, err := t.exec(ctx, `INSERT INTO plan_items (id, plan_id, parent_id, position, label, title, body, is_task, weight, deadline_text, deadline, outputs, status, percent, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			it.ID, planID, parentArg, i, it.Label, it.Title, it.Text, it.IsTask, it.Weight, it.DeadlineText, ms(it.Deadline), it.Outputs, it.Status, it.Percent, ms(t.now)); err != nil {
			return fmt.Errorf("insert plan item: %w", err)
		}
		if err := t.setUnits(ctx, it.ID, it.LeadUnits, it.CoUnits); err != nil {
			return err
		}
		if err := t.insertItems(ctx, planID, it.ID, n.Children); err != nil {
			return err
		}
	}
	return nil
}

// setUnits replaces a task's units; a unit named as both lead and co-unit
// leads.
func (t *Tx) setUnits(ctx context.Context, itemID app.ID, lead, co []app.ID) error {
	if _, err := t.exec(ctx, `DELETE FROM plan_item_units WHERE item_id = ?`, itemID); err != nil {
		return err
	}
	seen := map[app.ID]bool{}
	for _, set := range []struct {
		ids  []app.ID
		lead bool
	}{{lead, true}, {co, false}} {
		for _, id := range set.ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			if _, err := t.findOrgByID(ctx, id); err != nil {
				return app.Invalid("units", "承办单位不存在")
			}
			if _, err := t.exec(ctx, `INSERT INTO plan_item_units (item_id, org_id, lead) VALUES (?, ?, ?)`, itemID, id, set.lead); err != nil {
				return fmt.Errorf("insert item unit: %w", err)
			}
		}
	}
	return nil
}

const planColumns = `id, org_id, year, title, source_key, source_name, created_by, created_at, updated_at`

func scanPlan(sc interface{ Scan(...any) error }) (*plan.Plan, error) {
	p := &plan.Plan{}
	var c, u int64
	err := sc.Scan(&p.ID, &p.OrgID, &p.Year, &p.Title, &p.SourceKey, &p.SourceName, &p.CreatedBy, &c, &u)
	p.CreatedAt, p.UpdatedAt = fromMS(c), fromMS(u)
	return p, err
}

// FindPlanByID returns one plan.
func (db *DB) FindPlanByID(ctx context.Context, id app.ID) (*plan.Plan, error) {
	p, err := scanPlan(db.reader().queryRow(ctx, `SELECT `+planColumns+` FROM plans WHERE id = ?`, id))
	return p, notFound(err, "工作要点不存在")
}

// FindPlans returns the plans of the regions in a subtree, newest first.
func (db *DB) FindPlans(ctx context.Context, orgPath string) ([]*plan.Plan, error) {
	rows, err := db.reader().query(ctx, `SELECT `+prefixedCols("p.", planColumns)+` FROM plans p JOIN orgs o ON o.id = p.org_id
		WHERE o.path LIKE ? ESCAPE '\' ORDER BY p.year DESC, p.created_at DESC`, prefixPattern(orgPath))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*plan.Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

const itemColumns = `id, plan_id, COALESCE(parent_id, 0), position, label, title, body, is_task, weight, deadline_text, deadline, outputs, status, percent, updated_at`

func scanItem(sc interface{ Scan(...any) error }) (*plan.Item, error) {
	it := &plan.Item{}
	var deadline, updated int64
	err := sc.Scan(&it.ID, &it.PlanID, &it.ParentID, &it.Position, &it.Label, &it.Title, &it.Text, &it.IsTask, &it.Weight,
		&it.DeadlineText, &deadline, &it.Outputs, &it.Status, &it.Percent, &updated)
	it.Deadline, it.UpdatedAt = fromMS(deadline), fromMS(updated)
	return it, err
}

// FindItems returns a plan's items in tree order, with their units.
func (db *DB) FindItems(ctx context.Context, planID app.ID) ([]*plan.Item, error) {
	r := db.reader()
	rows, err := r.query(ctx, `SELECT `+itemColumns+` FROM plan_items WHERE plan_id = ?`, planID)
	if err != nil {
		return nil, fmt.Errorf("find items: %w", err)
	}
	var all []*plan.Item
	byID := map[app.ID]*plan.Item{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, it)
		byID[it.ID] = it
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	urows, err := r.query(ctx, `SELECT u.item_id, u.org_id, u.lead FROM plan_item_units u JOIN plan_items i ON i.id = u.item_id WHERE i.plan_id = ? ORDER BY u.lead DESC, u.org_id`, planID)
	if err != nil {
		return nil, fmt.Errorf("find item units: %w", err)
	}
	defer urows.Close()
	for urows.Next() {
		var item, org app.ID
		var lead bool
		if err := urows.Scan(&item, &org, &lead); err != nil {
			return nil, err
		}
		if it := byID[item]; it != nil {
			if lead {
				it.LeadUnits = append(it.LeadUnits, org)
			} else {
				it.CoUnits = append(it.CoUnits, org)
			}
		}
	}
	return treeOrder(all), urows.Err()
}

// treeOrder sorts items depth-first by position.
func treeOrder(items []*plan.Item) []*plan.Item {
	kids := map[app.ID][]*plan.Item{}
	for _, it := range items {
		kids[it.ParentID] = append(kids[it.ParentID], it)
	}
	out := make([]*plan.Item, 0, len(items))
	var walk func(id app.ID)
	walk = func(id app.ID) {
		list := kids[id]
		sortSlice(list, func(a, b *plan.Item) bool { return a.Position < b.Position })
		for _, it := range list {
			out = append(out, it)
			walk(it.ID)
		}
	}
	walk(0)
	return out
}

// FindItemByID returns one item with its units.
func (db *DB) FindItemByID(ctx context.Context, id app.ID) (*plan.Item, error) {
	r := db.reader()
	it, err := scanItem(r.queryRow(ctx, `SELECT `+itemColumns+` FROM plan_items WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "任务不存在")
	}
	rows, err := r.query(ctx, `SELECT org_id, lead FROM plan_item_units WHERE item_id = ? ORDER BY lead DESC, org_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var org app.ID
		var lead bool
		if err := rows.Scan(&org, &lead); err != nil {
			return nil, err
		}
		if lead {
			it.LeadUnits = append(it.LeadUnits, org)
		} else {
			it.CoUnits = append(it.CoUnits, org)
		}
	}
	return it, rows.Err()
}

// AssignUnits sets the units of several tasks at once.
func (db *DB) AssignUnits(ctx context.Context, itemIDs []app.ID, lead, co []app.ID) error {
	if len(itemIDs) == 0 {
		return app.Invalid("items", "请至少选择一项任务")
	}
	if len(lead) == 0 {
		return app.Invalid("lead", "请至少选择一个牵头单位")
	}
	return db.update(ctx, func(tx *Tx) error {
		for _, id := range itemIDs {
			var isTask bool
			if err := tx.queryRow(ctx, `SELECT is_task FROM plan_items WHERE id = ?`, id).Scan(&isTask); err != nil {
				return notFound(err, "任务不存在")
			}
			if !isTask {
				return app.Invalid("items", "只能为具体任务指定承办单位，不能为标题指定")
			}
			if err := tx.setUnits(ctx, id, lead, co); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE plan_items SET updated_at = ? WHERE id = ?`, ms(tx.now), id); err != nil {
				return err
			}
		}
		return tx.audit(ctx, audit.Record{Action: "plan.assign", ObjectType: "plan_item", ObjectID: joinIDs(itemIDs),
			Detail: fmt.Sprintf("牵头 %s；配合 %s", joinIDs(lead), joinIDs(co))})
	})
}

func joinIDs(ids []app.ID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.String()
	}
	return strings.Join(s, ",")
}

// CreateReport stores a unit's progress report and moves the task's state
// to what the unit reported, pending the office's review.
func (db *DB) CreateReport(ctx context.Context, r *plan.Report) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		var isTask bool
		if err := tx.queryRow(ctx, `SELECT is_task FROM plan_items WHERE id = ?`, r.ItemID).Scan(&isTask); err != nil {
			return notFound(err, "任务不存在")
		}
		if !isTask {
			return app.Invalid("item", "只能对具体任务报送进展")
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM plan_item_units WHERE item_id = ? AND org_id = ?`, r.ItemID, r.OrgID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return app.Errorf(app.EFORBIDDEN, "本单位不是该任务的承办单位，不能报送进展")
		}
		r.ID, r.CreatedAt, r.Review = tx.db.NewID(), tx.now, plan.Pending
		if _, err := tx.exec(ctx, `INSERT INTO plan_reports (id, item_id, org_id, author_id, status, percent, body, reason, review, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.ItemID, r.OrgID, r.Author, r.Status, r.Percent, r.Text, r.Reason, r.Review, ms(tx.now)); err != nil {
			return fmt.Errorf("insert report: %w", err)
		}
		for i, f := range r.Files {
			if _, err := tx.exec(ctx, `INSERT INTO plan_report_files (report_id, position, blob_key, name, size, content_type) VALUES (?, ?, ?, ?, ?, ?)`,
				r.ID, i, f.Key, truncate(f.Name, 200), f.Size, f.ContentType); err != nil {
				return fmt.Errorf("insert report file: %w", err)
			}
		}
		if _, err := tx.exec(ctx, `UPDATE plan_items SET status = ?, percent = ?, updated_at = ? WHERE id = ?`, r.Status, r.Percent, ms(tx.now), r.ItemID); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "plan.report", ObjectType: "plan_item", ObjectID: r.ItemID.String(),
			Detail: fmt.Sprintf("%s %d%%", r.Status.Label(), r.Percent)})
	})
}

const reportColumns = `id, item_id, org_id, author_id, status, percent, body, reason, review, review_comment, reviewed_by, reviewed_at, created_at`

func scanReport(sc interface{ Scan(...any) error }) (*plan.Report, error) {
	r := &plan.Report{}
	var reviewed, created int64
	err := sc.Scan(&r.ID, &r.ItemID, &r.OrgID, &r.Author, &r.Status, &r.Percent, &r.Text, &r.Reason, &r.Review, &r.ReviewComment, &r.ReviewedBy, &reviewed, &created)
	r.ReviewedAt, r.CreatedAt = fromMS(reviewed), fromMS(created)
	return r, err
}

// FindReports returns a task's reports, newest first, with their files.
func (db *DB) FindReports(ctx context.Context, itemID app.ID) ([]*plan.Report, error) {
	r := db.reader()
	rows, err := r.query(ctx, `SELECT `+reportColumns+` FROM plan_reports WHERE item_id = ? ORDER BY created_at DESC, id DESC`, itemID)
	if err != nil {
		return nil, err
	}
	var out []*plan.Report
	byID := map[app.ID]*plan.Report{}
	for rows.Next() {
		rep, err := scanReport(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, rep)
		byID[rep.ID] = rep
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	frows, err := r.query(ctx, `SELECT f.report_id, f.blob_key, f.name, f.size, f.content_type FROM plan_report_files f
		JOIN plan_reports p ON p.id = f.report_id WHERE p.item_id = ? ORDER BY f.report_id, f.position`, itemID)
	if err != nil {
		return nil, err
	}
	defer frows.Close()
	for frows.Next() {
		var id app.ID
		var f plan.File
		if err := frows.Scan(&id, &f.Key, &f.Name, &f.Size, &f.ContentType); err != nil {
			return nil, err
		}
		if rep := byID[id]; rep != nil {
			rep.Files = append(rep.Files, f)
		}
	}
	return out, frows.Err()
}

// ReviewReport records the office's decision. A returned report sends the
// unit's liaisons a notice with the reason, and the task goes back to the
// state of its last accepted report.
func (db *DB) ReviewReport(ctx context.Context, id app.ID, state plan.ReviewState, comment string) error {
	comment = strings.TrimSpace(comment)
	if state != plan.Accepted && state != plan.Returned {
		return app.Invalid("review", "审核结果应为“采纳”或“退回”")
	}
	if state == plan.Returned && comment == "" {
		return app.Invalid("comment", "退回时请写明原因，单位会看到这段说明")
	}
	return db.update(ctx, func(tx *Tx) error {
		r, err := scanReport(tx.queryRow(ctx, `SELECT `+reportColumns+` FROM plan_reports WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "进展报告不存在")
		}
		if r.Review != plan.Pending {
			return app.Errorf(app.ECONFLICT, "这份报告已经%s，不能再次审核", r.Review.Label())
		}
		var by app.ID
		if a := app.ActorFrom(ctx); a != nil {
			by = a.UserID
		}
		if _, err := tx.exec(ctx, `UPDATE plan_reports SET review = ?, review_comment = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?`,
			state, comment, by, ms(tx.now), id); err != nil {
			return err
		}
		if state == plan.Returned {
			// Back to the last accepted state, or not started.
			st, pct := plan.NotStarted, 0
			err := tx.queryRow(ctx, `SELECT status, percent FROM plan_reports WHERE item_id = ? AND review = 'accepted' ORDER BY created_at DESC, id DESC LIMIT 1`, r.ItemID).Scan(&st, &pct)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE plan_items SET status = ?, percent = ?, updated_at = ? WHERE id = ?`, st, pct, ms(tx.now), r.ItemID); err != nil {
				return err
			}
			var title string
			if err := tx.queryRow(ctx, `SELECT title FROM plan_items WHERE id = ?`, r.ItemID).Scan(&title); err != nil {
				return err
			}
			liaisons, err := tx.liaisonsOf(ctx, r.OrgID)
			if err != nil {
				return err
			}
			if err := tx.createNotices(ctx, liaisons, notice.Notice{Kind: "returned", Title: "进展报告被退回：" + truncate(title, 120),
				Body: comment, Link: "/tasks/" + r.ItemID.String()}); err != nil {
				return err
			}
		}
		return tx.audit(ctx, audit.Record{Action: "plan.review", ObjectType: "plan_report", ObjectID: id.String(), Detail: state.Label() + " " + comment})
	})
}

// liaisonsOf returns the active liaisons of an org.
func (t *Tx) liaisonsOf(ctx context.Context, orgID app.ID) ([]app.ID, error) {
	rows, err := t.query(ctx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.org_id = ? AND u.active = ? AND r.role = 'liaison'`, orgID, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []app.ID
	for rows.Next() {
		var id app.ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// CreateReminders records follow-ups and notifies each unit's liaisons.
func (db *DB) CreateReminders(ctx context.Context, rs []*plan.Reminder) error {
	if len(rs) == 0 {
		return app.Invalid("items", "没有需要提醒的任务")
	}
	return db.update(ctx, func(tx *Tx) error {
		for _, rm := range rs {
			var title string
			if err := tx.queryRow(ctx, `SELECT title FROM plan_items WHERE id = ?`, rm.ItemID).Scan(&title); err != nil {
				return notFound(err, "任务不存在")
			}
			rm.ID, rm.CreatedAt = tx.db.NewID(), tx.now
			if a := app.ActorFrom(ctx); a != nil {
				rm.SentBy = a.UserID
			}
			if _, err := tx.exec(ctx, `INSERT INTO plan_reminders (id, item_id, org_id, sent_by, escalated, message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				rm.ID, rm.ItemID, rm.OrgID, rm.SentBy, rm.Escalated, rm.Message, ms(tx.now)); err != nil {
				return fmt.Errorf("insert reminder: %w", err)
			}
			liaisons, err := tx.liaisonsOf(ctx, rm.OrgID)
			if err != nil {
				return err
			}
			kind, prefix := "reminder", "督办提醒："
			if rm.Escalated {
				prefix = "督办升级："
			}
			if err := tx.createNotices(ctx, liaisons, notice.Notice{Kind: kind, Title: prefix + truncate(title, 120), Body: rm.Message, Link: "/tasks/" + rm.ItemID.String()}); err != nil {
				return err
			}
		}
		return tx.audit(ctx, audit.Record{Action: "plan.remind", ObjectType: "plan_item", Detail: fmt.Sprintf("%d 条提醒", len(rs))})
	})
}

// prefixedCols qualifies a plain column list (names only, no expressions)
// with a table alias.
func prefixedCols(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// FindUnitTasks returns the tasks an org leads or helps with, across
// plans, soonest deadline first (tasks without one last).
func (db *DB) FindUnitTasks(ctx context.Context, orgID app.ID) ([]*plan.Item, error) {
	rows, err := db.reader().query(ctx, `SELECT i.id, i.plan_id, COALESCE(i.parent_id, 0), i.position, i.label, i.title, i.body, i.is_task, i.weight, i.deadline_text, i.deadline, i.outputs, i.status, i.percent, i.updated_at, u.lead FROM plan_items i JOIN plan_item_units u ON u.item_id = i.id
		WHERE u.org_id = ? ORDER BY CASE WHEN i.deadline = 0 THEN 1 ELSE 0 END, i.deadline, i.plan_id, i.position`, orgID)
	if err != nil {
		return nil, fmt.Errorf("find unit tasks: %w", err)
	}
	defer rows.Close()
	var out []*plan.Item
	for rows.Next() {
		it := &plan.Item{}
		var deadline, updated int64
		var lead bool
		if err := rows.Scan(&it.ID, &it.PlanID, &it.ParentID, &it.Position, &it.Label, &it.Title, &it.Text, &it.IsTask, &it.Weight,
			&it.DeadlineText, &deadline, &it.Outputs, &it.Status, &it.Percent, &updated, &lead); err != nil {
			return nil, err
		}
		it.Deadline, it.UpdatedAt = fromMS(deadline), fromMS(updated)
		if lead {
			it.LeadUnits = []app.ID{orgID}
		} else {
			it.CoUnits = []app.ID{orgID}
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// FindReportByID returns one report.
func (db *DB) FindReportByID(ctx context.Context, id app.ID) (*plan.Report, error) {
	r, err := scanReport(db.reader().queryRow(ctx, `SELECT `+reportColumns+` FROM plan_reports WHERE id = ?`, id))
	return r, notFound(err, "进展报告不存在")
}

// FindReminders returns a task's reminders, newest first.
func (db *DB) FindReminders(ctx context.Context, itemID app.ID) ([]*plan.Reminder, error) {
	rows, err := db.reader().query(ctx, `SELECT id, item_id, org_id, sent_by, escalated, message, created_at FROM plan_reminders WHERE item_id = ? ORDER BY created_at DESC, id DESC`, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*plan.Reminder
	for rows.Next() {
		rm := &plan.Reminder{}
		var created int64
		if err := rows.Scan(&rm.ID, &rm.ItemID, &rm.OrgID, &rm.SentBy, &rm.Escalated, &rm.Message, &created); err != nil {
			return nil, err
		}
		rm.CreatedAt = fromMS(created)
		out = append(out, rm)
	}
	return out, rows.Err()
}

// UpdateItem edits an item's own fields.
func (db *DB) UpdateItem(ctx context.Context, id app.ID, u plan.ItemUpdate) (*plan.Item, error) {
	var out *plan.Item
	err := db.update(ctx, func(tx *Tx) error {
		it, err := scanItem(tx.queryRow(ctx, `SELECT `+itemColumns+` FROM plan_items WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "任务不存在")
		}
		for _, f := range []struct {
			dst *string
			v   *string
		}{{&it.Title, u.Title}, {&it.Text, u.Text}, {&it.DeadlineText, u.DeadlineText}, {&it.Outputs, u.Outputs}} {
			if f.v != nil {
				*f.dst = strings.TrimSpace(*f.v)
			}
		}
		if u.Deadline != nil {
			it.Deadline = *u.Deadline
		}
		if u.Weight != nil {
			it.Weight = *u.Weight
		}
		if err := it.Validate(); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE plan_items SET title = ?, body = ?, deadline_text = ?, deadline = ?, outputs = ?, weight = ?, updated_at = ? WHERE id = ?`,
			it.Title, it.Text, it.DeadlineText, ms(it.Deadline), it.Outputs, it.Weight, ms(tx.now), id); err != nil {
			return fmt.Errorf("update item: %w", err)
		}
		out = it
		return tx.audit(ctx, audit.Record{Action: "plan.item_update", ObjectType: "plan_item", ObjectID: id.String(), Detail: truncate(it.Title, 200)})
	})
	return out, err
}

// AddTask appends a task written by hand to a section of a plan.
func (db *DB) AddTask(ctx context.Context, planID, parentID app.ID, it *plan.Item) error {
	it.IsTask = true
	if err := it.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		var parentArg any
		if parentID != 0 {
			var pid app.ID
			var isTask bool
			if err := tx.queryRow(ctx, `SELECT plan_id, is_task FROM plan_items WHERE id = ?`, parentID).Scan(&pid, &isTask); err != nil || pid != planID {
				return app.Invalid("section", "所选部分不属于这份工作要点")
			}
			if isTask {
				return app.Invalid("section", "只能把任务添加到部分之下，不能添加到另一项任务之下")
			}
			parentArg = parentID
		}
		var pos int
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(position), -1) + 1 FROM plan_items WHERE plan_id = ? AND COALESCE(parent_id, 0) = ?`, planID, parentID).Scan(&pos); err != nil {
			return err
		}
		it.ID, it.PlanID, it.ParentID, it.Position, it.Status, it.UpdatedAt = tx.db.NewID(), planID, parentID, pos, plan.NotStarted, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO plan_items (id, plan_id, parent_id, position, label, title, body, is_task, weight, deadline_text, deadline, outputs, status, percent, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			it.ID, planID, parentArg, pos, it.Label, it.Title, it.Text, true, it.Weight, it.DeadlineText, ms(it.Deadline), it.Outputs, it.Status, 0, ms(tx.now)); err != nil {
			return fmt.Errorf("insert task: %w", err)
		}
		if err := tx.setUnits(ctx, it.ID, it.LeadUnits, it.CoUnits); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "plan.task_add", ObjectType: "plan_item", ObjectID: it.ID.String(), Detail: truncate(it.Title, 200)})
	})
}
