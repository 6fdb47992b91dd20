package assess

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// The engine's rules as properties over random schemes and random scores.
// Each test runs a fixed number of cases from a fixed seed, so a failure
// reproduces; the case number is in the message.

const cases = 2000

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

func TestPropertyScore(t *testing.T) {
	r := newRand(1)
	for i := range cases {
		s := genScheme(r)
		if err := s.Validate(); err != nil {
			t.Fatalf("case %d: a generated scheme does not validate: %v", i, err)
		}
		sh := genSheet(r, s)
		res, err := Score(s, sh)
		if err != nil {
			// Only a sheet with nothing applicable may be refused.
			if invalidField(t, err) != "not_applicable" {
				t.Fatalf("case %d: %v", i, err)
			}
			continue
		}
		checkResult(t, s, sh, res)

		// The same sheet with nothing marked not applicable (entries
		// added where needed) is never normalized.
		full := genSheet(r, s)
		full.NotApplicable = nil
		fillMissing(r, s, full)
		res, err = Score(s, full)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if res.Normalized != res.Base || !same(res.ApplicableMax, s.FullMarks) {
			t.Fatalf("case %d: fully applicable but normalized: %+v", i, res)
		}
		checkResult(t, s, full, res)
	}
}

// fillMissing adds an entry for every leaf sh lacks.
func fillMissing(r *rand.Rand, s *Scheme, sh Sheet) {
	s.Walk(func(ind, _ *Indicator, _ int) {
		if len(ind.Children) > 0 {
			return
		}
		if _, ok := sh.Values[ind.Code]; !ok {
			for {
				if in, ok := genInput(r, ind); ok {
					sh.Values[ind.Code] = in
					break
				}
			}
		}
	})
}

func TestPropertyScoreRefusesBadInput(t *testing.T) {
	r := newRand(2)
	for i := range cases {
		s := mustValid(t, genScheme(r))
		sh := genSheet(r, s)
		sh.NotApplicable = nil
		fillMissing(r, s, sh)
		// Spoil one counted leaf's entry the way its rule cannot take.
		var leaves []*Indicator
		s.Walk(func(ind, _ *Indicator, _ int) {
			if len(ind.Children) == 0 && !ind.Extra() {
				leaves = append(leaves, ind)
			}
		})
		ind := leaves[r.IntN(len(leaves))]
		switch rule := deref(ind.Rule).(type) {
		case Direct:
			sh.Values[ind.Code] = Input{Points: ind.Max + 0.01 + r.Float64()}
		case Deduction:
			sh.Values[ind.Code] = Input{Count: -1 - r.IntN(5)}
		case Tiered:
			sh.Values[ind.Code] = Input{Tier: "无此档" + rule.Levels[0].Label}
		case YesNo:
			delete(sh.Values, ind.Code)
		}
		if f := invalidField(t, scoreErr(s, sh)); f != ind.Code {
			t.Fatalf("case %d: error names %q, want %q", i, f, ind.Code)
		}
	}
}

func TestPropertyValidateNamesTheParent(t *testing.T) {
	r := newRand(3)
	for i := range cases {
		s := mustValid(t, genScheme(r))
		// Raise one counted indicator's points: its parent (or the full
		// marks, for a root) no longer adds up.
		type pair struct{ ind, parent *Indicator }
		var all []pair
		s.Walk(func(ind, parent *Indicator, _ int) {
			if !ind.Extra() && !extrasOnly(ind) {
				all = append(all, pair{ind, parent})
			}
		})
		p := all[r.IntN(len(all))]
		p.ind.Max += 0.1
		if p.ind.Rule != nil {
			p.ind.Rule = Direct{} // keep the leaf's own rule valid
		}
		want := "full_marks"
		if p.parent != nil {
			want = p.parent.Code
		}
		if len(p.ind.Children) > 0 {
			want = p.ind.Code // it no longer matches its own children first
		}
		if f := invalidField(t, s.Validate()); f != want {
			t.Fatalf("case %d: error names %q, want %q", i, f, want)
		}
	}
}

