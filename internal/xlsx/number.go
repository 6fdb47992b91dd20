package xlsx

import (
	"math"

	"github.com/xuri/excelize/v2"
)

// Number formats for Number cells.
const (
	// Hundredths shows a score: 92.50.
	Hundredths = "0.00"
	// Percent shows a share stored as a fraction: 0.965 shows as 96.5%.
	Percent = "0.0%"
)

// Number is a numeric cell shown in an Excel number format, so a share
// stays a number people can sum and sort yet reads as 96.5%, and scores
// line up at two decimals. A NaN or infinite Value is an empty cell.
type Number struct {
	Value  float64
	Format string
}

// number returns the cell for n, making one style per format.
func (w *Writer) number(n Number) any {
	if math.IsNaN(n.Value) || math.IsInf(n.Value, 0) {
		return nil
	}
	if n.Format == "" {
		return n.Value
	}
	style, ok := w.formats[n.Format]
	if !ok {
		format := n.Format
		id, err := w.f.NewStyle(&excelize.Style{CustomNumFmt: &format})
		if err != nil {
			// A format excelize refuses is a programming error; the value
			// is still worth writing.
			return n.Value
		}
		if w.formats == nil {
			w.formats = map[string]int{}
		}
		w.formats[n.Format], style = id, id
	}
	return excelize.Cell{StyleID: style, Value: n.Value}
}
