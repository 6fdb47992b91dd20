package password

import (
	"context"
	"fmt"
)

// Defaults for [Argon2id]: one pass over 64 MiB with two lanes, the
// RFC 9106 second recommended option. On a 2-core machine this allows about
// 25 sign-ins a second; wrap the hasher in [Limited].
const (
	DefaultArgon2idTime      = 1
	DefaultArgon2idMemoryKiB = 64 * 1024
	DefaultArgon2idThreads   = 2
)

// Argon2id is a [Hasher] using Argon2id, memory-hard so that guessing on
// GPUs costs memory as well as time. A zero field means its default, so
// Argon2id{} is the default configuration. Its Verify also accepts
// PBKDF2-SM3 hashes (reporting needsRehash).
type Argon2id struct {
	Time      uint32 // passes over memory (t); 0 means DefaultArgon2idTime
	MemoryKiB uint32 // memory in KiB (m); 0 means DefaultArgon2idMemoryKiB
	Threads   uint8  // lanes (p); 0 means DefaultArgon2idThreads
}

// Validate reports whether a's costs are usable: within what Verify accepts
// from a stored hash, and at least the 8 KiB per lane Argon2 requires.
func (a Argon2id) Validate() error {
	return a.withDefaults().check()
}

// Hash implements [Hasher].
func (a Argon2id) Hash(ctx context.Context, password string) (string, error) {
	a = a.withDefaults()
	if err := a.check(); err != nil {
		return "", err
	}
	return hash(ctx, password, a.params())
}

// Verify implements [Hasher].
func (a Argon2id) Verify(ctx context.Context, password, encoded string) (ok, needsRehash bool, err error) {
	return verify(ctx, password, encoded, a.withDefaults().params())
}

func (a Argon2id) withDefaults() Argon2id {
	if a.Time == 0 {
		a.Time = DefaultArgon2idTime
	}
	if a.MemoryKiB == 0 {
		a.MemoryKiB = DefaultArgon2idMemoryKiB
	}
	if a.Threads == 0 {
		a.Threads = DefaultArgon2idThreads
	}
	return a
}

// check validates explicit costs, as read from config or from a stored hash.
func (a Argon2id) check() error {
	switch {
	case a.Time < 1 || a.Time > maxArgonTime:
		return fmt.Errorf("Argon2id 参数无效：Time 须在 1 到 %d 之间，现为 %d", maxArgonTime, a.Time)
	case a.Threads < 1:
		return fmt.Errorf("Argon2id 参数无效：Threads 至少为 1")
	case a.MemoryKiB < 8*uint32(a.Threads) || a.MemoryKiB > maxArgonMemoryKiB:
		return fmt.Errorf("Argon2id 参数无效：MemoryKiB 须在 %d 到 %d 之间，现为 %d",
			8*uint32(a.Threads), maxArgonMemoryKiB, a.MemoryKiB)
	}
	return nil
}

func (a Argon2id) params() params {
	return params{alg: algArgon2id, argon: a}
}
