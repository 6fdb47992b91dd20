package password

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// fastPBKDF2 keeps PBKDF2 tests quick; the default costs are covered once.
var fastPBKDF2 = PBKDF2SM3{Iterations: 1000}

func TestHasher_RoundTrip(t *testing.T) {
	ctx := context.Background()
	hashers := []struct {
		name   string
		h      Hasher
		prefix string
	}{
		{"argon2id fast", FastForTests(), "$argon2id$v=19$m=64,t=1,p=1$"},
		{"argon2id default", Argon2id{}, "$argon2id$v=19$m=65536,t=1,p=2$"},
		{"pbkdf2-sm3 fast", fastPBKDF2, "$pbkdf2-sm3$i=1000$"},
		{"pbkdf2-sm3 default", PBKDF2SM3{}, "$pbkdf2-sm3$i=100000$"},
		{"limited", Limited(FastForTests(), 1), "$argon2id$v=19$m=64,t=1,p=1$"},
	}
	for _, tc := range hashers {
		t.Run(tc.name, func(t *testing.T) {
			const pw = "正确的马Battery-Staple9"
			enc, err := tc.h.Hash(ctx, pw)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(enc, tc.prefix) {
				t.Fatalf("encoded = %q, want prefix %q", enc, tc.prefix)
			}
			ok, rehash, err := tc.h.Verify(ctx, pw, enc)
			if err != nil || !ok || rehash {
				t.Errorf("Verify(right password) = %v, %v, %v; want true, false, nil", ok, rehash, err)
			}
			ok, rehash, err = tc.h.Verify(ctx, pw+"x", enc)
			if err != nil || ok || rehash {
				t.Errorf("Verify(wrong password) = %v, %v, %v; want false, false, nil", ok, rehash, err)
			}
			again, err := tc.h.Hash(ctx, pw)
			if err != nil {
				t.Fatal(err)
			}
			if again == enc {
				t.Error("two hashes of the same password are equal: salt not random")
			}
		})
	}
}

// TestHasher_KnownAnswers checks interoperability with other
// implementations, not only with ourselves.
func TestHasher_KnownAnswers(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, password, encoded string
	}{
		// From the Argon2 reference implementation's test suite (test.c).
		{"argon2id reference", "password",
			"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"},
		// Python's hashlib.pbkdf2_hmac("sm3", ...) over OpenSSL 3.0.
		{"pbkdf2-sm3 openssl", "密码Password1!",
			"$pbkdf2-sm3$i=1000$c29tZXNhbHRzb21lc2FsdA$zKaLH7FhzvF0F9rmMhpc7LAzXAFKyIF+4b9QR5ZUehw"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, _, err := Argon2id{}.Verify(ctx, tc.password, tc.encoded)
			if err != nil || !ok {
				t.Errorf("Verify = %v, %v; want true, nil", ok, err)
			}
		})
	}
}

func TestHasher_NeedsRehash(t *testing.T) {
	ctx := context.Background()
	const pw = "Xy7!correct horse"
	tests := []struct {
		name       string
		made, conf Hasher
		want       bool
	}{
		{"pbkdf2 hash, argon2id configured", fastPBKDF2, FastForTests(), true},
		{"argon2id hash, pbkdf2 configured", FastForTests(), fastPBKDF2, true},
		{"argon2id, other memory", FastForTests(), Argon2id{Time: 1, MemoryKiB: 128, Threads: 1}, true},
		{"argon2id, other time", FastForTests(), Argon2id{Time: 2, MemoryKiB: 64, Threads: 1}, true},
		{"argon2id, other threads", FastForTests(), Argon2id{Time: 1, MemoryKiB: 64, Threads: 2}, true},
		{"pbkdf2, other iterations", fastPBKDF2, PBKDF2SM3{Iterations: 2000}, true},
		{"pbkdf2, same", fastPBKDF2, PBKDF2SM3{Iterations: 1000}, false},
		{"test hash, default configured", FastForTests(), Argon2id{}, true},
		{"through Limited", fastPBKDF2, Limited(FastForTests(), 2), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enc, err := tc.made.Hash(ctx, pw)
			if err != nil {
				t.Fatal(err)
			}
			ok, rehash, err := tc.conf.Verify(ctx, pw, enc)
			if err != nil || !ok || rehash != tc.want {
				t.Errorf("Verify = %v, %v, %v; want true, %v, nil", ok, rehash, err, tc.want)
			}
			// A failed attempt never asks for a rehash.
			ok, rehash, err = tc.conf.Verify(ctx, "wrong", enc)
			if err != nil || ok || rehash {
				t.Errorf("Verify(wrong) = %v, %v, %v; want false, false, nil", ok, rehash, err)
			}
		})
	}
}

