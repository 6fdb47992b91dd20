package exam

import (
	"context"
	"time"

	"pufa/internal/app"
)

// State is where an attempt stands.
type State string

// Attempt states.
const (
	Open      State = "open"
	Submitted State = "submitted"
)

// Sitting is one attempt as stored: the paper drawn for it, its clock and,
// once submitted, its marking. (Attempt, in window.go, is what Best reads.)
type Sitting struct {
	ID     app.ID
	ExamID app.ID
	UserID app.ID
	OrgID  app.ID
	// No counts a person's attempts at the exam from 1.
	No    int
	Paper Paper
	// Started is when the attempt began; Deadline is what the examinee is
	// shown and GraceEnd when saves stop being stored and the server
	// submits.
	Started, Deadline, GraceEnd time.Time
	State                       State
	SubmittedAt                 time.Time
	// AutoSubmitted says the server submitted it at the end of the grace.
	AutoSubmitted bool
	// The marking, set on submission and again when a marker awards
	// points by hand.
	Score, Raw, Max float64
	Grade           string
	Passed          bool
	PendingManual   bool
}

// ExamFilter narrows a listing of exams.
type ExamFilter struct {
	// OrgPath lists the exams run by offices in this subtree.
	OrgPath string
	// OpenAt, when set, lists only exams whose window holds it.
	OpenAt time.Time
	// ForPath lists exams whose sitters' subtree holds this org path
	// (exams a person there may sit), in any state.
	ForPath string
	Offset  int
	Limit   int
}

// SittingRow is a person's counted attempt with who they are, for the
// office's results.
type SittingRow struct {
	Sitting
	UserName string
	Login    string
	OrgName  string
	OrgPath  string
	Attempts int
}

// Store keeps exams, attempts and answers.
type Store interface {
	CreateExam(ctx context.Context, e *Exam) error
	UpdateExam(ctx context.Context, e *Exam) error
	FindExamByID(ctx context.Context, id app.ID) (*Exam, error)
	FindExams(ctx context.Context, f ExamFilter) ([]*Exam, int, error)

	// StartAttempt returns the person's open attempt (created false) or,
	// when there is none, makes attempt number n+1 with the paper draw
	// returns (created true); two concurrent calls make one attempt. It
	// is ECONFLICT when max attempts (0: unlimited) have been used.
	StartAttempt(ctx context.Context, e *Exam, userID, orgID app.ID, max int, draw func(no int) (Sitting, error)) (s *Sitting, created bool, err error)
	FindSitting(ctx context.Context, id app.ID) (*Sitting, error)
	// FindSittings lists a person's attempts at an exam, oldest first.
	FindSittings(ctx context.Context, examID, userID app.ID) ([]*Sitting, error)
	// SaveAnswer stores an answer durably unless seq is not Newer than the
	// stored one (accepted, ignored). It is ECONFLICT once the attempt is
	// submitted.
	SaveAnswer(ctx context.Context, attemptID, questionID app.ID, given []string, seq int64) error
	FindAnswers(ctx context.Context, attemptID app.ID) (map[app.ID]Answer, error)
	// SubmitAttempt marks an open attempt with mark (given its answers as
	// stored at that moment) and stores the result; on a submitted attempt
	// it returns the stored one and does not call mark.
	SubmitAttempt(ctx context.Context, attemptID app.ID, auto bool, mark func(map[app.ID]Answer) Result) (*Sitting, error)
	// FindDueSittings lists open attempts whose grace ended by now.
	FindDueSittings(ctx context.Context, now time.Time, limit int) ([]app.ID, error)
}
