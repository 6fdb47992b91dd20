package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/contest"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/question"
	"pufa/internal/store"
)

// testContests covers the knowledge contest: contests by subtree and by
// finalist, the rounds' exams within the office's subtree, the final
// frozen once it has begun, and the live final's steps and answers,
// concurrent ones included.
func testContests(t *testing.T, open Opener) {
	t.Run("CreateFind", func(t *testing.T) { testContestCreateFind(t, open) })
	t.Run("Update", func(t *testing.T) { testContestUpdate(t, open) })
	t.Run("Live", func(t *testing.T) { testContestLive(t, open) })
	t.Run("Concurrent", func(t *testing.T) { testContestConcurrent(t, open) })
}

// contestFixture is a seeded database with an exam at each office, a
// question bank and four people for the finals.
type contestFixture struct {
	db                          *store.DB
	clock                       *app.ManualClock
	office                      context.Context
	root, street, village, unit *org.Org
	// exams are the exams run by root, street, village and unit.
	exams     map[*org.Org]app.ID
	questions []app.ID
	people    []*account.User
}

func newContestFixture(t *testing.T, open Opener) *contestFixture {
	t.Helper()
	ctx := context.Background()
	f := &contestFixture{clock: &app.ManualClock{T: time.Date(2026, 12, 8, 1, 0, 0, 0, time.UTC)}, exams: map[*org.Org]app.ID{}}
	f.db = open(t, f.clock)
	f.root, f.street, f.village, f.unit = Seed(t, f.db)
	f.office = app.WithActor(ctx, &app.Actor{UserID: 1, Login: "office", Roles: []string{account.RoleOffice}, OrgID: f.root.ID, OrgPath: f.root.Path})
	var qs []*question.Stored
	for i, stem := range []string{"我国的根本大法是（ ）", "全国人民代表大会每届任期几年（ ）", "国家宪法日是每年的（ ）"} {
		qs = append(qs, &question.Stored{Question: question.Question{Type: question.Single, Stem: stem,
			Options: []question.Option{{Label: "A", Text: fmt.Sprintf("选项%d", i)}, {Label: "B", Text: "其他"}}, Answer: []string{"A"}}})
	}
	_, err := f.db.ImportQuestions(f.office, f.root.ID, qs)
	must(t, err)
	for _, q := range qs {
		f.questions = append(f.questions, q.ID)
	}
	for _, o := range []*org.Org{f.root, f.street, f.village, f.unit} {
		e := &exam.Exam{OrgID: o.ID, Title: o.Name + "知识竞赛初赛", Year: 2026,
			Window:  exam.Window{Opens: f.clock.Now(), Closes: f.clock.Now().Add(72 * time.Hour), Duration: time.Hour},
			Rules:   exam.Rules{Picks: []exam.Pick{{Type: question.Single, Count: 1, Points: 100}}},
			Sitters: exam.Sitters{OrgPath: o.Path, Roles: []string{account.RoleExaminee}}}
		must(t, f.db.CreateExam(f.office, e))
		f.exams[o] = e.ID
	}
	for i, name := range []string{"张伟", "王芳", "李娜", "赵磊"} {
		u := &account.User{Login: fmt.Sprintf("finalist%d", i), Name: name, OrgID: f.unit.ID, Roles: []string{account.RoleExaminee}, PasswordHash: "x"}
		must(t, f.db.CreateUser(ctx, u))
		f.people = append(f.people, u)
	}
	return f
}

// contest returns a valid, unsaved contest of the office at orgID with a
// round per exam and a final of the three questions for people.
func (f *contestFixture) contest(orgID app.ID, title string, exams []app.ID, people ...*account.User) *contest.Contest {
	c := &contest.Contest{OrgID: orgID, Title: title, Year: 2026, Intro: "初赛线上进行，决赛现场答题。",
		Team: contest.TeamRule{Kind: contest.BestN, N: 3},
		Awards: contest.Awards{
			Individual: contest.Prizes{{Name: "一等奖", Count: 1}, {Name: "二等奖", Count: 2}},
			Team:       contest.Prizes{{Name: "优秀组织奖", Count: 2}},
		}}
	for i, e := range exams {
		c.Rounds = append(c.Rounds, contest.Round{Title: fmt.Sprintf("初赛第%d场", i+1), ExamID: e})
	}
	if len(people) > 0 {
		c.Final = &contest.Final{Title: "现场决赛"}
		for _, q := range f.questions {
			c.Final.Questions = append(c.Final.Questions, contest.LiveQuestion{QuestionID: q, Points: 12.5, Seconds: 30})
		}
		for i, p := range people {
			team := []string{"甲", "乙"}[i%2]
			c.Final.Finalists = append(c.Final.Finalists, contest.Finalist{UserID: p.ID, Name: p.Name, Team: team, TeamName: team + "队"})
		}
	}
	return c
}

