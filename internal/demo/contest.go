package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/contest"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/question"
)

// contests loads two knowledge contests (知识竞赛) among the district's
// staff. This year's 七一 party-regulation contest is finished: two online
// rounds, teams by unit, prizes, and a live final whose every question,
// answer and reveal is stored with its time, so the large screen can
// replay it. The 宪法 contest of 12·4 has its online round done and its
// final set for the stage, not yet held: office1 hosts it and the
// finalists zhangwei, wangfang and lina answer on their phones.
//
// Everyone with a working role takes part (the 三员 do not). The demo's
// staff is small, so teams are one to four people; a district's real
// contest has hundreds.
func (l *loader) contests(ctx context.Context) error {
	root := l.org("root")
	ctx = app.WithActor(ctx, &app.Actor{UserID: l.user("office1").ID, Login: "office1", OrgID: root.ID, OrgPath: root.Path})
	bank, qs, err := l.bank(ctx, root)
	if err != nil {
		return err
	}
	var people []*account.User
	for _, a := range l.accounts {
		u := l.user(a.Login)
		if !slices.ContainsFunc(u.Roles, account.IsAdminRole) {
			people = append(people, u)
		}
	}
	slices.SortFunc(people, func(a, b *account.User) int { return int(a.ID - b.ID) })
	sitters := exam.Sitters{OrgPath: root.Path, Roles: []string{account.RoleExaminee, account.RoleLiaison, account.RoleOffice, account.RoleReviewer}}
	rules := exam.Rules{Picks: []exam.Pick{
		{Type: question.Single, Count: 10, Points: 5},
		{Type: question.Multiple, Count: 5, Points: 6},
		{Type: question.TrueFalse, Count: 5, Points: 4},
	}, ShuffleQuestions: true, ShuffleOptions: true}
	// The 七一 contest is the last one held: this year's once 1 July has
	// passed, else last year's. The 12·4 contest is the next one.
	now := time.Now().In(app.Shanghai)
	year := now.Year()
	if now.Before(time.Date(year, 7, 2, 0, 0, 0, 0, app.Shanghai)) {
		year--
	}
	decYear := now.Year()
	if now.After(time.Date(decYear, 12, 4, 18, 0, 0, 0, app.Shanghai)) {
		decYear++
	}
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(year, m, d, h, min, 0, 0, app.Shanghai) }
	rng := rand.New(rand.NewPCG(71, 124))
	skill := map[app.ID]float64{}
	for _, u := range people {
		skill[u.ID] = 0.45 + 0.5*rng.Float64()
	}

	round := func(title string, year int, opens, closes time.Time, share float64) (*exam.Exam, error) {
		e := &exam.Exam{OrgID: root.ID, Title: title, Year: year, Window: exam.Window{Opens: opens, Closes: closes, Duration: 20 * time.Minute},
			MaxAttempts: 1, Counts: exam.Highest, Review: exam.ReviewAfterSubmit, Rules: rules, Sitters: sitters}
		if err := l.db.CreateExam(ctx, e); err != nil {
			return nil, fmt.Errorf("%s: %w", title, err)
		}
		for _, u := range people {
			if rng.Float64() > share {
				continue
			}
			start := opens.Add(time.Duration(rng.IntN(int(closes.Sub(opens)/time.Minute)-30)) * time.Minute)
			if _, err := l.sitFor(ctx, e, u, bank, qs, skill[u.ID], start, 1, func() time.Duration { return time.Duration(6+rng.IntN(13)) * time.Minute }, rng); err != nil {
				return nil, err
			}
		}
		return e, nil
	}

	// 七一: two rounds in June, the final on 1 July.
	r1, err := round(fmt.Sprintf("%d年“七一”党内法规知识竞赛 初赛第一轮", year), year, at(6, 10, 8, 0), at(6, 14, 22, 0), 0.9)
	if err != nil {
		return err
	}
	r2, err := round(fmt.Sprintf("%d年“七一”党内法规知识竞赛 初赛第二轮", year), year, at(6, 17, 8, 0), at(6, 21, 22, 0), 0.8)
	if err != nil {
		return err
	}
	july := &contest.Contest{OrgID: root.ID, Title: fmt.Sprintf("%d年“七一”党内法规知识竞赛", year), Year: year,
		Intro:  "全区党员干部参加。初赛两轮在线答题，各单位取成绩最好的 2 人的平均分计团体成绩；团体前四名各派 2 人参加 7 月 1 日现场决赛。",
		Rounds: []contest.Round{{Title: "初赛第一轮", ExamID: r1.ID}, {Title: "初赛第二轮", ExamID: r2.ID}},
		Team:   contest.TeamRule{Kind: contest.BestN, N: 2},
		Awards: contest.Awards{
			Individual: contest.Prizes{{Name: "一等奖", Count: 2}, {Name: "二等奖", Count: 4}, {Name: "三等奖", Count: 6}},
			Team:       contest.Prizes{{Name: "一等奖", Count: 1}, {Name: "二等奖", Count: 1}, {Name: "三等奖", Count: 2}},
		},
		Final: &contest.Final{Title: "现场决赛", Questions: finalQuestions(bank, qs, 10, 10, 20, rng)}}
	st, err := l.standings(ctx, july, []*exam.Exam{r1, r2})
	if err != nil {
		return err
	}
	july.Final.Finalists = contest.PickFinalists(st, 4, 2)
	if err := l.db.CreateContest(ctx, july); err != nil {
		return fmt.Errorf("%s: %w", july.Title, err)
	}
	if err := l.holdFinal(ctx, july, qs, skill, at(7, 1, 14, 30), rng); err != nil {
		return err
	}

	// 12·4: the online round closed last week; the final waits for the
	// stage, with three of the demo's examinees on it.
	r3, err := round(fmt.Sprintf("%d年“12·4”宪法知识竞赛 初赛", decYear), decYear, now.Add(-12*24*time.Hour).Truncate(time.Hour), now.Add(-3*24*time.Hour).Truncate(time.Hour), 0.85)
	if err != nil {
		return err
	}
	dec := &contest.Contest{OrgID: root.ID, Title: fmt.Sprintf("%d年“12·4”宪法知识竞赛", decYear), Year: decYear,
		Intro:  "国家宪法日主题竞赛。初赛在线答题，按参赛率加权计团体成绩；决赛在宪法宣传周现场举行。",
		Rounds: []contest.Round{{Title: "初赛", ExamID: r3.ID}},
		Team:   contest.TeamRule{Kind: contest.Participation},
		Awards: contest.Awards{
			Individual: contest.Prizes{{Name: "一等奖", Count: 1}, {Name: "二等奖", Count: 3}, {Name: "三等奖", Count: 5}},
			Team:       contest.Prizes{{Name: "一等奖", Count: 1}, {Name: "二等奖", Count: 1}, {Name: "三等奖", Count: 1}},
		},
		Final: &contest.Final{Title: "宪法宣传周现场决赛", Questions: finalQuestions(bank, qs, 8, 10, 30, rng)}}
	st, err = l.standings(ctx, dec, []*exam.Exam{r3})
	if err != nil {
		return err
	}
	// The demo's own examinees are put on the stage, with their teams as
	// the standings name them, so a visitor can sign in as them.
	teamOf := map[app.ID]contest.Person{}
	for _, p := range st.People {
		teamOf[p.UserID] = p
	}
	for _, login := range []string{"zhangwei", "wangfang", "lina", "chenjing", "liuyang", "yangli"} {
		u := l.user(login)
		p, ok := teamOf[u.ID]
		if !ok {
			// Not sat the round by the draw of the dice: they count in
			// their unit all the same.
			key := exam.RollUp(root.Path, l.orgByID(u.OrgID).Path)
			p = contest.Person{Team: key, TeamName: l.orgNamed(key)}
		}
		dec.Final.Finalists = append(dec.Final.Finalists, contest.Finalist{UserID: u.ID, Name: u.Name, Team: p.Team, TeamName: p.TeamName})
	}
	if err := l.db.CreateContest(ctx, dec); err != nil {
		return fmt.Errorf("%s: %w", dec.Title, err)
	}
	return nil
}

