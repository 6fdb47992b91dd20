package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/crypt"
)

var _ audit.Store = (*DB)(nil)

func (db *DB) auditMAC(data []byte) []byte { return db.crypto.MAC(crypt.PurposeAudit, data) }

// audit appends one chained row inside the caller's transaction, so the row
// and the change it records commit together. The UPDATE of the chain head
// takes its row lock first: writers on one chain queue there (on SQLite the
// single writer already serializes them), writers on other chains don't.
func (t *Tx) audit(ctx context.Context, r audit.Record) error {
	e := &audit.Entry{
		ID: t.db.NewID(), ChainID: t.db.nodeID, At: t.now,
		Action: r.Action, ObjectType: r.ObjectType, ObjectID: r.ObjectID,
		Result: r.Result, Detail: r.Detail,
	}
	if e.Result == "" {
		e.Result = audit.ResultOK
	}
	if a := app.ActorFrom(ctx); a != nil {
		e.ActorID, e.ActorLogin, e.OrgID = a.UserID, a.Login, a.OrgID
		e.Roles = strings.Join(a.Roles, ",")
	}
	m := app.RequestMetaFrom(ctx)
	e.IP, e.RequestID = m.IP, m.RequestID

	var prev string
	err := t.queryRow(ctx, `UPDATE audit_chains SET seq = seq + 1 WHERE chain_id = ? RETURNING seq, mac`, e.ChainID).Scan(&e.Seq, &prev)
	if errors.Is(err, sql.ErrNoRows) {
		e.Seq, prev = 1, ""
		if _, err = t.exec(ctx, `INSERT INTO audit_chains (chain_id, seq, mac) VALUES (?, 1, '')`, e.ChainID); err != nil {
			return fmt.Errorf("audit chain start: %w", err)
		}
	} else if err != nil {
		return fmt.Errorf("audit chain head: %w", err)
	}
	e.Seal(prev, t.db.auditMAC)
	if _, err := t.exec(ctx, `UPDATE audit_chains SET mac = ?, head_mac = ? WHERE chain_id = ?`, e.MAC, t.db.headMAC(e.ChainID, e.Seq, e.MAC), e.ChainID); err != nil {
		return fmt.Errorf("audit chain mac: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO audit_log (id, chain_id, seq, at, actor_id, actor_login, roles, org_id, action, object_type, object_id, result, detail, ip, request_id, prev_mac, mac)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.ChainID, e.Seq, ms(e.At), e.ActorID, e.ActorLogin, e.Roles, e.OrgID, e.Action, e.ObjectType, e.ObjectID, e.Result, e.Detail, e.IP, e.RequestID, e.PrevMAC, e.MAC)
	if err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	return nil
}

// headMAC seals a chain head. Without it, deleting the last rows and
// rolling the head back to the new last row would leave a chain that
// verifies; the key is outside the database, so the head cannot be
// rewritten to match.
func (db *DB) headMAC(chainID string, seq int64, mac string) string {
	return hex.EncodeToString(db.auditMAC([]byte(fmt.Sprintf("head\x00%s\x00%d\x00%s", chainID, seq, mac))))
}

// WriteAudit appends one row in its own transaction.
func (db *DB) WriteAudit(ctx context.Context, r audit.Record) error {
	return db.update(ctx, func(tx *Tx) error { return tx.audit(ctx, r) })
}

const auditColumns = `id, chain_id, seq, at, actor_id, actor_login, roles, org_id, action, object_type, object_id, result, detail, ip, request_id, prev_mac, mac`

func scanAudit(sc interface{ Scan(...any) error }) (*audit.Entry, error) {
	e := &audit.Entry{}
	var at int64
	err := sc.Scan(&e.ID, &e.ChainID, &e.Seq, &at, &e.ActorID, &e.ActorLogin, &e.Roles, &e.OrgID, &e.Action, &e.ObjectType, &e.ObjectID, &e.Result, &e.Detail, &e.IP, &e.RequestID, &e.PrevMAC, &e.MAC)
	e.At = fromMS(at)
	return e, err
}

// FindAuditEntries returns a page of entries, newest first.
func (db *DB) FindAuditEntries(ctx context.Context, f audit.Filter) ([]*audit.Entry, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if v := f.Action; v != nil && *v != "" {
		where, args = append(where, "action = ?"), append(args, *v)
	}
	if v := f.ActorID; v != nil {
		where, args = append(where, "actor_id = ?"), append(args, *v)
	}
	if v := f.Since; v != nil {
		where, args = append(where, "at >= ?"), append(args, ms(*v))
	}
	if v := f.Until; v != nil {
		where, args = append(where, "at < ?"), append(args, ms(*v))
	}
	if v := f.Result; v != nil && *v != "" {
		where, args = append(where, "result = ?"), append(args, *v)
	}
	if v := f.Query; v != nil && *v != "" {
		p := likePattern(*v)
		where = append(where, `(LOWER(actor_login) LIKE LOWER(?) ESCAPE '\' OR LOWER(object_id) LIKE LOWER(?) ESCAPE '\' OR LOWER(detail) LIKE LOWER(?) ESCAPE '\' OR ip LIKE ? ESCAPE '\')`)
		args = append(args, p, p, p, p)
	}
	r := db.reader()
	cond := strings.Join(where, " AND ")
	var total int
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", err)
	}
	limit, offset := pageBounds(f.Limit, f.Offset)
	rows, err := r.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE `+cond+` ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find audit: %w", err)
	}
	defer rows.Close()
	var out []*audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// VerifyAudit walks every chain in order and returns the first problem as
// an *audit.Problem.
func (db *DB) VerifyAudit(ctx context.Context) (int64, error) {
	r := db.reader()
	rows, err := r.query(ctx, `SELECT chain_id, seq, mac, head_mac FROM audit_chains ORDER BY chain_id`)
	if err != nil {
		return 0, err
	}
	type head struct {
		id           string
		seq          int64
		mac, headMAC string
	}
	var heads []head
	for rows.Next() {
		var h head
		if err := rows.Scan(&h.id, &h.seq, &h.mac, &h.headMAC); err != nil {
			rows.Close()
			return 0, err
		}
		heads = append(heads, h)
	}
	rows.Close()
	var total int64
	for _, h := range heads {
		if h.headMAC != db.headMAC(h.id, h.seq, h.mac) {
			return total, &audit.Problem{ChainID: h.id, Seq: h.seq, Reason: "链头校验码不符：链头被改写，末尾记录可能被删除"}
		}
		v := audit.NewVerifier(h.id, db.auditMAC)
		rows, err := r.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE chain_id = ? ORDER BY seq`, h.id)
		if err != nil {
			return total, err
		}
		for rows.Next() {
			e, err := scanAudit(rows)
			if err == nil {
				err = v.Next(e)
			}
			if err != nil {
				rows.Close()
				return total + v.Count, err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return total, err
		}
		if err := v.Finish(h.seq, h.mac); err != nil {
			return total + v.Count, err
		}
		total += v.Count
	}
	// Rows whose chain has no head were inserted around the writer.
	var orphans int
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE chain_id NOT IN (SELECT chain_id FROM audit_chains)`).Scan(&orphans); err != nil {
		return total, err
	}
	if orphans > 0 {
		return total, &audit.Problem{ChainID: "?", Reason: fmt.Sprintf("有 %d 条记录不属于任何审计链，可能是伪造的", orphans)}
	}
	return total, nil
}

// pageBounds clamps a page request.
func pageBounds(limit, offset int) (int, int) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return limit, max(offset, 0)
}
