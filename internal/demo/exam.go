package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/question"
)

// demoRules are the demo's papers: 100 points in four sections; 领导干部
// get more multiple-choice questions, the harder kind.
func demoRules() (staff, senior exam.Rules) {
	staff = exam.Rules{Picks: []exam.Pick{
		{Type: question.Single, Count: 20, Points: 2},
		{Type: question.Multiple, Count: 10, Points: 3},
		{Type: question.TrueFalse, Count: 10, Points: 2},
		{Type: question.Fill, Count: 5, Points: 2},
	}, ShuffleQuestions: true, ShuffleOptions: true}
	senior = exam.Rules{Picks: []exam.Pick{
		{Type: question.Single, Count: 15, Points: 2},
		{Type: question.Multiple, Count: 15, Points: 3},
		{Type: question.TrueFalse, Count: 10, Points: 1.5},
		{Type: question.Fill, Count: 5, Points: 2},
	}, ShuffleQuestions: true, ShuffleOptions: true}
	return staff, senior
}

// exams loads last year's exam, finished, with everyone's results and a
// make-up for those who failed, and this year's, open now, which some
// have sat and the demo examinees can take.
func (l *loader) exams(ctx context.Context) error {
	root := l.org("root")
	ctx = app.WithActor(ctx, &app.Actor{UserID: l.user("office1").ID, Login: "office1", OrgID: root.ID, OrgPath: root.Path})
	bank, qs, err := l.bank(ctx, root)
	if err != nil {
		return err
	}
	staff, senior := demoRules()
	now := time.Now()
	year := now.In(app.Shanghai).Year()
	day := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, app.Shanghai) }

	last := &exam.Exam{OrgID: root.ID, Title: fmt.Sprintf("%d年度国家工作人员学法用法考试", year-1), Year: year - 1,
		Window:      exam.Window{Opens: day(year-1, 11, 1, 8), Closes: day(year-1, 11, 30, 22), Duration: 60 * time.Minute},
		MaxAttempts: 2, Counts: exam.Highest, Review: exam.ReviewAfterClose,
		Rules: staff, SeniorRules: &senior, Sitters: exam.Sitters{Roles: []string{account.RoleExaminee}}}
	if err := l.db.CreateExam(ctx, last); err != nil {
		return fmt.Errorf("%s: %w", last.Title, err)
	}
	makeUp := &exam.Exam{OrgID: root.ID, Title: fmt.Sprintf("%d年度国家工作人员学法用法考试（补考）", year-1), Year: year - 1, MakeUpOf: last.ID,
		Window:      exam.Window{Opens: day(year-1, 12, 8, 8), Closes: day(year-1, 12, 12, 22), Duration: 60 * time.Minute},
		MaxAttempts: 1, Counts: exam.Highest, Review: exam.ReviewAfterClose,
		Rules: staff, SeniorRules: &senior, Sitters: exam.Sitters{Roles: []string{account.RoleExaminee}}}
	if err := l.db.CreateExam(ctx, makeUp); err != nil {
		return fmt.Errorf("%s: %w", makeUp.Title, err)
	}
	// This year's opened a week ago and closes in two weeks.
	current := &exam.Exam{OrgID: root.ID, Title: fmt.Sprintf("%d年度国家工作人员学法用法考试", year), Year: year,
		Window:      exam.Window{Opens: now.Add(-7 * 24 * time.Hour).Truncate(time.Hour), Closes: now.Add(14 * 24 * time.Hour).Truncate(time.Hour), Duration: 60 * time.Minute},
		MaxAttempts: 3, Counts: exam.Highest, Review: exam.ReviewAfterClose,
		Rules: staff, SeniorRules: &senior, Sitters: exam.Sitters{Roles: []string{account.RoleExaminee}}}
	if err := l.db.CreateExam(ctx, current); err != nil {
		return fmt.Errorf("%s: %w", current.Title, err)
	}

	rng := rand.New(rand.NewPCG(2024, 11))
	var examinees []*account.User
	for _, a := range l.accounts {
		if u := l.user(a.Login); slices.Contains(u.Roles, account.RoleExaminee) {
			examinees = append(examinees, u)
		}
	}
	slices.SortFunc(examinees, func(a, b *account.User) int { return int(a.ID - b.ID) })
	var failed []*account.User
	for i, u := range examinees {
		// Two people never sat last year's exam (参考率 below 100%).
		if i == 3 || i == 11 {
			continue
		}
		skill := 0.55 + 0.45*rng.Float64()
		if i == 7 || i == 15 {
			skill = 0.35 // these two fail, then pass the make-up
		}
		start := last.Window.Opens.Add(time.Duration(rng.IntN(28*24)) * time.Hour)
		st, err := l.sit(ctx, last, u, bank, qs, skill, start, 1, rng)
		if err != nil {
			return err
		}
		if !st.Passed {
			failed = append(failed, u)
		}
	}
	for _, u := range failed {
		start := makeUp.Window.Opens.Add(time.Duration(1+rng.IntN(48)) * time.Hour)
		if _, err := l.sit(ctx, makeUp, u, bank, qs, 0.8, start, 1, rng); err != nil {
			return err
		}
	}
	// This year: a third have sat it; zhangwei, wangfang and lina have not,
	// so the demo can start a paper with them.
	for i, u := range examinees {
		if i%3 != 0 || slices.Contains([]string{"zhangwei", "wangfang", "lina"}, u.Login) {
			continue
		}
		start := now.Add(-time.Duration(1+rng.IntN(6*24)) * time.Hour)
		if _, err := l.sit(ctx, current, u, bank, qs, 0.6+0.4*rng.Float64(), start, 1, rng); err != nil {
			return err
		}
	}
	return nil
}

