package upload

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"pufa/internal/app"
)

// countingReader counts the bytes handed out by an endless source.
type countingReader struct {
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	clear(p)
	c.n += int64(len(p))
	return len(p), nil
}

func TestReadLimited(t *testing.T) {
	t.Run("exactly max", func(t *testing.T) {
		b, err := ReadLimited(strings.NewReader("12345"), 5)
		if err != nil || string(b) != "12345" {
			t.Fatalf("got %q, %v", b, err)
		}
	})
	t.Run("one over", func(t *testing.T) {
		_, err := ReadLimited(strings.NewReader("123456"), 5)
		var tl *TooLargeError
		if !errors.As(err, &tl) || tl.Limit != 5 {
			t.Fatalf("got %v, want *TooLargeError", err)
		}
	})
	t.Run("endless stops at max+1", func(t *testing.T) {
		src := &countingReader{}
		_, err := ReadLimited(src, 20<<20)
		var tl *TooLargeError
		if !errors.As(err, &tl) {
			t.Fatalf("got %v, want *TooLargeError", err)
		}
		if src.n != 20<<20+1 {
			t.Fatalf("read %d bytes, want %d", src.n, 20<<20+1)
		}
		if got := tl.Error(); got != "文件超过 20 MB 上限" {
			t.Fatalf("message %q", got)
		}
	})
	t.Run("read error", func(t *testing.T) {
		boom := errors.New("connection reset")
		_, err := ReadLimited(io.MultiReader(strings.NewReader("ab"), errReader{boom}), 10)
		if !errors.Is(err, boom) {
			t.Fatalf("got %v, want %v", err, boom)
		}
	})
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		512:             "512 字节",
		300 << 10:       "300 KB",
		20 << 20:        "20 MB",
		3 << 19:         "1.5 MB",
		2 << 30:         "2 GB",
		200<<20 + 1<<19: "200.5 MB",
	} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestErrorsConvertToAppError(t *testing.T) {
	var ae *app.Error
	if err := error(&TooLargeError{Limit: 20 << 20}); !errors.As(err, &ae) || ae.Code != app.ETOOLARGE || ae.Message != "文件超过 20 MB 上限" {
		t.Fatalf("TooLargeError as app.Error: %+v", ae)
	}
	cause := errors.New("zip: not a valid zip file")
	err := error(&InvalidError{Reason: "文件不是有效的 .docx/.xlsx 文件", Err: cause})
	if !errors.As(err, &ae) || ae.Code != app.EINVALID || ae.Message != "文件不是有效的 .docx/.xlsx 文件" {
		t.Fatalf("InvalidError as app.Error: %+v", ae)
	}
	if !errors.Is(err, cause) {
		t.Fatal("InvalidError does not unwrap to its cause")
	}
}

func TestCheckZip_accepts(t *testing.T) {
	for name, data := range map[string][]byte{
		"docx": minimalDocx(t),
		"xlsx": realXlsx(t),
	} {
		t.Run(name, func(t *testing.T) {
			if err := CheckZip(data, DefaultDocument()); err != nil {
				t.Fatalf("DefaultDocument: %v", err)
			}
			if err := CheckZip(data, DefaultSpreadsheet()); err != nil {
				t.Fatalf("DefaultSpreadsheet: %v", err)
			}
		})
	}
}

// wantInvalid fails unless err is an *InvalidError whose reason contains
// substr.
func wantInvalid(t *testing.T, err error, substr string) {
	t.Helper()
	var inv *InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("got %v (%T), want *InvalidError", err, err)
	}
	if !strings.Contains(inv.Reason, substr) {
		t.Fatalf("reason %q does not contain %q", inv.Reason, substr)
	}
}

func TestCheckZip_refuses(t *testing.T) {
	docx := minimalDocx(t)
	many := make([]entry, 2001)
	for i := range many {
		many[i] = entry{name: "word/media/" + strconv.Itoa(i) + ".xml"}
	}
	for _, tc := range []struct {
		name   string
		data   []byte
		substr string
	}{
		{"not a zip", []byte("hello, this is not a zip"), "不是有效的"},
		{"empty", nil, "不是有效的"},
		{"legacy or encrypted office", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 504)...), "旧版 .doc/.xls 格式或已加密"},
		{"truncated in half", docx[:len(docx)/2], "不是有效的"},
		{"truncated end record", docx[:len(docx)-5], "不是有效的"},
		{"too many entries", buildZip(t, many...), "超过 2000 个上限"},
		{"dot-dot", buildZip(t, entry{"../evil.sh", "x"}), "不安全的路径"},
		{"dot-dot inside", buildZip(t, entry{"word/../../evil", "x"}), "不安全的路径"},
		{"backslash dot-dot", buildZip(t, entry{`word\..\..\evil`, "x"}), "不安全的路径"},
		{"absolute", buildZip(t, entry{"/etc/passwd", "x"}), "不安全的路径"},
		{"windows drive", buildZip(t, entry{`C:\Windows\evil.dll`, "x"}), "不安全的路径"},
		{"duplicate", buildZip(t, entry{"word/document.xml", "a"}, entry{"word/document.xml", "b"}), "重名"},
		{"duplicate by case", buildZip(t, entry{"word/document.xml", "a"}, entry{"Word/Document.XML", "b"}), "重名"},
		{"encrypted", encryptedZip(t), "已加密"},
		{"bzip2", methodZip(t, 12), "不支持的压缩方式"},
		{"overlapping", duplicateCentralRecord(t, buildZip(t, entry{"a", strings.Repeat("普法", 100)}), "b"), "重叠"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantInvalid(t, CheckZip(tc.data, DefaultDocument()), tc.substr)
		})
	}
}

