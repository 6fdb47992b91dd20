package password

import (
	"context"
	"fmt"
)

// DefaultPBKDF2SM3Iterations is the iteration count of [PBKDF2SM3] when
// none is set. A deployment may raise it.
const DefaultPBKDF2SM3Iterations = 100_000

// PBKDF2SM3 is a [Hasher] using PBKDF2 with HMAC-SM3 (GB/T 32905), for a
// deployment whose commercial-cryptography assessment (密评) wants only
// national algorithms. It is not memory-hard, so prefer [Argon2id] where the
// assessment allows. A zero Iterations means the default. Its Verify also
// accepts Argon2id hashes (reporting needsRehash).
type PBKDF2SM3 struct {
	Iterations int // 0 means DefaultPBKDF2SM3Iterations
}

// Validate reports whether p's iteration count is usable: at least 1 and
// within what Verify accepts from a stored hash.
func (p PBKDF2SM3) Validate() error {
	return p.withDefaults().check()
}

// Hash implements [Hasher].
func (p PBKDF2SM3) Hash(ctx context.Context, password string) (string, error) {
	p = p.withDefaults()
	if err := p.check(); err != nil {
		return "", err
	}
	return hash(ctx, password, p.params())
}

// Verify implements [Hasher].
func (p PBKDF2SM3) Verify(ctx context.Context, password, encoded string) (ok, needsRehash bool, err error) {
	return verify(ctx, password, encoded, p.withDefaults().params())
}

func (p PBKDF2SM3) withDefaults() PBKDF2SM3 {
	if p.Iterations == 0 {
		p.Iterations = DefaultPBKDF2SM3Iterations
	}
	return p
}

func (p PBKDF2SM3) check() error {
	if p.Iterations < 1 || p.Iterations > maxIterations {
		return fmt.Errorf("PBKDF2-SM3 参数无效：Iterations 须在 1 到 %d 之间，现为 %d", maxIterations, p.Iterations)
	}
	return nil
}

func (p PBKDF2SM3) params() params {
	return params{alg: algPBKDF2SM3, pbkdf: p}
}
