package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pufa/internal/app"
	"pufa/internal/upload"
)

func newStore(t *testing.T) (*Local, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// storedFiles lists the blobs on disk, and fails if a temporary file is
// left behind.
func storedFiles(t *testing.T, dir string) []string {
	t.Helper()
	tmps, err := os.ReadDir(filepath.Join(dir, tmpDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(tmps) != 0 {
		t.Errorf("%d temporary files left behind", len(tmps))
	}
	var files []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if d.IsDir() && d.Name() == tmpDir {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			files = append(files, rel)
		}
		return nil
	})
	return files
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestLocal_roundTrip(t *testing.T) {
	ctx := context.Background()
	s, dir := newStore(t)
	content := []byte("一村一档：示范村复核材料\n")
	b, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := Blob{Key: sum(content), Size: int64(len(content)), ContentType: "text/plain; charset=utf-8"}
	if b != want {
		t.Fatalf("got %+v, want %+v", b, want)
	}
	files := storedFiles(t, dir)
	if wantPath := filepath.Join(b.Key[:2], b.Key[2:4], b.Key); len(files) != 1 || files[0] != wantPath {
		t.Fatalf("files %v, want [%s]", files, wantPath)
	}

	rc, err := s.Open(ctx, b.Key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("read %q, %v", got, err)
	}
	if _, ok := rc.(io.ReadSeeker); !ok {
		t.Error("Local.Open's reader is not an io.ReadSeeker")
	}
	if ok, err := s.Exists(ctx, b.Key); !ok || err != nil {
		t.Fatalf("Exists = %v, %v", ok, err)
	}

	if err := s.Delete(ctx, b.Key); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Exists(ctx, b.Key); ok || err != nil {
		t.Fatalf("after Delete, Exists = %v, %v", ok, err)
	}
	if _, err := s.Open(ctx, b.Key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Open after Delete: %v", err)
	}
	if err := s.Delete(ctx, b.Key); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
}

func TestLocal_contentType(t *testing.T) {
	s, _ := newStore(t)
	for content, want := range map[string]string{
		"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR": "image/png",
		"%PDF-1.7\n":                          "application/pdf",
		"PK\x03\x04rest of a docx":            "application/zip",
		"":                                    "text/plain; charset=utf-8",
	} {
		b, err := s.Put(context.Background(), strings.NewReader(content), 1<<10)
		if err != nil {
			t.Fatal(err)
		}
		if b.ContentType != want {
			t.Errorf("%q: content type %q, want %q", content, b.ContentType, want)
		}
	}
}

func TestLocal_dedupe(t *testing.T) {
	ctx := context.Background()
	s, dir := newStore(t)
	content := bytes.Repeat([]byte("宪法宣传周活动照片"), 1000)
	a, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Fatalf("same content stored as %+v and %+v", a, b)
	}
	if files := storedFiles(t, dir); len(files) != 1 {
		t.Fatalf("files %v, want one", files)
	}
}

func TestLocal_tooLarge(t *testing.T) {
	ctx := context.Background()
	s, dir := newStore(t)
	if _, err := s.Put(ctx, bytes.NewReader(make([]byte, 1000)), 1000); err != nil {
		t.Fatalf("exactly maxBytes: %v", err)
	}
	_, err := s.Put(ctx, bytes.NewReader(make([]byte, 3<<20)), 2<<20)
	var tl *upload.TooLargeError
	if !errors.As(err, &tl) || err.Error() != "文件超过 2 MB 上限" {
		t.Fatalf("got %v, want *upload.TooLargeError", err)
	}
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Code != app.ETOOLARGE {
		t.Fatalf("not an ETOOLARGE app error: %v", err)
	}
	if files := storedFiles(t, dir); len(files) != 1 {
		t.Fatalf("files %v, want only the first blob", files)
	}
	if _, err := s.Put(ctx, strings.NewReader("x"), 0); err == nil {
		t.Fatal("maxBytes 0 accepted")
	}
}

func TestLocal_failedCopyLeavesNothing(t *testing.T) {
	s, dir := newStore(t)
	boom := errors.New("connection reset by peer")
	_, err := s.Put(context.Background(), io.MultiReader(strings.NewReader("partial"), failing{boom}), 1<<20)
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want %v", err, boom)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = s.Put(ctx, strings.NewReader("abandoned upload"), 1<<20)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if files := storedFiles(t, dir); len(files) != 0 {
		t.Fatalf("files %v, want none", files)
	}
}

type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }

func TestLocal_maliciousKeys(t *testing.T) {
	ctx := context.Background()
	s, dir := newStore(t)
	// A file outside the fan-out that a traversal would reach.
	os.WriteFile(filepath.Join(dir, "secret"), []byte("x"), 0o600)
	valid := sum([]byte("x"))
	for _, key := range []string{
		"",
		"../secret",
		"../../../../etc/passwd",
		"ab/cd/" + valid[6:],
		strings.ToUpper(valid),
		valid[:63],
		valid + "0",
		valid[:62] + "/.",
		valid[:60] + "%2e%2",
		valid[:63] + "\x00",
	} {
		if _, err := s.Open(ctx, key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Open(%q): %v", key, err)
		}
		if _, err := s.Exists(ctx, key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Exists(%q): %v", key, err)
		}
		if err := s.Delete(ctx, key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Delete(%q): %v", key, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "secret")); err != nil {
		t.Fatal("a malicious Delete removed a file outside the store")
	}
	var ae *app.Error
	if !errors.As(ErrInvalidKey, &ae) || ae.Code != app.ENOTFOUND {
		t.Fatal("ErrInvalidKey is not a not-found app error")
	}
}

func TestLocal_concurrentPuts(t *testing.T) {
	ctx := context.Background()
	s, dir := newStore(t)
	same := bytes.Repeat([]byte{0xAB}, 256<<10)
	const n = 16
	keys := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			content := same
			if i%4 == 3 {
				content = append(bytes.Clone(same), byte(i)) // a few distinct blobs
			}
			b, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
			keys[i], errs[i] = b.Key, err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
		if i%4 != 3 && keys[i] != sum(same) {
			t.Fatalf("put %d: key %s", i, keys[i])
		}
	}
	files := storedFiles(t, dir)
	if len(files) != 1+n/4 {
		t.Fatalf("%d files, want %d: %v", len(files), 1+n/4, files)
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if sum(data) != filepath.Base(f) {
			t.Fatalf("%s holds content hashing to %s", f, sum(data))
		}
	}
}

func TestLocal_RemoveStaleTemp(t *testing.T) {
	s, dir := newStore(t)
	stale := filepath.Join(dir, tmpDir, "put-123")
	fresh := filepath.Join(dir, tmpDir, "put-456")
	os.WriteFile(stale, []byte("crashed upload"), 0o600)
	os.WriteFile(fresh, []byte("upload in progress"), 0o600)
	now := time.Now()
	os.Chtimes(stale, now.Add(-2*time.Hour), now.Add(-2*time.Hour))

	n, err := s.RemoveStaleTemp(now.Add(-time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("removed %d, %v; want 1", n, err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Error("stale file kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("fresh file removed")
	}
}

func TestValidKey(t *testing.T) {
	if !ValidKey(sum(nil)) {
		t.Error("a SHA-256 hex key is refused")
	}
	if ValidKey(strings.Repeat("g", 64)) {
		t.Error("non-hex key accepted")
	}
}
