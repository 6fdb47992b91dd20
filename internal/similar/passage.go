package similar

import (
	"cmp"
	"slices"
)

// maxRepeat bounds how many positions of one shingle in the report are
// paired with a hit when building runs: a text that repeats itself
// (“普法普法普法…”) would otherwise make the pairs quadratic. Such
// shingles still count for the similarity.
const maxRepeat = 16

// evaluator compares the report with one source at a time, once the
// document frequencies are complete.
type evaluator struct {
	t      *target
	o      Options
	df     []int32
	ref    []int32
	shared []int32 // shared[id] == the source number when the source has it
}

// boilerplate reports whether shingle id is ignored when comparing with
// source s; shared says whether s contains it, in which case s's own
// occurrence is not counted against it.
func (e *evaluator) boilerplate(s *source, id int32, shared bool) bool {
	r := e.ref[id]
	if shared && s.countRef {
		r--
	}
	if r > 0 {
		return true
	}
	if s.reference {
		return false
	}
	d := e.df[id]
	if shared && s.inCorpus {
		d--
	}
	return int(d) >= e.o.BoilerplateDocs
}

// compare returns the match of the report with source s (number no), whose
// shingles found in the report are hs; false if they share nothing but
// boilerplate.
func (e *evaluator) compare(s *source, no int32, hs []hit) (Match, bool) {
	t := e.t
	for _, h := range hs {
		e.shared[h.id] = no
	}
	var total, common int
	for _, id := range t.ids {
		sh := e.shared[id] == no
		if e.boilerplate(s, id, sh) {
			continue
		}
		total++
		if sh {
			common++
		}
	}
	if common == 0 {
		return Match{}, false
	}
	m := Match{
		OtherID:    s.doc.ID,
		Reference:  s.reference,
		Similarity: float64(common) / float64(total),
	}
	m.Passages = e.passages(s, hs)
	return m, true
}

// run is a stretch of consecutive shingles shared on one diagonal: report
// positions [i, i+n), other positions [j, j+n).
type run struct{ i, j, n int32 }

// passages builds the maximal shared runs, keeps those long enough and not
// made of boilerplate only, resolves overlaps in the report longest first
// and maps them back to the original texts.
func (e *evaluator) passages(s *source, hs []hit) []Passage {
	t, k := e.t, int32(e.t.k)
	type pair struct{ i, j int32 }
	var ps []pair
	for _, h := range hs {
		if t.count[h.id] > maxRepeat {
			continue
		}
		for i := t.first[h.id]; i >= 0; i = t.next[i] {
			ps = append(ps, pair{i, h.j})
		}
	}
	slices.SortFunc(ps, func(a, b pair) int {
		if c := cmp.Compare(a.i-a.j, b.i-b.j); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})

	minRun := int32(e.o.MinPassage)
	// A run must hold as many own shingles as the shortest passage has.
	minNovel := minRun - k + 1
	var runs []run
	for a := 0; a < len(ps); {
		b := a + 1
		for b < len(ps) && ps[b].i == ps[b-1].i+1 && ps[b].j == ps[b-1].j+1 {
			b++
		}
		r := run{ps[a].i, ps[a].j, int32(b - a)}
		a = b
		if r.n+k-1 < minRun {
			continue
		}
		var novel int32
		for i := r.i; i < r.i+r.n; i++ {
			if !e.boilerplate(s, t.ids[i], true) {
				novel++
			}
		}
		if novel >= minNovel {
			runs = append(runs, r)
		}
	}
	if len(runs) == 0 {
		return nil
	}

	// In runes of the normalized texts: report [i, i+n+k-1).
	slices.SortFunc(runs, func(a, b run) int {
		if c := cmp.Compare(b.n, a.n); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	var kept []span
	for _, r := range runs {
		a, b := longestFree(r.i, r.i+r.n+k-1, kept)
		if b-a >= minRun {
			kept = append(kept, span{a, b, r.j - r.i})
		}
	}

	if t.orig == nil {
		t.orig = []rune(t.text)
	}
	_, oat := normalize(s.doc.Text, nil, nil)
	out := make([]Passage, 0, len(kept))
	for _, sp := range kept {
		p := Passage{
			Start:      int(t.at[sp.a]),
			End:        int(t.at[sp.b-1]) + 1,
			OtherID:    s.doc.ID,
			OtherStart: int(oat[sp.a+sp.d]),
			OtherEnd:   int(oat[sp.b-1+sp.d]) + 1,
		}
		p.Text = string(t.orig[p.Start:p.End])
		out = append(out, p)
	}
	return out
}

// span is a passage in runes of the normalized texts: report [a, b), the
// other document [a+d, b+d).
type span struct{ a, b, d int32 }

// longestFree returns the longest part of [a, b) that none of the kept
// spans covers.
func longestFree(a, b int32, kept []span) (int32, int32) {
	free := []span{{a, b, 0}}
	for _, k := range kept {
		var next []span
		for _, f := range free {
			if k.b <= f.a || k.a >= f.b {
				next = append(next, f)
				continue
			}
			if k.a > f.a {
				next = append(next, span{f.a, k.a, 0})
			}
			if k.b < f.b {
				next = append(next, span{k.b, f.b, 0})
			}
		}
		free = next
	}
	var best span
	for _, f := range free {
		if f.b-f.a > best.b-best.a {
			best = f
		}
	}
	return best.a, best.b
}
