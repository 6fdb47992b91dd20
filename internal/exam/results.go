package exam

import (
	"context"

	"pufa/internal/app"
)

// Sitter is a person who sits an exam, as the office's results list
// those who have not sat it yet.
type Sitter struct {
	UserID  app.ID
	Name    string
	Login   string
	OrgID   app.ID
	OrgName string
	OrgPath string
}

// UnitCount is how many people of one org sit an exam (应考人数).
type UnitCount struct {
	OrgID   app.ID
	OrgName string
	OrgPath string
	N       int
}

// ResultStore is what the office's side of an exam reads and writes: the
// results, the people who sit, hand marking, and each person's record.
// It sits beside Store so the examinee's hot paths stay a small interface.
type ResultStore interface {
	// FindExamSittings lists every submitted attempt of an exam with who
	// made it. OrgName and OrgPath are the person's org as it is now, so
	// a person counts in the same unit as CountSitters counts them;
	// Attempts is how many attempts (in any state) they have made. Rows
	// come by org path, name, then attempt number.
	FindExamSittings(ctx context.Context, examID app.ID) ([]*SittingRow, error)
	// CountSitters counts the active accounts that sit an exam under s
	// (in the subtree of s.OrgPath, holding any of s.Roles and any of
	// s.Ranks when those are set, as Sitters.Includes decides), per org,
	// by org path.
	CountSitters(ctx context.Context, s Sitters) ([]UnitCount, error)
	// FindSitters lists those people, by org path and name, at most
	// limit of them.
	FindSitters(ctx context.Context, s Sitters, limit int) ([]Sitter, error)
	// CountTakers counts, per exam, the people with a submitted attempt.
	CountTakers(ctx context.Context, examIDs []app.ID) (map[app.ID]int, error)
	// FindUserSittings lists a person's attempts at every exam, newest
	// first: their learning record.
	FindUserSittings(ctx context.Context, userID app.ID) ([]*Sitting, error)
	// AwardAnswer stores the points a marker gives one answer of a
	// submitted attempt, then marks the attempt again with Score and the
	// exam's grading and stores the new result, in one audited
	// transaction. It returns the attempt as re-marked. Errors: ENOTFOUND
	// (no such attempt), ECONFLICT (the attempt is not submitted yet),
	// EINVALID (field "points": out of 0…the item's points; field
	// "question": not on the paper, not marked by hand, or not answered).
	AwardAnswer(ctx context.Context, attemptID, questionID app.ID, points float64) (*Sitting, error)
}
