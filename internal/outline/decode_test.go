package outline

import (
	"errors"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"

	"pufa/internal/app"
)

const sample = "2023年全国普法依法治理工作要点\n一、全面学习宣传贯彻党的二十大精神\n1 .把思想和行动统一到党的二十大精神上来。"

func utf16Bytes(s string, bigEndian bool) []byte {
	var b []byte
	if bigEndian {
		b = []byte{0xFE, 0xFF}
	} else {
		b = []byte{0xFF, 0xFE}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

func TestDecode(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(sample)
	if err != nil {
		t.Fatal(err)
	}
	gb18030, err := simplifiedchinese.GB18030.NewEncoder().String(sample + "𠀀")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []byte
		want string
		enc  Encoding
	}{
		{"utf-8", []byte(sample), sample, EncodingUTF8},
		{"utf-8 with BOM", append([]byte("\xEF\xBB\xBF"), sample...), sample, EncodingUTF8},
		{"gbk", []byte(gbk), sample, EncodingGB18030},
		{"gb18030 four-byte", []byte(gb18030), sample + "𠀀", EncodingGB18030},
		{"utf-16le", utf16Bytes(sample, false), sample, EncodingUTF16LE},
		{"utf-16be", utf16Bytes(sample, true), sample, EncodingUTF16BE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, enc, err := Decode(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || enc != tt.enc {
				t.Errorf("Decode = %q, %s; want %q, %s", got, enc, tt.want, tt.enc)
			}
		})
	}
}

func TestDecodeRefuses(t *testing.T) {
	for name, in := range map[string][]byte{
		"binary":       {0x7F, 'E', 'L', 'F', 0x02, 0x01, 0x01, 0x00},
		"png":          []byte("\x89PNG\r\n\x1a\n\x00\x00"),
		"odd utf-16":   {0xFF, 0xFE, 'a'},
		"not gb18030":  []byte("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"),
		"utf-16 nulls": {0xFF, 0xFE, 0x00, 0x00},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := Decode(in)
			var ae *app.Error
			if err == nil || !errors.As(err, &ae) || ae.Code != app.EINVALID {
				t.Fatalf("Decode(%q) error = %v, want an invalid-input error", in, err)
			}
		})
	}
}

// TestParseGBKFile imports a GBK-encoded text file, as Chinese Windows
// saves one.
func TestParseGBKFile(t *testing.T) {
	data, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(sample + "\n2 .把党的二十大有关重大决策部署贯彻落实到普法依法治理工作中。\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Encoding != EncodingGB18030 || len(res.Documents) != 1 {
		t.Fatalf("encoding %s, %d documents", res.Encoding, len(res.Documents))
	}
	doc := res.Documents[0]
	want := []string{
		"section cn 一 全面学习宣传贯彻党的二十大精神",
		"  item arabic 1 把思想和行动统一到党的二十大精神上来",
		"  item arabic 2 把党的二十大有关重大决策部署贯彻落实到普法依法治理工作中",
	}
	if got := outlineLines(doc.Nodes); doc.Title != "2023年全国普法依法治理工作要点" || len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("title %q, outline %q", doc.Title, got)
	}
}
