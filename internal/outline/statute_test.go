package outline

import (
	"encoding/xml"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// statuteLines renders a statute's nodes one per line, indented by depth:
// headings as "kind label title", articles as "article label", since an
// article's title is its first sentence.
func statuteLines(nodes []*Node) []string {
	var out []string
	var walk func([]*Node, string)
	walk = func(ns []*Node, ind string) {
		for _, n := range ns {
			s := fmt.Sprintf("%s%s %s %s", ind, n.Kind, n.Label, n.Title)
			if n.Kind == KindArticle {
				s = ind + "article " + n.Label
			}
			out = append(out, strings.TrimRight(s, " "))
			walk(n.Children, ind+"  ")
		}
	}
	walk(nodes, "")
	return out
}

// findNode returns the first node with the label, depth first.
func findNode(nodes []*Node, label string) *Node {
	for _, n := range nodes {
		if n.Label == label {
			return n
		}
		if f := findNode(n.Children, label); f != nil {
			return f
		}
	}
	return nil
}

func TestParseTextStatute(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []string
		warnings []string
	}{
		{
			name: "编, 分编, 章, 节 and the unnumbered 附则",
			in: "第二编　物　　权\n第一分编　通　　则\n第一章　一般规定\n" +
				"第二百零五条　本编调整因物的归属和利用产生的民事关系。\n" +
				"第二百零六条　国家坚持和完善公有制为主体、多种所有制经济共同发展，按劳分配为主体、多种分配方式并存，社会主义市场经济体制等社会主义基本经济制度。\n" +
				"国家巩固和发展公有制经济，鼓励、支持和引导非公有制经济的发展。\n" +
				"国家实行社会主义市场经济，保障一切市场主体的平等法律地位和发展权利。\n" +
				"第二百零七条　国家、集体、私人的物权和其他权利人的物权受法律平等保护，任何组织或者个人不得侵犯。\n" +
				"第二百零八条　不动产物权的设立、变更、转让和消灭，应当依照法律规定登记。动产物权的设立和转让，应当依照法律规定交付。\n" +
				"第二章　物权的设立、变更、转让和消灭\n第一节　不动产登记\n" +
				"第二百零九条　不动产物权的设立、变更、转让和消灭，经依法登记，发生效力；未经登记，不发生效力，但是法律另有规定的除外。\n" +
				"依法属于国家所有的自然资源，所有权可以不登记。\n" +
				"第二分编　所　有　权\n第四章　一般规定\n" +
				"第二百四十条　所有权人对自己的不动产或者动产，依法享有占有、使用、收益和处分的权利。\n" +
				"附　　则\n" +
				"第一千二百五十九条　民法所称的“以上”、“以下”、“以内”、“届满”，包括本数；所称的“不满”、“超过”、“以外”，不包括本数。\n" +
				"第一千二百六十条　本法自2021年1月1日起施行。",
			want: []string{
				"part 第二编 物权",
				"  subpart 第一分编 通则",
				"    chapter 第一章 一般规定",
				"      article 第二百零五条",
				"      article 第二百零六条",
				"      article 第二百零七条",
				"      article 第二百零八条",
				"    chapter 第二章 物权的设立、变更、转让和消灭",
				"      division 第一节 不动产登记",
				"        article 第二百零九条",
				"  subpart 第二分编 所有权",
				"    chapter 第四章 一般规定",
				"      article 第二百四十条",
				"part 附则",
				"  article 第一千二百五十九条",
				"  article 第一千二百六十条",
			},
			// The excerpt skips chapter 3 and articles 210–239 and
			// 241–1258: each is taken as written and reported.
			warnings: []string{"numbering", "numbering", "numbering"},
		},
		{
			name: "项 and 目 stay in the article's text",
			in: "第一条　为了规范普法工作，制定本办法。\n" +
				"第二条　区司法局履行下列职责：\n（一）制定普法规划；\n（二）组织宪法宣传：\n1.宪法宣传周；\n2.宪法宣誓。\n" +
				"（三）指导普法责任制落实。\n各单位应当予以配合。\n" +
				"第三条　本办法自发布之日起施行。",
			want: []string{"article 第一条", "article 第二条", "article 第三条"},
		},
		{
			name: "an article glued to its text continues its sequence",
			in:   "第一条为了规范普法工作，制定本办法。\n第二条本办法适用于本区。",
			want: []string{"article 第一条", "article 第二条"},
		},
		{
			name: "a line citing an article is text",
			in:   "第一条　各单位应当落实普法责任制。\n第二十条规定的情形除外。\n第二条　本办法自发布之日起施行。",
			want: []string{"article 第一条", "article 第二条"},
		},
		{
			name:     "a repeated article is kept and reported",
			in:       "第一条　甲。\n第二条　乙。\n第二条　丙。\n第三条　丁。",
			want:     []string{"article 第一条", "article 第二条", "article 第二条", "article 第三条"},
			warnings: []string{"numbering"},
		},
		{
			name: "之一 articles",
			in: "第一百二十条　组织、领导恐怖活动组织的，处十年以上有期徒刑。\n第一百二十条之一　资助恐怖活动组织的，处五年以下有期徒刑。\n" +
				"第一百二十条之二　有下列情形之一的，处五年以下有期徒刑：\n（一）为实施恐怖活动准备凶器的；\n（二）组织恐怖活动培训的。\n" +
				"第一百二十一条　以暴力、胁迫或者其他方法劫持航空器的，处十年以上有期徒刑或者无期徒刑。",
			want: []string{"article 第一百二十条", "article 第一百二十条之一", "article 第一百二十条之二", "article 第一百二十一条"},
		},
		{
			name: "one article quoted in a work plan's section is text",
			in:   "一、总体要求\n依照条例规定：\n第十二条　各单位应当落实普法责任制。\n二、主要任务\n1.开展宪法宣传。",
			want: []string{"section 一 总体要求", "section 二 主要任务", "  item 1 开展宪法宣传"},
		},
		{
			name: "a work plan takes its numbering back after a quoted 第一条",
			in:   "一、学习宪法\n第一条　中华人民共和国是工人阶级领导的、以工农联盟为基础的人民民主专政的社会主义国家。\n二、学习民法典\n（一）开展民法典宣传月活动",
			want: []string{"section 一 学习宪法", "article 第一条", "section 二 学习民法典", "  subsection 一 开展民法典宣传月活动"},
		},
		{
			name: "a 目录 with dot leaders and page numbers is left out",
			in: "区普法工作条例\n目　录\n第一章　总则……………1\n第二章　职责……………2\n附　则……………3\n" +
				"第一章　总则\n第一条　为了规范普法工作，制定本条例。\n第二章　职责\n第二条　区司法局负责组织实施。\n" +
				"附　则\n第三条　本条例自2024年1月1日起施行。",
			want: []string{"chapter 第一章 总则", "  article 第一条", "chapter 第二章 职责", "  article 第二条", "chapter 附则", "  article 第三条"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ParseText(tt.in)
			if len(res.Documents) != 1 {
				t.Fatalf("got %d documents, want 1", len(res.Documents))
			}
			if diff := cmp.Diff(tt.want, statuteLines(res.Documents[0].Nodes)); diff != "" {
				t.Errorf("outline mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.warnings, warningKinds(res.Warnings)); diff != "" {
				t.Errorf("warnings mismatch (-want +got):\n%s\n%+v", diff, res.Warnings)
			}
		})
	}
}

func TestParseTextStatuteText(t *testing.T) {
	res := ParseText("第二章　职责\n第二条　区司法局履行下列职责：\n（一）制定普法规划；\n1.宪法宣传周；\n（二）指导普法责任制落实。\n各单位应当予以配合。\n第三条　本办法自发布之日起施行。")
	ch := res.Documents[0].Nodes[0]
	art := ch.Children[0]
	want := "区司法局履行下列职责：\n（一）制定普法规划；\n1.宪法宣传周；\n（二）指导普法责任制落实。\n各单位应当予以配合。"
	if art.Text != want || art.Title != "区司法局履行下列职责" || len(art.Children) != 0 {
		t.Errorf("article text %q, title %q, %d children", art.Text, art.Title, len(art.Children))
	}
	if ch.Text != "职责" {
		t.Errorf("chapter text %q, want only its title", ch.Text)
	}
}

// TestWorkPlanUnderChapter checks that a chapter without articles still
// holds a work plan's numbered items: only an article keeps its
// enumerations as text.
func TestWorkPlanUnderChapter(t *testing.T) {
	res := ParseText("第一章　总体要求\n（一）指导思想\n（二）工作目标\n1.完善清单。\n第二章　主要任务\n（一）宪法宣传")
	want := []string{
		"chapter chapter 第一章 总体要求",
		"  subsection cn-paren 一 指导思想",
		"  subsection cn-paren 二 工作目标",
		"    item arabic 1 完善清单",
		"chapter chapter 第二章 主要任务",
		"  subsection cn-paren 一 宪法宣传",
	}
	if diff := cmp.Diff(want, outlineLines(res.Documents[0].Nodes)); diff != "" {
		t.Errorf("outline mismatch (-want +got):\n%s", diff)
	}
}

// statuteFixture is what a fixture in testdata must outline to.
type statuteFixture struct {
	file     string
	title    string
	encoding Encoding
	preamble string // its start
	want     []string
	warnings []string
	texts    map[string]string // article label → its text
}

var civilCode = statuteFixture{
	file:     "civil_code.txt",
	title:    "中华人民共和国民法典",
	encoding: EncodingUTF8,
	preamble: "（2020年5月28日第十三届全国人民代表大会第三次会议通过）",
	want: append(append([]string{
		"part 第一编 总则",
		"  chapter 第一章 基本规定",
	}, articles("    ", 1, 12)...), append(append([]string{
		"  chapter 第二章 自然人",
		"    division 第一节 民事权利能力和民事行为能力",
	}, articles("      ", 13, 25)...), append([]string{
		"    division 第二节 监护",
	}, articles("      ", 26, 28)...)...)...),
	texts: map[string]string{
		"第二十七条": "父母是未成年子女的监护人。\n未成年人的父母已经死亡或者没有监护能力的，由下列有监护能力的人按顺序担任监护人：\n" +
			"（一）祖父母、外祖父母；\n（二）兄、姐；\n（三）其他愿意担任监护人的个人或者组织，但是须经未成年人住所地的居民委员会、村民委员会或者民政部门同意。",
		"第十八条": "成年人为完全民事行为能力人，可以独立实施民事法律行为。\n十六周岁以上的未成年人，以自己的劳动收入为主要生活来源的，视为完全民事行为能力人。",
	},
}

var criminalLaw = statuteFixture{
	file:     "criminal_law.gb18030.txt",
	title:    "中华人民共和国刑法",
	encoding: EncodingGB18030,
	preamble: "（1979年7月1日第五届全国人民代表大会第二次会议通过",
	want: []string{
		"part 第一编 总则",
		"  chapter 第一章 刑法的任务、基本原则和适用范围",
		"    article 第一条",
		"    article 第二条",
		"    article 第三条",
		"part 第二编 分则",
		"  chapter 第二章 危害公共安全罪",
		"    article 第一百二十条",
		"    article 第一百二十条之一",
		"    article 第一百二十条之二",
		"    article 第一百二十条之三",
		"    article 第一百二十条之四",
		"    article 第一百二十条之五",
		"    article 第一百二十条之六",
		"    article 第一百二十一条",
		"part 附则",
		"  article 第四百五十二条",
	},
	// An excerpt: articles 4–119 and 122–451 are not in it.
	warnings: []string{"numbering", "numbering"},
	texts: map[string]string{
		"第一百二十条之二": "有下列情形之一的，处五年以下有期徒刑、拘役、管制或者剥夺政治权利，并处罚金或者没收财产；情节严重的，处五年以上有期徒刑，并处罚金或者没收财产：\n" +
			"（一）为实施恐怖活动准备凶器、危险物品或者其他工具的；\n（二）组织恐怖活动培训或者积极参加恐怖活动培训的；\n" +
			"（三）为实施恐怖活动与境外恐怖活动组织或者人员联络的；\n（四）为实施恐怖活动进行策划或者其他准备的。\n" +
			"有前款行为，同时构成其他犯罪的，依照处罚较重的规定定罪处罚。",
	},
}

var constitution = statuteFixture{
	file:     "constitution.txt",
	title:    "中华人民共和国宪法",
	encoding: EncodingUTF8,
	preamble: "（1982年12月4日第五届全国人民代表大会第五次会议通过",
	want: append(append([]string{
		"chapter 第一章 总纲",
	}, articles("  ", 1, 5)...),
		"chapter 第三章 国家机构",
		"  division 第一节 全国人民代表大会",
		"    article 第五十七条",
		"    article 第五十八条",
	),
	// An excerpt: chapter 2 and articles 6–56 are not in it.
	warnings: []string{"numbering", "numbering"},
	texts: map[string]string{
		"第五十八条": "全国人民代表大会和全国人民代表大会常务委员会行使国家立法权。",
	},
}

// articles lists "article 第N条" lines for from..to, indented.
func articles(indent string, from, to int) []string {
	var out []string
	for n := from; n <= to; n++ {
		out = append(out, indent+"article 第"+cnNumber(n)+"条")
	}
	return out
}

func TestStatuteFixtures(t *testing.T) {
	for _, fx := range []statuteFixture{civilCode, criminalLaw, constitution} {
		t.Run(fx.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + fx.file)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			checkStatute(t, fx, res)
		})
	}
}

