package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/duty"
	"pufa/internal/plan"
	"pufa/internal/settings"
	"pufa/internal/upload"
)

// unitFacts gathers what pufa already holds about a unit's year.
func (s *Server) unitFacts(ctx context.Context, orgID app.ID, orgName string, year int) (duty.Facts, error) {
	return duty.GatherFacts(ctx, s.db, orgID, orgName, year, s.clock.Now(), settings.Defaults().Warning())
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
	if err := s.parseUpload(r); err != nil {
		return err
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
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
	files, err := s.uploadedFiles(r, "files", "report_file", 10, "请上传照片（JPG/PNG）、PDF、Word 或 Excel 文件",
		upload.PNG, upload.JPEG, upload.PDF, upload.DOCX, upload.XLSX)
	if err == nil {
		err = s.db.AddReportFiles(ctx, rep.ID, files)
	}
	if err != nil {
		for _, f := range files {
			s.dropBlob(ctx, f.Key)
		}
		cur, ferr := s.db.FindDutyReport(ctx, a.OrgID, year)
		if ferr != nil {
			return ferr
		}
		return s.reportEditPage(w, r, cur, err)
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
	others, err := s.reportOthers(ctx, root.Path, rep)
	if err != nil {
		return nil, err
	}
	facts, err := s.unitFacts(ctx, rep.OrgID, o.Name, rep.Year)
	if err != nil {
		return nil, err
	}
	return duty.Check(rep, others, facts), nil
}

// reportOthers gathers what a report is compared with: the other units'
// submitted reports of the year, the unit's own of last year, and the
// work plans as references.
func (s *Server) reportOthers(ctx context.Context, rootPath string, rep *duty.Report) ([]duty.Other, error) {
	reps, err := s.db.FindDutyReports(ctx, rootPath, rep.Year, true)
	if err != nil {
		return nil, err
	}
	var out []duty.Other
	for _, x := range reps {
		if x.OrgID != rep.OrgID {
			out = append(out, duty.Other{Name: fmt.Sprintf("%s%d年度履职报告", x.OrgName, x.Year), Text: x.Text()})
		}
	}
	if last, err := s.db.FindDutyReport(ctx, rep.OrgID, rep.Year-1); err == nil {
		out = append(out, duty.Other{Name: fmt.Sprintf("本单位%d年度履职报告", last.Year), Text: last.Text()})
	}
	plans, err := s.db.FindPlans(ctx, rootPath)
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
		out = append(out, duty.Other{Name: "《" + p.Title + "》", Text: b.String(), Reference: true})
	}
	return out, nil
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
	d := reportShowData{Report: rep, Headings: duty.Headings, CanReview: s.canAt(r, authz.DutyReview, rep.OrgID)}
	v := s.newView(r, fmt.Sprintf("%s%d年度履职报告", rep.OrgName, rep.Year), d)
	v.Active = "duty"
	return s.render(w, r, http.StatusOK, "duty_report_show", v)
}

// reportFile downloads one piece of a report's evidence, for the unit and
// the office.
func (s *Server) reportFileDownload(w http.ResponseWriter, r *http.Request) error {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	rep, err := s.db.FindDutyReportByID(r.Context(), id)
	if err != nil {
		return err
	}
	return s.serveFile(w, r, rep.Files, r.PathValue("n"), false)
}

// sheetReportFile downloads a piece of the subject's report evidence for
// a rater scoring it.
func (s *Server) sheetReportFile(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadSheet(r)
	if err != nil {
		return err
	}
	if d.Report == nil {
		return app.Errorf(app.ENOTFOUND, "附件不存在")
	}
	return s.serveFile(w, r, d.Report.Files, r.PathValue("n"), false)
}

// serveFile sends files[n] from the blob store: as a download, or inline
// (photos shown in the page).
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, files []plan.File, nText string, inline bool) error {
	n, err := strconv.Atoi(nText)
	if err != nil || n < 0 || n >= len(files) {
		return app.Errorf(app.ENOTFOUND, "附件不存在")
	}
	f := files[n]
	rc, err := s.opts.Blobs.Open(r.Context(), f.Key)
	if err != nil {
		return err
	}
	defer rc.Close()
	w.Header().Set("Content-Type", f.ContentType)
	if inline {
		w.Header().Set("Cache-Control", "private, max-age=3600")
	} else {
		w.Header().Set("Content-Disposition", attachment(f.Name))
	}
	_, err = io.Copy(w, rc)
	return err
}
