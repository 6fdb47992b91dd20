package upload

import (
	"archive/zip"
	"bytes"
	"cmp"
	"errors"
	"io"
	"slices"
	"strings"
)

// ratioGrace is the uncompressed size below which an entry's compression
// ratio is not checked: a 2 KiB run of spaces compresses 200:1 in honest
// files, and the total uncompressed limit already bounds small entries.
const ratioGrace = 100 << 10

// flagEncrypted is bit 0 of the zip general-purpose flags.
const flagEncrypted = 0x1

// CheckZip inspects a .docx or .xlsx held in memory; see OpenZip.
func CheckZip(data []byte, l Limits) error {
	_, err := OpenZip(bytes.NewReader(data), int64(len(data)), l)
	return err
}

// OpenZip opens a zip container and checks it against l using only its
// central directory and local headers, so no entry is inflated. It refuses
// a file over l.MaxBytes, more than l.MaxEntries entries, declared
// uncompressed sizes summing over l.MaxUncompressed, an entry whose
// compression ratio is over l.MaxRatio, absolute or ".." paths, duplicate
// names (compared case-insensitively, as OOXML part names are), encrypted
// entries, compression methods other than store and deflate, and entries
// whose data overlap (the trick of non-recursive zip bombs).
//
// The checks trust the declared sizes; read entries through OpenEntry, which
// stops at the declared size, so a lying header cannot get past them.
// Errors for the uploader are *TooLargeError or *InvalidError.
func OpenZip(r io.ReaderAt, size int64, l Limits) (*zip.Reader, error) {
	if err := l.validate(); err != nil {
		return nil, err
	}
	if size > l.MaxBytes {
		return nil, &TooLargeError{Limit: l.MaxBytes}
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		head := make([]byte, len(magicOLE))
		if _, rerr := r.ReadAt(head, 0); rerr == nil && hasPrefix(head, magicOLE) {
			return nil, invalid(err, "文件是旧版 .doc/.xls 格式或已加密，请去除密码并另存为 .docx/.xlsx 后再上传")
		}
		return nil, invalid(err, "文件不是有效的 .docx/.xlsx 文件")
	}
	if len(zr.File) > l.MaxEntries {
		return nil, invalid(nil, "文件内含 %d 个部件，超过 %d 个上限", len(zr.File), l.MaxEntries)
	}
	type span struct{ start, end uint64 }
	spans := make([]span, 0, len(zr.File))
	seen := make(map[string]bool, len(zr.File))
	var total uint64
	for _, f := range zr.File {
		if !safeName(f.Name) {
			return nil, invalid(nil, "文件内含不安全的路径 %q", f.Name)
		}
		key := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		if seen[key] {
			return nil, invalid(nil, "文件内含重名部件 %q", f.Name)
		}
		seen[key] = true
		if f.Flags&flagEncrypted != 0 {
			return nil, invalid(nil, "文件已加密，请去除密码后再上传")
		}
		if f.Method != zip.Store && f.Method != zip.Deflate {
			return nil, invalid(nil, "文件内的 %q 使用了不支持的压缩方式", f.Name)
		}
		if f.Method == zip.Store && f.CompressedSize64 != f.UncompressedSize64 {
			return nil, invalid(nil, "文件已损坏：%q 的大小记录不一致", f.Name)
		}
		// Compare before adding so a forged 2^64-1 size cannot wrap the sum.
		if f.UncompressedSize64 > uint64(l.MaxUncompressed)-total {
			return nil, &TooLargeError{Limit: l.MaxUncompressed, What: "文件解压后"}
		}
		total += f.UncompressedSize64
		if ratioExceeded(f, l.MaxRatio) {
			return nil, invalid(nil, "文件内的 %q 压缩比异常，疑似压缩炸弹", f.Name)
		}
		off, err := f.DataOffset()
		if err != nil {
			return nil, invalid(err, "文件已损坏：无法读取 %q", f.Name)
		}
		if off < 0 || f.CompressedSize64 > uint64(size) || uint64(off) > uint64(size)-f.CompressedSize64 {
			return nil, invalid(nil, "文件不完整或已损坏：%q 的数据超出文件末尾", f.Name)
		}
		spans = append(spans, span{uint64(off), uint64(off) + f.CompressedSize64})
	}
	slices.SortFunc(spans, func(a, b span) int {
		if a.start != b.start {
			return cmp.Compare(a.start, b.start)
		}
		return cmp.Compare(a.end, b.end)
	})
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end {
			return nil, invalid(nil, "文件结构异常：压缩数据相互重叠，疑似压缩炸弹")
		}
	}
	return zr, nil
}

