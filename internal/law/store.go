package law

import (
	"context"

	"pufa/internal/app"
)

// Filter narrows the library's listing.
type Filter struct {
	// InPaths are the orgs whose laws to list: the regions above a person.
	InPaths  []string
	Category Category
	Query    string // in the title
}

// Summary is a law in a listing: no articles, their count.
type Summary struct {
	Law          *Law
	ArticleCount int
}

// Hit is an article found by a search.
type Hit struct {
	Article  Article
	LawTitle string
}

// Store keeps the law library. Changing methods audit in the same
// transaction.
type Store interface {
	CreateLaw(ctx context.Context, l *Law) error
	// UpdateLaw changes the law's details; its articles stay.
	UpdateLaw(ctx context.Context, l *Law) error
	FindLawByID(ctx context.Context, id app.ID) (*Law, error)
	FindLaws(ctx context.Context, f Filter) ([]Summary, error)
	SearchArticles(ctx context.Context, paths []string, query string, limit int) ([]Hit, error)
	FindArticleByID(ctx context.Context, id app.ID) (*Article, error)
	FindArticleByLabel(ctx context.Context, lawID app.ID, label string) (*Article, error)
	ReadArticles(ctx context.Context, userID, lawID app.ID) (map[app.ID]bool, error)
	QuestionCounts(ctx context.Context, lawID app.ID) (map[app.ID]int, error)
}
