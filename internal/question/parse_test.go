package question

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// opts builds options A, B, C… from their texts.
func opts(texts ...string) []Option {
	out := make([]Option, len(texts))
	for i, t := range texts {
		out[i] = Option{Label: optionLetters[i : i+1], Text: t}
	}
	return out
}

// ans is an answer list.
func ans(a ...string) []string {
	if a == nil {
		return []string{}
	}
	return a
}

// single and the others build expected questions of section 0.
func single(n int, stem string, o []Option, a ...string) Question {
	return Question{N: n, Type: Single, Stem: stem, Options: o, Answer: ans(a...)}
}

func tf(n int, stem string, a ...string) Question {
	return Question{N: n, Type: TrueFalse, Stem: stem, Options: []Option{}, Answer: ans(a...)}
}

func inSection(sec int, q Question) Question { q.Section = sec; return q }

func withAnalysis(q Question, a string) Question { q.Analysis = a; return q }

// warningsOf renders warnings as "section/n message" for comparisons.
func warningsOf(b *Bank) []string {
	out := []string{}
	for _, w := range b.Warnings {
		out = append(out, fmt.Sprintf("%d/%d %s", w.Section, w.N, w.Message))
	}
	return out
}

// hasWarning reports a warning at section/n containing substr.
func hasWarning(b *Bank, sec, n int, substr string) bool {
	for _, w := range b.Warnings {
		if w.Section == sec && w.N == n && strings.Contains(w.Message, substr) {
			return true
		}
	}
	return false
}

func TestParseText_contract(t *testing.T) {
	// The JSON the command prints and the import preview reads.
	text := `一、单项选择题(共1题,每题1分)
1. 我国的根本大法是（ A ）。
A. 宪法 B. 刑法
二、判断题
1. 宪法是国家的根本法。（√）
2. 全民国家安全教育日是每年的4月15日。（ ）
A.正确 B.错误`
	got, err := json.Marshal(ParseText(text))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"sections":[{"title":"单项选择题","declared_count":1,"declared_points":1},{"title":"判断题","declared_count":0,"declared_points":0}],` +
		`"questions":[{"section":0,"n":1,"type":"single","stem":"我国的根本大法是（ ）。","options":[{"label":"A","text":"宪法"},{"label":"B","text":"刑法"}],"answer":["A"],"analysis":""},` +
		`{"section":1,"n":1,"type":"truefalse","stem":"宪法是国家的根本法。（ ）","options":[],"answer":["true"],"analysis":""},` +
		`{"section":1,"n":2,"type":"truefalse","stem":"全民国家安全教育日是每年的4月15日。（ ）","options":[],"answer":[],"analysis":"","incomplete":true}],` +
		`"warnings":[{"section":1,"n":2,"message":"题目在文本末尾被截断，不完整"}]}`
	if string(got) != want {
		t.Errorf("JSON:\n got %s\nwant %s", got, want)
	}

	// An empty bank still has its three lists and the untitled section.
	got, _ = json.Marshal(ParseText(""))
	if want := `{"sections":[{"title":"","declared_count":0,"declared_points":0}],"questions":[],"warnings":[{"section":0,"n":0,"message":"没有识别出任何题目：题目应以题号开头，如“1.”“1、”“（1）”"}]}`; string(got) != want {
		t.Errorf("empty bank:\n got %s\nwant %s", got, want)
	}
	// A zero Bank, as the web layer might build one, marshals the same way.
	got, _ = json.Marshal(Bank{Questions: []Question{{Type: Essay, Stem: "简述宪法的地位。"}}})
	if want := `{"sections":[],"questions":[{"section":0,"n":0,"type":"essay","stem":"简述宪法的地位。","options":[],"answer":[],"analysis":""}],"warnings":[]}`; string(got) != want {
		t.Errorf("zero bank:\n got %s\nwant %s", got, want)
	}
}

func TestParseText_sections(t *testing.T) {
	for _, tc := range []struct {
		name, heading string
		want          Section
	}{
		{"count and points each", "一、单项选择题(共40题,每题1分)", Section{Title: "单项选择题", DeclaredCount: 40, DeclaredPoints: 40, Type: Single, PointsEach: 1}},
		{"count and total", "二、多项选择题（共10题，共20分）", Section{Title: "多项选择题", DeclaredCount: 10, DeclaredPoints: 20, Type: Multiple}},
		{"half points", "三、判断题（每小题0.5分，共10小题）", Section{Title: "判断题", DeclaredCount: 10, DeclaredPoints: 5, Type: TrueFalse, PointsEach: 0.5}},
		{"full-width dot, colon", "四．填空题：每题2分，共5题", Section{Title: "填空题", DeclaredCount: 5, DeclaredPoints: 10, Type: Fill, PointsEach: 2}},
		{"part", "第五部分 简答题（20分）", Section{Title: "简答题", DeclaredPoints: 20, Type: Essay}},
		{"exam style", "一、单项选择题（本大题共20小题，每小题1分，共20分。在每小题列出的四个备选项中只有一个是符合题目要求的）", Section{Title: "单项选择题", DeclaredCount: 20, DeclaredPoints: 20, Type: Single, PointsEach: 1}},
		{"chinese count", "二、判断题（共十题）", Section{Title: "判断题", DeclaredCount: 10, Type: TrueFalse}},
		{"bare", "单选题", Section{Title: "单选题", Type: Single}},
		{"brackets", "【多选题】", Section{Title: "多选题", Type: Multiple}},
		{"plain choice", "一、选择题", Section{Title: "选择题", Type: Single}},
		{"topic", "一、宪法知识", Section{Title: "宪法知识"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := ParseText(tc.heading + "\n1. 宪法是国家的根本法。（ ）\n")
			if diff := cmp.Diff([]Section{tc.want}, b.Sections); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("declaration on the next line", func(t *testing.T) {
		b := ParseText("一、单项选择题\n（每题1分，共40分）\n1. 宪法是（ A ）。\nA.根本法 B.普通法")
		if s := b.Sections[0]; s.DeclaredPoints != 40 || s.PointsEach != 1 {
			t.Errorf("section %+v", s)
		}
		if len(b.Questions) != 1 || b.Questions[0].Stem != "宪法是（ ）。" {
			t.Errorf("questions %+v", b.Questions)
		}
	})

	t.Run("count mismatch", func(t *testing.T) {
		b := ParseText("一、判断题（共3题）\n1. 宪法是根本法。（√）\n2. 法律面前人人平等。（√）")
		if !hasWarning(b, 0, 0, "标题声明共3题，实际识别出2题") {
			t.Errorf("warnings %q", warningsOf(b))
		}
	})

	t.Run("a stem is not a heading", func(t *testing.T) {
		b := ParseText("1. 下列属于判断题答题要求的是（ ）\nA.甲 B.乙\n答案：A\n2. 一个人的权利（ ）\nA.甲 B.乙\n答案：B")
		if len(b.Sections) != 1 || len(b.Questions) != 2 {
			t.Errorf("sections %+v, %d questions", b.Sections, len(b.Questions))
		}
	})
}

func TestParseText_numbering(t *testing.T) {
	const body = "宪法是国家的根本法。（√）"
	for _, tc := range []struct {
		name, text string
		wantN      []int
	}{
		{"dot", "1." + body + "\n2." + body, []int{1, 2}},
		{"full-width dot", "1．" + body + "\n2．" + body, []int{1, 2}},
		{"comma", "1、" + body + "\n2、" + body, []int{1, 2}},
		{"paren", "（1）" + body + "\n(2)" + body, []int{1, 2}},
		{"right paren", "1）" + body + "\n2)" + body, []int{1, 2}},
		{"di", "第1题 " + body + "\n第2题．" + body, []int{1, 2}},
		{"full-width digits", "１．" + body + "\n２．" + body, []int{1, 2}},
		{"mixed dot and comma", "1." + body + "\n2、" + body, []int{1, 2}},
		{"space before dot", "1 ." + body + "\n2 ." + body, []int{1, 2}},
		{"bare number", "1 " + body + "\n2 " + body, []int{1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := ParseText(tc.text)
			var got []int
			for _, q := range b.Questions {
				got = append(got, q.N)
				if q.Stem != "宪法是国家的根本法。（ ）" || q.Type != TrueFalse {
					t.Errorf("question %+v", q)
				}
			}
			if diff := cmp.Diff(tc.wantN, got); diff != "" {
				t.Errorf("numbers (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("restarts per section", func(t *testing.T) {
		b := ParseText(`一、单项选择题
