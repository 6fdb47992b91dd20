// Package password hashes and verifies passwords and holds the password
// policy (等保 profile by default).
//
// Encoded hashes are self-describing PHC strings, so a stored hash keeps
// verifying after the configured algorithm or its costs change; Verify then
// reports needsRehash and the caller stores a fresh hash made with the
// current settings while it still holds the plaintext.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
)

// Hasher turns a password into a self-describing encoded hash and checks a
// password against one.
//
// Implementations in this package are safe for concurrent use. Hashing is
// CPU- and memory-bound and cannot be interrupted once started, so ctx is
// only consulted before the work begins (and while queued, see [Limited]).
type Hasher interface {
	// Hash returns a new encoded hash of password with a fresh random salt.
	Hash(ctx context.Context, password string) (string, error)

	// Verify reports whether password matches encoded, whichever supported
	// algorithm encoded names. needsRehash is true only when ok is true and
	// encoded was made with another algorithm or other costs than this
	// Hasher's, so a caller never replaces a hash on a failed attempt.
	// A mismatch is ok == false with a nil error; an encoded string that
	// cannot be parsed returns an error wrapping [ErrMalformed].
	Verify(ctx context.Context, password, encoded string) (ok, needsRehash bool, err error)
}

// Sizes of new salts and keys. The salt is random per hash; 32 bytes of key
// is also SM3's output size, so PBKDF2-SM3 needs a single block.
const (
	saltLen = 16
	keyLen  = 32
)

// FastForTests returns a Hasher with tiny costs (Argon2id, t=1, 64 KiB,
// p=1) so that tests of other packages that create users stay fast. Its
// hashes verify under the production hashers (with needsRehash), but it
// offers no protection at all: never use it outside tests.
func FastForTests() Hasher {
	return Argon2id{Time: 1, MemoryKiB: 64, Threads: 1}
}

// EqualizeTiming spends about the time of one Verify with h's settings. A
// sign-in for an account that does not exist calls it instead of Verify, so
// the response time does not reveal whether the account exists.
//
// It hashes a fixed string rather than verifying against a precomputed
// hash: hashing runs the same key derivation with the same costs (the salt
// read and encoding are microseconds against tens of milliseconds), needs no
// state kept beside h, and queues like a real attempt when h is [Limited].
// The result and any error are discarded on purpose: the caller answers
// "wrong account or password" either way.
func EqualizeTiming(ctx context.Context, h Hasher) {
	_, _ = h.Hash(ctx, "pufa: equalize sign-in timing")
}

// verify checks password against encoded and reports whether the stored
// parameters differ from want (the configured hasher's).
func verify(ctx context.Context, password, encoded string, want params) (ok, needsRehash bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, false, err
	}
	p, err := parse(encoded)
	if err != nil {
		return false, false, err
	}
	got, err := p.derive(password, p.salt, len(p.key))
	if err != nil {
		return false, false, err
	}
	if subtle.ConstantTimeCompare(got, p.key) != 1 {
		return false, false, nil
	}
	rehash := p.alg != want.alg || p.argon != want.argon || p.pbkdf != want.pbkdf ||
		len(p.key) != keyLen || len(p.salt) < saltLen
	return true, rehash, nil
}

// hash makes a new encoded hash with the parameters p.
func hash(ctx context.Context, password string, p params) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: reading salt: %w", err)
	}
	key, err := p.derive(password, salt, keyLen)
	if err != nil {
		return "", err
	}
	p.salt, p.key = salt, key
	return p.encode(), nil
}
