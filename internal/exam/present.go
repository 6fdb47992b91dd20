package exam

import (
	"slices"
	"strings"

	"pufa/internal/app"
	"pufa/internal/question"
)

// letters label options in display order.
const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// order returns the display order in force for q: it.Order when it is a
// permutation of q's options, else nil for the bank's order. A question
// edited after the draw so that the order no longer fits is shown, and its
// answers mapped, in the bank's order; Present, ToOriginal and FromOriginal
// all agree on that.
func order(q *question.Question, it Item) []int {
	n := len(q.Options)
	if !q.Type.HasOptions() || len(it.Order) != n || n > len(letters) || !isPerm(it.Order) {
		return nil
	}
	return it.Order
}

// isPerm reports whether p holds each of 0…len(p)-1 exactly once.
func isPerm(p []int) bool {
	seen := make([]bool, len(p))
	for _, v := range p {
		if v < 0 || v >= len(p) || seen[v] {
			return false
		}
		seen[v] = true
	}
	return true
}

// Present returns q as the examinee sees it: a choice question's options
// in display order, re-lettered A, B, C… in that order; the stem and the
// options of other types unchanged. Answer and Analysis are always cleared,
// so what Present returns may be sent during the exam; to show the key
// after it, use FromOriginal(q, it, q.Answer).
func Present(q question.Question, it Item) question.Question {
	out := q
	out.Answer, out.Analysis = nil, ""
	out.Options = slices.Clone(q.Options)
	if ord := order(&q, it); ord != nil {
		for i, o := range ord {
			out.Options[i] = question.Option{Label: letters[i : i+1], Text: q.Options[o].Text}
		}
	}
	return out
}

// ToOriginal maps an answer given in display letters to q's own labels, for
// marking and storing. Choice labels are trimmed and upper-cased, repeats
// dropped, and the result is in option order; true/false takes
// question.True or question.False; fill-in and essay answers pass through.
// An empty answer is an unanswered question, not an error. A label that is
// not an option, a second label for a single choice, or a bad judgement is
// an *app.Error (EINVALID, field "answer").
func ToOriginal(q question.Question, it Item, given []string) ([]string, error) {
	switch {
	case q.Type.HasOptions():
		ord := order(&q, it)
		pos := make([]int, 0, len(given)) // original option indexes
		for _, g := range given {
			l := strings.ToUpper(strings.TrimSpace(g))
			i := -1
			if ord != nil {
				if len(l) == 1 {
					if d := strings.Index(letters[:len(ord)], l); d >= 0 {
						i = ord[d]
					}
				}
			} else {
				i = slices.IndexFunc(q.Options, func(o question.Option) bool { return o.Label == l })
			}
			if i < 0 {
				return nil, app.Invalid("answer", "答案“%s”不是本题的选项", g)
			}
			if !slices.Contains(pos, i) {
				pos = append(pos, i)
			}
		}
		if q.Type == question.Single && len(pos) > 1 {
			return nil, app.Invalid("answer", "单选题只能选一个答案")
		}
		slices.Sort(pos)
		out := make([]string, len(pos))
		for k, i := range pos {
			out[k] = q.Options[i].Label
		}
		return out, nil
	case q.Type == question.TrueFalse:
		if len(given) == 0 {
			return []string{}, nil
		}
		if len(given) > 1 {
			return nil, app.Invalid("answer", "判断题只能有一个答案")
		}
		switch v := strings.ToLower(strings.TrimSpace(given[0])); v {
		case question.True, question.False:
			return []string{v}, nil
		}
		return nil, app.Invalid("answer", "判断题的答案应为“正确”或“错误”")
	}
	return slices.Clone(given), nil
}

// FromOriginal maps an answer in q's own labels (a saved answer, or the
// key) to display letters, in display order. A label that is no longer an
// option is dropped. Answers of other types are returned unchanged.
func FromOriginal(q question.Question, it Item, stored []string) []string {
	if !q.Type.HasOptions() {
		return slices.Clone(stored)
	}
	ord := order(&q, it)
	var disp []int
	for _, s := range stored {
		i := slices.IndexFunc(q.Options, func(o question.Option) bool { return o.Label == s })
		if i < 0 {
			continue
		}
		d := i
		if ord != nil {
			d = slices.Index(ord, i)
		}
		if !slices.Contains(disp, d) {
			disp = append(disp, d)
		}
	}
	slices.Sort(disp)
	out := make([]string, len(disp))
	for k, d := range disp {
		if ord != nil {
			out[k] = letters[d : d+1]
		} else {
			out[k] = q.Options[d].Label
		}
	}
	return out
}

// Layout returns how q's options are shown for it: the label and the
// original option index of each display position, as Present lays them
// out. Callers that keep rendered option texts compose a question with it
// instead of calling Present per request.
func Layout(q *question.Question, it Item) (labels []string, orig []int) {
	ord := order(q, it)
	labels, orig = make([]string, len(q.Options)), make([]int, len(q.Options))
	for i := range q.Options {
		if ord != nil {
			labels[i], orig[i] = letters[i:i+1], ord[i]
		} else {
			labels[i], orig[i] = q.Options[i].Label, i
		}
	}
	return labels, orig
}
