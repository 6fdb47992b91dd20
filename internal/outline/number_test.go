package outline

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCN(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"一", 1, true},
		{"九", 9, true},
		{"十", 10, true},
		{"十一", 11, true},
		{"二十", 20, true},
		{"二十三", 23, true},
		{"一百", 100, true},
		{"一百二十", 120, true},
		{"一百零一", 101, true},
		{"一千零一", 1001, true},
		{"七一", 0, false},
		{"十四五", 0, false},
		{"二〇二三", 0, false},
		{"零", 0, false},
		{"〇", 0, false},
		{"", 0, false},
		{"百", 0, false},
		{"一十十", 0, false},
		{"一百零", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseCN([]rune(tt.in))
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseCN(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCNNumberRoundTrip(t *testing.T) {
	for v := 1; v <= 2000; v++ {
		s := cnNumber(v)
		got, ok := parseCN([]rune(s))
		if !ok || got != v {
			t.Fatalf("cnNumber(%d) = %q, which parses as %d, %v", v, s, got, ok)
		}
	}
}

func TestCircledValue(t *testing.T) {
	for c, want := range map[rune]int{'①': 1, '⑩': 10, '⑳': 20, '㉑': 21, '㉟': 35, '㊱': 36, '㊿': 50} {
		if got, ok := circledValue(c); !ok || got != want {
			t.Errorf("circledValue(%c) = %d, %v; want %d", c, got, ok, want)
		}
	}
	if _, ok := circledValue('○'); ok {
		t.Error("○ is not a circled number")
	}
}

// tokenString renders a token for comparison.
func tokenString(tk token) string {
	s := fmt.Sprintf("%s %d %q", tk.style, tk.n, tk.label)
	if tk.sub != 0 {
		s += fmt.Sprintf(" sub %d", tk.sub)
	}
	if tk.bare {
		s += " bare"
	}
	if tk.supp {
		s = fmt.Sprintf("%q supp", tk.label)
	}
	return s + " " + [...]string{"glued", "comma", "space", "stop", "line"}[tk.str]
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"cn", "一、总体要求", []string{`cn 1 "一" line`}},
		{"cn full-width dot", "十二．加强领导", []string{`cn 12 "十二" line`}},
		{"cn-paren half", "(一)指导思想", []string{`cn-paren 1 "一" line`}},
		{"cn-paren full", "。（十一）工作目标", []string{`cn-paren 11 "十一" stop`}},
		{"arabic dot", "1.建立清单", []string{`arabic 1 "1" line`}},
		{"arabic comma", "2、建立清单", []string{`arabic 2 "2" line`}},
		{"arabic space dot", "。3 .推动", []string{`arabic 3 "3" stop`}},
		{"arabic full-width", "４．推动", []string{`arabic 4 "４" line`}},
		{"arabic bare", "建设。7加强国家安全", []string{`arabic 7 "7" bare stop`}},
		{"bare before a unit is a quantity", "建设。7个采集点", nil},
		{"bare glued is text", "创建20周年", nil},
		{"arabic-paren", "(1)宪法；（2）民法典", []string{`arabic-paren 1 "1" line`, `arabic-paren 2 "2" stop`}},
		{"arabic half paren", "1)宪法", []string{`arabic-paren 1 "1" line`}},
		{"circled", "①宪法，②民法典", []string{`circled 1 "①" line`, `circled 2 "②" comma`}},
		{"cn-shi", "结合主题教育，一是要深入学习。二是扎实推进", []string{`cn-shi 1 "一" comma`, `cn-shi 2 "二" stop`}},
		{"cn-shi inside a word", "统一是前提", nil},
		{"chapter", "第一章　总则", []string{`chapter 1 "第一章" line`}},
		{"article", "第十条 为了", []string{`article 10 "第十条" line`}},
		{"article with 之一", "第一百二十条之一　国家", []string{`article 120 "第一百二十条之一" sub 1 line`}},
		{"article cited in text", "依照第十条规定", nil},
		{"part", "第一编　总　　则", []string{`part 1 "第一编" line`}},
		{"subpart", "第二分编 所有权", []string{`subpart 2 "第二分编" line`}},
		{"division", "第一节　监护", []string{`division 1 "第一节" line`}},
		{"分 without 编 is no subpart", "第一分队", nil},
		{"附则 on its own line", "附　　则", []string{`"附则" supp line`}},
		{"附则 in a sentence is text", "附则部分", nil},
		{"year", "2023年", nil},
		{"decimal", "增长1.5倍", nil},
		{"list of numbers", "第1、2项", nil},
		{"enumeration 一、二", "一、二季度", []string{`cn 1 "一" line`}},
		{"numerals that are no number", "“七一”前后，“十四五”规划", nil},
		{"points are no number", "普法责任制（10分）", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tk := range tokenize([]rune(tt.in)) {
				got = append(got, tokenString(tk))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("tokenize(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}
