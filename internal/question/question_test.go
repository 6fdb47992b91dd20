package question

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pufa/internal/app"
)

func TestQuestion_Validate(t *testing.T) {
	ok := []Question{
		single(1, "我国的根本大法是（ ）。", opts("宪法", "刑法"), "A"),
		single(1, "尚无答案的题（ ）。", opts("甲", "乙")),
		{Type: Multiple, Stem: "属于法律的有（ ）", Options: opts("宪法", "刑法", "章程"), Answer: []string{"A", "B"}},
		tf(1, "宪法是根本法。", True),
		{Type: Fill, Stem: "根本大法是____，宪法日是____。", Answer: []string{"宪法", "12月4日"}},
		{Type: Fill, Stem: "根本大法是宪法。", Answer: []string{"宪法"}},
		{Type: Essay, Stem: "简述普法责任制。", Answer: []string{"谁执法谁普法。"}},
		{Type: Essay, Stem: "简述普法责任制。"},
	}
	for _, q := range ok {
		if err := q.Validate(); err != nil {
			t.Errorf("%+v: %v", q, err)
		}
	}
	for _, tc := range []struct {
		q     Question
		field string
		msg   string
	}{
		{Question{Type: "choice", Stem: "x"}, "type", "题型“choice”无效"},
		{single(1, "  ", opts("甲", "乙"), "A"), "stem", "题干不能为空"},
		{single(1, strings.Repeat("法", MaxStemRunes+1), opts("甲", "乙"), "A"), "stem", "超过 10000 字上限"},
		{Question{Type: Single, Stem: "x", Options: opts("甲"), Answer: []string{"A"}}, "options", "至少需要两个选项"},
		{Question{Type: Single, Stem: "x", Options: []Option{{"A", "甲"}, {"C", "丙"}}}, "options", "第 2 个选项的标号应为 B"},
		{single(1, "x", opts("甲", " "), "A"), "options", "选项 B 的内容不能为空"},
		{single(1, "x", opts("甲", "乙"), "C"), "answer", "答案 C 不在选项中"},
		{single(1, "x", opts("甲", "乙"), "A", "B"), "answer", "单选题只能有一个答案"},
		{Question{Type: Multiple, Stem: "x", Options: opts("甲", "乙"), Answer: []string{"A", "A"}}, "answer", "答案 A 重复"},
		{Question{Type: TrueFalse, Stem: "x", Options: opts("对", "错")}, "options", "判断题不应有选项"},
		{tf(1, "x", "√"), "answer", "判断题的答案应为“正确”或“错误”"},
		{Question{Type: Fill, Stem: "____和____", Answer: []string{"宪法"}}, "answer", "题干有 2 个空，答案却有 1 个"},
		{Question{Type: Fill, Stem: "____", Answer: []string{" "}}, "answer", "第 1 个空的答案不能为空"},
		{Question{Type: Essay, Stem: "简述。", Answer: []string{"一", "二"}}, "answer", "参考答案应为一段文字"},
		{Question{Type: TrueFalse, Stem: "宪法是", Incomplete: true}, "stem", "题目不完整"},
	} {
		err := tc.q.Validate()
		var ae *app.Error
		if err == nil || !asAppError(err, &ae) || ae.Code != app.EINVALID || ae.Field != tc.field || !strings.Contains(ae.Message, tc.msg) {
			t.Errorf("%+v: err = %v, want %s: %q", tc.q, err, tc.field, tc.msg)
		}
	}
}

func asAppError(err error, target **app.Error) bool {
	e, ok := err.(*app.Error)
	*target = e
	return ok
}

func TestQuestion_Key(t *testing.T) {
	base := single(1, "我国的根本大法是（ ）。", opts("宪法", "刑法", "民法典", "行政诉讼法"), "A")
	same := []Question{
		single(7, "我国的根本大法是(  )", opts("宪法", "刑法", "民法典", "行政诉讼法"), "A"),
		single(1, "我国的根本大法是______。", opts("宪法", "刑法", "民法典", "行政诉讼法")),
		single(1, "我国的 根本大法是（　）．", opts("行政诉讼法", "民法典", "刑法", "宪法"), "D"),
		{Type: Multiple, Stem: "我国的根本大法是（ ）。", Options: opts("宪法", "刑法", "民法典", "行政诉讼法"), Analysis: "无关"},
	}
	for _, q := range same {
		if q.Key() != base.Key() {
			t.Errorf("%q %v has another key", q.Stem, q.Options)
		}
	}
	different := []Question{
		single(1, "我国的根本法是（ ）。", opts("宪法", "刑法", "民法典", "行政诉讼法"), "A"),
		single(1, "我国的根本大法是（ ）。", opts("宪法", "刑法", "民法典"), "A"),
		single(1, "我国的根本大法是（ ）。", opts("宪法", "刑法", "民法典", "行政法"), "A"),
	}
	for _, q := range different {
		if q.Key() == base.Key() {
			t.Errorf("%q %v has the same key", q.Stem, q.Options)
		}
	}
	if k := base.Key(); len(k) != 64 {
		t.Errorf("key %q", k)
	}
}

