package quiz

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// show renders a figure for comparison: "n=3 53.33 1 33.33%" or "n=1 —".
func show(f Figure) string {
	if f.Withheld() {
		if f.Reached != nil || f.Share != nil {
			return fmt.Sprintf("n=%d half-withheld", f.N)
		}
		return fmt.Sprintf("n=%d —", f.N)
	}
	return fmt.Sprintf("n=%d %v %d %v%%", f.N, *f.Mean, *f.Reached, *f.Share)
}

// showRow renders a row: total | A | B | C.
func showRow(r Row) string {
	parts := []string{show(r.Total)}
	for _, f := range r.Dimensions {
		parts = append(parts, show(f))
	}
	return strings.Join(parts, " | ")
}

func resp(age, place string, total Hundredths, scores ...Hundredths) Response {
	r := Response{Profile: map[string]string{}, Scores: map[string]Hundredths{}, Total: total}
	if age != "" {
		r.Profile["age"] = age
	}
	if place != "" {
		r.Profile["place"] = place
	}
	for i, s := range scores {
		r.Scores[string(rune('A'+i))] = s
	}
	return r
}

func TestQuiz_Tally(t *testing.T) {
	q := sampleQuiz()
	q.MinGroup = 2
	rs := []Response{
		resp("18-29", "101", 6600, 8000, 6000, 5000),
		resp("18-29", "101", 7600, 9000, 7000, 6000),
		resp("30-44", "101", 5000, 5000, 5000, 5000),
		resp("30-44", "102", 3100, 4000, 3000, 2000),
		resp("", "102", 10000, 10000, 10000, 10000),
		resp("60plus", "999", 6400, 7000, 6000), // no C; an unknown place is 不愿透露
	}
	rep := q.Tally(rs)
	if rep.Threshold != 6000 || rep.ThresholdLabel != DefaultThresholdLabel || rep.MinGroup != 2 {
		t.Errorf("report settings %v %q %d", rep.Threshold, rep.ThresholdLabel, rep.MinGroup)
	}
	if got, want := showRow(rep.Overall), "n=6 64.5 4 66.67% | n=6 71.67 4 66.67% | n=6 61.67 4 66.67% | n=5 56 2 40%"; got != want {
		t.Errorf("overall\n got %s\nwant %s", got, want)
	}
	want := map[string][]string{
		"age": {
			"under18 n=0 — | n=0 — | n=0 — | n=0 —",
			// C: 不愿透露 alone is small, so the smaller other group goes too.
			"18-29 n=2 71 2 100% | n=2 85 2 100% | n=2 65 2 100% | n=2 —",
			"30-44 n=2 40.5 0 0% | n=2 45 0 0% | n=2 40 0 0% | n=2 35 0 0%",
			"45-59 n=0 — | n=0 — | n=0 — | n=0 —",
			"60plus n=1 — | n=1 — | n=1 — | n=0 —",
			"declined n=1 — | n=1 — | n=1 — | n=1 —",
		},
		"place": {
			"101 n=3 64 2 66.67% | n=3 73.33 2 66.67% | n=3 60 2 66.67% | n=3 53.33 1 33.33%",
			"102 n=2 — | n=2 — | n=2 — | n=2 60 1 50%",
			"103 n=0 — | n=0 — | n=0 — | n=0 —",
			"declined n=1 — | n=1 — | n=1 — | n=0 —",
		},
	}
	if len(rep.Profile) != 2 {
		t.Fatalf("%d breakdowns", len(rep.Profile))
	}
	for _, b := range rep.Profile {
		var got []string
		for _, g := range b.Groups {
			got = append(got, g.Choice+" "+showRow(g.Row))
		}
		if !slices.Equal(got, want[b.Code]) {
			t.Errorf("%s (%s)\n got %s\nwant %s", b.Code, b.Label, strings.Join(got, "\n    "), strings.Join(want[b.Code], "\n    "))
		}
		if last := b.Groups[len(b.Groups)-1]; last.Label != DeclinedLabel {
			t.Errorf("%s: last group %q", b.Code, last.Label)
		}
	}
}

func TestQuiz_TallyEmpty(t *testing.T) {
	q := sampleQuiz()
	q.Profile = nil
	rep := q.Tally(nil)
	if got := showRow(rep.Overall); got != "n=0 — | n=0 — | n=0 — | n=0 —" || rep.Profile != nil {
		t.Errorf("empty tally: %s, %v", got, rep.Profile)
	}
	// Below the default minimum of 5 everything is withheld, overall too.
	rep = q.Tally([]Response{resp("", "", 9000, 9000, 9000, 9000)})
	if got := showRow(rep.Overall); got != "n=1 — | n=1 — | n=1 — | n=1 —" {
		t.Errorf("one response: %s", got)
	}
}

// roundRat rounds x ≥ 0 to the nearest integer, halves up, with big.Rat:
// a second way to the figures, independent of divRound.
func roundRat(x *big.Rat) Hundredths {
	x = new(big.Rat).Add(x, big.NewRat(1, 2))
	return Hundredths(new(big.Int).Quo(x.Num(), x.Denom()).Int64())
}

// column is one column of figures recomputed from the raw responses.
type column struct {
	scores []Hundredths
}

