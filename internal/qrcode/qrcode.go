// Package qrcode draws QR codes for the links the public scans: a 社会评议
// rating page, a literacy quiz, a draft law open for comment at a
// collection point. It builds on rsc.io/qr's encoder with the output pufa needs: a PNG of
// an exact pixel size for print and download, and a compact SVG to inline
// in pages and 通报 that scales to any size.
package qrcode

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"

	"rsc.io/qr/coding"

	"pufa/internal/app"
)

// QuietZone is the white margin around the code, in modules. The QR
// standard asks for 4; phone scanners fail more often with less, above all
// on posters hung against busy backgrounds.
const QuietZone = 4

// MaxPNGSize bounds PNG's size argument, which often comes from a query
// string: a 4096-pixel square is enough for an A3 poster at 300 dpi and
// costs 16 MiB of pixels, not more.
const MaxPNGSize = 4096

// level is the error correction used. M (15% of the codewords recoverable)
// survives a creased or lightly soiled printout while keeping the modules
// larger, and so easier to scan from a distance, than Q or H.
const level = coding.M

// encode encodes text in the smallest version that holds it, with the mask
// the QR standard's penalty rules score best. rsc.io/qr's own Encode always
// uses mask 0, which can leave large blocks or finder-like patterns that
// make cheap phone scanners hesitate.
func encode(text string) (*coding.Code, error) {
	if text == "" {
		return nil, app.Errorf(app.EINVALID, "二维码内容为空")
	}
	var best *coding.Code
	bestScore := 0
	for m := range coding.Mask(8) {
		c, err := encodeMask(text, m)
		if err != nil {
			return nil, err
		}
		if s := penalty(c); best == nil || s < bestScore {
			best, bestScore = c, s
		}
	}
	return best, nil
}

// encodeMask encodes text with mask m, choosing the data encoding and the
// version the way rsc.io/qr's Encode does.
func encodeMask(text string, m coding.Mask) (*coding.Code, error) {
	var enc coding.Encoding
	switch {
	case coding.Num(text).Check() == nil:
		enc = coding.Num(text)
	case coding.Alpha(text).Check() == nil:
		enc = coding.Alpha(text)
	default:
		enc = coding.String(text)
	}
	v := coding.Version(coding.MinVersion)
	for enc.Bits(v) > v.DataBytes(level)*8 {
		if v++; v > coding.MaxVersion {
			return nil, app.Errorf(app.EINVALID, "二维码内容过长（%d 字节），无法生成二维码", len(text))
		}
	}
	p, err := coding.NewPlan(v, level, m)
	if err != nil {
		return nil, fmt.Errorf("qrcode: plan: %w", err)
	}
	c, err := p.Encode(enc)
	if err != nil {
		return nil, fmt.Errorf("qrcode: encode: %w", err)
	}
	return c, nil
}

// penalty scores a symbol by the four rules of ISO/IEC 18004 §7.8.3: runs of
// five or more modules of one colour, 2×2 blocks of one colour, patterns
// that look like a finder (1:1:3:1:1 beside four light modules), and a dark
// share far from half. Lower is easier to scan.
func penalty(c *coding.Code) int {
	n := c.Size
	at := func(x, y int, transpose bool) bool {
		if transpose {
			return c.Black(y, x)
		}
		return c.Black(x, y)
	}
	score, dark := 0, 0
	for _, tr := range []bool{false, true} {
		for y := range n {
			run := 1
			for x := 1; x <= n; x++ {
				if x < n && at(x, y, tr) == at(x-1, y, tr) {
					run++
					continue
				}
				if run >= 5 {
					score += 3 + run - 5
				}
				run = 1
			}
			for x := 0; x+7 <= n; x++ {
				// dark, light, dark×3, light, dark
				if at(x, y, tr) && !at(x+1, y, tr) && at(x+2, y, tr) && at(x+3, y, tr) &&
					at(x+4, y, tr) && !at(x+5, y, tr) && at(x+6, y, tr) &&
					(lightRun(x-4, x, y, tr, at) || lightRun(x+7, x+11, y, tr, at)) {
					score += 40
				}
			}
		}
	}
	for y := range n {
		for x := range n {
			b := c.Black(x, y)
			if b {
				dark++
			}
			if x+1 < n && y+1 < n && b == c.Black(x+1, y) && b == c.Black(x, y+1) && b == c.Black(x+1, y+1) {
				score += 3
			}
		}
	}
	pct := dark * 100 / (n * n)
	dev := pct - 50
	if dev < 0 {
		dev = -dev
	}
	return score + 10*(dev/5)
}

// lightRun reports whether modules from x0 to x1 (exclusive) on line y are
// all light; modules outside the symbol are the light quiet zone.
func lightRun(x0, x1, y int, tr bool, at func(x, y int, tr bool) bool) bool {
	for x := x0; x < x1; x++ {
		if at(x, y, tr) {
			return false
		}
	}
	return true
}

// PNG returns a size×size pixel PNG of text's QR code, black on white with
// a quiet zone of at least QuietZone modules. Every module is the same whole
// number of pixels, so scanners see crisp edges; pixels left over widen the
// margin. size must give each module at least one pixel and may not exceed
// MaxPNGSize. Errors about text or size are *app.Error with code EINVALID.
func PNG(text string, size int) ([]byte, error) {
	c, err := encode(text)
	if err != nil {
		return nil, err
	}
	return renderPNG(c, size)
}

// renderPNG draws c as a size×size PNG.
func renderPNG(c *coding.Code, size int) ([]byte, error) {
	modules := c.Size + 2*QuietZone
	if size < modules {
		return nil, app.Errorf(app.EINVALID, "二维码图片尺寸 %d 像素太小，至少需要 %d 像素", size, modules)
	}
	if size > MaxPNGSize {
		return nil, app.Errorf(app.EINVALID, "二维码图片尺寸 %d 像素超过 %d 像素上限", size, MaxPNGSize)
	}
	scale := size / modules
	offset := (size-scale*modules)/2 + QuietZone*scale

	// A two-colour palette makes image/png write 1 bit per pixel.
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y := range c.Size {
		for x := range c.Size {
			if !c.Black(x, y) {
				continue
			}
			x0, y0 := offset+x*scale, offset+y*scale
			for py := y0; py < y0+scale; py++ {
				row := img.Pix[py*img.Stride:]
				for px := x0; px < x0+scale; px++ {
					row[px] = 1
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("qrcode: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG returns text's QR code as a standalone SVG document: a white square
// with a QuietZone-module margin and one <path> whose subpaths are the
// horizontal runs of black modules, one module per user unit. It has a
// viewBox and no width or height, so it takes the size its container gives
// it; shape-rendering="crispEdges" stops browsers blurring module edges.
func SVG(text string) (string, error) {
	c, err := encode(text)
	if err != nil {
		return "", err
	}
	n := strconv.Itoa(c.Size + 2*QuietZone)
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + n + " " + n +
		`" shape-rendering="crispEdges"><rect width="` + n + `" height="` + n + `" fill="#fff"/><path fill="#000" d="`)
	for y := range c.Size {
		for x := 0; x < c.Size; {
			if !c.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < c.Size && c.Black(x+run, y) {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+QuietZone, y+QuietZone, run, run)
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}
