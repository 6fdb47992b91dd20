package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/auth"
	"pufa/internal/crypt"
	"pufa/internal/password"
	"pufa/internal/session"
	"pufa/internal/store"
	"pufa/internal/store/storetest"
)

// testEnv is one data folder and database the commands under test share.
type testEnv struct {
	t    *testing.T
	dir  string
	db   string // --db, empty for the default SQLite file
	vars map[string]string
}

// newEnv makes a fresh data folder and, for PostgreSQL, a private schema;
// it skips, visibly, when PostgreSQL is asked for and PUFA_TEST_POSTGRES
// is unset.
func newEnv(t *testing.T, d store.Dialect) *testEnv {
	t.Helper()
	e := &testEnv{t: t, dir: t.TempDir(), vars: map[string]string{
		// Tiny hashing costs keep the suite fast; production keeps 64 MiB.
		"PUFA_ARGON2_MEMORY_KIB": "64",
		"PUFA_ROOT_NAME":         "测试区",
		"PUFA_ROOT_CODE":         "330199",
		"PUFA_LOG_LEVEL":         "warn",
		"USER":                   "tester",
	}}
	if d == store.Postgres {
		base := os.Getenv(storetest.PostgresEnv)
		if base == "" {
			t.Skipf("PostgreSQL: skipped, set %s to a DSN to run the pufa command tests on PostgreSQL too", storetest.PostgresEnv)
		}
		e.db = pgSchema(t, base)
	}
	return e
}