func (c column) check(t *testing.T, where string, f Figure, publish bool, threshold Hundredths) {
	t.Helper()
	if f.N != len(c.scores) {
		t.Fatalf("%s: n %d, want %d", where, f.N, len(c.scores))
	}
	if !publish || len(c.scores) == 0 {
		if !f.Withheld() || f.Reached != nil || f.Share != nil {
			t.Fatalf("%s: %s, want withheld", where, show(f))
		}
		return
	}
	var sum int64
	reached := 0
	for _, s := range c.scores {
		sum += int64(s)
		if s >= threshold {
			reached++
		}
	}
	mean := roundRat(big.NewRat(sum, int64(len(c.scores))))
	share := roundRat(big.NewRat(int64(reached)*10000, int64(len(c.scores))))
	if f.Withheld() || *f.Mean != mean || *f.Reached != reached || *f.Share != share {
		t.Fatalf("%s: %s, want n=%d %v %d %v%%", where, show(f), len(c.scores), mean, reached, share)
	}
}

// TestQuiz_TallyRecomputed draws random responses, recomputes every figure
// from them in the test, and compares with ==.
func TestQuiz_TallyRecomputed(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for run := range 200 {
		q := sampleQuiz()
		q.MinGroup = 1 + r.IntN(8)
		q.Threshold = float64(r.IntN(10001)) / 100
		threshold := q.threshold()
		n := r.IntN(120)
		if run%10 == 0 {
			n = r.IntN(12) // many small groups
		}
		rs := make([]Response, n)
		for i := range rs {
			rs[i] = Response{Profile: map[string]string{}, Scores: map[string]Hundredths{}, Total: Hundredths(r.IntN(10001))}
			for _, p := range q.Profile {
				switch k := r.IntN(len(p.Choices) + 3); {
				case k < len(p.Choices):
					rs[i].Profile[p.Code] = p.Choices[k].Code
				case k == len(p.Choices):
					rs[i].Profile[p.Code] = Declined
				case k == len(p.Choices)+1:
					rs[i].Profile[p.Code] = "unknown"
				} // else: skipped
			}
			for _, d := range q.Dimensions {
				if r.IntN(20) > 0 {
					rs[i].Scores[d.Code] = Hundredths(r.IntN(10001))
				}
			}
		}
		rep := q.Tally(rs)

		// colOf returns column k (0 total, 1+i dimension i) of responses
		// that pass keep.
		colOf := func(k int, keep func(Response) bool) column {
			var c column
			for _, x := range rs {
				if !keep(x) {
					continue
				}
				if k == 0 {
					c.scores = append(c.scores, x.Total)
				} else if s, ok := x.Scores[q.Dimensions[k-1].Code]; ok {
					c.scores = append(c.scores, s)
				}
			}
			return c
		}
		all := func(Response) bool { return true }
		fig := func(row Row, k int) Figure {
			if k == 0 {
				return row.Total
			}
			return row.Dimensions[k-1]
		}
		for k := range 1 + len(q.Dimensions) {
			c := colOf(k, all)
			c.check(t, fmt.Sprintf("run %d overall col %d", run, k), fig(rep.Overall, k), len(c.scores) >= q.MinGroup, threshold)
		}
		for pi, p := range q.Profile {
			b := rep.Profile[pi]
			if b.Code != p.Code || len(b.Groups) != len(p.Choices)+1 {
				t.Fatalf("run %d: breakdown %s has %d groups", run, b.Code, len(b.Groups))
			}
			for k := range 1 + len(q.Dimensions) {
				cols := make([]column, len(b.Groups))
				sumN := 0
				for g, grp := range b.Groups {
					cols[g] = colOf(k, func(x Response) bool {
						c := x.Profile[p.Code]
						if !slices.ContainsFunc(p.Choices, func(ch Choice) bool { return ch.Code == c }) {
							c = Declined
						}
						return c == grp.Choice
					})
					sumN += fig(grp.Row, k).N
				}
				if overall := fig(rep.Overall, k).N; sumN != overall {
					t.Fatalf("run %d %s col %d: groups' n add up to %d, overall %d", run, p.Code, k, sumN, overall)
				}
				// Which groups are published, decided afresh.
				publish := make([]bool, len(cols))
				var small []int
				for g, c := range cols {
					publish[g] = len(c.scores) >= q.MinGroup
					if len(c.scores) > 0 && !publish[g] {
						small = append(small, g)
					}
				}
				if len(small) == 1 {
					best := -1
					for g, c := range cols {
						if publish[g] && (best < 0 || len(c.scores) < len(cols[best].scores)) {
							best = g
						}
					}
					if best >= 0 {
						publish[best] = false
					}
				}
				published := 0
				for g, c := range cols {
					c.check(t, fmt.Sprintf("run %d %s=%s col %d", run, p.Code, b.Groups[g].Choice, k), fig(b.Groups[g].Row, k), publish[g], threshold)
					if !fig(b.Groups[g].Row, k).Withheld() {
						published++
					}
				}
				// Never exactly one group with responses withheld.
				withheld := 0
				for g, c := range cols {
					if len(c.scores) > 0 && fig(b.Groups[g].Row, k).Withheld() {
						withheld++
					}
				}
				if withheld == 1 && published > 0 {
					t.Fatalf("run %d %s col %d: one group withheld alone", run, p.Code, k)
				}
			}
		}
	}
}