// TestStatuteDocx reads the constitution fixture as a .docx, one
// paragraph per line.
func TestStatuteDocx(t *testing.T) {
	data, err := os.ReadFile("testdata/" + constitution.file)
	if err != nil {
		t.Fatal(err)
	}
	var body strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var esc strings.Builder
		if err := xml.EscapeText(&esc, []byte(l)); err != nil {
			t.Fatal(err)
		}
		body.WriteString(p(esc.String()))
	}
	res, err := Parse(docx(t, body.String(), "", ""))
	if err != nil {
		t.Fatal(err)
	}
	fx := constitution
	fx.encoding = EncodingDocx
	checkStatute(t, fx, res)
}

// checkStatute compares an outline with a fixture's expectations.
func checkStatute(t *testing.T, fx statuteFixture, res *Result) {
	t.Helper()
	checkResult(t, res)
	if res.Encoding != fx.encoding {
		t.Errorf("encoding %s, want %s", res.Encoding, fx.encoding)
	}
	if len(res.Documents) != 1 {
		t.Fatalf("got %d documents, want 1", len(res.Documents))
	}
	doc := res.Documents[0]
	if doc.Title != fx.title || !strings.HasPrefix(doc.Preamble, fx.preamble) {
		t.Errorf("title %q, preamble %q", doc.Title, doc.Preamble)
	}
	if strings.Contains(doc.Preamble, "目") && strings.Contains(doc.Preamble, "第一章") {
		t.Errorf("the 目录 is in the preamble: %q", doc.Preamble)
	}
	if diff := cmp.Diff(fx.want, statuteLines(doc.Nodes)); diff != "" {
		t.Errorf("outline mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(fx.warnings, warningKinds(res.Warnings)); diff != "" {
		t.Errorf("warnings mismatch (-want +got):\n%s\n%+v", diff, res.Warnings)
	}
	for label, want := range fx.texts {
		n := findNode(doc.Nodes, label)
		if n == nil {
			t.Errorf("no %s", label)
		} else if n.Text != want || len(n.Children) != 0 {
			t.Errorf("%s: text %q, %d children; want %q", label, n.Text, len(n.Children), want)
		}
	}
}

func TestContentsSpan(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // the text the span covers, trimmed
	}{
		{"ends where the first entry repeats", "目录\n第一章 总则\n第二章 附则\n第一章 总则\n第一条 甲。", "目录\n第一章 总则\n第二章 附则"},
		{"spaced out, with page numbers", "目　　录\n序　　言……1\n第一章　总纲……3\n序　　言\n中国是世界上历史最悠久的国家之一。", "目　　录\n序　　言……1\n第一章　总纲……3"},
		{"ends at prose when nothing repeats", "目录\n第一章 总则\n本条例所称普法，是指法治宣传教育。", "目录\n第一章 总则"},
		{"a 目录 line without entries is none", "目录\n第一条 甲。", ""},
		{"not looked for after the first article", "第一条 甲。\n目录\n第一章 总则", ""},
		{"a word that only contains 目录 is none", "目录管理\n第一章 总则", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := []rune(tt.in)
			sp := contentsSpan(r, 0, len(r))
			if got := string(trimSpace(r[sp[0]:sp[1]])); got != tt.want {
				t.Errorf("contents %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCloseHanSpaces(t *testing.T) {
	for in, want := range map[string]string{
		"总　　则":          "总则",
		"人 格 权":         "人格权",
		"世界贸易组织 WTO 规则": "世界贸易组织 WTO 规则",
	} {
		if got := closeHanSpaces(in); got != want {
			t.Errorf("closeHanSpaces(%q) = %q, want %q", in, got, want)
		}
	}
}
