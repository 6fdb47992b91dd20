package quiz

import (
	"maps"
	"strings"
	"testing"
	"time"

	"pufa/internal/app"
	"pufa/internal/question"
)

func TestQuiz_Validate(t *testing.T) {
	if err := sampleQuiz().Validate(); err != nil {
		t.Fatalf("sample quiz: %v", err)
	}
	long := strings.Repeat("法", 201)
	tests := []struct {
		name  string
		edit  func(q *Quiz)
		field string
		msg   string
	}{
		{"no title", func(q *Quiz) { q.Title = "  " }, "title", "请填写测评的标题"},
		{"long title", func(q *Quiz) { q.Title = long }, "title", "不能超过 200 个字"},
		{"long intro", func(q *Quiz) { q.Intro = strings.Repeat("法", 5001) }, "intro", "测评说明"},
		{"no mode", func(q *Quiz) { q.Mode = "" }, "mode", "请选择作答方式"},
		{"no dimensions", func(q *Quiz) { q.Dimensions = nil }, "dimensions", "至少需要一个维度"},
		{"too many dimensions", func(q *Quiz) { q.Dimensions = make([]Dimension, MaxDimensions+1) }, "dimensions", "不能超过 20 个"},
		{"dimension without code", func(q *Quiz) { q.Dimensions[1].Code = " " }, "dimensions", "第 2 个维度“法治意识”的编号不能为空"},
		{"dimension code with space", func(q *Quiz) { q.Dimensions[1].Code = "B 1" }, "dimensions", "只能由英文字母"},
		{"dimension code too long", func(q *Quiz) { q.Dimensions[1].Code = strings.Repeat("B", 51) }, "dimensions", "不能超过 50 个字符"},
		{"dimension repeated", func(q *Quiz) { q.Dimensions[2].Code = "A" }, "dimensions", "维度编号“A”重复"},
		{"dimension without name", func(q *Quiz) { q.Dimensions[0].Name = "" }, "dimensions", "第 1 个维度（A）缺少名称"},
		{"dimension long name", func(q *Quiz) { q.Dimensions[0].Name = long }, "dimensions", "名称不能超过"},
		{"zero weight", func(q *Quiz) { q.Dimensions[2].Weight = 0 }, "dimensions", "维度“法治行为”的权重应大于 0"},
		{"weight of three decimals", func(q *Quiz) { q.Dimensions[2].Weight = 0.125 }, "dimensions", "最多两位小数"},
		{"no questions", func(q *Quiz) { q.Questions = nil }, "questions", "至少需要一道题"},
		{"too many questions", func(q *Quiz) { q.Questions = make([]Question, MaxQuestions+1) }, "questions", "不能超过 200 道"},
		{"question without ID", func(q *Quiz) { q.Questions[3].QuestionID = 0 }, "questions", "第 4 题没有选定"},
		{"question repeated", func(q *Quiz) { q.Questions[3].QuestionID = 1 }, "questions", "第 4 题与前面的题目重复"},
		{"question without dimension", func(q *Quiz) { q.Questions[0].Dimension = "" }, "questions", "第 1 题没有指定所属维度"},
		{"question in unknown dimension", func(q *Quiz) { q.Questions[0].Dimension = "Z" }, "questions", "第 1 题的维度“Z”不在"},
		{"question without points", func(q *Quiz) { q.Questions[6].Points = 0 }, "questions", "第 7 题的分值应大于 0"},
		{"question with 1/3 point", func(q *Quiz) { q.Questions[6].Points = 1.0 / 3 }, "questions", "最多两位小数"},
		{"question over max points", func(q *Quiz) { q.Questions[6].Points = 101 }, "questions", "不超过 100"},
		{"dimension without questions", func(q *Quiz) { q.Questions[5].Dimension, q.Questions[6].Dimension = "A", "B" }, "questions", "维度“法治行为”还没有题目"},
		{"too many profile questions", func(q *Quiz) { q.Profile = make([]ProfileQuestion, MaxProfile+1) }, "profile", "不能超过 10 个"},
		{"profile without code", func(q *Quiz) { q.Profile[0].Code = "" }, "profile", "第 1 个基本情况问题“年龄段”的编号不能为空"},
		{"profile repeated", func(q *Quiz) { q.Profile[1].Code = "age" }, "profile", "编号“age”重复"},
		{"profile without label", func(q *Quiz) { q.Profile[1].Label = "" }, "profile", "第 2 个基本情况问题（place）缺少题目文字"},
		{"profile long label", func(q *Quiz) { q.Profile[1].Label = long }, "profile", "文字不能超过"},
		{"profile with one choice", func(q *Quiz) { q.Profile[1].Choices = q.Profile[1].Choices[:1] }, "profile", "至少需要两个选项"},
		{"profile with too many choices", func(q *Quiz) { q.Profile[1].Choices = make([]Choice, MaxChoices+1) }, "profile", "不能超过 500 个"},
		{"choice without code", func(q *Quiz) { q.Profile[1].Choices[2].Code = "" }, "profile", "第 3 个选项“南社区”的编号不能为空"},
		{"choice coded declined", func(q *Quiz) { q.Profile[1].Choices[2].Code = Declined }, "profile", "由系统自动添加"},
		{"choice code repeated", func(q *Quiz) { q.Profile[1].Choices[2].Code = "101" }, "profile", "选项编号“101”重复"},
		{"choice without label", func(q *Quiz) { q.Profile[1].Choices[2].Label = " " }, "profile", "第 3 个选项缺少文字"},
		{"choice long label", func(q *Quiz) { q.Profile[1].Choices[2].Label = long }, "profile", "不能超过 100 个字"},
		{"choice label repeated", func(q *Quiz) { q.Profile[1].Choices[2].Label = "东村" }, "profile", "选项“东村”重复"},
		{"choice labelled declined", func(q *Quiz) { q.Profile[1].Choices[2].Label = DeclinedLabel }, "profile", "选项“不愿透露”重复"},
		{"threshold over 100", func(q *Quiz) { q.Threshold = 100.5 }, "threshold", "0 到 100"},
		{"negative threshold", func(q *Quiz) { q.Threshold = -1 }, "threshold", "0 到 100"},
		{"long threshold label", func(q *Quiz) { q.ThresholdLabel = long }, "threshold_label", "达标说明"},
		{"negative min group", func(q *Quiz) { q.MinGroup = -1 }, "min_group", "不能为负数"},
		{"negative limit", func(q *Quiz) { q.Limits.PerHour = -1 }, "limits", "不能为负数"},
		{"negative alarm", func(q *Quiz) { q.Alarm.BurstSeconds = -1 }, "alarm", "不能为负数"},
		{"closes before it opens", func(q *Quiz) { q.OpensAt, q.ClosesAt = t0, t0 }, "closes_at", "截止时间应晚于开始时间"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := sampleQuiz()
			tt.edit(q)
			wantErr(t, q.Validate(), app.EINVALID, tt.field, tt.msg)
		})
	}
}

