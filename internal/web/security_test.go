package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"pufa/internal/account"
	"pufa/internal/audit"
	"pufa/internal/store"
	"pufa/internal/store/storetest"
)

func apiLogin(t *testing.T, e *env, login, pw string) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"login": login, "password": pw})
	resp, err := http.Post(e.srv.URL+"/api/v1/login", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestAPILogin(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			e := newEnv(t, envOptions{dialect: d, demo: true})
			acct := e.accounts["office1"]
			status, body := apiLogin(t, e, "office1", acct.Password)
			if status != 200 || body["token"] == "" || body["expires_at"] == nil {
				t.Fatalf("login: %d %v", status, body)
			}
			if _, err := time.Parse(time.RFC3339, body["expires_at"].(string)); err != nil || !strings.HasSuffix(body["expires_at"].(string), "+08:00") {
				t.Errorf("expires_at %v is not RFC 3339 with the +08:00 offset", body["expires_at"])
			}
			// The token works, and the user id travels as a string.
			req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
			req.Header.Set("Authorization", "Bearer "+body["token"].(string))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var me struct {
				User struct {
					ID    any    `json:"id"`
					Login string `json:"login"`
				} `json:"user"`
			}
			json.NewDecoder(resp.Body).Decode(&me)
			resp.Body.Close()
			if _, ok := me.User.ID.(string); !ok || me.User.Login != "office1" {
				t.Errorf("me = %+v", me)
			}

			// A wrong password and an unknown login get the same body.
			s1, wrong := apiLogin(t, e, "office1", "Wrong-Pass-1")
			s2, unknown := apiLogin(t, e, "nobody.here", "Wrong-Pass-1")
			if s1 != 401 || s2 != 401 {
				t.Fatalf("statuses %d %d, want 401", s1, s2)
			}
			w1, _ := json.Marshal(wrong["error"])
			w2, _ := json.Marshal(unknown["error"])
			strip := regexp.MustCompile(`"request_id":"[^"]*"`)
			if strip.ReplaceAllString(string(w1), "") != strip.ReplaceAllString(string(w2), "") {
				t.Errorf("bodies differ:\n%s\n%s", w1, w2)
			}
			if wrong["error"].(map[string]any)["code"] != "unauthorized" {
				t.Errorf("error body %v", wrong)
			}
			// A browser's session cookie is no bearer token.
			c := e.client()
			c.login("office1", acct.Password)
			u, _ := url.Parse(e.srv.URL)
			for _, ck := range c.http.Jar.Cookies(u) {
				if ck.Name == "pufa_session" {
					if resp, _ := c.do("GET", "/api/v1/me", nil, map[string]string{"Authorization": "Bearer " + ck.Value}); resp.StatusCode != 401 {
						t.Errorf("cookie as bearer token = %d, want 401", resp.StatusCode)
					}
				}
			}
			// Bad JSON: 400 with a Chinese message.
			resp, err = http.Post(e.srv.URL+"/api/v1/login", "application/json", strings.NewReader(`{"login": 5}`))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 400 || !strings.Contains(string(b), "字段") {
				t.Errorf("bad JSON: %d %s", resp.StatusCode, b)
			}
		})
	}
}

// TestLockout: five failures in fifteen minutes lock an account for thirty,
// whether or not it exists, and the right password does not get through
// while locked.
func TestLockout(t *testing.T) {
	e := newEnv(t, envOptions{demo: true, manual: true})
	acct := e.accounts["zhangwei"]
	for _, login := range []string{"zhangwei", "ghost.user"} {
		for i := 1; i <= 5; i++ {
			status, body := apiLogin(t, e, login, "Wrong-Pass-1")
			want := 401
			if i == 5 {
				want = 423
			}
			if status != want {
				t.Fatalf("%s failure %d: %d %v, want %d", login, i, status, body, want)
			}
			e.clock.Advance(time.Minute)
		}
	}
	if status, _ := apiLogin(t, e, "zhangwei", acct.Password); status != 423 {
		t.Fatalf("right password while locked: %d, want 423", status)
	}
	e.clock.Advance(31 * time.Minute)
	if status, _ := apiLogin(t, e, "zhangwei", acct.Password); status != 200 {
		t.Fatalf("after the lock: %d, want 200", status)
	}
	action := "auth.lockout"
	if _, n, _ := e.db.FindAuditEntries(context.Background(), audit.Filter{Action: &action}); n != 1 {
		t.Errorf("lockout audit rows = %d, want 1", n)
	}
}

