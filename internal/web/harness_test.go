package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/auth"
	"pufa/internal/blob"
	"pufa/internal/crypt"
	"pufa/internal/demo"
	"pufa/internal/password"
	"pufa/internal/session"
	"pufa/internal/store"
	"pufa/internal/store/storetest"
	"pufa/internal/web"
)

// env is one running pufa over a fresh database, served through the real
// handler on a real listener.
type env struct {
	t        testing.TB
	db       *store.DB
	srv      *httptest.Server
	web      *web.Server
	auth     *auth.Service
	clock    *app.ManualClock
	accounts map[string]demo.Account
	// codes holds the public-rating verification codes "sent", by phone.
	codes *sentCodes
}

// sentCodes is the test's SMS gateway: it keeps the last code per phone.
type sentCodes struct {
	mu   sync.Mutex
	last map[string]string
}

func (c *sentCodes) SendCode(_ context.Context, phone, code string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last[phone] = code
	return nil
}

func (c *sentCodes) code(phone string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last[phone]
}

type envOptions struct {
	dialect store.Dialect
	// manual uses a hand-moved clock (for timeout tests).
	manual bool
	demo   bool
	// hasher verifies sign-ins (default: the fast test hasher); demo
	// accounts are always hashed with the fast one, so setting up stays
	// quick whatever a benchmark measures.
	hasher password.Hasher
	// logger replaces the test's error log (benchmarks keep the cost of
	// the production JSON request log).
	logger *slog.Logger
}

func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	if o.dialect == "" {
		o.dialect = store.SQLite
	}
	e := &env{t: t, accounts: map[string]demo.Account{}, codes: &sentCodes{last: map[string]string{}}}
	var clock app.Clock = app.SystemClock{}
	if o.manual {
		e.clock = &app.ManualClock{T: app.SystemClock{}.Now()}
		clock = e.clock
	}
	e.db = storetest.Open(t, o.dialect, clock)
	provider, err := crypt.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	hasher := password.FastForTests()
	if o.hasher == nil {
		o.hasher = hasher
	}
	e.auth = &auth.Service{Users: e.db, Orgs: e.db, Sessions: e.db, Audit: e.db, Hasher: o.hasher, Policy: password.Dengbao(),
		Lockout: account.DefaultLockout, Timeouts: session.DefaultTimeouts, Clock: clock, Crypto: provider}
	// Errors the server logs show in the test's output, at the test that
	// caused them.
	logger := o.logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	}
	e.web, err = web.New(web.Options{DB: e.db, Auth: e.auth, Crypto: provider, Blobs: blob.Seal(blobs, provider), Clock: clock, Version: "test", Logger: logger, CodeSender: e.codes})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(e.web)
	t.Cleanup(func() {
		e.srv.Close()
		e.web.Close(context.Background())
	})
	if o.demo {
		accts, err := demo.Load(context.Background(), e.db, hasher)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range accts {
			e.accounts[a.Login] = a
		}
	}
	return e
}

type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// client is a browser-like HTTP client: a cookie jar, no redirects
// followed, so tests see each status.
type client struct {
	e    *env
	http *http.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) do(method, path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	c.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	return c.doBody(method, path, body, form != nil, hdr)
}

// doBody sends a raw body.
func (c *client) doBody(method, path string, body io.Reader, isForm bool, hdr map[string]string) (*http.Response, string) {
	c.e.t.Helper()
	form := isForm
	req, err := http.NewRequest(method, c.e.srv.URL+path, body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	if form {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (c *client) get(path string) (*http.Response, string) { return c.do("GET", path, nil, nil) }

// csrfInput finds the form token a page carries.
var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfCookie returns the CSRF token the server set for this browser,
// loading the sign-in page first if there is none yet.
func (c *client) csrfCookie() string {
	u, _ := url.Parse(c.e.srv.URL)
	for i := 0; i < 2; i++ {
		for _, ck := range c.http.Jar.Cookies(u) {
			if ck.Name == "pufa_csrf" {
				return ck.Value
			}
		}
		c.get("/login")
	}
	c.e.t.Fatal("server set no CSRF cookie")
	return ""
}

// post submits a form with the CSRF token of the page it came from.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf") == "" {
		form.Set("csrf", c.csrfCookie())
	}
	return c.do("POST", path, form, nil)
}

// login signs in through the form and fails the test if it does not work.
func (c *client) login(login, pw string) {
	c.e.t.Helper()
	resp, body := c.post("/login", url.Values{"login": {login}, "password": {pw}})
	if resp.StatusCode != http.StatusSeeOther {
		c.e.t.Fatalf("login %s: status %d: %s", login, resp.StatusCode, firstError(body))
	}
}

var errSummary = regexp.MustCompile(`(?s)<div class="error-summary".*?</ul>`)

func firstError(body string) string {
	if m := errSummary.FindString(body); m != "" {
		return m
	}
	if len(body) > 300 {
		return body[:300]
	}
	return body
}