1、宪法规定，国家尊重和保障（ A ）。
A、人权 B、民权
2、全国人大每届任期（ C ）年。
A、3 B、4 C、5 D、6
二、判断题
1、宪法是根本法。（√）
2、宪法日是5月1日。（×）`)
		var got []string
		for _, q := range b.Questions {
			got = append(got, fmt.Sprintf("%d/%d", q.Section, q.N))
		}
		if diff := cmp.Diff([]string{"0/1", "0/2", "1/1", "1/2"}, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})

	t.Run("restart without any heading stays in the one section", func(t *testing.T) {
		b := ParseText("1. 宪法是根本法。（√）\n2. 宪法日是12月4日。（√）\n1. 我国的根本大法是（ A ）\nA.宪法 B.刑法")
		if len(b.Sections) != 1 || len(b.Questions) != 3 || b.Questions[2].Section != 0 || b.Questions[2].N != 1 || len(b.Warnings) != 0 {
			t.Errorf("sections %+v questions %+v warnings %q", b.Sections, b.Questions, warningsOf(b))
		}
	})

	t.Run("restart under a titled file opens an untitled section", func(t *testing.T) {
		b := ParseText("一、判断题\n1. 宪法是根本法。（√）\n2. 宪法日是12月4日。（√）\n1. 我国的根本大法是（ A ）\nA.宪法 B.刑法")
		if len(b.Sections) != 2 || b.Sections[1].Title != "" || b.Questions[2].Section != 1 {
			t.Errorf("sections %+v questions %+v", b.Sections, b.Questions)
		}
	})

	t.Run("gap", func(t *testing.T) {
		b := ParseText("1. 我国的根本大法是（ A ）\nA.宪法 B.刑法\n3. 宪法日是（ A ）\nA.12月4日 B.5月1日")
		if len(b.Questions) != 2 || !hasWarning(b, 0, 3, "第1题之后是第3题") {
			t.Errorf("questions %d, warnings %q", len(b.Questions), warningsOf(b))
		}
	})

	t.Run("decimals and years are not numbers", func(t *testing.T) {
		b := ParseText("1. 罚款数额在\n1.5万元以上的，应当告知听证权利。（√）\n2. 依照宪法，\n2023 年3月全国人大召开会议。（√）")
		want := []Question{
			tf(1, "罚款数额在1.5万元以上的，应当告知听证权利。（ ）", True),
			tf(2, "依照宪法，2023 年3月全国人大召开会议。（ ）", True),
		}
		if diff := cmp.Diff(want, b.Questions); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})

	t.Run("sub-items in a stem", func(t *testing.T) {
		b := ParseText(`5. 下列关于民法典的说法，正确的有（ C ）
