package web

import (
	"testing"

	"pufa/internal/exam"
	"pufa/internal/question"
)

func TestRelabel(t *testing.T) {
	q := &question.Question{Type: question.Single, Options: []question.Option{{Label: "A", Text: "甲"}, {Label: "B", Text: "乙"}, {Label: "C", Text: "丙"}, {Label: "D", Text: "丁"}}}
	// Shown as 丁 丙 乙 甲: the bank's D is the examinee's A.
	it := exam.Item{Order: []int{3, 2, 1, 0}}
	for _, c := range []struct{ in, want string }{
		{"依据第一百四十五条，故选D。", "依据第一百四十五条，故选A。"},
		{"答案为 BD", "答案为 AC"},
		{"答案：C", "答案：B"},
		{"A项错误，B选项正确", "D项错误，C选项正确"},
		{"选项A说法错误", "选项D说法错误"},
		{"《ABC法》第三条", "《ABC法》第三条"},
		{"故选E。", "故选E。"}, // no such option: as written
		{"", ""},
	} {
		if got := relabel(c.in, q, it); got != c.want {
			t.Errorf("relabel(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// Options in the bank's order: nothing changes.
	if got := relabel("故选D", q, exam.Item{}); got != "故选D" {
		t.Errorf("unshuffled: %q", got)
	}
	tf := &question.Question{Type: question.TrueFalse}
	if got := relabel("故选A", tf, it); got != "故选A" {
		t.Errorf("true/false: %q", got)
	}
}
