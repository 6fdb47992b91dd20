package quiz

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/exam"
	"pufa/internal/question"
)

// allRight are sampleQuiz's right answers in the bank's letters.
func allRight() map[app.ID][]string {
	return map[app.ID][]string{
		1: {"C"}, 2: {"a", "D ", "E", "A"}, 3: {"true"}, 4: {"A"}, 5: {"12", "４"}, 6: {"false"}, 7: {"C", "B"},
	}
}

func TestQuiz_Mark(t *testing.T) {
	tests := []struct {
		name     string
		answers  map[app.ID][]string
		total    Hundredths
		dims     []Hundredths
		verdicts []question.Verdict
	}{
		{
			name: "all right", answers: allRight(), total: 10000, dims: []Hundredths{10000, 10000, 10000},
			verdicts: []question.Verdict{1, 1, 1, 1, 1, 1, 1},
		},
		{name: "nothing answered", total: 0, dims: []Hundredths{0, 0, 0}, verdicts: []question.Verdict{0, 0, 0, 0, 0, 0, 0}},
		{
			name:    "blank answers are unanswered",
			answers: map[app.ID][]string{1: {" "}, 2: {}, 5: {"", ""}},
			dims:    []Hundredths{0, 0, 0}, verdicts: []question.Verdict{0, 0, 0, 0, 0, 0, 0},
		},
		{
			// A: 2+1 of 6 = 50; B: 1 of 2 = 50; C: 1 of 3 = 33.33;
			// total (40×50 + 30×50 + 30×33.33) / 100 = 44.999 → 45.
			name:    "partly right, thirds rounded",
			answers: map[app.ID][]string{1: {"C"}, 2: {"A", "D"}, 3: {"true"}, 4: {"B"}, 5: {"12", "4"}, 6: {"false"}, 7: {"B"}, 99: {"A"}},
			total:   4500, dims: []Hundredths{5000, 5000, 3333}, verdicts: []question.Verdict{1, 0, 1, 0, 1, 1, 0},
		},
		{
			// C: 2 of 3 = 66.67, rounded up; total 30×66.67/100 = 20.001 → 20.
			name: "two thirds", answers: map[app.ID][]string{7: {"B", "C"}},
			total: 2000, dims: []Hundredths{0, 0, 6667}, verdicts: []question.Verdict{0, 0, 0, 0, 0, 0, 1},
		},
	}
	q := sampleQuiz()
	bank := sampleBank()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := q.Mark(bank, 1, tt.answers)
			if err != nil {
				t.Fatal(err)
			}
			var dims []Hundredths
			for _, d := range res.Dimensions {
				dims = append(dims, d.Score)
			}
			var verdicts []question.Verdict
			for _, m := range res.Questions {
				verdicts = append(verdicts, m.Verdict)
			}
			if res.Total != tt.total || !slices.Equal(dims, tt.dims) || !slices.Equal(verdicts, tt.verdicts) {
				t.Errorf("total %v dims %v verdicts %v; want %v %v %v", res.Total, dims, verdicts, tt.total, tt.dims, tt.verdicts)
			}
		})
	}
}

func TestQuiz_MarkDetails(t *testing.T) {
	q, bank := sampleQuiz(), sampleBank()
	res, err := q.Mark(bank, 1, map[app.ID][]string{2: {"e", "a", "d"}, 7: {"B"}})
	if err != nil {
		t.Fatal(err)
	}
	if m := res.Questions[1]; !slices.Equal(m.Given, []string{"A", "D", "E"}) || m.Points != 300 || m.Dimension != "A" {
		t.Errorf("question 2 marked %+v", m)
	}
	if m := res.Questions[0]; m.Given == nil || len(m.Given) != 0 {
		t.Errorf("unanswered question's Given = %#v, want empty", m.Given)
	}
	if d := res.Dimensions[0]; d != (DimensionScore{Code: "A", Earned: 300, Possible: 600, Score: 5000}) {
		t.Errorf("dimension A = %+v", d)
	}
	resp := res.Response(map[string]string{"age": "18-29"})
	if resp.Total != res.Total || resp.Scores["A"] != 5000 || resp.Scores["C"] != 0 || resp.Profile["age"] != "18-29" {
		t.Errorf("Response() = %+v", resp)
	}
}

