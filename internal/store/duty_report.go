package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/duty"
	"pufa/internal/plan"
)

var _ duty.ReportStore = (*DB)(nil)

// SaveDutyReport stores a unit's report as a draft.
func (db *DB) SaveDutyReport(ctx context.Context, r *duty.Report) error {
	if err := r.Validate(); err != nil {
		return err
	}
	body, _ := json.Marshal(r.Sections)
	return db.update(ctx, func(tx *Tx) error {
		var id app.ID
		var status duty.Status
		err := tx.queryRow(ctx, `SELECT id, status FROM duty_reports WHERE org_id = ? AND year = ?`, r.OrgID, r.Year).Scan(&id, &status)
		switch {
		case err == sql.ErrNoRows:
			id = tx.db.NewID()
			if _, err := tx.exec(ctx, `INSERT INTO duty_reports (id, org_id, year, status, sections, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
				id, r.OrgID, r.Year, duty.Draft, string(body), ms(tx.now)); err != nil {
				return fmt.Errorf("insert report: %w", err)
			}
		case err != nil:
			return err
		case status != duty.Draft:
			return app.Errorf(app.ECONFLICT, "履职报告已提交，不能再修改")
		default:
			if _, err := tx.exec(ctx, `UPDATE duty_reports SET sections = ?, updated_at = ? WHERE id = ?`, string(body), ms(tx.now), id); err != nil {
				return err
			}
		}
		r.ID, r.Status, r.UpdatedAt = id, duty.Draft, tx.now
		return tx.audit(ctx, audit.Record{Action: "report.save", ObjectType: "duty_report", ObjectID: id.String(), Detail: fmt.Sprintf("%d年度", r.Year)})
	})
}

// SubmitDutyReport submits a draft with its checks.
func (db *DB) SubmitDutyReport(ctx context.Context, id app.ID, check *duty.ReportCheck) error {
	checks, _ := json.Marshal(check)
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE duty_reports SET status = ?, checks = ?, submitted_at = ?, updated_at = ? WHERE id = ? AND status = ?`,
			duty.Submitted, string(checks), ms(tx.now), ms(tx.now), id, duty.Draft)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ECONFLICT, "履职报告已提交或不存在")
		}
		return tx.audit(ctx, audit.Record{Action: "report.submit", ObjectType: "duty_report", ObjectID: id.String()})
	})
}

const dutyReportColumns = `r.id, r.org_id, o.name, r.year, r.status, r.sections, r.checks, r.submitted_at, r.updated_at`

func scanDutyReport(sc interface{ Scan(...any) error }) (*duty.Report, error) {
	r := &duty.Report{}
	var sections, checks string
	var sub, upd int64
	if err := sc.Scan(&r.ID, &r.OrgID, &r.OrgName, &r.Year, &r.Status, &sections, &checks, &sub, &upd); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(sections), &r.Sections); err != nil {
		return nil, fmt.Errorf("report %s: %w", r.ID, err)
	}
	if checks != "" {
		r.Check = &duty.ReportCheck{}
		if err := json.Unmarshal([]byte(checks), r.Check); err != nil {
			return nil, fmt.Errorf("report %s checks: %w", r.ID, err)
		}
	}
	r.SubmittedAt, r.UpdatedAt = fromMS(sub), fromMS(upd)
	return r, nil
}

// FindDutyReport returns a unit's report for a year, with its files.
func (db *DB) FindDutyReport(ctx context.Context, orgID app.ID, year int) (*duty.Report, error) {
	return db.findDutyReport(ctx, `r.org_id = ? AND r.year = ?`, orgID, year)
}

// FindDutyReportByID returns a report with its files.
func (db *DB) FindDutyReportByID(ctx context.Context, id app.ID) (*duty.Report, error) {
	return db.findDutyReport(ctx, `r.id = ?`, id)
}

func (db *DB) findDutyReport(ctx context.Context, where string, args ...any) (*duty.Report, error) {
	r, err := scanDutyReport(db.reader().queryRow(ctx, `SELECT `+dutyReportColumns+` FROM duty_reports r JOIN orgs o ON o.id = r.org_id WHERE `+where, args...))
	if err != nil {
		return nil, notFound(err, "履职报告不存在")
	}
	return r, db.reportFiles(ctx, r)
}

// FindDutyReports lists a subtree's reports of a year.
func (db *DB) FindDutyReports(ctx context.Context, orgPath string, year int, submittedOnly bool) ([]*duty.Report, error) {
	q := `SELECT ` + dutyReportColumns + ` FROM duty_reports r JOIN orgs o ON o.id = r.org_id WHERE o.path LIKE ? ESCAPE '\' AND r.year = ?`
	args := []any{prefixPattern(orgPath), year}
	if submittedOnly {
		q += ` AND r.status = ?`
		args = append(args, duty.Submitted)
	}
	rows, err := db.reader().query(ctx, q+` ORDER BY o.path`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*duty.Report
	for rows.Next() {
		r, err := scanDutyReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// MaxReportFiles bounds a report's evidence.
const MaxReportFiles = 20

// AddReportFiles attaches evidence to a draft report.
func (db *DB) AddReportFiles(ctx context.Context, id app.ID, files []plan.File) error {
	if len(files) == 0 {
		return nil
	}
	return db.update(ctx, func(tx *Tx) error {
		var status duty.Status
		var n int
		if err := tx.queryRow(ctx, `SELECT status, (SELECT COUNT(*) FROM duty_report_files WHERE report_id = ?) FROM duty_reports WHERE id = ?`, id, id).Scan(&status, &n); err != nil {
			return notFound(err, "履职报告不存在")
		}
		if status != duty.Draft {
			return app.Errorf(app.ECONFLICT, "履职报告已提交，不能再添加附件")
		}
		if n+len(files) > MaxReportFiles {
			return app.Invalid("files", "履职报告最多附 %d 个文件", MaxReportFiles)
		}
		for i, f := range files {
			if _, err := tx.exec(ctx, `INSERT INTO duty_report_files (report_id, position, blob_key, name, size, content_type) VALUES (?, ?, ?, ?, ?, ?)`,
				id, n+i, f.Key, f.Name, f.Size, f.ContentType); err != nil {
				return fmt.Errorf("insert report file: %w", err)
			}
		}
		return nil
	})
}

func (db *DB) reportFiles(ctx context.Context, r *duty.Report) error {
	rows, err := db.reader().query(ctx, `SELECT blob_key, name, size, content_type FROM duty_report_files WHERE report_id = ? ORDER BY position`, r.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f plan.File
		if err := rows.Scan(&f.Key, &f.Name, &f.Size, &f.ContentType); err != nil {
			return err
		}
		r.Files = append(r.Files, f)
	}
	return rows.Err()
}