func TestQuiz_ValidateTrims(t *testing.T) {
	q := sampleQuiz()
	q.Title, q.Dimensions[0].Code, q.Questions[0].Dimension = " 测评 ", " A ", " A"
	q.Profile[1].Choices[0] = Choice{" 101 ", " 东村 "}
	q.Threshold, q.MinGroup, q.ThresholdLabel = 75.5, 10, " 达标 "
	q.OpensAt, q.ClosesAt = t0, t0.Add(time.Hour)
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	if q.Title != "测评" || q.Dimensions[0].Code != "A" || q.Questions[0].Dimension != "A" || q.Profile[1].Choices[0] != (Choice{"101", "东村"}) || q.ThresholdLabel != "达标" {
		t.Errorf("not trimmed: %+v", q)
	}
	if q.threshold() != 7550 || q.minGroup() != 10 || q.thresholdLabel() != "达标" {
		t.Errorf("threshold %v, min group %d, label %q", q.threshold(), q.minGroup(), q.thresholdLabel())
	}
	d := sampleQuiz()
	if d.threshold() != 6000 || d.minGroup() != DefaultMinGroup || d.thresholdLabel() != DefaultThresholdLabel {
		t.Errorf("defaults: %v %d %q", d.threshold(), d.minGroup(), d.thresholdLabel())
	}
}

