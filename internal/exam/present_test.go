package exam

import (
	"slices"
	"testing"

	"pufa/internal/app"
	"pufa/internal/question"
)

func TestPresent(t *testing.T) {
	q := choice(question.Multiple, 4, "A", "C")
	q.Analysis = "见宪法第五条。"
	it := Item{QuestionID: 1, Points: 2, Order: []int{2, 0, 3, 1}}
	got := Present(q, it)
	want := []question.Option{{Label: "A", Text: "选项3"}, {Label: "B", Text: "选项1"}, {Label: "C", Text: "选项4"}, {Label: "D", Text: "选项2"}}
	if !slices.Equal(got.Options, want) {
		t.Fatalf("Present options = %v, want %v", got.Options, want)
	}
	if got.Answer != nil || got.Analysis != "" {
		t.Fatalf("Present leaks the key: %v %q", got.Answer, got.Analysis)
	}
	if q.Options[0].Text != "选项1" || len(q.Answer) != 2 {
		t.Fatal("Present changed its argument")
	}
	if key := FromOriginal(q, it, q.Answer); !slices.Equal(key, []string{"A", "B"}) {
		t.Fatalf("key in display letters = %v, want [A B]", key)
	}

	for _, o := range []question.Question{
		{Type: question.Fill, Stem: "每年（ ）月（ ）日是国家宪法日。", Answer: []string{"12", "4"}},
		{Type: question.TrueFalse, Stem: "宪法是根本大法。", Answer: []string{question.True}},
		{Type: question.Essay, Stem: "简述。", Answer: []string{"参考"}},
	} {
		got := Present(o, Item{Order: []int{1, 0}})
		if got.Stem != o.Stem || len(got.Options) != 0 || got.Answer != nil {
			t.Errorf("Present(%s) = %+v", o.Type, got)
		}
	}
}

func TestPresent_OrderThatDoesNotFit(t *testing.T) {
	q := choice(question.Single, 4, "B")
	for _, ord := range [][]int{nil, {0, 1, 2}, {0, 0, 1, 2}, {0, 1, 2, 4}, {-1, 0, 1, 2}} {
		it := Item{Order: ord}
		if got := Present(q, it); !slices.Equal(got.Options, q.Options) {
			t.Errorf("order %v: options %v, want the bank's", ord, got.Options)
		}
		if got, err := ToOriginal(q, it, []string{"B"}); err != nil || !slices.Equal(got, []string{"B"}) {
			t.Errorf("order %v: ToOriginal = %v, %v", ord, got, err)
		}
	}
}

