// Package xlsx holds pufa's spreadsheet encoders and decoders: a streaming
// Writer for exports (ledgers, score sheets, consolidated comments) whose
// memory does not grow with the row count, and ReadSheet for imports, which
// runs the upload checks before excelize sees a byte.
//
// Exported text never becomes a formula: a string cell starting with one of
// = + - @ tab or carriage return is written with a leading single quote, the
// escape OWASP recommends against formula injection, which also survives a
// re-save as CSV. ReadSheet removes that quote again, so an export can be
// filled in and imported back unchanged.
package xlsx

import (
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// sampleRows is how many rows a Writer holds back to size the columns:
// enough to see typical values, few enough that memory stays flat.
const sampleRows = 100

// Column widths, in Excel's character units.
const (
	minColWidth = 8
	maxColWidth = 60
	timeWidth   = 16 // "2024-05-01 09:30"
)

// timeFormat is how time cells display; it is also what ReadSheet returns
// for them, so exports re-import cleanly.
const timeFormat = "yyyy-mm-dd hh:mm"

// Writer streams one workbook. Call AddSheet, then WriteRow for each row,
// and Finish once; Close releases temporary files on error paths. A Writer
// is not safe for concurrent use.
type Writer struct {
	f           *excelize.File
	loc         *time.Location
	headerStyle int
	timeStyle   int
	// wrapStyle wraps text wider than the widest column, so a long task
	// description reads in its cell instead of running off the sheet.
	wrapStyle int
	names     map[string]bool // sheet names in use, lower-cased as Excel compares them
	formats   map[string]int  // number format → style, made as Number cells need them

	sw      *excelize.StreamWriter // current sheet; nil before AddSheet
	headers []any
	pending [][]any // rows held back until the column widths are set
	row     int     // last row number written to sw
	done    bool
}

// NewWriter starts a workbook. Time cells are shown in loc (pass the
// zone users read times in; nil keeps each value's own zone).
func NewWriter(loc *time.Location) (*Writer, error) {
	f := excelize.NewFile()
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: header style: %w", err)
	}
	format := timeFormat
	tm, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: time style: %w", err)
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: wrap style: %w", err)
	}
	return &Writer{f: f, loc: loc, headerStyle: header, timeStyle: tm, wrapStyle: wrap, names: map[string]bool{}}, nil
}

// AddSheet ends the current sheet, if any, and starts one called name
// (made valid with SheetName) whose first row is headers: bold, frozen so
// it stays visible while scrolling.
func (w *Writer) AddSheet(name string, headers []string) error {
	if w.done {
		return errors.New("xlsx: AddSheet after Finish or Close")
	}
	name = SheetName(name)
	if w.names[strings.ToLower(name)] {
		return fmt.Errorf("xlsx: duplicate sheet name %q", name)
	}
	if err := w.endSheet(); err != nil {
		return err
	}
	if len(w.names) == 0 {
		if err := w.f.SetSheetName("Sheet1", name); err != nil {
			return fmt.Errorf("xlsx: naming sheet %q: %w", name, err)
		}
	} else if _, err := w.f.NewSheet(name); err != nil {
		return fmt.Errorf("xlsx: adding sheet %q: %w", name, err)
	}
	w.names[strings.ToLower(name)] = true
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("xlsx: sheet %q: %w", name, err)
	}
	w.sw, w.row, w.pending = sw, 0, nil
	w.headers = make([]any, len(headers))
	for i, h := range headers {
		w.headers[i] = excelize.Cell{StyleID: w.headerStyle, Value: escapeFormula(h)}
	}
	return nil
}

// WriteRow appends a row to the current sheet. Strings are escaped against
// formula injection; integers, floats and bools stay numbers; time.Time is
// a date cell shown as yyyy-mm-dd hh:mm; nil and zero times are empty
// cells; a fmt.Stringer is written as its text. Integers of 16 digits or
// more are written as text, because Excel keeps only 15 significant digits.
func (w *Writer) WriteRow(cells ...any) error {
	if w.sw == nil {
		return errors.New("xlsx: WriteRow before AddSheet")
	}
	row := make([]any, len(cells))
	for i, c := range cells {
		row[i] = w.value(c)
	}
	if w.row == 0 {
		w.pending = append(w.pending, row)
		if len(w.pending) < sampleRows {
			return nil
		}
		return w.flushPending()
	}
	return w.setRow(row)
}

// Finish ends the last sheet, writes the workbook to out and releases the
// Writer's temporary files.
func (w *Writer) Finish(out io.Writer) error {
	if w.done {
		return errors.New("xlsx: Finish called twice")
	}
	err := w.endSheet()
	if err == nil && len(w.names) == 0 {
		err = errors.New("xlsx: Finish without any sheet")
	}
	if err == nil {
		w.f.SetActiveSheet(0)
		err = w.f.Write(out)
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

// Close releases the Writer's temporary files without writing anything. It
// is safe to call after Finish, so `defer w.Close()` covers error paths.
func (w *Writer) Close() error {
	if w.done {
		return nil
	}
	w.done = true
	return w.f.Close()
}

// endSheet writes what the current sheet still holds back and flushes it.
func (w *Writer) endSheet() error {
	if w.sw == nil {
		return nil
	}
	if err := w.flushPending(); err != nil {
		return err
	}
	if err := w.sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: flushing sheet %q: %w", w.sw.Sheet, err)
	}
	w.sw = nil
	return nil
}

// flushPending sizes the columns from the header and the rows held back,
// freezes the header, and writes them all. Widths and panes must precede the
// first row in a streamed sheet, hence the holding back.
func (w *Writer) flushPending() error {
	if w.row > 0 {
		return nil
	}
	widths := make([]float64, 0, len(w.headers))
	measure := func(row []any) {
		for i, v := range row {
			if i == len(widths) {
				widths = append(widths, minColWidth)
			}
			widths[i] = max(widths[i], cellWidth(v))
		}
	}
	measure(w.headers)
	for _, r := range w.pending {
		measure(r)
	}
	for i, wd := range widths {
		if err := w.sw.SetColWidth(i+1, i+1, min(wd, maxColWidth)); err != nil {
			return fmt.Errorf("xlsx: column width: %w", err)
		}
	}
	if err := w.sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return fmt.Errorf("xlsx: freezing header: %w", err)
	}
	if err := w.setRow(w.headers); err != nil {
		return err
	}
	for _, r := range w.pending {
		if err := w.setRow(r); err != nil {
			return err
		}
	}
	w.pending = nil
	return nil
}

