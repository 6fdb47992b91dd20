package exam

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"pufa/internal/app"
	"pufa/internal/assess"
)

// row is a submitted attempt of user in org at minute min, scored score.
func row(id, user app.ID, orgPath, orgName string, min int, score float64, pending bool) *SittingRow {
	grade := assess.Grader{Bands: DefaultBands()}.GradeByThreshold(score, false)
	return &SittingRow{
		Sitting: Sitting{ID: id, UserID: user, State: Submitted, SubmittedAt: opens.Add(time.Duration(min) * time.Minute),
			Score: score, Grade: grade, Passed: score >= DefaultPass, PendingManual: pending},
		UserName: fmt.Sprintf("考生%d", user), OrgPath: orgPath, OrgName: orgName,
	}
}

// line is what a test compares of a UnitFigures.
type line struct {
	Key                            string
	Expected, Sat, Passed, Pending int
	Mean, Highest, Lowest          float64
	Grades                         string
	Turnout, PassRate              string
}

func lineOf(u UnitFigures) line {
	rate := func(r float64, ok bool) string {
		if !ok {
			return "—"
		}
		return fmt.Sprintf("%.4f", r)
	}
	return line{Key: u.Key, Expected: u.Expected, Sat: u.Sat, Passed: u.Passed, Pending: u.Pending,
		Mean: u.Mean, Highest: u.Highest, Lowest: u.Lowest, Grades: fmt.Sprint(u.Grades),
		Turnout: rate(u.Turnout()), PassRate: rate(u.PassRate())}
}

func TestTally(t *testing.T) {
	const a, b, c = "/1/10/", "/1/20/", "/1/20/21/"
	expected := []UnitCount{{OrgPath: a, OrgName: "公安局", N: 4}, {OrgPath: b, OrgName: "街道", N: 2}, {OrgPath: c, OrgName: "社区", N: 3}}
	tests := []struct {
		name     string
		rule     BestRule
		sittings []*SittingRow
		unitOf   func(string, string) (string, string)
		want     []line
		total    line
		takers   string // user:attempt id, in order
	}{
		{
			name: "nobody sat",
			want: []line{
				{Key: a, Expected: 4, Grades: "[0 0 0 0]", Turnout: "0.0000", PassRate: "—"},
				{Key: b, Expected: 2, Grades: "[0 0 0 0]", Turnout: "0.0000", PassRate: "—"},
				{Key: c, Expected: 3, Grades: "[0 0 0 0]", Turnout: "0.0000", PassRate: "—"},
			},
			total: line{Key: "", Expected: 9, Grades: "[0 0 0 0]", Turnout: "0.0000", PassRate: "—"},
		},
		{
			name: "highest counts, one per person",
			rule: Highest,
			sittings: []*SittingRow{
				row(1, 100, a, "公安局", 1, 55, false),
				row(2, 100, a, "公安局", 5, 92, false), // counts for 100
				row(3, 101, a, "公安局", 2, 81.5, false),
				row(4, 102, c, "社区", 3, 40, true), // pending: counted, flagged
			},
			want: []line{
				{Key: a, Expected: 4, Sat: 2, Passed: 2, Mean: 86.75, Highest: 92, Lowest: 81.5, Grades: "[1 1 0 0]", Turnout: "0.5000", PassRate: "1.0000"},
				{Key: b, Expected: 2, Grades: "[0 0 0 0]", Turnout: "0.0000", PassRate: "—"},
				{Key: c, Expected: 3, Sat: 1, Pending: 1, Mean: 40, Highest: 40, Lowest: 40, Grades: "[0 0 0 1]", Turnout: "0.3333", PassRate: "0.0000"},
			},
			total:  line{Expected: 9, Sat: 3, Passed: 2, Pending: 1, Mean: 71.17, Highest: 92, Lowest: 40, Grades: "[1 1 0 1]", Turnout: "0.3333", PassRate: "0.6667"},
			takers: "100:2 101:3 102:4",
		},
		{
			name: "last counts, even when lower",
			rule: Last,
			sittings: []*SittingRow{
				row(1, 100, a, "公安局", 1, 95, false),
				row(2, 100, a, "公安局", 5, 59.99, false),
			},
			want: []line{
				{Key: a, Expected: 4, Sat: 1, Mean: 59.99, Highest: 59.99, Lowest: 59.99, Grades: "[0 0 0 1]", Turnout: "0.2500", PassRate: "0.0000"},
				{Key: b, Expected: 2, Grades: "[0 0 0 0]", Turnout: "0.0000", PassRate: "—"},
				{Key: c, Expected: 3, Grades: "[0 0 0 0]", Turnout: "0.0000", PassRate: "—"},
			},
			total:  line{Expected: 9, Sat: 1, Mean: 59.99, Highest: 59.99, Lowest: 59.99, Grades: "[0 0 0 1]", Turnout: "0.1111", PassRate: "0.0000"},
			takers: "100:2",
		},
		{
			name: "a community rolls up into its subdistrict; a unit nobody sits still shows who sat",
			rule: Highest,
			unitOf: func(path, name string) (string, string) {
				if strings.HasPrefix(path, b) {
					return b, "街道"
				}
				return path, name
			},
			sittings: []*SittingRow{
				row(1, 100, c, "社区", 1, 70, false),
				row(2, 101, b, "街道", 2, 90, false),
				row(3, 102, "/1/30/", "已撤销单位", 3, 60, false),
			},
			want: []line{
				{Key: a, Expected: 4, Grades: "[0 0 0 0]", Turnout: "0.0000", PassRate: "—"},
				{Key: b, Expected: 5, Sat: 2, Passed: 2, Mean: 80, Highest: 90, Lowest: 70, Grades: "[1 0 1 0]", Turnout: "0.4000", PassRate: "1.0000"},
				{Key: "/1/30/", Sat: 1, Passed: 1, Mean: 60, Highest: 60, Lowest: 60, Grades: "[0 0 1 0]", Turnout: "—", PassRate: "1.0000"},
			},
			total:  line{Expected: 9, Sat: 3, Passed: 3, Mean: 73.33, Highest: 90, Lowest: 60, Grades: "[1 0 2 0]", Turnout: "0.3333", PassRate: "1.0000"},
			takers: "101:2 100:1 102:3",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Tally(FigureInput{Rule: tt.rule, Sittings: tt.sittings, Expected: expected, UnitOf: tt.unitOf})
			if got := strings.Join(f.Grades, ","); got != "优秀,良好,合格,不合格" {
				t.Fatalf("grades %s", got)
			}
			var got []line
			for _, u := range f.Units {
				got = append(got, lineOf(u))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("units\n got %+v\nwant %+v", got, tt.want)
			}
			if tot := lineOf(f.Total); !reflect.DeepEqual(tot, tt.total) {
				t.Errorf("total\n got %+v\nwant %+v", tot, tt.total)
			}
			var takers []string
			for _, tk := range f.Takers {
				takers = append(takers, fmt.Sprintf("%d:%d", tk.UserID, tk.ID))
			}
			if got := strings.Join(takers, " "); got != tt.takers {
				t.Errorf("takers %q, want %q", got, tt.takers)
			}
		})
	}
}

