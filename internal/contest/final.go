package contest

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"pufa/internal/app"
)

// Final is the live final: the host's screen shows one question at a time
// with a timer, finalists answer on their phones, and the leaderboard on
// the large screen moves as each answer is revealed.
type Final struct {
	Title     string
	Questions []LiveQuestion
	Finalists []Finalist
}

// LiveQuestion is one question of the final, from the office's bank.
type LiveQuestion struct {
	QuestionID app.ID
	Points     float64
	// Seconds is the answer window.
	Seconds int
}

// Finalist is a person on the final's stage and the team they play for.
type Finalist struct {
	UserID         app.ID
	Name           string
	Team, TeamName string
}

// Bounds of a final.
const (
	MaxLiveQuestions = 100
	MaxFinalists     = 500
	MinSeconds       = 5
	MaxSeconds       = 600
)

// Validate checks the final's settings.
func (f *Final) Validate() error {
	if utf8Len(f.Title) > 50 {
		return app.Invalid("final_title", "决赛名称不能超过 50 个字")
	}
	if len(f.Questions) > MaxLiveQuestions {
		return app.Invalid("final_questions", "决赛题目最多 %d 道", MaxLiveQuestions)
	}
	seen := map[app.ID]bool{}
	for i, q := range f.Questions {
		switch {
		case q.QuestionID == 0:
			return app.Invalid("final_questions", "决赛第 %d 题没有选择题目", i+1)
		case seen[q.QuestionID]:
			return app.Invalid("final_questions", "决赛第 %d 题与前面的题目重复", i+1)
		case !(q.Points > 0 && q.Points <= 100): // NaN too
			return app.Invalid("final_questions", "决赛第 %d 题的分值应在 0 到 100 之间", i+1)
		case q.Seconds < MinSeconds || q.Seconds > MaxSeconds:
			return app.Invalid("final_questions", "决赛第 %d 题的作答时间应在 %d 到 %d 秒之间", i+1, MinSeconds, MaxSeconds)
		}
		seen[q.QuestionID] = true
	}
	if len(f.Finalists) > MaxFinalists {
		return app.Invalid("finalists", "决赛选手最多 %d 人", MaxFinalists)
	}
	people := map[app.ID]bool{}
	for _, p := range f.Finalists {
		if p.UserID == 0 || people[p.UserID] {
			return app.Invalid("finalists", "决赛选手“%s”重复或无效", p.Name)
		}
		if strings.TrimSpace(p.Team) == "" {
			return app.Invalid("finalists", "决赛选手“%s”没有所属代表队", p.Name)
		}
		people[p.UserID] = true
	}
	return nil
}

// Finalist returns the finalist who is userID.
func (f *Final) Finalist(userID app.ID) (Finalist, bool) {
	for _, p := range f.Finalists {
		if p.UserID == userID {
			return p, true
		}
	}
	return Finalist{}, false
}

// Step is one question of the final as the host ran it.
type Step struct {
	// No counts the steps from 1: step No asks Questions[No-1].
	No         int
	QuestionID app.ID
	OpenedAt   time.Time
	// ClosesAt ends the answer window; a reveal before it closes it then.
	ClosesAt time.Time
	// RevealedAt is when the host showed the answer; zero until then.
	RevealedAt time.Time
}

// AnswerGrace covers a phone's network after the window closes: an answer
// made in time and stamped by the server up to this late still counts.
const AnswerGrace = 2 * time.Second

// Revealed reports whether the step's answer was shown by t.
func (s Step) Revealed(t time.Time) bool { return !s.RevealedAt.IsZero() && !s.RevealedAt.After(t) }

// Accepts reports whether an answer arriving at is taken.
func (s Step) Accepts(at time.Time) bool {
	return s.RevealedAt.IsZero() && !at.Before(s.OpenedAt) && !at.After(s.ClosesAt.Add(AnswerGrace))
}

// Next returns the step the host opens at now: the next question, once the
// last one's answer is revealed. ECONFLICT when nobody is on the stage, the
// last is still out or every question has been asked.
func (f *Final) Next(steps []Step, now time.Time) (Step, error) {
	if len(f.Finalists) == 0 {
		return Step{}, app.Errorf(app.ECONFLICT, "决赛还没有选手，请先在竞赛页面确定决赛选手")
	}
	if n := len(steps); n > 0 && steps[n-1].RevealedAt.IsZero() {
		return Step{}, app.Errorf(app.ECONFLICT, "第 %d 题还没有公布答案", n)
	}
	if len(steps) >= len(f.Questions) {
		return Step{}, app.Errorf(app.ECONFLICT, "决赛题目已全部答完")
	}
	q := f.Questions[len(steps)]
	return Step{No: len(steps) + 1, QuestionID: q.QuestionID, OpenedAt: now, ClosesAt: now.Add(time.Duration(q.Seconds) * time.Second)}, nil
}

// Reveal returns the last step with its answer shown at now; a window still
// open closes then. ECONFLICT when there is nothing to reveal.
func Reveal(steps []Step, now time.Time) (Step, error) {
	if len(steps) == 0 || !steps[len(steps)-1].RevealedAt.IsZero() {
		return Step{}, app.Errorf(app.ECONFLICT, "没有待公布答案的题目")
	}
	s := steps[len(steps)-1]
	s.RevealedAt = now
	if now.Before(s.ClosesAt) {
		s.ClosesAt = now
	}
	return s, nil
}

// LiveAnswer is a finalist's answer to one step, marked when it came.
type LiveAnswer struct {
	No      int
	UserID  app.ID
	Given   []string
	At      time.Time
	Correct bool
	Points  float64
}

