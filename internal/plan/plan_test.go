package plan

import (
	"math"
	"testing"
	"time"

	"pufa/internal/app"
)

func TestSignalAt(t *testing.T) {
	now := time.Date(2023, 6, 1, 10, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, c := range []struct {
		name     string
		status   Status
		deadline time.Time
		task     bool
		want     Signal
	}{
		{"no deadline", InProgress, time.Time{}, true, None},
		{"far", NotStarted, now.Add(30 * day), true, Green},
		{"within warning", InProgress, now.Add(5 * day), true, Amber},
		{"exactly at warning edge", InProgress, now.Add(14 * day), true, Amber},
		{"overdue", InProgress, now.Add(-time.Hour), true, Red},
		{"at the deadline", InProgress, now, true, Red},
		{"done late is not chased", Done, now.Add(-30 * day), true, Green},
		{"blocked overdue is red", Blocked, now.Add(-day), true, Red},
		{"section", NotStarted, now.Add(-day), false, None},
	} {
		it := &Item{IsTask: c.task, Status: c.status, Deadline: c.deadline}
		if got := it.SignalAt(now, DefaultWarning); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestRollUp(t *testing.T) {
	now := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	// Section 1 (weight 1): tasks 50% and done(with 40 typed) → 75.
	// Section 2 (weight 3): one task 20%, weight 0 (= 1) → 20.
	// Section 3: empty, ignored. Overall: (75*1 + 20*3) / 4 = 33.75.
	items := []*Item{
		{ID: 1, Title: "一"},
		{ID: 11, ParentID: 1, IsTask: true, Percent: 50, Deadline: now.Add(-time.Hour), Status: InProgress},
		{ID: 12, ParentID: 1, IsTask: true, Percent: 40, Status: Done},
		{ID: 2, Title: "二", Weight: 3},
		{ID: 21, ParentID: 2, IsTask: true, Percent: 20, Status: InProgress},
		{ID: 3, Title: "三"},
	}
	p := RollUp(items, 0, now)
	if math.Abs(p.Percent-33.75) > 1e-9 || p.Tasks != 3 || p.Done != 1 || p.Overdue != 1 {
		t.Fatalf("overall %+v", p)
	}
	if s := RollUp(items, 1, now); s.Percent != 75 {
		t.Fatalf("section 1 = %v", s.Percent)
	}
	// Percentages out of range never push a total over 100.
	over := []*Item{{ID: 5, IsTask: true, Percent: 250}}
	if p := RollUp(over, 0, now); p.Percent != 100 {
		t.Fatalf("capped = %v", p.Percent)
	}
	if p := RollUp(nil, 0, now); p.Percent != 0 || p.Tasks != 0 {
		t.Fatalf("empty = %+v", p)
	}
}

func TestReportValidate(t *testing.T) {
	for _, c := range []struct {
		r     Report
		field string
	}{
		{Report{Status: InProgress, Percent: 30, Text: "已完成初稿"}, ""},
		{Report{Status: "finished", Text: "x"}, "status"},
		{Report{Status: InProgress, Percent: 101, Text: "x"}, "percent"},
		{Report{Status: InProgress, Text: "  "}, "text"},
		{Report{Status: Blocked, Text: "资金未到位"}, "reason"},
		{Report{Status: Blocked, Text: "资金未到位", Reason: "预算未批"}, ""},
	} {
		err := c.r.Validate()
		var field string
		if e, ok := err.(*app.Error); ok {
			field = e.Field
		} else if err != nil {
			t.Fatalf("%+v: %v", c.r, err)
		}
		if field != c.field {
			t.Errorf("%+v: field %q (%v), want %q", c.r, field, err, c.field)
		}
	}
	r := Report{Status: Done, Percent: 10, Text: "完成"}
	if err := r.Validate(); err != nil || r.Percent != 100 {
		t.Errorf("done report percent = %d", r.Percent)
	}
}

func TestCount(t *testing.T) {
	tree := []*Node{
		{Item: Item{Title: "一"}, Children: []*Node{{Item: Item{Title: "1"}}, {Item: Item{Title: "2"}}}},
		{Item: Item{Title: "二"}, Children: []*Node{{Item: Item{Title: "(一)"}, Children: []*Node{{Item: Item{Title: "3"}}}}}},
		{Item: Item{Title: "单独任务"}},
	}
	if s, n := Count(tree); s != 3 || n != 4 {
		t.Fatalf("sections %d tasks %d", s, n)
	}
}
