package question

import (
	"slices"
	"strings"

	"golang.org/x/text/width"
)

// Verdict is the marking of one answer.
type Verdict int

// Verdicts. An essay is never marked automatically: practice shows the
// reference answer and the person judges themselves.
const (
	Wrong Verdict = iota
	Right
	ByHand
)

// Mark marks the answer given to q: the same set of option labels for
// choice questions (order does not matter), the same judgement for
// true/false, and for fill-in each blank equal to its key once widths,
// spaces and case are set aside; a key written "甲/乙" accepts either. A
// question without a key cannot be marked and is ByHand, like an essay.
func Mark(q *Question, given []string) Verdict {
	if q.Type == Essay || !q.Answered() {
		return ByHand
	}
	switch q.Type {
	case Single, Multiple, TrueFalse:
		a, b := canonSet(q.Answer), canonSet(given)
		if slices.Equal(a, b) {
			return Right
		}
		return Wrong
	case Fill:
		if len(given) != len(q.Answer) {
			return Wrong
		}
		for i, key := range q.Answer {
			ok := false
			for _, alt := range strings.Split(key, "/") {
				if fold(alt) == fold(given[i]) && fold(alt) != "" {
					ok = true
				}
			}
			if !ok {
				return Wrong
			}
		}
		return Right
	}
	return ByHand
}

func canonSet(xs []string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if x = strings.ToUpper(fold(x)); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

// fold is the form fill-in answers are compared in: half-width, no
// spaces, lower-case.
func fold(s string) string {
	s = width.Fold.String(s)
	s = strings.Join(strings.Fields(s), "")
	return strings.ToLower(s)
}
