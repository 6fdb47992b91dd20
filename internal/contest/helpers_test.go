package contest

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"pufa/internal/app"
)

var t0 = time.Date(2026, 5, 20, 1, 0, 0, 0, time.UTC)

func nan() float64 { return math.NaN() }

// sec is t0 plus s seconds.
func sec(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

// wantErr checks err is an *app.Error with code, field (unless "") and a
// message containing msg.
func wantErr(t *testing.T, err error, code, field, msg string) {
	t.Helper()
	var e *app.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want an *app.Error %s", err, code)
	}
	if e.Code != code || (field != "" && e.Field != field) || !strings.Contains(e.Message, msg) {
		t.Fatalf("error = %v (field %q), want %s field %q with %q", e, e.Field, code, field, msg)
	}
}

// validContest is a contest that passes Validate: two rounds, best 3,
// prizes for both rankings and a final.
func validContest() *Contest {
	return &Contest{
		Title: "2026 年“宪法进万家”法律知识竞赛", Year: 2026, Intro: "全区司法行政系统参加。",
		Rounds: []Round{{Title: "初赛第一轮", ExamID: 11}, {ExamID: 12}},
		Team:   TeamRule{Kind: BestN, N: 3},
		Awards: Awards{
			Individual: Prizes{{"一等奖", 1}, {"二等奖", 2}, {"三等奖", 3}},
			Team:       Prizes{{"团体一等奖", 1}, {"团体二等奖", 2}},
		},
		Final: validFinal(),
	}
}

func validFinal() *Final {
	return &Final{
		Title:     "决赛",
		Questions: []LiveQuestion{{101, 10, 30}, {102, 20, 30}, {103, 10, 20}},
		Finalists: []Finalist{
			{1, "张三", "/1/2/", "城关司法所"}, {2, "李四", "/1/2/", "城关司法所"},
			{3, "王五", "/1/3/", "东湖司法所"}, {4, "赵六", "/1/3/", "东湖司法所"},
		},
	}
}
