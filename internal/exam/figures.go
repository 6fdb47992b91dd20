package exam

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"pufa/internal/app"
)

// The office's figures of an exam: per unit, how many were to sit it
// (应考), how many did (实考) and the share (参考率), how many passed (合格)
// and the share of those who sat (合格率), the mean, highest and lowest
// score and the grade distribution, with a total line; and each person's
// counted attempt. Everything is read from the counted attempt of each
// person, the one Best picks under the exam's rule.

// FigureInput is what Tally reads.
type FigureInput struct {
	// Rule picks each person's counted attempt.
	Rule BestRule
	// Grading names the grades, best first (its bands, or DefaultBands).
	Grading Grading
	// Sittings are the exam's submitted attempts, as FindExamSittings
	// lists them; open attempts are ignored.
	Sittings []*SittingRow
	// Expected are the people who sit, per org, as CountSitters counts
	// them.
	Expected []UnitCount
	// UnitOf maps an org to the unit its people count in, returning the
	// unit's key and name: a district office counts a community's people
	// in its subdistrict. Nil counts each org as a unit of its own, keyed
	// by its path.
	UnitOf func(orgPath, orgName string) (key, name string)
}

// Taker is a person's counted attempt.
type Taker struct {
	// SittingRow is the attempt that counts.
	*SittingRow
	// Unit and UnitName are the unit the person counts in.
	Unit, UnitName string
	// Submitted is how many attempts the person submitted.
	Submitted int
}

// UnitFigures is one line of the per-unit table: one unit, or the total.
type UnitFigures struct {
	Key, Name string
	// Expected is 应考人数, Sat 实考人数 (people with a submitted
	// attempt), Passed 合格人数 by the counted attempt.
	Expected, Sat, Passed int
	// Pending counts the people whose counted attempt waits for hand
	// marking: their score, grade and pass are provisional, yet counted.
	Pending int
	// Mean (rounded to hundredths), Highest and Lowest are over the
	// counted scores out of 100; all zero when nobody sat.
	Mean, Highest, Lowest float64
	// Grades counts the counted attempts per grade, aligned with
	// Figures.Grades.
	Grades []int

	sum    float64
	grades map[string]int
}

// Turnout is 参考率, Sat / Expected; ok is false when nobody is expected.
// It may exceed 1 when people who sat have since left the sitters (an
// account deactivated, a role taken away).
func (u UnitFigures) Turnout() (rate float64, ok bool) {
	if u.Expected == 0 {
		return 0, false
	}
	return float64(u.Sat) / float64(u.Expected), true
}

// PassRate is 合格率, Passed / Sat; ok is false when nobody sat.
func (u UnitFigures) PassRate() (rate float64, ok bool) {
	if u.Sat == 0 {
		return 0, false
	}
	return float64(u.Passed) / float64(u.Sat), true
}

// add counts one counted attempt.
func (u *UnitFigures) add(s *SittingRow) {
	if u.Sat == 0 || s.Score > u.Highest {
		u.Highest = s.Score
	}
	if u.Sat == 0 || s.Score < u.Lowest {
		u.Lowest = s.Score
	}
	u.Sat++
	u.sum += s.Score
	if s.Passed {
		u.Passed++
	}
	if s.PendingManual {
		u.Pending++
	}
	if u.grades == nil {
		u.grades = map[string]int{}
	}
	u.grades[s.Grade]++
}

// finish sets the mean and lays the grade counts out along grades.
func (u *UnitFigures) finish(grades []string) {
	if u.Sat > 0 {
		u.Mean = math.Round(u.sum/float64(u.Sat)*100) / 100
	}
	u.Grades = make([]int, len(grades))
	for i, g := range grades {
		u.Grades[i] = u.grades[g]
	}
}

// Figures are an exam's results.
type Figures struct {
	// Grades are the grade names, best first: the exam's bands, then any
	// grade a counted attempt holds that the bands no longer name (the
	// bands were edited after it was marked).
	Grades []string
	// Units are the per-unit lines, by key (org path: tree order), every
	// unit that has someone to sit or someone who sat.
	Units []UnitFigures
	// Total sums the units; its mean, highest and lowest are over
	// everybody.
	Total UnitFigures
	// Takers are the counted attempts, by unit, org path, name.
	Takers []Taker
}

