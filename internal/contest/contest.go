// Package contest is the knowledge contest (知识竞赛): preliminary rounds
// sat online on the exam engine, teams by unit scored by a stated rule,
// individual and team rankings with awards, and a final held live, one
// question at a time on the host's screen, answered on phones.
//
// It holds no I/O: the web layer reads the rounds' counted attempts
// (exam.Tally's takers) and the live final's steps and answers, and this
// package ranks them.
package contest

import (
	"strings"
	"time"
	"unicode/utf8"

	"pufa/internal/app"
)

// Contest is one knowledge contest.
type Contest struct {
	ID app.ID
	// OrgID is the office that runs it; OrgPath its path.
	OrgID   app.ID
	OrgPath string
	Title   string
	Year    int
	Intro   string
	// Rounds are the preliminary rounds, each an exam sat online; a
	// person's preliminary score is the sum of their counted scores.
	Rounds []Round
	Team   TeamRule
	// Awards name the prizes down the rankings.
	Awards Awards
	// Final is the live final; nil when the contest has none.
	Final *Final
	// Revision counts the stored edits. An edit carries the revision it
	// was made from, and the store refuses it when someone else has saved
	// since: two office staff with the form open do not overwrite each
	// other unseen.
	Revision  int
	CreatedBy app.ID
	CreatedAt time.Time
}

// Round is one preliminary round: an exam of the exam engine (papers drawn
// from the bank, autosave, one submission), so an examinee sits it on the
// exam pages like any exam.
type Round struct {
	Title  string
	ExamID app.ID
}

// MaxRounds bounds the preliminary rounds of a contest.
const MaxRounds = 5

// Validate checks the contest's settings; the error names the field.
func (c *Contest) Validate() error {
	n := utf8.RuneCountInString(strings.TrimSpace(c.Title))
	switch {
	case n == 0:
		return app.Invalid("title", "请填写竞赛名称")
	case n > 100:
		return app.Invalid("title", "竞赛名称不能超过 100 个字")
	}
	if c.Year < 2000 || c.Year > 2100 {
		return app.Invalid("year", "年度“%d”无效", c.Year)
	}
	if utf8.RuneCountInString(c.Intro) > 2000 {
		return app.Invalid("intro", "竞赛说明不能超过 2000 个字")
	}
	if len(c.Rounds) == 0 {
		return app.Invalid("rounds", "请至少选择一场线上初赛（初赛是一场考试，先在“考试”中创建）")
	}
	if len(c.Rounds) > MaxRounds {
		return app.Invalid("rounds", "初赛最多 %d 轮", MaxRounds)
	}
	seen := map[app.ID]bool{}
	for i, r := range c.Rounds {
		if r.ExamID == 0 {
			return app.Invalid("rounds", "第 %d 轮没有选择考试", i+1)
		}
		if seen[r.ExamID] {
			return app.Invalid("rounds", "第 %d 轮与前面的轮次是同一场考试", i+1)
		}
		seen[r.ExamID] = true
		if utf8.RuneCountInString(r.Title) > 50 {
			return app.Invalid("rounds", "第 %d 轮的名称不能超过 50 个字", i+1)
		}
	}
	if err := c.Team.Validate(); err != nil {
		return err
	}
	if err := c.Awards.Validate(); err != nil {
		return err
	}
	if c.Final != nil {
		if err := c.Final.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// RoundTitle is round i's title, or 第 i 轮 when it has none.
func (c *Contest) RoundTitle(i int) string {
	if t := strings.TrimSpace(c.Rounds[i].Title); t != "" {
		return t
	}
	return "第 " + itoa(i+1) + " 轮"
}
