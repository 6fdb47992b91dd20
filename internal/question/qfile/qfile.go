// Package qfile reads question-bank files (plain text in UTF-8 or
// GB18030, .docx, .xlsx) into a question.Bank. It decides what a file is
// from its content, not its name, and runs the upload checks before any
// zip is read, so a zip bomb costs nothing.
//
// It is separate from package question because reading .xlsx needs the
// spreadsheet library, whose dependencies a capability package must not
// carry.
package qfile

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"

	"pufa/internal/app"
	"pufa/internal/outline"
	"pufa/internal/question"
	"pufa/internal/upload"
	"pufa/internal/xlsx"
)

// MaxRows bounds the rows read from one sheet of a workbook.
const MaxRows = 20000

// maxSheets bounds the sheets of a workbook read as sections.
const maxSheets = 20

// Limits are the upload limits a question-bank file is checked against:
// those of a document, the stricter of pufa's two zip profiles.
func Limits() upload.Limits { return upload.DefaultDocument() }

var (
	magicZip      = []byte("PK\x03\x04")
	magicEmptyZip = []byte("PK\x05\x06")
	magicOLE      = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
)

// Read parses a question-bank file held in memory: a .docx, a .xlsx, or
// text. Read it with upload.ReadLimited(r, Limits().MaxBytes) first.
//
// Errors for the uploader are *upload.TooLargeError, *upload.InvalidError
// or *app.Error, all with a Chinese message (app.ErrorMessage gives it
// without internal causes).
func Read(data []byte) (*question.Bank, error) {
	l := Limits()
	switch {
	case len(data) == 0:
		return nil, &upload.InvalidError{Reason: "文件是空的"}
	case int64(len(data)) > l.MaxBytes:
		return nil, &upload.TooLargeError{Limit: l.MaxBytes}
	case bytes.HasPrefix(data, magicZip), bytes.HasPrefix(data, magicEmptyZip):
		return readZip(data, l)
	case bytes.HasPrefix(data, magicOLE):
		return nil, &upload.InvalidError{Reason: "文件是旧版 .doc/.xls 格式或已加密，请去除密码并另存为 .docx 或 .xlsx 后再导入"}
	}
	text, err := DecodeText(data)
	if err != nil {
		return nil, err
	}
	return question.ParseText(text), nil
}

// readZip checks a zip against the limits from its central directory, then
// reads it as a .docx or a .xlsx by the part it holds.
func readZip(data []byte, l upload.Limits) (*question.Bank, error) {
	zr, err := upload.OpenZip(bytes.NewReader(data), int64(len(data)), l)
	if err != nil {
		return nil, err
	}
	var doc, book *zip.File
	for _, f := range zr.File {
		switch strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/")) {
		case "word/document.xml":
			doc = f
		case "xl/workbook.xml":
			book = f
		}
	}
	switch {
	case doc != nil && book == nil:
		// The outline engine's reader: paragraphs with Word's automatic
		// numbers written out, deletions and field codes skipped.
		text, err := outline.DocxText(data)
		if err != nil {
			return nil, err
		}
		return question.ParseText(text), nil
	case book != nil && doc == nil:
		return readWorkbook(data, book, l)
	}
	return nil, &upload.InvalidError{Reason: "文件是压缩包，但不是 .docx 或 .xlsx 文件"}
}

// readWorkbook reads every visible sheet that has a question column.
func readWorkbook(data []byte, book *zip.File, l upload.Limits) (*question.Bank, error) {
	names, err := sheetNames(book, l)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 || len(names) > maxSheets {
		// Let the reader pick the first visible sheet.
		names = []string{""}
	}
	var tables []question.Table
	var firstErr error
	for _, name := range names {
		// The document limits were checked above; these are the looser
		// ones pufa gives spreadsheets, which also bound excelize.
		s, err := xlsx.ReadSheetNamed(data, upload.DefaultSpreadsheet(), MaxRows, name)
		if err != nil {
			var tooLarge *upload.TooLargeError
			if errors.As(err, &tooLarge) || app.ErrorCode(err) == app.ETOOLARGE {
				return nil, err
			}
			// An empty "Sheet2" is what old Excel versions add to every
			// workbook; skip it and report only if no sheet can be read.
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		tables = append(tables, question.Table{Name: s.Name, Header: s.Header, Rows: s.Rows, RowNumbers: s.RowNumbers})
	}
	if len(tables) == 0 {
		return nil, firstErr
	}
	return question.FromTables(tables...)
}
