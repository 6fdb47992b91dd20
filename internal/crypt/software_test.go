package crypt_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/hmac"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"sync"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/smx509"

	"pufa/internal/crypt"
)

// newProvider returns a software Provider over fresh keys.
func newProvider(t testing.TB) (crypt.Provider, *crypt.Keys) {
	t.Helper()
	k, err := crypt.NewKeys()
	if err != nil {
		t.Fatal(err)
	}
	p, err := crypt.NewSoftware(k)
	if err != nil {
		t.Fatal(err)
	}
	return p, k
}

func TestSoftware_Hash(t *testing.T) {
	p, _ := newProvider(t)
	tests := []struct {
		name, in, want string
	}{
		// GB/T 32905-2016 Appendix A, examples 1 and 2.
		{"abc", "abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"},
		{"abcd x16", "abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd",
			"debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"},
		{"empty", "", "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hex.EncodeToString(p.Hash([]byte(tt.in))); got != tt.want {
				t.Errorf("Hash(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestSoftware_EncryptRoundTrip(t *testing.T) {
	p, k := newProvider(t)
	tests := []struct {
		name          string
		plaintext, ad []byte
	}{
		{"empty", nil, nil},
		{"phone", []byte("13812345678"), nil},
		{"with associated data", []byte("110105194912310020"), []byte("person:42:id_number")},
		{"multi-block", bytes.Repeat([]byte("数据"), 1000), []byte("x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, err := p.Encrypt(tt.plaintext, tt.ad)
			if err != nil {
				t.Fatal(err)
			}
			if want := 1 + 12 + len(tt.plaintext) + 16; len(ct) != want {
				t.Errorf("len(ciphertext) = %d, want %d", len(ct), want)
			}
			if ct[0] != k.Version {
				t.Errorf("version byte = %d, want %d", ct[0], k.Version)
			}
			got, err := p.Decrypt(ct, tt.ad)
			if err != nil {
				t.Fatalf("Decrypt: %v", err)
			}
			if !bytes.Equal(got, tt.plaintext) {
				t.Errorf("Decrypt = %q, want %q", got, tt.plaintext)
			}
			again, err := p.Encrypt(tt.plaintext, tt.ad)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(again, ct) {
				t.Error("two encryptions of the same plaintext are identical; the nonce is not random")
			}
		})
	}
}

func TestSoftware_DecryptRejects(t *testing.T) {
	p, _ := newProvider(t)
	ad := []byte("person:42")
	ct, err := p.Encrypt([]byte("110105194912310020"), ad)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		c := bytes.Clone(ct)
		c[i] ^= 0x01
		return c
	}
	tests := []struct {
		name   string
		ct, ad []byte
	}{
		{"key version changed", flip(0), ad},
		{"nonce changed", flip(1), ad},
		{"ciphertext changed", flip(13), ad},
		{"tag changed", flip(len(ct) - 1), ad},
		{"truncated", ct[:len(ct)-1], ad},
		{"extended", append(bytes.Clone(ct), 0), ad},
		{"header only", ct[:13], ad},
		{"empty", nil, ad},
		{"other associated data", ct, []byte("person:43")},
		{"missing associated data", ct, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Decrypt(tt.ct, tt.ad)
			if !errors.Is(err, crypt.ErrDecrypt) {
				t.Errorf("Decrypt = %q, %v; want an error wrapping ErrDecrypt", got, err)
			}
		})
	}
}

func TestSoftware_DecryptWrongKey(t *testing.T) {
	p1, _ := newProvider(t)
	p2, _ := newProvider(t) // same version byte, different key
	ct, err := p1.Encrypt([]byte("secret"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p2.Decrypt(ct, nil); !errors.Is(err, crypt.ErrDecrypt) {
		t.Errorf("Decrypt with another key = %q, %v; want ErrDecrypt", got, err)
	}
}

func TestSoftware_RetiredDataKey(t *testing.T) {
	oldP, oldK := newProvider(t)
	oldCT, err := oldP.Encrypt([]byte("old"), nil)
	if err != nil {
		t.Fatal(err)
	}

	newK, err := crypt.NewKeys()
	if err != nil {
		t.Fatal(err)
	}
	newK.Version = 2
	newK.RetiredDataKeys = map[uint8][]byte{oldK.Version: oldK.DataKey}
	newP, err := crypt.NewSoftware(newK)
	if err != nil {
		t.Fatal(err)
	}

	got, err := newP.Decrypt(oldCT, nil)
	if err != nil || string(got) != "old" {
		t.Errorf("Decrypt(old ciphertext) after rotation = %q, %v; want %q", got, err, "old")
	}
	newCT, err := newP.Encrypt([]byte("new"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if newCT[0] != 2 {
		t.Errorf("new ciphertext version = %d, want 2", newCT[0])
	}
	if _, err := oldP.Decrypt(newCT, nil); !errors.Is(err, crypt.ErrDecrypt) {
		t.Errorf("old provider decrypting a version 2 ciphertext: err = %v, want ErrDecrypt", err)
	}
}

func TestSoftware_MAC(t *testing.T) {
	p, k := newProvider(t)
	data := []byte("13812345678")
	purposes := []crypt.Purpose{crypt.PurposeAudit, crypt.PurposeLookup, crypt.PurposeCSRF, crypt.PurposeToken, "not-predeclared"}

	seen := map[string]crypt.Purpose{}
	for _, purpose := range purposes {
		t.Run(string(purpose), func(t *testing.T) {
			got := p.MAC(purpose, data)
			// The derivation is part of the stored data format (blind
			// indexes), so pin it: HMAC-SM3(HMAC-SM3(master, purpose), data).
			want := hmacSM3(hmacSM3(k.MACKey, []byte(purpose)), data)
			if !bytes.Equal(got, want) {
				t.Errorf("MAC = %x, want %x", got, want)
			}
			if !bytes.Equal(p.MAC(purpose, data), got) {
				t.Error("MAC is not deterministic")
			}
			if other, dup := seen[string(got)]; dup {
				t.Errorf("MAC for %q equals MAC for %q", purpose, other)
			}
			seen[string(got)] = purpose
		})
	}

	p2, _ := newProvider(t)
	if bytes.Equal(p.MAC(crypt.PurposeLookup, data), p2.MAC(crypt.PurposeLookup, data)) {
		t.Error("two different master keys give the same MAC")
	}
}

func hmacSM3(key, data []byte) []byte {
	m := hmac.New(sm3.New, key)
	m.Write(data)
	return m.Sum(nil)
}

func TestSoftware_Sign(t *testing.T) {
	p, _ := newProvider(t)
	other, _ := newProvider(t)
	data := []byte("审计记录 #1")
	sig, err := p.Sign(data)
	if err != nil {
		t.Fatal(err)
	}
	tampered := bytes.Clone(sig)
	tampered[len(tampered)-1] ^= 0x01

	tests := []struct {
		name      string
		verifier  crypt.Provider
		data, sig []byte
		want      bool
	}{
		{"valid", p, data, sig, true},
		{"other data", p, []byte("审计记录 #2"), sig, false},
		{"tampered signature", p, data, tampered, false},
		{"empty signature", p, data, nil, false},
		{"garbage signature", p, data, []byte("not asn.1"), false},
		{"other key", other, data, sig, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.verifier.Verify(tt.data, tt.sig); got != tt.want {
				t.Errorf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSoftware_SignInterop checks the signature against the published public
// key the way an outside verifier would: standard SM2 with the default user
// id, which only holds if Sign includes the Z_A hash.
func TestSoftware_SignInterop(t *testing.T) {
	p, _ := newProvider(t)
	block, rest := pem.Decode(p.PublicKeyPEM())
	if block == nil || block.Type != "PUBLIC KEY" || len(bytes.TrimSpace(rest)) != 0 {
		t.Fatalf("PublicKeyPEM is not a single PUBLIC KEY block:\n%s", p.PublicKeyPEM())
	}
	parsed, err := smx509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	pub, ok := parsed.(*ecdsa.PublicKey)
	if !ok || !sm2.IsSM2PublicKey(pub) {
		t.Fatalf("public key is %T, want an SM2 key", parsed)
	}

	data := []byte("interop")
	sig, err := p.Sign(data)
	if err != nil {
		t.Fatal(err)
	}
	if !sm2.VerifyASN1WithSM2(pub, []byte("1234567812345678"), data, sig) {
		t.Error("signature does not verify with the default SM2 user id")
	}
	if sm2.VerifyASN1WithSM2(pub, []byte("another user id"), data, sig) {
		t.Error("signature verifies with another user id; Z_A is not part of the signature")
	}
}

func TestSoftware_Concurrent(t *testing.T) {
	p, _ := newProvider(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			msg := []byte{byte(i)}
			for range 50 {
				ct, err := p.Encrypt(msg, nil)
				if err != nil {
					t.Error(err)
					return
				}
				if got, err := p.Decrypt(ct, nil); err != nil || !bytes.Equal(got, msg) {
					t.Errorf("Decrypt = %x, %v; want %x", got, err, msg)
					return
				}
				p.MAC(crypt.PurposeLookup, msg)
			}
		})
	}
	wg.Wait()
}

func TestNewSoftware_RejectsInvalidKeys(t *testing.T) {
	_, k := newProvider(t)
	tests := []struct {
		name   string
		change func(k *crypt.Keys)
	}{
		{"version 0", func(k *crypt.Keys) { k.Version = 0 }},
		{"short data key", func(k *crypt.Keys) { k.DataKey = k.DataKey[:15] }},
		{"long data key", func(k *crypt.Keys) { k.DataKey = append(k.DataKey, 0) }},
		{"short MAC key", func(k *crypt.Keys) { k.MACKey = k.MACKey[:16] }},
		{"no SM2 key", func(k *crypt.Keys) { k.SignKey = nil }},
		{"garbage SM2 key", func(k *crypt.Keys) { k.SignKey = []byte("not a key") }},
		{"retired key reuses version", func(k *crypt.Keys) { k.RetiredDataKeys = map[uint8][]byte{k.Version: k.DataKey} }},
		{"retired key version 0", func(k *crypt.Keys) { k.RetiredDataKeys = map[uint8][]byte{0: k.DataKey} }},
		{"short retired key", func(k *crypt.Keys) { k.RetiredDataKeys = map[uint8][]byte{9: k.DataKey[:8]} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := cloneKeys(k)
			tt.change(k)
			if _, err := crypt.NewSoftware(k); err == nil {
				t.Error("NewSoftware accepted invalid keys")
			}
		})
	}
	if _, err := crypt.NewSoftware(nil); err == nil {
		t.Error("NewSoftware(nil) succeeded")
	}
}

func cloneKeys(k *crypt.Keys) *crypt.Keys {
	c := *k
	c.DataKey = bytes.Clone(k.DataKey)
	c.MACKey = bytes.Clone(k.MACKey)
	c.SignKey = bytes.Clone(k.SignKey)
	c.RetiredDataKeys = nil
	for v, key := range k.RetiredDataKeys {
		if c.RetiredDataKeys == nil {
			c.RetiredDataKeys = map[uint8][]byte{}
		}
		c.RetiredDataKeys[v] = bytes.Clone(key)
	}
	return &c
}

// FuzzDecrypt feeds Decrypt arbitrary bytes: it must never panic, and every
// failure must be ErrDecrypt.
func FuzzDecrypt(f *testing.F) {
	p, _ := newProvider(f)
	valid, err := p.Encrypt([]byte("13812345678"), []byte("ad"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid, []byte("ad"))
	f.Add(valid[:29], []byte("ad"))
	f.Add([]byte{}, []byte{})
	f.Add([]byte{1}, []byte{})
	f.Add(bytes.Repeat([]byte{0}, 29), []byte{})
	f.Add(bytes.Repeat([]byte{0xff}, 64), []byte("ad"))
	f.Fuzz(func(t *testing.T, ct, ad []byte) {
		_, err := p.Decrypt(ct, ad)
		if err != nil && !errors.Is(err, crypt.ErrDecrypt) {
			t.Errorf("Decrypt error %v does not wrap ErrDecrypt", err)
		}
	})
}

func BenchmarkEncrypt(b *testing.B) {
	p, _ := newProvider(b)
	plaintext := bytes.Repeat([]byte("a"), 1024)
	b.SetBytes(int64(len(plaintext)))
	for b.Loop() {
		if _, err := p.Encrypt(plaintext, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMAC(b *testing.B) {
	p, _ := newProvider(b)
	phone := []byte("13812345678")
	for b.Loop() {
		p.MAC(crypt.PurposeLookup, phone)
	}
}
