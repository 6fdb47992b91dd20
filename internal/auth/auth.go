// Package auth signs people in and out: password checks with lockout,
// server-side sessions with idle and absolute timeouts, password changes
// under the policy, and the actor each request carries.
package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/crypt"
	"pufa/internal/org"
	"pufa/internal/password"
	"pufa/internal/session"
)

// Service is the sign-in service. Its fields are its dependencies; cmd/
// wires them.
type Service struct {
	Users    account.Store
	Orgs     org.Store
	Sessions session.Store
	Audit    audit.Store
	Hasher   password.Hasher
	Policy   password.Policy
	Lockout  account.LockoutRule
	Timeouts session.Timeouts
	Clock    app.Clock
	Crypto   crypt.Provider

	// quiet caches users for AuthenticateQuiet.
	quiet quietCache
}

// quietCache keeps, for the quiet path only, a session's user and org for
// quietTTL (and the session itself for quietSessionTTL): an exam save needs to know who is saving, and reading the
// user, roles and org for each of thousands of saves a second was a third
// of the server's CPU. The session itself is read every time, so a
// sign-out or a password change still ends it at once; a deactivation or
// a move reaches the quiet path within quietTTL.
type quietCache struct {
	mu sync.Mutex
	m  map[app.ID]quietEntry
	// sessions holds sessions for quietSessionTTL: reading the session
	// was the largest cost left on the save path. Sign-out, a password
	// change and a reset on this node drop them at once; on other nodes
	// they end within quietSessionTTL.
	sessions map[string]quietSession
}

type quietSession struct {
	s  *session.Session
	at time.Time
}

type quietEntry struct {
	u  *account.User
	o  *org.Org
	at time.Time
}

const (
	quietTTL        = 5 * time.Second
	quietSessionTTL = time.Second
	maxQuietUsers   = 100_000
)

func (c *quietCache) session(id string, now time.Time) *session.Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.sessions[id]
	if !ok || now.Sub(e.at) >= quietSessionTTL || now.Before(e.at) {
		return nil
	}
	return e.s
}

func (c *quietCache) putSession(s *session.Session, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sessions == nil || len(c.sessions) >= maxQuietUsers {
		c.sessions = map[string]quietSession{}
	}
	c.sessions[s.ID] = quietSession{s: s, at: now}
}

// forget drops a session, or (id "") every session of userID.
func (c *quietCache) forget(id string, userID app.ID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id != "" {
		delete(c.sessions, id)
		return
	}
	for k, e := range c.sessions {
		if e.s.UserID == userID {
			delete(c.sessions, k)
		}
	}
}

func (c *quietCache) get(id app.ID, now time.Time) (*account.User, *org.Org) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || now.Sub(e.at) >= quietTTL || now.Before(e.at) {
		return nil, nil
	}
	return e.u, e.o
}

func (c *quietCache) put(u *account.User, o *org.Org, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxQuietUsers {
		c.m = map[app.ID]quietEntry{}
	}
	c.m[u.ID] = quietEntry{u: u, o: o, at: now}
}

// ErrBadCredentials is the one answer for a wrong password and an unknown
// login alike.
var ErrBadCredentials = &app.Error{Code: app.EUNAUTHORIZED, Message: "登录名或密码错误"}

func lockedError(until, now time.Time) error {
	mins := int(until.Sub(now).Minutes()) + 1
	return app.Errorf(app.ELOCKED, "连续登录失败次数过多，账号已锁定，请 %d 分钟后再试，或联系管理员解锁", mins)
}

// Result is a successful sign-in.
type Result struct {
	// Token is the secret the client keeps (cookie or bearer token); the
	// database holds only its SM3 hash.
	Token   string
	Session *session.Session
	User    *account.User
	// MustChange says the password must be changed before anything else.
	MustChange bool
}

