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
// built-in literacy scheme: fifteen questions drawn from the demo bank over
// its three dimensions as the office's form draws them (quiz.DrawQuestions),
// the standard profile questions and the villages and communities of the
// org tree (quiz.PlacesFromOrgs), and 320 responses over the three weeks
// since it opened, answered by people whose skill depends on their age,
// occupation and place, so the groups differ. 桃源村 has only three
// responses, so its figures are withheld. The alarms keep their defaults:
// the responses carry their own times (quiz.Submission.At), spread out as
// real ones are.
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
	qs, err := quiz.DrawQuestions(demoQuizCandidates(stored), dims, demoQuizPicks, rng.Uint64())
	if err != nil {
		return err
	}
	active := true
	orgs, _, err := l.db.FindOrgs(ctx, org.Filter{UnderPath: &root.Path, Active: &active})
	if err != nil {
		return err
	}
	places := quiz.PlacesFromOrgs(orgs)

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
	}}
	if err := q.CheckBank(bank); err != nil {
		return err
	}
	if err := l.db.CreateQuiz(ctx, q); err != nil {
		return fmt.Errorf("%s: %w", q.Title, err)
	}
	return l.quizResponses(ctx, q, bank, rng, now)
}

// demoQuizPicks draw the demo quiz's questions: 法治认知 asks what the
// 宪法 and the 民法典 say, 法治意识 judges statements true or false, 法治行为
// asks what the 民法典 lets a person do; two points each.
var demoQuizPicks = []quiz.Pick{
	{Dimension: "A", Type: question.Single, Tag: "宪法", Count: 3, Points: 2},
	{Dimension: "A", Type: question.Single, Tag: "民法典", Count: 2, Points: 2},
	{Dimension: "B", Type: question.TrueFalse, Count: 5, Points: 2},
	{Dimension: "C", Type: question.Single, Tag: "民法典", Count: 3, Points: 2},
	{Dimension: "C", Type: question.Multiple, Tag: "民法典", Count: 2, Points: 2},
}

// demoQuizCandidates are the bank questions the demo quiz draws from: those
// tied to an article, whose result page can quote it, except those that
// only ask an article's number, which test memory, not literacy.
func demoQuizCandidates(bank []*question.Stored) []exam.Candidate {
	var out []exam.Candidate
	for _, q := range bank {
		if strings.Contains(q.Stem, "的条文是") || q.ArticleID == 0 {
			continue
		}
		out = append(out, exam.Candidate{ID: q.ID, Q: q.Question, Tags: q.Tags})
	}
	return out
}

// quizResponses answers the quiz 320 times. Each respondent's chance of a
// right answer depends on their profile and the dimension, with some
// noise per person: younger people and state employees do better, the
// elderly and farmers worse, and 法治行为 is the hardest dimension. The
// responses are dated between the quiz's opening and now
// (demoResponseTimes).
func (l *loader) quizResponses(ctx context.Context, q *quiz.Stored, bank map[app.ID]question.Question, rng *rand.Rand, now time.Time) error {
	// The places people answer from, weighted below; 桃源村 is the last.
	placeKeys := []string{"jbsq", "bjhysq", "nmsq", "sysq", "whsq", "qsc", "sqc", "lxsq", "lxc", "tyc"}
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
	times := demoResponseTimes(rng, q.OpensAt, now, n)
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
			Profile: profile, Result: res, At: times[i]}
		if _, err := l.db.SubmitResponse(ctx, q, sub); err != nil {
			return fmt.Errorf("%s 第 %d 份答卷: %w", q.Title, i+1, err)
		}
	}
	return nil
}

// demoResponseTimes spreads n response times from an hour after opens to an
// hour before now, oldest first, as a campaign's come: most in the first
// days after the QR codes went up, tailing off, and in the waking hours
// of Shanghai, never two within a few seconds, so no alarm is raised.
func demoResponseTimes(rng *rand.Rand, opens, now time.Time, n int) []time.Time {
	from, to := opens.Add(time.Hour), now.Add(-time.Hour)
	days := int(to.Sub(from).Hours()/24) + 1
	out := make([]time.Time, 0, n)
	for len(out) < n {
		// The square of a uniform draw leans towards the first days.
		u := rng.Float64()
		day := int(u * u * float64(days))
		local := from.In(app.Shanghai).AddDate(0, 0, day)
		start := time.Date(local.Year(), local.Month(), local.Day(), 7, 30, 0, 0, app.Shanghai)
		t := start.Add(time.Duration(rng.Int64N(int64(15 * time.Hour))))
		if t.Before(from) || t.After(to) {
			continue
		}
		out = append(out, t.Truncate(time.Second))
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	for i := 1; i < len(out); i++ {
		if out[i].Sub(out[i-1]) < 5*time.Second {
			out[i] = out[i-1].Add(5 * time.Second)
		}
	}
	if last := out[len(out)-1]; last.After(to) {
		// The nudges above pushed the newest past the end: a few seconds
		// of a minute-long window, never more than 5 s × n.
		shift := last.Sub(to)
		for i := range out {
			out[i] = out[i].Add(-shift)
		}
	}
	return out
}