func wantInvalid(t *testing.T, err error, field, msg string) {
	t.Helper()
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Code != app.EINVALID || ae.Field != field || (msg != "" && ae.Message != msg) {
		t.Fatalf("error = %v, want EINVALID on %q: %q", err, field, msg)
	}
}

func wantConflict(t *testing.T, err error, msg string) {
	t.Helper()
	wantCode(t, err, app.ECONFLICT)
	if app.ErrorMessage(err) != msg {
		t.Fatalf("message = %q, want %q", app.ErrorMessage(err), msg)
	}
}

func testContestCreateFind(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newContestFixture(t, open)
	db := f.db
	p := f.people
	// titles lists the contests' titles, comma-separated.
	titles := func(cs []*contest.Contest, err error) string {
		t.Helper()
		must(t, err)
		var out []string
		for _, c := range cs {
			if c.OrgPath == "" || len(c.Rounds) == 0 {
				t.Fatalf("listed %+v", c)
			}
			out = append(out, c.Title)
		}
		return strings.Join(out, ",")
	}

	// Validate's error passes through; an unknown office, an unknown exam
	// and an exam run above the office are refused.
	bad := f.contest(f.root.ID, " ", []app.ID{f.exams[f.root]})
	wantInvalid(t, db.CreateContest(f.office, bad), "title", "请填写竞赛名称")
	wantInvalid(t, db.CreateContest(f.office, f.contest(424242, "无主竞赛", []app.ID{f.exams[f.root]})), "org", "")
	wantInvalid(t, db.CreateContest(f.office, f.contest(f.root.ID, "缺考试", []app.ID{f.exams[f.root], 999})), "rounds", "第 2 轮的考试不存在或不属于本单位")
	wantInvalid(t, db.CreateContest(f.office, f.contest(f.street.ID, "越级", []app.ID{f.exams[f.root]})), "rounds", "第 1 轮的考试不存在或不属于本单位")
	wantInvalid(t, db.CreateContest(f.office, f.contest(f.street.ID, "别家", []app.ID{f.exams[f.street], f.exams[f.unit]})), "rounds", "第 2 轮的考试不存在或不属于本单位")

	district := f.contest(f.root.ID, " 2026年度区级法治知识竞赛 ", []app.ID{f.exams[f.root], f.exams[f.unit]}, p[0], p[1], p[2])
	must(t, db.CreateContest(f.office, district))
	if district.ID == 0 || district.OrgPath != f.root.Path || district.CreatedBy != 1 || !district.CreatedAt.Equal(f.clock.Now()) || district.Title != "2026年度区级法治知识竞赛" {
		t.Fatalf("created %+v", district)
	}
	f.clock.Advance(time.Minute)
	street := f.contest(f.street.ID, "街道法治知识竞赛", []app.ID{f.exams[f.street], f.exams[f.village]}, p[0])
	must(t, db.CreateContest(f.office, street))
	f.clock.Advance(time.Minute)
	noFinal := f.contest(f.unit.ID, "局机关学法竞赛", []app.ID{f.exams[f.unit]})
	must(t, db.CreateContest(ctx, noFinal)) // no actor: created by nobody
	if noFinal.CreatedBy != 0 || noFinal.Final != nil {
		t.Fatalf("created %+v", noFinal)
	}

	for _, want := range []*contest.Contest{district, street, noFinal} {
		got, err := db.FindContestByID(ctx, want.ID)
		must(t, err)
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("FindContestByID differs from what was created (-want +got):\n%s", d)
		}
	}
	_, err := db.FindContestByID(ctx, 12345)
	wantCode(t, err, app.ENOTFOUND)

	if got := titles(db.FindContests(ctx, f.root.Path)); got != "局机关学法竞赛,街道法治知识竞赛,2026年度区级法治知识竞赛" {
		t.Fatalf("district's contests, newest first: %q", got)
	}
	if got := titles(db.FindContests(ctx, f.street.Path)); got != "街道法治知识竞赛" {
		t.Fatalf("street's contests: %q", got)
	}
	if got := titles(db.FindContests(ctx, f.village.Path)); got != "" {
		t.Fatalf("village's contests: %q", got)
	}
	for i, want := range []string{"街道法治知识竞赛,2026年度区级法治知识竞赛", "2026年度区级法治知识竞赛", "2026年度区级法治知识竞赛", ""} {
		if got := titles(db.FindContestsFor(ctx, p[i].ID)); got != want {
			t.Fatalf("%s's contests: %q, want %q", p[i].Name, got, want)
		}
	}
	if n := countWhere(t, db, "audit_log", "action = 'contest.create'"); n != 3 {
		t.Fatalf("%d contest.create audit rows, want 3", n)
	}
}