func TestPropertyConvertWeights(t *testing.T) {
	r := newRand(4)
	for i := range cases {
		s := genScheme(r)
		s.Walk(func(ind, _ *Indicator, _ int) {
			ind.Weight = float64(1+r.IntN(1000)) / float64(1+r.IntN(10))
			ind.Max = -1 // forgotten: conversion sets every point
			if len(ind.Children) == 0 && !ind.Extra() {
				ind.Rule = Direct{}
			}
		})
		if err := s.ConvertWeights(); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("case %d: converted scheme does not validate: %v", i, err)
		}
		s.Walk(func(ind, _ *Indicator, _ int) {
			if c := ind.Max * 100; math.Abs(c-math.Round(c)) > 1e-6 {
				t.Fatalf("case %d: %s has %v points, not whole hundredths", i, ind.Code, ind.Max)
			}
		})
	}
}

func TestPropertyCombineIgnoresRaterOrder(t *testing.T) {
	r := newRand(5)
	for i := range cases / 4 {
		s := mustValid(t, genScheme(r))
		n := r.IntN(12)
		results := make([]Result, 0, n)
		for len(results) < n {
			sh := genSheet(r, s)
			if res, err := Score(s, sh); err == nil {
				results = append(results, res)
			}
		}
		st := Stage{
			Kind:      []StageKind{StagePanel, StageSite, StageOffice, StagePeer}[r.IntN(4)],
			MinRaters: r.IntN(6),
			Combine:   []Combine{Mean, TrimmedMean}[r.IntN(2)],
		}
		want := CombineStage(s, st, results)
		for range 3 {
			shuffled := slices.Clone(results)
			r.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
			if got := CombineStage(s, st, shuffled); !reflect.DeepEqual(got, want) {
				t.Fatalf("case %d: permuting raters changed the result:\n%+v\n%+v", i, got, want)
			}
		}
		if n == 0 {
			continue
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, res := range results {
			lo, hi = math.Min(lo, res.Total), math.Max(hi, res.Total)
		}
		if want.Total < lo-1e-6 || want.Total > hi+1e-6 {
			t.Fatalf("case %d: stage total %v outside the raters' %v..%v", i, want.Total, lo, hi)
		}
		if want.TooFew != (n < max(st.MinRaters, 1)) || want.Trimmed != (st.Combine == TrimmedMean && n >= TrimMinRaters) {
			t.Fatalf("case %d: tooFew %v trimmed %v for %d raters of %+v", i, want.TooFew, want.Trimmed, n, st)
		}
	}
}

// genStandings returns random standings drawn from few distinct totals,
// some with float noise, so ties and near-ties are common.
func genStandings(r *rand.Rand) []Standing {
	st := make([]Standing, r.IntN(30))
	for i := range st {
		total := 50 + float64(r.IntN(26))*2 // 50, 52, … 100
		switch r.IntN(6) {
		case 0:
			total -= 1e-12
		case 1:
			total = r.Float64() * 110
		}
		st[i] = Standing{Total: total, VetoFailed: r.IntN(8) == 0}
	}
	return st
}

func TestPropertyVetoWins(t *testing.T) {
	r := newRand(6)
	graders := []Grader{{}, {Bands: []Band{{"A", 85}, {"B", 70}, {"C", 0}}, VetoGrade: "不定等次"}}
	for i := range cases {
		st := genStandings(r)
		g := graders[r.IntN(len(graders))]
		ranks := Rank(st)
		grades, err := g.GradeByQuota(st, Quota{Share: r.Float64(), Ties: []TieRule{ExcludeTies, IncludeTies}[r.IntN(2)]})
		if err != nil {
			t.Fatal(err)
		}
		for a := range st {
			if !st[a].VetoFailed {
				continue
			}
			if got := g.GradeByThreshold(st[a].Total, true); got != g.vetoGrade() {
				t.Fatalf("case %d: vetoed subject graded %s", i, got)
			}
			if grades[a] != g.vetoGrade() {
				t.Fatalf("case %d: vetoed subject graded %s by quota", i, grades[a])
			}
			for b := range st {
				if !st[b].VetoFailed && ranks[a] <= ranks[b] {
					t.Fatalf("case %d: vetoed %v ranks %d, not after %v at %d", i, st[a], ranks[a], st[b], ranks[b])
				}
			}
		}
		// A failed veto in any stage fails the round.
		stages := []StageResult{{Stage: Stage{Kind: StagePanel, Weight: 1}, Total: 100}}
		if r.IntN(2) == 0 {
			stages = append(stages, StageResult{Stage: Stage{Kind: StageOffice}, Vetoed: []string{"V"}, VetoFailed: true})
			if !RoundTotal(nil, stages).VetoFailed {
				t.Fatalf("case %d: an office veto did not fail the round", i)
			}
		}
	}
}

func TestPropertyRank(t *testing.T) {
	r := newRand(7)
	for i := range cases {
		st := genStandings(r)
		ranks := Rank(st)
		for a := range st {
			better := 0
			for b := range st {
				if before(st[b], st[a]) {
					better++
				}
				if st[a].VetoFailed == st[b].VetoFailed {
					ka, kb := key(st[a].Total), key(st[b].Total)
					if ka > kb && ranks[a] >= ranks[b] {
						t.Fatalf("case %d: %v ranks %d, not ahead of %v at %d", i, st[a], ranks[a], st[b], ranks[b])
					}
					if ka == kb && ranks[a] != ranks[b] {
						t.Fatalf("case %d: tied %v and %v rank %d and %d", i, st[a], st[b], ranks[a], ranks[b])
					}
				}
			}
			// Competition ranking: one more than the number ahead.
			if ranks[a] != better+1 {
				t.Fatalf("case %d: %v ranks %d with %d ahead of it", i, st[a], ranks[a], better)
			}
		}
	}
}

// before reports whether a ranks strictly ahead of b.
func before(a, b Standing) bool {
	if a.VetoFailed != b.VetoFailed {
		return b.VetoFailed
	}
	return key(a.Total) > key(b.Total)
}

func TestPropertyQuota(t *testing.T) {
	r := newRand(8)
	var g Grader
	for i := range cases {
		st := genStandings(r)
		q := Quota{Share: float64(r.IntN(11)) / 10, Ties: []TieRule{ExcludeTies, IncludeTies}[r.IntN(2)]}
		grades, err := g.GradeByQuota(st, q)
		if err != nil {
			t.Fatal(err)
		}
		slots := int(math.Floor(q.Share*float64(len(st)) + 1e-9))
		best, edgeTies := 0, 0
		var lowestBest = math.Inf(1)
		for a := range st {
			if grades[a] == Excellent {
				best++
				lowestBest = math.Min(lowestBest, key(st[a].Total))
				if key(st[a].Total) < 90 {
					t.Fatalf("case %d: %v graded 优秀 below the threshold", i, st[a])
				}
			}
		}
		for a := range st {
			if grades[a] == Excellent && key(st[a].Total) == lowestBest {
				edgeTies++
			}
			// Monotone: no one left out of 优秀 outscores someone in it.
			if grades[a] != Excellent && !st[a].VetoFailed && key(st[a].Total) > lowestBest {
				t.Fatalf("case %d: %v left out while %v got 优秀", i, st[a], lowestBest)
			}
		}
		if q.Ties == ExcludeTies && best > slots {
			t.Fatalf("case %d: %d 优秀 for %d places", i, best, slots)
		}
		if q.Ties == IncludeTies && best > slots && best-edgeTies >= slots {
			t.Fatalf("case %d: %d 优秀 for %d places beyond the edge tie of %d", i, best, slots, edgeTies)
		}
	}
}
