package store

import (
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
