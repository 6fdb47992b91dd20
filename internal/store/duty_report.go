package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/duty"
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

// FindDutyReport returns a unit's report for a year.
func (db *DB) FindDutyReport(ctx context.Context, orgID app.ID, year int) (*duty.Report, error) {
	r, err := scanDutyReport(db.reader().queryRow(ctx, `SELECT `+dutyReportColumns+` FROM duty_reports r JOIN orgs o ON o.id = r.org_id WHERE r.org_id = ? AND r.year = ?`, orgID, year))
	return r, notFound(err, "履职报告不存在")
}

// FindDutyReportByID returns a report.
func (db *DB) FindDutyReportByID(ctx context.Context, id app.ID) (*duty.Report, error) {
	r, err := scanDutyReport(db.reader().queryRow(ctx, `SELECT `+dutyReportColumns+` FROM duty_reports r JOIN orgs o ON o.id = r.org_id WHERE r.id = ?`, id))
	return r, notFound(err, "履职报告不存在")
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
