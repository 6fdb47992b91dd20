package contest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"pufa/internal/app"
	"pufa/internal/exam"
)

func TestTeamRuleValidateLabel(t *testing.T) {
	for _, c := range []struct {
		r     TeamRule
		field string
	}{
		{TeamRule{Kind: BestN, N: 1}, ""},
		{TeamRule{Kind: BestN, N: MaxBestN}, ""},
		{TeamRule{Kind: BestN, N: 0}, "team_n"},
		{TeamRule{Kind: BestN, N: -3}, "team_n"},
		{TeamRule{Kind: BestN, N: MaxBestN + 1}, "team_n"},
		{TeamRule{Kind: Participation}, ""},
		{TeamRule{Kind: Participation, N: -1}, ""}, // N is BestN's only
		{TeamRule{}, "team_rule"},
		{TeamRule{Kind: "average", N: 3}, "team_rule"},
	} {
		err := c.r.Validate()
		if c.field == "" {
			if err != nil {
				t.Errorf("%+v: %v", c.r, err)
			}
			continue
		}
		wantErr(t, err, app.EINVALID, c.field, "")
	}
	if l := (TeamRule{Kind: BestN, N: 5}).Label(); l != "取本单位成绩最好的 5 人的平均分（不足 5 人按 5 人计）" {
		t.Errorf("best 5 label %q", l)
	}
	if l := (TeamRule{Kind: Participation}).Label(); !strings.Contains(l, "参赛率加权") || !strings.Contains(l, "应参赛人数") {
		t.Errorf("participation label %q", l)
	}
}

func TestTeamRuleScore(t *testing.T) {
	best := func(n int) TeamRule { return TeamRule{Kind: BestN, N: n} }
	part := TeamRule{Kind: Participation}
	for _, c := range []struct {
		name     string
		r        TeamRule
		scores   []float64
		expected int
		want     float64
	}{
		{"best: nobody", best(3), nil, 5, 0},
		{"participation: nobody", part, []float64{}, 5, 0},
		{"participation: nobody, nobody expected", part, nil, 0, 0},
		{"best 3 of 4", best(3), []float64{90, 80, 70, 60}, 10, 80},
		{"best 3 of 4, unsorted", best(3), []float64{60, 90, 70, 80}, 0, 80},
		{"best 1", best(1), []float64{60, 99.5, 70}, 3, 99.5},
		{"best 3 of exactly 3", best(3), []float64{100, 50, 60}, 3, 70},
		{"best 3 of 2 divides by 3", best(3), []float64{90, 80}, 2, 56.67},       // 170 / 3
		{"best 4 of 1 divides by 4", best(4), []float64{100}, 1, 25},             // one star is no team
		{"best 4 rounds to hundredths", best(4), []float64{50.25, 50}, 2, 25.06}, // 100.25 / 4 = 25.0625
		{"best ignores expected", best(2), []float64{80, 60}, 100, 70},
		{"participation: all came", part, []float64{90, 80}, 2, 85},
		{"participation: half came", part, []float64{90, 80}, 4, 42.5},
		{"participation: more came than expected", part, []float64{90, 80}, 1, 85},
		{"participation: none expected", part, []float64{90}, 0, 90},
		{"participation rounds", part, []float64{10, 10, 0.05}, 3, 6.68}, // 20.05 / 3 = 6.6833
		{"participation rounds up", part, []float64{100, 100}, 3, 66.67},
	} {
		in := append([]float64(nil), c.scores...)
		if got := c.r.Score(in, c.expected); got != c.want {
			t.Errorf("%s: Score(%v, %d) = %v, want %v", c.name, c.scores, c.expected, got, c.want)
		}
		if !reflect.DeepEqual(in, c.scores) && len(in) > 0 {
			t.Errorf("%s: Score sorted its input: %v", c.name, in)
		}
	}
}

func TestTurnout(t *testing.T) {
	if _, ok := (Team{Took: 3}).Turnout(); ok {
		t.Error("turnout with nobody expected")
	}
	if r, ok := (Team{Expected: 4, Took: 3}).Turnout(); !ok || r != 0.75 {
		t.Errorf("turnout = %v, %v; want 0.75", r, ok)
	}
}

// taker is one counted attempt: started at t0 + the round's offset, taking
// took (zero: no submission time).
func taker(round int, id app.ID, name, unit, unitName string, score float64, took time.Duration) exam.Taker {
	start := t0.Add(time.Duration(round) * 24 * time.Hour)
	s := exam.Sitting{UserID: id, Score: score, Started: start, State: exam.Submitted}
	if took != 0 {
		s.SubmittedAt = start.Add(took)
	}
	return exam.Taker{
		SittingRow: &exam.SittingRow{Sitting: s, UserName: name, Login: fmt.Sprintf("u%d", id), OrgName: unitName, OrgPath: unit + fmt.Sprint(id) + "/"},
		Unit:       unit, UnitName: unitName,
	}
}

