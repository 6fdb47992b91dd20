package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/duty"
	"pufa/internal/plan"
	"pufa/internal/settings"
	"pufa/internal/similar"
)

// unitFacts gathers what pufa already holds about a unit's year.
func (s *Server) unitFacts(ctx context.Context, orgID app.ID, orgName string, year int) (duty.Facts, error) {
	f := duty.Facts{OrgName: orgName, Year: year, TaskLink: "/plans"}
	if l, err := s.db.FindDutyList(ctx, orgID, year); err == nil && (l.Status == duty.Approved || l.Status == duty.Submitted) {
		f.ListItems, f.ListLink = len(l.Items), "/duty/lists/"+l.ID.String()
		seen := map[string]bool{}
		for _, it := range l.Items {
			for _, lw := range it.Laws {
				if !seen[lw] {
					seen[lw] = true
					f.Laws = append(f.Laws, lw)
				}
			}
		}
	} else if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return f, err
	}
	tasks, err := s.db.FindUnitTasks(ctx, orgID)
	if err != nil {
		return f, err
	}
	now, warning := s.clock.Now(), settings.Defaults().Warning()
	for _, t := range tasks {
		f.Tasks++
		if t.Status == plan.Done {
			f.TasksDone++
		} else if t.SignalAt(now, warning) == plan.Red {
			f.TasksOverdue++
		}
	}
	return f, nil
}

type reportEditData struct {
	Year     int
	Report   *duty.Report
	Headings []string
	Sources  []duty.Source
	Facts    duty.Facts
}

func (s *Server) reportEditPage(w http.ResponseWriter, r *http.Request, rep *duty.Report, err error) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	o, ferr := s.db.FindOrgByID(ctx, a.OrgID)
	if ferr != nil {
		return ferr
	}
	facts, ferr := s.unitFacts(ctx, a.OrgID, o.Name, rep.Year)
	if ferr != nil {
		return ferr
	}
	_, src := duty.DraftReport(facts)
	d := reportEditData{Year: rep.Year, Report: rep, Headings: duty.Headings, Sources: src, Facts: facts}
	title := fmt.Sprintf("%d年度履职报告", rep.Year)
	if err != nil {
		return s.renderForm(w, r, "duty_report_edit", title, d, err)
	}
	v := s.newView(r, title, d)
	v.Active = "duty"
	return s.render(w, r, http.StatusOK, "duty_report_edit", v)
}

// reportEdit is a unit's own report for a year.
func (s *Server) reportEdit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	year, err := s.dutyYear(r)
	if err != nil {
		return err
	}
	rep, err := s.db.FindDutyReport(ctx, a.OrgID, year)
	if app.ErrorCode(err) == app.ENOTFOUND {
		rep, err = &duty.Report{OrgID: a.OrgID, Year: year, Sections: make([]string, len(duty.Headings))}, nil
	}
	if err != nil {
		return err
	}
	return s.reportEditPage(w, r, rep, nil)
}

// reportSave saves the unit's report, fills it from the facts, or submits
// it with the checks.
func (s *Server) reportSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	year, err := s.dutyYear(r)
	if err != nil {
		return err
	}
	rep := &duty.Report{OrgID: a.OrgID, Year: year, Sections: make([]string, len(duty.Headings))}
	for i := range rep.Sections {
		rep.Sections[i] = r.PostFormValue(fmt.Sprintf("section_%d", i))
	}
	action := r.PostFormValue("action")
	if action == "draft" {
		o, err := s.db.FindOrgByID(ctx, a.OrgID)
		if err != nil {
			return err
		}
		facts, err := s.unitFacts(ctx, a.OrgID, o.Name, year)
		if err != nil {
			return err
		}
		draft, _ := duty.DraftReport(facts)
		for i := range rep.Sections {
			if strings.TrimSpace(rep.Sections[i]) == "" {
				rep.Sections[i] = draft[i]
			}
		}
	}
	if err := s.db.SaveDutyReport(ctx, rep); err != nil {
		return s.reportEditPage(w, r, rep, err)
	}
	if action != "submit" {
		msg := "已保存"
		if action == "draft" {
			msg = "已根据责任清单和台账生成初稿，请修改补充后提交"
		}
		return s.redirect(w, r, fmt.Sprintf("/duty/report/%d", year), msg)
	}
	check, err := s.checkReport(ctx, rep)
	if err != nil {
		return err
	}
	if err := s.db.SubmitDutyReport(ctx, rep.ID, check); err != nil {
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("/duty/report/%d", year), "履职报告已提交")
}

