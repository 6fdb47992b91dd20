package store

import (
	"context"
	"fmt"
	"pufa/internal/app"
	"pufa/internal/notice"
)

// ExecRaw runs a statement outside the store's rules. It exists for tests
// that must tamper with rows (the audit-chain tests) and for operators'
// tools; capabilities never call it.
func (db *DB) ExecRaw(ctx context.Context, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.rebind(q), args...)
	if err != nil {
		return fmt.Errorf("exec raw: %w", err)
	}
	return nil
}

// CountRaw runs a COUNT query on the read pool; tests use it to look at
// rows no store method exposes.
func (db *DB) CountRaw(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, db.rebind(q), args...).Scan(&n)
	return n, err
}

// CreateNoticeForTest writes one notice inside tx; the group-commit tests
// use it as a small real write.
func (t *Tx) CreateNoticeForTest(ctx context.Context, userID app.ID, title string) error {
	return t.createNotices(ctx, []app.ID{userID}, notice.Notice{Kind: "test", Title: title})
}
