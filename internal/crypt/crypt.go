// Package crypt is the one place pufa performs cryptography.
//
// The commercial-cryptography assessment (密评) requires the national
// algorithms (SM2, SM3, SM4) and, eventually, a certified cryptographic
// module. Everything else in pufa therefore talks to the Provider interface
// only; NewSoftware implements it in software today, and a hardware
// implementation can replace it without touching callers.
package crypt

import "errors"

// Provider is every cryptographic operation pufa performs.
//
// Implementations must be safe for concurrent use.
type Provider interface {
	// Hash returns the SM3 digest of data.
	Hash(data []byte) []byte

	// MAC returns HMAC-SM3 of data under the key derived for purpose, so that
	// a MAC computed for one purpose is useless for any other.
	MAC(purpose Purpose, data []byte) []byte

	// Encrypt seals plaintext with SM4-GCM, authenticating associatedData
	// too. The result is a 1-byte key version, a random 12-byte nonce, then
	// the ciphertext and 16-byte tag.
	Encrypt(plaintext, associatedData []byte) ([]byte, error)

	// Decrypt opens a ciphertext produced by Encrypt with the same
	// associatedData. Every failure wraps ErrDecrypt.
	Decrypt(ciphertext, associatedData []byte) ([]byte, error)

	// Sign returns an ASN.1 DER SM2 signature of data (GB/T 32918.2), hashed
	// with the default SM2 user id "1234567812345678".
	Sign(data []byte) ([]byte, error)

	// Verify reports whether sig is a valid Sign signature of data.
	Verify(data, sig []byte) bool

	// PublicKeyPEM returns the SM2 public key as a PEM "PUBLIC KEY" block
	// (SubjectPublicKeyInfo), so others can verify pufa's signatures.
	PublicKeyPEM() []byte
}

// Purpose names what a MAC is for. Each purpose gets its own derived key, so
// the derived keys change if a purpose string is renamed: treat the values
// as part of the stored data format.
type Purpose string

// The purposes pufa uses.
const (
	// PurposeAudit chains and seals audit-log records.
	PurposeAudit Purpose = "audit"
	// PurposeLookup is the blind index that lets encrypted phone and ID
	// numbers be found by exact match without decrypting them.
	PurposeLookup Purpose = "lookup"
	// PurposeCSRF signs anti-CSRF tokens.
	PurposeCSRF Purpose = "csrf"
	// PurposeToken signs session and one-time tokens.
	PurposeToken Purpose = "token"
)

// ErrDecrypt is wrapped by every Decrypt failure; test for it with
// errors.Is. A ciphertext that was tampered with, paired with the wrong
// associated data, or sealed under another key all fail the same way, as
// GCM cannot tell them apart.
var ErrDecrypt = errors.New("crypt: decryption failed")
