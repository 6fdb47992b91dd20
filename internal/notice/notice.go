// Package notice holds the in-app notices on a user's workbench: reminders,
// returned submissions, published results.
package notice

import (
	"context"
	"time"

	"pufa/internal/app"
)

// Notice is one message to one user.
type Notice struct {
	ID        app.ID
	UserID    app.ID
	Kind      string // e.g. "reminder", "returned", "result", "system"
	Title     string
	Body      string
	Link      string // a path inside pufa, never an outside URL
	CreatedAt time.Time
	ReadAt    time.Time
}

// Read reports whether the notice has been read.
func (n *Notice) Read() bool { return !n.ReadAt.IsZero() }

// Store keeps notices.
type Store interface {
	// CreateNotices sends one notice to each user in userIDs.
	CreateNotices(ctx context.Context, userIDs []app.ID, n Notice) error
	// FindNotices returns a user's newest notices and the unread count.
	FindNotices(ctx context.Context, userID app.ID, limit int) ([]*Notice, int, error)
	// MarkNoticeRead marks one of the user's notices read; ENOTFOUND if it
	// is not theirs.
	MarkNoticeRead(ctx context.Context, userID, id app.ID) error
}
