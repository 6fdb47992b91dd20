package upload

import (
	"bytes"
	"io"
	"testing"
)

// FuzzCheckZip checks that no input panics CheckZip, and that whatever it
// accepts can be read entry by entry through OpenEntry without inflating
// more than the limits allow.
func FuzzCheckZip(f *testing.F) {
	docx := minimalDocx(f)
	f.Add(docx)
	f.Add(realXlsx(f))
	f.Add(docx[:len(docx)/2])
	f.Add(buildZip(f, entry{"../x", "y"}))
	f.Add(duplicateCentralRecord(f, buildZip(f, entry{"a", "aaaa"}), "b"))
	stream, crc := zeroDeflate(f, 2)
	f.Add(rawZip(f, "a", stream, crc, 2<<20))
	f.Add(rawZip(f, "a", stream, crc, 1<<10))
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))

	l := Limits{MaxBytes: 1 << 20, MaxEntries: 64, MaxUncompressed: 4 << 20, MaxRatio: 100}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := CheckZip(data, l); err != nil {
			return
		}
		zr, err := OpenZip(bytes.NewReader(data), int64(len(data)), l)
		if err != nil {
			t.Fatalf("CheckZip accepted what OpenZip refused: %v", err)
		}
		var total int64
		for _, zf := range zr.File {
			rc, err := OpenEntry(zf, l)
			if err != nil {
				continue
			}
			n, _ := io.Copy(io.Discard, rc)
			rc.Close()
			if uint64(n) > zf.UncompressedSize64 {
				t.Fatalf("%s: read %d bytes, declared %d", zf.Name, n, zf.UncompressedSize64)
			}
			total += n
		}
		if total > l.MaxUncompressed {
			t.Fatalf("inflated %d bytes, limit %d", total, l.MaxUncompressed)
		}
	})
}
