package outline

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// outlineLines renders nodes one per line, "kind style label title",
// indented by depth.
func outlineLines(nodes []*Node) []string {
	var out []string
	var walk func([]*Node, string)
	walk = func(ns []*Node, ind string) {
		for _, n := range ns {
			s := fmt.Sprintf("%s%s %s %s %s", ind, n.Kind, n.Style, n.Label, n.Title)
			if n.Incomplete {
				s += " [incomplete]"
			}
			out = append(out, s)
			walk(n.Children, ind+"  ")
		}
	}
	walk(nodes, "")
	return out
}

// warningKinds lists the kinds of the warnings, in order.
func warningKinds(ws []Warning) []string {
	var out []string
	for _, w := range ws {
		out = append(out, string(w.Kind))
	}
	return out
}

func TestParseTextTree(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []string
		preamble string
		warnings []string
	}{
		{
			name: "nested styles",
			in: "2023年区普法依法治理工作要点\n一、总体要求\n（一）指导思想\n坚持以习近平法治思想为指导。\n（二）工作目标\n" +
				"1.完善责任清单。\n2.开展宪法宣传。\n(1)宪法宣传周；\n(2)民法典宣传月。\n①进机关，②进校园。\n" +
				"二、保障措施\n加强领导。一是统一思想，二是压实责任。",
			want: []string{
				"section cn 一 总体要求",
				"  subsection cn-paren 一 指导思想",
				"  subsection cn-paren 二 工作目标",
				"    item arabic 1 完善责任清单",
				"    item arabic 2 开展宪法宣传",
				"      subitem arabic-paren 1 宪法宣传周",
				"      subitem arabic-paren 2 民法典宣传月",
				"        subitem circled ① 进机关",
				"        subitem circled ② 进校园",
				"section cn 二 保障措施",
				"  point cn-shi 一 统一思想",
				"  point cn-shi 二 压实责任",
			},
		},
		{
			name: "items numbered on across sections",
			in:   "一、学习宣传\n1.学习党的二十大精神。\n2.宣传习近平法治思想。\n二、宪法宣传\n3.开展宪法宣传周活动。",
			want: []string{
				"section cn 一 学习宣传",
				"  item arabic 1 学习党的二十大精神",
				"  item arabic 2 宣传习近平法治思想",
				"section cn 二 宪法宣传",
				"  item arabic 3 开展宪法宣传周活动",
			},
		},
		{
			name: "items numbered afresh in each section",
			in:   "一、学习宣传\n1.学习党的二十大精神。\n2.宣传习近平法治思想。\n二、宪法宣传\n1.开展宪法宣传周活动。",
			want: []string{
				"section cn 一 学习宣传",
				"  item arabic 1 学习党的二十大精神",
				"  item arabic 2 宣传习近平法治思想",
				"section cn 二 宪法宣传",
				"  item arabic 1 开展宪法宣传周活动",
			},
		},
		{
			name: "a number inside an item that does not continue is text",
			in:   "13 .组织开展示范创建。\n14 .深化示范村创建。以示范村创建20周年为契机，总结经验。15 .组织复核。",
			want: []string{}, // 13 does not start a sequence
		},
		{
			name: "创建20周年 inside item 2 is not item 20",
			in:   "1.组织开展示范创建。\n2.深化示范村创建。以示范村创建20周年为契机，总结经验。\n3.组织复核。",
			want: []string{
				"section arabic 1 组织开展示范创建",
				"section arabic 2 深化示范村创建",
				"section arabic 3 组织复核",
			},
		},
		{
			name: "a bare number continuing the sequence is an item",
			in:   "1.宣传民法典。2.宣传法律法规。3加强国家安全法治宣传教育。4.宣传党内法规。",
			want: []string{
				"section arabic 1 宣传民法典",
				"section arabic 2 宣传法律法规",
				"section arabic 3 加强国家安全法治宣传教育",
				"section arabic 4 宣传党内法规",
			},
		},
		{
			name: "a bare number that does not continue is text",
			in:   "1.宣传民法典。5加强国家安全法治宣传教育。2.宣传党内法规。",
			want: []string{
				"section arabic 1 宣传民法典",
				"section arabic 2 宣传党内法规",
			},
		},
		{
			name: "a heading runs into the first item",
			in:   "一、全面学习贯彻习近平法治思想1 .把思想统一起来。2 .贯彻落实。二、围绕大局开展宣传3 .开展宪法宣传。",
			want: []string{
				"section cn 一 全面学习贯彻习近平法治思想",
				"  item arabic 1 把思想统一起来",
				"  item arabic 2 贯彻落实",
				"section cn 二 围绕大局开展宣传",
				"  item arabic 3 开展宪法宣传",
			},
		},
		{
			name: "chapters and articles",
			in: "第一章　总则\n第一条　为了规范普法工作，制定本办法。\n第二条　本办法适用于本区。\n第二条之一　各单位应当落实普法责任制。\n" +
				"第二章　职责\n第三条　区司法局负责组织实施。依照第一条规定执行。",
			want: []string{
				"chapter chapter 第一章 总则",
				"  article article 第一条 为了规范普法工作，制定本办法",
				"  article article 第二条 本办法适用于本区",
				"  article article 第二条之一 各单位应当落实普法责任制",
				"chapter chapter 第二章 职责",
				"  article article 第三条 区司法局负责组织实施",
			},
		},
		{
			name:     "一是 in a preamble stays in the preamble",
			in:       "同志们，今天开会，一是总结去年工作，二是部署今年任务。\n一、提高站位\n二、狠抓落实",
			want:     []string{"section cn 一 提高站位", "section cn 二 狠抓落实"},
			preamble: "同志们，今天开会，一是总结去年工作，二是部署今年任务。",
		},
		{
			name:     "text cut off in the last item",
			in:       "1.开展宪法宣传。\n2.开展民法典宣传。\n3.加强全民普法理论研究和",
			want:     []string{"section arabic 1 开展宪法宣传", "section arabic 2 开展民法典宣传", "section arabic 3 加强全民普法理论研究和 [incomplete]"},
			warnings: []string{"truncated"},
		},
		{
			name: "a list of headings without full stops is not cut off",
			in:   "1.完善责任清单\n2.开展宪法宣传周活动",
			want: []string{"section arabic 1 完善责任清单", "section arabic 2 开展宪法宣传周活动"},
		},
		{
			name:     "a skipped number is reported",
			in:       "1.开展宪法宣传。\n2.开展民法典宣传。\n4.深入宣传党内法规。",
			want:     []string{"section arabic 1 开展宪法宣传", "section arabic 2 开展民法典宣传"},
			warnings: []string{"numbering"},
		},
		{
			name:     "no numbering",
			in:       "现将有关事项通知如下。请认真贯彻落实。",
			want:     []string{},
			preamble: "现将有关事项通知如下。请认真贯彻落实。",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ParseText(tt.in)
			if len(res.Documents) != 1 {
				t.Fatalf("got %d documents, want 1: %+v", len(res.Documents), res.Documents)
			}
			doc := res.Documents[0]
			got := outlineLines(doc.Nodes)
			if got == nil {
				got = []string{}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("outline mismatch (-want +got):\n%s", diff)
			}
			if tt.preamble != "" && doc.Preamble != tt.preamble {
				t.Errorf("preamble = %q, want %q", doc.Preamble, tt.preamble)
			}
			if diff := cmp.Diff(tt.warnings, warningKinds(res.Warnings)); diff != "" {
				t.Errorf("warnings mismatch (-want +got):\n%s\n%+v", diff, res.Warnings)
			}
		})
	}
}

func TestParseTextOwnText(t *testing.T) {
	res := ParseText("一、总体要求\n坚持依法治区。\n1.完善清单。建立制度。\n2.开展宣传。")
	sec := res.Documents[0].Nodes[0]
	if want := "总体要求\n坚持依法治区。"; sec.Text != want {
		t.Errorf("section text = %q, want %q (its own, not its children's)", sec.Text, want)
	}
	if want := "完善清单。建立制度。"; sec.Children[0].Text != want {
		t.Errorf("item text = %q, want %q", sec.Children[0].Text, want)
	}
	if sec.At != 0 || sec.Children[1].At != utf8.RuneCountInString(res.Source[:strings.Index(res.Source, "2.")]) {
		t.Errorf("offsets: section %d, item 2 %d", sec.At, sec.Children[1].At)
	}
}

func TestParseTextEmpty(t *testing.T) {
	for _, in := range []string{"", "  \n\t\n", "\uFEFF"} {
		res := ParseText(in)
		if len(res.Documents) != 0 || res.Documents == nil || res.Warnings == nil {
			t.Errorf("ParseText(%q) = %+v, want no documents and non-nil slices", in, res)
		}
	}
}