// Phase is where the final stands.
type Phase string

// Phases.
const (
	Waiting  Phase = "waiting"  // no question asked yet
	Asking   Phase = "asking"   // a question is open for answers
	Closed   Phase = "closed"   // time is up; the answer is not yet shown
	Revealed Phase = "revealed" // the answer is shown; the next is to come
	Finished Phase = "finished" // every answer shown
)

// Label names the phase in Chinese.
func (p Phase) Label() string {
	switch p {
	case Asking:
		return "答题中"
	case Closed:
		return "等待公布答案"
	case Revealed:
		return "已公布答案"
	case Finished:
		return "决赛结束"
	}
	return "等待开始"
}

// Board is the final as it stood at one moment: what the large screen and
// the replay show.
type Board struct {
	Phase Phase
	// Step is the current step (zero while waiting), as it stood then.
	Step Step
	// Total is how many questions the final has.
	Total int
	// Answered counts the answers to the current step so far.
	Answered  int
	Finalists int
	Teams     []BoardTeam
	People    []BoardPerson
}

// BoardTeam is a team's line on the leaderboard.
type BoardTeam struct {
	Key, Name string
	Points    float64
	Correct   int
	// Time sums the members' answer times of their right answers: the
	// tie-break, the faster first.
	Time  time.Duration
	Rank  int
	Award string
}

// BoardPerson is a finalist's line on the leaderboard.
type BoardPerson struct {
	Finalist
	Points  float64
	Correct int
	Time    time.Duration
	Rank    int
}

// BoardAt computes the board at t from the steps and answers as stored:
// what was opened, answered and revealed by t, and nothing after. Points
// count once their step is revealed. When the final has finished by t the
// team prizes are given down the team ranking.
func (f *Final) BoardAt(steps []Step, answers []LiveAnswer, t time.Time, teamPrizes Prizes) Board {
	b := Board{Total: len(f.Questions), Finalists: len(f.Finalists), Phase: Waiting}
	opened := map[int]Step{}
	for _, s := range steps {
		if s.OpenedAt.After(t) {
			continue
		}
		opened[s.No] = s
		if s.No >= b.Step.No {
			b.Step = s
		}
	}
	if b.Step.No > 0 {
		switch {
		case b.Step.Revealed(t) && b.Step.No == b.Total:
			b.Phase = Finished
		case b.Step.Revealed(t):
			b.Phase = Revealed
		case t.Before(b.Step.ClosesAt):
			b.Phase = Asking
		default:
			b.Phase = Closed
		}
		if !b.Step.Revealed(t) {
			b.Step.RevealedAt = time.Time{}
		}
	}
	people := map[app.ID]*BoardPerson{}
	teams := map[string]*BoardTeam{}
	for _, p := range f.Finalists {
		people[p.UserID] = &BoardPerson{Finalist: p}
		if teams[p.Team] == nil {
			teams[p.Team] = &BoardTeam{Key: p.Team, Name: p.TeamName}
		}
	}
	for _, a := range answers {
		s, ok := opened[a.No]
		if !ok || a.At.After(t) {
			continue
		}
		if a.No == b.Step.No {
			b.Answered++
		}
		p := people[a.UserID]
		if p == nil || !s.Revealed(t) || !a.Correct {
			continue
		}
		took := a.At.Sub(s.OpenedAt)
		p.Points = hundredths(p.Points + a.Points)
		p.Correct++
		p.Time += took
		tm := teams[p.Team]
		tm.Points = hundredths(tm.Points + a.Points)
		tm.Correct++
		tm.Time += took
	}
	for _, p := range people {
		b.People = append(b.People, *p)
	}
	slices.SortFunc(b.People, func(x, y BoardPerson) int {
		return cmp.Or(cmp.Compare(y.Points, x.Points), cmp.Compare(x.Time, y.Time), cmp.Compare(x.Team, y.Team), cmp.Compare(x.UserID, y.UserID))
	})
	rankBy(len(b.People), func(i int) bool {
		return b.People[i].Points == b.People[i-1].Points && b.People[i].Time == b.People[i-1].Time
	}, func(i, r int) { b.People[i].Rank = r })
	for _, tm := range teams {
		b.Teams = append(b.Teams, *tm)
	}
	slices.SortFunc(b.Teams, func(x, y BoardTeam) int {
		return cmp.Or(cmp.Compare(y.Points, x.Points), cmp.Compare(x.Time, y.Time), cmp.Compare(x.Key, y.Key))
	})
	rankBy(len(b.Teams), func(i int) bool {
		return b.Teams[i].Points == b.Teams[i-1].Points && b.Teams[i].Time == b.Teams[i-1].Time
	}, func(i, r int) { b.Teams[i].Rank = r })
	if b.Phase == Finished {
		teamPrizes.give(len(b.Teams), func(i int) int { return b.Teams[i].Rank }, func(i int, a string) { b.Teams[i].Award = a })
	}
	return b
}

// PickFinalists picks the final's stage from the preliminaries: the best
// teams, each sending its best members, in ranking order.
func PickFinalists(st Standings, teams, perTeam int) []Finalist {
	var out []Finalist
	for _, t := range st.Teams[:min(max(teams, 0), len(st.Teams))] {
		n := 0
		for _, p := range st.People {
			if p.Team == t.Key && n < perTeam {
				out = append(out, Finalist{UserID: p.UserID, Name: p.Name, Team: t.Key, TeamName: t.Name})
				n++
			}
		}
	}
	return out
}