// pgSchema makes a private schema for one test and returns a DSN whose
// search_path points at it.
func pgSchema(t *testing.T, base string) string {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	schema := "cli_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("PostgreSQL at %s: %v", storetest.PostgresEnv, err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// syncBuffer is a bytes.Buffer safe to write from the server's goroutines
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (e *testEnv) getenv(k string) string { return e.vars[k] }

// args appends the env's data folder and database to a command line.
func (e *testEnv) args(args ...string) []string {
	args = append(args, "--data-dir", e.dir)
	if e.db != "" {
		args = append(args, "--db", e.db)
	}
	return args
}

// run runs pufa with args plus the env's folder and database.
func (e *testEnv) run(stdin string, args ...string) (int, string, string) {
	e.t.Helper()
	var out, errb syncBuffer
	code := run(context.Background(), e.args(args...), e.getenv, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// open opens the env's database with the key file the commands made.
func (e *testEnv) open(dsn string) *store.DB {
	e.t.Helper()
	keys, _, err := crypt.LoadOrCreateKeyFile(filepath.Join(e.dir, "keys.json"))
	if err != nil {
		e.t.Fatal(err)
	}
	p, err := crypt.NewSoftware(keys)
	if err != nil {
		e.t.Fatal(err)
	}
	if dsn == "" {
		dsn = e.db
	}
	if dsn == "" {
		dsn = filepath.Join(e.dir, "pufa.db")
	}
	db, err := store.Open(context.Background(), dsn, store.Options{Crypto: p})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	return db
}

func authService(db *store.DB) *auth.Service {
	keys, _ := crypt.NewKeys()
	p, _ := crypt.NewSoftware(keys)
	return &auth.Service{Users: db, Orgs: db, Sessions: db, Audit: db, Hasher: password.FastForTests(),
		Policy: password.Dengbao(), Lockout: account.DefaultLockout, Timeouts: session.DefaultTimeouts,
		Clock: app.SystemClock{}, Crypto: p}
}

// signIn signs in through the real sign-in service and reports whether the
// password must be changed.
func signIn(t *testing.T, db *store.DB, login, pw string) bool {
	t.Helper()
	res, err := authService(db).Login(context.Background(), login, pw, session.KindWeb)
	if err != nil {
		t.Fatalf("sign in as %s: %v", login, err)
	}
	return res.MustChange
}

func wantCode(t *testing.T, what string, code, want int, stdout, stderr string) {
	t.Helper()
	if code != want {
		t.Fatalf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", what, code, want, stdout, stderr)
	}
}

func TestHelp(t *testing.T) {
	e := newEnv(t, store.SQLite)
	var out, errb syncBuffer
	code := run(context.Background(), []string{"help"}, e.getenv, nil, &out, &errb)
	wantCode(t, "help", code, 0, out.String(), errb.String())
	for _, cmd := range []string{"serve", "demo", "migrate", "user add", "user reset-password", "backup", "audit verify", "version", "help"} {
		if !strings.Contains(out.String(), "  "+cmd+" ") {
			t.Errorf("help does not list %q:\n%s", cmd, out.String())
		}
	}

	out, errb = syncBuffer{}, syncBuffer{}
	code = run(context.Background(), []string{"help", "user", "add"}, e.getenv, nil, &out, &errb)
	wantCode(t, "help user add", code, 0, out.String(), errb.String())
	for _, f := range []string{"--login", "--role", "--password-stdin", "--must-change", "--db", "--data-dir", "PUFA_DB"} {
		if !strings.Contains(out.String(), f) {
			t.Errorf("help user add does not show %s:\n%s", f, out.String())
		}
	}

	out, errb = syncBuffer{}, syncBuffer{}
	if code := run(context.Background(), nil, e.getenv, nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "pufa help") {
		t.Errorf("no arguments: exit %d, stderr %s", code, errb.String())
	}
}

func TestUsageErrors(t *testing.T) {
	e := newEnv(t, store.SQLite)
	for _, tc := range []struct {
		name string
		args []string
		vars map[string]string
		want string
		raw  bool // args as given, without the env's --data-dir
	}{
		{"unknown command", []string{"frobnicate"}, nil, "frobnicate", false},
		{"unknown subcommand", []string{"user", "delete"}, nil, "reset-password", false},
		{"unknown flag", []string{"migrate", "--frob"}, nil, "-frob", false},
		{"flag without value", []string{"backup", "--out"}, nil, "-out", true},
		{"stray argument", []string{"migrate", "extra"}, nil, "extra", false},
		{"bad duration", []string{"serve", "--session-idle", "soon"}, nil, "session-idle", false},
		{"bad policy", []string{"migrate", "--password-policy", "lax"}, nil, "--password-policy", false},
		{"bad hash", []string{"migrate", "--password-hash", "md5"}, nil, "--password-hash", false},
		{"bad env", []string{"migrate"}, map[string]string{"PUFA_LOG_LEVEL": "loud"}, "PUFA_LOG_LEVEL", false},
		{"idle beyond absolute", []string{"serve", "--session-idle", "13h"}, nil, "--session-idle", false},
		{"user add without role", []string{"user", "add", "--login", "x1", "--name", "某"}, nil, "--role", false},
		{"user add bad role", []string{"user", "add", "--login", "x1", "--name", "某", "--role", "king"}, nil, "king", false},
		{"user add two admin roles", []string{"user", "add", "--login", "x1", "--name", "某", "--role", "sysadmin", "--role", "auditor"}, nil, "三员", false},
		{"user add bad ID number", []string{"user", "add", "--login", "x1", "--name", "某", "--role", "examinee", "--id-number", "330199199001011234"}, nil, "--id-number", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb syncBuffer
			getenv := e.getenv
			if tc.vars != nil {
				getenv = func(k string) string {
					if v, ok := tc.vars[k]; ok {
						return v
					}
					return e.getenv(k)
				}
			}
			args := tc.args
			if !tc.raw {
				args = e.args(args...)
			}
			code := run(context.Background(), args, getenv, strings.NewReader(""), &out, &errb)
			if code != 2 || !strings.Contains(errb.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, errb.String(), tc.want)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	e := newEnv(t, store.SQLite)
	code, out, errb := e.run("", "version")
	wantCode(t, "version", code, 0, out, errb)
	if !strings.HasPrefix(out, "pufa ") || !strings.Contains(out, "go1") {
		t.Fatalf("version printed %q", out)
	}
	if _, err := os.Stat(filepath.Join(e.dir, "pufa.db")); err == nil {
		t.Error("version created a database")
	}
}

func TestCommands(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) { testCommands(t, d) })
	}
}

func testCommands(t *testing.T, d store.Dialect) {
	ctx := context.Background()
	e := newEnv(t, d)

	code, out, errb := e.run("", "migrate")
	wantCode(t, "migrate", code, 0, out, errb)
	db := e.open("")
	if v := db.LatestSchemaVersion(); !strings.Contains(out, "数据库结构版本："+itoa(v)) {
		t.Fatalf("migrate printed %q, want version %d", out, v)
	}
	if fi, err := os.Stat(filepath.Join(e.dir, "keys.json")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}

	// A password that breaks the policy is refused with the reason.
	code, out, errb = e.run("short\n", "user", "add", "--login", "wangwu", "--name", "王五", "--role", "examinee", "--password-stdin")
	if code != 2 || !strings.Contains(errb, "至少需要 8 个字符") {
		t.Fatalf("weak password: exit %d, stderr %q", code, errb)
	}

	// A good one from stdin needs no change at first sign-in; the trailing
	// newline is not part of it.
	const good = "Lj-2024-pufa!"
	code, out, errb = e.run(good+"\n", "user", "add", "--login", "wangwu", "--name", "王五", "--role", "office", "--role", "examinee",
		"--password-stdin", "--rank", "senior", "--rank-title", "四级调研员", "--phone", "139 0571 0001", "--id-number", "330199198603141284")
	wantCode(t, "user add --password-stdin", code, 0, out, errb)
	if out != "" {
		t.Errorf("user add --password-stdin printed %q to stdout", out)
	}
	if signIn(t, db, "wangwu", good) {
		t.Error("a password from stdin must not need a change without --must-change")
	}
	u, err := db.FindUserByLogin(ctx, "wangwu")
	if err != nil {
		t.Fatal(err)
	}
	if u.Rank != account.RankSenior || u.RankTitle != "四级调研员" || u.Phone != "13905710001" || strings.Join(u.Roles, ",") != "office,examinee" {
		t.Errorf("stored user %+v", u)
	}
	root, err := db.FindRootOrg(ctx)
	if err != nil || root.Name != "测试区" || u.OrgID != root.ID {
		t.Fatalf("root %+v %v; user org %s", root, err, u.OrgID)
	}

	// --must-change forces the change; --org takes a code.
	code, out, errb = e.run(good, "user", "add", "--login", "zhaoliu", "--name", "赵六", "--role", "liaison", "--password-stdin", "--must-change", "--org", "330199")
	wantCode(t, "user add --must-change", code, 0, out, errb)
	if !signIn(t, db, "zhaoliu", good) {
		t.Error("--must-change did not force a change")
	}

	// Without --password-stdin a random password is printed and must be
	// changed.
	code, out, errb = e.run("", "user", "add", "--login", "sunqi", "--name", "孙七", "--role", "examinee", "--org", root.ID.String())
	wantCode(t, "user add", code, 0, out, errb)
	generated := strings.TrimSpace(out)
	if strings.Count(out, "\n") != 1 || len(generated) != 12 {
		t.Fatalf("user add printed %q, want one password line", out)
	}
	if !signIn(t, db, "sunqi", generated) {
		t.Error("a generated password must be changed at first sign-in")
	}

	// A taken login and an unknown org fail.
	if code, _, errb := e.run("", "user", "add", "--login", "SunQi", "--name", "孙七", "--role", "examinee"); code != 1 || !strings.Contains(errb, "已被使用") {
		t.Errorf("duplicate login: exit %d, %s", code, errb)
	}
	if code, _, errb := e.run("", "user", "add", "--login", "zhouba", "--name", "周八", "--role", "examinee", "--org", "999999"); code != 2 || !strings.Contains(errb, "999999") {
		t.Errorf("unknown org: exit %d, %s", code, errb)
	}

	// reset-password prints a new one-time password; the old one stops
	// working.
	code, out, errb = e.run("", "user", "reset-password", "--login", "wangwu")
	wantCode(t, "reset-password", code, 0, out, errb)
	reset := strings.TrimSpace(out)
	if !signIn(t, db, "wangwu", reset) {
		t.Error("a reset password must be changed at first sign-in")
	}
	if _, err := authService(db).Login(ctx, "wangwu", good, session.KindWeb); err == nil {
		t.Error("the old password still works after a reset")
	}
	if code, _, _ := e.run("", "user", "reset-password", "--login", "nobody"); code != 1 {
		t.Errorf("reset-password of an unknown login: exit %d", code)
	}

	// backup: a consistent copy on SQLite, a pointer to pg_dump on
	// PostgreSQL.
	backup := filepath.Join(t.TempDir(), "backup.db")
	code, out, errb = e.run("", "backup", "--out", backup)
	if d == store.Postgres {
		if code != 1 || !strings.Contains(errb, "pg_dump") {
			t.Errorf("backup on PostgreSQL: exit %d, %s", code, errb)
		}
	} else {
		wantCode(t, "backup", code, 0, out, errb)
		copyDB := e.open(backup)
		_, n, err := copyDB.FindUsers(ctx, account.Filter{})
		_, want, _ := db.FindUsers(ctx, account.Filter{})
		if err != nil || n != want || n != 3 {
			t.Errorf("backup holds %d users (%v), want %d", n, err, want)
		}
		if code, _, errb := e.run("", "backup", "--out", backup); code != 1 || !strings.Contains(errb, "已存在") {
			t.Errorf("backup over an existing file: exit %d, %s", code, errb)
		}
	}

	// audit verify: complete, then one altered row is named.
	code, out, errb = e.run("", "audit", "verify")
	wantCode(t, "audit verify", code, 0, out, errb)
	if !regexp.MustCompile(`^审计日志完整：共 \d+ 条\n$`).MatchString(out) {
		t.Fatalf("audit verify printed %q", out)
	}
	entries, _, err := db.FindAuditEntries(ctx, audit.Filter{Limit: 3})
	if err != nil || len(entries) < 3 {
		t.Fatalf("audit entries: %v", err)
	}
	victim := entries[2]
	if err := db.ExecRaw(ctx, `UPDATE audit_log SET detail = 'forged' WHERE id = ?`, victim.ID); err != nil {
		t.Fatal(err)
	}
	code, out, errb = e.run("", "audit", "verify")
	wantCode(t, "audit verify after tampering", code, 1, out, errb)
	if !strings.Contains(out, "编号 "+victim.ID.String()) || !strings.Contains(out, "篡改") {
		t.Fatalf("audit verify printed %q, want row %s named", out, victim.ID)
	}
}

// startServe runs a serve-like command until the returned stop is called;
// it returns the address the server bound.
func startServe(t *testing.T, e *testEnv, args ...string) (addr string, stop func() (int, string, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	ctx = withReady(ctx, func(a string) { ready <- a })
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, e.args(append(args, "--addr", "127.0.0.1:0")...), e.getenv, strings.NewReader(""), &out, &errb)
	}()
	select {
	case addr = <-ready:
	case code := <-done:
		cancel()
		t.Fatalf("%s ended with %d before listening\nstdout: %s\nstderr: %s", args[0], code, out.String(), errb.String())
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("%s did not listen\nstderr: %s", args[0], errb.String())
	}
	return addr, func() (int, string, string) {
		cancel()
		select {
		case code := <-done:
			return code, out.String(), errb.String()
		case <-time.After(30 * time.Second):
			t.Fatalf("%s did not stop", args[0])
		}
		return 0, "", ""
	}
}

func get(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

var adminPassword = regexp.MustCompile(`(?m)^\s+\S+\s+(sysadmin|secadmin|auditor)\s+(\S{12})\s*$`)

func TestServe(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) { testServe(t, d) })
	}
}

