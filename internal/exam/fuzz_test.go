package exam

import (
	"slices"
	"strings"
	"testing"

	"pufa/internal/question"
)

// FuzzToOriginal feeds arbitrary answers to ToOriginal: it must not panic,
// must return only option labels, and FromOriginal must bring an accepted
// answer back to the display letters given.
func FuzzToOriginal(f *testing.F) {
	f.Add(uint64(0), "A,C")
	f.Add(uint64(1), "b")
	f.Add(uint64(2), " d ,D,,Ｚ")
	f.Add(uint64(3), "AB,\x00")
	f.Fuzz(func(t *testing.T, seed uint64, s string) {
		r := newRand(seed)
		q := genQuestion(r, question.Multiple, true)
		it := Item{Order: r.Perm(len(q.Options))}
		var given []string
		if s != "" {
			given = strings.Split(s, ",")
		}
		orig, err := ToOriginal(q, it, given)
		if err != nil {
			return
		}
		var want []string
		for _, g := range given {
			if l := strings.ToUpper(strings.TrimSpace(g)); !slices.Contains(want, l) {
				want = append(want, l)
			}
		}
		slices.Sort(want)
		for _, o := range orig {
			if !slices.ContainsFunc(q.Options, func(x question.Option) bool { return x.Label == o }) {
				t.Fatalf("ToOriginal(%q) = %v: %q is not an option", given, orig, o)
			}
		}
		if back := FromOriginal(q, it, orig); !slices.Equal(back, want) {
			t.Fatalf("ToOriginal(%q) = %v, back %v, want %v", given, orig, back, want)
		}
	})
}
