package contest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"pufa/internal/app"
)

func TestFinalValidate(t *testing.T) {
	if err := validFinal().Validate(); err != nil {
		t.Fatalf("valid final: %v", err)
	}
	if err := (&Final{}).Validate(); err != nil {
		t.Fatalf("an empty final (to be filled in later): %v", err)
	}
	questions := func(n int) []LiveQuestion {
		var qs []LiveQuestion
		for i := range n {
			qs = append(qs, LiveQuestion{app.ID(1000 + i), 10, 30})
		}
		return qs
	}
	finalists := func(n int) []Finalist {
		var ps []Finalist
		for i := range n {
			ps = append(ps, Finalist{app.ID(1000 + i), fmt.Sprint("选手", i), "/1/2/", "所"})
		}
		return ps
	}
	for _, c := range []struct {
		name  string
		edit  func(f *Final)
		field string
		msg   string
	}{
		{"title 51", func(f *Final) { f.Title = strings.Repeat("决", 51) }, "final_title", "不能超过 50 个字"},
		{"title 50 padded", func(f *Final) { f.Title = " " + strings.Repeat("决", 50) + " " }, "", ""},
		{"101 questions", func(f *Final) { f.Questions = questions(101) }, "final_questions", "决赛题目最多 100 道"},
		{"100 questions", func(f *Final) { f.Questions = questions(100) }, "", ""},
		{"no question chosen", func(f *Final) { f.Questions[1].QuestionID = 0 }, "final_questions", "决赛第 2 题没有选择题目"},
		{"a question twice", func(f *Final) { f.Questions[2].QuestionID = 101 }, "final_questions", "决赛第 3 题与前面的题目重复"},
		{"0 points", func(f *Final) { f.Questions[0].Points = 0 }, "final_questions", "决赛第 1 题的分值"},
		{"negative points", func(f *Final) { f.Questions[0].Points = -5 }, "final_questions", "分值"},
		{"100.01 points", func(f *Final) { f.Questions[0].Points = 100.01 }, "final_questions", "分值"},
		{"NaN points", func(f *Final) { f.Questions[1].Points = nan() }, "final_questions", "决赛第 2 题的分值"},
		{"100 points", func(f *Final) { f.Questions[0].Points = 100 }, "", ""},
		{"0.5 points", func(f *Final) { f.Questions[0].Points = 0.5 }, "", ""},
		{"4 seconds", func(f *Final) { f.Questions[0].Seconds = MinSeconds - 1 }, "final_questions", "决赛第 1 题的作答时间应在 5 到 600 秒之间"},
		{"601 seconds", func(f *Final) { f.Questions[0].Seconds = MaxSeconds + 1 }, "final_questions", "作答时间"},
		{"5 and 600 seconds", func(f *Final) { f.Questions[0].Seconds, f.Questions[1].Seconds = MinSeconds, MaxSeconds }, "", ""},
		{"501 finalists", func(f *Final) { f.Finalists = finalists(501) }, "finalists", "决赛选手最多 500 人"},
		{"500 finalists", func(f *Final) { f.Finalists = finalists(500) }, "", ""},
		{"no user", func(f *Final) { f.Finalists[1].UserID = 0 }, "finalists", "决赛选手“李四”重复或无效"},
		{"a finalist twice", func(f *Final) { f.Finalists[3].UserID = 1 }, "finalists", "“赵六”重复或无效"},
		{"no team", func(f *Final) { f.Finalists[2].Team = " " }, "finalists", "决赛选手“王五”没有所属代表队"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := validFinal()
			c.edit(f)
			err := f.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			wantErr(t, err, app.EINVALID, c.field, c.msg)
		})
	}
}

func TestFinalist(t *testing.T) {
	f := validFinal()
	if p, ok := f.Finalist(3); !ok || p.Name != "王五" || p.Team != "/1/3/" {
		t.Errorf("Finalist(3) = %+v, %v", p, ok)
	}
	if p, ok := f.Finalist(9); ok || p != (Finalist{}) {
		t.Errorf("Finalist(9) = %+v, %v", p, ok)
	}
}