func testServe(t *testing.T, d store.Dialect) {
	e := newEnv(t, d)
	addr, stop := startServe(t, e, "serve")
	if code := get(t, "http://"+addr+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz answered %d", code)
	}
	code, out, errb := stop()
	wantCode(t, "serve", code, 0, out, errb)

	found := adminPassword.FindAllStringSubmatch(errb, -1)
	if len(found) != 3 {
		t.Fatalf("bootstrap printed %d admin passwords, want 3:\n%s", len(found), errb)
	}
	db := e.open("")
	for _, m := range found {
		if !signIn(t, db, m[1], m[2]) {
			t.Errorf("%s need not change the one-time password", m[1])
		}
		u, err := db.FindUserByLogin(context.Background(), m[1])
		if err != nil || len(u.Roles) != 1 || u.Roles[0] != m[1] {
			t.Errorf("%s has roles %v (%v)", m[1], u.Roles, err)
		}
	}
	if strings.Count(errb, found[0][2]) != 1 {
		t.Error("a one-time password was printed more than once")
	}

	// A second start creates and prints nothing.
	addr, stop = startServe(t, e, "serve")
	if code := get(t, "http://"+addr+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz answered %d", code)
	}
	code, out, errb = stop()
	wantCode(t, "second serve", code, 0, out, errb)
	if adminPassword.MatchString(errb) || strings.Contains(errb, "一次性密码") {
		t.Errorf("second start printed passwords:\n%s", errb)
	}
}