// TestSessionTimeouts drives the idle and absolute limits with the
// injected clock, and checks that activity keeps a session alive without
// writing on every request.
func TestSessionTimeouts(t *testing.T) {
	e := newEnv(t, envOptions{demo: true, manual: true})
	c := e.client()
	c.login("office1", e.accounts["office1"].Password)
	home := func() int {
		resp, _ := c.get("/")
		return resp.StatusCode
	}
	if got := home(); got != 200 {
		t.Fatalf("home = %d", got)
	}
	// Requests within the same minute write nothing to the session row.
	lastSeen := func() int64 {
		var n int
		n, _ = e.db.CountRaw(context.Background(), `SELECT MAX(last_seen_at) FROM sessions`)
		return int64(n)
	}
	before := lastSeen()
	e.clock.Advance(30 * time.Second)
	home()
	home()
	if lastSeen() != before {
		t.Error("a request within a minute of the last wrote the session row")
	}
	e.clock.Advance(31 * time.Second)
	home()
	if lastSeen() == before {
		t.Error("activity after a minute did not refresh the session")
	}
	// Activity every 20 minutes keeps it alive past the 30-minute idle limit.
	for i := 0; i < 5; i++ {
		e.clock.Advance(20 * time.Minute)
		if got := home(); got != 200 {
			t.Fatalf("after %d×20 min of activity: %d", i+1, got)
		}
	}
	// Idle for 31 minutes: signed out.
	e.clock.Advance(31 * time.Minute)
	if got := home(); got != http.StatusSeeOther {
		t.Fatalf("after 31 idle minutes: %d, want redirect to sign-in", got)
	}
	// Absolute: active all along, still out after 12 hours.
	c = e.client()
	c.login("office1", e.accounts["office1"].Password)
	for i := 0; i < 12*3; i++ {
		e.clock.Advance(20 * time.Minute)
		home()
	}
	if got := home(); got != http.StatusSeeOther {
		t.Fatalf("after 12 hours: %d, want redirect", got)
	}
	// Sign-out really ends the session: the old cookie is dead.
	c = e.client()
	c.login("office1", e.accounts["office1"].Password)
	u, _ := url.Parse(e.srv.URL)
	var old *http.Cookie
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "pufa_session" {
			old = ck
		}
	}
	if resp, _ := c.post("/logout", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout = %d", resp.StatusCode)
	}
	replay := e.client()
	replay.http.Jar.SetCookies(u, []*http.Cookie{old})
	if resp, _ := replay.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("replayed cookie after logout: %d", resp.StatusCode)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	c := e.client()
	c.login("office1", e.accounts["office1"].Password)
	form := url.Values{"name": {"新单位"}, "kind": {"unit"}, "code": {"91330199MA0000000X"}, "parent": {"1"}}
	// No token, and a wrong token: refused before anything happens.
	resp, _ := c.do("POST", "/orgs", form, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST without token = %d, want 403", resp.StatusCode)
	}
	form.Set("csrf", "x"+c.csrfCookie())
	resp, _ = c.do("POST", "/orgs", form, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST with wrong token = %d, want 403", resp.StatusCode)
	}
	// A cross-site POST is refused by its Sec-Fetch-Site header even with
	// the right token.
	form.Set("csrf", c.csrfCookie())
	resp, _ = c.do("POST", "/logout", form, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST = %d, want 403", resp.StatusCode)
	}
	if resp, _ := c.get("/"); resp.StatusCode != 200 {
		t.Errorf("session ended by a refused cross-site logout")
	}
	// GET never changes state: a GET to a POST-only URL is not routed.
	resp, _ = c.get("/logout")
	if resp.StatusCode == http.StatusSeeOther || resp.StatusCode == 200 {
		if r2, _ := c.get("/"); r2.StatusCode != 200 {
			t.Errorf("GET /logout signed the user out")
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	c := e.client()
	resp1, body1 := c.get("/login")
	resp2, _ := c.get("/login")
	csp := resp1.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "script-src 'self' 'nonce-"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows unsafe code: %q", csp)
	}
	nonce := regexp.MustCompile(`'nonce-([^']+)'`).FindStringSubmatch(csp)
	if nonce == nil || !strings.Contains(body1, `nonce="`+nonce[1]+`"`) {
		t.Errorf("page scripts do not carry the CSP nonce")
	}
	if resp2.Header.Get("Content-Security-Policy") == csp {
		t.Errorf("nonce repeated across requests")
	}
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"} {
		if got := resp1.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	c.login("office1", e.accounts["office1"].Password)
	resp, _ := c.get("/users")
	if !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("signed-in page Cache-Control = %q", resp.Header.Get("Cache-Control"))
	}
	for _, ck := range resp1.Cookies() {
		if !ck.HttpOnly || ck.SameSite == http.SameSiteNoneMode || ck.SameSite == http.SameSiteDefaultMode {
			t.Errorf("cookie %s: HttpOnly=%v SameSite=%v", ck.Name, ck.HttpOnly, ck.SameSite)
		}
	}
	// Errors show a Chinese page with a request id and nothing internal.
	resp, body := c.get("/users/999999999")
	if resp.StatusCode != 404 || !strings.Contains(body, "请求编号") || !strings.Contains(body, resp.Header.Get("X-Request-Id")) {
		t.Errorf("error page: %d", resp.StatusCode)
	}
}

