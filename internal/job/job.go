// Package job runs long work (imports, big exports, aggregations) in the
// background with its progress in the database, so a page can show it and
// a user can leave and come back.
package job

import (
	"context"
	"time"

	"pufa/internal/app"
)

// Status of a job.
type Status string

// Job statuses.
const (
	StatusQueued  Status = "queued"
	StatusRunning Status = "running"
	StatusDone    Status = "done"
	StatusFailed  Status = "failed"
)

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case StatusQueued:
		return "排队中"
	case StatusRunning:
		return "进行中"
	case StatusDone:
		return "已完成"
	case StatusFailed:
		return "失败"
	}
	return string(s)
}

// Job is one run of long work.
type Job struct {
	ID      app.ID
	Kind    string
	Title   string
	OwnerID app.ID
	Status  Status
	Done    int
	Total   int
	Message string
	// ResultKey is a blob key for a produced file, such as an export.
	ResultKey  string
	ResultName string
	Error      string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt time.Time
}

// Percent is the progress from 0 to 100.
func (j *Job) Percent() int {
	if j.Status == StatusDone {
		return 100
	}
	if j.Total <= 0 {
		return 0
	}
	return min(100, j.Done*100/j.Total)
}

// Store keeps jobs.
type Store interface {
	CreateJob(ctx context.Context, j *Job) error
	// FindJobByID returns ENOTFOUND.
	FindJobByID(ctx context.Context, id app.ID) (*Job, error)
	FindJobs(ctx context.Context, ownerID app.ID, limit int) ([]*Job, error)
	// UpdateJobProgress records progress; it does not audit.
	UpdateJobProgress(ctx context.Context, id app.ID, done, total int, message string) error
	// FinishJob marks the job done or failed.
	FinishJob(ctx context.Context, id app.ID, status Status, resultKey, resultName, errMsg string) error
}

// Progress is handed to the work so it can report how far it got.
type Progress = func(done, total int, message string)

// Func is the work a job runs.
type Func func(ctx context.Context, progress Progress) (resultKey, resultName string, err error)
