package contest

import (
	"cmp"
	"math"
	"slices"
	"time"

	"pufa/internal/app"
	"pufa/internal/exam"
)

// TeamRuleKind says how a unit's team score comes from its members'.
type TeamRuleKind string

// Team rules.
const (
	// BestN is the mean of the best N members' scores, dividing by N even
	// when fewer took part: one star does not make a team.
	BestN TeamRuleKind = "best_n"
	// Participation is the members' mean weighted by turnout: the sum of
	// the scores over everyone who was to take part, so a unit scores by
	// bringing its people as well as by their marks.
	Participation TeamRuleKind = "participation"
)

// TeamRule is the stated rule of the team scores.
type TeamRule struct {
	Kind TeamRuleKind
	// N is BestN's N.
	N int
}

// MaxBestN bounds BestN's N.
const MaxBestN = 100

// Validate checks the rule.
func (r TeamRule) Validate() error {
	switch r.Kind {
	case BestN:
		if r.N < 1 || r.N > MaxBestN {
			return app.Invalid("team_n", "“取前 N 名”的 N 应在 1 到 %d 之间", MaxBestN)
		}
	case Participation:
	default:
		return app.Invalid("team_rule", "请选择团体计分方式")
	}
	return nil
}

// Label states the rule in Chinese, as the rankings print it.
func (r TeamRule) Label() string {
	if r.Kind == BestN {
		return "取本单位成绩最好的 " + itoa(r.N) + " 人的平均分（不足 " + itoa(r.N) + " 人按 " + itoa(r.N) + " 人计）"
	}
	return "参赛率加权：本单位参赛人员总分 ÷ 应参赛人数（即平均分 × 参赛率）"
}

// Score is a team's score out of 100 from its members' scores (out of 100
// each) and how many were to take part, rounded to hundredths.
func (r TeamRule) Score(scores []float64, expected int) float64 {
	if len(scores) == 0 {
		return 0
	}
	sorted := slices.Clone(scores)
	slices.SortFunc(sorted, func(a, b float64) int { return cmp.Compare(b, a) })
	var sum float64
	var over int
	switch r.Kind {
	case BestN:
		over = r.N
		for _, s := range sorted[:min(r.N, len(sorted))] {
			sum += s
		}
	default:
		// Someone who took part without being counted as expected (moved
		// units since) still counts: never a rate above 1.
		over = max(expected, len(sorted))
		for _, s := range sorted {
			sum += s
		}
	}
	return hundredths(sum / float64(over))
}

func hundredths(v float64) float64 { return math.Round(v*100) / 100 }

// Person is one line of the individual ranking of the preliminaries.
type Person struct {
	UserID           app.ID
	Name, Login      string
	OrgName, OrgPath string
	Team, TeamName   string
	// Score is the sum of the person's counted scores over the rounds;
	// Rounds how many rounds they sat; Time the time they took over them
	// (the tie-break: the faster ranks first).
	Score  float64
	Rounds int
	Time   time.Duration
	// Scores are the counted scores per round, aligned with the
	// contest's rounds; -1 for a round not sat.
	Scores []float64
	Rank   int
	Award  string
}

// Team is one line of the team ranking of the preliminaries.
type Team struct {
	Key, Name string
	// Expected is how many were to take part (the most any round
	// expected), Took how many sat at least one round.
	Expected, Took int
	Score          float64
	// Best is the best member's score, the tie-break.
	Best  float64
	Rank  int
	Award string
}

// Turnout is Took / Expected; ok false when nobody was expected.
func (t Team) Turnout() (float64, bool) {
	if t.Expected == 0 {
		return 0, false
	}
	return float64(t.Took) / float64(t.Expected), true
}

// Standings are the preliminaries' rankings.
type Standings struct {
	People []Person
	Teams  []Team
}