func TestNext(t *testing.T) {
	f := validFinal()
	s, err := f.Next(nil, sec(0))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Step{No: 1, QuestionID: 101, OpenedAt: sec(0), ClosesAt: sec(30)}); s != want {
		t.Errorf("first step %+v, want %+v", s, want)
	}
	steps := []Step{s}
	_, err = f.Next(steps, sec(50))
	wantErr(t, err, app.ECONFLICT, "", "第 1 题还没有公布答案")

	steps[0].RevealedAt = sec(40)
	s, err = f.Next(steps, sec(60))
	if want := (Step{No: 2, QuestionID: 102, OpenedAt: sec(60), ClosesAt: sec(90)}); err != nil || s != want {
		t.Errorf("second step %+v, %v; want %+v", s, err, want)
	}
	s.RevealedAt = sec(80)
	steps = append(steps, s)
	s, err = f.Next(steps, sec(100))
	if want := (Step{No: 3, QuestionID: 103, OpenedAt: sec(100), ClosesAt: sec(120)}); err != nil || s != want {
		t.Errorf("third step %+v, %v; want %+v", s, err, want)
	}
	steps = append(steps, s)
	_, err = f.Next(steps, sec(130))
	wantErr(t, err, app.ECONFLICT, "", "第 3 题还没有公布答案")
	steps[2].RevealedAt = sec(125)
	_, err = f.Next(steps, sec(130))
	wantErr(t, err, app.ECONFLICT, "", "决赛题目已全部答完")

	_, err = (&Final{Finalists: f.Finalists}).Next(nil, sec(0))
	wantErr(t, err, app.ECONFLICT, "", "已全部答完")
	// Nobody on the stage: the host cannot start.
	_, err = (&Final{Questions: f.Questions}).Next(nil, sec(0))
	wantErr(t, err, app.ECONFLICT, "", "还没有选手")
}

func TestReveal(t *testing.T) {
	_, err := Reveal(nil, sec(0))
	wantErr(t, err, app.ECONFLICT, "", "没有待公布答案的题目")
	done := Step{No: 1, QuestionID: 101, OpenedAt: sec(0), ClosesAt: sec(30), RevealedAt: sec(40)}
	_, err = Reveal([]Step{done}, sec(50))
	wantErr(t, err, app.ECONFLICT, "", "没有待公布答案的题目")

	open := Step{No: 2, QuestionID: 102, OpenedAt: sec(60), ClosesAt: sec(90)}
	for _, c := range []struct {
		name   string
		at     time.Time
		closes time.Time
	}{
		{"early: the window closes", sec(80), sec(80)},
		{"at the close", sec(90), sec(90)},
		{"in the grace", sec(91), sec(90)},
		{"late", sec(200), sec(90)},
	} {
		steps := []Step{done, open}
		s, err := Reveal(steps, c.at)
		want := open
		want.ClosesAt, want.RevealedAt = c.closes, c.at
		if err != nil || s != want {
			t.Errorf("%s: %+v, %v; want %+v", c.name, s, err, want)
		}
		if steps[1] != open {
			t.Errorf("%s: Reveal changed the steps it was given", c.name)
		}
		if s.Accepts(c.at) {
			t.Errorf("%s: a revealed step accepts answers", c.name)
		}
	}
}

