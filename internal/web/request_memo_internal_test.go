package web

import (
	"errors"
	"net/http/httptest"
	"testing"
)

// TestOnce: within a request a key loads once; an error is not kept; a
// request without a memo loads every time.
func TestOnce(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r = r.WithContext(withMemo(r.Context()))
	loads := 0
	load := func() (*int, error) { loads++; v := loads; return &v, nil }
	a, _ := once(r, "k", load)
	b, _ := once(r, "k", load)
	if loads != 1 || a != b {
		t.Fatalf("loads %d, same object %v", loads, a == b)
	}
	if c, _ := once(r, "other", load); loads != 2 || *c != 2 {
		t.Fatalf("another key: loads %d", loads)
	}
	fails := 0
	failing := func() (*int, error) { fails++; return nil, errors.New("no") }
	once(r, "bad", failing)
	once(r, "bad", failing)
	if fails != 2 {
		t.Fatalf("an error was kept: %d loads", fails)
	}
	bare := httptest.NewRequest("GET", "/", nil)
	once(bare, "k", load)
	once(bare, "k", load)
	if loads != 4 {
		t.Fatalf("without a memo: loads %d, want 4", loads)
	}
}