// standings ranks a contest's rounds as the office's page does.
func (l *loader) standings(ctx context.Context, c *contest.Contest, rounds []*exam.Exam) (contest.Standings, error) {
	names := map[string]string{}
	for _, o := range l.orgs {
		names[o.Path] = o.Name
	}
	figures := make([]exam.Figures, len(rounds))
	for i, e := range rounds {
		rows, err := l.db.FindExamSittings(ctx, e.ID)
		if err != nil {
			return contest.Standings{}, err
		}
		counts, err := l.db.CountSitters(ctx, e.Sitters)
		if err != nil {
			return contest.Standings{}, err
		}
		figures[i] = exam.Tally(exam.FigureInput{Rule: e.Counts, Grading: e.Grading, Sittings: rows, Expected: counts,
			UnitOf: exam.UnitsUnder(e.Sitters.OrgPath, names)})
	}
	return contest.Rank(c, figures), nil
}

// finalQuestions draws n single-choice and true/false questions with keys
// for a final, each worth points and answered in seconds.
func finalQuestions(bank []exam.Candidate, qs map[app.ID]question.Question, n int, points float64, seconds int, rng *rand.Rand) []contest.LiveQuestion {
	var pool []app.ID
	for _, c := range bank {
		if (c.Q.Type == question.Single || c.Q.Type == question.TrueFalse) && c.Q.Answered() && len(c.Q.Stem) < 300 {
			pool = append(pool, c.ID)
		}
	}
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	out := make([]contest.LiveQuestion, 0, n)
	for _, id := range pool[:min(n, len(pool))] {
		out = append(out, contest.LiveQuestion{QuestionID: id, Points: points, Seconds: seconds})
	}
	return out
}