（1）民法典共7编
（2）民法典自2021年1月1日起施行
A.（1） B.（2） C.（1）（2） D.都不对
6. 宪法是根本法（ A ）
A.对 B.错 C.不确定`)
		want := []Question{
			single(5, "下列关于民法典的说法，正确的有（ ）\n（1）民法典共7编\n（2）民法典自2021年1月1日起施行", opts("（1）", "（2）", "（1）（2）", "都不对"), "C"),
			single(6, "宪法是根本法（ ）", opts("对", "错", "不确定"), "A"),
		}
		if diff := cmp.Diff(want, b.Questions); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

func TestParseText_options(t *testing.T) {
	four := opts("宪法", "刑法", "民法典", "行政诉讼法")
	for _, tc := range []struct {
		name, text string
		want       []Option
	}{
		{"one line, dots", "A.宪法 B.刑法 C.民法典 D.行政诉讼法", four},
		{"one line, 、 and ideographic spaces", "A、宪法　　B、刑法　　C、民法典　　D、行政诉讼法", four},
		{"full-width dots, no spaces", "A．宪法B．刑法C．民法典D．行政诉讼法", four},
		{"colons, one per line", "A:宪法\nB：刑法\nC:民法典\nD：行政诉讼法", four},
		{"two per line", "A. 宪法   B. 刑法\nC. 民法典 D. 行政诉讼法", four},
		{"parenthesized", "(A)宪法 (B)刑法\n（C）民法典 （D）行政诉讼法", four},
		{"right paren", "A)宪法\nB)刑法\nC）民法典\nD）行政诉讼法", four},
		{"full-width letters", "Ａ．宪法 Ｂ．刑法 Ｃ．民法典 Ｄ．行政诉讼法", four},
		{"tabs", "A.宪法\tB.刑法\tC.民法典\tD.行政诉讼法", four},
		{"wrapped option", "A.宪法\nB.中华人民共和国\n刑法\nC.民法典\nD.行政诉讼法", opts("宪法", "中华人民共和国刑法", "民法典", "行政诉讼法")},
		{"letters inside option text", "A.维生素B、维生素C B.刑法 C.民法典 D.行政诉讼法", opts("维生素B、维生素C", "刑法", "民法典", "行政诉讼法")},
		{"six options", "A.甲 B.乙 C.丙 D.丁 E.戊 F.己", opts("甲", "乙", "丙", "丁", "戊", "己")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := ParseText("1. 我国的根本大法是（ A ）。\n" + tc.text)
			if len(b.Questions) != 1 {
				t.Fatalf("%d questions: %+v", len(b.Questions), b.Questions)
			}
			q := b.Questions[0]
			if diff := cmp.Diff(tc.want, q.Options); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
			if q.Stem != "我国的根本大法是（ ）。" || !cmp.Equal(q.Answer, []string{"A"}) {
				t.Errorf("stem %q answer %q", q.Stem, q.Answer)
			}
		})
	}

	t.Run("options on the stem's line", func(t *testing.T) {
		b := ParseText("1、我国现行宪法是（ ）年通过的。A．1954 B．1975 C．1978 D．1982 答案：D")
		want := single(1, "我国现行宪法是（ ）年通过的。", opts("1954", "1975", "1978", "1982"), "D")
		if diff := cmp.Diff([]Question{want}, b.Questions); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})

	t.Run("answer before the options", func(t *testing.T) {
		b := ParseText("1. 我国的根本大法是（ ）。\n答案：A\nA.宪法 B.刑法")
		want := single(1, "我国的根本大法是（ ）。", opts("宪法", "刑法"), "A")
		if diff := cmp.Diff([]Question{want}, b.Questions); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})

	t.Run("labels out of sequence", func(t *testing.T) {
		b := ParseText("1. 我国的根本大法是（ A ）。\nA.宪法\nB.刑法\nD.民法典\n2. 宪法日是（ A ）\nA.12月4日 B.5月1日")
		if !hasWarning(b, 0, 1, "选项标号不连续") {
			t.Errorf("warnings %q", warningsOf(b))
		}
	})
}

func TestParseText_answers(t *testing.T) {
	ab := opts("宪法", "刑法", "民法典", "行政诉讼法")
	for _, tc := range []struct {
		name, text string
		want       Question
	}{
		{"in brackets", "1. 我国的根本大法是(A)。\nA.宪法 B.刑法 C.民法典 D.行政诉讼法",
			single(1, "我国的根本大法是( )。", ab, "A")},
		{"in full-width brackets with spaces", "1. 我国的根本大法是（ B ）。\nA.宪法 B.刑法 C.民法典 D.行政诉讼法",
			single(1, "我国的根本大法是（ ）。", ab, "B")},
		{"bracket at the start", "1.（A）我国的根本大法是（ ）。\nA.宪法 B.刑法 C.民法典 D.行政诉讼法",
			single(1, "（ ）我国的根本大法是（ ）。", ab, "A")},
		{"multiple in brackets", "1. 下列属于法律的有（AB）\nA.宪法 B.刑法 C.民法典 D.行政诉讼法",
			Question{N: 1, Type: Multiple, Stem: "下列属于法律的有（ ）", Options: ab, Answer: ans("A", "B")}},
		{"answer line", "1. 我国的根本大法是（ ）。\nA.宪法 B.刑法 C.民法典 D.行政诉讼法\n答案:C",
			single(1, "我国的根本大法是（ ）。", ab, "C")},
		{"【答案】 with colon", "1. 我国的根本大法是（ ）。\nA.宪法 B.刑法 C.民法典 D.行政诉讼法\n【答案】:B",
			single(1, "我国的根本大法是（ ）。", ab, "B")},
		{"正确答案, multiple", "1. 下列属于法律的有（ ）。\nA.宪法 B.刑法 C.民法典 D.行政诉讼法\n正确答案：AB",
			Question{N: 1, Type: Multiple, Stem: "下列属于法律的有（ ）。", Options: ab, Answer: ans("A", "B")}},
		{"letters separated", "1. 下列属于法律的有（ ）。\nA.宪法 B.刑法 C.民法典 D.行政诉讼法\n参考答案：A、B、D",
			Question{N: 1, Type: Multiple, Stem: "下列属于法律的有（ ）。", Options: ab, Answer: ans("A", "B", "D")}},
		{"answer and analysis inline", "1. 我国的根本大法是（ ）。A.宪法 B.刑法 C.民法典 D.行政诉讼法 答案：A 解析：宪法是根本大法。",
			withAnalysis(single(1, "我国的根本大法是（ ）。", ab, "A"), "宪法是根本大法。")},
		{"【答案】【解析】 inline", "1. 我国的根本大法是（ ）。\nA.宪法 B.刑法 C.民法典 D.行政诉讼法\n【答案】A【解析】宪法具有最高法律效力。",
			withAnalysis(single(1, "我国的根本大法是（ ）。", ab, "A"), "宪法具有最高法律效力。")},
		{"answer followed by its reason", "1. 我国的根本大法是（ ）。\nA.宪法 B.刑法 C.民法典 D.行政诉讼法\n答案：A。宪法具有最高法律效力。",
			withAnalysis(single(1, "我国的根本大法是（ ）。", ab, "A"), "宪法具有最高法律效力。")},
		{"answer on the next line", "1. 我国的根本大法是（ ）。\nA.宪法 B.刑法 C.民法典 D.行政诉讼法\n答案：\nD",
			single(1, "我国的根本大法是（ ）。", ab, "D")},
		{"answer as option text", "1. 我国的根本大法是（ ）。\nA.宪法 B.刑法 C.民法典 D.行政诉讼法\n答案：民法典",
			single(1, "我国的根本大法是（ ）。", ab, "C")},
		{"answer without colon", "1. 我国的根本大法是（ ）。\nA.宪法 B.刑法 C.民法典 D.行政诉讼法\n答案B",
			single(1, "我国的根本大法是（ ）。", ab, "B")},
		{"analysis over lines", "1. 我国的根本大法是（ ）。\nA.宪法 B.刑法 C.民法典 D.行政诉讼法\n答案：A\n【解析】\n宪法是国家的根本法，\n具有最高的法律效力。",
			withAnalysis(single(1, "我国的根本大法是（ ）。", ab, "A"), "宪法是国家的根本法，具有最高的法律效力。")},
		{"true in brackets", "1. 宪法是国家的根本法。(√)", tf(1, "宪法是国家的根本法。( )", True)},
		{"false in full-width brackets", "1. 宪法日是5月1日。（ × ）", tf(1, "宪法日是5月1日。（ ）", False)},
		{"对 in brackets", "1. 宪法是国家的根本法。（对）", tf(1, "宪法是国家的根本法。（ ）", True)},
		{"trailing tick", "1. 宪法是国家的根本法。√", tf(1, "宪法是国家的根本法。", True)},
		{"答案:√", "1. 宪法是国家的根本法。（ ）\n答案:√", tf(1, "宪法是国家的根本法。（ ）", True)},
		{"答案：错误", "1. 宪法日是5月1日。（ ）\n答案：错误", tf(1, "宪法日是5月1日。（ ）", False)},
		{"答案：正确 in a judgement section", "判断题\n1. 宪法是根本法。\n答案：正确", tf(1, "宪法是根本法。", True)},
		{"judgement as options", "1. 宪法日是12月4日。（ ）\nA.正确 B.错误\n答案：A", tf(1, "宪法日是12月4日。（ ）", True)},
		{"judgement as options, bracket", "1. 宪法日是5月1日。（B）\nA.对 B.错", tf(1, "宪法日是5月1日。（ ）", False)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := ParseText(tc.text)
			if diff := cmp.Diff([]Question{tc.want}, b.Questions); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if len(b.Warnings) != 0 {
				t.Errorf("warnings %q", warningsOf(b))
			}
		})
	}
}

func TestParseText_types(t *testing.T) {
	// No headings: the type comes from the question itself.
	b := ParseText(`1. 我国的根本大法是（ ）。
