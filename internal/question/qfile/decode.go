package qfile

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"pufa/internal/upload"
)

var (
	bomUTF8    = []byte("\xEF\xBB\xBF")
	bomUTF16LE = []byte("\xFF\xFE")
	bomUTF16BE = []byte("\xFE\xFF")
)

// DecodeText decodes a text file to UTF-8: UTF-8 with or without a
// byte-order mark, UTF-16 with one, or else GB18030 (which includes GBK
// and GB2312, what Notepad on Chinese Windows saves as "ANSI"). A UTF-8
// file with a few broken bytes, such as one cut in the middle of a
// character, stays UTF-8 with the broken bytes replaced. Binary data is
// refused with an *upload.InvalidError.
func DecodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return strings.ToValidUTF8(string(data[len(bomUTF8):]), "\uFFFD"), nil
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, bomUTF16BE):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", &upload.InvalidError{Reason: "文件是 UTF-16 文本，但内容已损坏", Err: err}
		}
		return string(out), nil
	}
	if binary(data) {
		return "", &upload.InvalidError{Reason: "文件不是文本、.docx 或 .xlsx 文件，无法读取题目"}
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	if cutUTF8(data) || mostlyUTF8(data) {
		return strings.ToValidUTF8(string(data), "\uFFFD"), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || strings.Count(string(out), "\uFFFD")*100 > utf8.RuneCount(out) {
		return "", &upload.InvalidError{Reason: "无法识别文件的文字编码，请另存为 UTF-8 编码的文本后再导入", Err: err}
	}
	return string(out), nil
}

// binary reports data no text file holds: a NUL byte, or control
// characters other than white space in more than one byte in a thousand.
func binary(data []byte) bool {
	controls := 0
	for _, c := range data {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v', c == 0x7F:
			controls++
		}
	}
	return controls*1000 > len(data)
}

// mostlyUTF8 reports data that is UTF-8 but for a few broken bytes: at
// most one invalid byte per hundred well-formed multi-byte characters.
// GB18030 text read as UTF-8 is invalid almost everywhere.
func mostlyUTF8(data []byte) bool {
	multi, bad := 0, 0
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		switch {
		case r == utf8.RuneError && n == 1:
			bad++
		case n > 1:
			multi++
		}
		data = data[n:]
	}
	return multi > 0 && bad*100 <= multi
}

// cutUTF8 reports UTF-8 cut inside its last character, as a file
// truncated by a download or an upload limit is.
func cutUTF8(data []byte) bool {
	for k := 1; k <= 3 && k < len(data); k++ {
		if utf8.Valid(data[:len(data)-k]) && !utf8.FullRune(data[len(data)-k:]) {
			return true
		}
	}
	return false
}
