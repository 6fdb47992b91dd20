// Package assess is the scoring engine of the assessment capability
// (考评指标体系): an indicator scheme is a tree of indicators with points and
// scoring rules; a rater's score sheet for one subject is scored against it
// (Score); a stage's raters are combined (CombineStage, PublicStage); the
// stages are weighted into a round total (RoundTotal); totals become grades
// and ranks (Grader, Rank).
//
// It is a pure engine: no files, no database, no network. The functions are
// deterministic, so the same sheets always give the same figures, in any
// order of raters.
//
// Errors about input are app.Invalid errors with a Chinese message; when the
// error is about one indicator its Field is the indicator's code, so a form
// or a tree editor can point at the row.
//
// Figures are rounded to a millionth of a point (Precision) where the engine
// computes them, and compared at that precision in grading and ranking, so
// floating-point noise such as 89.99999999999999 never costs a subject its
// grade or splits a tie.
package assess

import (
	"math"
	"strconv"
)

// Precision is the finest difference between two figures the engine
// recognises: computed figures are rounded to it, and totals closer than it
// are equal for grades and ranks.
const Precision = 1e-6

// scale is 1/Precision.
const scale = 1e6

// tolerance is how far sums of points may drift from their parent's points
// through floating-point addition and still count as equal.
const tolerance = 1e-9

// round rounds x to Precision.
func round(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	// Dividing by the scale, not multiplying by Precision, gives the
	// double nearest the decimal: 1.1, not 1.0999999999999999.
	return math.Round(x*scale) / scale
}

// key is the comparable form of a total: rounded to Precision, with NaN
// below everything so a corrupt figure can never rank first.
func key(x float64) float64 {
	if math.IsNaN(x) {
		return math.Inf(-1)
	}
	return round(x)
}

// pts formats points for an explanation: at most two decimals, no trailing
// zeros ("90", "1.25", "0.3").
func pts(x float64) string {
	x = math.Round(x*100) / 100
	if x == 0 {
		x = 0 // no "-0"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// signed formats points with an explicit sign, for bonus and penalty.
func signed(x float64) string {
	if x >= 0 {
		return "+" + pts(x)
	}
	return pts(x)
}

// percent formats a share as a percentage with at most one decimal.
func percent(x float64) string {
	return strconv.FormatFloat(math.Round(x*1000)/10, 'f', -1, 64) + "%"
}

// finite reports whether x is a real number.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