A.宪法 B.刑法 C.民法典
答案：A
2. 下列属于法律的有（ ）。
A.宪法 B.刑法 C.某公司章程
答案：AB
3. 宪法是国家的根本法。
答案：对
4. 我国的根本大法是________。
答案：宪法
5. 简述普法责任制的主要内容。
答案：谁执法谁普法，谁主管谁普法，谁服务谁普法。
6. 【多选题】下列属于国家机关的有（ ）。
A.国务院 B.最高人民法院 C.某村委会
答案：AB
7. 什么是以案释法？
答：以案释法是结合真实案例解释法律的普法方式。`)
	var got []Type
	for _, q := range b.Questions {
		got = append(got, q.Type)
	}
	want := []Type{Single, Multiple, TrueFalse, Fill, Essay, Multiple, Essay}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
	if q := b.Questions[5]; q.Stem != "下列属于国家机关的有（ ）。" {
		t.Errorf("tag left in the stem: %q", q.Stem)
	}
	if q := b.Questions[6]; !cmp.Equal(q.Answer, []string{"以案释法是结合真实案例解释法律的普法方式。"}) {
		t.Errorf("essay answer %q", q.Answer)
	}
	if len(b.Warnings) != 0 {
		t.Errorf("warnings %q", warningsOf(b))
	}

	t.Run("content wins over the heading", func(t *testing.T) {
		b := ParseText("三、判断题\n1. 我国的根本大法是（ A ）\nA.宪法 B.刑法 C.民法典")
		if q := b.Questions[0]; q.Type != Single || !hasWarning(b, 0, 1, "带有选项，已按选择题读取") {
			t.Errorf("question %+v warnings %q", q, warningsOf(b))
		}
	})

	t.Run("选择题 holds single and multiple", func(t *testing.T) {
		b := ParseText("一、选择题\n1. 根本大法是（ A ）\nA.宪法 B.刑法\n2. 属于法律的有（ AB ）\nA.宪法 B.刑法 C.章程")
		if b.Questions[0].Type != Single || b.Questions[1].Type != Multiple || len(b.Warnings) != 0 {
			t.Errorf("questions %+v warnings %q", b.Questions, warningsOf(b))
		}
	})
}

func TestParseText_fill(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		stem       string
		answer     []string
		warning    string
	}{
		{"two blanks, semicolon", "1. 我国的根本大法是____，国家宪法日是____。\n答案：宪法；12月4日",
			"我国的根本大法是____，国家宪法日是____。", []string{"宪法", "12月4日"}, ""},
		{"two blanks, half-width semicolon", "1. 我国的根本大法是____，国家宪法日是____。\n答案: 宪法; 12月4日",
			"我国的根本大法是____，国家宪法日是____。", []string{"宪法", "12月4日"}, ""},
		{"two blanks, 、", "1. “八五”普法规划从____年到____年。\n答案：2021、2025",
			"“八五”普法规划从____年到____年。", []string{"2021", "2025"}, ""},
		{"one blank keeps its 、", "1. 普法重点对象是____。\n答案：领导干部、青少年",
			"普法重点对象是____。", []string{"领导干部、青少年"}, ""},
		{"bracket blanks", "填空题\n1. 宪法规定，中华人民共和国的一切权力属于（ ），国家的根本任务是（ ）。\n答案：人民；集中力量进行社会主义现代化建设",
			"宪法规定，中华人民共和国的一切权力属于（ ），国家的根本任务是（ ）。", []string{"人民", "集中力量进行社会主义现代化建设"}, ""},
		{"answers in brackets, in order", "四、填空题\n1. 我国的根本大法是（宪法），国家宪法日是（12月4日）。",
			"我国的根本大法是（ ），国家宪法日是（ ）。", []string{"宪法", "12月4日"}, ""},
		{"count mismatch", "1. 我国的根本大法是____，国家宪法日是____。\n答案：宪法；12月4日；5月1日",
			"我国的根本大法是____，国家宪法日是____。", []string{"宪法", "12月4日", "5月1日"}, "题干有 2 个空，答案却有 3 个"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := ParseText(tc.text)
			if len(b.Questions) != 1 {
				t.Fatalf("%d questions", len(b.Questions))
			}
			q := b.Questions[0]
			if q.Type != Fill || q.Stem != tc.stem || !cmp.Equal(q.Answer, tc.answer) {
				t.Errorf("got %s %q %q; want fill %q %q", q.Type, q.Stem, q.Answer, tc.stem, tc.answer)
			}
			if tc.warning == "" && len(b.Warnings) > 0 || tc.warning != "" && !hasWarning(b, 0, 1, tc.warning) {
				t.Errorf("warnings %q, want %q", warningsOf(b), tc.warning)
			}
		})
	}
}

// cleanBank is a bank as a careful office types it.
const cleanBank = `一、单项选择题（共2题，每题1分）
1．我国的根本大法是（ A ）。
A．宪法 B．刑法 C．民法典 D．行政诉讼法
2．国家宪法日是每年的（　　）。
A．12月4日 B．3月15日 C．4月15日 D．5月1日
答案：A
解析：2014年11月1日，全国人大常委会决定将12月4日设立为国家宪法日。
二、判断题（共2题，每题1分）
1．宪法是国家的根本法，具有最高的法律效力。（√）
2．“谁执法谁普法”是普法责任制的核心。（√）`

// chromeBank is the same bank copied from a document-sharing site: a
// breadcrumb, the uploader's line, page markers, a running title and
// download prompts, some of them in the middle of a question.
const chromeBank = `当前位置：首页 > 资格考试 > 法律法规 > 学法用法
学法用法考试题库及答案（完整版）
本文档由会员分享，可在线阅读，更多相关文档请在道客巴巴上搜索
上传人：fazhi2023    上传时间：2023-05-06    文档页数：12页    文档大小：35.5KB
一、单项选择题（共2题，每题1分）
1．我国的根本大法是（ A ）。
A．宪法 B．刑法 C．民法典 D．行政诉讼法
2．国家宪法日是每年的（　　）。
第 1 页 / 共 12 页
学法用法考试题库及答案（完整版）
A．12月4日 B．3月15日 C．4月15日 D．5月1日
答案：A
下载文档到电脑，查找使用更方便
解析：2014年11月1日，全国人大常委会决定将12月4日设立为国家宪法日。
还剩10页未读，继续阅读
- 2 -
学法用法考试题库及答案（完整版）
二、判断题（共2题，每题1分）
1．宪法是国家的根本法，具有最高的法律效力。（√）
https://www.doc88.com/p-123456789.html
2．“谁执法谁普法”是普法责任制的核心。（√）
本文档为 VIP 文档，加入VIP免费下载
第 3 页 / 共 12 页
学法用法考试题库及答案（完整版）`

func TestParseText_chrome(t *testing.T) {
	clean, copied := ParseText(cleanBank), ParseText(chromeBank)
	if diff := cmp.Diff(clean, copied); diff != "" {
		t.Errorf("site chrome changed the bank (-clean +copied):\n%s", diff)
	}
	if len(clean.Questions) != 4 || len(clean.Warnings) != 0 {
		t.Errorf("clean bank: %d questions, warnings %q", len(clean.Questions), warningsOf(clean))
	}
	for _, line := range []string{
		"本文档由会员分享", "上传人：张三", "第1页 / 共5页", "第 2 页 共 9 页", "共9页 第2页", "3/12", "- 7 -", "16",
		"下载文档到电脑，查找使用更方便", "首页 > 文档 > 资格考试 > 法律", "百度文库", "https://wenku.baidu.com/view/abc.html", "Page 3 of 9",
	} {
		if !isChrome(cleanLine(line)) {
			t.Errorf("%q is not recognized as chrome", line)
		}
	}
	for _, line := range []string{
		"1. 商标注册人享有商标专用权。（√）", "A.会员 B.积分", "公司注册资本实行认缴登记制。", "答案：C", "宪法 > 法律 > 行政法规，效力依次降低，说法正确吗？",
	} {
		if isChrome(cleanLine(line)) {
			t.Errorf("%q taken for chrome", line)
		}
	}
}

func TestParseText_noAnswers(t *testing.T) {
	b := ParseText(`2023年普法考试复习题（无答案版）
