package question

import (
	"context"
	"time"

	"pufa/internal/app"
)

// Stored is a question in the bank: what was imported or entered, the law
// or article it tests, its tags and difficulty, and where it came from.
type Stored struct {
	Question
	ID        app.ID
	OrgID     app.ID // the region whose office keeps it
	LawID     app.ID // 0: no particular law
	ArticleID app.ID // 0: no particular article
	Tags      []string
	// Difficulty is 1 (easy) to 5 (hard); 0 is not rated.
	Difficulty int
	Source     string // the file it was imported from
	CreatedBy  app.ID
	CreatedAt  time.Time
}

// Filter narrows a listing of the bank.
type Filter struct {
	OrgPath string // the subtree whose banks to search
	// InPaths, when set, searches the banks of exactly these orgs instead
	// (the regions above a person: the banks they practise from).
	InPaths   []string
	Type      Type
	Tag       string
	LawID     app.ID
	ArticleID app.ID
	// ArticleIDs limits to questions testing any of these articles or, when
	// LawIDs is set, any of these laws (a must-know list's contents).
	ArticleIDs []app.ID
	LawIDs     []app.ID
	Query      string // in the stem
	Answered   bool   // only questions with a key (practice)
	Offset     int
	Limit      int
}

// ImportResult says what an import did.
type ImportResult struct {
	Added int
	// Duplicates are the positions (in the input) of questions whose
	// content the bank already has, or that appear twice in the input.
	Duplicates []int
}

// Store keeps the question bank.
type Store interface {
	// ImportQuestions validates every question and adds those the bank
	// does not yet hold, in one transaction: a question that fails
	// validation stops the import (EINVALID naming it), a duplicate is
	// skipped and reported.
	ImportQuestions(ctx context.Context, orgID app.ID, qs []*Stored) (ImportResult, error)
	FindQuestions(ctx context.Context, f Filter) ([]*Stored, int, error)
	FindQuestionByID(ctx context.Context, id app.ID) (*Stored, error)
	FindTags(ctx context.Context, orgPath string) ([]string, error)
}
