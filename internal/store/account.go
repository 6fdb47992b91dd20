package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/crypt"
	"pufa/internal/session"
)

var _ account.Store = (*DB)(nil)

// Personal data is sealed with SM4 bound to its column (the associated data),
// so a ciphertext copied into another column does not decrypt, and found by
// an HMAC-SM3 index over the normalized value.
const (
	adPhone    = "users.phone"
	adIDNumber = "users.id_number"
)

func (db *DB) seal(plain, ad string) ([]byte, any, error) {
	if plain == "" {
		return nil, nil, nil
	}
	enc, err := db.crypto.Encrypt([]byte(plain), []byte(ad))
	if err != nil {
		return nil, nil, fmt.Errorf("encrypt %s: %w", ad, err)
	}
	return enc, db.lookupIndex(plain, ad), nil
}

func (db *DB) lookupIndex(plain, ad string) string {
	return hex.EncodeToString(db.crypto.MAC(crypt.PurposeLookup, []byte(ad+"\x00"+plain)))
}

func (db *DB) open(enc []byte, ad string) (string, error) {
	if len(enc) == 0 {
		return "", nil
	}
	p, err := db.crypto.Decrypt(enc, []byte(ad))
	if err != nil {
		return "", fmt.Errorf("decrypt %s: %w", ad, err)
	}
	return string(p), nil
}

const userColumns = `id, login, name, org_id, rank, rank_title, phone_enc, id_number_enc, password_hash, password_changed_at, must_change, active, failed_count, failed_since, locked_until, last_login_at, created_at, updated_at`

func (t *Tx) scanUsers(ctx context.Context, rows *sql.Rows) ([]*account.User, error) {
	defer rows.Close()
	var out []*account.User
	for rows.Next() {
		u, err := t.db.scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, t.loadRoles(ctx, out)
}

func (db *DB) scanUser(sc interface{ Scan(...any) error }) (*account.User, error) {
	u := &account.User{}
	var phone, idn []byte
	var changed, failedSince, locked, lastLogin, created, updated int64
	if err := sc.Scan(&u.ID, &u.Login, &u.Name, &u.OrgID, &u.Rank, &u.RankTitle, &phone, &idn, &u.PasswordHash, &changed,
		&u.MustChange, &u.Active, &u.FailedCount, &failedSince, &locked, &lastLogin, &created, &updated); err != nil {
		return nil, err
	}
	u.PasswordChangedAt, u.FailedSince, u.LockedUntil = fromMS(changed), fromMS(failedSince), fromMS(locked)
	u.LastLoginAt, u.CreatedAt, u.UpdatedAt = fromMS(lastLogin), fromMS(created), fromMS(updated)
	var err error
	if u.Phone, err = db.open(phone, adPhone); err != nil {
		return nil, err
	}
	if u.IDNumber, err = db.open(idn, adIDNumber); err != nil {
		return nil, err
	}
	return u, nil
}

func (t *Tx) loadRoles(ctx context.Context, users []*account.User) error {
	if len(users) == 0 {
		return nil
	}
	byID := make(map[app.ID]*account.User, len(users))
	ph := make([]string, len(users))
	args := make([]any, len(users))
	for i, u := range users {
		byID[u.ID] = u
		ph[i], args[i] = "?", u.ID
	}
	rows, err := t.query(ctx, `SELECT user_id, role FROM user_roles WHERE user_id IN (`+strings.Join(ph, ",")+`)`, args...)
	if err != nil {
		return fmt.Errorf("load roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id app.ID
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			return err
		}
		byID[id].Roles = append(byID[id].Roles, role)
	}
	for _, u := range users {
		u.Roles = account.NormalizeRoles(u.Roles)
	}
	return rows.Err()
}

func (t *Tx) findUser(ctx context.Context, where string, arg any, msg string) (*account.User, error) {
	rows, err := t.query(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg)
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	users, err := t.scanUsers(ctx, rows)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, app.Errorf(app.ENOTFOUND, "%s", msg)
	}
	return users[0], nil
}

// FindUserByID returns one user with roles.
func (db *DB) FindUserByID(ctx context.Context, id app.ID) (*account.User, error) {
	return db.reader().findUser(ctx, "id = ?", id, "用户不存在")
}

