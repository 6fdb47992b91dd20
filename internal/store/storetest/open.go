// Package storetest is the conformance suite every store implementation
// passes, and the helpers that open a fresh database per test on each engine.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"pufa/internal/app"
	"pufa/internal/crypt"
	"pufa/internal/store"
)

// PostgresEnv names the environment variable holding a PostgreSQL DSN
// for tests; without it the PostgreSQL runs are skipped, visibly.
const PostgresEnv = "PUFA_TEST_POSTGRES"

// Dialects lists the engines a test runs on. PostgreSQL is always in
// the list: OpenTest skips it, with a message, when no server is set, so a
// skipped run shows in the output instead of vanishing.
func Dialects() []store.Dialect { return []store.Dialect{store.SQLite, store.Postgres} }

// Open opens a fresh, migrated database of dialect for one test and
// closes and removes it at the end: a temp file for SQLite, a private schema
// for PostgreSQL. It skips the test when PostgreSQL is asked for and
// PUFA_TEST_POSTGRES is unset.
func Open(t testing.TB, d store.Dialect, clock app.Clock) *store.DB {
	t.Helper()
	ctx := context.Background()
	provider, err := crypt.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	if clock == nil {
		clock = app.SystemClock{}
	}
	var dsn string
	switch d {
	case store.SQLite:
		dsn = filepath.Join(t.TempDir(), "pufa.db")
	case store.Postgres:
		base := os.Getenv(PostgresEnv)
		if base == "" {
			t.Skipf("PostgreSQL: skipped, set %s to a DSN to run this test on PostgreSQL too", PostgresEnv)
		}
		dsn = testSchema(t, base)
	}
	db, err := store.Open(ctx, dsn, store.Options{Clock: clock, Crypto: provider})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// testSchema makes a private schema for one test and returns a DSN whose
// search_path points at it.
func testSchema(t testing.TB, base string) string {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("PostgreSQL at %s: %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