// Login checks a login and password and opens a session of kind.
func (s *Service) Login(ctx context.Context, login, pw string, kind session.Kind) (*Result, error) {
	now := s.Clock.Now()
	login = strings.TrimSpace(login)
	if login == "" || pw == "" || len(login) > 64 || len(pw) > 256 {
		return nil, ErrBadCredentials
	}
	u, err := s.Users.FindUserByLogin(ctx, login)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, s.unknownLogin(ctx, login, now)
	} else if err != nil {
		return nil, err
	}
	if u.Locked(now) {
		// The same hashing time as any other attempt, so a locked account
		// answers no faster than an unknown login that is locked.
		password.EqualizeTiming(ctx, s.Hasher)
		if _, err := s.Users.RecordLoginFailure(ctx, u.ID, s.Lockout); err != nil {
			return nil, err
		}
		return nil, lockedError(u.LockedUntil, now)
	}
	ok, needsRehash, err := s.Hasher.Verify(ctx, pw, u.PasswordHash)
	if err != nil && ctx.Err() != nil {
		return nil, app.Errorf(app.EUNAVAILABLE, "登录人数较多，请稍后重试")
	}
	if !ok || !u.Active {
		u, err := s.Users.RecordLoginFailure(ctx, u.ID, s.Lockout)
		if err != nil {
			return nil, err
		}
		if u.Locked(now) {
			return nil, lockedError(u.LockedUntil, now)
		}
		return nil, ErrBadCredentials
	}
	token, sess, err := s.newSession(ctx, u.ID, kind, now)
	if err != nil {
		return nil, err
	}
	// A hash made with older costs (or the other algorithm) is replaced
	// now, while the password is at hand: raising the costs reaches every
	// account as people sign in.
	var rehash string
	if needsRehash {
		if rehash, err = s.Hasher.Hash(ctx, pw); err != nil {
			rehash = "" // keep the old hash; the sign-in itself is fine
		}
	}
	if err := s.Users.RecordLoginSuccess(ctx, u.ID, sess, rehash); err != nil {
		return nil, err
	}
	return &Result{Token: token, Session: sess, User: u, MustChange: s.MustChange(u, now)}, nil
}

// unknownLogin answers a login that does not exist exactly like a wrong
// password: the same time spent hashing, the same message, and the same
// lockout after the same number of tries, counted in the database so every
// node and every restart agrees.
func (s *Service) unknownLogin(ctx context.Context, login string, now time.Time) error {
	password.EqualizeTiming(ctx, s.Hasher)
	u, err := s.Users.RecordUnknownLoginFailure(ctx, login, s.Lockout)
	if err != nil {
		return err
	}
	if u.Locked(now) {
		return lockedError(u.LockedUntil, now)
	}
	return ErrBadCredentials
}

// MustChange reports whether u must change the password before going on:
// set by an admin, a first sign-in, or an expired password.
func (s *Service) MustChange(u *account.User, now time.Time) bool {
	return u.MustChange || s.Policy.Expired(u.PasswordChangedAt, now)
}

// newSession makes a session and the token for it; the caller stores it.
func (s *Service) newSession(ctx context.Context, userID app.ID, kind session.Kind, now time.Time) (string, *session.Session, error) {
	var b [16]byte // 128 bits
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	m := app.RequestMetaFrom(ctx)
	sess := &session.Session{
		ID: s.sessionID(token), UserID: userID, Kind: kind,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.Timeouts.Absolute),
		IP: m.IP, UserAgent: m.UserAgent,
	}
	return token, sess, nil
}

func (s *Service) sessionID(token string) string {
	return hex.EncodeToString(s.Crypto.Hash([]byte("session\x00" + token)))
}

// ErrNoSession is returned for a missing, ended or expired session.
var ErrNoSession = &app.Error{Code: app.EUNAUTHORIZED, Message: "登录已过期，请重新登录"}

// Authenticate resolves a token to its session, user and actor. It writes
// to the database only when the session's last-seen time is stale.
func (s *Service) Authenticate(ctx context.Context, token string) (*session.Session, *account.User, *app.Actor, error) {
	return s.authenticate(ctx, token, true)
}

// AuthenticateQuiet is Authenticate without refreshing the last-seen time,
// for hot writes that must write nothing but their own row (an exam
// answer): the exam keeps such a session alive by KeepAlive instead. The
// user and org may come from a cache a few seconds old (see quietCache);
// callers must not modify the user it returns.
func (s *Service) AuthenticateQuiet(ctx context.Context, token string) (*session.Session, *account.User, *app.Actor, error) {
	return s.authenticate(ctx, token, false)
}

// SessionID is the stored id of the session behind token.
func (s *Service) SessionID(token string) string { return s.sessionID(token) }

