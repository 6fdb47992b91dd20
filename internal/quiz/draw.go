package quiz

import (
	"slices"

	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/question"
)

// Pick is one rule of a quiz's questions: Count questions of Type from the
// question bank for the dimension Dimension, worth Points each. A Tag
// picks by topic (宪法, 民法典); no tag draws at random from every question
// of the type.
type Pick struct {
	// Dimension is the code of one of the quiz's dimensions.
	Dimension string
	Type      question.Type
	Tag       string
	Count     int
	Points    float64
}

// PickTypes are the question types a quiz may draw: those marked without
// a person (nobody marks a public quiz by hand).
var PickTypes = []question.Type{question.Single, question.Multiple, question.TrueFalse, question.Fill}

// DrawQuestions draws a quiz's questions from the bank by picks, once, when
// the quiz is made: every respondent then answers the same questions, so
// the figures of one respondent compare with another's. For each pick in
// turn it takes Count distinct questions of the pick's type (and tag) that
// have an answer key, pass question.Validate and were not taken by an
// earlier pick, as exam.Draw does for a paper; the same bank (in any
// order), picks and seed give the same questions. They come in the order
// of the picks, which the office's form and the demo lay out by dimension.
//
// Each dimension of dims needs a pick. A problem is an app.Invalid error
// (field "picks") naming the pick by its number and its dimension: an
// unknown dimension, a type a quiz cannot mark, a count or points out of
// bounds, or a pick the bank cannot fill ("第 3 条抽题规则（法治意识）：
// 判断题需要 5 题，题库只有 3 题").
func DrawQuestions(bank []exam.Candidate, dims []Dimension, picks []Pick, seed uint64) ([]Question, error) {
	if len(picks) == 0 {
		return nil, app.Invalid("picks", "请填写抽题规则：为每个维度选择题型，填写题数和每题分值")
	}
	name := func(code string) string {
		if i := slices.IndexFunc(dims, func(d Dimension) bool { return d.Code == code }); i >= 0 {
			return dims[i].Name
		}
		return code
	}
	total := 0
	for i, p := range picks {
		if !slices.ContainsFunc(dims, func(d Dimension) bool { return d.Code == p.Dimension }) {
			return nil, app.Invalid("picks", "第 %d 条抽题规则：请选择所属维度", i+1)
		}
		if !slices.Contains(PickTypes, p.Type) {
			return nil, app.Invalid("picks", "第 %d 条抽题规则（%s）：请选择单选、多选、判断或填空题，测评不能使用简答题", i+1, name(p.Dimension))
		}
		if p.Count < 1 || p.Count > MaxQuestions {
			return nil, app.Invalid("picks", "第 %d 条抽题规则（%s）：题数应为 1 到 %d 之间的整数", i+1, name(p.Dimension), MaxQuestions)
		}
		if h, ok := hundredths(p.Points); !ok || h <= 0 || h > MaxPoints*100 {
			return nil, app.Invalid("picks", "第 %d 条抽题规则（%s）：每题分值应大于 0、不超过 %d，最多两位小数", i+1, name(p.Dimension), MaxPoints)
		}
		total += p.Count
	}
	if total > MaxQuestions {
		return nil, app.Invalid("picks", "测评共 %d 道题，不能超过 %d 道", total, MaxQuestions)
	}
	for _, d := range dims {
		if !slices.ContainsFunc(picks, func(p Pick) bool { return p.Dimension == d.Code }) {
			return nil, app.Invalid("picks", "维度“%s”还没有抽题规则，每个维度至少需要一条", d.Name)
		}
	}

	used := map[app.ID]bool{}
	var out []Question
	for i, p := range picks {
		pool := make([]exam.Candidate, 0, len(bank))
		for _, c := range bank {
			if !used[c.ID] {
				pool = append(pool, c)
			}
		}
		// One draw per pick, each from its own stream of the seed, so
		// that adding a pick at the end leaves the earlier ones' questions
		// as they were.
		paper, err := exam.Draw(pool, exam.Rules{Picks: []exam.Pick{{Type: p.Type, Tag: p.Tag, Count: p.Count, Points: p.Points}}},
			seed+uint64(i)*0x9e3779b97f4a7c15)
		if err != nil {
			return nil, app.Invalid("picks", "第 %d 条抽题规则（%s）：%s", i+1, name(p.Dimension), app.ErrorMessage(err))
		}
		for _, it := range paper.Items {
			used[it.QuestionID] = true
			out = append(out, Question{QuestionID: it.QuestionID, Dimension: p.Dimension, Points: p.Points})
		}
	}
	return out, nil
}

// PlacesFromOrgs returns the choices of the place question (PlaceQuestion)
// from an office's part of the org tree, in the order given (tree order
// from the store): its active villages and communities, each labelled with
// the subdistrict or town above it ("青山村（青山镇）") when that is among
// orgs, and coded by org ID, so the figures per place name real places and
// nobody types the list. A tree with no villages or communities offers its
// subdistricts and towns instead; one with neither, nothing.
func PlacesFromOrgs(orgs []*org.Org) []Choice {
	byID := make(map[app.ID]*org.Org, len(orgs))
	for _, o := range orgs {
		byID[o.ID] = o
	}
	pick := func(kinds ...org.Kind) []Choice {
		var out []Choice
		for _, o := range orgs {
			if !o.Active || !slices.Contains(kinds, o.Kind) {
				continue
			}
			label := o.Name
			if p := byID[o.ParentID]; p != nil && (p.Kind == org.KindSubdistrict || p.Kind == org.KindTown) {
				label += "（" + p.Name + "）"
			}
			out = append(out, Choice{Code: o.ID.String(), Label: label})
		}
		return out
	}
	if c := pick(org.KindVillage, org.KindCommunity); len(c) > 0 {
		return c
	}
	return pick(org.KindSubdistrict, org.KindTown)
}