// checkReport compares a report with the other units' reports of the year,
// the unit's own of last year and the work plans' text, and checks its
// figures against the ledger.
func (s *Server) checkReport(ctx context.Context, rep *duty.Report) (*duty.ReportCheck, error) {
	o, err := s.db.FindOrgByID(ctx, rep.OrgID)
	if err != nil {
		return nil, err
	}
	root, err := s.db.FindRootOrg(ctx)
	if err != nil {
		return nil, err
	}
	others, err := s.db.FindDutyReports(ctx, root.Path, rep.Year, true)
	if err != nil {
		return nil, err
	}
	var docs, corpus []similar.Doc
	names := map[string]string{}
	for _, x := range others {
		if x.OrgID == rep.OrgID {
			continue
		}
		id := x.ID.String()
		names[id] = fmt.Sprintf("%s%d年度履职报告", x.OrgName, x.Year)
		docs = append(docs, similar.Doc{ID: id, Text: x.Text()})
	}
	if last, err := s.db.FindDutyReport(ctx, rep.OrgID, rep.Year-1); err == nil {
		id := last.ID.String()
		names[id] = fmt.Sprintf("本单位%d年度履职报告", last.Year)
		docs = append(docs, similar.Doc{ID: id, Text: last.Text()})
	}
	plans, err := s.db.FindPlans(ctx, root.Path)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		items, err := s.db.FindItems(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		for _, it := range items {
			b.WriteString(it.Title + "。" + it.Text + "\n")
		}
		id := "plan-" + p.ID.String()
		names[id] = "《" + p.Title + "》"
		docs = append(docs, similar.Doc{ID: id, Text: b.String(), Reference: true})
	}
	corpus = append(corpus, docs...)
	corpus = append(corpus, similar.Doc{ID: "self", Text: rep.Text()})
	opts := similar.DefaultOptions()
	check := &duty.ReportCheck{}
	for _, m := range similar.Check(rep.Text(), docs, corpus, opts) {
		if m.Similarity <= 0 && len(m.Passages) == 0 {
			continue
		}
		// The work plan is a reference: quoting it is reported, never
		// flagged.
		ov := duty.Overlap{With: names[m.OtherID], Similarity: m.Similarity, Flagged: m.Flagged(opts)}
		for i, p := range m.Passages {
			if i == 5 {
				break
			}
			ov.Passages = append(ov.Passages, p.Text)
		}
		check.Overlaps = append(check.Overlaps, ov)
	}
	facts, err := s.unitFacts(ctx, rep.OrgID, o.Name, rep.Year)
	if err != nil {
		return nil, err
	}
	check.Numbers = duty.CheckNumbers(rep.Text(), facts)
	return check, nil
}

type reportListData struct {
	Year    int
	Reports []*duty.Report
}

// reportList is the office's view of the year's reports with what the
// checks found.
func (s *Server) reportList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	year, err := s.dutyYear(r)
	if err != nil {
		return err
	}
	reps, err := s.db.FindDutyReports(ctx, a.OrgPath, year, false)
	if err != nil {
		return err
	}
	v := s.newView(r, fmt.Sprintf("%d年度履职报告", year), reportListData{Year: year, Reports: reps})
	v.Active = "duty"
	return s.render(w, r, http.StatusOK, "duty_reports", v)
}

// dutyReportTarget targets the unit of report {id}.
func dutyReportTarget(s *Server, r *http.Request) (authz.Target, error) {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return authz.Target{}, err
	}
	rep, err := s.db.FindDutyReportByID(r.Context(), id)
	if err != nil {
		return authz.Target{}, err
	}
	return s.orgTarget(r, rep.OrgID.String(), false)
}

type reportShowData struct {
	Report    *duty.Report
	Headings  []string
	CanReview bool
}

// reportShow shows a report to its unit and the office; the checks only
// to the office.
func (s *Server) reportShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	rep, err := s.db.FindDutyReportByID(ctx, id)
	if err != nil {
		return err
	}
	t, err := s.orgTarget(r, rep.OrgID.String(), false)
	if err != nil {
		return err
	}
	d := reportShowData{Report: rep, Headings: duty.Headings, CanReview: authz.Can(app.ActorFrom(ctx), authz.DutyReview, t)}
	v := s.newView(r, fmt.Sprintf("%s%d年度履职报告", rep.OrgName, rep.Year), d)
	v.Active = "duty"
	return s.render(w, r, http.StatusOK, "duty_report_show", v)
}