// holdFinal plays a final as it happened from start: each question opened,
// answered on the phones over its window, and revealed a few seconds
// after time ran out, with the host's pause before the next.
func (l *loader) holdFinal(ctx context.Context, c *contest.Contest, qs map[app.ID]question.Question, skill map[app.ID]float64, start time.Time, rng *rand.Rand) error {
	now := start
	var steps []contest.Step
	for range c.Final.Questions {
		st, err := c.Final.Next(steps, now)
		if err != nil {
			return err
		}
		if err := l.db.OpenStep(ctx, c.ID, st); err != nil {
			return err
		}
		lq := c.Final.Questions[st.No-1]
		q := qs[lq.QuestionID]
		for _, f := range c.Final.Finalists {
			if rng.Float64() < 0.05 {
				continue // did not answer in time
			}
			given := q.Answer
			if rng.Float64() > skill[f.UserID]+0.15 {
				given = wrongAnswer(q, rng)
			}
			correct := question.Mark(&q, given) == question.Right
			a := contest.LiveAnswer{No: st.No, UserID: f.UserID, Given: given, Correct: correct,
				At: st.OpenedAt.Add(time.Duration(2000+rng.IntN(lq.Seconds*1000-2500)) * time.Millisecond)}
			if correct {
				a.Points = lq.Points
			}
			if err := l.db.SaveLiveAnswer(ctx, c.ID, a); err != nil {
				return fmt.Errorf("决赛第 %d 题 %s: %w", st.No, f.Name, err)
			}
		}
		revealAt := st.ClosesAt.Add(time.Duration(3+rng.IntN(4)) * time.Second)
		if err := l.db.RevealStep(ctx, c.ID, st.No, revealAt); err != nil {
			return err
		}
		st.RevealedAt = revealAt
		steps = append(steps, st)
		now = revealAt.Add(time.Duration(12+rng.IntN(10)) * time.Second)
	}
	return nil
}

// orgByID returns the org made with id.
func (l *loader) orgByID(id app.ID) *org.Org {
	for _, o := range l.orgs {
		if o.ID == id {
			return o
		}
	}
	panic("demo: no org " + id.String())
}

// orgNamed returns the name of the org at path.
func (l *loader) orgNamed(path string) string {
	for _, o := range l.orgs {
		if o.Path == path {
			return o.Name
		}
	}
	return path
}