func TestQuiz_MarkErrors(t *testing.T) {
	q := sampleQuiz()
	_, err := q.Mark(sampleBank(), 1, map[app.ID][]string{1: {"Z"}})
	wantErr(t, err, app.EINVALID, "answer", "第 1 题：答案“Z”不是本题的选项")
	_, err = q.Mark(sampleBank(), 1, map[app.ID][]string{4: {"A", "B"}})
	wantErr(t, err, app.EINVALID, "answer", "第 4 题：单选题只能选一个答案")
	_, err = q.Mark(sampleBank(), 1, map[app.ID][]string{3: {"也许"}})
	wantErr(t, err, app.EINVALID, "answer", "第 3 题：判断题的答案")

	b := sampleBank()
	delete(b, 5)
	if _, err := q.Mark(b, 1, allRight()); app.ErrorCode(err) != app.EINTERNAL {
		t.Errorf("question missing from the bank: %v, want an internal error", err)
	}
	bad := sampleQuiz()
	bad.Questions[0].Dimension = "Z"
	if _, err := bad.Mark(sampleBank(), 1, allRight()); app.ErrorCode(err) != app.EINTERNAL {
		t.Errorf("unknown dimension: %v, want an internal error", err)
	}
}

// A question whose key was removed after publishing earns nothing, answered
// or not, and says it could not be marked.
func TestQuiz_MarkKeyRemoved(t *testing.T) {
	q, b := sampleQuiz(), sampleBank()
	b[4] = choiceQ(question.Single, 3)
	for _, given := range [][]string{nil, {"A"}} {
		res, err := q.Mark(b, 1, map[app.ID][]string{4: given})
		if err != nil {
			t.Fatal(err)
		}
		if m := res.Questions[3]; m.Verdict != question.ByHand || m.Points != 0 {
			t.Errorf("given %v: %+v, want ByHand with no points", given, m)
		}
	}
}

func TestQuiz_Paper(t *testing.T) {
	q, bank := sampleQuiz(), sampleBank()
	p := q.Paper(bank, 7)
	for i, it := range p.Items {
		if it.QuestionID != q.Questions[i].QuestionID || it.Points != q.Questions[i].Points || it.Order != nil {
			t.Errorf("unshuffled item %d = %+v", i, it)
		}
	}
	q.ShuffleOptions = true
	a, b := q.Paper(bank, 7), q.Paper(bank, 7)
	differs := false
	for i, it := range a.Items {
		bq := bank[it.QuestionID]
		if bq.Type.HasOptions() != (it.Order != nil) {
			t.Errorf("item %d (%s) order %v", i, bq.Type, it.Order)
		}
		if !slices.Equal(it.Order, b.Items[i].Order) {
			t.Errorf("item %d: same seed, orders %v and %v", i, it.Order, b.Items[i].Order)
		}
		if it.Order != nil {
			s := slices.Sorted(slices.Values(it.Order))
			for k, v := range s {
				if k != v {
					t.Errorf("item %d: order %v is not a permutation", i, it.Order)
				}
			}
		}
	}
	for seed := uint64(8); seed < 40 && !differs; seed++ {
		c := q.Paper(bank, seed)
		for i := range a.Items {
			differs = differs || !slices.Equal(a.Items[i].Order, c.Items[i].Order)
		}
	}
	if !differs {
		t.Error("32 seeds gave the same option orders")
	}
	// A question missing from the bank keeps the bank's order.
	delete(bank, 1)
	if it := q.Paper(bank, 7).Items[0]; it.Order != nil {
		t.Errorf("missing question's order %v", it.Order)
	}
}

