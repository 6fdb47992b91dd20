package quiz

import (
	"math"
	"strconv"
)

// Hundredths is a figure in hundredths, kept as an integer so every score,
// mean and share the package computes is exact and a test or an auditor
// recomputing it from the raw responses gets the same number, compared
// with ==: 8750 is 87.50 points, or 87.50% for a share.
type Hundredths int64

// Full is a full score out of 100, in hundredths.
const Full Hundredths = 100_00

// Float returns h as a float64: 8750 is 87.5.
func (h Hundredths) Float() float64 { return float64(h) / 100 }

// String formats h with at most two decimals and no trailing zeros:
// "87.5", "60", "0.05".
func (h Hundredths) String() string { return strconv.FormatFloat(h.Float(), 'f', -1, 64) }

// hundredths converts x to hundredths. ok is false when x is not a finite
// number with at most two decimals (60, 2.5 and 0.01 are; 1/3 is not), so a
// figure the office typed is never rounded behind its back.
func hundredths(x float64) (h Hundredths, ok bool) {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e12 {
		return 0, false
	}
	c := math.Round(x * 100)
	if math.Abs(x*100-c) > 1e-6*math.Max(1, math.Abs(c)) {
		return 0, false
	}
	return Hundredths(c), true
}

// divRound returns num/den rounded to the nearest integer, halves away
// from zero, as math.Round and so exam.Score round. num ≥ 0 and den > 0.
func divRound(num, den int64) int64 { return (2*num + den) / (2 * den) }
