package qrcode

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rsc.io/qr"
	"rsc.io/qr/coding"

	"pufa/internal/app"
)

var texts = []string{
	"https://pufa.example.gov.cn/p/rate/3f9c2a",
	"HTTPS://PUFA.EXAMPLE.GOV.CN/Q/12", // alphanumeric mode
	"20231204",                         // numeric mode
	"扫码参与《民法典》普法知识竞赛，https://pufa.example.gov.cn/quiz", // byte mode, UTF-8
	strings.Repeat("https://pufa.example.gov.cn/draft/comment?", 20),
}

// Our version and data encoding match rsc.io/qr's, so mask 0 gives its
// exact symbol.
func TestEncodeMaskMatchesRSC(t *testing.T) {
	for _, text := range texts {
		want, err := qr.Encode(text, qr.M)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeMask(text, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got.Size != want.Size || !bytes.Equal(got.Bitmap, want.Bitmap) {
			t.Errorf("%q: mask-0 symbol differs from rsc.io/qr's", text)
		}
	}
}

func TestEncodePicksLowestPenalty(t *testing.T) {
	for _, text := range texts {
		c, err := encode(text)
		if err != nil {
			t.Fatal(err)
		}
		for m := range coding.Mask(8) {
			alt, _ := encodeMask(text, m)
			if penalty(alt) < penalty(c) {
				t.Errorf("%q: mask %d scores %d, chosen symbol %d", text, m, penalty(alt), penalty(c))
			}
		}
	}
}

func TestPNG(t *testing.T) {
	for _, size := range []int{256, 301, 512} {
		text := texts[0]
		data, err := PNG(text, size)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("size %d: not a valid PNG: %v", size, err)
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Fatalf("size %d: image is %v", size, b)
		}
		c, _ := encode(text)
		modules := c.Size + 2*QuietZone
		scale := size / modules
		offset := (size-scale*modules)/2 + QuietZone*scale
		black := func(px, py int) bool {
			r, _, _, _ := img.At(px, py).RGBA()
			return r < 0x8000
		}
		for y := -QuietZone; y < c.Size+QuietZone; y++ {
			for x := -QuietZone; x < c.Size+QuietZone; x++ {
				cx, cy := offset+x*scale+scale/2, offset+y*scale+scale/2
				if got, want := black(cx, cy), c.Black(x, y); got != want {
					t.Fatalf("size %d: module (%d,%d) black=%v, want %v", size, x, y, got, want)
				}
			}
		}
		if black(0, 0) || black(size-1, size-1) {
			t.Fatalf("size %d: corners are not white", size)
		}
	}
}

func TestPNG_refuses(t *testing.T) {
	for _, tc := range []struct {
		text string
		size int
		msg  string
	}{
		{"", 256, "二维码内容为空"},
		{texts[0], 10, "太小"},
		{texts[0], MaxPNGSize + 1, "超过 4096 像素上限"},
		{strings.Repeat("法", 3000), 256, "内容过长"},
	} {
		_, err := PNG(tc.text, tc.size)
		var ae *app.Error
		if !errors.As(err, &ae) || ae.Code != app.EINVALID || !strings.Contains(ae.Message, tc.msg) {
			t.Errorf("PNG(%.10q, %d): got %v, want EINVALID containing %q", tc.text, tc.size, err, tc.msg)
		}
	}
}

// svgDoc is the shape SVG promises.
type svgDoc struct {
	XMLName        xml.Name `xml:"http://www.w3.org/2000/svg svg"`
	ViewBox        string   `xml:"viewBox,attr"`
	ShapeRendering string   `xml:"shape-rendering,attr"`
	Rects          []struct {
		Width  string `xml:"width,attr"`
		Height string `xml:"height,attr"`
		Fill   string `xml:"fill,attr"`
	} `xml:"rect"`
	Paths []struct {
		D string `xml:"d,attr"`
	} `xml:"path"`
}

var runRE = regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

func TestSVG(t *testing.T) {
	for _, text := range texts {
		s, err := SVG(text)
		if err != nil {
			t.Fatal(err)
		}
		var doc svgDoc
		dec := xml.NewDecoder(strings.NewReader(s))
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("%q: not well-formed: %v", text, err)
		}
		c, _ := encode(text)
		n := c.Size + 2*QuietZone
		if want := fmt.Sprintf("0 0 %d %d", n, n); doc.ViewBox != want {
			t.Errorf("viewBox %q, want %q", doc.ViewBox, want)
		}
		if doc.ShapeRendering != "crispEdges" {
			t.Errorf("shape-rendering %q", doc.ShapeRendering)
		}
		if len(doc.Rects) != 1 || doc.Rects[0].Fill != "#fff" || doc.Rects[0].Width != strconv.Itoa(n) {
			t.Errorf("background %+v", doc.Rects)
		}
		if len(doc.Paths) != 1 {
			t.Fatalf("%d paths, want one", len(doc.Paths))
		}

		// Paint the path's runs and compare with the symbol.
		painted := make([][]bool, n)
		for i := range painted {
			painted[i] = make([]bool, n)
		}
		d := doc.Paths[0].D
		for d != "" {
			m := runRE.FindStringSubmatch(d)
			if m == nil {
				t.Fatalf("unexpected path data at %.30q", d)
			}
			x, _ := strconv.Atoi(m[1])
			y, _ := strconv.Atoi(m[2])
			w, _ := strconv.Atoi(m[3])
			if m[4] != m[3] {
				t.Fatalf("run %q does not close", m[0])
			}
			for i := x; i < x+w; i++ {
				if painted[y][i] {
					t.Fatalf("module (%d,%d) painted twice", i, y)
				}
				painted[y][i] = true
			}
			d = d[len(m[0]):]
		}
		for y := range n {
			for x := range n {
				if want := c.Black(x-QuietZone, y-QuietZone); painted[y][x] != want {
					t.Fatalf("%q: module (%d,%d) painted=%v, want %v", text, x-QuietZone, y-QuietZone, painted[y][x], want)
				}
			}
		}
		if len(s) > 40*c.Size*c.Size/2 {
			t.Errorf("SVG is %d bytes for a %d-module symbol; runs should keep it compact", len(s), c.Size)
		}
	}
}

// TestPNG_zbar decodes the PNGs with zbarimg (Debian's zbar-tools) when it
// is installed: the one check that a real scanner reads what we draw, for
// every mask, not only the chosen one.
func TestPNG_zbar(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not installed (apt-get install zbar-tools)")
	}
	dir := t.TempDir()
	for i, text := range texts {
		for m := range coding.Mask(8) {
			c, err := encodeMask(text, m)
			if err != nil {
				t.Fatal(err)
			}
			data, err := renderPNG(c, (c.Size+2*QuietZone)*4)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, fmt.Sprintf("%d-%d.png", i, m))
			if err := os.WriteFile(file, data, 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(zbar, "--raw", "-q", file).Output()
			if err != nil {
				t.Fatalf("%q mask %d: zbarimg: %v", text, m, err)
			}
			if got := strings.TrimSuffix(string(out), "\n"); got != text {
				t.Errorf("%q mask %d: zbarimg read %q", text, m, got)
			}
		}
	}
}