// Options re-lettered per respondent: the right answer is the display
// letter the respondent saw, whichever it is, and the bank's letter is
// wrong when the shuffle moved it.
func TestQuiz_MarkReLettered(t *testing.T) {
	q, bank := sampleQuiz(), sampleBank()
	q.ShuffleOptions = true
	moved := 0
	for seed := range uint64(50) {
		p := q.Paper(bank, seed)
		shown := map[app.ID][]string{}
		for i, it := range p.Items {
			bq := bank[it.QuestionID]
			shown[it.QuestionID] = exam.FromOriginal(bq, it, bq.Answer)
			if bq.Type == question.Single {
				// The display letter is the position of the key in Order.
				orig := slices.IndexFunc(bq.Options, func(o question.Option) bool { return o.Label == bq.Answer[0] })
				d := slices.Index(it.Order, orig)
				if got := shown[it.QuestionID]; !slices.Equal(got, []string{letters[d : d+1]}) {
					t.Fatalf("seed %d item %d: key shown as %v, want %s", seed, i, got, letters[d:d+1])
				}
			}
		}
		res, err := q.Mark(bank, seed, shown)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != Full {
			t.Fatalf("seed %d: right answers in display letters scored %v", seed, res.Total)
		}
		for i, m := range res.Questions {
			if bq := bank[m.QuestionID]; bq.Type.HasOptions() && !slices.Equal(m.Given, bq.Answer) {
				t.Errorf("seed %d item %d: Given %v, want the bank's key %v", seed, i, m.Given, bq.Answer)
			}
		}
		// The bank's letters, sent as if displayed, are wrong once moved.
		bankLetters := map[app.ID][]string{1: {"C"}}
		res, err = q.Mark(bank, seed, bankLetters)
		if err != nil {
			t.Fatal(err)
		}
		if p.Items[0].Order[2] != 2 {
			moved++
			if res.Questions[0].Verdict != question.Wrong {
				t.Errorf("seed %d: bank letter C marked right though C shows option %d", seed, p.Items[0].Order[2])
			}
		}
	}
	if moved == 0 {
		t.Error("no seed moved option C")
	}
}

// Each dimension's score is what exam.Score gives a paper of that
// dimension's questions: the same marking and the same rounding.
func TestQuiz_MarkAgreesWithExamScore(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	q, bank := sampleQuiz(), sampleBank()
	q.ShuffleOptions = true
	q.Questions[0].Points, q.Questions[4].Points = 2.35, 0.7
	q.Dimensions[1].Weight = 12.5
	pool := map[app.ID][][]string{
		1: {{"A"}, {"B"}, {"C"}, {"D"}, nil}, 2: {{"A"}, {"A", "D", "E"}, {"C", "D", "E"}, nil}, 3: {{"true"}, {"false"}, nil},
		4: {{"A"}, {"C"}, nil}, 5: {{"12", "4"}, {"12", "5"}, nil}, 6: {{"true"}, {"false"}}, 7: {{"B", "C"}, {"B"}, {"A", "D"}},
	}
	for n := range 300 {
		seed := r.Uint64()
		answers := map[app.ID][]string{}
		for id, opts := range pool {
			answers[id] = opts[r.IntN(len(opts))]
		}
		res, err := q.Mark(bank, seed, answers)
		if err != nil {
			t.Fatal(err)
		}
		var num, den float64
		for di, dim := range q.Dimensions {
			var sub exam.Paper
			orig := map[app.ID]exam.Answer{}
			for i, it := range res.Paper.Items {
				if q.Questions[i].Dimension == dim.Code {
					sub.Items = append(sub.Items, it)
					orig[it.QuestionID] = exam.Answer{Given: res.Questions[i].Given}
				}
			}
			want := exam.Score(sub, bank, orig, exam.Grading{})
			if got := res.Dimensions[di].Score; got.Float() != want.Score {
				t.Fatalf("run %d dimension %s: %v, exam.Score %v", n, dim.Code, got, want.Score)
			}
			num += dim.Weight * want.Score
			den += dim.Weight
		}
		if got, want := res.Total.Float(), math.Round(num/den*100)/100; math.Abs(got-want) > 0.0051 {
			t.Fatalf("run %d: total %v, weighted mean %v", n, got, want)
		}
	}
}

