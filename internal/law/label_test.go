package law

import (
	"testing"

	"pufa/internal/outline"
)

func TestCiteLabel(t *testing.T) {
	tests := []struct {
		n, sub int
		want   string
	}{
		{1, 0, "第一条"},
		{10, 0, "第十条"},
		{11, 0, "第十一条"},
		{20, 0, "第二十条"},
		{101, 0, "第一百零一条"},
		{110, 0, "第一百一十条"},
		{120, 1, "第一百二十条之一"},
		{120, 2, "第一百二十条之二"},
		{1001, 0, "第一千零一条"},
		{1010, 0, "第一千零一十条"},
		{1259, 0, "第一千二百五十九条"},
		{1260, 0, "第一千二百六十条"},
		{0, 0, ""},
		{-3, 1, ""},
		{5, -1, "第五条"},
	}
	for _, tt := range tests {
		if got := CiteLabel(tt.n, tt.sub); got != tt.want {
			t.Errorf("CiteLabel(%d, %d) = %q, want %q", tt.n, tt.sub, got, tt.want)
		}
	}
}

// TestLabelRoundTrip writes and reads back every label a statute may
// have, and checks the outline engine reads the written label as the
// same article, so an imported article and a typed citation agree.
func TestLabelRoundTrip(t *testing.T) {
	for n := 1; n <= 3000; n++ {
		for sub := 0; sub <= 2; sub++ {
			label := CiteLabel(n, sub)
			gn, gsub, ok := ParseLabel(label)
			if !ok || gn != n || gsub != sub {
				t.Fatalf("ParseLabel(CiteLabel(%d, %d) = %q) = %d, %d, %v", n, sub, label, gn, gsub, ok)
			}
		}
	}
	// The engine reads a label after the article before it.
	for _, n := range []int{1, 9, 10, 11, 99, 100, 101, 110, 999, 1000, 1010, 1259, 2999} {
		src := CiteLabel(n, 0) + "　甲。\n" + CiteLabel(n, 1) + "　乙。\n" + CiteLabel(n, 2) + "　丙。"
		nodes := outline.ParseText(src).Documents[0].Nodes
		if len(nodes) != 3 || nodes[0].N != n || nodes[2].Label != CiteLabel(n, 2) {
			t.Fatalf("outline read %q as %d nodes", src, len(nodes))
		}
	}
}

func TestParseLabel(t *testing.T) {
	tests := []struct {
		in     string
		n, sub int
		ok     bool
	}{
		{"第一百二十条之一", 120, 1, true},
		{" 第 120 条 ", 120, 0, true},
		{"第１２０条之２", 120, 2, true},
		{"第120条之一", 120, 1, true},
		{"第一千二百六十条", 1260, 0, true},
		{"第〇条", 0, 0, false},
		{"第0条", 0, 0, false},
		{"第一款", 0, 0, false},
		{"第一条第二款", 0, 0, false},
		{"第七一条", 0, 0, false},
		{"第12345条", 0, 0, false},
		{"一百二十条", 0, 0, false},
		{"第条", 0, 0, false},
		{"第一条之", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		n, sub, ok := ParseLabel(tt.in)
		if n != tt.n || sub != tt.sub || ok != tt.ok {
			t.Errorf("ParseLabel(%q) = %d, %d, %v; want %d, %d, %v", tt.in, n, sub, ok, tt.n, tt.sub, tt.ok)
		}
	}
}

func TestSearchKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"中华人民共和国 民法典", "中华人民共和国民法典"},
		{"《中华人民共和国民法典》第一千二百六十条", "中华人民共和国民法典第一千二百六十条"},
		{"ＷＴＯ　规则（２０２４）", "wto规则2024"},
		{"“以上”、“以下”，包括本数；", "以上以下包括本数"},
		{"第一条\n为了保护……", "第一条为了保护"},
		{"100%_a\\b", "100ab"},
		{"zero\u200bwidth", "zerowidth"},
		{"1+1～2", "1+1~2"},
	}
	for _, tt := range tests {
		if got := SearchKey(tt.in); got != tt.want {
			t.Errorf("SearchKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
