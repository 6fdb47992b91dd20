package store

import (
	"context"
	"fmt"

	"pufa/internal/app"
	"pufa/internal/job"
)

var _ job.Store = (*DB)(nil)

const jobColumns = `id, kind, title, owner_id, status, done, total, message, result_key, result_name, error, created_at, updated_at, finished_at`

func scanJob(sc interface{ Scan(...any) error }) (*job.Job, error) {
	j := &job.Job{}
	var c, u, f int64
	err := sc.Scan(&j.ID, &j.Kind, &j.Title, &j.OwnerID, &j.Status, &j.Done, &j.Total, &j.Message, &j.ResultKey, &j.ResultName, &j.Error, &c, &u, &f)
	j.CreatedAt, j.UpdatedAt, j.FinishedAt = fromMS(c), fromMS(u), fromMS(f)
	return j, err
}

// CreateJob stores a queued job.
func (db *DB) CreateJob(ctx context.Context, j *job.Job) error {
	return db.update(ctx, func(tx *Tx) error {
		j.ID, j.Status, j.CreatedAt, j.UpdatedAt = tx.db.NewID(), job.StatusQueued, tx.now, tx.now
		_, err := tx.exec(ctx, `INSERT INTO jobs (id, kind, title, owner_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			j.ID, j.Kind, j.Title, j.OwnerID, j.Status, ms(tx.now), ms(tx.now))
		return err
	})
}

// FindJobByID returns one job.
func (db *DB) FindJobByID(ctx context.Context, id app.ID) (*job.Job, error) {
	j, err := scanJob(db.reader().queryRow(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`, id))
	return j, notFound(err, "任务不存在")
}

// FindJobs returns an owner's newest jobs.
func (db *DB) FindJobs(ctx context.Context, ownerID app.ID, limit int) ([]*job.Job, error) {
	limit, _ = pageBounds(limit, 0)
	rows, err := db.reader().query(ctx, `SELECT `+jobColumns+` FROM jobs WHERE owner_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`, ownerID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*job.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// UpdateJobProgress records progress and marks the job running.
func (db *DB) UpdateJobProgress(ctx context.Context, id app.ID, done, total int, message string) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE jobs SET status = ?, done = ?, total = ?, message = ?, updated_at = ? WHERE id = ?`,
			job.StatusRunning, done, total, truncate(message, 500), ms(tx.now), id)
		return err
	})
}

// FinishJob marks the job done or failed.
func (db *DB) FinishJob(ctx context.Context, id app.ID, status job.Status, resultKey, resultName, errMsg string) error {
	if status != job.StatusDone && status != job.StatusFailed {
		return fmt.Errorf("finish job: bad status %q", status)
	}
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE jobs SET status = ?, result_key = ?, result_name = ?, error = ?, updated_at = ?, finished_at = ? WHERE id = ?`,
			status, resultKey, resultName, truncate(errMsg, 500), ms(tx.now), ms(tx.now), id)
		return err
	})
}