func TestTally_SumsAgree(t *testing.T) {
	// Whatever the attempts, the units add up to the total.
	r := newRand(7)
	paths := []string{"/1/2/", "/1/3/", "/1/3/4/", "/1/5/"}
	var rows []*SittingRow
	for i := range 300 {
		user := app.ID(1 + r.IntN(80))
		p := paths[int(user)%len(paths)]
		rows = append(rows, row(app.ID(i+1), user, p, p, r.IntN(1000), float64(r.IntN(10001))/100, r.IntN(10) == 0))
	}
	var exp []UnitCount
	for _, p := range paths {
		exp = append(exp, UnitCount{OrgPath: p, OrgName: p, N: 25})
	}
	for _, rule := range []BestRule{Highest, Last} {
		f := Tally(FigureInput{Rule: rule, Sittings: rows, Expected: exp})
		var sum UnitFigures
		sum.Grades = make([]int, len(f.Grades))
		for _, u := range f.Units {
			sum.Expected += u.Expected
			sum.Sat += u.Sat
			sum.Passed += u.Passed
			sum.Pending += u.Pending
			for i, n := range u.Grades {
				sum.Grades[i] += n
			}
		}
		if sum.Expected != f.Total.Expected || sum.Sat != f.Total.Sat || sum.Passed != f.Total.Passed || sum.Pending != f.Total.Pending ||
			fmt.Sprint(sum.Grades) != fmt.Sprint(f.Total.Grades) || len(f.Takers) != f.Total.Sat {
			t.Fatalf("%s: units %+v do not add up to total %+v", rule, sum, f.Total)
		}
		// Each taker's counted attempt is their best (or last).
		for _, tk := range f.Takers {
			for _, x := range rows {
				if x.UserID != tk.UserID {
					continue
				}
				if rule == Highest && x.Score > tk.Score {
					t.Fatalf("user %d: counted %v, has %v", tk.UserID, tk.Score, x.Score)
				}
				if rule == Last && x.SubmittedAt.After(tk.SubmittedAt) {
					t.Fatalf("user %d: counted the attempt of %v, has a later one", tk.UserID, tk.SubmittedAt)
				}
			}
		}
	}
}

func TestTally_UnknownGradeAndOpenAttempts(t *testing.T) {
	x := row(1, 100, "/1/", "区", 1, 75, false)
	x.Grade = "及格" // bands renamed since it was marked
	open := row(2, 101, "/1/", "区", 2, 0, false)
	open.State = Open
	f := Tally(FigureInput{Sittings: []*SittingRow{x, open}})
	if strings.Join(f.Grades, ",") != "优秀,良好,合格,不合格,及格" || fmt.Sprint(f.Total.Grades) != "[0 0 0 0 1]" || f.Total.Sat != 1 {
		t.Fatalf("grades %v %v sat %d", f.Grades, f.Total.Grades, f.Total.Sat)
	}
	custom := Tally(FigureInput{Grading: Grading{Bands: []assess.Band{{Grade: "通过", Min: 60}, {Grade: "未通过", Min: 0}}}})
	if strings.Join(custom.Grades, ",") != "通过,未通过" {
		t.Fatalf("custom grades %v", custom.Grades)
	}
}

func TestNotSat(t *testing.T) {
	sitters := []Sitter{{UserID: 1, Name: "甲"}, {UserID: 2, Name: "乙"}, {UserID: 3, Name: "丙"}}
	f := Tally(FigureInput{Sittings: []*SittingRow{row(9, 2, "/1/", "区", 1, 80, false)}})
	got := NotSat(sitters, f)
	if len(got) != 2 || got[0].UserID != 1 || got[1].UserID != 3 {
		t.Fatalf("not sat %v", got)
	}
}