// ratioExceeded reports whether f claims more inflation than honest content
// produces. Nothing compressed into nothing is infinitely compressed.
func ratioExceeded(f *zip.File, maxRatio float64) bool {
	if f.UncompressedSize64 <= ratioGrace {
		return false
	}
	if f.CompressedSize64 == 0 {
		return true
	}
	return float64(f.UncompressedSize64)/float64(f.CompressedSize64) > maxRatio
}

// safeName reports whether a zip entry name stays inside the container when
// extracted: not empty, no NUL, not absolute (also on Windows), no "..".
// Backslashes count as separators because some writers use them and some
// readers honour them.
func safeName(name string) bool {
	if name == "" || strings.ContainsRune(name, 0) {
		return false
	}
	n := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(n, "/") || (len(n) >= 2 && n[1] == ':') {
		return false
	}
	for seg := range strings.SplitSeq(n, "/") {
		if seg == ".." {
			return false
		}
	}
	return true
}

// OpenEntry opens f for reading, checked against l, and returns a reader
// that fails with an *InvalidError as soon as the inflated data exceed the
// declared uncompressed size, rather than after inflating all of it.
// archive/zip also notices a size mismatch, but only as a bare ErrFormat;
// this names the problem and holds even for a registered decompressor.
func OpenEntry(f *zip.File, l Limits) (io.ReadCloser, error) {
	if err := l.validate(); err != nil {
		return nil, err
	}
	if f.UncompressedSize64 > uint64(l.MaxUncompressed) {
		return nil, &TooLargeError{Limit: l.MaxUncompressed, What: "文件解压后"}
	}
	if ratioExceeded(f, l.MaxRatio) {
		return nil, invalid(nil, "文件内的 %q 压缩比异常，疑似压缩炸弹", f.Name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, invalid(err, "无法读取文件内的 %q", f.Name)
	}
	return &entryReader{rc: rc, name: f.Name, left: int64(f.UncompressedSize64)}, nil
}

// entryReader caps an entry at its declared size.
type entryReader struct {
	rc   io.ReadCloser
	name string
	left int64 // declared bytes not yet read
	err  error // sticky, so a caller retrying Read sees the same failure
}

// Read reads inflated data, failing once they pass the declared size.
func (e *entryReader) Read(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	// Ask for at most one byte past the declared size: enough to catch a
	// lie without inflating more of it.
	if int64(len(p)) > e.left+1 {
		p = p[:e.left+1]
	}
	n, err := e.rc.Read(p)
	if int64(n) > e.left {
		e.err = e.exceeded()
		return int(e.left), e.err
	}
	e.left -= int64(n)
	switch {
	case err == nil || err == io.EOF:
		return n, err
	case errors.Is(err, zip.ErrFormat) && e.left == 0:
		// archive/zip reports inflating past the declared size this way.
		e.err = e.exceeded()
	case errors.Is(err, zip.ErrChecksum):
		e.err = invalid(err, "文件已损坏：%q 校验和不符", e.name)
	default:
		e.err = invalid(err, "文件已损坏：无法读取 %q", e.name)
	}
	return n, e.err
}

// exceeded is the error for data beyond the declared size.
func (e *entryReader) exceeded() error {
	return invalid(nil, "文件内的 %q 实际大小超过声明大小，疑似压缩炸弹", e.name)
}

// Close closes the underlying entry reader.
func (e *entryReader) Close() error { return e.rc.Close() }
