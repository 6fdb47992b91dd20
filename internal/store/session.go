package store

import (
	"context"
	"fmt"
	"time"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/session"
)

var _ session.Store = (*DB)(nil)

// CreateSession stores s. Sign-in audits it, not this.
func (db *DB) CreateSession(ctx context.Context, s *session.Session) error {
	return db.update(ctx, func(tx *Tx) error { return tx.createSession(ctx, s) })
}

func (t *Tx) createSession(ctx context.Context, s *session.Session) error {
	_, err := t.exec(ctx, `INSERT INTO sessions (id, user_id, kind, created_at, last_seen_at, expires_at, keep_alive_until, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.UserID, s.Kind, ms(s.CreatedAt), ms(s.LastSeenAt), ms(s.ExpiresAt), ms(s.KeepAliveUntil), s.IP, truncate(s.UserAgent, 300))
	if err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// EndSession deletes a session and audits the sign-out together.
func (db *DB) EndSession(ctx context.Context, id string) error {
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "auth.logout", ObjectType: "session"})
	})
}

// FindSession returns a stored session.
func (db *DB) FindSession(ctx context.Context, id string) (*session.Session, error) {
	s := &session.Session{}
	var created, seen, expires, keep int64
	err := db.reader().queryRow(ctx, `SELECT id, user_id, kind, created_at, last_seen_at, expires_at, keep_alive_until, ip, user_agent FROM sessions WHERE id = ?`, id).
		Scan(&s.ID, &s.UserID, &s.Kind, &created, &seen, &expires, &keep, &s.IP, &s.UserAgent)
	if err != nil {
		return nil, notFound(err, "会话不存在或已结束")
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.KeepAliveUntil = fromMS(created), fromMS(seen), fromMS(expires), fromMS(keep)
	return s, nil
}

// TouchSession records activity, as a short write (at most once a minute
// per session, but thousands of sessions come back at once when a hall
// starts an exam).
func (db *DB) TouchSession(ctx context.Context, id string, at time.Time) error {
	return db.shortWrite(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?`, ms(at), id, ms(at))
		return err
	})
}

// ExtendSession keeps a session alive until until, capped at its absolute
// expiry. It is a short write: a hall of examinees starting an exam at
// once extends thousands of sessions in a few commits on SQLite.
func (db *DB) ExtendSession(ctx context.Context, id string, until time.Time) error {
	return db.shortWrite(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE sessions SET keep_alive_until = CASE WHEN ? < expires_at THEN ? ELSE expires_at END WHERE id = ?`, ms(until), ms(until), id)
		return err
	})
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
		return err
	})
}

// DeleteUserSessions ends every session of a user except keep.
func (db *DB) DeleteUserSessions(ctx context.Context, userID app.ID, keep string) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keep)
		return err
	})
}

// DeleteExpiredSessions removes sessions that are dead at now.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time, t session.Timeouts) (int, error) {
	var n int64
	err := db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR (last_seen_at <= ? AND keep_alive_until <= ?)`,
			ms(now), ms(now.Add(-t.Idle)), ms(now))
		if err != nil {
			return fmt.Errorf("delete expired sessions: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut on a rune boundary.
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n]
}
