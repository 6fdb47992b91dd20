package upload

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"
)

// entry is one file to put in a test zip.
type entry struct {
	name string
	body string
}

// buildZip writes entries with zip.Writer, deflated.
func buildZip(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// minimalDocx is the smallest package Word opens: content types, the
// package relationship and the main document part.
func minimalDocx(t testing.TB) []byte {
	t.Helper()
	return buildZip(t,
		entry{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`},
		entry{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`},
		entry{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>2023年全国普法依法治理工作要点</w:t></w:r></w:p></w:body>
</w:document>`},
	)
}

// realXlsx is a workbook written by excelize, as a user's template would be.
func realXlsx(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, v := range []any{"单位名称*", "联系人", "电话"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetSheetRow("Sheet1", "A2", &[]any{"区司法局", "张三", 13800000000}); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zeroDeflate returns a raw deflate stream of mib MiB of zeros and its
// CRC-32, without ever holding the zeros: one MiB is compressed once with a
// sync flush, which leaves a self-contained, byte-aligned run of blocks, and
// the run is repeated mib times before a final empty block.
func zeroDeflate(t testing.TB, mib int) (stream []byte, crc uint32) {
	t.Helper()
	zeros := make([]byte, 1<<20)
	var chunk bytes.Buffer
	fw, err := flate.NewWriter(&chunk, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(zeros)
	if err := fw.Flush(); err != nil {
		t.Fatal(err)
	}
	var end bytes.Buffer
	fw.Reset(&end)
	fw.Close()

	out := bytes.Repeat(chunk.Bytes(), mib)
	for range mib {
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	return append(out, end.Bytes()...), crc
}

// rawZip writes one entry whose compressed stream and header sizes are
// given as is, so a test can build an honest bomb quickly or a lying one.
func rawZip(t testing.TB, name string, stream []byte, crc uint32, declared uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name:               name,
		Method:             zip.Deflate,
		CRC32:              crc,
		CompressedSize64:   uint64(len(stream)),
		UncompressedSize64: declared,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(stream); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// streamedZeros writes n bytes of zeros through zip.Writer in 1 MiB chunks,
// the way a bomb is made with ordinary tools.
func streamedZeros(t testing.TB, name string, n int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(w, zeroReader{}, n); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zeroReader is an endless stream of zeros.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// duplicateCentralRecord returns a copy of a one-entry zip whose central
// directory lists that entry twice, the second time as newName (same
// length): two names share one stream, as in an overlapping zip bomb.
func duplicateCentralRecord(t testing.TB, data []byte, newName string) []byte {
	t.Helper()
	const eocdLen = 22
	eocd := data[len(data)-eocdLen:]
	if binary.LittleEndian.Uint32(eocd) != 0x06054b50 {
		t.Fatal("zip has a comment or no end record")
	}
	cdSize := binary.LittleEndian.Uint32(eocd[12:])
	cdOff := binary.LittleEndian.Uint32(eocd[16:])
	rec := data[cdOff : cdOff+cdSize]
	nameLen := int(binary.LittleEndian.Uint16(rec[28:]))
	if nameLen != len(newName) {
		t.Fatalf("new name must be %d bytes", nameLen)
	}
	dup := bytes.Clone(rec)
	copy(dup[46:], newName)

	out := bytes.Clone(data[:cdOff])
	out = append(out, rec...)
	out = append(out, dup...)
	end := bytes.Clone(eocd)
	binary.LittleEndian.PutUint16(end[8:], 2)
	binary.LittleEndian.PutUint16(end[10:], 2)
	binary.LittleEndian.PutUint32(end[12:], 2*cdSize)
	return append(out, end...)
}