func TestStandardProfile(t *testing.T) {
	q := sampleQuiz()
	q.Profile = []ProfileQuestion{StandardAge(), StandardOccupation(), PlaceQuestion([]Choice{{"11", "城关街道"}, {"12", "河西镇"}})}
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	opts := q.Profile[0].Options()
	if last := opts[len(opts)-1]; last != (Choice{Declined, DeclinedLabel}) || len(opts) != len(q.Profile[0].Choices)+1 {
		t.Errorf("Options() = %v", opts)
	}
	// Options must not write into the question's own choices.
	p := ProfileQuestion{Choices: make([]Choice, 2, 10)}
	_ = p.Options()
	if p.Choices[:3][2] != (Choice{}) {
		t.Error("Options wrote into the choices' spare capacity")
	}
}

func TestQuiz_CheckBank(t *testing.T) {
	if err := sampleQuiz().CheckBank(sampleBank()); err != nil {
		t.Fatalf("sample bank: %v", err)
	}
	tests := []struct {
		name string
		edit func(b map[app.ID]question.Question)
		msg  string
	}{
		{"missing", func(b map[app.ID]question.Question) { delete(b, 4) }, "第 4 题（编号 4）在题库中不存在"},
		{"invalid", func(b map[app.ID]question.Question) { b[2] = choiceQ(question.Multiple, 1, "A") }, "第 2 题不能使用：选择题至少需要两个选项"},
		{"essay", func(b map[app.ID]question.Question) {
			b[3] = question.Question{Type: question.Essay, Stem: "简述宪法的地位。", Answer: []string{"根本大法"}}
		}, "第 3 题是简答题"},
		{"no key", func(b map[app.ID]question.Question) { b[1] = choiceQ(question.Single, 4) }, "第 1 题还没有答案"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := sampleBank()
			tt.edit(b)
			wantErr(t, sampleQuiz().CheckBank(b), app.EINVALID, "questions", tt.msg)
		})
	}
}

func TestQuiz_ReadProfile(t *testing.T) {
	q := sampleQuiz()
	tests := []struct {
		name  string
		given map[string]string
		want  map[string]string
		msg   string
	}{
		{"nothing given", nil, map[string]string{"age": Declined, "place": Declined}, ""},
		{"all given", map[string]string{"age": "30-44", "place": "102"}, map[string]string{"age": "30-44", "place": "102"}, ""},
		{"declined and empty", map[string]string{"age": Declined, "place": ""}, map[string]string{"age": Declined, "place": Declined}, ""},
		{"unknown question", map[string]string{"income": "high"}, nil, "没有“income”这个基本情况问题"},
		{"unknown choice", map[string]string{"place": "999"}, nil, "“所在村（社区）”的选项无效"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := q.ReadProfile(tt.given)
			if tt.msg != "" {
				wantErr(t, err, app.EINVALID, "profile", tt.msg)
				return
			}
			if err != nil || !maps.Equal(got, tt.want) {
				t.Errorf("ReadProfile(%v) = %v, %v; want %v", tt.given, got, err, tt.want)
			}
		})
	}
}

func TestMode_Label(t *testing.T) {
	for m, want := range map[Mode]string{Open: "公开作答", Invited: "定向邀请", "x": "x"} {
		if got := m.Label(); got != want {
			t.Errorf("%q.Label() = %q, want %q", m, got, want)
		}
	}
}

func TestHundredths(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want Hundredths
		ok   bool
	}{{60, 6000, true}, {2.5, 250, true}, {0.01, 1, true}, {0.1 + 0.2, 30, true}, {1.0 / 3, 0, false}, {0.125, 0, false}, {1e13, 0, false}} {
		if got, ok := hundredths(tt.x); got != tt.want || ok != tt.ok {
			t.Errorf("hundredths(%v) = %v, %v; want %v, %v", tt.x, got, ok, tt.want, tt.ok)
		}
	}
	for h, want := range map[Hundredths]string{8750: "87.5", 6000: "60", 5: "0.05", 0: "0"} {
		if got := h.String(); got != want {
			t.Errorf("Hundredths(%d).String() = %q, want %q", int64(h), got, want)
		}
	}
	for _, tt := range []struct{ num, den, want int64 }{{1, 3, 0}, {1, 2, 1}, {5, 2, 3}, {2, 3, 1}, {10000, 3, 3333}, {20000, 3, 6667}, {0, 7, 0}} {
		if got := divRound(tt.num, tt.den); got != tt.want {
			t.Errorf("divRound(%d, %d) = %d, want %d", tt.num, tt.den, got, tt.want)
		}
	}
}
