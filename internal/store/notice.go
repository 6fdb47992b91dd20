package store

import (
	"context"
	"fmt"

	"pufa/internal/app"
	"pufa/internal/notice"
)

var _ notice.Store = (*DB)(nil)

// CreateNotices sends n to each user.
func (db *DB) CreateNotices(ctx context.Context, userIDs []app.ID, n notice.Notice) error {
	return db.update(ctx, func(tx *Tx) error { return tx.createNotices(ctx, userIDs, n) })
}

// createNotices lets a capability send notices inside its own transaction,
// so a returned submission and its notice commit together.
func (t *Tx) createNotices(ctx context.Context, userIDs []app.ID, n notice.Notice) error {
	for _, uid := range userIDs {
		if _, err := t.exec(ctx, `INSERT INTO notices (id, user_id, kind, title, body, link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.db.NewID(), uid, n.Kind, n.Title, n.Body, n.Link, ms(t.now)); err != nil {
			return fmt.Errorf("insert notice: %w", err)
		}
	}
	return nil
}

// FindNotices returns a user's newest notices and the unread count.
func (db *DB) FindNotices(ctx context.Context, userID app.ID, limit int) ([]*notice.Notice, int, error) {
	r := db.reader()
	var unread int
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM notices WHERE user_id = ? AND read_at = 0`, userID).Scan(&unread); err != nil {
		return nil, 0, err
	}
	limit, _ = pageBounds(limit, 0)
	rows, err := r.query(ctx, `SELECT id, user_id, kind, title, body, link, created_at, read_at FROM notices WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*notice.Notice
	for rows.Next() {
		n := &notice.Notice{}
		var created, read int64
		if err := rows.Scan(&n.ID, &n.UserID, &n.Kind, &n.Title, &n.Body, &n.Link, &created, &read); err != nil {
			return nil, 0, err
		}
		n.CreatedAt, n.ReadAt = fromMS(created), fromMS(read)
		out = append(out, n)
	}
	return out, unread, rows.Err()
}

// MarkNoticeRead marks one of the user's notices read.
func (db *DB) MarkNoticeRead(ctx context.Context, userID, id app.ID) error {
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE notices SET read_at = ? WHERE id = ? AND user_id = ? AND read_at = 0`, ms(tx.now), id, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM notices WHERE id = ? AND user_id = ?`, id, userID).Scan(&exists); err != nil {
				return err
			}
			if exists == 0 {
				return app.Errorf(app.ENOTFOUND, "通知不存在")
			}
		}
		return nil
	})
}