// FindUserByLogin returns the user with login (case-insensitive: people
// type their login as they remember it).
func (db *DB) FindUserByLogin(ctx context.Context, login string) (*account.User, error) {
	return db.reader().findUser(ctx, "LOWER(login) = ?", strings.ToLower(strings.TrimSpace(login)), "用户不存在")
}

// FindUsers returns a page of users ordered by org path, then name.
func (db *DB) FindUsers(ctx context.Context, f account.Filter) ([]*account.User, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if v := f.UnderPath; v != nil {
		where, args = append(where, `o.path LIKE ? ESCAPE '\'`), append(args, prefixPattern(*v))
	}
	if v := f.OrgID; v != nil {
		where, args = append(where, "u.org_id = ?"), append(args, *v)
	}
	if v := f.Role; v != nil && *v != "" {
		where, args = append(where, "u.id IN (SELECT user_id FROM user_roles WHERE role = ?)"), append(args, *v)
	}
	if v := f.Active; v != nil {
		where, args = append(where, "u.active = ?"), append(args, *v)
	}
	if v := f.Query; v != nil && *v != "" {
		p := likePattern(*v)
		where, args = append(where, `(LOWER(u.login) LIKE LOWER(?) ESCAPE '\' OR LOWER(u.name) LIKE LOWER(?) ESCAPE '\')`), append(args, p, p)
	}
	if v := f.Phone; v != nil && *v != "" {
		where, args = append(where, "u.phone_idx = ?"), append(args, db.lookupIndex(*v, adPhone))
	}
	if v := f.IDNumber; v != nil && *v != "" {
		where, args = append(where, "u.id_number_idx = ?"), append(args, db.lookupIndex(*v, adIDNumber))
	}
	from := ` FROM users u JOIN orgs o ON o.id = u.org_id WHERE ` + strings.Join(where, " AND ")
	r := db.reader()
	var total int
	if err := r.queryRow(ctx, `SELECT COUNT(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	limit, offset := pageBounds(f.Limit, f.Offset)
	if f.Limit > 500 {
		limit = min(f.Limit, 100000) // exports ask for everything
	}
	rows, err := r.query(ctx, `SELECT `+userColumnsU+from+` ORDER BY o.path, u.name, u.id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find users: %w", err)
	}
	users, err := r.scanUsers(ctx, rows)
	return users, total, err
}

// userColumnsU is userColumns qualified for a join.
var userColumnsU = prefixedCols("u.", userColumns)

// CreateUser stores u (Validate it and set PasswordHash first).
func (db *DB) CreateUser(ctx context.Context, u *account.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error { return tx.createUser(ctx, u) })
}

// CreateUsers stores many users in one transaction: all or none. A load
// test's thousands of examinees take one commit instead of one each.
func (db *DB) CreateUsers(ctx context.Context, us []*account.User) error {
	for i, u := range us {
		if err := u.Validate(); err != nil {
			return app.Invalid("users", "第 %d 个账号：%s", i+1, app.ErrorMessage(err))
		}
	}
	return db.update(ctx, func(tx *Tx) error {
		for _, u := range us {
			if err := tx.createUser(ctx, u); err != nil {
				return err
			}
		}
		return nil
	})
}

