package password

import (
	"crypto/pbkdf2"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/emmansun/gmsm/sm3"
	"golang.org/x/crypto/argon2"
)

// ErrMalformed is wrapped by the error Verify returns when the encoded hash
// cannot be parsed or names an unsupported algorithm or out-of-range costs.
// It means a damaged stored value, not a wrong password.
var ErrMalformed = errors.New("password: malformed encoded hash")

// Names of the algorithms as they appear in encoded hashes.
const (
	algArgon2id  = "argon2id"
	algPBKDF2SM3 = "pbkdf2-sm3"
)

// Bounds on what a stored hash may ask for. Verify runs whatever costs the
// encoded string names, so a damaged or planted value must not make it
// allocate gigabytes or loop for minutes. Configured hashers are held to the
// same bounds so that every hash Hash writes, Verify can read back.
const (
	maxArgonTime      = 32
	maxArgonMemoryKiB = 1 << 20 // 1 GiB
	maxIterations     = 10_000_000
	minSaltLen        = 8
	maxSaltLen        = 64
	minKeyLen         = 16
	maxKeyLen         = 64
)

// b64 is the PHC string format's base64: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// params is a parsed encoded hash, or (without salt and key) the settings a
// hasher writes new hashes with.
type params struct {
	alg   string
	argon Argon2id  // when alg == algArgon2id
	pbkdf PBKDF2SM3 // when alg == algPBKDF2SM3
	salt  []byte
	key   []byte
}

// derive computes an n-byte key from password and salt with p's algorithm
// and costs.
func (p params) derive(password string, salt []byte, n int) ([]byte, error) {
	switch p.alg {
	case algArgon2id:
		a := p.argon
		return argon2.IDKey([]byte(password), salt, a.Time, a.MemoryKiB, a.Threads, uint32(n)), nil
	case algPBKDF2SM3:
		// crypto/pbkdf2 rather than x/crypto/pbkdf2: the latter is a frozen
		// wrapper around it that panics where this returns an error (as in
		// FIPS 140-only mode, which refuses SM3).
		key, err := pbkdf2.Key(sm3.New, password, salt, p.pbkdf.Iterations, n)
		if err != nil {
			return nil, fmt.Errorf("password: PBKDF2-SM3: %w", err)
		}
		return key, nil
	}
	return nil, fmt.Errorf("%w: unsupported algorithm %.20q", ErrMalformed, p.alg)
}

// encode writes p in the PHC string format.
func (p params) encode() string {
	switch p.alg {
	case algArgon2id:
		return fmt.Sprintf("$%s$v=%d$m=%d,t=%d,p=%d$%s$%s", algArgon2id, argon2.Version,
			p.argon.MemoryKiB, p.argon.Time, p.argon.Threads,
			b64.EncodeToString(p.salt), b64.EncodeToString(p.key))
	case algPBKDF2SM3:
		return fmt.Sprintf("$%s$i=%d$%s$%s", algPBKDF2SM3, p.pbkdf.Iterations,
			b64.EncodeToString(p.salt), b64.EncodeToString(p.key))
	}
	return ""
}

// parse reads an encoded hash. It accepts only the canonical form encode
// writes (no leading zeros, no base64 padding or line breaks), so that a
// parsed value encodes back to the same string.
func parse(s string) (params, error) {
	f := strings.Split(s, "$")
	if len(f) < 2 || f[0] != "" {
		return params{}, fmt.Errorf("%w: not a PHC string", ErrMalformed)
	}
	var p params
	var rest []string
	switch f[1] {
	case algArgon2id:
		if len(f) != 6 {
			return params{}, fmt.Errorf("%w: argon2id wants 5 fields, got %d", ErrMalformed, len(f)-1)
		}
		v, err := field(f[2], "v")
		if err != nil {
			return params{}, err
		}
		if v != argon2.Version {
			return params{}, fmt.Errorf("%w: unsupported argon2 version %d", ErrMalformed, v)
		}
		mtp := strings.Split(f[3], ",")
		if len(mtp) != 3 {
			return params{}, fmt.Errorf("%w: argon2id wants m,t,p", ErrMalformed)
		}
		m, err := field(mtp[0], "m")
		if err != nil {
			return params{}, err
		}
		t, err := field(mtp[1], "t")
		if err != nil {
			return params{}, err
		}
		th, err := field(mtp[2], "p")
		if err != nil {
			return params{}, err
		}
		if th > 255 {
			return params{}, fmt.Errorf("%w: argon2id p=%d out of range", ErrMalformed, th)
		}
		p.alg = algArgon2id
		p.argon = Argon2id{Time: t, MemoryKiB: m, Threads: uint8(th)}
		if err := p.argon.check(); err != nil {
			return params{}, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		rest = f[4:]
	case algPBKDF2SM3:
		if len(f) != 5 {
			return params{}, fmt.Errorf("%w: pbkdf2-sm3 wants 4 fields, got %d", ErrMalformed, len(f)-1)
		}
		i, err := field(f[2], "i")
		if err != nil {
			return params{}, err
		}
		p.alg = algPBKDF2SM3
		p.pbkdf = PBKDF2SM3{Iterations: int(i)}
		if err := p.pbkdf.check(); err != nil {
			return params{}, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		rest = f[3:]
	default:
		return params{}, fmt.Errorf("%w: unsupported algorithm %.20q", ErrMalformed, f[1])
	}
	var err error
	if p.salt, err = decode(rest[0], "salt", minSaltLen, maxSaltLen); err != nil {
		return params{}, err
	}
	if p.key, err = decode(rest[1], "hash", minKeyLen, maxKeyLen); err != nil {
		return params{}, err
	}
	return p, nil
}

// field reads "name=<decimal uint32>" in canonical form.
func field(s, name string) (uint32, error) {
	digits, ok := strings.CutPrefix(s, name+"=")
	if !ok {
		return 0, fmt.Errorf("%w: want %s=", ErrMalformed, name)
	}
	n, err := strconv.ParseUint(digits, 10, 32)
	if err != nil || strconv.FormatUint(n, 10) != digits {
		return 0, fmt.Errorf("%w: bad value for %s", ErrMalformed, name)
	}
	return uint32(n), nil
}

// decode reads one base64 field and checks its length. Comparing the
// re-encoding catches what the decoder tolerates: line breaks and non-zero
// trailing bits.
func decode(s, what string, minLen, maxLen int) ([]byte, error) {
	b, err := b64.DecodeString(s)
	if err != nil || b64.EncodeToString(b) != s {
		return nil, fmt.Errorf("%w: bad base64 in %s", ErrMalformed, what)
	}
	if len(b) < minLen || len(b) > maxLen {
		return nil, fmt.Errorf("%w: %s is %d bytes, want %d to %d", ErrMalformed, what, len(b), minLen, maxLen)
	}
	return b, nil
}
