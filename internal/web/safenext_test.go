package web

import "testing"

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/users?org=1":            "/users?org=1",
		"":                        "/",
		"https://evil.example/":   "/",
		"//evil.example/x":        "/",
		"/\\evil.example":         "/",
		"/\t/evil.example/x":      "/",
		"/%09/evil.example":       "/%09/evil.example",
		"/login?next=/x":          "/",
		"javascript:alert(1)":     "/",
		"/plans/1#frag":           "/plans/1",
		"http:/evil.example":      "/",
		"/ok\r\nLocation: //evil": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
