package question

import "testing"

func TestMark(t *testing.T) {
	single := &Question{Type: Single, Answer: []string{"B"}}
	multi := &Question{Type: Multiple, Answer: []string{"A", "C", "D"}}
	judge := &Question{Type: TrueFalse, Answer: []string{True}}
	fill := &Question{Type: Fill, Stem: "宪法规定，中华人民共和国的一切权力属于（ ）。国家宪法日是（ ）", Answer: []string{"人民", "12月4日/十二月四日"}}
	essay := &Question{Type: Essay, Answer: []string{"参考答案"}}
	unkeyed := &Question{Type: Single}
	for _, tt := range []struct {
		name  string
		q     *Question
		given []string
		want  Verdict
	}{
		{"single right", single, []string{"B"}, Right},
		{"single lower case", single, []string{"b"}, Right},
		{"single wrong", single, []string{"A"}, Wrong},
		{"single none", single, nil, Wrong},
		{"multiple any order", multi, []string{"D", "A", "C"}, Right},
		{"multiple missing one", multi, []string{"A", "C"}, Wrong},
		{"multiple one too many", multi, []string{"A", "B", "C", "D"}, Wrong},
		{"multiple repeated", multi, []string{"A", "C", "D", "A"}, Right},
		{"true", judge, []string{True}, Right},
		{"false", judge, []string{False}, Wrong},
		{"fill", fill, []string{"人民", "12月4日"}, Right},
		{"fill alternative, full width", fill, []string{" 人民 ", "十二月四日"}, Right},
		{"fill full-width digits", fill, []string{"人民", "１２月４日"}, Right},
		{"fill wrong blank", fill, []string{"人民", "3月15日"}, Wrong},
		{"fill too few", fill, []string{"人民"}, Wrong},
		{"fill empty answer never right", &Question{Type: Fill, Answer: []string{""}}, []string{""}, Wrong},
		{"essay", essay, []string{"任何内容"}, ByHand},
		{"no key", unkeyed, []string{"A"}, ByHand},
	} {
		if got := Mark(tt.q, tt.given); got != tt.want {
			t.Errorf("%s: Mark = %v, want %v", tt.name, got, tt.want)
		}
	}
}