一、单项选择题
1. 我国的根本大法是（ ）。
A.宪法 B.刑法 C.民法典 D.行政诉讼法
2. 国家宪法日是每年的（ ）。
A.12月4日 B.3月15日 C.4月15日 D.5月1日
二、多项选择题
1. 下列属于“八五”普法重点内容的有（ ）。
A.宪法 B.民法典 C.党内法规 D.娱乐新闻
三、判断题
1. 宪法是国家的根本法。（ ）
2. 国家安全教育日是每年的4月15日。（ ）
四、填空题
1. 我国的根本大法是____。
五、简答题
1. 简述普法责任制的主要内容。`)
	if len(b.Questions) != 7 {
		t.Fatalf("%d questions", len(b.Questions))
	}
	for _, q := range b.Questions {
		if len(q.Answer) != 0 || q.Incomplete {
			t.Errorf("question %d/%d got answer %q incomplete %v", q.Section, q.N, q.Answer, q.Incomplete)
		}
	}
	want := []string{"0/0 整份题库都没有找到答案：导入的 7 道题都没有答案，请补充答案后再用于练习和考试"}
	if diff := cmp.Diff(want, warningsOf(b)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	var types []Type
	for _, q := range b.Questions {
		types = append(types, q.Type)
	}
	if diff := cmp.Diff([]Type{Single, Single, Multiple, TrueFalse, TrueFalse, Fill, Essay}, types); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}

	t.Run("some missing", func(t *testing.T) {
		b := ParseText("1. 宪法是根本法。（√）\n2. 宪法日是12月4日。（ ）\n3. 法律面前人人平等。（√）")
		if diff := cmp.Diff([]string{"0/2 没有找到答案"}, warningsOf(b)); diff != "" {
			t.Errorf("warnings (-want +got):\n%s", diff)
		}
	})
}

func TestParseText_contradictions(t *testing.T) {
	const choice = "1. 国家宪法日是每年的（ ）。\nA.12月4日 B.3月15日 C.4月15日 D.5月1日\n"
	for _, tc := range []struct {
		name, text string
		warning    string // "" for none
	}{
		{"故选", choice + "答案：B\n解析：2014年全国人大常委会决定将12月4日设立为国家宪法日，故选A。", "答案是 B，但解析中说“故选A”"},
		{"答案为", choice + "答案：B\n解析：国家宪法日是12月4日，答案为A。", "答案是 B，但解析中说“答案为A”"},
		{"本题选", choice + "【答案】C\n【解析】本题选A。", "答案是 C，但解析中说“本题选A”"},
		{"当选", choice + "答案：D\n解析：A项当选。", "答案是 D，但解析中说“A项当选”"},
		{"bracket answer", "1. 国家宪法日是每年的（ B ）。\nA.12月4日 B.3月15日\n解析：故选A。", "答案是 B，但解析中说“故选A”"},
		{"judgement √, 说法错误", "1. 全民国家安全教育日是每年的5月1日。（√）\n解析：全民国家安全教育日是4月15日，该说法错误。", "答案是“正确”，但解析中说“该说法错误”"},
		{"judgement ×, 表述正确", "1. 宪法是根本法。\n答案：×\n解析：宪法是国家的根本法，题干表述正确。", "答案是“错误”，但解析中说“表述正确”"},
		{"agrees", choice + "答案：A\n解析：国家宪法日是12月4日，故选A。", ""},
		{"agrees on several", "1. 下列属于法律的有（ ）\nA.宪法 B.刑法 C.章程\n答案：AB\n解析：章程不是法律，故选AB。", ""},
		{"negated", choice + "答案：A\n解析：3月15日是消费者权益保护日，故不选B，本题选A。", ""},
		{"no verdict", choice + "答案：A\n解析：2014年11月1日，全国人大常委会决定设立国家宪法日。", ""},
		{"judgement agrees", "1. 宪法日是5月1日。（×）\n解析：国家宪法日是12月4日，该说法错误。", ""},
		{"judgement, 正确答案为×", "1. 宪法日是5月1日。（×）\n解析：本题正确答案为×。", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := ParseText(tc.text)
			if tc.warning == "" {
				if len(b.Warnings) != 0 {
					t.Errorf("warnings %q", warningsOf(b))
				}
				return
			}
			if !hasWarning(b, 0, 1, tc.warning) {
				t.Errorf("warnings %q, want %q", warningsOf(b), tc.warning)
			}
			// The answer stays as given: the importer decides.
			if len(b.Questions[0].Answer) != 1 {
				t.Errorf("answer %q", b.Questions[0].Answer)
			}
		})
	}
}

func TestParseText_answerWarnings(t *testing.T) {
	for _, tc := range []struct {
		name, text, warning string
	}{
		{"multiple answer not among options", "二、多项选择题\n1. 下列属于法律的有（ ）\nA.宪法 B.刑法 C.民法典 D.章程\n正确答案：ABE", "答案 E 不在选项中（选项为 A–D）"},
		{"single answer not among options", "1. 根本大法是（ ）\nA.宪法 B.刑法 C.民法典\n答案：D", "答案 D 不在选项中（选项为 A–C）"},
		{"single with two letters", "一、单项选择题\n1. 根本大法是（ ）\nA.宪法 B.刑法 C.民法典\n答案：AB", "单选题给出了多个答案 AB"},
		{"unreadable choice answer", "1. 根本大法是（ ）\nA.宪法 B.刑法\n答案：见教材第三章", "无法识别答案“见教材第三章”"},
		{"unreadable judgement", "判断题\n1. 宪法是根本法。\n答案：见教材", "判断题的答案“见教材”无法识别"},
		{"choice without options", "一、单项选择题\n1. 根本大法是（ ）\n2. 宪法日是（ A ）\nA.12月4日 B.5月1日", "选择题没有找到选项"},
		{"bracket and answer line differ", "1. 根本大法是（ A ）\nA.宪法 B.刑法\n答案：B", "题干括号中的答案 A 与给出的答案 B 不一致"},
		{"duplicate", "1. 我国的根本大法是（ A ）\nA.宪法 B.刑法\n2. 我国的根本大法是( B )\nA.刑法 B.宪法", "与第1题重复"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := ParseText(tc.text)
			found := false
			for _, w := range b.Warnings {
				found = found || strings.Contains(w.Message, tc.warning)
			}
			if !found {
				t.Errorf("warnings %q, want %q", warningsOf(b), tc.warning)
			}
		})
	}

	t.Run("single with two letters keeps both", func(t *testing.T) {
		b := ParseText("一、单项选择题\n1. 根本大法是（ ）\nA.宪法 B.刑法 C.民法典\n答案：AB")
		if q := b.Questions[0]; q.Type != Single || !cmp.Equal(q.Answer, []string{"A", "B"}) {
			t.Errorf("question %+v", q)
		}
	})
}

func TestParseText_incomplete(t *testing.T) {
	const head = `一、单项选择题
