// Package exam is the pure engine of the annual law exam (学法用法考试):
// paper rules and drawing a paper from the question bank, presenting
// questions with their options re-lettered, mapping answers between the
// examinee's letters and the bank's, scoring an attempt, and the attempt
// clock that decides which saves are stored and when the server submits.
//
// It holds no I/O: the store keeps papers, answers and attempts, the web
// layer serves them, and both call this package for every decision, so a
// rule lives in one place and is tested here.
package exam

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"pufa/internal/app"
	"pufa/internal/question"
)

// Pick is one rule of a paper: draw Count questions of Type, carrying Tag
// when Tag is not empty, worth Points each.
type Pick struct {
	Type question.Type
	// Tag restricts the pick to questions carrying it ("宪法"); "" takes
	// any question of the type.
	Tag    string
	Count  int
	Points float64
}

// label names the pick in messages: "单选题（宪法）" or "单选题".
func (p Pick) label() string {
	if p.Tag != "" {
		return p.Type.Label() + "（" + p.Tag + "）"
	}
	return p.Type.Label()
}

// Rules say how a paper is drawn.
type Rules struct {
	// Picks are drawn in order; their questions appear in that order, so
	// each pick is a section of the paper.
	Picks []Pick
	// ShuffleQuestions puts each pick's questions in random order; without
	// it they keep the bank's order (by ID). Questions never move across
	// picks, so sections stay together.
	ShuffleQuestions bool
	// ShuffleOptions shows each choice question's options in random order.
	ShuffleOptions bool
}

// Validate checks the rules. The error is an *app.Error (EINVALID, field
// "picks") whose Chinese message names the pick at fault.
func (r Rules) Validate() error {
	if len(r.Picks) == 0 {
		return app.Invalid("picks", "试卷至少需要一条抽题规则")
	}
	for i, p := range r.Picks {
		if !p.Type.Valid() {
			return app.Invalid("picks", "第 %d 条抽题规则的题型“%s”无效", i+1, p.Type)
		}
		if p.Count < 1 {
			return app.Invalid("picks", "第 %d 条抽题规则（%s）的题数应至少为 1", i+1, p.label())
		}
		if !(p.Points > 0) || math.IsInf(p.Points, 0) {
			return app.Invalid("picks", "第 %d 条抽题规则（%s）的每题分值应大于 0", i+1, p.label())
		}
	}
	// Each pick is positive, so only an overflow can leave the total unusable.
	if t := r.Total(); !(t > 0) || math.IsInf(t, 0) {
		return app.Invalid("picks", "试卷总分应大于 0")
	}
	return nil
}

// Total is the paper's full marks: the sum of Count × Points.
func (r Rules) Total() float64 {
	var t float64
	for _, p := range r.Picks {
		t += float64(p.Count) * p.Points
	}
	return t
}

// Candidate is a bank question offered to Draw.
type Candidate struct {
	ID   app.ID
	Q    question.Question
	Tags []string
}

// Item is one question of a drawn paper.
type Item struct {
	QuestionID app.ID
	Points     float64
	// Order is the display order of a choice question's options: display
	// position i shows original option Order[i]. Nil keeps the bank's
	// order.
	Order []int
}

// Paper is a drawn paper: its items in display order.
type Paper struct {
	Items []Item
}

// Max is the paper's full marks.
func (p Paper) Max() float64 {
	var t float64
	for _, it := range p.Items {
		t += it.Points
	}
	return t
}

// Streams of the PCG, one per use, so that turning option shuffling on or
// off does not change which questions are drawn.
const (
	streamPick    = 0x7075666170696b31 // "pufapik1"
	streamOptions = 0x7075666173687566 // "pufashuf"
)

// Draw draws a paper from bank by r, deterministically from seed: one seed
// per attempt gives each person their own paper, one seed for everybody
// gives a single paper. The same bank (in any order), rules and seed give
// the same paper.
//
// For each pick in turn, Draw takes Count distinct questions of the pick's
// type (and tag) that have an answer key, pass Validate, and were not
// drawn by an earlier pick. A candidate repeated in bank counts once. When
// the bank cannot fill a pick the error is an *app.Error (EINVALID, field
// "picks") such as "单选题（宪法）需要 40 题，题库只有 12 题".
func Draw(bank []Candidate, r Rules, seed uint64) (Paper, error) {
	if err := r.Validate(); err != nil {
		return Paper{}, err
	}
	// Sorting by ID makes the paper independent of the order the store
	// returned the bank in.
	pool := slices.Clone(bank)
	slices.SortStableFunc(pool, func(a, b Candidate) int { return cmp.Compare(a.ID, b.ID) })
	pool = slices.CompactFunc(pool, func(a, b Candidate) bool { return a.ID == b.ID })
	usable := make([]bool, len(pool))
	for i := range pool {
		usable[i] = pool[i].Q.Answered() && pool[i].Q.Validate() == nil
	}

	pick := rand.New(rand.NewPCG(seed, streamPick))
	shuffle := newShuffle(seed)
	used := make([]bool, len(pool))
	var items []Item
	for _, p := range r.Picks {
		var elig []int
		for i, c := range pool {
			if usable[i] && !used[i] && c.Q.Type == p.Type && (p.Tag == "" || slices.Contains(c.Tags, p.Tag)) {
				elig = append(elig, i)
			}
		}
		if len(elig) < p.Count {
			return Paper{}, app.Invalid("picks", "%s需要 %d 题，题库只有 %d 题", p.label(), p.Count, len(elig))
		}
		// A partial Fisher–Yates: the first Count entries are a uniform
		// sample in uniform random order.
		for i := range p.Count {
			j := i + pick.IntN(len(elig)-i)
			elig[i], elig[j] = elig[j], elig[i]
		}
		chosen := elig[:p.Count]
		if !r.ShuffleQuestions {
			slices.Sort(chosen)
		}
		for _, i := range chosen {
			used[i] = true
			it := Item{QuestionID: pool[i].ID, Points: p.Points}
			if q := &pool[i].Q; r.ShuffleOptions && q.Type.HasOptions() {
				it.Order = shuffle.Perm(len(q.Options))
			}
			items = append(items, it)
		}
	}
	return Paper{Items: items}, nil
}

// newShuffle returns the generator that orders options for seed.
func newShuffle(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, streamOptions)) }
