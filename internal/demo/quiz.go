package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/question"
	"pufa/internal/quiz"
)

// quizzes loads the district's open literacy quiz (公民法治素养测评) on the
// built-in literacy scheme: fifteen questions from the demo bank over its
// three dimensions, the standard profile questions and the streets and
// villages, and 320 responses answered by people whose skill depends on
// their age, occupation and place, so the groups differ. 桃源村 has only
// three responses, so its figures are withheld.
//
// The store stamps a response with its own clock, so the demo's responses
// all carry the time the demo was loaded, not times spread over weeks; the
// quiz's burst alarm is therefore set so that a load of this size does not
// trip it (see alarm below).
func (l *loader) quizzes(ctx context.Context) error {
	root := l.org("root")
	ctx = app.WithActor(ctx, &app.Actor{UserID: l.user("office1").ID, Login: "office1", OrgID: root.ID, OrgPath: root.Path})
	stored, err := l.db.FindBank(ctx, org.PathsUp(root.Path))
	if err != nil {
		return err
	}
	bank := map[app.ID]question.Question{}
	for _, q := range stored {
		bank[q.ID] = q.Question
	}
	dims, err := quiz.DimensionsFromScheme(quiz.LiteracyScheme())
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2025, 12))
	qs, err := demoQuizQuestions(stored, rng)
	if err != nil {
		return err
	}

	// The place question: the villages and communities, coded by org ID.
	var places []quiz.Choice
	placeKeys := []string{"jbsq", "bjhysq", "nmsq", "sysq", "whsq", "qsc", "sqc", "lxsq", "lxc", "tyc"}
	for _, k := range placeKeys {
		o := l.org(k)
		parent := ""
		for _, p := range []string{"jbjd", "cnjd", "whjd", "qsz", "lxz"} {
			if l.org(p).ID == o.ParentID {
				parent = l.org(p).Name
			}
		}
		places = append(places, quiz.Choice{Code: o.ID.String(), Label: o.Name + "（" + parent + "）"})
	}

	now := time.Now()
	q := &quiz.Stored{Quiz: quiz.Quiz{
		OrgID: root.ID,
		Title: fmt.Sprintf("%d年%s公民法治素养测评", now.In(app.Shanghai).Year(), root.Name),
		Intro: "为了解我区群众的法治素养，更好地开展普法工作，区普法办组织本次测评。\n" +
			"测评匿名进行，共 15 道题，答完即可看到得分、正确答案和解析。感谢您的参与！",
		Mode:       quiz.Open,
		Dimensions: dims,
		Questions:  qs,
		Profile:    []quiz.ProfileQuestion{quiz.StandardAge(), quiz.StandardOccupation(), quiz.PlaceQuestion(places)},
		// Each respondent sees the options in an order of their own.
		ShuffleOptions: true,
		OpensAt:        now.AddDate(0, 0, -21).Truncate(time.Hour),
		ClosesAt:       now.AddDate(0, 0, 21).Truncate(time.Hour),
		// alarm: the demo's responses are stored within a second or two
		// of each other, at load time, which the default burst alarm (20
		// in 60 s) would flag entirely; a real quiz keeps the default.
		Alarm: quiz.AlarmSettings{BurstResponses: 1000, BurstSeconds: 1},
	}}
	if err := q.CheckBank(bank); err != nil {
		return err
	}
	if err := l.db.CreateQuiz(ctx, q); err != nil {
		return fmt.Errorf("%s: %w", q.Title, err)
	}
	return l.quizResponses(ctx, q, bank, placeKeys, rng)
}

// demoQuizQuestions picks the quiz's questions from the bank by their
// tags: 法治认知 asks what the 宪法 and the 民法典 say, 法治意识 judges
// statements true or false, 法治行为 asks what the 民法典 lets a person
// do. Questions that only ask an article's number are left out.
func demoQuizQuestions(bank []*question.Stored, rng *rand.Rand) ([]quiz.Question, error) {
	var xfSingle, mfSingle, judge, many []*question.Stored
	for _, q := range bank {
		if strings.Contains(q.Stem, "的条文是") || q.ArticleID == 0 {
			continue
		}
		switch {
		case q.Type == question.Single && slices.Contains(q.Tags, "宪法"):
			xfSingle = append(xfSingle, q)
		case q.Type == question.Single && slices.Contains(q.Tags, "民法典"):
			mfSingle = append(mfSingle, q)
		case q.Type == question.TrueFalse:
			judge = append(judge, q)
		case q.Type == question.Multiple && slices.Contains(q.Tags, "民法典"):
			many = append(many, q)
		}
	}
	pick := func(from []*question.Stored, n int) ([]*question.Stored, error) {
		if len(from) < n {
			return nil, fmt.Errorf("演示题库中可用的题目不足 %d 道", n)
		}
		idx := rng.Perm(len(from))[:n]
		slices.Sort(idx)
		out := make([]*question.Stored, n)
		for i, k := range idx {
			out[i] = from[k]
		}
		return out, nil
	}
	var out []quiz.Question
	add := func(dim string, from []*question.Stored, n int) error {
		got, err := pick(from, n)
		for _, q := range got {
			out = append(out, quiz.Question{QuestionID: q.ID, Dimension: dim, Points: 2})
		}
		return err
	}
	// 法治认知: three 宪法 questions and two 民法典 ones; 法治意识: five
	// judgements; 法治行为: three 民法典 questions and two multiple-choice.
	xf, err := pick(xfSingle, 3)
	if err != nil {
		return nil, err
	}
	mf, err := pick(mfSingle, 5)
	if err != nil {
		return nil, err
	}
	for _, q := range append(xf, mf[:2]...) {
		out = append(out, quiz.Question{QuestionID: q.ID, Dimension: "A", Points: 2})
	}
	if err := add("B", judge, 5); err != nil {
		return nil, err
	}
	for _, q := range mf[2:] {
		out = append(out, quiz.Question{QuestionID: q.ID, Dimension: "C", Points: 2})
	}
	if err := add("C", many, 2); err != nil {
		return nil, err
	}
	return out, nil
}