func testContestUpdate(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newContestFixture(t, open)
	db := f.db
	p := f.people
	c := f.contest(f.street.ID, "街道法治知识竞赛", []app.ID{f.exams[f.street]}, p[0], p[1], p[2])
	must(t, db.CreateContest(f.office, c))
	created := *c

	// Before the final: anything but the office and creation may change,
	// and the finalists' index follows.
	edit := f.contest(f.unit.ID, "街道法治知识竞赛（修订）", []app.ID{f.exams[f.village], f.exams[f.street]}, p[3], p[1])
	edit.ID = c.ID
	edit.Team = contest.TeamRule{Kind: contest.Participation}
	edit.Final.Questions = edit.Final.Questions[:2]
	must(t, db.UpdateContest(f.office, edit))
	if edit.OrgID != f.street.ID || edit.OrgPath != f.street.Path || edit.CreatedBy != 1 || !edit.CreatedAt.Equal(created.CreatedAt) {
		t.Fatalf("office or creation changed: %+v", edit)
	}
	got, err := db.FindContestByID(ctx, c.ID)
	must(t, err)
	if d := cmp.Diff(edit, got); d != "" {
		t.Fatalf("stored contest differs from the update (-want +got):\n%s", d)
	}
	for i, want := range []int{0, 1, 0, 1} {
		if cs, err := db.FindContestsFor(ctx, p[i].ID); err != nil || len(cs) != want {
			t.Fatalf("%s is in %d contests (%v), want %d", p[i].Name, len(cs), err, want)
		}
	}
	// An edit made from an earlier read (another tab, another person) is
	// refused whole, and leaves the caller's revision as it was.
	if edit.Revision != 1 || got.Revision != 1 {
		t.Fatalf("revision after one edit: sent %d, stored %d; want 1", edit.Revision, got.Revision)
	}
	stale := created
	stale.Title = "旧页面上的修改"
	wantConflict(t, db.UpdateContest(f.office, &stale), "竞赛设置在您打开之后已被他人修改并保存，请刷新页面，在最新的设置上重新修改")
	if stale.Revision != 0 {
		t.Fatalf("a refused edit moved the caller's revision to %d", stale.Revision)
	}
	if now, _ := db.FindContestByID(ctx, c.ID); now.Title != edit.Title || now.Revision != 1 {
		t.Fatalf("a stale edit was stored: %+v", now)
	}

	// The rounds are checked against the stored office, not the one sent.
	bad := *edit
	bad.OrgID, bad.Rounds = f.root.ID, []contest.Round{{ExamID: f.exams[f.root]}}
	wantInvalid(t, db.UpdateContest(f.office, &bad), "rounds", "第 1 轮的考试不存在或不属于本单位")
	missing := *edit
	missing.ID = 12345
	wantCode(t, db.UpdateContest(f.office, &missing), app.ENOTFOUND)
	wantInvalid(t, db.UpdateContest(f.office, &contest.Contest{ID: c.ID, Title: "缺轮次", Year: 2026}), "rounds", "")

	// Once a step exists, the questions and finalists are frozen; the
	// rest may still change.
	first, err := got.Final.Next(nil, f.clock.Now())
	must(t, err)
	must(t, db.OpenStep(ctx, c.ID, first))
	later := *got
	later.Title, later.Intro = "街道法治知识竞赛（决赛进行中）", "决赛正在进行。"
	later.Awards.Team = contest.Prizes{{Name: "最佳团队", Count: 1}}
	must(t, db.UpdateContest(f.office, &later))
	const frozen = "决赛已经开始，不能再修改决赛题目和选手"
	change := func(edit func(fin *contest.Final) *contest.Final) error {
		x := later
		fin := *later.Final
		fin.Questions = append([]contest.LiveQuestion(nil), fin.Questions...)
		fin.Finalists = append([]contest.Finalist(nil), fin.Finalists...)
		x.Final = edit(&fin)
		// These edits are about the frozen final, each made on the stored
		// revision.
		cur, err := db.FindContestByID(ctx, c.ID)
		must(t, err)
		x.Revision = cur.Revision
		return db.UpdateContest(f.office, &x)
	}
	wantConflict(t, change(func(fin *contest.Final) *contest.Final { fin.Questions[1].Points = 20; return fin }), frozen)
	wantConflict(t, change(func(fin *contest.Final) *contest.Final { fin.Questions = fin.Questions[:1]; return fin }), frozen)
	wantConflict(t, change(func(fin *contest.Final) *contest.Final { fin.Finalists[0].Team = "乙"; return fin }), frozen)
	wantConflict(t, change(func(fin *contest.Final) *contest.Final { fin.Finalists = fin.Finalists[1:]; return fin }), frozen)
	wantConflict(t, change(func(*contest.Final) *contest.Final { return nil }), frozen)
	must(t, change(func(fin *contest.Final) *contest.Final { fin.Title = "决赛（直播）"; return fin }))
	if got, _ := db.FindContestByID(ctx, c.ID); got.Title != later.Title || got.Final.Title != "决赛（直播）" || got.Awards.Team[0].Name != "最佳团队" {
		t.Fatalf("after the final began: %+v", got)
	}

	// After a reset the final may change again.
	must(t, db.ResetLive(f.office, c.ID))
	must(t, change(func(fin *contest.Final) *contest.Final { fin.Questions[1].Points = 20; return fin }))
	if n := countWhere(t, db, "audit_log", "action = 'contest.update'"); n != 4 {
		t.Fatalf("%d contest.update audit rows, want 4", n)
	}
}