// bank reads the question bank the district's exams draw from, as draw
// candidates and by ID.
func (l *loader) bank(ctx context.Context, root *org.Org) ([]exam.Candidate, map[app.ID]question.Question, error) {
	stored, err := l.db.FindBank(ctx, org.PathsUp(root.Path))
	if err != nil {
		return nil, nil, err
	}
	bank := make([]exam.Candidate, len(stored))
	qs := map[app.ID]question.Question{}
	for i, q := range stored {
		bank[i] = exam.Candidate{ID: q.ID, Q: q.Question, Tags: q.Tags}
		qs[q.ID] = q.Question
	}
	return bank, qs, nil
}

// sit records one finished attempt of u at e, started at start, each
// question answered right with probability skill.
func (l *loader) sit(ctx context.Context, e *exam.Exam, u *account.User, bank []exam.Candidate, qs map[app.ID]question.Question, skill float64, start time.Time, no int, rng *rand.Rand) (*exam.Sitting, error) {
	return l.sitFor(ctx, e, u, bank, qs, skill, start, no, func() time.Duration { return time.Duration(25+rng.IntN(30)) * time.Minute }, rng)
}

// sitFor is sit with the time the attempt took, drawn after the answers.
func (l *loader) sitFor(ctx context.Context, e *exam.Exam, u *account.User, bank []exam.Candidate, qs map[app.ID]question.Question, skill float64, start time.Time, no int, took func() time.Duration, rng *rand.Rand) (*exam.Sitting, error) {
	paper, err := exam.Draw(bank, e.RulesFor(u.Rank), e.Seed(u.ID, no))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.Title, err)
	}
	answers := map[app.ID]exam.Answer{}
	for i, it := range paper.Items {
		q := qs[it.QuestionID]
		given := q.Answer
		if rng.Float64() > skill {
			given = wrongAnswer(q, rng)
		}
		answers[it.QuestionID] = exam.Answer{Given: given, Seq: int64(i + 1)}
	}
	res := exam.Score(paper, qs, answers, e.Grading)
	deadline := e.Window.Deadline(start)
	st := &exam.Sitting{ExamID: e.ID, UserID: u.ID, OrgID: u.OrgID, Paper: paper, Started: start, Deadline: deadline, GraceEnd: e.Window.GraceEnd(start),
		State: exam.Submitted, SubmittedAt: start.Add(took()),
		Score: res.Score, Raw: res.Raw, Max: res.Max, Grade: res.Grade, Passed: res.Passed, PendingManual: res.PendingManual}
	if err := l.db.RecordSitting(ctx, st, answers); err != nil {
		return nil, fmt.Errorf("%s（%s）: %w", e.Title, u.Name, err)
	}
	return st, nil
}

// wrongAnswer is a plausible wrong answer to q.
func wrongAnswer(q question.Question, rng *rand.Rand) []string {
	switch {
	case q.Type.HasOptions():
		var wrong []string
		for _, o := range q.Options {
			if !slices.Contains(q.Answer, o.Label) {
				wrong = append(wrong, o.Label)
			}
		}
		if len(wrong) == 0 {
			return nil
		}
		return []string{wrong[rng.IntN(len(wrong))]}
	case q.Type == question.TrueFalse:
		if slices.Contains(q.Answer, question.True) {
			return []string{question.False}
		}
		return []string{question.True}
	}
	return []string{"不记得了"}
}