// encryptedZip sets the traditional-encryption flag on an entry.
func encryptedZip(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: zip.Store, Flags: 0x1})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("ciphertext"))
	zw.Close()
	return buf.Bytes()
}

// methodZip writes an entry claiming compression method m.
func methodZip(t *testing.T, m uint16) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: m, CompressedSize64: 4, UncompressedSize64: 4})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("BZh9"))
	zw.Close()
	return buf.Bytes()
}

func TestCheckZip_tooLarge(t *testing.T) {
	l := DefaultDocument()
	l.MaxBytes = 100
	err := CheckZip(minimalDocx(t), l)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Limit != 100 {
		t.Fatalf("got %v, want *TooLargeError", err)
	}
}

func TestCheckZip_zeroLimits(t *testing.T) {
	err := CheckZip(minimalDocx(t), Limits{})
	if err == nil || !strings.Contains(err.Error(), "invalid limits") {
		t.Fatalf("got %v, want invalid limits", err)
	}
}

// A 1 GiB entry of zeros, honestly declared: refused from its header alone,
// first for its total size, and with a generous size limit for its ratio.
func TestCheckZip_gigabyteBomb(t *testing.T) {
	stream, crc := zeroDeflate(t, 1024)
	bomb := rawZip(t, "word/document.xml", stream, crc, 1<<30)
	if len(bomb) > 2<<20 {
		t.Fatalf("bomb is %d bytes; the test should stay small", len(bomb))
	}

	err := CheckZip(bomb, DefaultDocument())
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Error() != "文件解压后超过 200 MB 上限" {
		t.Fatalf("got %v, want uncompressed-size refusal", err)
	}

	l := DefaultDocument()
	l.MaxUncompressed = 4 << 30
	wantInvalid(t, CheckZip(bomb, l), "压缩比异常")

	zr, err := zip.NewReader(bytes.NewReader(bomb), int64(len(bomb)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.File[0].UncompressedSize64 != 1<<30 {
		t.Fatalf("declared %d", zr.File[0].UncompressedSize64)
	}
}

// The bomb builder makes real streams: a small one, honestly declared,
// inflates to exactly its size with a matching checksum when the ratio
// check is waived. So the refusals above are what save the memory.
func TestZeroDeflateIsReal(t *testing.T) {
	stream, crc := zeroDeflate(t, 8)
	data := rawZip(t, "a.bin", stream, crc, 8<<20)
	l := DefaultDocument()
	l.MaxRatio = 1e9
	zr, err := OpenZip(bytes.NewReader(data), int64(len(data)), l)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := OpenEntry(zr.File[0], l)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, rc)
	if err != nil || n != 8<<20 {
		t.Fatalf("inflated %d bytes, %v", n, err)
	}
}

// 50 MB of zeros written through zip.Writer compresses about 1000:1.
func TestCheckZip_streamedBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("compresses 50 MB")
	}
	bomb := streamedZeros(t, "xl/worksheets/sheet1.xml", 50<<20)
	wantInvalid(t, CheckZip(bomb, DefaultSpreadsheet()), "压缩比异常")
	wantInvalid(t, CheckZip(bomb, DefaultDocument()), "压缩比异常")
}

// An entry that declares 1 MiB but inflates to 50 MiB passes the header
// checks; OpenEntry stops it at the declared size.
func TestOpenEntry_lyingSize(t *testing.T) {
	stream, _ := zeroDeflate(t, 50)
	liar := rawZip(t, "word/document.xml", stream, 0, 1<<20)
	l := DefaultDocument()
	zr, err := OpenZip(bytes.NewReader(liar), int64(len(liar)), l)
	if err != nil {
		t.Fatalf("header checks should pass a plausible lie: %v", err)
	}
	rc, err := OpenEntry(zr.File[0], l)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, rc)
	wantInvalid(t, err, "实际大小超过声明大小")
	if n > 1<<20 {
		t.Fatalf("read %d bytes past the declared 1 MiB", n)
	}
}

func TestOpenEntry_honest(t *testing.T) {
	docx := minimalDocx(t)
	l := DefaultDocument()
	zr, err := OpenZip(bytes.NewReader(docx), int64(len(docx)), l)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, err := OpenEntry(f, l)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if uint64(len(b)) != f.UncompressedSize64 {
			t.Fatalf("%s: read %d, declared %d", f.Name, len(b), f.UncompressedSize64)
		}
	}
}

func TestOpenEntry_corrupt(t *testing.T) {
	docx := minimalDocx(t)
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	f := zr.File[2]
	f.CRC32 ^= 0xFFFF
	rc, err := OpenEntry(f, DefaultDocument())
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(rc)
	wantInvalid(t, err, "校验和不符")
}