func TestQuiz_Sheet(t *testing.T) {
	scheme := LiteracyScheme()
	dims, err := DimensionsFromScheme(scheme)
	if err != nil {
		t.Fatal(err)
	}
	q, bank := sampleQuiz(), sampleBank()
	q.Dimensions = dims
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, answers := range []map[app.ID][]string{allRight(), nil, {1: {"C"}, 4: {"A"}, 7: {"B", "C"}}, {5: {"12", "4"}, 6: {"false"}}} {
		res, err := q.Mark(bank, 9, answers)
		if err != nil {
			t.Fatal(err)
		}
		sh := q.Sheet(res)
		got, err := assess.Score(scheme, sh)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got.Total-res.Total.Float()) > 0.005+1e-9 {
			t.Errorf("answers %v: assess total %v, quiz total %v", answers, got.Total, res.Total)
		}
	}
	// A dimension the quiz does not have is left off the sheet.
	if sh := q.Sheet(Result{Dimensions: []DimensionScore{{Code: "Z", Score: 5000}}}); len(sh.Values) != 0 {
		t.Errorf("sheet of an unknown dimension: %v", sh.Values)
	}
}

func TestDimensionsFromScheme(t *testing.T) {
	dims, err := DimensionsFromScheme(LiteracyScheme())
	if err != nil {
		t.Fatal(err)
	}
	want := []Dimension{{"A", "法治认知", 40}, {"B", "法治意识", 30}, {"C", "法治行为", 30}}
	if !slices.Equal(dims, want) {
		t.Errorf("dimensions %v, want %v", dims, want)
	}
	two := &assess.Scheme{Name: "两级", FullMarks: 100, Roots: []*assess.Indicator{
		{Code: "A", Name: "法治认知", Max: 60, Children: []*assess.Indicator{
			{Code: "A1", Name: "宪法知识", Max: 25.5, Rule: assess.Direct{}},
			{Code: "A2", Name: "民法典知识", Max: 34.5, Rule: &assess.Direct{}},
		}},
		{Code: "B", Name: "法治意识", Max: 40, Rule: assess.Direct{}},
	}}
	dims, err = DimensionsFromScheme(two)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Dimension{{"A1", "宪法知识", 25.5}, {"A2", "民法典知识", 34.5}, {"B", "法治意识", 40}}; !slices.Equal(dims, want) {
		t.Errorf("two levels: %v, want %v", dims, want)
	}

	tests := []struct {
		name  string
		edit  func(s *assess.Scheme)
		field string
		msg   string
	}{
		{"invalid scheme", func(s *assess.Scheme) { s.Name = "" }, "name", "名称"},
		{"bonus", func(s *assess.Scheme) {
			s.Roots = append(s.Roots, &assess.Indicator{Code: "F", Name: "附加分", Rule: assess.Bonus{Cap: 3}})
		}, "F", "公众测评不设加分"},
		{"stepped", func(s *assess.Scheme) { s.Roots[1].Rule = assess.Direct{Step: 0.5} }, "B", "直接评分且不设步长"},
		{"yes/no", func(s *assess.Scheme) { s.Roots[2].Rule = assess.YesNo{} }, "C", "直接评分"},
		{"zero points", func(s *assess.Scheme) {
			s.Roots[0].Max = 0
			s.Roots = append(s.Roots, &assess.Indicator{Code: "D", Name: "其他", Max: 40, Rule: assess.Direct{}})
		}, "A", "分值应大于 0"},
		{"three decimals", func(s *assess.Scheme) { s.Roots[0].Max, s.Roots[1].Max = 40.005, 29.995 }, "A", "最多两位小数"},
		{"too many", func(s *assess.Scheme) {
			s.Roots = nil
			for i := range MaxDimensions + 1 {
				s.Roots = append(s.Roots, &assess.Indicator{Code: string(rune('a' + i)), Name: "维度", Max: 5, Rule: assess.Direct{}})
			}
			s.FullMarks = 5 * float64(MaxDimensions+1)
		}, "dimensions", "不能超过 20 个"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := LiteracyScheme()
			tt.edit(s)
			_, err := DimensionsFromScheme(s)
			wantErr(t, err, app.EINVALID, tt.field, tt.msg)
		})
	}
}
