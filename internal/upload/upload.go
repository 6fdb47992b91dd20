// Package upload refuses oversized, malicious and malformed files before
// they cost memory. Every uploaded file passes through it before any parser
// sees it: ReadLimited bounds the bytes read from the network, Sniff decides
// what the file really is, and CheckZip (or OpenZip) inspects a .docx or
// .xlsx from its central directory so a zip bomb is refused before a single
// entry is inflated. The checks follow 等保 level 3's requirement that upload
// limits be enforced before parsing.
package upload

import (
	"fmt"
	"io"
	"math"

	"pufa/internal/app"
)

// Limits bounds what an uploaded file may cost. Every field must be
// positive: a zero limit is a configuration bug, not "unlimited".
type Limits struct {
	// MaxBytes is the largest file accepted, as uploaded.
	MaxBytes int64
	// MaxEntries is the most entries a zip container may hold.
	MaxEntries int
	// MaxUncompressed bounds the sum of the entries' uncompressed sizes.
	MaxUncompressed int64
	// MaxRatio bounds one entry's uncompressed/compressed size ratio.
	// Entries smaller than 100 KiB are exempt, because tiny XML parts of
	// ordinary documents legitimately compress very well and cannot hurt.
	MaxRatio float64
}

// DefaultDocument returns the limits for a .docx upload (a 工作要点, a
// 履职报告). A real 50-page report with images is a few MiB; text XML
// compresses about 5–20:1, so a ratio over 100 means a crafted file.
func DefaultDocument() Limits {
	return Limits{MaxBytes: 20 << 20, MaxEntries: 2000, MaxUncompressed: 200 << 20, MaxRatio: 100}
}

// DefaultSpreadsheet returns the limits for a .xlsx upload (an import
// template). Sheet XML repeats the same markup in every cell, so it
// compresses better than prose: the ratio limit is higher than a
// document's, and a workbook has far fewer parts.
func DefaultSpreadsheet() Limits {
	return Limits{MaxBytes: 20 << 20, MaxEntries: 1000, MaxUncompressed: 200 << 20, MaxRatio: 200}
}

// validate refuses limits a caller forgot to fill in, so a zero Limits
// never silently turns every check off.
func (l Limits) validate() error {
	if l.MaxBytes <= 0 || l.MaxEntries <= 0 || l.MaxUncompressed <= 0 || !(l.MaxRatio > 0) {
		return fmt.Errorf("upload: invalid limits %+v: every field must be positive", l)
	}
	return nil
}

// TooLargeError reports a file over its size limit. Its message is Chinese
// and may be shown to the uploader; errors.As also converts it to an
// *app.Error with code app.ETOOLARGE for the web layer's status table.
type TooLargeError struct {
	// Limit is the size, in bytes, that was exceeded.
	Limit int64
	// What names what was too large; empty means the file itself.
	What string
}

// Error returns the Chinese message, e.g. "文件超过 20 MB 上限".
func (e *TooLargeError) Error() string {
	what := e.What
	if what == "" {
		what = "文件"
	}
	return fmt.Sprintf("%s超过 %s 上限", what, FormatSize(e.Limit))
}

// As lets errors.As(err, &appErr) see the user-facing app error.
func (e *TooLargeError) As(target any) bool {
	if t, ok := target.(**app.Error); ok {
		*t = &app.Error{Code: app.ETOOLARGE, Message: e.Error()}
		return true
	}
	return false
}

// InvalidError reports a file refused for its content: not a zip, a path
// traversal, a suspicious compression ratio. Reason is Chinese and may be
// shown to the uploader; Err, when set, is the underlying cause for logs.
// errors.As also converts it to an *app.Error with code app.EINVALID.
type InvalidError struct {
	Reason string
	Err    error
}

// Error returns the reason followed by the cause, for logs.
func (e *InvalidError) Error() string {
	if e.Err != nil {
		return e.Reason + ": " + e.Err.Error()
	}
	return e.Reason
}

// Unwrap returns the underlying cause.
func (e *InvalidError) Unwrap() error { return e.Err }

// As lets errors.As(err, &appErr) see the user-facing app error, whose
// message leaves out the internal cause.
func (e *InvalidError) As(target any) bool {
	if t, ok := target.(**app.Error); ok {
		*t = &app.Error{Code: app.EINVALID, Message: e.Reason}
		return true
	}
	return false
}

// invalid builds an *InvalidError with a formatted reason.
func invalid(cause error, format string, args ...any) *InvalidError {
	return &InvalidError{Reason: fmt.Sprintf(format, args...), Err: cause}
}

// FormatSize renders a byte count the way users read sizes ("20 MB",
// "1.5 MB", "300 KB"), using binary units as upload dialogs do.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30:
		return trimUnit(float64(n)/(1<<30), "GB")
	case n >= 1<<20:
		return trimUnit(float64(n)/(1<<20), "MB")
	case n >= 1<<10:
		return trimUnit(float64(n)/(1<<10), "KB")
	default:
		return fmt.Sprintf("%d 字节", n)
	}
}

// trimUnit drops ".0" so round sizes read "20 MB", not "20.0 MB".
func trimUnit(v float64, unit string) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f %s", v, unit)
	}
	return fmt.Sprintf("%.1f %s", v, unit)
}

// ReadLimited reads all of r but at most max bytes. If r holds more it
// returns a *TooLargeError after reading max+1 bytes, never more, so an
// endless body costs no more memory than an allowed one. Wrap an HTTP body
// in http.MaxBytesReader as well, so the server also stops receiving.
func ReadLimited(r io.Reader, max int64) ([]byte, error) {
	if max < 0 {
		return nil, fmt.Errorf("upload: negative limit %d", max)
	}
	n := max
	if n < math.MaxInt64 {
		n++ // one byte more tells "exactly max" from "over max"
	}
	b, err := io.ReadAll(io.LimitReader(r, n))
	if err != nil {
		return nil, fmt.Errorf("upload: reading: %w", err)
	}
	if int64(len(b)) > max {
		return nil, &TooLargeError{Limit: max}
	}
	return b, nil
}