func TestServe_NeedsRootOnEmptyDatabase(t *testing.T) {
	e := newEnv(t, store.SQLite)
	delete(e.vars, "PUFA_ROOT_NAME")
	code, out, errb := e.run("", "serve", "--addr", "127.0.0.1:0")
	if code != 2 || !strings.Contains(errb, "--root-name") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errb)
	}
}

func TestBootstrap(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, nil)
	h := password.FastForTests()
	var w bytes.Buffer
	if _, err := bootstrap(ctx, db, h, "", "", &w); err == nil {
		t.Fatal("bootstrap without a root name on an empty database succeeded")
	}
	made, err := bootstrap(ctx, db, h, "测试区", "330199", &w)
	if err != nil {
		t.Fatal(err)
	}
	if len(made) != 3 || strings.Count(w.String(), "\n") < 5 {
		t.Fatalf("made %v, printed:\n%s", made, w.String())
	}
	for _, a := range made {
		if !strings.Contains(w.String(), a.Password) {
			t.Errorf("password of %s not printed", a.Login)
		}
		if !signIn(t, db, a.Login, a.Password) {
			t.Errorf("%s need not change its password", a.Login)
		}
	}
	w.Reset()
	made, err = bootstrap(ctx, db, h, "测试区", "330199", &w)
	if err != nil || len(made) != 0 || w.Len() != 0 {
		t.Fatalf("second bootstrap made %v, printed %q, %v", made, w.String(), err)
	}
}

