package quiz

import (
	"slices"
	"testing"
	"time"

	"pufa/internal/app"
)

func TestQuiz_Accept(t *testing.T) {
	open := sampleQuiz()
	open.OpensAt, open.ClosesAt = t0, t0.Add(7*24*time.Hour)
	invited := sampleQuiz()
	invited.Mode = Invited
	tight := sampleQuiz()
	tight.Limits = Limits{PerHour: 2, PerDay: 3}
	now := t0.Add(48 * time.Hour)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	times := func(ds ...time.Duration) []time.Time {
		var out []time.Time
		for _, d := range ds {
			out = append(out, ago(d))
		}
		return out
	}
	many := func(n int, every time.Duration) []time.Time {
		var out []time.Time
		for i := range n {
			out = append(out, ago(time.Duration(i+1)*every))
		}
		return out
	}
	tests := []struct {
		name string
		q    *Quiz
		a    Arrival
		code string
		msg  string
	}{
		{"open, new device", open, Arrival{At: now, Device: "d1"}, "", ""},
		{"before it opens", open, Arrival{At: t0.Add(-time.Minute), Device: "d1"}, app.EFORBIDDEN, "测评尚未开始，开始时间为 2025年6月1日 10:00"},
		{"at the opening", open, Arrival{At: t0, Device: "d1"}, "", ""},
		{"at the close", open, Arrival{At: open.ClosesAt, Device: "d1"}, app.EFORBIDDEN, "测评已于 2025年6月8日 10:00 结束"},
		{"no cookie", open, Arrival{At: now, Device: " "}, app.EINVALID, "请允许浏览器保存 Cookie"},
		{"device seen", open, Arrival{At: now, Device: "d1", DeviceSeen: true}, app.ECONFLICT, "您已经提交过本次测评的答卷"},
		{"token ignored when open", open, Arrival{At: now, Device: "d1", Token: "t", TokenUsed: true}, "", ""},
		{"29 in the hour", open, Arrival{At: now, Device: "d1", ClientTimes: many(29, 2*time.Minute)}, "", ""},
		{"30 in the hour", open, Arrival{At: now, Device: "d1", ClientTimes: many(30, time.Minute)}, app.ERATELIMITED, "同一网络一小时内提交的答卷已达 30 份"},
		{"30 spread over two hours", open, Arrival{At: now, Device: "d1", ClientTimes: many(30, 3*time.Minute)}, "", ""},
		{"200 in the day", open, Arrival{At: now, Device: "d1", ClientTimes: many(200, 7*time.Minute)}, app.ERATELIMITED, "同一网络一天内提交的答卷已达 200 份"},
		{"tight: one an hour ago exactly", tight, Arrival{At: now, Device: "d1", ClientTimes: times(time.Hour, time.Minute)}, "", ""},
		{"tight: two in the hour", tight, Arrival{At: now, Device: "d1", ClientTimes: times(59*time.Minute, time.Minute)}, app.ERATELIMITED, "一小时内提交的答卷已达 2 份"},
		{"tight: three in the day", tight, Arrival{At: now, Device: "d1", ClientTimes: times(23*time.Hour, 5*time.Hour, time.Minute)}, app.ERATELIMITED, "一天内提交的答卷已达 3 份"},
		{"tight: older than a day ignored", tight, Arrival{At: now, Device: "d1", ClientTimes: times(25*time.Hour, 24*time.Hour, time.Minute)}, "", ""},
		{"tight: future times ignored", tight, Arrival{At: now, Device: "d1", ClientTimes: times(-time.Minute, -2*time.Minute, time.Minute)}, "", ""},
		{"invited, unused token", invited, Arrival{At: now, Token: "abc", TokenIssued: true}, "", ""},
		{"invited, no token", invited, Arrival{At: now, Device: "d1"}, app.ENOTFOUND, "邀请链接无效"},
		{"invited, not this quiz's token", invited, Arrival{At: now, Token: "abc"}, app.ENOTFOUND, "邀请链接无效"},
		{"invited, used token", invited, Arrival{At: now, Token: "abc", TokenIssued: true, TokenUsed: true}, app.ECONFLICT, "这个邀请链接已经提交过答卷"},
		{"invited ignores device and client", invited, Arrival{At: now, Token: "abc", TokenIssued: true, DeviceSeen: true, ClientTimes: many(500, time.Second)}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.q.Accept(tt.a)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantErr(t, err, tt.code, "", tt.msg)
		})
	}
	bad := sampleQuiz()
	bad.Mode = ""
	if err := bad.Accept(Arrival{At: now}); app.ErrorCode(err) != app.EINTERNAL {
		t.Errorf("unknown mode: %v", err)
	}
}

func TestLimits_Since(t *testing.T) {
	if got := (Limits{}).Since(t0); !got.Equal(t0.Add(-24 * time.Hour)) {
		t.Errorf("Since = %v", got)
	}
}

func TestAlarmSettings_Check(t *testing.T) {
	at := func(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }
	// 25 responses a minute apart, then a burst of 6 within 10 s, given
	// out of order, one of them excluded.
	var stamps []Stamp
	for i := range 25 {
		stamps = append(stamps, Stamp{ID: app.ID(100 + i), At: at(60 * i)})
	}
	var burst []app.ID
	for i := range 6 {
		id := app.ID(200 + i)
		stamps = append(stamps, Stamp{ID: id, At: at(3000 + 2*i), Excluded: i == 0})
		burst = append(burst, id)
	}
	slices.Reverse(stamps)

	tests := []struct {
		name       string
		s          AlarmSettings
		over       bool
		suspicious []app.ID
		msg        string
	}{
		{"defaults: nothing", AlarmSettings{}, false, nil, ""},
		{"population", AlarmSettings{Population: 29}, true, nil, "计入 30 份答卷，超过设定的人数 29"},
		{"population reached, not exceeded", AlarmSettings{Population: 30}, false, nil, ""},
		{"burst", AlarmSettings{BurstResponses: 5, BurstSeconds: 30}, false, burst, "6 份答卷集中提交（30 秒内达到 5 份以上）"},
		{"both", AlarmSettings{Population: 10, BurstResponses: 6, BurstSeconds: 11}, true, burst, "计入 30 份答卷，超过设定的人数 10；6 份答卷集中提交（11 秒内达到 6 份以上）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.s.Check(stamps)
			got := slices.Sorted(slices.Values(a.Suspicious))
			if a.OverPopulation != tt.over || !slices.Equal(got, tt.suspicious) || a.Message != tt.msg {
				t.Errorf("Check = %+v; want over %v, suspicious %v, %q", a, tt.over, tt.suspicious, tt.msg)
			}
		})
	}
	// Check does not reorder the caller's slice.
	if stamps[0].ID != 205 {
		t.Error("Check reordered its input")
	}
}