func testContestLive(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newContestFixture(t, open)
	db := f.db
	p := f.people
	c := f.contest(f.root.ID, "区级法治知识竞赛", []app.ID{f.exams[f.root]}, p...)
	must(t, db.CreateContest(f.office, c))
	fin := c.Final
	t0 := f.clock.Now()
	at := func(d time.Duration) time.Time { return t0.Add(d) }

	steps, answers, err := db.FindLive(ctx, c.ID)
	must(t, err)
	if len(steps) != 0 || len(answers) != 0 {
		t.Fatalf("a new final has %v %v", steps, answers)
	}
	first, err := fin.Next(nil, t0)
	must(t, err)
	// Out of order, on edited questions, for an unknown contest: refused.
	second := contest.Step{No: 2, QuestionID: f.questions[1], OpenedAt: t0, ClosesAt: at(30 * time.Second)}
	wantConflict(t, db.OpenStep(ctx, c.ID, second), "决赛应进行第 1 题，不能开始第 2 题")
	wrong := first
	wrong.QuestionID = f.questions[2]
	wantConflict(t, db.OpenStep(ctx, c.ID, wrong), "决赛第 1 题已修改，请刷新页面后重试")
	wantCode(t, db.OpenStep(ctx, 12345, first), app.ENOTFOUND)

	must(t, db.OpenStep(ctx, c.ID, first))
	wantConflict(t, db.OpenStep(ctx, c.ID, first), "第 1 题已经开始")
	wantConflict(t, db.OpenStep(ctx, c.ID, second), "第 1 题还没有公布答案")

	// Answers in the window (and its grace) are stored, once each.
	answer := func(u *account.User, no int, d time.Duration, given string, correct bool) error {
		pts := 0.0
		if correct {
			pts = 12.5
		}
		return db.SaveLiveAnswer(ctx, c.ID, contest.LiveAnswer{No: no, UserID: u.ID, Given: []string{given}, At: at(d), Correct: correct, Points: pts})
	}
	must(t, answer(p[0], 1, 5*time.Second, "A", true))
	must(t, answer(p[1], 1, 3*time.Second, "B", false))
	wantConflict(t, answer(p[0], 1, 6*time.Second, "B", false), "您已作答本题，答案不能修改")
	wantConflict(t, answer(p[2], 1, -time.Millisecond, "A", true), "本题作答时间已过")
	wantConflict(t, answer(p[2], 1, 30*time.Second+contest.AnswerGrace+time.Millisecond, "A", true), "本题作答时间已过")
	must(t, answer(p[2], 1, 30*time.Second+contest.AnswerGrace, "A", true))
	wantConflict(t, answer(p[3], 2, 5*time.Second, "A", true), "本题作答时间已过") // no such step yet

	// A reveal after the window leaves its close as it was; revealed is
	// revealed once; there is nothing to reveal of a step not opened.
	must(t, db.RevealStep(ctx, c.ID, 1, at(40*time.Second)))
	wantConflict(t, db.RevealStep(ctx, c.ID, 1, at(41*time.Second)), "没有待公布答案的题目")
	wantConflict(t, db.RevealStep(ctx, c.ID, 2, at(41*time.Second)), "没有待公布答案的题目")
	wantConflict(t, answer(p[3], 1, 31*time.Second, "A", true), "本题作答时间已过") // in the grace, but revealed

	// The next step: a reveal while the window is open closes it then,
	// and an answer made before the reveal but arriving after it is
	// refused.
	steps, _, err = db.FindLive(ctx, c.ID)
	must(t, err)
	second, err = fin.Next(steps, at(time.Minute))
	must(t, err)
	must(t, db.OpenStep(ctx, c.ID, second))
	must(t, answer(p[3], 2, time.Minute+2*time.Second, "A", true))
	must(t, db.RevealStep(ctx, c.ID, 2, at(time.Minute+10*time.Second)))
	wantConflict(t, answer(p[0], 2, time.Minute+5*time.Second, "A", true), "本题作答时间已过")

	steps, answers, err = db.FindLive(ctx, c.ID)
	must(t, err)
	wantSteps := []contest.Step{
		{No: 1, QuestionID: f.questions[0], OpenedAt: t0, ClosesAt: at(30 * time.Second), RevealedAt: at(40 * time.Second)},
		{No: 2, QuestionID: f.questions[1], OpenedAt: at(time.Minute), ClosesAt: at(time.Minute + 10*time.Second), RevealedAt: at(time.Minute + 10*time.Second)},
	}
	if d := cmp.Diff(wantSteps, steps); d != "" {
		t.Fatalf("steps (-want +got):\n%s", d)
	}
	wantAnswers := []contest.LiveAnswer{
		{No: 1, UserID: p[1].ID, Given: []string{"B"}, At: at(3 * time.Second)},
		{No: 1, UserID: p[0].ID, Given: []string{"A"}, At: at(5 * time.Second), Correct: true, Points: 12.5},
		{No: 1, UserID: p[2].ID, Given: []string{"A"}, At: at(30*time.Second + contest.AnswerGrace), Correct: true, Points: 12.5},
		{No: 2, UserID: p[3].ID, Given: []string{"A"}, At: at(time.Minute + 2*time.Second), Correct: true, Points: 12.5},
	}
	if d := cmp.Diff(wantAnswers, answers); d != "" {
		t.Fatalf("answers (-want +got):\n%s", d)
	}
	// The domain ranks what was stored: the quickest right answer first.
	b := fin.BoardAt(steps, answers, at(time.Hour), c.Awards.Team)
	if b.Phase != contest.Revealed || b.People[0].UserID != p[3].ID || b.People[0].Points != 12.5 || b.Answered != 1 {
		t.Fatalf("board %+v", b)
	}

	// FindSteps reads the same steps, without the answers.
	onlySteps, err := db.FindSteps(ctx, c.ID)
	must(t, err)
	if d := cmp.Diff(steps, onlySteps); d != "" || len(onlySteps) == 0 {
		t.Fatalf("FindSteps differs from FindLive's steps (-live +steps):\n%s", d)
	}

	// A reset clears the final (after a rehearsal) and it starts again.
	wantCode(t, db.ResetLive(f.office, 12345), app.ENOTFOUND)
	must(t, db.ResetLive(f.office, c.ID))
	steps, answers, err = db.FindLive(ctx, c.ID)
	must(t, err)
	if len(steps) != 0 || len(answers) != 0 {
		t.Fatalf("after reset: %v %v", steps, answers)
	}
	if n := countWhere(t, db, "audit_log", "action = 'contest.live_reset'"); n != 1 {
		t.Fatalf("%d contest.live_reset audit rows, want 1", n)
	}
	first, err = fin.Next(nil, at(2*time.Hour))
	must(t, err)
	must(t, db.OpenStep(ctx, c.ID, first))
	must(t, answer(p[0], 1, 2*time.Hour+time.Second, "A", true))

	// Every question asked: no step beyond the last.
	for no := 1; no <= len(fin.Questions); no++ {
		if no > 1 {
			steps, _, err = db.FindLive(ctx, c.ID)
			must(t, err)
			next, err := fin.Next(steps, at(3*time.Hour))
			must(t, err)
			must(t, db.OpenStep(ctx, c.ID, next))
		}
		must(t, db.RevealStep(ctx, c.ID, no, at(3*time.Hour+time.Minute)))
	}
	extra := contest.Step{No: len(fin.Questions) + 1, QuestionID: f.questions[0], OpenedAt: at(4 * time.Hour), ClosesAt: at(4*time.Hour + time.Minute)}
	wantConflict(t, db.OpenStep(ctx, c.ID, extra), "决赛题目已全部答完")
}