func TestHasher_Tampered(t *testing.T) {
	ctx := context.Background()
	const pw = "Xy7!tamper"
	for _, h := range []Hasher{FastForTests(), fastPBKDF2} {
		enc, err := h.Hash(ctx, pw)
		if err != nil {
			t.Fatal(err)
		}
		p, err := parse(enc)
		if err != nil {
			t.Fatal(err)
		}
		tamper := func(name string, change func(p *params)) {
			t.Helper()
			q := p
			q.salt = append([]byte(nil), p.salt...)
			q.key = append([]byte(nil), p.key...)
			change(&q)
			ok, _, err := h.Verify(ctx, pw, q.encode())
			if err != nil || ok {
				t.Errorf("%s: %s: Verify = %v, %v; want false, nil", p.alg, name, ok, err)
			}
		}
		tamper("key bit", func(q *params) { q.key[0] ^= 1 })
		tamper("last key bit", func(q *params) { q.key[len(q.key)-1] ^= 0x80 })
		tamper("salt bit", func(q *params) { q.salt[3] ^= 1 })
		tamper("cost", func(q *params) { q.argon.Time++; q.pbkdf.Iterations++ })
	}
}

func TestParse_Malformed(t *testing.T) {
	const (
		salt = "c29tZXNhbHRzb21lc2FsdA"                      // 16 bytes
		key  = "zKaLH7FhzvF0F9rmMhpc7LAzXAFKyIF+4b9QR5ZUehw" // 32 bytes
	)
	bad := []string{
		"",
		"$",
		"$$",
		"plain",
		"argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id",
		"$argon2id$v=19$m=64,t=1,p=1$" + salt,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "$",
		"$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2d$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1,k=2$" + salt + "$" + key,
		"$argon2id$v=19$m=0,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=7,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=256$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=33,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=4294967295,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=99999999999,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m= 64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "=",
		"$argon2id$v=19$m=64,t=1,p=1$" + salt[:10] + "\n" + salt[10:] + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key[:len(key)-1] + "x", // non-zero trailing bits
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$!!!!",
		"$argon2id$v=19$m=64,t=1,p=1$$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$",
		"$argon2id$v=19$m=64,t=1,p=1$c29tZQ$" + key,            // 4-byte salt
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$c29tZXNhbHQ", // 8-byte key
		"$argon2id$v=19$m=64,t=1,p=1$" + strings.Repeat("A", 90) + "$" + key,
		"$pbkdf2-sm3$i=0$" + salt + "$" + key,
		"$pbkdf2-sm3$i=10000001$" + salt + "$" + key,
		"$pbkdf2-sm3$i=1000$" + salt,
		"$pbkdf2-sm3$1000$" + salt + "$" + key,
		"$pbkdf2-sm3$i=$" + salt + "$" + key,
		"$pbkdf2-sm3$i=1e3$" + salt + "$" + key,
		"$pbkdf2-sha256$i=1000$" + salt + "$" + key,
		"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"{SSHA}abcdef",
	}
	ctx := context.Background()
	for _, s := range bad {
		if _, err := parse(s); !errors.Is(err, ErrMalformed) {
			t.Errorf("parse(%q) error = %v, want ErrMalformed", s, err)
		}
		for _, h := range []Hasher{FastForTests(), fastPBKDF2} {
			ok, rehash, err := h.Verify(ctx, "password", s)
			if !errors.Is(err, ErrMalformed) || ok || rehash {
				t.Errorf("Verify(%q) = %v, %v, %v; want false, false, ErrMalformed", s, ok, rehash, err)
			}
		}
	}
}