func (s *Service) authenticate(ctx context.Context, token string, touch bool) (*session.Session, *account.User, *app.Actor, error) {
	if token == "" || len(token) > 64 {
		return nil, nil, nil, ErrNoSession
	}
	now := s.Clock.Now()
	id := s.sessionID(token)
	var sess *session.Session
	var err error
	if !touch {
		sess = s.quiet.session(id, now)
	}
	if sess == nil {
		sess, err = s.Sessions.FindSession(ctx, id)
		if app.ErrorCode(err) == app.ENOTFOUND {
			return nil, nil, nil, ErrNoSession
		} else if err != nil {
			return nil, nil, nil, err
		}
		if !touch {
			s.quiet.putSession(sess, now)
		}
	}
	if !sess.Valid(now, s.Timeouts) {
		s.quiet.forget(sess.ID, 0)
		s.Sessions.DeleteSession(ctx, sess.ID)
		return nil, nil, nil, ErrNoSession
	}
	var u *account.User
	var o *org.Org
	if !touch {
		u, o = s.quiet.get(sess.UserID, now)
	}
	if u == nil {
		if u, err = s.Users.FindUserByID(ctx, sess.UserID); err != nil || !u.Active {
			return nil, nil, nil, ErrNoSession
		}
		if o, err = s.Orgs.FindOrgByID(ctx, u.OrgID); err != nil {
			return nil, nil, nil, err
		}
		if !touch {
			s.quiet.put(u, o, now)
		}
	}
	if touch && sess.NeedsTouch(now, s.Timeouts) {
		if err := s.Sessions.TouchSession(ctx, sess.ID, now); err != nil {
			return nil, nil, nil, err
		}
		sess.LastSeenAt = now
	}
	a := &app.Actor{UserID: u.ID, Login: u.Login, Name: u.Name, Roles: u.Roles, OrgID: o.ID, OrgPath: o.Path, SessionID: sess.ID}
	return sess, u, a, nil
}

// Logout ends the session behind token.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	s.quiet.forget(s.sessionID(token), 0)
	return s.Sessions.EndSession(ctx, s.sessionID(token))
}

// ChangePassword changes a user's own password: the current one must be
// right, the new one must satisfy the policy and not repeat recent ones.
// The user's other sessions end.
func (s *Service) ChangePassword(ctx context.Context, userID app.ID, current, next, keepSession string) error {
	u, err := s.Users.FindUserByID(ctx, userID)
	if err != nil {
		return err
	}
	if ok, _, err := s.Hasher.Verify(ctx, current, u.PasswordHash); err != nil || !ok {
		return app.Invalid("current", "当前密码不正确")
	}
	if err := s.CheckNewPassword(ctx, u, next); err != nil {
		return err
	}
	hash, err := s.Hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	s.quiet.forget("", userID)
	return s.Users.SetPassword(ctx, userID, hash, false, keepSession)
}

// CheckNewPassword applies the policy and the history rule to a password
// about to be set for u.
func (s *Service) CheckNewPassword(ctx context.Context, u *account.User, next string) error {
	if err := s.Policy.Check(next, u.Login); err != nil {
		var pe *password.PolicyError
		if errors.As(err, &pe) {
			return app.Invalid("new", "%s", pe.Error())
		}
		return err
	}
	if s.Policy.HistoryCount > 0 {
		prev, err := s.Users.PasswordHistory(ctx, u.ID, s.Policy.HistoryCount-1)
		if err != nil {
			return err
		}
		reused, err := s.Policy.Reused(ctx, s.Hasher, next, append([]string{u.PasswordHash}, prev...))
		if err != nil {
			return err
		}
		if reused {
			return app.Invalid("new", "新密码不能与最近 %d 次使用过的密码相同", s.Policy.HistoryCount)
		}
	}
	return nil
}

// ResetPassword gives a user a new one-time password that must be changed
// at the next sign-in, and ends their sessions. It returns the password to
// hand over.
func (s *Service) ResetPassword(ctx context.Context, userID app.ID) (string, error) {
	pw, err := password.Generate()
	if err != nil {
		return "", err
	}
	hash, err := s.Hasher.Hash(ctx, pw)
	if err != nil {
		return "", err
	}
	s.quiet.forget("", userID)
	if err := s.Users.SetPassword(ctx, userID, hash, true, ""); err != nil {
		return "", err
	}
	return pw, nil
}

// KeepAlive holds a session open until until (an exam attempt's deadline
// plus grace), whatever the idle timeout.
func (s *Service) KeepAlive(ctx context.Context, sessionID string, until time.Time) error {
	return s.Sessions.ExtendSession(ctx, sessionID, until)
}
