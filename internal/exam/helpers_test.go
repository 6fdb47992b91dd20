package exam

import (
	"fmt"
	"math"
	"math/rand/v2"

	"pufa/internal/app"
	"pufa/internal/question"
)

func nan() float64 { return math.NaN() }

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }

// choice returns a choice question with n options A, B, … and the key.
func choice(t question.Type, n int, key ...string) question.Question {
	q := question.Question{Type: t, Stem: "下列说法正确的是（ ）", Answer: key}
	for i := range n {
		q.Options = append(q.Options, question.Option{Label: letters[i : i+1], Text: fmt.Sprintf("选项%d", i+1)})
	}
	return q
}

var tagPool = []string{"宪法", "民法典", "行政法", "刑法"}

// genQuestion returns a random valid question of type t; answered says
// whether it has a key.
func genQuestion(r *rand.Rand, t question.Type, answered bool) question.Question {
	var q question.Question
	switch t {
	case question.Single:
		n := 2 + r.IntN(7)
		q = choice(t, n, letters[r.IntN(n):][:1])
	case question.Multiple:
		n := 2 + r.IntN(7)
		q = choice(t, n)
		for i := range n {
			if r.IntN(2) == 0 || (i == n-1 && len(q.Answer) == 0) {
				q.Answer = append(q.Answer, letters[i:i+1])
			}
		}
	case question.TrueFalse:
		q = question.Question{Type: t, Stem: "宪法是国家的根本大法。", Answer: []string{[]string{question.True, question.False}[r.IntN(2)]}}
	case question.Fill:
		q = question.Question{Type: t, Stem: "每年（ ）月（ ）日是国家宪法日。", Answer: []string{"12", "4"}}
	case question.Essay:
		q = question.Question{Type: t, Stem: "简述依法行政的基本要求。", Answer: []string{"合法行政、合理行政……"}}
	}
	if !answered {
		q.Answer = nil
	}
	return q
}

// genBank returns n random candidates with distinct IDs; about one in ten
// has no key.
func genBank(r *rand.Rand, n int) []Candidate {
	bank := make([]Candidate, n)
	for i := range bank {
		t := question.Types[r.IntN(len(question.Types))]
		c := Candidate{ID: app.ID(1000 + i*7 + r.IntN(7)), Q: genQuestion(r, t, r.IntN(10) != 0)}
		for _, tag := range tagPool {
			if r.IntN(3) == 0 {
				c.Tags = append(c.Tags, tag)
			}
		}
		bank[i] = c
	}
	return bank
}

// genRules returns random rules over the types and tags of the bank.
func genRules(r *rand.Rand) Rules {
	rules := Rules{ShuffleQuestions: r.IntN(2) == 0, ShuffleOptions: r.IntN(2) == 0}
	for range 1 + r.IntN(4) {
		p := Pick{Type: question.Types[r.IntN(len(question.Types))], Count: 1 + r.IntN(8), Points: float64(1+r.IntN(4)) / 2}
		if r.IntN(2) == 0 {
			p.Tag = tagPool[r.IntN(len(tagPool))]
		}
		rules.Picks = append(rules.Picks, p)
	}
	return rules
}
