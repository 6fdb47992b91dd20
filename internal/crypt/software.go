package crypt

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"encoding/pem"
	"fmt"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
	"github.com/emmansun/gmsm/smx509"
)

// Layout of an Encrypt result: version byte, nonce, then GCM output.
const (
	nonceSize = 12
	tagSize   = 16
	headerLen = 1 + nonceSize
)

// software is the Provider built on github.com/emmansun/gmsm. Every field
// is set once by NewSoftware and only read afterwards, which is what makes
// it safe for concurrent use.
type software struct {
	version uint8
	aeads   map[uint8]cipher.AEAD // the current key and every retired one
	macKey  []byte
	macKeys map[Purpose][]byte // derived keys for the known purposes
	priv    *sm2.PrivateKey
	signOpt *sm2.SM2SignerOption
	pubPEM  []byte
}

// NewSoftware returns the software Provider for k. It copies what it needs,
// so k may be discarded afterwards.
func NewSoftware(k *Keys) (Provider, error) {
	priv, err := k.signer()
	if err != nil {
		return nil, err
	}
	s := &software{
		version: k.Version,
		aeads:   make(map[uint8]cipher.AEAD, 1+len(k.RetiredDataKeys)),
		macKey:  append([]byte(nil), k.MACKey...),
		macKeys: make(map[Purpose][]byte),
		priv:    priv,
		// Without ForceGMSign, gmsm's Sign treats its input as an already
		// computed digest and skips the Z_A user-id hash that GB/T 32918.2
		// requires; a nil UID then selects the default "1234567812345678".
		signOpt: sm2.NewSM2SignerOption(true, nil),
	}
	if s.aeads[k.Version], err = newSM4GCM(k.DataKey); err != nil {
		return nil, err
	}
	for v, key := range k.RetiredDataKeys {
		if s.aeads[v], err = newSM4GCM(key); err != nil {
			return nil, err
		}
	}
	for _, p := range []Purpose{PurposeAudit, PurposeLookup, PurposeCSRF, PurposeToken} {
		s.macKeys[p] = s.deriveMACKey(p)
	}
	der, err := smx509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("crypt: encoding SM2 public key: %w", err)
	}
	s.pubPEM = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	return s, nil
}

// newSM4GCM returns SM4 in GCM mode with the standard 12-byte nonce and
// 16-byte tag. crypto/cipher.NewGCM hands over to gmsm's own GCM (through
// its NewGCM method) where the CPU has one, so this is the fast path.
func newSM4GCM(key []byte) (cipher.AEAD, error) {
	block, err := sm4.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("crypt: SM4 key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("crypt: SM4-GCM: %w", err)
	}
	return aead, nil
}

// Hash returns the 32-byte SM3 digest of data.
func (s *software) Hash(data []byte) []byte {
	sum := sm3.Sum(data)
	return sum[:]
}

// MAC returns the 32-byte HMAC-SM3 of data under the key for purpose.
func (s *software) MAC(purpose Purpose, data []byte) []byte {
	key, ok := s.macKeys[purpose]
	if !ok {
		key = s.deriveMACKey(purpose)
	}
	return hmacSM3(key, data)
}

// deriveMACKey returns HMAC-SM3(master, purpose). A hardware module must
// derive the same way, or every stored blind index becomes unfindable.
func (s *software) deriveMACKey(p Purpose) []byte {
	return hmacSM3(s.macKey, []byte(p))
}

func hmacSM3(key, data []byte) []byte {
	m := hmac.New(sm3.New, key)
	m.Write(data)
	return m.Sum(nil)
}

// Encrypt seals plaintext under the current data key.
func (s *software) Encrypt(plaintext, associatedData []byte) ([]byte, error) {
	out := make([]byte, headerLen, headerLen+len(plaintext)+tagSize)
	out[0] = s.version
	nonce := out[1:headerLen]
	// A random nonce is safe for 2^32 messages per key, far beyond pufa's
	// volume, and needs no counter state that a restart could reset.
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("crypt: generating nonce: %w", err)
	}
	return s.aeads[s.version].Seal(out, nonce, plaintext, associatedData), nil
}

// Decrypt opens ciphertext with the data key named by its first byte.
func (s *software) Decrypt(ciphertext, associatedData []byte) ([]byte, error) {
	if len(ciphertext) < headerLen+tagSize {
		return nil, fmt.Errorf("%w: ciphertext too short", ErrDecrypt)
	}
	aead, ok := s.aeads[ciphertext[0]]
	if !ok {
		return nil, fmt.Errorf("%w: unknown key version %d", ErrDecrypt, ciphertext[0])
	}
	plaintext, err := aead.Open(nil, ciphertext[1:headerLen], ciphertext[headerLen:], associatedData)
	if err != nil {
		return nil, ErrDecrypt
	}
	return plaintext, nil
}

// Sign signs data with SM2 and the default user id.
func (s *software) Sign(data []byte) ([]byte, error) {
	sig, err := s.priv.Sign(rand.Reader, data, s.signOpt)
	if err != nil {
		return nil, fmt.Errorf("crypt: SM2 sign: %w", err)
	}
	return sig, nil
}

// Verify checks an SM2 signature made with the default user id.
func (s *software) Verify(data, sig []byte) bool {
	return sm2.VerifyASN1WithSM2(&s.priv.PublicKey, nil, data, sig)
}

// PublicKeyPEM returns a copy, so callers cannot alter the shared key.
func (s *software) PublicKeyPEM() []byte {
	return append([]byte(nil), s.pubPEM...)
}

// NewEphemeral returns a software provider over freshly generated keys that
// are kept nowhere: for tests and throwaway tools, never for data that must
// be read again after the process ends.
func NewEphemeral() (Provider, error) {
	k, err := NewKeys()
	if err != nil {
		return nil, err
	}
	return NewSoftware(k)
}