// quizResponses answers the quiz 320 times. Each respondent's chance of a
// right answer depends on their profile and the dimension, with some
// noise per person: younger people and state employees do better, the
// elderly and farmers worse, and 法治行为 is the hardest dimension.
func (l *loader) quizResponses(ctx context.Context, q *quiz.Stored, bank map[app.ID]question.Question, placeKeys []string, rng *rand.Rand) error {
	pickWeighted := func(codes []string, weights []int) string {
		total := 0
		for _, w := range weights {
			total += w
		}
		n := rng.IntN(total)
		for i, w := range weights {
			if n < w {
				return codes[i]
			}
			n -= w
		}
		return codes[len(codes)-1]
	}
	ages := []string{"under18", "18-29", "30-44", "45-59", "60plus", quiz.Declined}
	ageWeights := []int{4, 22, 30, 24, 14, 6}
	jobs := []string{"student", "farmer", "worker", "staff", "self_employed", "employee", "retired", "other", quiz.Declined}
	jobWeights := []int{8, 14, 14, 20, 10, 12, 10, 5, 7}
	// 桃源村 (the last) is left out of the draw and gets three of its own.
	placeCodes := make([]string, 0, len(placeKeys)+1)
	for _, k := range placeKeys[:len(placeKeys)-1] {
		placeCodes = append(placeCodes, l.org(k).ID.String())
	}
	placeCodes = append(placeCodes, quiz.Declined)
	placeWeights := []int{14, 12, 13, 10, 11, 9, 7, 10, 8, 6}
	small := l.org(placeKeys[len(placeKeys)-1]).ID.String()
	rural := map[string]bool{l.org("qsc").ID.String(): true, l.org("sqc").ID.String(): true, l.org("lxc").ID.String(): true, small: true}

	ageSkill := map[string]float64{"under18": -0.04, "18-29": 0.08, "30-44": 0.05, "45-59": -0.02, "60plus": -0.14}
	jobSkill := map[string]float64{"student": 0.04, "farmer": -0.10, "worker": -0.04, "staff": 0.03, "self_employed": -0.02, "employee": 0.16, "retired": -0.05}
	dimSkill := map[string]float64{"A": 0, "B": 0.10, "C": -0.08}

	const n = 320
	for i := range n {
		profile := map[string]string{
			"age":        pickWeighted(ages, ageWeights),
			"occupation": pickWeighted(jobs, jobWeights),
			"place":      pickWeighted(placeCodes, placeWeights),
		}
		if i%100 == 7 { // three people of 桃源村
			profile["place"] = small
		}
		if profile["occupation"] == "student" && (profile["age"] == "45-59" || profile["age"] == "60plus") {
			profile["occupation"] = "retired"
		}
		skill := 0.66 + ageSkill[profile["age"]] + jobSkill[profile["occupation"]] + rng.NormFloat64()*0.08
		if rural[profile["place"]] {
			skill -= 0.05
		}
		seed := rng.Uint64()
		paper := q.Paper(bank, seed)
		answers := map[app.ID][]string{}
		for k, qq := range q.Questions {
			bq := bank[qq.QuestionID]
			given := bq.Answer
			if rng.Float64() > min(0.97, max(0.15, skill+dimSkill[qq.Dimension])) {
				given = wrongAnswer(bq, rng)
			}
			answers[qq.QuestionID] = exam.FromOriginal(bq, paper.Items[k], given)
		}
		profile, err := q.ReadProfile(profile)
		if err != nil {
			return err
		}
		res, err := q.Mark(bank, seed, answers)
		if err != nil {
			return err
		}
		sub := &quiz.Submission{Seed: seed, Device: fmt.Sprintf("demo-device:%d", i+1), Client: fmt.Sprintf("demo-client:%03d", rng.IntN(240)),
			Profile: profile, Result: res}
		if _, err := l.db.SubmitResponse(ctx, q, sub); err != nil {
			return fmt.Errorf("%s 第 %d 份答卷: %w", q.Title, i+1, err)
		}
	}
	return nil
}