func TestHasher_CanceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, h := range []Hasher{FastForTests(), fastPBKDF2, Limited(FastForTests(), 1)} {
		if _, err := h.Hash(ctx, "pw"); !errors.Is(err, context.Canceled) {
			t.Errorf("%T.Hash error = %v, want context.Canceled", h, err)
		}
		if _, _, err := h.Verify(ctx, "pw", "$pbkdf2-sm3$i=1$c29tZXNhbHQ$c29tZXNhbHRzb21lc2FsdA"); !errors.Is(err, context.Canceled) {
			t.Errorf("%T.Verify error = %v, want context.Canceled", h, err)
		}
	}
}

func TestValidate(t *testing.T) {
	valid := []interface{ Validate() error }{
		Argon2id{}, Argon2id{Time: 3, MemoryKiB: 1 << 20, Threads: 4}, Argon2id{MemoryKiB: 16},
		PBKDF2SM3{}, PBKDF2SM3{Iterations: 1}, PBKDF2SM3{Iterations: 10_000_000},
		FastForTests().(Argon2id),
	}
	for _, v := range valid {
		if err := v.Validate(); err != nil {
			t.Errorf("%#v.Validate() = %v, want nil", v, err)
		}
	}
	invalid := []interface{ Validate() error }{
		Argon2id{Time: 33}, Argon2id{MemoryKiB: 8}, Argon2id{MemoryKiB: 1<<20 + 1},
		Argon2id{MemoryKiB: 100, Threads: 255},
		PBKDF2SM3{Iterations: -1}, PBKDF2SM3{Iterations: 10_000_001},
	}
	ctx := context.Background()
	for _, v := range invalid {
		if err := v.Validate(); err == nil {
			t.Errorf("%#v.Validate() = nil, want error", v)
		}
		if _, err := v.(Hasher).Hash(ctx, "pw"); err == nil {
			t.Errorf("%#v.Hash() error = nil, want error", v)
		}
	}
}

// countingHasher records how many hashes ran, to see EqualizeTiming do one.
type countingHasher struct {
	Hasher
	hashes int
}

func (c *countingHasher) Hash(ctx context.Context, password string) (string, error) {
	c.hashes++
	return c.Hasher.Hash(ctx, password)
}

func TestEqualizeTiming(t *testing.T) {
	c := &countingHasher{Hasher: FastForTests()}
	EqualizeTiming(context.Background(), c)
	if c.hashes != 1 {
		t.Errorf("EqualizeTiming ran %d hashes, want 1", c.hashes)
	}
}

func FuzzParse(f *testing.F) {
	ctx := context.Background()
	for _, h := range []Hasher{FastForTests(), fastPBKDF2} {
		enc, err := h.Hash(ctx, "seed")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc)
	}
	f.Add("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")
	f.Add("$pbkdf2-sm3$i=1000$c29tZXNhbHRzb21lc2FsdA$zKaLH7FhzvF0F9rmMhpc7LAzXAFKyIF+4b9QR5ZUehw")
	f.Add("$argon2id$v=19$m=064,t=1,p=1$$")
	f.Add("$$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parse(s)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("parse(%q) error %v does not wrap ErrMalformed", s, err)
			}
			return
		}
		// Only the canonical form parses, so it must encode back unchanged.
		if got := p.encode(); got != s {
			t.Fatalf("parse(%q).encode() = %q", s, got)
		}
	})
}

func BenchmarkArgon2idDefault(b *testing.B) {
	benchmarkHash(b, Argon2id{})
}

func BenchmarkPBKDF2SM3Default(b *testing.B) {
	benchmarkHash(b, PBKDF2SM3{})
}

func benchmarkHash(b *testing.B, h Hasher) {
	ctx := context.Background()
	enc, err := h.Hash(ctx, "Xy7!benchmark")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		// Verify is what every sign-in pays.
		if ok, _, err := h.Verify(ctx, "Xy7!benchmark", enc); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
