package blob

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"pufa/internal/upload"
)

// Cipher is the part of the crypto provider a sealed store needs.
type Cipher interface {
	Encrypt(plaintext, associatedData []byte) ([]byte, error)
	Decrypt(ciphertext, associatedData []byte) ([]byte, error)
}

// sealedAD binds ciphertexts to this use, so a blob cannot be passed off
// as another kind of encrypted value.
var sealedAD = []byte("pufa blob v1")

// Sealed wraps a store so that what it keeps on disk is SM4-encrypted:
// exports with personal data, imported rosters and one-time password
// sheets must not lie in the clear in the data folder or a backup of it.
// Content is held in memory while sealing, which the per-use size limits
// bound. Keys are hashes of the ciphertext, so sealed blobs do not
// deduplicate.
type Sealed struct {
	inner  Store
	cipher Cipher
}

// Seal returns a store that encrypts what it puts into inner.
func Seal(inner Store, c Cipher) *Sealed { return &Sealed{inner: inner, cipher: c} }

// Put encrypts and stores at most maxBytes of r.
func (s *Sealed) Put(ctx context.Context, r io.Reader, maxBytes int64) (Blob, error) {
	plain, err := upload.ReadLimited(r, maxBytes)
	if err != nil {
		return Blob{}, err
	}
	sealed, err := s.cipher.Encrypt(plain, sealedAD)
	if err != nil {
		return Blob{}, fmt.Errorf("seal blob: %w", err)
	}
	b, err := s.inner.Put(ctx, bytes.NewReader(sealed), int64(len(sealed)))
	if err != nil {
		return Blob{}, err
	}
	b.Size = int64(len(plain))
	return b, nil
}

// Open decrypts the blob stored under key.
func (s *Sealed) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	rc, err := s.inner.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	sealed, err := io.ReadAll(rc)
	if err != nil {
		return nil, err
	}
	plain, err := s.cipher.Decrypt(sealed, sealedAD)
	if err != nil {
		return nil, fmt.Errorf("open sealed blob %s: %w", key, err)
	}
	return io.NopCloser(bytes.NewReader(plain)), nil
}

// Delete removes a blob.
func (s *Sealed) Delete(ctx context.Context, key string) error { return s.inner.Delete(ctx, key) }

// Exists reports whether a blob is stored.
func (s *Sealed) Exists(ctx context.Context, key string) (bool, error) {
	return s.inner.Exists(ctx, key)
}
