package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/org"
	"pufa/internal/plan"
	"pufa/internal/settings"
	"pufa/internal/upload"
	"pufa/internal/xlsx"
)

// idList parses the repeated form field name into ids.
func idList(r *http.Request, name string) ([]app.ID, error) {
	var out []app.ID
	for _, v := range r.PostForm[name] {
		if v == "" {
			continue
		}
		id, err := app.ParseID(name, v)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// inPlan checks that every id names a task of plan p, so a form cannot
// reach into another region's plan.
func (s *Server) inPlan(ctx context.Context, p *plan.Plan, ids []app.ID) error {
	items, err := s.db.FindItems(ctx, p.ID)
	if err != nil {
		return err
	}
	ok := map[app.ID]bool{}
	for _, it := range items {
		ok[it.ID] = true
	}
	for _, id := range ids {
		if !ok[id] {
			return app.Invalid("items", "所选任务不属于这份工作要点")
		}
	}
	return nil
}

// unitsUnder checks that every org id lies in the plan's region.
func (s *Server) unitsUnder(ctx context.Context, region *org.Org, ids []app.ID) error {
	for _, id := range ids {
		o, err := s.db.FindOrgByID(ctx, id)
		if err != nil || !region.Contains(o) {
			return app.Invalid("lead", "所选单位不在本区域内")
		}
	}
	return nil
}

func (s *Server) planAssign(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.ledger(r)
	if err != nil {
		return err
	}
	items, err := idList(r, "items")
	if err != nil {
		return err
	}
	lead, err := idList(r, "lead")
	if err != nil {
		return err
	}
	co, err := idList(r, "co")
	if err != nil {
		return err
	}
	if err := s.inPlan(ctx, d.Plan, items); err != nil {
		return err
	}
	if err := s.unitsUnder(ctx, d.Region, append(append([]app.ID{}, lead...), co...)); err != nil {
		return err
	}
	if err := s.db.AssignUnits(ctx, items, lead, co); err != nil {
		return err
	}
	return s.redirect(w, r, "/plans/"+d.Plan.ID.String(), fmt.Sprintf("已为 %d 项任务指定承办单位", len(items)))
}

// planRemind sends a reminder to the lead units of every overdue task (or
// of the tasks chosen), escalating when asked.
func (s *Server) planRemind(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.ledger(r)
	if err != nil {
		return err
	}
	chosen, err := idList(r, "items")
	if err != nil {
		return err
	}
	if err := s.inPlan(ctx, d.Plan, chosen); err != nil {
		return err
	}
	escalate := r.PostFormValue("escalate") == "1"
	msg := strings.TrimSpace(r.PostFormValue("message"))
	var rs []*plan.Reminder
	for _, row := range d.Rows {
		if !row.IsTask || (len(chosen) == 0 && row.Signal != plan.Red) || (len(chosen) > 0 && !hasID(chosen, row.ID)) {
			continue
		}
		for _, u := range row.LeadUnits {
			rs = append(rs, &plan.Reminder{ItemID: row.ID, OrgID: u, Escalated: escalate, Message: msg})
		}
	}
	if len(rs) == 0 {
		return s.redirect(w, r, "/plans/"+d.Plan.ID.String(), "没有需要提醒的逾期任务（或逾期任务还没有牵头单位）")
	}
	if err := s.db.CreateReminders(ctx, rs); err != nil {
		return err
	}
	return s.redirect(w, r, "/plans/"+d.Plan.ID.String(), fmt.Sprintf("已发送 %d 条督办提醒", len(rs)))
}

// planExport writes the ledger in the usual 台账 columns.
func (s *Server) planExport(w http.ResponseWriter, r *http.Request) error {
	d, err := s.ledger(r)
	if err != nil {
		return err
	}
	xw, err := xlsx.NewWriter(app.Shanghai)
	if err != nil {
		return err
	}
	defer xw.Close()
	if err := xw.AddSheet("台账", []string{"一级标题", "二级标题", "序号", "主要任务", "牵头单位", "配合单位", "完成时限", "进展情况", "状态", "督办"}); err != nil {
		return err
	}
	titles := map[app.ID]*plan.Item{}
	for _, row := range d.Rows {
		titles[row.ID] = row.Item
	}
	for _, row := range d.Rows {
		if !row.IsTask {
			continue
		}
		var chain []string // section titles from the top down
		for p := titles[row.ParentID]; p != nil; p = titles[p.ParentID] {
			chain = append([]string{labelled(p)}, chain...)
		}
		first, second := "", ""
		if len(chain) > 0 {
			first = chain[0]
		}
		if len(chain) > 1 {
			second = strings.Join(chain[1:], " / ")
		}
		progress := row.Status.Label()
		if row.Percent > 0 && row.Status != plan.Done {
			progress += " " + strconv.Itoa(row.Percent) + "%"
		}
		if err := xw.WriteRow(first, second, row.Label, row.Title, row.Leads, row.Cos, row.DeadlineText, progress, row.Status.Label(), row.Signal.Label()); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", attachment(fmt.Sprintf("%d台账.xlsx", d.Plan.Year)))
	return xw.Finish(w)
}

func labelled(it *plan.Item) string {
	if it.Label == "" {
		return it.Title
	}
	return it.Label + "、" + it.Title
}

type taskData struct {
	Plan      *plan.Plan
	Task      *plan.Item
	Signal    plan.Signal
	Leads     string
	Cos       string
	Reports   []*plan.Report
	Reminders []*plan.Reminder
	Names     map[app.ID]string
	CanReport bool
	CanReview bool
	Statuses  []plan.Status
	Draft     *plan.Report
}

func (s *Server) taskData(r *http.Request) (*taskData, error) {
	ctx := r.Context()
	id, _ := app.ParseID("id", r.PathValue("id"))
	it, err := s.db.FindItemByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.db.FindPlanByID(ctx, it.PlanID)
	if err != nil {
		return nil, err
	}
	region, err := s.db.FindOrgByID(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	orgs, _, err := s.db.FindOrgs(ctx, org.Filter{UnderPath: &region.Path})
	if err != nil {
		return nil, err
	}
	names := map[app.ID]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	d := &taskData{Plan: p, Task: it, Signal: it.SignalAt(s.clock.Now(), s.settings(r).Warning()), Names: names, Statuses: plan.Statuses,
		Leads: unitNames(it.LeadUnits, names), Cos: unitNames(it.CoUnits, names), Draft: &plan.Report{Status: it.Status, Percent: it.Percent}}
	if d.Reports, err = s.db.FindReports(ctx, it.ID); err != nil {
		return nil, err
	}
	if d.Reminders, err = s.db.FindReminders(ctx, it.ID); err != nil {
		return nil, err
	}
	a := app.ActorFrom(ctx)
	t := authz.AtOrg(region.Path)
	d.CanReview = authz.Can(a, authz.PlanManage, t)
	d.CanReport = it.IsTask && authz.Can(a, authz.TaskReport, t) && (hasID(it.LeadUnits, a.OrgID) || hasID(it.CoUnits, a.OrgID))
	return d, nil
}

func (s *Server) taskShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.taskData(r)
	if err != nil {
		return err
	}
	v := s.newView(r, d.Task.Title, d)
	v.Active = "plans"
	return s.render(w, r, http.StatusOK, "task", v)
}

func (s *Server) taskReport(w http.ResponseWriter, r *http.Request) error {
	// The form is multipart when files are attached; the body limit of the
	// upload paths has already bounded it.
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return app.Errorf(app.ETOOLARGE, "附件合计超过 %s 上限", humanSize(s.opts.MaxUploadBytes))
		}
		return app.Invalid("files", "无法读取上传的附件")
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	d, err := s.taskData(r)
	if err != nil {
		return err
	}
	a := app.ActorFrom(r.Context())
	rep := &plan.Report{ItemID: d.Task.ID, OrgID: a.OrgID, Author: a.UserID, Text: r.FormValue("text"), Reason: r.FormValue("reason")}
	d.Draft = rep
	if err := checkFormUTF8(r); err != nil {
		return err
	}
	st, err := plan.ParseStatus(r.FormValue("status"))
	rep.Status = st
	if err == nil {
		if v := strings.TrimSpace(r.FormValue("percent")); v != "" {
			if rep.Percent, err = strconv.Atoi(v); err != nil {
				err = app.Invalid("percent", "完成百分比应为 0 到 100 之间的整数")
			}
		}
	}
	if err == nil {
		rep.Files, err = s.reportFiles(r)
	}
	if err == nil {
		err = s.db.CreateReport(r.Context(), rep)
	}
	if err != nil {
		return s.renderForm(w, r, "task", d.Task.Title, d, err)
	}
	return s.redirect(w, r, "/tasks/"+d.Task.ID.String(), "进展已报送，等待普法办审核")
}

// reportFiles stores the evidence attached to a report: photos, PDFs and
// Office documents only, each checked by its content, sealed in the blob
// store.
func (s *Server) reportFiles(r *http.Request) ([]plan.File, error) {
	return s.uploadedFiles(r, "files", "report_file", plan.MaxFiles, "请上传照片（JPG/PNG）、PDF、Word 或 Excel 文件",
		upload.PNG, upload.JPEG, upload.PDF, upload.DOCX, upload.XLSX)
}

// uploadedFiles keeps the files posted in field (at most max, of the kinds
// allowed, which hint names for the user) as sealed blobs for purpose. Each is read within the upload
// limit, sniffed, and for .docx/.xlsx checked against zip bombs before it
// is kept.
func (s *Server) uploadedFiles(r *http.Request, field, purpose string, max int, hint string, allowed ...upload.Kind) ([]plan.File, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	headers := r.MultipartForm.File[field]
	if len(headers) > max {
		return nil, app.Invalid(field, "每次最多上传 %d 个文件", max)
	}
	var out []plan.File
	for _, h := range headers {
		f, err := h.Open()
		if err != nil {
			return nil, app.Invalid(field, "无法读取文件“%s”", h.Filename)
		}
		data, err := upload.ReadLimited(f, s.opts.MaxUploadBytes)
		f.Close()
		if err != nil {
			return nil, err
		}
		if len(data) == 0 {
			continue // an empty file input
		}
		kind, err := upload.Sniff(h.Filename, data)
		if err != nil {
			return nil, app.Invalid(field, "文件“%s”：%s", h.Filename, app.ErrorMessage(err))
		}
		if !slices.Contains(allowed, kind) {
			return nil, app.Invalid(field, "文件“%s”的格式不支持，%s", h.Filename, hint)
		}
		if kind == upload.DOCX || kind == upload.XLSX {
			if err := upload.CheckZip(data, upload.DefaultDocument()); err != nil {
				return nil, app.Invalid(field, "文件“%s”：%s", h.Filename, app.ErrorMessage(err))
			}
		}
		key, err := s.putBlob(r.Context(), data, h.Filename, purpose, kind.ContentType())
		if err != nil {
			return nil, err
		}
		out = append(out, plan.File{Key: key, Name: h.Filename, Size: int64(len(data)), ContentType: kind.ContentType()})
	}
	return out, nil
}

// reportFile downloads one attachment of a report.
func (s *Server) reportFile(w http.ResponseWriter, r *http.Request) error {
	id, _ := app.ParseID("id", r.PathValue("id"))
	rep, err := s.db.FindReportByID(r.Context(), id)
	if err != nil {
		return err
	}
	reports, err := s.db.FindReports(r.Context(), rep.ItemID)
	if err != nil {
		return err
	}
	for _, x := range reports {
		if x.ID == id {
			return s.serveFile(w, r, x.Files, r.PathValue("n"), false)
		}
	}
	return app.Errorf(app.ENOTFOUND, "附件不存在")
}

func (s *Server) reportReview(w http.ResponseWriter, r *http.Request) error {
	id, _ := app.ParseID("id", r.PathValue("id"))
	rep, err := s.db.FindReportByID(r.Context(), id)
	if err != nil {
		return err
	}
	state := plan.ReviewState(r.PostFormValue("review"))
	if err := s.db.ReviewReport(r.Context(), id, state, r.PostFormValue("comment")); err != nil {
		r2 := r.Clone(r.Context())
		r2.SetPathValue("id", rep.ItemID.String())
		d, derr := s.taskData(r2)
		if derr != nil {
			return derr
		}
		return s.renderForm(w, r, "task", d.Task.Title, d, err)
	}
	msg := "已采纳该进展报告"
	if state == plan.Returned {
		msg = "已退回，单位联络员会在工作台看到退回原因"
	}
	return s.redirect(w, r, "/tasks/"+rep.ItemID.String(), msg)
}

// unitTasks lists the tasks of the actor's unit for its workbench.
func (s *Server) unitTasks(ctx context.Context, a *app.Actor) ([]ledgerRow, error) {
	if !a.HasRole(account.RoleLiaison) {
		return nil, nil
	}
	items, err := s.db.FindUnitTasks(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	now, warning := s.clock.Now(), settings.Defaults().Warning()
	if st, err := s.db.LoadSettings(ctx); err == nil {
		warning = st.Warning()
	}
	rows := make([]ledgerRow, len(items))
	for i, it := range items {
		rows[i] = newLedgerRow(it, now, warning)
	}
	return rows, nil
}

// dateField reads a yyyy-mm-dd date input as the end of that day in
// Shanghai; empty is no deadline.
func dateField(r *http.Request, name string) (time.Time, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", v, app.Shanghai)
	if err != nil {
		return time.Time{}, app.Invalid(name, "日期“%s”格式应为 2024-05-01", v)
	}
	return t.Add(24*time.Hour - time.Second).UTC(), nil
}

// taskUpdate is the office editing a task's title, deadline, outputs and
// weight.
func (s *Server) taskUpdate(w http.ResponseWriter, r *http.Request) error {
	id, _ := app.ParseID("id", r.PathValue("id"))
	title, text, outputs := r.PostFormValue("title"), r.PostFormValue("text"), r.PostFormValue("outputs")
	u := plan.ItemUpdate{Title: &title, Text: &text, Outputs: &outputs}
	deadline, err := dateField(r, "deadline")
	if err == nil {
		u.Deadline = &deadline
		dt := ""
		if !deadline.IsZero() {
			dt = deadline.In(app.Shanghai).Format("2006年1月2日前")
		}
		u.DeadlineText = &dt
		if v := strings.TrimSpace(r.PostFormValue("weight")); v != "" {
			wt, perr := strconv.ParseFloat(v, 64)
			if perr != nil {
				err = app.Invalid("weight", "权重应为数字")
			}
			u.Weight = &wt
		}
	}
	if err == nil {
		_, err = s.db.UpdateItem(r.Context(), id, u)
	}
	if err != nil {
		d, derr := s.taskData(r)
		if derr != nil {
			return derr
		}
		return s.renderForm(w, r, "task", d.Task.Title, d, err)
	}
	return s.redirect(w, r, "/tasks/"+id.String(), "任务已保存")
}

// planAddTask adds a task by hand to a section of the plan.
func (s *Server) planAddTask(w http.ResponseWriter, r *http.Request) error {
	d, err := s.ledger(r)
	if err != nil {
		return err
	}
	var section app.ID
	if v := r.PostFormValue("section"); v != "" {
		if section, err = app.ParseID("section", v); err != nil {
			return err
		}
	}
	it := &plan.Item{Label: strings.TrimSpace(r.PostFormValue("label")), Title: r.PostFormValue("title")}
	if it.Deadline, err = dateField(r, "deadline"); err != nil {
		return err
	}
	if !it.Deadline.IsZero() {
		it.DeadlineText = it.Deadline.In(app.Shanghai).Format("2006年1月2日前")
	}
	if err := s.db.AddTask(r.Context(), d.Plan.ID, section, it); err != nil {
		return err
	}
	return s.redirect(w, r, "/tasks/"+it.ID.String(), "已添加任务，请指定承办单位")
}
