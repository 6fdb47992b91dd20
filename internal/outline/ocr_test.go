package outline

import (
	"strings"
	"testing"
)

func TestOCRWarnings(t *testing.T) {
	in := "扩大法治文化阵她覆盖面，有针对性她开展法治宣传教育。有针对性地研究提出改进措施。"
	res := ParseText(in)
	var msgs []string
	src := []rune(res.Source)
	for _, w := range res.Warnings {
		if w.Kind != WarnOCR {
			t.Errorf("unexpected warning %+v", w)
			continue
		}
		msgs = append(msgs, w.Message)
		if got := string(src[w.At : w.At+2]); !strings.HasSuffix(got, "她") {
			t.Errorf("warning at %d points at %q", w.At, got)
		}
	}
	if len(msgs) != 2 || !strings.Contains(msgs[0], "“文化阵她”应为“文化阵地”") || !strings.Contains(msgs[1], "“针对性她”应为“针对性地”") {
		t.Errorf("messages = %q", msgs)
	}
	if res.Source != in || !strings.Contains(res.Documents[0].Preamble, "阵她") {
		t.Error("the text must not be edited")
	}
}

func TestOCRAcrossPageMarker(t *testing.T) {
	in := "1、" + long("充分发挥各类普法阵") + "\n2、她和平台作用，推动法治思想进农村。"
	res := ParseText(in)
	var ocr []Warning
	for _, w := range res.Warnings {
		if w.Kind == WarnOCR {
			ocr = append(ocr, w)
		}
	}
	if len(ocr) != 1 || []rune(in)[ocr[0].At] != '阵' {
		t.Errorf("OCR warnings = %+v", ocr)
	}
}
