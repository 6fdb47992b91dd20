package assess

import (
	"fmt"
	"math"
)

// Micro is a figure in millionths of a point, the unit totals and scores
// are stored and summed in. Sums of integers are exact and do not depend on
// the order they are added in, so a database's SUM over ten million scores
// gives the same bits as the engine adding them one by one, in any order.
type Micro = int64

// ToMicro converts points to millionths, rounding at Precision.
func ToMicro(x float64) Micro { return Micro(math.Round(x * scale)) }

// FromMicro converts millionths to points.
func FromMicro(m Micro) float64 { return float64(m) / scale }

// Acc is a running sum and count.
type Acc struct {
	Sum Micro
	N   int
}

// Mean is the plain mean at Precision; zero when empty.
func (a Acc) Mean() float64 {
	if a.N == 0 {
		return 0
	}
	return round(float64(a.Sum) / float64(a.N) / scale)
}

// Tally is what combining a stage's raters for one subject needs, and all
// it needs: the count, sum, lowest and highest of the raters' totals, each
// indicator's sum and count, and how many raters failed each veto item. It
// can be built one sheet at a time (Add) or read straight from SQL
// aggregates (COUNT, SUM, MIN, MAX … GROUP BY), so a round of ten million
// scores never has to sit in memory as results.
type Tally struct {
	Raters     int
	Sum        Micro
	Min, Max   Micro
	Indicators map[string]Acc
	VetoMarks  map[string]int
}

// Add counts one rater's result.
func (t *Tally) Add(r Result) {
	total := ToMicro(r.Total)
	if t.Raters == 0 || total < t.Min {
		t.Min = total
	}
	if t.Raters == 0 || total > t.Max {
		t.Max = total
	}
	t.Raters++
	t.Sum += total
	if t.Indicators == nil {
		t.Indicators = make(map[string]Acc, len(r.Scores))
	}
	for code, v := range r.Scores {
		a := t.Indicators[code]
		a.Sum += ToMicro(v)
		a.N++
		t.Indicators[code] = a
	}
	for _, code := range r.Vetoed {
		if t.VetoMarks == nil {
			t.VetoMarks = make(map[string]int)
		}
		t.VetoMarks[code]++
	}
}

// TallyOf tallies results.
func TallyOf(results []Result) Tally {
	var t Tally
	for _, r := range results {
		t.Add(r)
	}
	return t
}

// CombineStage combines the results of a stage's raters for one subject:
// the mean of their totals, or the trimmed mean when the stage says so and
// at least TrimMinRaters submitted; per-indicator plain means; and the veto
// items the stage decides (s may be nil for a stage that decides none). A
// veto is decided even when the stage has too few submissions: it records
// a fact, not an average. The order of results does not matter: figures
// are summed as integers of millionths, so any permutation gives the same
// bits.
func CombineStage(s *Scheme, st Stage, results []Result) StageResult {
	return CombineTally(s, st, TallyOf(results))
}

// CombineTally is CombineStage from a tally.
func CombineTally(s *Scheme, st Stage, t Tally) StageResult {
	out := StageResult{Stage: st, Raters: t.Raters, PerIndicator: make(map[string]float64, len(t.Indicators))}
	name := st.label()
	if t.Raters < st.minRaters() {
		out.TooFew = true
		out.Explanation = append(out.Explanation, fmt.Sprintf("%s：%d 人提交，少于所需的 %d 人，未计入", name, t.Raters, st.minRaters()))
	}
	if t.Raters > 0 {
		if st.Combine == TrimmedMean && t.Raters >= TrimMinRaters {
			out.Trimmed = true
			out.Total = Acc{Sum: t.Sum - t.Min - t.Max, N: t.Raters - 2}.Mean()
			out.Explanation = append(out.Explanation, fmt.Sprintf("%s：%d 人评分，去掉一个最高分 %s 分和一个最低分 %s 分，平均 %s 分",
				name, t.Raters, pts(FromMicro(t.Max)), pts(FromMicro(t.Min)), pts(out.Total)))
		} else {
			out.Total = Acc{Sum: t.Sum, N: t.Raters}.Mean()
			how := fmt.Sprintf("%s：%d 人评分，平均 %s 分", name, t.Raters, pts(out.Total))
			if st.Combine == TrimmedMean {
				how += fmt.Sprintf("（不足 %d 人，不去掉最高分和最低分）", TrimMinRaters)
			}
			out.Explanation = append(out.Explanation, how)
		}
		for code, a := range t.Indicators {
			out.PerIndicator[code] = a.Mean()
		}
	}
	if s != nil {
		out.Vetoed, out.Explanation = vetoes(s, st, t, out.Explanation)
		out.VetoFailed = len(out.Vetoed) > 0
	}
	return out
}

// vetoes returns the veto items stage st fails: an office-decided item when
// any office verifier marked it, a majority-decided one when more than half
// of the submissions in its deciding stage did.
func vetoes(s *Scheme, st Stage, t Tally, ex []string) ([]string, []string) {
	var failed []string
	s.Walk(func(ind, _ *Indicator, _ int) {
		v, ok := vetoOf(ind.Rule)
		if !ok {
			return
		}
		marks := t.VetoMarks[ind.Code]
		switch {
		case v.By == VetoByOffice && st.Kind == StageOffice && marks > 0:
			failed = append(failed, ind.Code)
			ex = append(ex, fmt.Sprintf("一票否决指标 %s“%s”：经%s认定未通过", ind.Code, ind.Name, st.label()))
		case v.By == VetoByMajority && st.Kind == v.stage() && 2*marks > t.Raters:
			failed = append(failed, ind.Code)
			ex = append(ex, fmt.Sprintf("一票否决指标 %s“%s”：%s %d 人中 %d 人认定未通过，过半数", ind.Code, ind.Name, st.label(), t.Raters, marks))
		}
	})
	return failed, ex
}

// Ratings is a public-rating stage's votes for one subject, as counts:
// what PublicStage needs and what SQL aggregates give.
type Ratings struct {
	N         int // votes
	Satisfied int // votes of 4 or 5
	Sum       int // sum of the ratings
}

// CountRatings counts ratings, refusing one outside 1–5.
func CountRatings(ratings []int) (Ratings, error) {
	var c Ratings
	for i, r := range ratings {
		if r < 1 || r > 5 {
			return Ratings{}, invalidRating(i, r)
		}
		c.N++
		c.Sum += r
		if r >= 4 {
			c.Satisfied++
		}
	}
	return c, nil
}
