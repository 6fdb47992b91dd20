package store

import (
	"context"
	"fmt"
	"time"

	"pufa/internal/app"
	"pufa/internal/blob"
)

// BlobInfo is what the database knows of a stored file: the blob store
// keeps bytes, this keeps who stored what, for which use, and its checksum
// (the key is the SHA-256 of the stored bytes).
type BlobInfo struct {
	blob.Blob
	Name    string
	Purpose string // "export", "import", "plan_source", "report_file", "password_sheet", "question_bank", "law_text", "site_photo"
	// CreatedBy is the account that stored it (0 for the system).
	CreatedBy app.ID
}

// RecordBlob notes a stored blob; recording the same key again keeps the
// first row.
func (db *DB) RecordBlob(ctx context.Context, b BlobInfo) error {
	return db.update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM blobs WHERE key = ?`, b.Key).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		var by app.ID
		if a := app.ActorFrom(ctx); a != nil {
			by = a.UserID
		}
		if _, err := tx.exec(ctx, `INSERT INTO blobs (key, size, content_type, name, purpose, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			b.Key, b.Size, b.ContentType, truncate(b.Name, 200), b.Purpose, by, ms(tx.now)); err != nil {
			return fmt.Errorf("record blob: %w", err)
		}
		return nil
	})
}

// ForgetBlob removes a blob's row once its bytes are deleted.
func (db *DB) ForgetBlob(ctx context.Context, key string) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM blobs WHERE key = ?`, key)
		return err
	})
}

// FindBlob returns a blob's row; ENOTFOUND when none.
func (db *DB) FindBlob(ctx context.Context, key string) (*BlobInfo, error) {
	b := &BlobInfo{}
	var created int64
	err := db.reader().queryRow(ctx, `SELECT key, size, content_type, name, purpose, created_by, created_at FROM blobs WHERE key = ?`, key).
		Scan(&b.Key, &b.Size, &b.ContentType, &b.Name, &b.Purpose, &b.CreatedBy, &created)
	return b, notFound(err, "文件不存在")
}

// FindAbandonedBlobs returns the keys of uploads kept for a confirm step
// that never came: import rosters, and plan sources no plan points to,
// stored before cutoff.
func (db *DB) FindAbandonedBlobs(ctx context.Context, cutoff time.Time) ([]string, error) {
	// Uploads kept only between a preview and its confirmation (rosters,
	// question banks, law texts) are abandoned once old; a plan's source
	// is kept while a plan names it.
	rows, err := db.reader().query(ctx, `SELECT key FROM blobs WHERE created_at < ? AND (purpose IN ('import', 'question_bank', 'law_text')
		OR (purpose = 'plan_source' AND key NOT IN (SELECT source_key FROM plans)))`, ms(cutoff))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}
