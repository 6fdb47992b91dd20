package outline

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// long pads a line to look like a page of running text.
func long(s string) string { return strings.Repeat("推进法治宣传教育工作", 3) + s }

func TestClean(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		markers []int // source offsets of the markers removed
	}{
		{
			name: "page markers in mid-sentence are removed and the halves joined",
			in:   "1、" + long("深入开展法治宣") + "\n2、传教育，增强" + long("全民法治") + "\n3、观念。",
			want: long("深入开展法治宣") + "传教育，增强" + long("全民法治") + "观念。",
			markers: []int{0, len([]rune("1、"+long("深入开展法治宣"))) + 1,
				len([]rune("1、"+long("深入开展法治宣")+"\n2、传教育，增强"+long("全民法治"))) + 1},
		},
		{
			name:    "a marker inside quotes",
			in:      "1、" + long("组织开展“") + "\n2、415”全民国家安全教育日活动。",
			want:    long("组织开展“") + "415”全民国家安全教育日活动。",
			markers: []int{0, len([]rune("1、"+long("组织开展“"))) + 1},
		},
		{
			name: "a real list that closes its sentences is kept",
			in:   "工作要求：\n1、加强组织领导，明确责任分工。\n2、强化督促检查，确保工作落实。\n3、注重宣传引导。",
			want: "工作要求：\n1、加强组织领导，明确责任分工。\n2、强化督促检查，确保工作落实。\n3、注重宣传引导。",
		},
		{
			name: "a list of short headings is kept",
			in:   "一、总体要求\n1、指导思想\n2、工作目标\n3、基本原则",
			want: "一、总体要求\n1、指导思想\n2、工作目标\n3、基本原则",
		},
		{
			name: "a lone number at a line start is kept",
			in:   long("开展法治宣传") + "\n5、加强领导",
			want: long("开展法治宣传") + "\n5、加强领导",
		},
		{
			name: "site chrome lines are dropped",
			in: "首页 > 行业资料 > 党政相关\n《工作要点.docx》由会员分享,可在线阅读\n上传人：张三\n" +
				"一、总体要求\n第1页 / 共9页\n- 2 -\n二、主要任务",
			want: "一、总体要求\n二、主要任务",
		},
		{
			name: "CRLF and CR line ends",
			in:   "一、总体要求\r\n二、主要任务\r三、保障措施",
			want: "一、总体要求\n二、主要任务\n三、保障措施",
		},
		{
			name: "a long line quoting a chrome phrase is text",
			in:   strings.Repeat("长", 310) + "由会员分享",
			want: strings.Repeat("长", 310) + "由会员分享",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []rune(tt.in)
			got, warns := clean(src)
			if diff := cmp.Diff(tt.want, string(got.r)); diff != "" {
				t.Errorf("cleaned text mismatch (-want +got):\n%s", diff)
			}
			var at []int
			for _, w := range warns {
				if w.Kind != WarnPageMarker {
					t.Errorf("unexpected warning %+v", w)
				}
				at = append(at, w.At)
				if !isDigit(src[w.At]) {
					t.Errorf("warning at %d points at %q, not at a marker", w.At, src[w.At])
				}
			}
			if diff := cmp.Diff(tt.markers, at); diff != "" {
				t.Errorf("marker offsets mismatch (-want +got):\n%s", diff)
			}
			// Every kept rune points back at itself in the source.
			for i, c := range got.r {
				if c != '\n' && src[got.at[i]] != c {
					t.Fatalf("rune %d %q maps to source %d %q", i, c, got.at[i], src[got.at[i]])
				}
			}
		})
	}
}

func TestUnfinished(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{long("的生动实践"), true},
		{long("“"), true},
		{long("(县、"), true},
		{long("营造良好氛围。"), false},
		{long("“公正与效率”。"), false},
		{long("主旋律。”"), false},
		{long("谈四点要求："), false},
		{long("特色”"), true},
		{"一、总体要求", false}, // short: a heading
	}
	for _, tt := range tests {
		if got := unfinished([]rune(tt.in)); got != tt.want {
			t.Errorf("unfinished(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIsChrome(t *testing.T) {
	for _, l := range []string{
		"《在2023年全区推动普法宣传专题会议上的讲话.docx》由会员分享,可在线阅读,更多相关《在2023年全区推动普法宣传专题会议上的讲话.docx(9页珍藏版)》请在第一文库网上搜索。",
		"上传人：普法小助手",
		"第 3 页 / 共 9 页",
		"第3页共9页",
		"— 12 —",
		"当前位置：首页 > 范文 > 工作要点",
	} {
		if !isChrome([]rune(l)) {
			t.Errorf("isChrome(%q) = false", l)
		}
	}
	for _, l := range []string{"一、总体要求", "2023年全国普法依法治理工作要点", "第三章 监督管理", "3 > 2"} {
		if isChrome([]rune(l)) {
			t.Errorf("isChrome(%q) = true", l)
		}
	}
}