// TestMasking: phones and ID numbers are masked in pages, the API and
// exports; a reveal shows them and is audited.
func TestMasking(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	root, street, _, _ := storetest.Seed(t, e.db)
	hash, _ := e.auth.Hasher.Hash(ctx, "Office-Pass-1")
	office := &account.User{Login: "office.m", Name: "办公", OrgID: root.ID, Roles: []string{account.RoleOffice}, PasswordHash: hash}
	admin := &account.User{Login: "sys.m", Name: "系统", OrgID: root.ID, Roles: []string{account.RoleSysAdmin}, PasswordHash: hash}
	person := &account.User{Login: "person.m", Name: "王小明", OrgID: street.ID, Roles: []string{account.RoleExaminee}, PasswordHash: hash,
		Phone: "13812345678", IDNumber: "11010519491231002X"}
	for _, u := range []*account.User{office, admin, person} {
		if err := e.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	full := []string{"13812345678", "11010519491231002X"}
	masked := []string{"138****5678", "110***********002X"}
	check := func(where, body string, wantFull bool) {
		t.Helper()
		for i := range full {
			if strings.Contains(body, full[i]) != wantFull {
				t.Errorf("%s: full %s shown = %v, want %v", where, full[i], !wantFull, wantFull)
			}
			if !wantFull && !strings.Contains(body, masked[i]) && where != "list" {
				t.Errorf("%s: masked %s missing", where, masked[i])
			}
		}
	}
	c := e.client()
	c.login("office.m", "Office-Pass-1")
	_, body := c.get("/users/" + person.ID.String())
	check("detail", body, false)
	_, body = c.get("/users")
	check("list", body, false)
	_, body = c.get("/users/" + person.ID.String() + "/edit")
	check("edit", body, false)
	// Saving the edit form with the fields left blank keeps the data.
	form := url.Values{"name": {"王小明"}, "org": {street.ID.String()}, "rank": {"staff"}, "active": {"1"}}
	if resp, _ := c.post("/users/"+person.ID.String(), form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit save = %d", resp.StatusCode)
	}
	if u, _ := e.db.FindUserByID(ctx, person.ID); u.Phone != full[0] || u.IDNumber != full[1] {
		t.Fatalf("blank edit fields cleared personal data: %q %q", u.Phone, u.IDNumber)
	}
	_, body = c.post("/users/"+person.ID.String()+"/reveal", nil)
	check("reveal", body, true)
	action := "pii.reveal"
	if _, n, _ := e.db.FindAuditEntries(ctx, audit.Filter{Action: &action}); n != 1 {
		t.Errorf("reveal audit rows = %d", n)
	}
	// The system admin manages accounts but may not reveal personal data.
	a := e.client()
	a.login("sys.m", "Office-Pass-1")
	if resp, _ := a.post("/users/"+person.ID.String()+"/reveal", nil); resp.StatusCode != 403 {
		t.Errorf("sysadmin reveal = %d, want 403", resp.StatusCode)
	}
	token := apiToken(t, e, "sys.m", "Office-Pass-1")
	resp, body := a.do("GET", "/api/v1/users/"+person.ID.String(), nil, map[string]string{"Authorization": "Bearer " + token})
	if resp.StatusCode != 200 {
		t.Fatalf("api user = %d", resp.StatusCode)
	}
	check("api", body, false)
	// The export is masked too.
	keyBody := exportBody(t, c, "/users/export?org="+street.ID.String())
	check("export", keyBody, false)
}

var _ = store.SQLite

// TestAPIPasswordChange: an API client whose password must change can do
// so, and sign out, through the API.
func TestAPIPasswordChange(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	root, _, _, _ := storetest.Seed(t, e.db)
	hash, _ := e.auth.Hasher.Hash(ctx, "Temp-Pass-77")
	u := &account.User{Login: "must.change", Name: "改密", OrgID: root.ID, Roles: []string{account.RoleExaminee}, PasswordHash: hash, MustChange: true}
	if err := e.db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	token := apiToken(t, e, "must.change", "Temp-Pass-77")
	c := e.client()
	bearer := map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"}
	if resp, _ := c.do("GET", "/api/v1/me", nil, bearer); resp.StatusCode != 403 {
		t.Fatalf("me before change = %d, want 403", resp.StatusCode)
	}
	resp, body := c.doBody("POST", "/api/v1/password", strings.NewReader(`{"current":"Temp-Pass-77","new":"short"}`), false, bearer)
	if resp.StatusCode != 400 || !strings.Contains(body, "密码") {
		t.Fatalf("weak new password = %d %s", resp.StatusCode, body)
	}
	resp, body = c.doBody("POST", "/api/v1/password", strings.NewReader(`{"current":"Temp-Pass-77","new":"Brand-New-Pass-2026"}`), false, bearer)
	if resp.StatusCode != 204 {
		t.Fatalf("change = %d %s", resp.StatusCode, body)
	}
	if resp, _ := c.do("GET", "/api/v1/me", nil, bearer); resp.StatusCode != 200 {
		t.Fatalf("me after change = %d", resp.StatusCode)
	}
	if resp, _ := c.do("POST", "/api/v1/logout", nil, bearer); resp.StatusCode != 204 {
		t.Fatalf("logout = %d", resp.StatusCode)
	}
	if resp, _ := c.do("GET", "/api/v1/me", nil, bearer); resp.StatusCode != 401 {
		t.Fatalf("me after logout = %d", resp.StatusCode)
	}
}

// TestSettings: the system admin renames the platform and shortens the
// amber period; every page shows the name.
func TestSettings(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	admin := e.client()
	admin.login("sysadmin", e.accounts["sysadmin"].Password)
	if resp, body := admin.post("/settings", url.Values{"platform_name": {""}, "warning_days": {"7"}}); resp.StatusCode != 400 || !strings.Contains(body, "请填写平台名称") {
		t.Fatalf("empty name = %d", resp.StatusCode)
	}
	if resp, _ := admin.post("/settings", url.Values{"platform_name": {"临江区智慧普法平台"}, "warning_days": {"3"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d", resp.StatusCode)
	}
	_, body := e.client().get("/login")
	if !strings.Contains(body, "<title>登录 · 临江区智慧普法平台</title>") {
		t.Error("the sign-in page does not show the new name")
	}
	if st, _ := e.db.LoadSettings(context.Background()); st.WarningDays != 3 {
		t.Errorf("warning days %d", st.WarningDays)
	}
}