func TestStepAccepts(t *testing.T) {
	s := Step{No: 1, OpenedAt: sec(0), ClosesAt: sec(30)}
	for _, c := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"before it opens", sec(0).Add(-time.Nanosecond), false},
		{"as it opens", sec(0), true},
		{"open", sec(15), true},
		{"as it closes", sec(30), true},
		{"in the grace", sec(31), true},
		{"at the end of the grace", sec(30).Add(AnswerGrace), true},
		{"a nanosecond late", sec(30).Add(AnswerGrace + time.Nanosecond), false},
		{"long after", sec(300), false},
	} {
		if got := s.Accepts(c.at); got != c.want {
			t.Errorf("%s: Accepts(%v) = %v", c.name, c.at, got)
		}
	}
	r := s
	r.RevealedAt = sec(20)
	for _, at := range []time.Time{sec(0), sec(10), sec(20), sec(25), sec(31)} {
		if r.Accepts(at) {
			t.Errorf("revealed at 20s, yet accepts at %v", at.Sub(t0))
		}
	}
}

func TestStepRevealed(t *testing.T) {
	if (Step{}).Revealed(sec(100)) {
		t.Error("a step never revealed is revealed")
	}
	s := Step{RevealedAt: sec(40)}
	for _, c := range []struct {
		at   time.Time
		want bool
	}{{sec(39), false}, {sec(40).Add(-time.Nanosecond), false}, {sec(40), true}, {sec(41), true}} {
		if got := s.Revealed(c.at); got != c.want {
			t.Errorf("Revealed(%v) = %v", c.at.Sub(t0), got)
		}
	}
}

func TestPhaseLabel(t *testing.T) {
	for p, want := range map[Phase]string{
		Waiting: "等待开始", Asking: "答题中", Closed: "等待公布答案",
		Revealed: "已公布答案", Finished: "决赛结束", "": "等待开始",
	} {
		if got := p.Label(); got != want {
			t.Errorf("%q.Label() = %q, want %q", p, got, want)
		}
	}
}

// script is a final of validFinal as the host ran it, by seconds from t0:
//
//	step 1 (10 points) opens 0, closes 30, revealed 40
//	  张三 5 right, 王五 5 right, 李四 10 wrong, 赵六 31 right (in the grace)
//	step 2 (20 points) opens 60, meant to close 90, revealed early at 80
//	  王五 65 right, 张三 70 right, 赵六 75 wrong; 李四 does not answer
//	step 3 (10 points) opens 100, closes 120, revealed 125
//	  赵六 105 right, 李四 115 right, 张三 119 right, 王五 121 wrong (grace)
func script() ([]Step, []LiveAnswer) {
	steps := []Step{
		{No: 1, QuestionID: 101, OpenedAt: sec(0), ClosesAt: sec(30), RevealedAt: sec(40)},
		{No: 2, QuestionID: 102, OpenedAt: sec(60), ClosesAt: sec(80), RevealedAt: sec(80)},
		{No: 3, QuestionID: 103, OpenedAt: sec(100), ClosesAt: sec(120), RevealedAt: sec(125)},
	}
	a := func(no int, user app.ID, at float64, right bool, points float64) LiveAnswer {
		given := []string{"B"}
		if right {
			given = []string{"A"}
		}
		return LiveAnswer{No: no, UserID: user, Given: given, At: sec(at), Correct: right, Points: points}
	}
	answers := []LiveAnswer{
		a(1, 1, 5, true, 10), a(1, 3, 5, true, 10), a(1, 2, 10, false, 0), a(1, 4, 31, true, 10),
		a(2, 3, 65, true, 20), a(2, 1, 70, true, 20), a(2, 4, 75, false, 0),
		a(3, 4, 105, true, 10), a(3, 2, 115, true, 10), a(3, 1, 119, true, 10), a(3, 3, 121, false, 0),
	}
	// Whatever the host did, each answer the store kept was accepted.
	for _, x := range answers {
		s := steps[x.No-1]
		s.RevealedAt = time.Time{}
		if !s.Accepts(x.At) {
			panic(fmt.Sprintf("script: step %d would not accept %v", x.No, x.At.Sub(t0)))
		}
	}
	return steps, answers
}

