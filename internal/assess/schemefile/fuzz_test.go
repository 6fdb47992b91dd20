package schemefile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParseRule checks that any text either fails with a message or reads
// as a rule that FormatRule writes back to text reading as the same rule.
func FuzzParseRule(f *testing.F) {
	for _, seed := range []struct {
		kind, params string
		max          float64
	}{
		{"直接评分", "按0.5分一档", 6},
		{"扣分", "每少一次扣0.3分,累计不超过1.2分", 2},
		{"扣分", "每缺一项扣2分，扣完为止", 10},
		{"是否", "", 3},
		{"分档", "完全达到得3分,部分达到得2分,未达到不得分", 3},
		{"分档", "优秀5分；良好３分", 5},
		{"加分", "最多加3分", 0},
		{"减分", "上限 ３", 0},
		{"一票否决", "评议团过半数", 0},
	} {
		f.Add(seed.kind, seed.params, seed.max)
	}
	f.Fuzz(func(t *testing.T, kind, params string, max float64) {
		r, err := ParseRule(kind, params, max)
		if err != nil {
			if messageOf(err) == "" {
				t.Fatalf("error without a message: %v", err)
			}
			return
		}
		k, p := FormatRule(r, max)
		back, err := ParseRule(k, p, max)
		if err != nil {
			t.Fatalf("ParseRule(%q, %q) = %#v, written as %q %q, which reads as an error: %v", kind, params, r, k, p, err)
		}
		if diff := cmp.Diff(r, back); diff != "" {
			t.Fatalf("ParseRule(%q, %q) written as %q %q reads differently (-first +second):\n%s", kind, params, k, p, diff)
		}
	})
}
