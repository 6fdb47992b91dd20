package xlsx

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"pufa/internal/app"
	"pufa/internal/upload"
)

// maxColumns bounds a row's width. Import templates have a few dozen
// columns; a cell at column XFD of every row would otherwise cost 16,384
// strings per row.
const maxColumns = 256

// xmlInMemory is the largest sheet or shared-string part excelize keeps in
// memory; larger parts are unzipped to a temporary file and streamed.
const xmlInMemory = 16 << 20

// Sheet is one worksheet read for import.
type Sheet struct {
	// Name is the worksheet's name.
	Name string
	// Header is the first non-empty row, trimmed.
	Header []string
	// Rows are the non-empty rows after the header, each cell trimmed and
	// each row at least as long as Header.
	Rows [][]string
	// RowNumbers[i] is the row number of Rows[i] as the spreadsheet shows
	// it, so an import error can point the user at the right line.
	RowNumbers []int

	index map[string]int // normalized header → column, built by ReadSheet
}

// ReadSheet reads the first visible worksheet of an uploaded .xlsx; see
// ReadSheetNamed.
func ReadSheet(data []byte, limits upload.Limits, maxRows int) (*Sheet, error) {
	return ReadSheetNamed(data, limits, maxRows, "")
}

// ReadSheetNamed reads the worksheet called name, or the first visible one
// when name is empty (templates hide the sheets their drop-down lists come
// from). It runs upload.CheckZip before excelize parses anything, bounds
// excelize's unzipping by limits, and stops with an app.ETOOLARGE error
// ("表格超过 5000 行上限") at the first data row past maxRows.
//
// Cells come back as displayed (numbers formatted, dates as yyyy-mm-dd or
// yyyy-mm-dd hh:mm), trimmed of spaces including full-width ones, with the
// formula-injection quote that Writer adds removed. A cell's text may thus
// begin with "=": it is data, never to be evaluated.
//
// Errors for the uploader are *upload.TooLargeError, *upload.InvalidError
// or *app.Error.
func ReadSheetNamed(data []byte, limits upload.Limits, maxRows int, name string) (*Sheet, error) {
	if maxRows <= 0 {
		return nil, fmt.Errorf("xlsx: maxRows %d must be positive", maxRows)
	}
	if err := upload.CheckZip(data, limits); err != nil {
		return nil, err
	}
	if _, err := upload.Sniff("upload.xlsx", data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    limits.MaxUncompressed,
		UnzipXMLSizeLimit: min(limits.MaxUncompressed, xmlInMemory),
		ShortDatePattern:  "yyyy-mm-dd", // what Chinese Office shows for the built-in date formats
		CultureInfo:       excelize.CultureNameZhCN,
	})
	if err != nil {
		return nil, &upload.InvalidError{Reason: "文件不是有效的 .xlsx 文件", Err: err}
	}
	defer f.Close()

	if name == "" {
		if name = firstVisibleSheet(f); name == "" {
			return nil, &upload.InvalidError{Reason: "表格中没有可见的工作表"}
		}
	} else if idx, _ := f.GetSheetIndex(name); idx < 0 {
		return nil, &upload.InvalidError{Reason: fmt.Sprintf("表格中没有名为 %q 的工作表", name)}
	}
	rows, err := f.Rows(name)
	if err != nil {
		return nil, &upload.InvalidError{Reason: fmt.Sprintf("无法读取工作表 %q", name), Err: err}
	}
	defer rows.Close()

	s := &Sheet{Name: name}
	for rowNum := 1; rows.Next(); rowNum++ {
		cells, err := rows.Columns()
		if err != nil {
			return nil, &upload.InvalidError{Reason: fmt.Sprintf("表格第 %d 行无法读取", rowNum), Err: err}
		}
		cells = cleanRow(cells)
		if len(cells) == 0 {
			continue
		}
		if len(cells) > maxColumns {
			return nil, app.Errorf(app.ETOOLARGE, "表格第 %d 行超过 %d 列上限", rowNum, maxColumns)
		}
		if s.Header == nil {
			s.Header = cells
			continue
		}
		if len(s.Rows) == maxRows {
			return nil, app.Errorf(app.ETOOLARGE, "表格超过 %d 行上限", maxRows)
		}
		for len(cells) < len(s.Header) {
			cells = append(cells, "")
		}
		s.Rows = append(s.Rows, cells)
		s.RowNumbers = append(s.RowNumbers, rowNum)
	}
	if err := rows.Error(); err != nil {
		return nil, &upload.InvalidError{Reason: fmt.Sprintf("无法读取工作表 %q", name), Err: err}
	}
	if s.Header == nil {
		return nil, &upload.InvalidError{Reason: fmt.Sprintf("工作表 %q 是空的", name)}
	}
	s.index = make(map[string]int, len(s.Header))
	for i, h := range s.Header {
		if k := normalizeHeader(h); k != "" {
			if _, dup := s.index[k]; !dup {
				s.index[k] = i
			}
		}
	}
	return s, nil
}

// firstVisibleSheet returns the first worksheet a user sees, or "".
func firstVisibleSheet(f *excelize.File) string {
	for _, n := range f.GetSheetList() {
		if visible, err := f.GetSheetVisible(n); err == nil && visible {
			return n
		}
	}
	return ""
}

// cleanRow trims every cell, removes Writer's formula escape, and drops
// trailing empty cells, so a row of formatted blanks counts as empty.
func cleanRow(cells []string) []string {
	end := 0
	for i, c := range cells {
		c = trim(unescapeFormula(c))
		cells[i] = c
		if c != "" {
			end = i + 1
		}
	}
	return cells[:end:end]
}

// unescapeFormula undoes escapeFormula.
func unescapeFormula(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.IndexByte("=+-@\t\r", s[1]) >= 0 {
		return s[1:]
	}
	return s
}

// trim removes white space, including the ideographic space U+3000, and the
// zero-width characters that text pasted from web pages carries.
func trim(s string) string {
	return strings.TrimFunc(s, isBlank)
}

// isBlank reports white space and invisible zero-width characters.
func isBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200B' || r == '\uFEFF'
}

// Index returns the column of the header matching name, or -1. Headers
// match when they are equal after removing all spaces (half- and
// full-width), folding full-width ASCII to half-width and letters to lower
// case, and dropping the "*" (or "＊") that templates put before or after a
// required column's name.
func (s *Sheet) Index(name string) int {
	k := normalizeHeader(name)
	if k == "" {
		return -1
	}
	if s.index != nil {
		if i, ok := s.index[k]; ok {
			return i
		}
		return -1
	}
	for i, h := range s.Header { // a Sheet built by hand has no index
		if normalizeHeader(h) == k {
			return i
		}
	}
	return -1
}

// Col returns row's cell in the column whose header matches header (see
// Index), or "" if there is no such column.
func (s *Sheet) Col(row []string, header string) string {
	i := s.Index(header)
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

// normalizeHeader is the form headers are compared in.
func normalizeHeader(h string) string {
	var b strings.Builder
	for _, r := range h {
		switch {
		case isBlank(r):
			continue
		case 0xFF01 <= r && r <= 0xFF5E: // full-width ASCII, e.g. （ ） ＊
			r -= 0xFEE0
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.Trim(b.String(), "*")
}

// Len is the number of data rows.
func (s *Sheet) Len() int { return len(s.Rows) }

// Row returns data row i and its row number as the spreadsheet shows it.
func (s *Sheet) Row(i int) (cells []string, number int) { return s.Rows[i], s.RowNumbers[i] }
