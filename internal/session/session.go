// Package session holds server-side sign-in sessions: stored in the
// database so several nodes share them, with idle and absolute timeouts.
package session

import (
	"context"
	"time"

	"pufa/internal/app"
)

// Kind tells a browser session (cookie) from an API token.
type Kind string

// Session kinds.
const (
	KindWeb Kind = "web"
	KindAPI Kind = "api"
)

// Session is one sign-in. Its ID is the SM3 hash of the secret the client
// holds, so a copy of the database grants no session.
type Session struct {
	ID         string
	UserID     app.ID
	Kind       Kind
	CreatedAt  time.Time
	LastSeenAt time.Time
	// ExpiresAt is the absolute end, whatever the activity.
	ExpiresAt time.Time
	// KeepAliveUntil holds the session open past the idle timeout, e.g.
	// until an exam attempt's deadline plus grace.
	KeepAliveUntil time.Time
	IP             string
	UserAgent      string
}

// Timeouts are the session limits.
type Timeouts struct {
	Idle     time.Duration
	Absolute time.Duration
	// TouchEvery is how stale LastSeenAt may get before a request writes
	// it: activity refreshes the session without a write per request.
	TouchEvery time.Duration
}

// DefaultTimeouts are 30 minutes idle, 12 hours absolute.
var DefaultTimeouts = Timeouts{Idle: 30 * time.Minute, Absolute: 12 * time.Hour, TouchEvery: time.Minute}

// Valid reports whether the session is alive at now.
func (s *Session) Valid(now time.Time, t Timeouts) bool {
	if !now.Before(s.ExpiresAt) {
		return false
	}
	if now.Before(s.KeepAliveUntil) {
		return true
	}
	return now.Sub(s.LastSeenAt) < t.Idle
}

// NeedsTouch reports whether a request at now should write LastSeenAt.
func (s *Session) NeedsTouch(now time.Time, t Timeouts) bool {
	return now.Sub(s.LastSeenAt) >= t.TouchEvery
}

// Store keeps sessions.
type Store interface {
	// CreateSession stores s.
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns ENOTFOUND for an unknown or deleted session.
	FindSession(ctx context.Context, id string) (*Session, error)
	// TouchSession sets LastSeenAt.
	TouchSession(ctx context.Context, id string, at time.Time) error
	// ExtendSession sets KeepAliveUntil (never past ExpiresAt).
	ExtendSession(ctx context.Context, id string, until time.Time) error
	// DeleteSession ends a session; deleting a missing one is no error.
	DeleteSession(ctx context.Context, id string) error
	// EndSession is sign-out: it deletes the session and writes the audit
	// row in one transaction.
	EndSession(ctx context.Context, id string) error
	// DeleteUserSessions ends all of a user's sessions but keep.
	DeleteUserSessions(ctx context.Context, userID app.ID, keep string) error
	// DeleteExpiredSessions removes sessions dead at now.
	DeleteExpiredSessions(ctx context.Context, now time.Time, t Timeouts) (int, error)
}
