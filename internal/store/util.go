package store

import (
	"context"
	"crypto/rand"
	"slices"
	"sort"
	"strings"

	"pufa/internal/app"
)

func sortSlice[T any](s []T, less func(a, b T) bool) {
	sort.SliceStable(s, func(i, j int) bool { return less(s[i], s[j]) })
}

// sortIDs sorts ids ascending, the order SQL's ORDER BY gives them.
func sortIDs(ids []app.ID) { slices.Sort(ids) }

// randomKey returns an unguessable key for a public address: 130 random
// bits in lower-case base32, short enough for a QR code.
func randomKey() string { return strings.ToLower(rand.Text()) }

// anyArgs turns values into query arguments, for an IN (…) list.
func anyArgs[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// countsByID runs a query of (id, count) rows into a map.
func (db *DB) countsByID(ctx context.Context, q string, args ...any) (map[app.ID]int, error) {
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[app.ID]int{}
	for rows.Next() {
		var id app.ID
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// idSet runs a query of ids into a set.
func (db *DB) idSet(ctx context.Context, q string, args ...any) (map[app.ID]bool, error) {
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[app.ID]bool{}
	for rows.Next() {
		var id app.ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
