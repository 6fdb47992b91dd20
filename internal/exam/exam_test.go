package exam

import (
	"errors"
	"testing"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/question"
)

func TestSittersIncludes(t *testing.T) {
	s := Sitters{OrgPath: "/1/2/"}
	for _, c := range []struct {
		s     Sitters
		path  string
		roles []string
		rank  account.Rank
		want  bool
	}{
		{s, "/1/2/", nil, "", true},
		{s, "/1/2/9/", nil, account.RankSenior, true},
		{s, "/1/3/", nil, "", false},
		{s, "/1/", nil, "", false},
		{Sitters{OrgPath: "/1/", Roles: []string{account.RoleExaminee}}, "/1/5/", []string{account.RoleLiaison}, "", false},
		{Sitters{OrgPath: "/1/", Roles: []string{account.RoleExaminee}}, "/1/5/", []string{account.RoleLiaison, account.RoleExaminee}, "", true},
		{Sitters{OrgPath: "/1/", Ranks: []account.Rank{account.RankSenior}}, "/1/5/", nil, "", false},
		{Sitters{OrgPath: "/1/", Ranks: []account.Rank{account.RankStaff}}, "/1/5/", nil, "", true}, // no rank is staff
	} {
		if got := c.s.Includes(c.path, c.roles, c.rank); got != c.want {
			t.Errorf("%+v includes %s %v %q = %v, want %v", c.s, c.path, c.roles, c.rank, got, c.want)
		}
	}
}

func TestWindowForSlots(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	e := &Exam{Window: Window{Opens: t0, Closes: t0.Add(30 * 24 * time.Hour)}, Slots: []Slot{
		{OrgPath: "/1/2/", Opens: t0.Add(24 * time.Hour), Closes: t0.Add(48 * time.Hour)},
		{OrgPath: "/1/2/7/", Opens: t0.Add(72 * time.Hour), Closes: t0.Add(96 * time.Hour)},
		{OrgPath: "/1/3/", Opens: t0.Add(-time.Hour), Closes: t0.Add(40 * 24 * time.Hour)}, // wider than the window
	}}
	for _, c := range []struct {
		path          string
		opens, closes time.Time
	}{
		{"/1/9/", t0, e.Window.Closes},
		{"/1/2/", t0.Add(24 * time.Hour), t0.Add(48 * time.Hour)},
		{"/1/2/7/8/", t0.Add(72 * time.Hour), t0.Add(96 * time.Hour)}, // the deepest slot wins
		{"/1/3/", t0, e.Window.Closes},                                // a slot never widens the window
	} {
		w := e.WindowFor(c.path)
		if !w.Opens.Equal(c.opens) || !w.Closes.Equal(c.closes) {
			t.Errorf("%s: %v–%v, want %v–%v", c.path, w.Opens, w.Closes, c.opens, c.closes)
		}
	}
}

func TestRulesForSeedShowKeys(t *testing.T) {
	staff := Rules{Picks: []Pick{{Type: question.Single, Count: 1, Points: 1}}}
	senior := Rules{Picks: []Pick{{Type: question.Multiple, Count: 1, Points: 1}}}
	e := &Exam{ID: 7, Rules: staff}
	if e.RulesFor(account.RankSenior).Picks[0].Type != question.Single {
		t.Error("without senior rules, seniors get the staff paper")
	}
	e.SeniorRules = &senior
	if e.RulesFor(account.RankSenior).Picks[0].Type != question.Multiple || e.RulesFor(account.RankStaff).Picks[0].Type != question.Single {
		t.Error("senior rules not chosen by rank")
	}
	if e.Seed(1, 1) == e.Seed(2, 1) || e.Seed(1, 1) == e.Seed(1, 2) {
		t.Error("per-person papers share a seed")
	}
	e.OnePaper = true
	if e.Seed(1, 1) != e.Seed(2, 2) {
		t.Error("one paper for all, but seeds differ")
	}
	now := time.Now()
	e.Window = Window{Opens: now.Add(-time.Hour), Closes: now.Add(time.Hour)}
	for _, c := range []struct {
		review    Review
		submitted bool
		at        time.Time
		want      bool
	}{
		{ReviewAfterSubmit, false, now, false},
		{ReviewAfterSubmit, true, now, true},
		{ReviewAfterClose, true, now, false},
		{"", true, now.Add(2 * time.Hour), true},
		{ReviewNever, true, now.Add(2 * time.Hour), false},
	} {
		e.Review = c.review
		if got := e.ShowKeys(c.submitted, c.at); got != c.want {
			t.Errorf("%q submitted=%v: %v, want %v", c.review, c.submitted, got, c.want)
		}
	}
}

func TestExamValidate(t *testing.T) {
	now := time.Now()
	ok := func() *Exam {
		return &Exam{Title: "考试", Window: Window{Opens: now, Closes: now.Add(time.Hour)}, Rules: Rules{Picks: []Pick{{Type: question.Single, Count: 1, Points: 100}}}}
	}
	if err := ok().Validate(); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		set   func(*Exam)
		field string
	}{
		"no title":      {func(e *Exam) { e.Title = " " }, "title"},
		"closes first":  {func(e *Exam) { e.Window.Closes = now }, "closes"},
		"bad counts":    {func(e *Exam) { e.Counts = "avg" }, "counts"},
		"bad review":    {func(e *Exam) { e.Review = "soon" }, "review"},
		"no picks":      {func(e *Exam) { e.Rules.Picks = nil }, "picks"},
		"bad senior":    {func(e *Exam) { e.SeniorRules = &Rules{} }, "senior_picks"},
		"slot outside":  {func(e *Exam) { e.Slots = []Slot{{Opens: now.Add(2 * time.Hour), Closes: now.Add(3 * time.Hour)}} }, "slots"},
		"slot reversed": {func(e *Exam) { e.Slots = []Slot{{Opens: now.Add(time.Minute), Closes: now}} }, "slots"},
		"attempts":      {func(e *Exam) { e.MaxAttempts = -1 }, "max_attempts"},
		"pass":          {func(e *Exam) { e.Grading.Pass = 101 }, "pass"},
	} {
		e := ok()
		c.set(e)
		err := e.Validate()
		var ae *app.Error
		if err == nil || !errors.As(err, &ae) || ae.Field != c.field {
			t.Errorf("%s: %v, want an error about %s", name, err, c.field)
		}
	}
	// A fixed paper needs no rules.
	e := ok()
	e.Rules, e.Fixed = Rules{}, []Item{{QuestionID: 1, Points: 100}}
	if err := e.Validate(); err != nil {
		t.Errorf("fixed paper: %v", err)
	}
}

func TestFixedPaper(t *testing.T) {
	e := &Exam{ID: 3, Fixed: []Item{{QuestionID: 1, Points: 60}, {QuestionID: 2, Points: 40}}, Rules: Rules{ShuffleOptions: true}}
	p := e.FixedPaper(e.Seed(9, 1), map[app.ID]int{1: 4, 2: 0})
	if len(p.Items) != 2 || p.Items[0].QuestionID != 1 || !isPerm(p.Items[0].Order) || len(p.Items[0].Order) != 4 || p.Items[1].Order != nil || p.Max() != 100 {
		t.Fatalf("fixed paper %+v", p)
	}
	if e.Fixed[0].Order != nil {
		t.Error("FixedPaper changed the exam's own items")
	}
}
