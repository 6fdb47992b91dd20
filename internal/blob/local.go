package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pufa/internal/upload"
)

// tmpDir is where Local writes content before it knows the key. It is in
// the store's own folder, so the final rename never crosses file systems,
// and its leading dot keeps it apart from the two-hex-digit fan-out.
const tmpDir = ".tmp"

// sniffLen is what http.DetectContentType looks at.
const sniffLen = 512

// Local is a Store in a folder of the local file system. Content lives at
// <dir>/ab/cd/<key>, where ab and cd are the key's first two byte pairs,
// so no folder holds more than a few hundred files even with millions of
// blobs. A blob appears under its key only once it is complete and synced,
// so a crash leaves at most a stray file in <dir>/.tmp (see RemoveStaleTemp).
type Local struct {
	dir string
}

var _ Store = (*Local)(nil)

// NewLocal opens the store in dir, creating the folder if needed.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(filepath.Join(dir, tmpDir), 0o750); err != nil {
		return nil, fmt.Errorf("blob: creating store %s: %w", dir, err)
	}
	return &Local{dir: dir}, nil
}

// path is where the content of key lives. key must be valid.
func (l *Local) path(key string) string {
	return filepath.Join(l.dir, key[0:2], key[2:4], key)
}

// Put implements Store. It streams r to a temporary file while hashing,
// syncs it, and renames it under its key; content already stored is kept
// and the new copy dropped. Concurrent Puts of the same content all
// succeed: each rename replaces a file with identical bytes.
func (l *Local) Put(ctx context.Context, r io.Reader, maxBytes int64) (b Blob, err error) {
	if maxBytes <= 0 {
		return Blob{}, fmt.Errorf("blob: maxBytes %d must be positive", maxBytes)
	}
	tmp, err := os.CreateTemp(filepath.Join(l.dir, tmpDir), "put-*")
	if err != nil {
		return Blob{}, fmt.Errorf("blob: creating temporary file: %w", err)
	}
	defer func() {
		// On success the file has been renamed away and Remove finds
		// nothing; on failure no partial content may stay behind.
		tmp.Close()
		if rerr := os.Remove(tmp.Name()); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) && err == nil {
			err = fmt.Errorf("blob: removing temporary file: %w", rerr)
		}
	}()

	h := sha256.New()
	head := &prefix{max: sniffLen}
	src := io.LimitReader(&ctxReader{ctx: ctx, r: r}, maxBytes+1)
	n, err := io.Copy(io.MultiWriter(tmp, h, head), src)
	if err != nil {
		return Blob{}, fmt.Errorf("blob: storing: %w", err)
	}
	if n > maxBytes {
		return Blob{}, &upload.TooLargeError{Limit: maxBytes}
	}
	if err := tmp.Sync(); err != nil {
		return Blob{}, fmt.Errorf("blob: syncing: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Blob{}, fmt.Errorf("blob: closing: %w", err)
	}
	b = Blob{Key: hex.EncodeToString(h.Sum(nil)), Size: n, ContentType: http.DetectContentType(head.b)}

	final := l.path(b.Key)
	if fi, err := os.Stat(final); err == nil && fi.Size() == n {
		return b, nil // already stored
	}
	if err := l.mkdirs(b.Key); err != nil {
		return Blob{}, err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return Blob{}, fmt.Errorf("blob: storing %s: %w", b.Key, err)
	}
	// The rename is durable only once its directory is.
	if err := syncDir(filepath.Dir(final)); err != nil {
		return Blob{}, err
	}
	return b, nil
}

// mkdirs creates the fan-out folders of key, syncing each parent that
// gained an entry so the folders survive a crash along with the blob.
func (l *Local) mkdirs(key string) error {
	parent := l.dir
	for _, part := range []string{key[0:2], key[2:4]} {
		d := filepath.Join(parent, part)
		err := os.Mkdir(d, 0o750)
		switch {
		case err == nil:
			if err := syncDir(parent); err != nil {
				return err
			}
		case !errors.Is(err, fs.ErrExist):
			return fmt.Errorf("blob: creating folder: %w", err)
		}
		parent = d
	}
	return nil
}

// Open implements Store. The reader is an *os.File, so it also implements
// io.ReadSeeker for http.ServeContent.
func (l *Local) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if !ValidKey(key) {
		return nil, ErrInvalidKey
	}
	f, err := os.Open(l.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("blob: opening %s: %w", key, err)
	}
	return f, nil
}

// Delete implements Store. It leaves the fan-out folders in place: a
// concurrent Put may be about to rename into them.
func (l *Local) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return ErrInvalidKey
	}
	if err := os.Remove(l.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: deleting %s: %w", key, err)
	}
	return nil
}

// Exists implements Store.
func (l *Local) Exists(ctx context.Context, key string) (bool, error) {
	if !ValidKey(key) {
		return false, ErrInvalidKey
	}
	_, err := os.Stat(l.path(key))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, fmt.Errorf("blob: checking %s: %w", key, err)
}

// RemoveStaleTemp deletes temporary files last written before cutoff: the
// leftovers of Puts interrupted by a crash. Pass a cutoff well before any
// upload still in progress could have started, such as an hour ago. It
// returns how many files it removed.
func (l *Local) RemoveStaleTemp(cutoff time.Time) (int, error) {
	dir := filepath.Join(l.dir, tmpDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("blob: listing temporary files: %w", err)
	}
	removed := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "put-") {
			continue
		}
		fi, err := e.Info()
		if err != nil || !fi.ModTime().Before(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err == nil {
			removed++
		} else if !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("blob: removing temporary file: %w", err)
		}
	}
	return removed, nil
}

// syncDir fsyncs a folder, making renames and creations in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("blob: syncing folder: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("blob: syncing folder %s: %w", dir, err)
	}
	return nil
}

// ctxReader stops a copy once ctx is done, so an abandoned upload does not
// keep writing.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// Read reads from the underlying reader unless ctx is done.
func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// prefix keeps the first max bytes written to it, for content sniffing.
type prefix struct {
	b   []byte
	max int
}

// Write keeps what still fits and reports all of b written.
func (p *prefix) Write(b []byte) (int, error) {
	if room := p.max - len(p.b); room > 0 {
		p.b = append(p.b, b[:min(room, len(b))]...)
	}
	return len(b), nil
}