func TestToOriginal(t *testing.T) {
	single := choice(question.Single, 4, "C")
	multi := choice(question.Multiple, 5, "A", "E")
	tf := question.Question{Type: question.TrueFalse, Stem: "判断", Answer: []string{question.False}}
	fill := question.Question{Type: question.Fill, Stem: "（ ）", Answer: []string{"宪法"}}
	it := Item{Order: []int{3, 1, 0, 2}}
	it5 := Item{Order: []int{4, 3, 2, 1, 0}}
	tests := []struct {
		name  string
		q     question.Question
		it    Item
		given []string
		want  []string
		err   string
	}{
		{"single", single, it, []string{"D"}, []string{"C"}, ""},
		{"lower case and spaces", single, it, []string{" a "}, []string{"D"}, ""},
		{"unanswered", single, it, nil, []string{}, ""},
		{"multiple in option order", multi, it5, []string{"A", "E", "B", "A"}, []string{"A", "D", "E"}, ""},
		{"unknown letter", single, it, []string{"E"}, nil, "答案“E”不是本题的选项"},
		{"not a letter", single, it, []string{"AB"}, nil, "答案“AB”不是本题的选项"},
		{"two for single", single, it, []string{"A", "B"}, nil, "单选题只能选一个答案"},
		{"bank order labels", single, Item{}, []string{"c"}, []string{"C"}, ""},
		{"true", tf, Item{}, []string{" TRUE"}, []string{question.True}, ""},
		{"bad judgement", tf, Item{}, []string{"对"}, nil, "判断题的答案应为“正确”或“错误”"},
		{"two judgements", tf, Item{}, []string{"true", "false"}, nil, "判断题只能有一个答案"},
		{"fill passes", fill, Item{Order: []int{0}}, []string{" 宪法 "}, []string{" 宪法 "}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ToOriginal(tt.q, tt.it, tt.given)
			if tt.err != "" {
				if app.ErrorCode(err) != app.EINVALID || app.ErrorMessage(err) != tt.err {
					t.Fatalf("ToOriginal() = %v, %v; want EINVALID %q", got, err, tt.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("ToOriginal() = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// TestRelettering_Property checks, over random questions and orders, that
// every display letter round-trips, that the presented option at each
// letter is the original ToOriginal maps it to, and that marking through
// the re-lettering agrees with marking the original.
func TestRelettering_Property(t *testing.T) {
	for seed := range uint64(3000) {
		r := newRand(seed)
		typ := []question.Type{question.Single, question.Multiple}[r.IntN(2)]
		q := genQuestion(r, typ, true)
		it := Item{Order: r.Perm(len(q.Options))}
		pq := Present(q, it)
		if len(pq.Options) != len(q.Options) {
			t.Fatalf("seed %d: %d options presented of %d", seed, len(pq.Options), len(q.Options))
		}
		for d, o := range pq.Options {
			if o.Label != letters[d:d+1] {
				t.Fatalf("seed %d: display position %d labelled %q", seed, d, o.Label)
			}
			orig, err := ToOriginal(q, it, []string{o.Label})
			if err != nil || len(orig) != 1 {
				t.Fatalf("seed %d: ToOriginal(%s) = %v, %v", seed, o.Label, orig, err)
			}
			i := slices.IndexFunc(q.Options, func(x question.Option) bool { return x.Label == orig[0] })
			if q.Options[i].Text != o.Text {
				t.Fatalf("seed %d: %s shows %q but maps to %s %q", seed, o.Label, o.Text, orig[0], q.Options[i].Text)
			}
			if back := FromOriginal(q, it, orig); !slices.Equal(back, []string{o.Label}) {
				t.Fatalf("seed %d: %s → %v → %v", seed, o.Label, orig, back)
			}
		}

		// A random answer in display letters, marked both ways.
		var given []string
		for _, o := range pq.Options {
			if r.IntN(3) == 0 {
				given = append(given, o.Label)
			}
		}
		if typ == question.Single && len(given) > 1 {
			given = given[:1]
		}
		orig, err := ToOriginal(q, it, given)
		if err != nil {
			t.Fatalf("seed %d: ToOriginal(%v) = %v", seed, given, err)
		}
		pq.Answer = FromOriginal(q, it, q.Answer)
		if a, b := question.Mark(&q, orig), question.Mark(&pq, given); a != b {
			t.Fatalf("seed %d: original marks %v, re-lettered marks %v (given %v, key %v / %v)", seed, a, b, given, q.Answer, pq.Answer)
		}
		if question.Mark(&pq, FromOriginal(q, it, q.Answer)) != question.Right {
			t.Fatalf("seed %d: the key in display letters is not right", seed)
		}
	}
}

// TestLayoutMatchesPresent: composing from Layout shows what Present shows.
func TestLayoutMatchesPresent(t *testing.T) {
	q := question.Question{Type: question.Multiple, Stem: "s", Options: []question.Option{{Label: "A", Text: "a"}, {Label: "B", Text: "b"}, {Label: "C", Text: "c"}}, Answer: []string{"A", "C"}}
	for _, it := range []Item{{}, {Order: []int{2, 0, 1}}, {Order: []int{0, 0, 1}}} {
		p := Present(q, it)
		labels, orig := Layout(&q, it)
		for i, o := range p.Options {
			if labels[i] != o.Label || q.Options[orig[i]].Text != o.Text {
				t.Errorf("order %v position %d: Layout %s/%s, Present %s/%s", it.Order, i, labels[i], q.Options[orig[i]].Text, o.Label, o.Text)
			}
		}
	}
}
