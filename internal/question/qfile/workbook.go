package qfile

import (
	"archive/zip"
	"encoding/xml"
	"errors"

	"pufa/internal/upload"
)

// sheetNames lists a workbook's visible sheets from xl/workbook.xml.
func sheetNames(book *zip.File, l upload.Limits) ([]string, error) {
	rc, err := upload.OpenEntry(book, l)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var wb struct {
		Sheets []struct {
			Name  string `xml:"name,attr"`
			State string `xml:"state,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.NewDecoder(rc).Decode(&wb); err != nil {
		var inv *upload.InvalidError
		if errors.As(err, &inv) {
			return nil, err
		}
		return nil, &upload.InvalidError{Reason: "文件不是有效的 .xlsx 文件", Err: err}
	}
	var names []string
	for _, s := range wb.Sheets {
		if s.State == "" || s.State == "visible" {
			names = append(names, s.Name)
		}
	}
	return names, nil
}
