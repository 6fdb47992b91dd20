package upload

import (
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	docx, xlsx := minimalDocx(t), realXlsx(t)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpg := []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00")
	pdf := []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	ole := []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00")
	gbk := []byte("\xc6\xd5\xb7\xa8\xb9\xa4\xd7\xf7\r\n") // 普法工作 in GBK
	utf16 := []byte("\xFF\xFE\x6E\x66\xD5\x6C")           // 普法 in UTF-16LE
	both := buildZip(t, entry{"word/document.xml", "x"}, entry{"xl/workbook.xml", "y"})
	for _, tc := range []struct {
		name   string
		data   []byte
		want   Kind
		substr string // of the error, when one is expected
	}{
		{"要点.docx", docx, DOCX, ""},
		{"模板.XLSX", xlsx, XLSX, ""},
		{`C:\fakepath\要点.docx`, docx, DOCX, ""},
		{"a.png", png, PNG, ""},
		{"a.jpg", jpg, JPEG, ""},
		{"a.jpeg", jpg, JPEG, ""},
		{"a.pdf", pdf, PDF, ""},
		{"a.txt", []byte("第一条 为了……\n"), TXT, ""},
		{"a.txt", gbk, TXT, ""},
		{"a.txt", utf16, TXT, ""},
		{"a.docx", xlsx, "", "扩展名是 .docx，但内容是 .xlsx"},
		{"a.xlsx", docx, "", "扩展名是 .xlsx，但内容是 .docx"},
		{"a.png", jpg, "", "扩展名是 .png，但内容是 .jpg"},
		{"a.txt", pdf, "", "扩展名是 .txt，但内容是 .pdf"},
		{"a.pdf", []byte("MZ\x90\x00\x03"), "", "不是有效的 .pdf"},
		{"a.docx", ole, "", "旧版 Office 格式或已加密"},
		{"a.txt", ole, "", "与扩展名 .txt 不符"},
		{"a.docx", both, "", "不是有效的 .docx"},
		{"a.docx", []byte("PK\x03\x04 truncated"), "", "不是有效的 .docx"},
		{"a.docx", nil, "", "空的"},
		{"setup.exe", []byte("MZ"), "", "不支持的文件类型"},
		{"README", []byte("hi"), "", "没有扩展名"},
		{"a.txt", []byte("bin\x00ary"), "", "不是有效的 .txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Sniff(tc.name, tc.data)
			if tc.substr == "" {
				if err != nil || got != tc.want {
					t.Fatalf("got %q, %v; want %q", got, err, tc.want)
				}
				return
			}
			wantInvalid(t, err, tc.substr)
			if got != "" {
				t.Fatalf("kind %q returned with an error", got)
			}
		})
	}
}

func TestKind_ContentType(t *testing.T) {
	for _, k := range []Kind{DOCX, XLSX, TXT, PNG, JPEG, PDF} {
		if ct := k.ContentType(); ct == "application/octet-stream" || !strings.Contains(ct, "/") {
			t.Errorf("%s: %q", k, ct)
		}
	}
}