1. 根本大法是（ A ）
A.宪法 B.刑法 C.民法典 D.章程
2. 宪法日是（ A ）
A.12月4日 B.5月1日 C.4月15日 D.3月15日
3. 普法规划是（ B ）
A.七五 B.八五 C.六五 D.九五
`
	for _, tc := range []struct {
		name, tail string
		cut        bool
	}{
		{"complete", "4. 法治宣传日是（ A ）\nA.12月4日 B.5月1日 C.4月15日 D.3月15日", false},
		{"options cut", "4. 法治宣传日是（ A ）\nA.12月4日 B.5月1日", true},
		{"empty last option", "4. 法治宣传日是（ A ）\nA.12月4日 B.5月1日 C.4月15日 D.", true},
		{"stem only", "4. 国家工作人员就职时应当依照法律规定公开进行", true},
		{"number only", "4.", true},
		{"answer label with nothing", "4. 法治宣传日是（ ）\nA.12月4日 B.5月1日 C.4月15日 D.3月15日\n答案：", true},
		{"answer missing where all have one", "4. 法治宣传日是（ ）\nA.12月4日 B.5月1日 C.4月15日 D.3月15日", true},
		{"mid-sentence", "4. 法治宣传日是（ A ）\nA.12月4日 B.5月1日 C.4月15日 D.3月15日、", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := ParseText(head + tc.tail)
			if len(b.Questions) != 4 {
				t.Fatalf("%d questions", len(b.Questions))
			}
			for _, q := range b.Questions[:3] {
				if q.Incomplete {
					t.Errorf("question %d marked incomplete", q.N)
				}
			}
			if got := b.Questions[3].Incomplete; got != tc.cut {
				t.Errorf("incomplete = %v, want %v; warnings %q", got, tc.cut, warningsOf(b))
			}
			if tc.cut != hasWarning(b, 0, 4, "截断") {
				t.Errorf("warnings %q", warningsOf(b))
			}
			if tc.cut && hasWarning(b, 0, 4, "没有找到答案") {
				t.Errorf("a cut question also warned about its answer: %q", warningsOf(b))
			}
		})
	}

	t.Run("followed by an answer key", func(t *testing.T) {
		b := ParseText("1. 根本大法是（ ）\nA.宪法 B.刑法 C.民法典 D.章程\n2. 宪法日是（ ）\nA.12月4日 B.5月1日 C.4月15日 D.3月15日\n参考答案：1.A 2.A")
		if b.Questions[1].Incomplete || len(b.Warnings) != 0 {
			t.Errorf("questions %+v warnings %q", b.Questions, warningsOf(b))
		}
	})
}

func TestParseText_answerKey(t *testing.T) {
	b := ParseText(`一、单项选择题（共6题）
