package blob_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"pufa/internal/blob"
	"pufa/internal/crypt"
)

func TestSealed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	local, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := crypt.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	s := blob.Seal(local, p)
	secret := []byte("身份证号 11010519491231002X 手机 13812345678")
	b, err := s.Put(ctx, bytes.NewReader(secret), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	// Nothing on disk holds the plaintext.
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(path)
			if bytes.Contains(data, []byte("11010519491231002X")) || bytes.Contains(data, []byte("13812345678")) {
				t.Errorf("%s holds plaintext", path)
			}
		}
		return nil
	})
	rc, err := s.Open(ctx, b.Key)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	if !bytes.Equal(got, secret) || b.Size != int64(len(secret)) {
		t.Fatalf("round trip: %q size %d", got, b.Size)
	}
	// Another key cannot open it.
	other, _ := crypt.NewEphemeral()
	if _, err := blob.Seal(local, other).Open(ctx, b.Key); err == nil {
		t.Fatal("opened with another key")
	}
	if _, err := s.Put(ctx, bytes.NewReader(make([]byte, 100)), 10); err == nil {
		t.Fatal("over-size put accepted")
	}
}
