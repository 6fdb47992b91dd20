package contest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"pufa/internal/app"
)

func TestAwardsValidate(t *testing.T) {
	many := func(n int) Prizes {
		var ps Prizes
		for i := range n {
			ps = append(ps, Prize{fmt.Sprintf("%d 等奖", i+1), 1})
		}
		return ps
	}
	for _, c := range []struct {
		name  string
		a     Awards
		field string
		msg   string
	}{
		{"none", Awards{}, "", ""},
		{"ten each", Awards{many(10), many(10)}, "", ""},
		{"edges", Awards{Prizes{{strings.Repeat("奖", 20), 10000}, {" 优秀奖 ", 1}}, nil}, "", ""},
		{"11 individual", Awards{Individual: many(11)}, "individual_awards", "个人奖项最多 10 个等次"},
		{"11 team", Awards{Team: many(11)}, "team_awards", "团体奖项最多 10 个等次"},
		{"empty name", Awards{Individual: Prizes{{"一等奖", 1}, {"", 2}}}, "individual_awards", "个人奖项第 2 项的名称应为 1 到 20 个字"},
		{"blank name", Awards{Team: Prizes{{"　 ", 2}}}, "team_awards", "团体奖项第 1 项的名称"},
		{"name 21", Awards{Individual: Prizes{{strings.Repeat("奖", 21), 1}}}, "individual_awards", "第 1 项的名称"},
		{"count 0", Awards{Individual: Prizes{{"一等奖", 0}}}, "individual_awards", "个人奖项“一等奖”的名额应在 1 到 10000 之间"},
		{"count -1", Awards{Team: Prizes{{"一等奖", -1}}}, "team_awards", "团体奖项“一等奖”的名额"},
		{"count 10001", Awards{Individual: Prizes{{"一等奖", 10001}}}, "individual_awards", "名额"},
		{"individual checked before team", Awards{Individual: Prizes{{"", 1}}, Team: Prizes{{"", 1}}}, "individual_awards", "个人奖项"},
	} {
		err := c.a.Validate()
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: want valid, got %v", c.name, err)
			}
			continue
		}
		t.Run(c.name, func(t *testing.T) { wantErr(t, err, app.EINVALID, c.field, c.msg) })
	}
}

func TestPrizesFor(t *testing.T) {
	ps := Prizes{{"一等奖", 1}, {"二等奖", 2}, {"三等奖", 3}}
	for rank, want := range map[int]string{1: "一等奖", 2: "二等奖", 3: "二等奖", 4: "三等奖", 5: "三等奖", 6: "三等奖", 7: "", 100: ""} {
		if got := ps.For(rank); got != want {
			t.Errorf("For(%d) = %q, want %q", rank, got, want)
		}
	}
	if got := Prizes(nil).For(1); got != "" {
		t.Errorf("no prizes: For(1) = %q", got)
	}
}

func TestPrizesGiveTies(t *testing.T) {
	// Ranks 1, 2, 2, 4, 5 against one first, one second, two thirds: the
	// two tied at second both take it, though they fill places 2 and 3.
	ranks := []int{1, 2, 2, 4, 5}
	got := make([]string, len(ranks))
	Prizes{{"一等奖", 1}, {"二等奖", 1}, {"三等奖", 2}}.give(len(ranks), func(i int) int { return ranks[i] }, func(i int, a string) { got[i] = a })
	if want := []string{"一等奖", "二等奖", "二等奖", "三等奖", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("give = %q, want %q", got, want)
	}
}

func TestParsePrizes(t *testing.T) {
	for _, c := range []struct {
		text string
		want Prizes
	}{
		{"", nil},
		{"\n \r\n\t\n", nil},
		{"一等奖 1", Prizes{{"一等奖", 1}}},
		{"一等奖 1\n二等奖×2\r\n\n三等奖：3名\n  优秀奖 x10  \n鼓励奖:5\n", Prizes{{"一等奖", 1}, {"二等奖", 2}, {"三等奖", 3}, {"优秀奖", 10}, {"鼓励奖", 5}}},
		{"纪念奖　20 名", Prizes{{"纪念奖", 20}}}, // an ideographic space
		{"优胜奖 × 4", Prizes{{"优胜奖", 4}}},
		// 名 in a prize's name is part of it, not the count's unit.
		{"第一名 1\n第二名 1名\n提名奖：3名", Prizes{{"第一名", 1}, {"第二名", 1}, {"提名奖", 3}}},
		// ParsePrizes reads; Validate judges the counts.
		{"一等奖 0", Prizes{{"一等奖", 0}}},
	} {
		got, err := ParsePrizes("individual_awards", c.text)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParsePrizes(%q) = %v, %v; want %v", c.text, got, err, c.want)
		}
	}
	for _, c := range []struct {
		field, text, msg string
	}{
		{"individual_awards", "一等奖", "第 1 行“一等奖”应为“奖项名称 名额”"},
		{"team_awards", "一等奖 1\n\n团体 二等奖 2", "第 3 行“团体 二等奖 2”应为"},
		{"team_awards", "一等奖 1\r\n二等奖 两", "第 2 行的名额“两”不是整数"},
		{"individual_awards", "一等奖 1.5", "第 1 行的名额“1.5”不是整数"},
		{"individual_awards", "\n\n\n 1 一等奖 ", "第 4 行的名额“一等奖”不是整数"},
		{"individual_awards", "第一名", "第 1 行“第一名”应为"},
	} {
		got, err := ParsePrizes(c.field, c.text)
		if got != nil {
			t.Errorf("ParsePrizes(%q) = %v with an error", c.text, got)
		}
		wantErr(t, err, app.EINVALID, c.field, c.msg)
	}
}

func TestPrizesString(t *testing.T) {
	if s := Prizes(nil).String(); s != "" {
		t.Errorf("no prizes = %q", s)
	}
	ps := Prizes{{"一等奖", 1}, {"二等奖", 2}, {"第一名", 3}, {"提名奖", 10000}}
	s := ps.String()
	if want := "一等奖 1\n二等奖 2\n第一名 3\n提名奖 10000\n"; s != want {
		t.Errorf("String = %q, want %q", s, want)
	}
	back, err := ParsePrizes("individual_awards", s)
	if err != nil || !reflect.DeepEqual(back, ps) {
		t.Errorf("round trip: %v, %v; want %v", back, err, ps)
	}
}