const (
	unitA, unitB, unitC = "/1/2/", "/1/3/", "/1/4/"
	nameA, nameB, nameC = "城关司法所", "东湖司法所", "西山司法所"
)

// twoRounds are the figures of a two-round preliminary:
//
//	     round 1        round 2        sum    time
//	u1 A 85.1  10m      75.3  20m      160.4  30m
//	u2 A 85.5  10m      74.9  20m      160.4  30m
//	u3 B 100   5m       95    5m       195    10m
//	u4 B 85    16m      75.4  15m      160.4  31m
//	u5 A –              60    12m      60     12m
//	u6 B 60    (none)   –              60     0
//
// A expects 3 then 4 people, B 2, C 1 (nobody of C sat).
func twoRounds() []exam.Figures {
	m := time.Minute
	return []exam.Figures{{
		Units: []exam.UnitFigures{{Key: unitA, Name: nameA, Expected: 3}, {Key: unitB, Name: nameB, Expected: 2}},
		Takers: []exam.Taker{
			taker(0, 1, "张三", unitA, nameA, 85.1, 10*m),
			taker(0, 2, "李四", unitA, nameA, 85.5, 10*m),
			taker(0, 3, "王五", unitB, nameB, 100, 5*m),
			taker(0, 4, "赵六", unitB, nameB, 85, 16*m),
			taker(0, 6, "孙八", unitB, nameB, 60, 0),
		},
	}, {
		Units: []exam.UnitFigures{{Key: unitA, Name: nameA, Expected: 4}, {Key: unitB, Name: nameB, Expected: 2}, {Key: unitC, Name: nameC, Expected: 1}},
		Takers: []exam.Taker{
			taker(1, 5, "钱七", unitA, nameA, 60, 12*m),
			taker(1, 4, "赵六", unitB, nameB, 75.4, 15*m),
			taker(1, 3, "王五", unitB, nameB, 95, 5*m),
			taker(1, 2, "李四", unitA, nameA, 74.9, 20*m),
			taker(1, 1, "张三", unitA, nameA, 75.3, 20*m),
		},
	}}
}

func TestRankPeople(t *testing.T) {
	c := validContest()
	c.Awards.Individual = Prizes{{"一等奖", 1}, {"二等奖", 1}, {"三等奖", 2}}
	st := Rank(c, twoRounds())
	m := time.Minute
	type line struct {
		id     app.ID
		score  float64
		scores []float64
		rounds int
		time   time.Duration
		rank   int
		award  string
	}
	want := []line{
		{3, 195, []float64{100, 95}, 2, 10 * m, 1, "一等奖"},
		// 85.1 + 75.3 is 160.39999999999998 in floating point: the sum is
		// rounded to hundredths, so 张三 ties 李四 (85.5 + 74.9); tied at
		// places 2 and 3, both take the second prize.
		{1, 160.4, []float64{85.1, 75.3}, 2, 30 * m, 2, "二等奖"},
		{2, 160.4, []float64{85.5, 74.9}, 2, 30 * m, 2, "二等奖"},
		// The same score a minute slower: rank 4, the third prize.
		{4, 160.4, []float64{85, 75.4}, 2, 31 * m, 4, "三等奖"},
		// 60 each: no submission time counts as none, so 孙八 is faster.
		{6, 60, []float64{60, -1}, 1, 0, 5, ""},
		{5, 60, []float64{-1, 60}, 1, 12 * m, 6, ""},
	}
	var got []line
	for _, p := range st.People {
		got = append(got, line{p.UserID, p.Score, p.Scores, p.Rounds, p.Time, p.Rank, p.Award})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("people:\n got %+v\nwant %+v", got, want)
	}
	p := st.People[1]
	if p.Name != "张三" || p.Login != "u1" || p.OrgName != nameA || p.OrgPath != unitA+"1/" || p.Team != unitA || p.TeamName != nameA {
		t.Errorf("person's details: %+v", p)
	}
}

