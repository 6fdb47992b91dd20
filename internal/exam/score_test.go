package exam

import (
	"testing"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/question"
)

// paperOf builds a paper with one item per question, worth points each.
func paperOf(points float64, qs ...question.Question) (Paper, map[app.ID]question.Question) {
	var p Paper
	m := map[app.ID]question.Question{}
	for i, q := range qs {
		id := app.ID(i + 1)
		p.Items = append(p.Items, Item{QuestionID: id, Points: points})
		m[id] = q
	}
	return p, m
}

func pts(x float64) *float64 { return &x }

func TestScore(t *testing.T) {
	single := choice(question.Single, 4, "B")
	multi := choice(question.Multiple, 4, "A", "C")
	tf := question.Question{Type: question.TrueFalse, Stem: "判断", Answer: []string{question.True}}
	fill := question.Question{Type: question.Fill, Stem: "（ ）", Answer: []string{"宪法/根本法"}}
	essay := question.Question{Type: question.Essay, Stem: "简述", Answer: []string{"参考答案"}}
	p4, qs4 := paperOf(25, single, multi, tf, fill)
	right := map[app.ID]Answer{1: {Given: []string{"B"}}, 2: {Given: []string{"C", "A"}}, 3: {Given: []string{"true"}}, 4: {Given: []string{"根本法"}}}
	wrong := map[app.ID]Answer{1: {Given: []string{"A"}}, 2: {Given: []string{"A"}}, 3: {Given: []string{"false"}}, 4: {Given: []string{"法律"}}}
	pe, qse := paperOf(20, single, multi, tf, fill, essay)
	rightAndEssay := map[app.ID]Answer{1: right[1], 2: right[2], 3: right[3], 4: right[4], 5: {Given: []string{"依法行政……"}}}
	marked := map[app.ID]Answer{1: right[1], 2: right[2], 3: right[3], 4: right[4], 5: {Given: []string{"依法行政……"}, Awarded: pts(50)}}
	p3, qs3 := paperOf(1, single, multi, tf) // full marks 3, scaled to 100

	tests := []struct {
		name    string
		p       Paper
		qs      map[app.ID]question.Question
		answers map[app.ID]Answer
		g       Grading
		score   float64
		raw     float64
		grade   string
		passed  bool
		pending bool
	}{
		{"all right", p4, qs4, right, Grading{}, 100, 100, Excellent, true, false},
		{"all wrong", p4, qs4, wrong, Grading{}, 0, 0, Failed, false, false},
		{"unanswered", p4, qs4, nil, Grading{}, 0, 0, Failed, false, false},
		{"three of four", p4, qs4, map[app.ID]Answer{1: right[1], 2: right[2], 3: right[3]}, Grading{}, 75, 75, Qualified, true, false},
		{"essay waits", pe, qse, rightAndEssay, Grading{}, 80, 80, Good, true, true},
		{"essay marked, clamped", pe, qse, marked, Grading{}, 100, 100, Excellent, true, false},
		{"unanswered essay is wrong", pe, qse, right, Grading{}, 80, 80, Good, true, false},
		{"no key waits", paperWithoutKey(), map[app.ID]question.Question{1: choice(question.Single, 4)}, map[app.ID]Answer{1: {Given: []string{"A"}}}, Grading{}, 0, 0, Failed, false, true},
		{"missing question waits", p4, map[app.ID]question.Question{}, right, Grading{}, 0, 0, Failed, false, true},
		{"scaled: 2 of 3", p3, qs3, map[app.ID]Answer{1: right[1], 2: right[2]}, Grading{}, 66.67, 2, Qualified, true, false},
		{"scaled: 1 of 3", p3, qs3, map[app.ID]Answer{1: right[1]}, Grading{}, 33.33, 1, Failed, false, false},
		{"own pass mark", p4, qs4, map[app.ID]Answer{1: right[1], 2: right[2], 3: right[3]}, Grading{Pass: 80}, 75, 75, Qualified, false, false},
		{"own bands", p4, qs4, right, Grading{Bands: []assess.Band{{Grade: "通过", Min: 60}, {Grade: "未通过", Min: 0}}}, 100, 100, "通过", true, false},
		{"empty paper", Paper{}, nil, nil, Grading{}, 0, 0, Failed, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Score(tt.p, tt.qs, tt.answers, tt.g)
			if got.Score != tt.score || got.Raw != tt.raw || got.Grade != tt.grade || got.Passed != tt.passed || got.PendingManual != tt.pending {
				t.Fatalf("Score() = score %v raw %v grade %s passed %v pending %v; want %v %v %s %v %v",
					got.Score, got.Raw, got.Grade, got.Passed, got.PendingManual, tt.score, tt.raw, tt.grade, tt.passed, tt.pending)
			}
			if got.Max != tt.p.Max() || len(got.PerItem) != len(tt.p.Items) {
				t.Fatalf("Max %v, %d items; want %v, %d", got.Max, len(got.PerItem), tt.p.Max(), len(tt.p.Items))
			}
		})
	}
}

func paperWithoutKey() Paper { return Paper{Items: []Item{{QuestionID: 1, Points: 10}}} }

func TestScore_PerItem(t *testing.T) {
	p, qs := paperOf(2, choice(question.Single, 4, "B"), choice(question.Single, 4, "C"), question.Question{Type: question.Essay, Stem: "简述"})
	got := Score(p, qs, map[app.ID]Answer{1: {Given: []string{"B"}}, 2: {Given: []string{"B"}}, 3: {Given: []string{"答"}}}, Grading{})
	want := []ItemResult{{1, question.Right, 2}, {2, question.Wrong, 0}, {3, question.ByHand, 0}}
	for i, w := range want {
		if got.PerItem[i] != w {
			t.Errorf("item %d = %+v, want %+v", i, got.PerItem[i], w)
		}
	}
}

func TestDefaultBands(t *testing.T) {
	g := assess.Grader{Bands: DefaultBands()}
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	for score, want := range map[float64]string{100: Excellent, 90: Excellent, 89.99: Good, 80: Good, 79.99: Qualified, 60: Qualified, 59.99: Failed, 0: Failed} {
		if got := g.GradeByThreshold(score, false); got != want {
			t.Errorf("grade(%v) = %s, want %s", score, got, want)
		}
	}
	b := DefaultBands()
	b[0].Grade = "改"
	if DefaultBands()[0].Grade != Excellent {
		t.Fatal("DefaultBands shares its slice")
	}
}

func TestGrading_Validate(t *testing.T) {
	if err := (Grading{Pass: 60, Bands: DefaultBands()}).Validate(); err != nil {
		t.Fatal(err)
	}
	for _, g := range []Grading{{Pass: 101}, {Pass: -1}, {Pass: nan()}, {Bands: []assess.Band{{Grade: "甲", Min: 60}, {Grade: "乙", Min: 80}}}} {
		if app.ErrorCode(g.Validate()) != app.EINVALID {
			t.Errorf("Validate(%+v) accepted", g)
		}
	}
}
