package quiz

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"pufa/internal/app"
	"pufa/internal/question"
)

const letters = "ABCDEFGH"

// choiceQ returns a choice question with n options A, B, … and the key.
func choiceQ(t question.Type, n int, key ...string) question.Question {
	q := question.Question{Type: t, Stem: "下列说法正确的是（ ）", Answer: key}
	for i := range n {
		q.Options = append(q.Options, question.Option{Label: letters[i : i+1], Text: fmt.Sprintf("选项%d", i+1)})
	}
	return q
}

func judgeQ(key string) question.Question {
	return question.Question{Type: question.TrueFalse, Stem: "宪法是国家的根本大法。", Answer: []string{key}}
}

func fillQ() question.Question {
	return question.Question{Type: question.Fill, Stem: "每年（ ）月（ ）日是国家宪法日。", Answer: []string{"12", "4"}}
}

// sampleBank is the bank of sampleQuiz: IDs 1–7.
func sampleBank() map[app.ID]question.Question {
	return map[app.ID]question.Question{
		1: choiceQ(question.Single, 4, "C"),
		2: choiceQ(question.Multiple, 5, "A", "D", "E"),
		3: judgeQ(question.True),
		4: choiceQ(question.Single, 3, "A"),
		5: fillQ(),
		6: judgeQ(question.False),
		7: choiceQ(question.Multiple, 4, "B", "C"),
	}
}

// sampleQuiz is a valid open quiz over sampleBank with three dimensions:
// A (法治认知) questions 1, 2, 5 worth 2, 3, 1; B (法治意识) 3, 4 worth 1 each;
// C (法治行为) 6, 7 worth 1, 2. Weights 40/30/30.
func sampleQuiz() *Quiz {
	return &Quiz{
		Title: "2025 年公民法治素养测评", Mode: Open,
		Dimensions: []Dimension{{"A", "法治认知", 40}, {"B", "法治意识", 30}, {"C", "法治行为", 30}},
		Questions: []Question{
			{1, "A", 2}, {2, "A", 3}, {3, "B", 1}, {4, "B", 1}, {5, "A", 1}, {6, "C", 1}, {7, "C", 2},
		},
		Profile: []ProfileQuestion{StandardAge(), {Code: "place", Label: "所在村（社区）", Choices: []Choice{{"101", "东村"}, {"102", "西村"}, {"103", "南社区"}}}},
	}
}

var t0 = time.Date(2025, 6, 1, 2, 0, 0, 0, time.UTC)

// wantErr checks err is an *app.Error with code, field (unless "") and a
// message containing msg.
func wantErr(t *testing.T, err error, code, field, msg string) {
	t.Helper()
	var e *app.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want an *app.Error %s", err, code)
	}
	if e.Code != code || (field != "" && e.Field != field) || !strings.Contains(e.Message, msg) {
		t.Fatalf("error = %v (field %q), want %s field %q with %q", e, e.Field, code, field, msg)
	}
}
