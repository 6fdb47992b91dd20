// Package blob stores the files users attach: evidence for an indicator,
// activity photos, imported documents. Content is addressed by its SHA-256,
// so the same photo attached to ten reports is stored once and a stored
// file can be checked against its key at any time. Metadata (who uploaded
// what, under which name, for which record) lives in the database; a blob
// store only keeps bytes.
package blob

import (
	"context"
	"io"

	"pufa/internal/app"
)

// Blob describes stored content.
type Blob struct {
	// Key is the lower-case hex SHA-256 of the content (64 characters).
	Key string
	// Size is the content length in bytes.
	Size int64
	// ContentType is sniffed from the first 512 bytes with
	// http.DetectContentType. It names containers, not formats: a .docx
	// is "application/zip"; use upload.Sniff to tell formats apart.
	ContentType string
}

// Store keeps content-addressed blobs. Implementations must be safe for
// concurrent use, including concurrent Puts of the same content.
//
// An S3-compatible implementation can follow Local: stream the body to a
// temporary object (or a local temporary file) while hashing, since the key
// is known only at the end; then copy it to the key with a conditional
// write (If-None-Match: *), treating "already exists" as success, and
// delete the temporary object. Lay keys out as ab/cd/<key> as Local does,
// so a bucket can be moved to a folder and back with a plain copy.
type Store interface {
	// Put stores the content of r, reading at most maxBytes of it, and
	// returns its Blob. Putting content that is already stored succeeds
	// and keeps one copy. If r holds more than maxBytes it returns an
	// *upload.TooLargeError and stores nothing. A cancelled ctx stops the
	// copy and stores nothing.
	Put(ctx context.Context, r io.Reader, maxBytes int64) (Blob, error)
	// Open returns the content stored under key. It returns ErrInvalidKey
	// for a key that is not 64 lower-case hex digits, without touching
	// storage, and ErrNotFound when nothing is stored under key.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the content stored under key; deleting what is not
	// there succeeds. Content is shared by every record that stored the
	// same bytes, so callers delete only when the database holds no other
	// reference. It returns ErrInvalidKey for a malformed key.
	Delete(ctx context.Context, key string) error
	// Exists reports whether content is stored under key. It returns
	// ErrInvalidKey for a malformed key.
	Exists(ctx context.Context, key string) (bool, error)
}

// Errors a Store returns. Both map to "not found" for users: a malformed
// key in a URL is as absent as a deleted file.
var (
	ErrNotFound   = &app.Error{Code: app.ENOTFOUND, Message: "文件不存在或已被删除"}
	ErrInvalidKey = &app.Error{Code: app.ENOTFOUND, Message: "文件编号无效"}
)

// KeyLen is the length of a key: a hex-encoded SHA-256.
const KeyLen = 64

// ValidKey reports whether key is 64 lower-case hex digits. Anything else,
// above all a key with a path separator or "..", must never reach storage.
func ValidKey(key string) bool {
	if len(key) != KeyLen {
		return false
	}
	for i := range len(key) {
		c := key[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