func TestRankTeams(t *testing.T) {
	// Members' scores out of 100 (the sum over the two rounds halved):
	// A 80.2, 80.2, 30 of 4 expected; B 97.5, 80.2, 30 of 2; C nobody of 1.
	type line struct {
		key            string
		expected, took int
		score, best    float64
		rank           int
		award          string
	}
	prizes := Prizes{{"团体一等奖", 1}, {"团体二等奖", 1}, {"团体三等奖", 1}}
	for _, c := range []struct {
		name string
		rule TeamRule
		want []line
	}{
		{"best 2", TeamRule{Kind: BestN, N: 2}, []line{
			{unitB, 2, 3, 88.85, 97.5, 1, "团体一等奖"}, // (97.5 + 80.2) / 2
			{unitA, 4, 3, 80.2, 80.2, 2, "团体二等奖"},  // (80.2 + 80.2) / 2
			{unitC, 1, 0, 0, 0, 0, ""},             // nobody took part: listed, unranked, no prize
		}},
		{"best 4 of 3", TeamRule{Kind: BestN, N: 4}, []line{
			{unitB, 2, 3, 51.93, 97.5, 1, "团体一等奖"}, // 207.7 / 4 = 51.925
			{unitA, 4, 3, 47.6, 80.2, 2, "团体二等奖"},  // 190.4 / 4
			{unitC, 1, 0, 0, 0, 0, ""},             // nobody took part: listed, unranked, no prize
		}},
		{"participation", TeamRule{Kind: Participation}, []line{
			{unitB, 2, 3, 69.23, 97.5, 1, "团体一等奖"}, // 207.7 / max(2, 3)
			{unitA, 4, 3, 47.6, 80.2, 2, "团体二等奖"},  // 190.4 / 4
			{unitC, 1, 0, 0, 0, 0, ""},             // nobody took part: listed, unranked, no prize
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			k := validContest()
			k.Team = c.rule
			k.Awards.Team = prizes
			k.Final = nil
			st := Rank(k, twoRounds())
			var got []line
			for _, tm := range st.Teams {
				got = append(got, line{tm.Key, tm.Expected, tm.Took, tm.Score, tm.Best, tm.Rank, tm.Award})
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("teams:\n got %+v\nwant %+v", got, c.want)
			}
			if st.Teams[0].Name != nameB || st.Teams[2].Name != nameC {
				t.Errorf("team names: %+v", st.Teams)
			}

			// With a final, the final awards the teams.
			k.Final = validFinal()
			for _, tm := range Rank(k, twoRounds()).Teams {
				if tm.Award != "" {
					t.Errorf("team %s awarded %q by the preliminaries of a contest with a final", tm.Key, tm.Award)
				}
			}
		})
	}
}

func TestRankTeamTies(t *testing.T) {
	// One round, participation, two expected everywhere:
	// W (/1/9/) 100 + 0 = 50, best 100; X (/1/7/) 50 + 50 = 50, best 50;
	// Y (/1/8/) the same as X; Z (/1/6/) 40 alone = 20. W wins the tie on
	// its best though its key sorts last; X and Y tie.
	one := exam.Figures{}
	var id app.ID
	for _, u := range []struct {
		key    string
		scores []float64
	}{{"/1/6/", []float64{40}}, {"/1/8/", []float64{50, 50}}, {"/1/7/", []float64{50, 50}}, {"/1/9/", []float64{0, 100}}} {
		one.Units = append(one.Units, exam.UnitFigures{Key: u.key, Name: "所" + u.key, Expected: 2})
		for _, s := range u.scores {
			id++
			one.Takers = append(one.Takers, taker(0, id, fmt.Sprint("人", id), u.key, "所"+u.key, s, time.Duration(id)*time.Minute))
		}
	}
	c := &Contest{Rounds: []Round{{ExamID: 1}}, Team: TeamRule{Kind: Participation}, Awards: Awards{Team: Prizes{{"一等奖", 1}, {"二等奖", 1}, {"三等奖", 1}}}}
	st := Rank(c, []exam.Figures{one})
	var got []string
	for _, tm := range st.Teams {
		got = append(got, fmt.Sprintf("%s %v %v %d %s", tm.Key, tm.Score, tm.Best, tm.Rank, tm.Award))
	}
	want := []string{"/1/9/ 50 100 1 一等奖", "/1/7/ 50 50 2 二等奖", "/1/8/ 50 50 2 二等奖", "/1/6/ 20 40 4 "}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("teams:\n got %q\nwant %q", got, want)
	}
	// One round: the preliminary score is the round's, not halved.
	if st.People[0].Score != 100 || st.People[0].Scores[0] != 100 {
		t.Errorf("top person %+v", st.People[0])
	}
}

func TestRankEmpty(t *testing.T) {
	c := validContest()
	st := Rank(c, []exam.Figures{{}, {}})
	if len(st.People) != 0 || len(st.Teams) != 0 {
		t.Errorf("no figures: %+v", st)
	}
	// A unit with nobody who sat is listed, unranked and without a prize
	// however many prizes there are.
	c.Final = nil
	c.Awards.Team = Prizes{{Name: "一等奖", Count: 5}}
	st = Rank(c, []exam.Figures{{Units: []exam.UnitFigures{{Key: "/1/2/", Name: "所", Expected: 3}}}, {}})
	if len(st.Teams) != 1 || st.Teams[0].Score != 0 || st.Teams[0].Rank != 0 || st.Teams[0].Award != "" || st.Teams[0].Expected != 3 || st.Teams[0].Took != 0 {
		t.Errorf("a unit with nobody: %+v", st.Teams)
	}
}
