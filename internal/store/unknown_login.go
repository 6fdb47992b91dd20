package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"

	"pufa/internal/account"
	"pufa/internal/audit"
	"pufa/internal/crypt"
)

// RecordUnknownLoginFailure counts a failure for a login that names no
// account. The login is stored only as an HMAC: the table must not become
// a list of what people typed, which is sometimes their password.
func (db *DB) RecordUnknownLoginFailure(ctx context.Context, login string, rule account.LockoutRule) (*account.User, error) {
	key := hex.EncodeToString(db.crypto.MAC(crypt.PurposeLookup, []byte("login\x00"+strings.ToLower(login))))
	u := &account.User{}
	err := db.update(ctx, func(tx *Tx) error {
		var count int
		var since, locked int64
		err := tx.queryRow(ctx, `SELECT failed_count, failed_since, locked_until FROM login_failures WHERE login_mac = ?`, key).Scan(&count, &since, &locked)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		u.FailedCount, u.FailedSince, u.LockedUntil = count, fromMS(since), fromMS(locked)
		if !u.Locked(tx.now) {
			u.FailedCount, u.FailedSince, u.LockedUntil = rule.Apply(u, tx.now)
		}
		if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE login_mac = ?`, key); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO login_failures (login_mac, failed_count, failed_since, locked_until) VALUES (?, ?, ?, ?)`,
			key, u.FailedCount, ms(u.FailedSince), ms(u.LockedUntil)); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "auth.login_failed", ObjectType: "login", Result: audit.ResultFailed, Detail: "登录名不存在"})
	})
	return u, err
}