// boardLines writes a board's people ("id points correct time rank") and
// teams ("key points correct time rank award") in order.
func boardLines(b Board) (people, teams []string) {
	for _, p := range b.People {
		people = append(people, fmt.Sprintf("%d %v %d %v %d", p.UserID, p.Points, p.Correct, p.Time, p.Rank))
	}
	for _, tm := range b.Teams {
		teams = append(teams, strings.TrimSpace(fmt.Sprintf("%s %v %d %v %d %s", tm.Key, tm.Points, tm.Correct, tm.Time, tm.Rank, tm.Award)))
	}
	return people, teams
}

func TestBoardAt(t *testing.T) {
	f := validFinal()
	steps, answers := script()
	prizes := Prizes{{"一等奖", 1}, {"二等奖", 1}}

	var (
		nobody     = []string{"1 0 0 0s 1", "2 0 0 0s 1", "3 0 0 0s 1", "4 0 0 0s 1"}
		noTeams    = []string{"/1/2/ 0 0 0s 1", "/1/3/ 0 0 0s 1"}
		after1     = []string{"1 10 1 5s 1", "3 10 1 5s 1", "4 10 1 31s 3", "2 0 0 0s 4"} // 张三 and 王五 tie whole
		after1Team = []string{"/1/3/ 20 2 36s 1", "/1/2/ 10 1 5s 2"}
		after2     = []string{"3 30 2 10s 1", "1 30 2 15s 2", "4 10 1 31s 3", "2 0 0 0s 4"} // 王五 the faster
		after2Team = []string{"/1/3/ 40 3 41s 1", "/1/2/ 30 2 15s 2"}
		end        = []string{"1 40 3 34s 1", "3 30 2 10s 2", "4 20 2 36s 3", "2 10 1 15s 4"}
		// 50 points each; 王五 10s + 赵六 36s beat 张三 34s + 李四 15s.
		endTeam = []string{"/1/3/ 50 4 46s 1 一等奖", "/1/2/ 50 4 49s 2 二等奖"}
	)
	for _, c := range []struct {
		at       float64
		phase    Phase
		step     int // 0: none
		revealed bool
		answered int
		people   []string
		teams    []string
	}{
		{-1, Waiting, 0, false, 0, nobody, noTeams},
		{0, Asking, 1, false, 0, nobody, noTeams},
		{4.999, Asking, 1, false, 0, nobody, noTeams},
		{5, Asking, 1, false, 2, nobody, noTeams}, // answers at t count
		{29, Asking, 1, false, 3, nobody, noTeams},
		{30, Closed, 1, false, 3, nobody, noTeams},
		{31, Closed, 1, false, 4, nobody, noTeams}, // in the grace
		{39.999, Closed, 1, false, 4, nobody, noTeams},
		{40, Revealed, 1, true, 4, after1, after1Team},
		{59, Revealed, 1, true, 4, after1, after1Team},
		{60, Asking, 2, false, 0, after1, after1Team},
		{70, Asking, 2, false, 2, after1, after1Team},
		{79.999, Asking, 2, false, 3, after1, after1Team}, // before the early reveal
		{80, Revealed, 2, true, 3, after2, after2Team},
		{100, Asking, 3, false, 0, after2, after2Team},
		{110, Asking, 3, false, 1, after2, after2Team},
		{115, Asking, 3, false, 2, after2, after2Team},
		{120, Closed, 3, false, 3, after2, after2Team},
		{121, Closed, 3, false, 4, after2, after2Team},
		{124.999, Closed, 3, false, 4, after2, after2Team},
		{125, Finished, 3, true, 4, end, endTeam},
		{3600, Finished, 3, true, 4, end, endTeam},
	} {
		t.Run(fmt.Sprint(c.at), func(t *testing.T) {
			b := f.BoardAt(steps, answers, sec(c.at), prizes)
			if b.Phase != c.phase || b.Answered != c.answered || b.Total != 3 || b.Finalists != 4 {
				t.Errorf("phase %s answered %d total %d finalists %d; want %s %d 3 4", b.Phase, b.Answered, b.Total, b.Finalists, c.phase, c.answered)
			}
			var want Step
			if c.step > 0 {
				want = steps[c.step-1]
				if !c.revealed {
					want.RevealedAt = time.Time{} // not yet shown then
				}
			}
			if b.Step != want {
				t.Errorf("step %+v, want %+v", b.Step, want)
			}
			people, teams := boardLines(b)
			if !reflect.DeepEqual(people, c.people) {
				t.Errorf("people\n got %q\nwant %q", people, c.people)
			}
			if !reflect.DeepEqual(teams, c.teams) {
				t.Errorf("teams\n got %q\nwant %q", teams, c.teams)
			}
		})
	}

	// The lines carry the finalists and their teams' names.
	b := f.BoardAt(steps, answers, sec(200), prizes)
	if p := b.People[0]; p.Name != "张三" || p.Team != "/1/2/" || p.TeamName != "城关司法所" {
		t.Errorf("top line %+v", p)
	}
	if tm := b.Teams[0]; tm.Name != "东湖司法所" {
		t.Errorf("second team %+v", tm)
	}
	// The order the store lists them in does not matter.
	rev := append([]LiveAnswer(nil), answers...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	revSteps := []Step{steps[2], steps[0], steps[1]}
	if got := f.BoardAt(revSteps, rev, sec(200), prizes); !reflect.DeepEqual(got, b) {
		t.Errorf("reordered input: %+v, want %+v", got, b)
	}
}

func TestBoardAtStray(t *testing.T) {
	// An answer from someone no longer on the stage is counted as an answer
	// but scores for nobody; one for a step not opened by t is not there.
	f := validFinal()
	steps := []Step{{No: 1, QuestionID: 101, OpenedAt: sec(0), ClosesAt: sec(30), RevealedAt: sec(30)}}
	answers := []LiveAnswer{
		{No: 1, UserID: 99, At: sec(3), Correct: true, Points: 10},
		{No: 1, UserID: 2, At: sec(4), Correct: true, Points: 10},
		{No: 2, UserID: 1, At: sec(5), Correct: true, Points: 20},
	}
	b := f.BoardAt(steps, answers, sec(40), nil)
	people, teams := boardLines(b)
	if b.Phase != Revealed || b.Answered != 2 {
		t.Errorf("phase %s answered %d", b.Phase, b.Answered)
	}
	if want := []string{"2 10 1 4s 1", "1 0 0 0s 2", "3 0 0 0s 2", "4 0 0 0s 2"}; !reflect.DeepEqual(people, want) {
		t.Errorf("people %q, want %q", people, want)
	}
	if want := []string{"/1/2/ 10 1 4s 1", "/1/3/ 0 0 0s 2"}; !reflect.DeepEqual(teams, want) {
		t.Errorf("teams %q, want %q", teams, want)
	}
}

func TestBoardAtTeamsTiedWhole(t *testing.T) {
	// Two teams of one, the same points in the same time: both first, both
	// take the first prize at the end; points round to hundredths.
	f := &Final{
		Questions: []LiveQuestion{{1, 0.1, 10}, {2, 0.2, 10}},
		Finalists: []Finalist{{1, "甲", "/1/2/", "甲所"}, {2, "乙", "/1/3/", "乙所"}},
	}
	steps := []Step{
		{No: 1, OpenedAt: sec(0), ClosesAt: sec(10), RevealedAt: sec(10)},
		{No: 2, OpenedAt: sec(20), ClosesAt: sec(30), RevealedAt: sec(30)},
	}
	var answers []LiveAnswer
	for _, u := range []app.ID{1, 2} {
		answers = append(answers, LiveAnswer{No: 1, UserID: u, At: sec(2), Correct: true, Points: 0.1}, LiveAnswer{No: 2, UserID: u, At: sec(23), Correct: true, Points: 0.2})
	}
	b := f.BoardAt(steps, answers, sec(30), Prizes{{"一等奖", 1}, {"二等奖", 1}})
	people, teams := boardLines(b)
	if b.Phase != Finished {
		t.Errorf("phase %s", b.Phase)
	}
	if want := []string{"1 0.3 2 5s 1", "2 0.3 2 5s 1"}; !reflect.DeepEqual(people, want) {
		t.Errorf("people %q, want %q", people, want)
	}
	if want := []string{"/1/2/ 0.3 2 5s 1 一等奖", "/1/3/ 0.3 2 5s 1 一等奖"}; !reflect.DeepEqual(teams, want) {
		t.Errorf("teams %q, want %q", teams, want)
	}
	// Before the end, no prizes.
	if _, teams := boardLines(f.BoardAt(steps, answers, sec(29), Prizes{{"一等奖", 1}})); strings.Contains(strings.Join(teams, ""), "奖") {
		t.Errorf("prizes before the end: %q", teams)
	}
}

func TestBoardAtEmpty(t *testing.T) {
	b := (&Final{}).BoardAt(nil, nil, sec(0), Prizes{{"一等奖", 1}})
	if b.Phase != Waiting || b.Total != 0 || b.Finalists != 0 || len(b.People) != 0 || len(b.Teams) != 0 || b.Step != (Step{}) {
		t.Errorf("empty final: %+v", b)
	}
}

func TestPickFinalists(t *testing.T) {
	st := Standings{
		Teams: []Team{{Key: "/1/3/", Name: "东湖司法所"}, {Key: "/1/2/", Name: "城关司法所"}, {Key: "/1/4/", Name: "西山司法所"}},
		People: []Person{
			{UserID: 3, Name: "王五", Team: "/1/3/"},
			{UserID: 1, Name: "张三", Team: "/1/2/"},
			{UserID: 7, Name: "周九", Team: "/1/4/"},
			{UserID: 2, Name: "李四", Team: "/1/2/"},
			{UserID: 4, Name: "赵六", Team: "/1/3/"},
			{UserID: 5, Name: "钱七", Team: "/1/2/"},
			{UserID: 6, Name: "孙八", Team: "/1/3/"},
		},
	}
	ids := func(ps []Finalist) []string {
		var out []string
		for _, p := range ps {
			out = append(out, fmt.Sprintf("%d%s%s", p.UserID, p.Name, p.TeamName))
		}
		return out
	}
	for _, c := range []struct {
		teams, perTeam int
		want           []string
	}{
		{2, 2, []string{"3王五东湖司法所", "4赵六东湖司法所", "1张三城关司法所", "2李四城关司法所"}},
		{1, 5, []string{"3王五东湖司法所", "4赵六东湖司法所", "6孙八东湖司法所"}},
		{9, 1, []string{"3王五东湖司法所", "1张三城关司法所", "7周九西山司法所"}},
		{0, 3, nil},
		{3, 0, nil},
		{-1, 2, nil},
	} {
		got := PickFinalists(st, c.teams, c.perTeam)
		if !reflect.DeepEqual(ids(got), c.want) {
			t.Errorf("PickFinalists(%d, %d) = %q, want %q", c.teams, c.perTeam, ids(got), c.want)
		}
		for _, p := range got {
			if p.Team == "" {
				t.Errorf("finalist %+v without a team", p)
			}
		}
	}
	if got := PickFinalists(Standings{}, 3, 3); got != nil {
		t.Errorf("no standings: %+v", got)
	}

	// Straight from the preliminaries: the picked stage is a valid final.
	c := validContest()
	c.Team = TeamRule{Kind: BestN, N: 2}
	f := &Final{Finalists: PickFinalists(Rank(c, twoRounds()), 2, 2)}
	if err := f.Validate(); err != nil || len(f.Finalists) != 4 || f.Finalists[0].UserID != 3 || f.Finalists[0].Team != unitB {
		t.Errorf("picked %+v, %v", f.Finalists, err)
	}
}
