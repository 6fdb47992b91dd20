package upload

import (
	"archive/zip"
	"bytes"
	"strings"
)

// Kind is a file type pufa accepts, named by its usual extension.
type Kind string

// The kinds of file pufa accepts.
const (
	DOCX Kind = "docx"
	XLSX Kind = "xlsx"
	TXT  Kind = "txt"
	PNG  Kind = "png"
	JPEG Kind = "jpg"
	PDF  Kind = "pdf"
)

// ContentType returns the MIME type to serve a file of kind k with.
func (k Kind) ContentType() string {
	switch k {
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case TXT:
		return "text/plain; charset=utf-8"
	case PNG:
		return "image/png"
	case JPEG:
		return "image/jpeg"
	case PDF:
		return "application/pdf"
	}
	return "application/octet-stream"
}

// Magic numbers. The OLE compound file header marks both legacy
// .doc/.xls files and password-protected .docx/.xlsx, which Office wraps
// in an encrypted OLE container.
const (
	magicPNG     = "\x89PNG\r\n\x1a\n"
	magicJPEG    = "\xFF\xD8\xFF"
	magicPDF     = "%PDF-"
	magicZip     = "PK\x03\x04"
	magicOLE     = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
	magicUTF16LE = "\xFF\xFE"
	magicUTF16BE = "\xFE\xFF"
)

// hasPrefix reports whether data starts with magic, without allocating.
func hasPrefix(data []byte, magic string) bool {
	return len(data) >= len(magic) && string(data[:len(magic)]) == magic
}

// Sniff decides what data is from its content (magic bytes, and for a zip
// the presence of word/document.xml or xl/workbook.xml) and refuses it
// unless the extension of name says the same, so a renamed executable or a
// spreadsheet uploaded where a document is expected is caught at the door.
// Sniff reads only the zip's central directory; run CheckZip for the limits.
// A .txt is accepted in any ASCII-compatible encoding (UTF-8, GB18030) or
// UTF-16 with a byte-order mark; decoding it is the reader's job.
// Errors are *InvalidError with a Chinese reason.
func Sniff(name string, data []byte) (Kind, error) {
	want, ok := kindOfName(name)
	if !ok && extOf(name) == "" {
		return "", invalid(nil, "文件名 %q 没有扩展名，无法判断文件类型", name)
	}
	if !ok {
		return "", invalid(nil, "不支持的文件类型 %q，请上传 .docx、.xlsx、.txt、.png、.jpg 或 .pdf 文件", extOf(name))
	}
	if len(data) == 0 {
		return "", invalid(nil, "文件是空的")
	}
	if hasPrefix(data, magicOLE) {
		if want == DOCX || want == XLSX {
			return "", invalid(nil, "文件是旧版 Office 格式或已加密，请去除密码并另存为 .%s 后再上传", want)
		}
		return "", invalid(nil, "文件内容与扩展名 .%s 不符", want)
	}
	got, ok := sniffContent(data)
	if !ok {
		return "", invalid(nil, "文件内容不是有效的 .%s 文件", want)
	}
	if got != want {
		return "", invalid(nil, "文件扩展名是 .%s，但内容是 .%s 文件", want, got)
	}
	return got, nil
}

// sniffContent names the kind of data, or reports false if it is none of
// the accepted kinds.
func sniffContent(data []byte) (Kind, bool) {
	switch {
	case hasPrefix(data, magicPNG):
		return PNG, true
	case hasPrefix(data, magicJPEG):
		return JPEG, true
	case hasPrefix(data, magicPDF):
		return PDF, true
	case hasPrefix(data, magicZip):
		return sniffOOXML(data)
	case looksLikeText(data):
		return TXT, true
	}
	return "", false
}

// sniffOOXML tells a .docx from a .xlsx by its main part. Both at once is
// not something Office writes, so it is refused as ambiguous.
func sniffOOXML(data []byte) (Kind, bool) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", false
	}
	var doc, book bool
	for _, f := range zr.File {
		switch strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/")) {
		case "word/document.xml":
			doc = true
		case "xl/workbook.xml":
			book = true
		}
	}
	switch {
	case doc && !book:
		return DOCX, true
	case book && !doc:
		return XLSX, true
	}
	return "", false
}

// looksLikeText accepts UTF-16 with a byte-order mark, and otherwise any
// bytes without C0 controls other than whitespace: GB18030 and UTF-8 both
// pass, binaries almost never do.
func looksLikeText(data []byte) bool {
	if hasPrefix(data, magicUTF16LE) || hasPrefix(data, magicUTF16BE) {
		return len(data)%2 == 0
	}
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' {
			return false
		}
		if c == 0x7F {
			return false
		}
	}
	return true
}

// kindOfName maps the extension of name to a Kind.
func kindOfName(name string) (Kind, bool) {
	switch extOf(name) {
	case ".docx":
		return DOCX, true
	case ".xlsx":
		return XLSX, true
	case ".txt":
		return TXT, true
	case ".png":
		return PNG, true
	case ".jpg", ".jpeg":
		return JPEG, true
	case ".pdf":
		return PDF, true
	}
	return "", false
}

// extOf returns the lower-case extension of name, including the dot. It
// splits on both separators because old browsers send "C:\fakepath\a.docx".
func extOf(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(name[i:]))
}