1.宪法规定，国家尊重和保障（ ）。
A.人权 B.民权 C.主权 D.特权
2.全国人民代表大会每届任期（ ）年。
A.3 B.4 C.5 D.6
3.国家宪法日是（ ）。
A.12月4日 B.5月1日
4.全民国家安全教育日是（ ）。
A.12月4日 B.4月15日
5.“八五”普法规划的期限是（ ）。
A.2016-2020 B.2021-2025
6.民法典自（ ）起施行。
A.2021年1月1日 B.2020年5月28日
二、多项选择题
1.下列属于国家机构的有（ ）。
A.全国人大 B.国务院 C.中央军委 D.某公司
三、判断题
1.宪法是国家的根本法。（ ）
2.法律面前人人平等仅指适用法律平等。（ ）
四、填空题
1.我国的国家宪法日是每年的____。
五、简答题
1.简述普法责任制的含义。
参考答案
一、单项选择题
1-5 ACABB 6.A
二、多项选择题
1.ABC
三、判断题
1.√ 2.×
四、填空题
1. 12月4日
五、简答题
1. 谁执法谁普法，谁主管谁普法。
解析：这是普法责任制的核心。`)
	var got []string
	for _, q := range b.Questions {
		got = append(got, fmt.Sprintf("%d/%d %s %s", q.Section, q.N, q.Type, strings.Join(q.Answer, ",")))
	}
	want := []string{
		"0/1 single A", "0/2 single C", "0/3 single A", "0/4 single B", "0/5 single B", "0/6 single A",
		"1/1 multiple A,B,C", "2/1 truefalse true", "2/2 truefalse false", "3/1 fill 12月4日", "4/1 essay 谁执法谁普法，谁主管谁普法。",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if a := b.Questions[10].Analysis; a != "这是普法责任制的核心。" {
		t.Errorf("essay analysis %q", a)
	}
	if len(b.Warnings) != 0 {
		t.Errorf("warnings %q", warningsOf(b))
	}

	t.Run("per section, without headings", func(t *testing.T) {
		b := ParseText(`1. 根本大法是（ ）
A.宪法 B.刑法
2. 宪法日是（ ）
A.12月4日 B.5月1日
答案：1.A 2.A
1. 宪法是根本法。
2. 宪法日是5月1日。
答案
1.对 2.错`)
		var got []string
		for _, q := range b.Questions {
			got = append(got, fmt.Sprintf("%d/%d %s", q.Section, q.N, strings.Join(q.Answer, ",")))
		}
		if diff := cmp.Diff([]string{"0/1 A", "0/2 A", "0/1 true", "0/2 false"}, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})

	t.Run("key disagrees with the answer given", func(t *testing.T) {
		b := ParseText("1. 根本大法是（ A ）\nA.宪法 B.刑法\n2. 宪法日是（ A ）\nA.12月4日 B.5月1日\n参考答案：1.B 2.A")
		if !hasWarning(b, 0, 1, "参考答案中是 B，与题目处的答案 A 不一致") || b.Questions[0].Answer[0] != "A" {
			t.Errorf("warnings %q", warningsOf(b))
		}
	})

	t.Run("key for a question that is not there", func(t *testing.T) {
		b := ParseText("1. 根本大法是（ ）\nA.宪法 B.刑法\n参考答案：1.A 2.B")
		if !hasWarning(b, 0, 0, "第2题的答案，但没有找到这道题") {
			t.Errorf("warnings %q", warningsOf(b))
		}
	})

	for _, line := range []string{"1.A 2.B 3.CD", "1-5 ABCDA 6-10 BCDAB", "1～5：√×√√×", "1、A  2、B", "11.对 12.错", "1—3 A B CD"} {
		if _, ok, strong := keyPairs(line); !ok || !strong {
			t.Errorf("keyPairs(%q) = %v, %v", line, ok, strong)
		}
	}
	for _, line := range []string{"1.A公司与B公司签订合同", "1. 对于行政处罚", "1-5 ABC", "2023年3月"} {
		if _, ok, _ := keyPairs(line); ok {
			t.Errorf("keyPairs(%q) read a key", line)
		}
	}
}

func TestParseText_essay(t *testing.T) {
	b := ParseText(`五、简答题
1. 简述普法责任制的主要内容。
答：
1. 谁执法谁普法；
2. 谁主管谁普法；
3. 谁服务谁普法。
2. 领导干部应当如何带头尊法学法守法用法？
参考答案：
一、带头尊崇法治；
二、带头学习法律；
三、带头依法办事。
3. 什么是以案释法？`)
	want := []Question{
		{Section: 0, N: 1, Type: Essay, Stem: "简述普法责任制的主要内容。", Options: []Option{}, Answer: []string{"1. 谁执法谁普法；\n2. 谁主管谁普法；\n3. 谁服务谁普法。"}},
		{Section: 0, N: 2, Type: Essay, Stem: "领导干部应当如何带头尊法学法守法用法？", Options: []Option{}, Answer: []string{"一、带头尊崇法治；\n二、带头学习法律；\n三、带头依法办事。"}},
		{Section: 0, N: 3, Type: Essay, Stem: "什么是以案释法？", Options: []Option{}, Answer: []string{}},
	}
	if diff := cmp.Diff(want, b.Questions); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(b.Sections) != 1 || len(b.Warnings) != 0 {
		t.Errorf("sections %+v warnings %q", b.Sections, warningsOf(b))
	}
}

func TestParseText_realisticBank(t *testing.T) {
	// A bank as found on 百度文库: mixed punctuation, answers in brackets
	// and after the options, declared counts, chrome.
	b := ParseText(`百度文库 - 让每个人平等地提升自我
2023年国家工作人员学法用法考试试题及答案
一、单项选择题(共3题,每题2分)
1、《中华人民共和国宪法》规定，中华人民共和国的一切权力属于（ A ）。
A、人民　　B、人民代表大会　　C、全国人民代表大会　　D、中国共产党
2．我国现行宪法是（　　）年通过的。
A．1954　B．1975　C．1978　D．1982
【答案】：D
【解析】现行宪法于1982年12月4日通过，故选D。
3. 依照宪法，国家主席的任期是（ ）
A: 4年 B: 5年 C: 6年 D: 不限
正确答案：B
二、多项选择题（共2题，共6分）
（1）下列属于宪法规定的公民基本义务的有（ ABD ）
A.维护国家统一 B.遵守宪法和法律 C.参加选举 D.依法纳税
（2）民法典包括（　）
A.总则编　B.物权编　C.合同编　D.刑罚编
正确答案：ABC
三、判断题（共2题）
1.宪法是国家的根本法，具有最高的法律效力。（ √ ）
2.全民国家安全教育日是每年的5月1日。
答案：错误
解析：全民国家安全教育日是4月15日，说法错误。
第 1 页 共 1 页`)
	wantSections := []Section{
		{Title: "单项选择题", DeclaredCount: 3, DeclaredPoints: 6, Type: Single, PointsEach: 2},
		{Title: "多项选择题", DeclaredCount: 2, DeclaredPoints: 6, Type: Multiple},
		{Title: "判断题", DeclaredCount: 2, Type: TrueFalse},
	}
	if diff := cmp.Diff(wantSections, b.Sections); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	want := []Question{
		single(1, "《中华人民共和国宪法》规定，中华人民共和国的一切权力属于（ ）。", opts("人民", "人民代表大会", "全国人民代表大会", "中国共产党"), "A"),
		withAnalysis(single(2, "我国现行宪法是（ ）年通过的。", opts("1954", "1975", "1978", "1982"), "D"), "现行宪法于1982年12月4日通过，故选D。"),
		single(3, "依照宪法，国家主席的任期是（ ）", opts("4年", "5年", "6年", "不限"), "B"),
		inSection(1, Question{N: 1, Type: Multiple, Stem: "下列属于宪法规定的公民基本义务的有（ ）", Options: opts("维护国家统一", "遵守宪法和法律", "参加选举", "依法纳税"), Answer: ans("A", "B", "D")}),
		inSection(1, Question{N: 2, Type: Multiple, Stem: "民法典包括（ ）", Options: opts("总则编", "物权编", "合同编", "刑罚编"), Answer: ans("A", "B", "C")}),
		inSection(2, tf(1, "宪法是国家的根本法，具有最高的法律效力。（ ）", True)),
		inSection(2, withAnalysis(tf(2, "全民国家安全教育日是每年的5月1日。", False), "全民国家安全教育日是4月15日，说法错误。")),
	}
	if diff := cmp.Diff(want, b.Questions); diff != "" {
		t.Errorf("questions (-want +got):\n%s", diff)
	}
	if len(b.Warnings) != 0 {
		t.Errorf("warnings %q", warningsOf(b))
	}
}

func TestParseText_examExport(t *testing.T) {
	// What an online exam system exports: points after the stem, the
	// examinee's answer and score beside the key, a type tag on its own line.
	b := ParseText(`【单选题】