func (t *Tx) createUser(ctx context.Context, u *account.User) error {
	if u.PasswordHash == "" {
		return fmt.Errorf("create user %s: no password hash", u.Login)
	}
	if _, err := t.findOrgByID(ctx, u.OrgID); err != nil {
		return app.Invalid("org", "所属组织不存在")
	}
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE LOWER(login) = ?`, strings.ToLower(u.Login)).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &app.Error{Code: app.ECONFLICT, Field: "login", Message: fmt.Sprintf("登录名“%s”已被使用", u.Login)}
	}
	u.ID = t.db.NewID()
	u.CreatedAt, u.UpdatedAt, u.PasswordChangedAt, u.Active = t.now, t.now, t.now, true
	if u.Rank == "" {
		u.Rank = account.RankStaff
	}
	phoneEnc, phoneIdx, err := t.db.seal(u.Phone, adPhone)
	if err != nil {
		return err
	}
	idEnc, idIdx, err := t.db.seal(u.IDNumber, adIDNumber)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO users (id, login, name, org_id, rank, rank_title, phone_enc, phone_idx, id_number_enc, id_number_idx, password_hash, password_changed_at, must_change, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Login, u.Name, u.OrgID, u.Rank, u.RankTitle, phoneEnc, phoneIdx, idEnc, idIdx, u.PasswordHash, ms(t.now), u.MustChange, true, ms(t.now), ms(t.now))
	if isUniqueViolation(err) {
		return &app.Error{Code: app.ECONFLICT, Field: "login", Message: fmt.Sprintf("登录名“%s”已被使用", u.Login)}
	} else if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	if err := t.insertRoles(ctx, u.ID, u.Roles); err != nil {
		return err
	}
	return t.audit(ctx, audit.Record{Action: "user.create", ObjectType: "user", ObjectID: u.ID.String(), Detail: u.Login + " 角色:" + strings.Join(u.Roles, ",")})
}

func (t *Tx) insertRoles(ctx context.Context, id app.ID, roles []string) error {
	for _, r := range roles {
		if _, err := t.exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, id, r); err != nil {
			return fmt.Errorf("insert role: %w", err)
		}
	}
	return nil
}

// UpdateUser changes a user's profile fields.
func (db *DB) UpdateUser(ctx context.Context, id app.ID, up account.Update) (*account.User, error) {
	var out *account.User
	err := db.update(ctx, func(tx *Tx) error {
		u, err := tx.findUser(ctx, "id = ?", id, "用户不存在")
		if err != nil {
			return err
		}
		var changed []string
		set := func(name string, dst *string, v *string) {
			if v != nil && *v != *dst {
				*dst, changed = *v, append(changed, name)
			}
		}
		set("name", &u.Name, up.Name)
		set("rank_title", &u.RankTitle, up.RankTitle)
		set("phone", &u.Phone, up.Phone)
		set("id_number", &u.IDNumber, up.IDNumber)
		if up.OrgID != nil && *up.OrgID != u.OrgID {
			if _, err := tx.findOrgByID(ctx, *up.OrgID); err != nil {
				return app.Invalid("org", "所属组织不存在")
			}
			u.OrgID, changed = *up.OrgID, append(changed, "org")
		}
		if up.Rank != nil && *up.Rank != u.Rank {
			u.Rank, changed = *up.Rank, append(changed, "rank")
		}
		if up.Active != nil && *up.Active != u.Active {
			u.Active, changed = *up.Active, append(changed, "active")
		}
		if err := u.Validate(); err != nil {
			return err
		}
		phoneEnc, phoneIdx, err := tx.db.seal(u.Phone, adPhone)
		if err != nil {
			return err
		}
		idEnc, idIdx, err := tx.db.seal(u.IDNumber, adIDNumber)
		if err != nil {
			return err
		}
		u.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `UPDATE users SET name = ?, org_id = ?, rank = ?, rank_title = ?, phone_enc = ?, phone_idx = ?, id_number_enc = ?, id_number_idx = ?, active = ?, updated_at = ? WHERE id = ?`,
			u.Name, u.OrgID, u.Rank, u.RankTitle, phoneEnc, phoneIdx, idEnc, idIdx, u.Active, ms(tx.now), id); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if up.Active != nil && !*up.Active {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		out = u
		// Which fields changed, never their values: the log must not become
		// a second copy of personal data.
		return tx.audit(ctx, audit.Record{Action: "user.update", ObjectType: "user", ObjectID: id.String(), Detail: u.Login + " 修改:" + strings.Join(changed, ",")})
	})
	return out, err
}

// SetRoles replaces a user's roles.
func (db *DB) SetRoles(ctx context.Context, id app.ID, roles []string) error {
	roles = account.NormalizeRoles(roles)
	if err := account.ValidateRoles(roles); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		u, err := tx.findUser(ctx, "id = ?", id, "用户不存在")
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM user_roles WHERE user_id = ?`, id); err != nil {
			return err
		}
		if err := tx.insertRoles(ctx, id, roles); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "user.roles", ObjectType: "user", ObjectID: id.String(),
			Detail: fmt.Sprintf("%s 角色:%s → %s", u.Login, strings.Join(u.Roles, ","), strings.Join(roles, ","))})
	})
}

