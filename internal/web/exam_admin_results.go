package web

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/xlsx"
)

// examResults is what the results page and its export both read: the
// figures, by unit, and who has not sat yet.
type examResults struct {
	Figures exam.Figures
	Absent  []exam.Sitter
	// ByOrg counts each org as its own unit; otherwise people count in
	// the unit directly under the sitters' org (a community's people in
	// its subdistrict), as a district office reports.
	ByOrg bool
	// Pending counts the submitted attempts waiting for hand marking,
	// counted or not: marking may make one the best.
	Pending int
	root    string
}

// unitKey is the unit a person in orgPath counts in.
func (res *examResults) unitKey(orgPath string) string {
	if res.ByOrg {
		return orgPath
	}
	return exam.RollUp(res.root, orgPath)
}

// maxAbsent bounds the list of people who have not sat.
const maxAbsent = 20000

func (s *Server) examResults(ctx context.Context, e *exam.Exam, byOrg bool) (*examResults, error) {
	rows, err := s.db.FindExamSittings(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	counts, sitters, err := s.expected(ctx, e, true)
	if err != nil {
		return nil, err
	}
	in := exam.FigureInput{Rule: e.Counts, Grading: e.Grading, Sittings: rows, Expected: counts}
	if !byOrg {
		root := e.Sitters.OrgPath
		orgs, _, err := s.db.FindOrgs(ctx, org.Filter{UnderPath: &root})
		if err != nil {
			return nil, err
		}
		names := make(map[string]string, len(orgs))
		for _, o := range orgs {
			names[o.Path] = o.Name
		}
		in.UnitOf = exam.UnitsUnder(root, names)
	}
	res := &examResults{Figures: exam.Tally(in), ByOrg: byOrg, root: e.Sitters.OrgPath}
	for _, r := range rows {
		if r.PendingManual {
			res.Pending++
		}
	}
	res.Absent = exam.NotSat(sitters, res.Figures)
	return res, nil
}

// expected returns who is to sit e, per org and, with people, each of
// them. A make-up is for those who have not passed the exam it makes
// up: the ones who passed it are left out of both.
func (s *Server) expected(ctx context.Context, e *exam.Exam, people bool) ([]exam.UnitCount, []exam.Sitter, error) {
	if e.MakeUpOf == 0 {
		counts, err := s.db.CountSitters(ctx, e.Sitters)
		if err != nil || !people {
			return counts, nil, err
		}
		sitters, err := s.db.FindSitters(ctx, e.Sitters, maxAbsent)
		return counts, sitters, err
	}
	prev, err := s.db.FindExamSittings(ctx, e.MakeUpOf)
	if err != nil {
		return nil, nil, err
	}
	passed := map[app.ID]bool{}
	for _, r := range prev {
		if r.Passed && !r.PendingManual {
			passed[r.UserID] = true
		}
	}
	all, err := s.db.FindSitters(ctx, e.Sitters, maxAbsent)
	if err != nil {
		return nil, nil, err
	}
	var sitters []exam.Sitter
	var counts []exam.UnitCount
	at := map[app.ID]int{}
	for _, p := range all {
		if passed[p.UserID] {
			continue
		}
		sitters = append(sitters, p)
		i, ok := at[p.OrgID]
		if !ok {
			i = len(counts)
			at[p.OrgID] = i
			counts = append(counts, exam.UnitCount{OrgID: p.OrgID, OrgName: p.OrgName, OrgPath: p.OrgPath})
		}
		counts[i].N++
	}
	return counts, sitters, nil
}

// rateText writes a share as people read it: 96.5%, or — when there is
// nothing to divide by.
func rateText(r float64, ok bool) string {
	if !ok {
		return "—"
	}
	return strconv.FormatFloat(math.Round(r*1000)/10, 'f', 1, 64) + "%"
}

// unitLine is a line of the per-unit table, with its shares written out.
type unitLine struct {
	exam.UnitFigures
	Turnout, PassRate string
}

func lineOf(u exam.UnitFigures) unitLine {
	return unitLine{UnitFigures: u, Turnout: rateText(u.Turnout()), PassRate: rateText(u.PassRate())}
}

// gradeBar is one bar of the grade distribution.
type gradeBar struct {
	Grade string
	N     int
	Share string
	// Width is the bar's length out of 100.
	Width float64
	Class string
}

// gradeClass colours a grade: green for the top ones, red for a fail.
func gradeClass(grade string) string {
	switch grade {
	case exam.Excellent, exam.Good:
		return "good"
	case exam.Qualified:
		return "ok"
	case exam.Failed:
		return "bad"
	}
	return "other"
}

type unitOpt struct{ Key, Name string }

type examResultsData struct {
	Exam  *exam.Exam
	State examState
	*examResults
	Units []unitLine
	Total unitLine
	Bars  []gradeBar
	// The person list: the counted attempts, or who has not sat.
	Show        string
	Unit        string
	UnitOpts    []unitOpt
	People      []exam.Taker
	Absent      []exam.Sitter
	PeopleTotal int
	AbsentTotal int
	Pager       pager
	// Query is the page's filter, for links that keep it.
	Query string
	// By is the grouping as a query value: "org", or "" for units.
	By string
}

const resultsPageSize = 50

// examResultsPage shows an exam's figures per unit and the people.
func (s *Server) examResultsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.managedExam(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	res, err := s.examResults(ctx, e, q.Get("by") == "org")
	if err != nil {
		return err
	}
	f := res.Figures
	d := examResultsData{Exam: e, State: stateOf(e, s.clock.Now()), examResults: res, Total: lineOf(f.Total),
		Show: q.Get("show"), Unit: q.Get("unit")}
	if res.ByOrg {
		d.By = "org"
	}
	if d.Show != "absent" {
		d.Show = ""
	}
	for _, u := range f.Units {
		d.Units = append(d.Units, lineOf(u))
		d.UnitOpts = append(d.UnitOpts, unitOpt{Key: u.Key, Name: u.Name})
	}
	for i, g := range f.Grades {
		n := f.Total.Grades[i]
		b := gradeBar{Grade: g, N: n, Class: gradeClass(g), Share: rateText(0, false)}
		if f.Total.Sat > 0 {
			b.Share = rateText(float64(n)/float64(f.Total.Sat), true)
			b.Width = math.Round(float64(n)/float64(f.Total.Sat)*1000) / 10
		}
		d.Bars = append(d.Bars, b)
	}
	// The people of the chosen unit.
	for _, t := range f.Takers {
		if d.Unit == "" || t.Unit == d.Unit {
			d.People = append(d.People, t)
		}
	}
	for _, p := range res.Absent {
		if d.Unit == "" || res.unitKey(p.OrgPath) == d.Unit {
			d.Absent = append(d.Absent, p)
		}
	}
	d.PeopleTotal, d.AbsentTotal = len(d.People), len(d.Absent)
	keep := url.Values{}
	for _, k := range []string{"by", "unit", "show"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	d.Query = keep.Encode()
	page, offset := pageParams(r, resultsPageSize)
	n := d.PeopleTotal
	if d.Show == "absent" {
		n = d.AbsentTotal
	}
	d.Pager = newPager(page, resultsPageSize, n, d.Query)
	d.People = pageOf(d.People, offset, resultsPageSize)
	d.Absent = pageOf(d.Absent, offset, resultsPageSize)
	v := s.newView(r, e.Title+" · 成绩统计", d)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "exam_results", v)
}

func pageOf[T any](xs []T, offset, size int) []T {
	if offset >= len(xs) {
		return nil
	}
	return xs[offset:min(offset+size, len(xs))]
}

// yesNo writes a flag for a spreadsheet.
func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// examExport writes the figures per unit and every person's counted
// attempt to .xlsx.
func (s *Server) examExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.managedExam(r)
	if err != nil {
		return err
	}
	res, err := s.examResults(ctx, e, r.PostFormValue("by") == "org")
	if err != nil {
		return err
	}
	f := res.Figures
	xw, err := xlsx.NewWriter(app.Shanghai)
	if err != nil {
		return err
	}
	defer xw.Close()
	head := []string{"单位", "应考人数", "实考人数", "参考率", "合格人数", "合格率", "平均分", "最高分", "最低分"}
	head = append(head, f.Grades...)
	head = append(head, "待阅卷人数")
	if err := xw.AddSheet("各单位统计", head); err != nil {
		return err
	}
	line := func(u exam.UnitFigures) []any {
		rate := func(x float64, ok bool) any {
			if !ok {
				return "—"
			}
			return xlsx.Number{Value: x, Format: xlsx.Percent}
		}
		score := func(x float64) any {
			if u.Sat == 0 {
				return "—"
			}
			return xlsx.Number{Value: x, Format: xlsx.Hundredths}
		}
		row := []any{u.Name, u.Expected, u.Sat, rate(u.Turnout()), u.Passed, rate(u.PassRate()), score(u.Mean), score(u.Highest), score(u.Lowest)}
		for _, n := range u.Grades {
			row = append(row, n)
		}
		return append(row, u.Pending)
	}
	for _, u := range f.Units {
		if err := xw.WriteRow(line(u)...); err != nil {
			return err
		}
	}
	if err := xw.WriteRow(line(f.Total)...); err != nil {
		return err
	}
	if err := xw.AddSheet("人员成绩", []string{"单位", "所在组织", "姓名", "账号", "成绩", "等次", "是否合格", "考试次数", "交卷时间", "自动交卷", "待阅卷"}); err != nil {
		return err
	}
	for _, t := range f.Takers {
		if err := xw.WriteRow(t.UnitName, t.OrgName, t.UserName, t.Login, xlsx.Number{Value: t.Score, Format: xlsx.Hundredths}, t.Grade,
			yesNo(t.Passed), t.Attempts, t.SubmittedAt, yesNo(t.AutoSubmitted), yesNo(t.PendingManual)); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", attachment(e.Title+"-成绩.xlsx"))
	return xw.Finish(w)
}