func TestDemo(t *testing.T) {
	e := newEnv(t, store.SQLite)
	// Variables meant for the real server must not steer demo, which
	// wipes its folder.
	e.vars["PUFA_DATA_DIR"] = t.TempDir()
	e.vars["PUFA_DB"] = "postgres://nowhere.invalid/x"
	for range 2 { // the second run rebuilds the folder
		addr, stop := startServe(t, e, "demo")
		if code := get(t, "http://"+addr+"/healthz"); code != http.StatusOK {
			t.Errorf("/healthz answered %d", code)
		}
		code, out, errb := stop()
		wantCode(t, "demo", code, 0, out, errb)
		for _, want := range []string{"sysadmin", "office1", "liaison.gaj", "reviewer1", "zhangwei", "临江区", "区公安分局", "http://" + addr} {
			if !strings.Contains(out, want) {
				t.Errorf("demo output lacks %q:\n%s", want, out)
			}
		}
		db := e.open("")
		m := regexp.MustCompile(`(?m)^\s+\S+\s+office1\s+\S+\s+\S+\s+(\S{12})\s*$`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no office1 password in:\n%s", out)
		}
		if signIn(t, db, "office1", m[1]) {
			t.Error("a demo account must not have to change its password")
		}
		db.Close()
	}

	// A folder demo did not make is never wiped.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "precious.txt"), []byte("x"), 0o600)
	var out, errb syncBuffer
	code := run(context.Background(), []string{"demo", "--data-dir", other, "--addr", "127.0.0.1:0"}, e.getenv, nil, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "不会清空") {
		t.Fatalf("demo in a foreign folder: exit %d, %s", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(other, "precious.txt")); err != nil {
		t.Fatal("demo deleted a foreign folder")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestKeys(t *testing.T) {
	t.Run("FromEnvironment", func(t *testing.T) {
		e := newEnv(t, store.SQLite)
		keys, err := crypt.NewKeys()
		if err != nil {
			t.Fatal(err)
		}
		if e.vars["PUFA_KEYS"], err = keys.EnvValue(); err != nil {
			t.Fatal(err)
		}
		code, out, errb := e.run("", "migrate")
		wantCode(t, "migrate", code, 0, out, errb)
		if _, err := os.Stat(filepath.Join(e.dir, "keys.json")); err == nil {
			t.Error("a key file was made although PUFA_KEYS holds the keys")
		}
	})
	t.Run("LostKeyFile", func(t *testing.T) {
		e := newEnv(t, store.SQLite)
		code, out, errb := e.run("", "user", "add", "--login", "wangwu", "--name", "王五", "--role", "examinee")
		wantCode(t, "user add", code, 0, out, errb)
		keyFile := filepath.Join(e.dir, "keys.json")
		if err := os.Remove(keyFile); err != nil {
			t.Fatal(err)
		}
		code, _, errb = e.run("", "audit", "verify")
		if code != 1 || !strings.Contains(errb, "密钥文件") {
			t.Fatalf("fresh keys over existing data: exit %d, %s", code, errb)
		}
		if _, err := os.Stat(keyFile); err == nil {
			t.Error("the fresh key file was left behind")
		}
	})
}
