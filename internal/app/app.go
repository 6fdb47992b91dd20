// Package app holds what every capability shares: the one error type whose
// codes the web layer maps to HTTP statuses, the clock, identifiers, and the
// signed-in actor carried in a context.
package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Error codes. They are stable ASCII strings: clients of the JSON API and the
// web layer's status table depend on them.
const (
	ECONFLICT     = "conflict"     // the change conflicts with existing data
	EINTERNAL     = "internal"     // a bug or an outage; details are logged, never shown
	EINVALID      = "invalid"      // the input is wrong; Message names the field
	ENOTFOUND     = "not_found"    // no such thing, or the actor may not know it exists
	EFORBIDDEN    = "forbidden"    // signed in, but not allowed
	EUNAUTHORIZED = "unauthorized" // not signed in, or a bad password
	ELOCKED       = "locked"       // the account is locked after repeated failures
	ETOOLARGE     = "too_large"    // a body or file over its limit
	EEXPIRED      = "expired"      // a password that must be changed
	ERATELIMITED  = "rate_limited" // too many requests
	EUNAVAILABLE  = "unavailable"  // shutting down or overloaded
)

// Error is an error meant for the user: Code for machines, Message in Chinese
// for people. Anything that is not an *Error is internal and never shown.
type Error struct {
	Code    string
	Message string
	// Field names the form field the message is about, when there is one.
	Field string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with a formatted Chinese message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error about one field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Message: fmt.Sprintf(format, args...), Field: field}
}

// ErrorCode returns the code of err's *Error, EINTERNAL for any other error
// and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Internal errors get a
// generic message so no SQL, path or stack ever reaches a user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "系统内部错误，请稍后重试；如果问题持续，请将请求编号告知管理员。"
}

// Clock tells the time. It is injected so deadlines, lockouts and session
// timeouts are testable.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// ManualClock is a clock tests move by hand. It is not safe for concurrent
// Advance calls, which tests do not need.
type ManualClock struct{ T time.Time }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time { return c.T }

// Advance moves the clock forward.
func (c *ManualClock) Advance(d time.Duration) { c.T = c.T.Add(d) }

// Shanghai is the zone every time is shown in; times are stored in UTC.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		// Minimal systems lack tzdata; China has had no DST since 1991.
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// ID is the key of every stored row. It is a 63-bit time-ordered number made
// by the application (see docs/adr/0003-ids.md), so no engine's sequence is a
// single point of contention, and it travels as a string in the API.
type ID int64

// String formats the id in decimal.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// ParseID parses a decimal id; it returns an EINVALID error naming field.
func ParseID(field, s string) (ID, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, Invalid(field, "“%s”不是有效的编号", s)
	}
	return ID(n), nil
}

type actorKey struct{}

// WithActor returns a context carrying the signed-in actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or nil when nobody is signed in.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// Actor is who performs a request: enough to authorize and to audit it
// without another look-up.
type Actor struct {
	UserID ID
	Login  string
	Name   string
	Roles  []string
	OrgID  ID
	// OrgPath is the org's materialized path ("/1/5/12/"): subtree scope
	// checks are a prefix test on it.
	OrgPath   string
	SessionID string
}

type metaKey struct{}

// RequestMeta is what the audit log records about where a request came
// from, signed in or not.
type RequestMeta struct {
	IP        string
	RequestID string
	UserAgent string
}

// WithRequestMeta returns a context carrying m.
func WithRequestMeta(ctx context.Context, m RequestMeta) context.Context {
	return context.WithValue(ctx, metaKey{}, m)
}

// RequestMetaFrom returns the request's meta, zero outside a request.
func RequestMetaFrom(ctx context.Context) RequestMeta {
	m, _ := ctx.Value(metaKey{}).(RequestMeta)
	return m
}

// HasRole reports whether the actor holds role.
func (a *Actor) HasRole(role string) bool {
	if a == nil {
		return false
	}
	for _, r := range a.Roles {
		if r == role {
			return true
		}
	}
	return false
}