func TestParseType(t *testing.T) {
	for in, want := range map[string]Type{
		"single": Single, "单选": Single, "单选题": Single, "单项选择题": Single, "选择题": Single,
		"多选": Multiple, "多项选择题": Multiple, "不定项选择题": Multiple, "multiple": Multiple,
		"判断": TrueFalse, "判断题": TrueFalse, "是非题": TrueFalse, "truefalse": TrueFalse,
		"填空": Fill, "填空题": Fill, "简答": Essay, "问答题": Essay, "论述题": Essay, "案例分析题": Essay,
	} {
		if got, err := ParseType(in); err != nil || got != want {
			t.Errorf("ParseType(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseType("连线题"); err == nil || !strings.Contains(app.ErrorMessage(err), "连线题") {
		t.Errorf("ParseType(连线题) err = %v", err)
	}
}

func TestFromTables(t *testing.T) {
	b, err := FromTables(Table{
		Header: TemplateColumns(),
		Rows: [][]string{
			{"单选题", "我国的根本大法是（ ）。", "宪法", "刑法", "民法典", "", "", "", "A", "宪法是根本大法，故选A。"},
			{"多选题", "属于法律的有（ ）。", "宪法", "刑法", "章程", "", "", "", "A,B", ""},
			{"判断题", "宪法是根本法。", "", "", "", "", "", "", "正确", ""},
			{"填空题", "根本大法是____，宪法日是____。", "", "", "", "", "", "", "宪法；12月4日", ""},
			{"简答题", "简述普法责任制。", "", "", "", "", "", "", "谁执法谁普法。\n谁主管谁普法。", ""},
			{"", "", "", "", "", "", "", "", "", ""},
			{"连线题", "宪法日是（ ）", "12月4日", "5月1日", "", "", "", "", "A", ""},
			{"单选", "我国的根本大法是（ ）", "宪法", "刑法", "民法典", "", "", "", "B", ""},
		},
		RowNumbers: []int{2, 3, 4, 5, 6, 7, 8, 9},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Question{
		withAnalysis(single(1, "我国的根本大法是（ ）。", opts("宪法", "刑法", "民法典"), "A"), "宪法是根本大法，故选A。"),
		{N: 2, Type: Multiple, Stem: "属于法律的有（ ）。", Options: opts("宪法", "刑法", "章程"), Answer: []string{"A", "B"}},
		tf(3, "宪法是根本法。", True),
		{N: 4, Type: Fill, Stem: "根本大法是____，宪法日是____。", Options: []Option{}, Answer: []string{"宪法", "12月4日"}},
		{N: 5, Type: Essay, Stem: "简述普法责任制。", Options: []Option{}, Answer: []string{"谁执法谁普法。\n谁主管谁普法。"}},
		single(6, "宪法日是（ ）", opts("12月4日", "5月1日"), "A"),
		single(7, "我国的根本大法是（ ）", opts("宪法", "刑法", "民法典"), "B"),
	}
	if diff := cmp.Diff(want, b.Questions); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	wantWarnings := []string{"0/6 第8行：题型“连线题”无法识别，已按内容判断", "0/7 第9行：与第2行的题重复"}
	if diff := cmp.Diff(wantWarnings, warningsOf(b)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Section{{}}, b.Sections); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}

	t.Run("stem cell with everything in it", func(t *testing.T) {
		b, err := FromTables(Table{Header: []string{"试题内容"}, Rows: [][]string{
			{"我国的根本大法是（ A ）。\nA.宪法 B.刑法\n解析：宪法是根本法。"},
		}})
		if err != nil {
			t.Fatal(err)
		}
		want := withAnalysis(single(1, "我国的根本大法是（ ）。", opts("宪法", "刑法"), "A"), "宪法是根本法。")
		if diff := cmp.Diff([]Question{want}, b.Questions); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})

	t.Run("header variants", func(t *testing.T) {
		b, err := FromTables(Table{Header: []string{"题号", "* 题 干", "选项Ａ", "选项Ｂ", "标准答案", "试题解析"}, Rows: [][]string{
			{"12", "宪法日是（ ）", "12月4日", "5月1日", "a", ""},
		}})
		if err != nil {
			t.Fatal(err)
		}
		if q := b.Questions[0]; q.N != 12 || len(q.Options) != 2 || !cmp.Equal(q.Answer, []string{"A"}) {
			t.Errorf("question %+v", q)
		}
	})

	t.Run("no question column", func(t *testing.T) {
		_, err := FromTables(Table{Header: []string{"姓名"}, Rows: [][]string{{"张三"}}})
		if err == nil || !strings.Contains(app.ErrorMessage(err), "“题目”列") {
			t.Errorf("err = %v", err)
		}
	})
}