// Tally computes an exam's figures.
func Tally(in FigureInput) Figures {
	unitOf := in.UnitOf
	if unitOf == nil {
		unitOf = func(path, name string) (string, string) { return path, name }
	}
	bands := in.Grading.Bands
	if len(bands) == 0 {
		bands = DefaultBands()
	}
	f := Figures{Total: UnitFigures{Name: "合计"}}
	for _, b := range bands {
		f.Grades = append(f.Grades, b.Grade)
	}
	units := map[string]*UnitFigures{}
	unit := func(key, name string) *UnitFigures {
		u := units[key]
		if u == nil {
			u = &UnitFigures{Key: key, Name: name}
			units[key] = u
		}
		return u
	}
	for _, c := range in.Expected {
		key, name := unitOf(c.OrgPath, c.OrgName)
		unit(key, name).Expected += c.N
		f.Total.Expected += c.N
	}

	// Each person's submitted attempts, in the order first seen.
	var order []app.ID
	byUser := map[app.ID][]*SittingRow{}
	for _, s := range in.Sittings {
		if s == nil || s.State != Submitted {
			continue
		}
		if _, seen := byUser[s.UserID]; !seen {
			order = append(order, s.UserID)
		}
		byUser[s.UserID] = append(byUser[s.UserID], s)
	}
	for _, id := range order {
		rows := byUser[id]
		attempts := make([]Attempt, len(rows))
		for i, s := range rows {
			attempts[i] = Attempt{ID: s.ID, Submitted: s.SubmittedAt, Score: s.Score}
		}
		counted := rows[Best(attempts, in.Rule)]
		key, name := unitOf(counted.OrgPath, counted.OrgName)
		unit(key, name).add(counted)
		f.Total.add(counted)
		if !slices.Contains(f.Grades, counted.Grade) {
			f.Grades = append(f.Grades, counted.Grade)
		}
		f.Takers = append(f.Takers, Taker{SittingRow: counted, Unit: key, UnitName: name, Submitted: len(rows)})
	}

	for _, u := range units {
		u.finish(f.Grades)
		f.Units = append(f.Units, *u)
	}
	slices.SortFunc(f.Units, func(a, b UnitFigures) int { return cmp.Compare(a.Key, b.Key) })
	f.Total.finish(f.Grades)
	slices.SortStableFunc(f.Takers, func(a, b Taker) int {
		return cmp.Or(cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.OrgPath, b.OrgPath), cmp.Compare(a.UserName, b.UserName), cmp.Compare(a.UserID, b.UserID))
	})
	return f
}

// NotSat returns the sitters with no counted attempt in f, in their order:
// who has not sat the exam yet.
func NotSat(sitters []Sitter, f Figures) []Sitter {
	sat := make(map[app.ID]bool, len(f.Takers))
	for _, t := range f.Takers {
		sat[t.UserID] = true
	}
	var out []Sitter
	for _, s := range sitters {
		if !sat[s.UserID] {
			out = append(out, s)
		}
	}
	return out
}

// RollUp returns the unit a person in path counts in when people count in
// the unit directly under root: that unit's path. Root itself, or an org
// outside root (moved since), stands for itself.
func RollUp(root, path string) string {
	rest, ok := strings.CutPrefix(path, root)
	if !ok || rest == "" {
		return path
	}
	return root + rest[:strings.IndexByte(rest, '/')+1]
}

// UnitsUnder is the UnitOf that counts people in the unit directly under
// root, named from names (org path to name); root's own people count as
// root's name with （本级）.
func UnitsUnder(root string, names map[string]string) func(path, name string) (string, string) {
	return func(path, name string) (string, string) {
		key := RollUp(root, path)
		switch n, ok := names[key]; {
		case key == root:
			return key, names[root] + "（本级）"
		case ok && key != path:
			return key, n
		}
		return key, name
	}
}