// setRow writes the next row.
func (w *Writer) setRow(row []any) error {
	w.row++
	cell, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return fmt.Errorf("xlsx: row %d: %w", w.row, err)
	}
	if err := w.sw.SetRow(cell, row); err != nil {
		return fmt.Errorf("xlsx: row %d: %w", w.row, err)
	}
	return nil
}

// value converts a Go value to what the stream writer should store.
func (w *Writer) value(v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return w.text(escapeFormula(v))
	case int, int32, int64, float64, bool:
		if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			return nil
		}
		if n, ok := v.(int64); ok && (n <= -1e15 || n >= 1e15) {
			return strconv.FormatInt(n, 10)
		}
		if n, ok := v.(int); ok && (n <= -1e15 || n >= 1e15) {
			return strconv.FormatInt(int64(n), 10)
		}
		return v // the common cases, without reflection
	case []byte:
		return escapeFormula(string(v))
	case Number:
		return w.number(v)
	case time.Time:
		return w.timeCell(v)
	case *time.Time:
		if v == nil {
			return nil
		}
		return w.timeCell(*v)
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && rv.IsNil() {
		return nil // before String, which a nil receiver may not survive
	}
	if s, ok := v.(fmt.Stringer); ok {
		return escapeFormula(s.String())
	}
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := rv.Int()
		if n <= -1e15 || n >= 1e15 {
			return strconv.FormatInt(n, 10) // a leading "-" here is a sign, not a formula
		}
		return n
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n := rv.Uint()
		if n >= 1e15 {
			return strconv.FormatUint(n, 10)
		}
		return n
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil // not a number a spreadsheet can hold
		}
		return f
	case reflect.String:
		return escapeFormula(rv.String())
	case reflect.Pointer:
		return w.value(rv.Elem().Interface())
	}
	return escapeFormula(fmt.Sprint(v))
}

// timeCell is a date cell in the Writer's zone, or empty for a zero time.
func (w *Writer) timeCell(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if w.loc != nil {
		t = t.In(w.loc)
	}
	return excelize.Cell{StyleID: w.timeStyle, Value: t}
}

// escapeFormula prefixes a single quote to text a spreadsheet would read as
// a formula (or as the start of one, after a tab or carriage return).
func escapeFormula(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// text returns a string cell, wrapped when it is wider than a column may
// grow.
func (w *Writer) text(s string) any {
	if cellWidth(s) > maxColWidth {
		return excelize.Cell{StyleID: w.wrapStyle, Value: s}
	}
	return s
}

// cellWidth estimates the column width a value needs: its widest line in
// display columns, CJK counting double, plus padding.
func cellWidth(v any) float64 {
	var s string
	switch v := v.(type) {
	case nil:
		return 0
	case excelize.Cell:
		if _, ok := v.Value.(time.Time); ok {
			return timeWidth + 2
		}
		return cellWidth(v.Value)
	case string:
		s = v
	default:
		s = fmt.Sprint(v)
	}
	widest := 0
	for line := range strings.SplitSeq(s, "\n") {
		widest = max(widest, displayWidth(line))
	}
	return float64(widest) + 2
}

// displayWidth counts East Asian wide and fullwidth characters as two
// columns, as spreadsheet fonts render them.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if isWide(r) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// isWide covers the blocks Chinese text is written in: Hangul Jamo,
// CJK radicals through Yi, Hangul syllables, compatibility ideographs,
// fullwidth forms, and the supplementary ideograph planes.
func isWide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r <= 0x115F,
		0x2E80 <= r && r <= 0xA4CF && r != 0x303F,
		0xAC00 <= r && r <= 0xD7A3,
		0xF900 <= r && r <= 0xFAFF,
		0xFE30 <= r && r <= 0xFE4F,
		0xFF00 <= r && r <= 0xFF60,
		0xFFE0 <= r && r <= 0xFFE6,
		0x20000 <= r && r <= 0x3FFFD:
		return true
	}
	return false
}

// SheetName makes s a valid sheet name: Excel forbids : \ / ? * [ ], a
// leading or trailing quote, and more than 31 characters. Names often come
// from data (a unit's name), so fixing is kinder than failing.
func SheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, strings.TrimSpace(strings.ToValidUTF8(s, "_")))
	s = strings.Trim(s, "'")
	// Excel counts UTF-16 units; a supplementary-plane character is two.
	units := 0
	for i, r := range s {
		u := 1
		if r > 0xFFFF {
			u = 2
		}
		if units+u > 31 {
			s = s[:i]
			break
		}
		units += u
	}
	s = strings.TrimRight(s, "'")
	if s == "" {
		return "Sheet"
	}
	return s
}