// testContestConcurrent runs the live final's races: one person's answer
// sent twenty times at once, two hosts opening the same step, and a
// reveal among answers.
func testContestConcurrent(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newContestFixture(t, open)
	db := f.db
	c := f.contest(f.root.ID, "区级法治知识竞赛", []app.ID{f.exams[f.root]}, f.people...)
	must(t, db.CreateContest(f.office, c))
	t0 := f.clock.Now()

	// race runs fn n times at once and returns the errors.
	race := func(n int, fn func(i int) error) []error {
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = fn(i)
			}()
		}
		close(start)
		wg.Wait()
		return errs
	}
	// tally counts the nil errors and fails on any error but want.
	tally := func(errs []error, want string) int {
		t.Helper()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if app.ErrorCode(err) != app.ECONFLICT || app.ErrorMessage(err) != want {
				t.Fatalf("error %v, want nil or ECONFLICT %q", err, want)
			}
		}
		return ok
	}

	first, err := c.Final.Next(nil, t0)
	must(t, err)
	if n := tally(race(8, func(int) error { return db.OpenStep(ctx, c.ID, first) }), "第 1 题已经开始"); n != 1 {
		t.Fatalf("%d hosts opened step 1, want 1", n)
	}

	u := f.people[0]
	errs := race(20, func(i int) error {
		return db.SaveLiveAnswer(ctx, c.ID, contest.LiveAnswer{No: 1, UserID: u.ID, Given: []string{string(rune('A' + i%4))}, At: t0.Add(time.Duration(i+1) * 100 * time.Millisecond)})
	})
	if n := tally(errs, "您已作答本题，答案不能修改"); n != 1 {
		t.Fatalf("%d of 20 identical answers stored, want 1", n)
	}
	_, answers, err := db.FindLive(ctx, c.ID)
	must(t, err)
	if len(answers) != 1 || answers[0].UserID != u.ID {
		t.Fatalf("stored %+v", answers)
	}

	// A reveal among answers: each answer is stored or refused whole, and
	// what was stored is what FindLive reads. The answers come from ids
	// of no account: the store leaves who is a finalist to its caller.
	const n = 30
	var revealErr error
	errs = race(n+1, func(i int) error {
		if i == n/2 {
			revealErr = db.RevealStep(ctx, c.ID, 1, t0.Add(10*time.Second))
			return nil
		}
		return db.SaveLiveAnswer(ctx, c.ID, contest.LiveAnswer{No: 1, UserID: app.ID(900000 + i), Given: []string{"A"}, At: t0.Add(5 * time.Second), Correct: true, Points: 12.5})
	})
	must(t, revealErr)
	stored := tally(errs, "本题作答时间已过") - 1 // the reveal's nil
	_, answers, err = db.FindLive(ctx, c.ID)
	must(t, err)
	if len(answers) != stored+1 {
		t.Fatalf("%d answers stored, %d reported stored", len(answers)-1, stored)
	}
	wantConflict(t, db.SaveLiveAnswer(ctx, c.ID, contest.LiveAnswer{No: 1, UserID: 999999, Given: []string{"A"}, At: t0.Add(5 * time.Second)}), "本题作答时间已过")
}