// Rank ranks the preliminaries from each round's figures (exam.Tally of
// the round's exam, with UnitOf mapping people to their team), aligned
// with c.Rounds. Individual awards follow the individual ranking; team
// awards follow the team ranking unless the final awards them.
func Rank(c *Contest, rounds []exam.Figures) Standings {
	people := map[app.ID]*Person{}
	teams := map[string]*Team{}
	team := func(key, name string) *Team {
		t := teams[key]
		if t == nil {
			t = &Team{Key: key, Name: name}
			teams[key] = t
		}
		return t
	}
	for i, f := range rounds {
		for _, u := range f.Units {
			t := team(u.Key, u.Name)
			t.Expected = max(t.Expected, u.Expected)
		}
		for _, tk := range f.Takers {
			p := people[tk.UserID]
			if p == nil {
				p = &Person{UserID: tk.UserID, Name: tk.UserName, Login: tk.Login, OrgName: tk.OrgName, OrgPath: tk.OrgPath,
					Team: tk.Unit, TeamName: tk.UnitName, Scores: make([]float64, len(rounds))}
				for j := range p.Scores {
					p.Scores[j] = -1
				}
				people[tk.UserID] = p
				team(tk.Unit, tk.UnitName)
			}
			p.Scores[i] = tk.Score
			p.Score = hundredths(p.Score + tk.Score)
			p.Rounds++
			if !tk.SubmittedAt.IsZero() && tk.SubmittedAt.After(tk.Started) {
				p.Time += tk.SubmittedAt.Sub(tk.Started)
			}
		}
	}
	var st Standings
	members := map[string][]float64{}
	for _, p := range people {
		st.People = append(st.People, *p)
		members[p.Team] = append(members[p.Team], p.Score)
	}
	slices.SortFunc(st.People, func(a, b Person) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Time, b.Time), cmp.Compare(a.OrgPath, b.OrgPath), cmp.Compare(a.UserID, b.UserID))
	})
	rankBy(len(st.People), func(i int) bool {
		return st.People[i].Score == st.People[i-1].Score && st.People[i].Time == st.People[i-1].Time
	}, func(i, r int) { st.People[i].Rank = r })
	c.Awards.Individual.give(len(st.People), func(i int) int { return st.People[i].Rank }, func(i int, a string) { st.People[i].Award = a })

	for _, t := range teams {
		ms := members[t.Key]
		t.Took = len(ms)
		// A preliminary score sums the rounds; the team rule works on a
		// score out of 100, so a multi-round sum is averaged back.
		scaled := make([]float64, len(ms))
		for i, s := range ms {
			scaled[i] = s / float64(max(1, len(rounds)))
		}
		t.Score = c.Team.Score(scaled, t.Expected)
		for _, s := range scaled {
			t.Best = max(t.Best, hundredths(s))
		}
		st.Teams = append(st.Teams, *t)
	}
	// A unit nobody from took part is listed, last and unranked (Rank 0),
	// so the office sees it; it takes no place and no prize.
	took := func(t Team) int {
		if t.Took > 0 {
			return 1
		}
		return 0
	}
	slices.SortFunc(st.Teams, func(a, b Team) int {
		return cmp.Or(cmp.Compare(took(b), took(a)), cmp.Compare(b.Score, a.Score), cmp.Compare(b.Best, a.Best), cmp.Compare(a.Key, b.Key))
	})
	ranked := 0
	for ranked < len(st.Teams) && st.Teams[ranked].Took > 0 {
		ranked++
	}
	rankBy(ranked, func(i int) bool {
		return st.Teams[i].Score == st.Teams[i-1].Score && st.Teams[i].Best == st.Teams[i-1].Best
	}, func(i, r int) { st.Teams[i].Rank = r })
	if c.Final == nil {
		c.Awards.Team.give(ranked, func(i int) int { return st.Teams[i].Rank }, func(i int, a string) { st.Teams[i].Award = a })
	}
	return st
}

// rankBy sets competition ranks (1, 2, 2, 4) down n sorted lines; tied
// says line i ties with line i-1.
func rankBy(n int, tied func(i int) bool, set func(i, rank int)) {
	r := 0
	for i := range n {
		if i == 0 || !tied(i) {
			r = i + 1
		}
		set(i, r)
	}
}
