package contest

import (
	"strings"
	"testing"

	"pufa/internal/app"
)

func TestContestValidate(t *testing.T) {
	if err := validContest().Validate(); err != nil {
		t.Fatalf("valid contest: %v", err)
	}
	rounds := func(n int) []Round {
		var rs []Round
		for i := range n {
			rs = append(rs, Round{ExamID: app.ID(100 + i)})
		}
		return rs
	}
	for _, c := range []struct {
		name  string
		edit  func(c *Contest)
		field string // "" for valid
		msg   string
	}{
		{"no title", func(c *Contest) { c.Title = "" }, "title", "请填写竞赛名称"},
		{"blank title", func(c *Contest) { c.Title = " \t " }, "title", "请填写竞赛名称"},
		{"title 101", func(c *Contest) { c.Title = strings.Repeat("法", 101) }, "title", "不能超过 100 个字"},
		{"title 100", func(c *Contest) { c.Title = strings.Repeat("法", 100) }, "", ""},
		{"title 100 padded", func(c *Contest) { c.Title = "  " + strings.Repeat("法", 100) + "  " }, "", ""},
		{"year 1999", func(c *Contest) { c.Year = 1999 }, "year", "年度“1999”无效"},
		{"year 2101", func(c *Contest) { c.Year = 2101 }, "year", "2101"},
		{"year 0", func(c *Contest) { c.Year = 0 }, "year", "无效"},
		{"year 2000", func(c *Contest) { c.Year = 2000 }, "", ""},
		{"year 2100", func(c *Contest) { c.Year = 2100 }, "", ""},
		{"intro 2001", func(c *Contest) { c.Intro = strings.Repeat("法", 2001) }, "intro", "2000"},
		{"intro 2000", func(c *Contest) { c.Intro = strings.Repeat("法", 2000) }, "", ""},
		{"no rounds", func(c *Contest) { c.Rounds = nil }, "rounds", "请至少选择一场线上初赛"},
		{"6 rounds", func(c *Contest) { c.Rounds = rounds(6) }, "rounds", "初赛最多 5 轮"},
		{"5 rounds", func(c *Contest) { c.Rounds = rounds(5) }, "", ""},
		{"round without exam", func(c *Contest) { c.Rounds[1].ExamID = 0 }, "rounds", "第 2 轮没有选择考试"},
		{"same exam twice", func(c *Contest) { c.Rounds = []Round{{ExamID: 1}, {ExamID: 2}, {ExamID: 1}} }, "rounds", "第 3 轮与前面的轮次是同一场考试"},
		{"round title 51", func(c *Contest) { c.Rounds[1].Title = strings.Repeat("轮", 51) }, "rounds", "第 2 轮的名称不能超过 50 个字"},
		{"round title 50", func(c *Contest) { c.Rounds[1].Title = strings.Repeat("轮", 50) }, "", ""},
		{"no team rule", func(c *Contest) { c.Team = TeamRule{} }, "team_rule", "请选择团体计分方式"},
		{"unknown team rule", func(c *Contest) { c.Team = TeamRule{Kind: "sum"} }, "team_rule", "请选择团体计分方式"},
		{"best 0", func(c *Contest) { c.Team = TeamRule{Kind: BestN} }, "team_n", "1 到 100"},
		{"best 101", func(c *Contest) { c.Team = TeamRule{Kind: BestN, N: 101} }, "team_n", "1 到 100"},
		{"best 100", func(c *Contest) { c.Team = TeamRule{Kind: BestN, N: 100} }, "", ""},
		{"participation", func(c *Contest) { c.Team = TeamRule{Kind: Participation} }, "", ""},
		{"bad individual prize", func(c *Contest) { c.Awards.Individual[1].Count = 0 }, "individual_awards", "个人奖项“二等奖”的名额"},
		{"bad team prize", func(c *Contest) { c.Awards.Team[0].Name = " " }, "team_awards", "团体奖项第 1 项的名称"},
		{"no final", func(c *Contest) { c.Final = nil }, "", ""},
		{"bad final", func(c *Contest) { c.Final.Questions[2].Seconds = 1 }, "final_questions", "决赛第 3 题的作答时间"},
		{"bad finalist", func(c *Contest) { c.Final.Finalists[3].Team = "" }, "finalists", "赵六"},
	} {
		t.Run(c.name, func(t *testing.T) {
			k := validContest()
			c.edit(k)
			err := k.Validate()
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

func TestRoundTitle(t *testing.T) {
	c := &Contest{Rounds: []Round{{Title: " 初赛第一轮 "}, {Title: "  "}, {}}}
	for i, want := range []string{"初赛第一轮", "第 2 轮", "第 3 轮"} {
		if got := c.RoundTitle(i); got != want {
			t.Errorf("RoundTitle(%d) = %q, want %q", i, got, want)
		}
	}
}
