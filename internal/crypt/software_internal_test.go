package crypt

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// TestNewSM4GCM_KnownAnswer pins the AEAD that Encrypt uses to the published
// SM4-GCM vectors, so a change in how crypto/cipher and gmsm wire GCM
// together (their assembly path, say) cannot go unnoticed.
func TestNewSM4GCM_KnownAnswer(t *testing.T) {
	tests := []struct {
		name                          string
		key, nonce, plaintext, ad, ct string // ct includes the tag
	}{
		{
			name:      "GB/T 36624-2018 C.5 empty",
			key:       "00000000000000000000000000000000",
			nonce:     "000000000000000000000000",
			plaintext: "",
			ad:        "",
			ct:        "232f0cfe308b49ea6fc88229b5dc858d",
		},
		{
			name:      "GB/T 36624-2018 C.5 one block",
			key:       "00000000000000000000000000000000",
			nonce:     "000000000000000000000000",
			plaintext: "00000000000000000000000000000000",
			ad:        "",
			ct:        "7de2aa7f1110188218063be1bfeb6d89b851b5f39493752be508f1bb4482c557",
		},
		{
			name:      "RFC 8998 A.1",
			key:       "0123456789abcdeffedcba9876543210",
			nonce:     "00001234567800000000abcd",
			plaintext: "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccddddddddddddddddeeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa",
			ad:        "feedfacedeadbeeffeedfacedeadbeefabaddad2",
			ct: "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d" +
				"83de3541e4c2b58177e065a9bf7b62ec",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			aead, err := newSM4GCM(unhex(t, tt.key))
			if err != nil {
				t.Fatal(err)
			}
			nonce, plaintext, ad, want := unhex(t, tt.nonce), unhex(t, tt.plaintext), unhex(t, tt.ad), unhex(t, tt.ct)
			if got := aead.Seal(nil, nonce, plaintext, ad); !bytes.Equal(got, want) {
				t.Errorf("Seal = %x, want %x", got, want)
			}
			got, err := aead.Open(nil, nonce, want, ad)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, plaintext) {
				t.Errorf("Open = %x, want %x", got, plaintext)
			}
		})
	}
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