1. 我国的根本大法是（ ）。（1分）
A.宪法 B.刑法 C.民法典 D.行政诉讼法
正确答案：A 您的答案：C 得分：0分
【多选题】
2. 下列属于法律的有（ ）。(2.0分)
A.宪法 B.刑法 C.某公司章程
正确答案：AB 你的答案：AB 回答正确 得分：2`)
	want := []Question{
		single(1, "我国的根本大法是（ ）。", opts("宪法", "刑法", "民法典", "行政诉讼法"), "A"),
		{N: 2, Type: Multiple, Stem: "下列属于法律的有（ ）。", Options: opts("宪法", "刑法", "某公司章程"), Answer: []string{"A", "B"}},
	}
	if diff := cmp.Diff(want, b.Questions); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(b.Warnings) != 0 {
		t.Errorf("warnings %q", warningsOf(b))
	}
}

func TestParseText_invalidUTF8(t *testing.T) {
	b := ParseText("1. 宪法是根本法。（√）\n2. \xff\xfe宪法日是12月4日。（√）")
	if len(b.Questions) != 2 {
		t.Fatalf("%d questions", len(b.Questions))
	}
	if _, err := json.Marshal(b); err != nil {
		t.Fatal(err)
	}
}

// FuzzParseText checks that no text panics the parser or breaks the
// contract: every question in a section that exists, the lists never nil,
// answers of the right shape for their type, JSON that encodes.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{
		cleanBank, chromeBank, "", "1.", "一、单项选择题(共40题,每题1分)\n1.", "1. （\nA）", "参考答案\n1-5 ABCDA",
		"1. 根本大法是（ ）\nA.宪法 B.刑法\n答案：AB\n解析：故选C。", "四、填空题\n1. （宪法）（）（ ）____",
		"1 宪法\n2 法律\n1-2 √×", "判断题\n1. 宪法是根本法。√\n2.", "(1)A.B.C.D.\n答案A\nA.B.",
		"五、简答题\n1. 简述？\n答：\n1. 甲\n2. 乙\n一、丙", "1.A 2.B", "1. 【多选题】下列（ABCDEFGH）\nA.1 B.2 C.3 D.4 E.5 F.6 G.7 H.8",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		b := ParseText(text)
		if b.Sections == nil || b.Questions == nil || b.Warnings == nil || len(b.Sections) == 0 {
			t.Fatalf("nil or empty list: %+v", b)
		}
		for i, q := range b.Questions {
			if q.Section < 0 || q.Section >= len(b.Sections) {
				t.Fatalf("question %d in section %d of %d", i, q.Section, len(b.Sections))
			}
			if q.Answer == nil || q.Options == nil {
				t.Fatalf("question %d has nil answer or options", i)
			}
			if !q.Type.Valid() {
				t.Fatalf("question %d has type %q", i, q.Type)
			}
			if !q.Type.HasOptions() && len(q.Options) > 0 {
				t.Fatalf("question %d, %s, has options", i, q.Type)
			}
			if q.Type == TrueFalse && len(q.Answer) > 0 && q.Answer[0] != True && q.Answer[0] != False {
				t.Fatalf("question %d: true/false answer %q", i, q.Answer)
			}
			if q.Incomplete && i != len(b.Questions)-1 {
				t.Fatalf("question %d of %d incomplete", i, len(b.Questions))
			}
		}
		for _, w := range b.Warnings {
			if w.Section < 0 || w.Section >= len(b.Sections) || w.Message == "" {
				t.Fatalf("warning %+v", w)
			}
		}
		if _, err := json.Marshal(b); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkParseText parses a bank of 2,000 questions (single, multiple,
// true/false and fill-in, with answers and analyses, about 300 KB). Target:
// under 100 ms per bank on one core, so an import preview is instant.
func BenchmarkParseText(b *testing.B) {
	text := bigBank(500)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		if bank := ParseText(text); len(bank.Questions) != 2000 {
			b.Fatalf("%d questions", len(bank.Questions))
		}
	}
}

// bigBank writes four sections of n questions each.
func bigBank(n int) string {
	var s strings.Builder
	fmt.Fprintf(&s, "一、单项选择题（共%d题，每题1分）\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&s, "%d．根据《中华人民共和国宪法》第%d条的规定，下列关于国家机构的说法正确的是（ %c ）。\nA．全国人民代表大会 B．国务院 C．最高人民法院 D．最高人民检察院\n", i, i, 'A'+i%4)
		fmt.Fprintf(&s, "解析：本题考查宪法第%d条关于国家机构的规定，故选%c。\n", i, 'A'+i%4)
	}
	fmt.Fprintf(&s, "二、多项选择题（共%d题，每题2分）\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&s, "%d、下列属于民法典第%d编规定内容的有（　　）\nA、总则\nB、物权\nC、合同\nD、人格权\n正确答案：AB%c\n", i, i, 'C'+i%2)
	}
	fmt.Fprintf(&s, "三、判断题（共%d题）\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&s, "（%d）国家工作人员第%d次学法考试成绩记入学法档案。（%s）\n", i, i, map[bool]string{true: "√", false: "×"}[i%3 == 0])
	}
	fmt.Fprintf(&s, "四、填空题（共%d题）\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&s, "%d. 第%d届全国人大的任期是____年，宪法日是____。\n答案：5；12月4日\n", i, i)
	}
	return s.String()
}
