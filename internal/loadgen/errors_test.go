package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestErrorKind(t *testing.T) {
	netErr := func(err error) error {
		return &url.Error{Op: "Put", URL: "http://x/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", err)}}
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"API error", &apiError{Status: 409, Code: "conflict", Message: "考试已交卷"}, "409 conflict"},
		{"other body", &apiError{Status: 502, Message: "Bad Gateway"}, "502"},
		{"wrapped API error", fmt.Errorf("save: %w", &apiError{Status: 429, Code: "rate_limited"}), "429 rate_limited"},
		{"bad body", fmt.Errorf("%w: start: EOF", errBadResponse), "bad response"},
		{"refused", netErr(syscall.ECONNREFUSED), "connection refused"},
		{"reset", netErr(syscall.ECONNRESET), "connection reset"},
		{"closed", &url.Error{Op: "Get", URL: "http://x/", Err: io.EOF}, "connection closed"},
		{"out of files", netErr(syscall.EMFILE), "too many open files"},
		{"out of ports", netErr(syscall.EADDRNOTAVAIL), "no free local port"},
		{"timeout", &url.Error{Op: "Get", URL: "http://x/", Err: context.DeadlineExceeded}, "timeout"},
		{"anything else", errors.New("tls: bad certificate"), "network"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := errorKind(tc.err); got != tc.want {
				t.Errorf("errorKind(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}

func TestErrorTally(t *testing.T) {
	var tally errorTally
	for i := range 5 {
		tally.add("save", &apiError{Status: 409, Code: "conflict", Message: fmt.Sprintf("第 %d 次", i%3)})
	}
	tally.add("save", &apiError{Status: 409, Code: "conflict", Message: "第 0 次"})
	tally.add("sign-in", &apiError{Status: 401, Code: "unauthorized", Message: "密码错误"})
	tally.add("healthz", &apiError{Status: 503, Code: "unavailable", Message: strings.Repeat("长", 100)})
	got := tally.list()
	if len(got) != 3 {
		t.Fatalf("%d kinds, want 3: %+v", len(got), got)
	}
	if got[0].Op != "save" || got[0].Count != 6 {
		t.Errorf("first = %+v, want save with 6", got[0])
	}
	// Only the first maxExamples different messages are kept.
	if want := []string{"HTTP 409 conflict: 第 0 次", "HTTP 409 conflict: 第 1 次"}; fmt.Sprint(got[0].Examples) != fmt.Sprint(want) {
		t.Errorf("examples %q, want %q", got[0].Examples, want)
	}
	// Equal counts go by operation.
	if got[1].Op != "healthz" || got[2].Op != "sign-in" {
		t.Errorf("order %s, %s; want healthz, sign-in", got[1].Op, got[2].Op)
	}
	if ex := got[1].Examples[0]; len(ex) > maxExampleLen+len("…") || !strings.HasSuffix(ex, "…") {
		t.Errorf("long example not cut: %d bytes", len(ex))
	}
}

func TestTruncate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"abcdef", 3, "abc…"},
		{"考试已交卷", 4, "考…"}, // 考 is three bytes; the next is not split
		{"考试", 2, "…"},
	} {
		if got := truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestGiveUp(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&apiError{Status: 409}, true},
		{&apiError{Status: 401}, true},
		{&apiError{Status: 404}, true},
		{&apiError{Status: 400}, false},
		{&apiError{Status: 429}, false},
		{&apiError{Status: 503}, false},
		{io.EOF, false},
	} {
		if got := giveUp(tc.err); got != tc.want {
			t.Errorf("giveUp(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
