package loadgen

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"unicode/utf8"
)

// ErrorCount is one kind of failure of one operation.
type ErrorCount struct {
	Op    string `json:"op"`
	Kind  string `json:"kind"` // "409 conflict", "connection refused"
	Count int64  `json:"count"`
	// Examples are the first different messages seen, at most
	// maxExamples of them.
	Examples []string `json:"examples"`
}

const (
	maxExamples   = 2
	maxExampleLen = 200 // bytes, cut at a character boundary
)

// errorTally counts failures by operation and kind. Its size is bounded
// by the number of kinds, never by the number of failures.
type errorTally struct {
	mu sync.Mutex
	m  map[[2]string]*ErrorCount
}

// add counts err as a failure of op.
func (t *errorTally) add(op string, err error) {
	kind := errorKind(err)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[[2]string]*ErrorCount{}
	}
	c := t.m[[2]string{op, kind}]
	if c == nil {
		c = &ErrorCount{Op: op, Kind: kind}
		t.m[[2]string{op, kind}] = c
	}
	c.Count++
	if msg := truncate(err.Error(), maxExampleLen); len(c.Examples) < maxExamples && !slices.Contains(c.Examples, msg) {
		c.Examples = append(c.Examples, msg)
	}
}

// list returns the counts, the most frequent first.
func (t *errorTally) list() []ErrorCount {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]ErrorCount, 0, len(t.m))
	for _, c := range t.m {
		out = append(out, *c)
	}
	sortErrors(out)
	return out
}

// sortErrors orders counts by frequency, then by operation and kind.
func sortErrors(es []ErrorCount) {
	slices.SortFunc(es, func(a, b ErrorCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Op, b.Op), cmp.Compare(a.Kind, b.Kind))
	})
}

// errorKind names the kind of a failed request: the status and the API's
// error code for an answer outside 2xx, else the network failure.
func errorKind(err error) string {
	var ae *apiError
	var ne net.Error
	switch {
	case errors.As(err, &ae):
		if ae.Code != "" {
			return fmt.Sprintf("%d %s", ae.Status, ae.Code)
		}
		return strconv.Itoa(ae.Status)
	case errors.Is(err, errBadResponse):
		return "bad response"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		return "too many open files"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "no free local port"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	return "network"
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// giveUp reports whether err ends an examinee's saves: the session or the
// attempt is over (or never was), and retrying cannot help.
func giveUp(err error) bool {
	var ae *apiError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.Status {
	case 401, 403, 404, 409, 410:
		return true
	}
	return false
}
