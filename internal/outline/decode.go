package outline

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"pufa/internal/upload"
)

// Encoding names the character encoding an input was read in.
type Encoding string

// The encodings Decode recognises, and the .docx pseudo-encoding.
const (
	EncodingUTF8    Encoding = "utf-8"
	EncodingGB18030 Encoding = "gb18030" // GB18030 is a superset of GBK and GB2312
	EncodingUTF16LE Encoding = "utf-16le"
	EncodingUTF16BE Encoding = "utf-16be"
	EncodingDocx    Encoding = "docx"
)

// maxBadRunes is the share of undecodable characters (one in this many)
// above which a GB18030 reading is judged wrong rather than damaged.
const maxBadRunes = 50

// Decode reads text bytes: UTF-8 with or without a byte-order mark,
// UTF-16 with one, and otherwise GB18030 (which covers GBK and GB2312, the
// encodings of Chinese Windows). Bytes that are valid UTF-8 are taken as
// UTF-8: Chinese text in GB18030 is almost never valid UTF-8 by accident.
// Binary content (control characters other than whitespace) is refused
// with an *upload.InvalidError.
func Decode(data []byte) (string, Encoding, error) {
	switch {
	case len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF:
		return strings.ToValidUTF8(string(data[3:]), "\uFFFD"), EncodingUTF8, nil
	case len(data) >= 2 && data[0] == 0xFF && data[1] == 0xFE:
		return decodeUTF16(data[2:], false)
	case len(data) >= 2 && data[0] == 0xFE && data[1] == 0xFF:
		return decodeUTF16(data[2:], true)
	}
	if !isText(data) {
		return "", "", &upload.InvalidError{Reason: "文件不是文本文件，也不是 .docx 文档，无法识别其内容"}
	}
	if utf8.Valid(data) {
		return string(data), EncodingUTF8, nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", &upload.InvalidError{Reason: "无法识别文本的编码，请另存为 UTF-8 后再导入", Err: err}
	}
	s := string(out)
	runes, bad := 0, 0
	for _, r := range s {
		runes++
		if r == utf8.RuneError {
			bad++
		}
	}
	if bad*maxBadRunes > runes {
		return "", "", &upload.InvalidError{Reason: "无法识别文本的编码，请另存为 UTF-8 后再导入"}
	}
	return strings.TrimPrefix(s, "\uFEFF"), EncodingGB18030, nil
}

// decodeUTF16 decodes UTF-16 after its byte-order mark.
func decodeUTF16(b []byte, bigEndian bool) (string, Encoding, error) {
	if len(b)%2 != 0 {
		return "", "", &upload.InvalidError{Reason: "UTF-16 文本不完整（字节数为奇数），文件可能已损坏"}
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	s := string(utf16.Decode(u))
	if !isText([]byte(s)) {
		return "", "", &upload.InvalidError{Reason: "文件不是文本文件，也不是 .docx 文档，无法识别其内容"}
	}
	if bigEndian {
		return s, EncodingUTF16BE, nil
	}
	return s, EncodingUTF16LE, nil
}

// isText reports whether data holds no C0 control character other than
// whitespace, and no DEL: ASCII-compatible text in any encoding passes,
// binaries almost never do.
func isText(data []byte) bool {
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' || c == 0x7F {
			return false
		}
	}
	return true
}
