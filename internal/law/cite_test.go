package law

import "testing"

func TestFindCitation(t *testing.T) {
	for _, tt := range []struct{ in, title, label string }{
		{`解析：依据《宪法》第六十条：“全国人民代表大会每届任期五年。”`, "宪法", "第六十条"},
		{`根据《中华人民共和国民法典》的第一千一百六十五条之一`, "中华人民共和国民法典", "第一千一百六十五条之一"},
		{`见《刑法》第一百二十条之二和第三条`, "刑法", "第一百二十条之二"},
		{`宪法第三条`, "", ""},
		{`《宪法》序言`, "", ""},
	} {
		title, label, ok := FindCitation(tt.in)
		if title != tt.title || label != tt.label || ok != (tt.title != "") {
			t.Errorf("FindCitation(%q) = %q, %q, %v", tt.in, title, label, ok)
		}
	}
}