// SetPassword stores a new hash and remembers the old one.
func (db *DB) SetPassword(ctx context.Context, id app.ID, hash string, mustChange bool, keepSession string) error {
	return db.update(ctx, func(tx *Tx) error {
		u, err := tx.findUser(ctx, "id = ?", id, "用户不存在")
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO password_history (user_id, hash, created_at) VALUES (?, ?, ?)`, id, u.PasswordHash, ms(tx.now)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ?, must_change = ?, failed_count = 0, failed_since = 0, locked_until = 0, updated_at = ? WHERE id = ?`,
			hash, ms(tx.now), mustChange, ms(tx.now), id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, id, keepSession); err != nil {
			return err
		}
		action := "user.password_change"
		if a := app.ActorFrom(ctx); a == nil || a.UserID != id {
			action = "user.password_reset"
		}
		return tx.audit(ctx, audit.Record{Action: action, ObjectType: "user", ObjectID: id.String(), Detail: u.Login})
	})
}

// PasswordHistory returns the newest n previous hashes.
func (db *DB) PasswordHistory(ctx context.Context, id app.ID, n int) ([]string, error) {
	rows, err := db.reader().query(ctx, `SELECT hash FROM password_history WHERE user_id = ? ORDER BY created_at DESC LIMIT ?`, id, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// RecordLoginFailure counts one failed sign-in and locks the account when
// the rule says so; the audit row records failure or lockout.
func (db *DB) RecordLoginFailure(ctx context.Context, id app.ID, rule account.LockoutRule) (*account.User, error) {
	var out *account.User
	err := db.update(ctx, func(tx *Tx) error {
		u, err := tx.findUser(ctx, "id = ?", id, "用户不存在")
		if err != nil {
			return err
		}
		ctx := asActor(ctx, u)
		wasLocked := u.Locked(tx.now)
		count, since, locked := rule.Apply(u, tx.now)
		if wasLocked {
			count, since, locked = u.FailedCount, u.FailedSince, u.LockedUntil
		}
		if _, err := tx.exec(ctx, `UPDATE users SET failed_count = ?, failed_since = ?, locked_until = ? WHERE id = ?`, count, ms(since), ms(locked), id); err != nil {
			return err
		}
		u.FailedCount, u.FailedSince, u.LockedUntil = count, since, locked
		out = u
		rec := audit.Record{Action: "auth.login_failed", ObjectType: "user", ObjectID: id.String(), Result: audit.ResultFailed, Detail: u.Login}
		if !wasLocked && u.Locked(tx.now) {
			rec.Action, rec.Detail = "auth.lockout", fmt.Sprintf("%s 连续失败 %d 次，锁定至 %s", u.Login, rule.MaxFailures, locked.In(app.Shanghai).Format("15:04"))
		} else if wasLocked {
			rec.Action = "auth.login_locked"
		}
		return tx.audit(ctx, rec)
	})
	return out, err
}

// RecordLoginSuccess clears the failure count and stamps the sign-in.
func (db *DB) RecordLoginSuccess(ctx context.Context, id app.ID, sess *session.Session, rehash string) error {
	return db.update(ctx, func(tx *Tx) error {
		u, err := tx.findUser(ctx, "id = ?", id, "用户不存在")
		if err != nil {
			return err
		}
		ctx := asActor(ctx, u)
		if _, err := tx.exec(ctx, `UPDATE users SET failed_count = 0, failed_since = 0, locked_until = 0, last_login_at = ? WHERE id = ?`, ms(tx.now), id); err != nil {
			return err
		}
		if err := tx.createSession(ctx, sess); err != nil {
			return err
		}
		if rehash != "" {
			if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, rehash, id); err != nil {
				return err
			}
		}
		return tx.audit(ctx, audit.Record{Action: "auth.login", ObjectType: "user", ObjectID: id.String()})
	})
}

// asActor names u as the actor of a sign-in's audit row: nobody is signed
// in yet, but the row is about u.
func asActor(ctx context.Context, u *account.User) context.Context {
	if app.ActorFrom(ctx) != nil {
		return ctx
	}
	return app.WithActor(ctx, &app.Actor{UserID: u.ID, Login: u.Login, Name: u.Name, Roles: u.Roles, OrgID: u.OrgID})
}
