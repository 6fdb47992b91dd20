package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/duty"
	"pufa/internal/org"
	"pufa/internal/plan"
	"pufa/internal/upload"
	"pufa/internal/xlsx"
)

// dutyYear reads {year} from the path, or this year.
func (s *Server) dutyYear(r *http.Request) (int, error) {
	v := r.PathValue("year")
	if v == "" {
		v = r.URL.Query().Get("year")
	}
	if v == "" {
		return s.clock.Now().In(app.Shanghai).Year(), nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, app.Invalid("year", "年度应为四位数字")
	}
	return y, nil
}

// dutyListTarget targets the unit of duty list {id}.
func dutyListTarget(s *Server, r *http.Request) (authz.Target, error) {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return authz.Target{}, err
	}
	l, err := s.db.FindDutyListByID(r.Context(), id)
	if err != nil {
		return authz.Target{}, err
	}
	return s.orgTarget(r, l.OrgID.String(), false)
}

type dutyIndexData struct {
	Year  int
	Lists []*duty.List
	// Missing are the units with no list yet.
	Missing []string
}

// dutyIndex sends a unit to its own list; the office sees every unit's
// list for the year.
func (s *Server) dutyIndex(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	year, err := s.dutyYear(r)
	if err != nil {
		return err
	}
	if !authz.Can(a, authz.DutyReview, authz.AtOrg(a.OrgPath)) {
		if authz.Can(a, authz.DutyEdit, authz.AtOrg(a.OrgPath)) {
			http.Redirect(w, r, fmt.Sprintf("/duty/%d", year), http.StatusSeeOther)
			return nil
		}
		return authz.Forbidden()
	}
	lists, err := s.db.FindDutyLists(ctx, a.OrgPath, year, false)
	if err != nil {
		return err
	}
	d := dutyIndexData{Year: year, Lists: lists}
	have := map[app.ID]bool{}
	for _, l := range lists {
		have[l.OrgID] = true
	}
	units, err := s.unitsOf(ctx, a.OrgPath)
	if err != nil {
		return err
	}
	for _, u := range units {
		if !have[u.ID] {
			d.Missing = append(d.Missing, u.Name)
		}
	}
	v := s.newView(r, fmt.Sprintf("%d年度普法责任清单", year), d)
	v.Active = "duty"
	return s.render(w, r, http.StatusOK, "duty_index", v)
}

// dutyRow is one item as the editor shows and reads it.
type dutyRow struct {
	Laws, Audience, Measures, Forms, Timing, Office, Person, Phone, Standard string
	Tasks                                                                    []app.ID
}

func rowOf(it duty.Item) dutyRow {
	return dutyRow{Laws: strings.Join(it.Laws, "、"), Audience: strings.Join(it.Audience, "、"), Measures: it.Measures,
		Forms: strings.Join(it.Forms, "、"), Timing: it.Timing, Office: it.Office, Person: it.Person, Phone: it.Phone, Standard: it.Standard, Tasks: it.TaskIDs}
}

type dutyEditData struct {
	Year      int
	List      *duty.List
	Rows      []dutyRow
	Tasks     []*plan.Item
	Audiences []string
	Forms     []string
	HasLast   bool
}

func (s *Server) dutyEditData(r *http.Request, year int, l *duty.List, rows []dutyRow) (*dutyEditData, error) {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	tasks, err := s.db.FindUnitTasks(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	d := &dutyEditData{Year: year, List: l, Rows: rows, Tasks: tasks, Audiences: duty.Audiences, Forms: duty.Forms}
	if _, err := s.db.FindDutyList(ctx, a.OrgID, year-1); err == nil {
		d.HasLast = true
	}
	if l.Status.Editable() {
		for len(d.Rows) < len(l.Items)+2 || len(d.Rows) < 3 {
			d.Rows = append(d.Rows, dutyRow{})
		}
	}
	return d, nil
}

// dutyEdit is a unit's own list for a year: the editor while it is a
// draft or returned, read-only once submitted.
func (s *Server) dutyEdit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	year, err := s.dutyYear(r)
	if err != nil {
		return err
	}
	l, err := s.db.FindDutyList(ctx, a.OrgID, year)
	if app.ErrorCode(err) == app.ENOTFOUND {
		l, err = &duty.List{OrgID: a.OrgID, Year: year}, nil
	}
	if err != nil {
		return err
	}
	var rows []dutyRow
	for _, it := range l.Items {
		rows = append(rows, rowOf(it))
	}
	d, err := s.dutyEditData(r, year, l, rows)
	if err != nil {
		return err
	}
	v := s.newView(r, fmt.Sprintf("%d年度普法责任清单", year), d)
	v.Active = "duty"
	return s.render(w, r, http.StatusOK, "duty_edit", v)
}

// readDutyRows reads the editor's rows; a row with no law and no measures
// is left out.
func readDutyRows(r *http.Request, tasks []*plan.Item) ([]dutyRow, []duty.Item, error) {
	f := r.PostForm
	get := func(key string, i int) string {
		if vs := f[key]; i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	own := map[app.ID]bool{}
	for _, t := range tasks {
		own[t.ID] = true
	}
	var rows []dutyRow
	var items []duty.Item
	for i := range f["laws_"] {
		row := dutyRow{Laws: get("laws_", i), Audience: get("audience_", i), Measures: get("measures_", i), Forms: get("forms_", i),
			Timing: get("timing_", i), Office: get("office_", i), Person: get("person_", i), Phone: get("phone_", i), Standard: get("standard_", i)}
		ids, err := idList(r, "tasks_"+strconv.Itoa(i))
		if err != nil {
			return nil, nil, err
		}
		for _, id := range ids {
			if !own[id] {
				return nil, nil, app.Invalid("items", "只能关联本单位承担的工作任务")
			}
		}
		row.Tasks = ids
		if row.Laws == "" && row.Measures == "" {
			continue
		}
		rows = append(rows, row)
		items = append(items, duty.Item{Laws: duty.SplitList(row.Laws), Audience: duty.SplitList(row.Audience), Measures: row.Measures,
			Forms: duty.SplitList(row.Forms), Timing: row.Timing, Office: row.Office, Person: row.Person, Phone: row.Phone, Standard: row.Standard, TaskIDs: ids})
	}
	return rows, items, nil
}

// dutySave saves the unit's list as a draft, or submits it.
func (s *Server) dutySave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	year, err := s.dutyYear(r)
	if err != nil {
		return err
	}
	tasks, err := s.db.FindUnitTasks(ctx, a.OrgID)
	if err != nil {
		return err
	}
	rows, items, err := readDutyRows(r, tasks)
	l := &duty.List{OrgID: a.OrgID, Year: year, Items: items}
	if err == nil {
		err = s.db.SaveDutyList(ctx, l)
	}
	submit := r.PostFormValue("action") == "submit"
	if err == nil && submit {
		err = s.db.SubmitDutyList(ctx, l.ID)
	}
	if err != nil {
		cur, ferr := s.db.FindDutyList(ctx, a.OrgID, year)
		if ferr != nil {
			cur = &duty.List{OrgID: a.OrgID, Year: year}
		}
		d, derr := s.dutyEditData(r, year, cur, rows)
		if derr != nil {
			return derr
		}
		return s.renderForm(w, r, "duty_edit", fmt.Sprintf("%d年度普法责任清单", year), d, err)
	}
	msg := "责任清单已保存"
	if submit {
		msg = "责任清单已提交普法办审核"
	}
	return s.redirect(w, r, fmt.Sprintf("/duty/%d", year), msg)
}

// dutyCopy starts this year's list from last year's items.
func (s *Server) dutyCopy(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	year, err := s.dutyYear(r)
	if err != nil {
		return err
	}
	last, err := s.db.FindDutyList(ctx, a.OrgID, year-1)
	if err != nil {
		return err
	}
	l := &duty.List{OrgID: a.OrgID, Year: year, Items: last.Items}
	for i := range l.Items {
		l.Items[i].TaskIDs = nil // last year's tasks are not this year's
	}
	if err := s.db.SaveDutyList(ctx, l); err != nil {
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("/duty/%d", year), fmt.Sprintf("已复制 %d 年度的 %d 项，请按今年的情况修改后提交", year-1, len(l.Items)))
}

type dutyShowData struct {
	List      *duty.List
	CanReview bool
	Public    bool
	Tasks     map[app.ID]string
}

// dutyShow shows a list to its unit and to the office, which approves or
// returns it.
func (s *Server) dutyShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	l, err := s.db.FindDutyListByID(ctx, id)
	if err != nil {
		return err
	}
	d := dutyShowData{List: l, CanReview: s.canAt(r, authz.DutyReview, l.OrgID), Tasks: map[app.ID]string{}}
	for _, it := range l.Items {
		for _, tid := range it.TaskIDs {
			if task, err := s.db.FindItemByID(ctx, tid); err == nil {
				d.Tasks[tid] = task.Title
			}
		}
	}
	v := s.newView(r, l.OrgName+fmt.Sprintf("%d年度普法责任清单", l.Year), d)
	v.Active = "duty"
	return s.render(w, r, http.StatusOK, "duty_show", v)
}

func (s *Server) dutyReview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	approve := r.PostFormValue("decision") == "approve"
	if err := s.db.ReviewDutyList(ctx, id, approve, r.PostFormValue("reason")); err != nil {
		return err
	}
	msg := "已审核通过，清单已在公众页面公示"
	if !approve {
		msg = "已退回，单位会看到退回理由"
	}
	return s.redirect(w, r, "/duty/lists/"+id.String(), msg)
}

type coverageData struct {
	Plan    *plan.Plan
	Plans   []*plan.Plan
	Rows    []coverageRow
	Missing int
}

type coverageRow struct {
	Task  *plan.Item
	Items int
}

// dutyCoverage shows which tasks of a plan no unit's duty list serves.
func (s *Server) dutyCoverage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	plans, err := s.db.FindPlans(ctx, a.OrgPath)
	if err != nil {
		return err
	}
	d := coverageData{Plans: plans}
	if len(plans) == 0 {
		return s.render(w, r, http.StatusOK, "duty_coverage", s.newView(r, "责任清单覆盖情况", d))
	}
	d.Plan = plans[0]
	if v := r.URL.Query().Get("plan"); v != "" {
		for _, p := range plans {
			if p.ID.String() == v {
				d.Plan = p
			}
		}
	}
	items, err := s.db.FindItems(ctx, d.Plan.ID)
	if err != nil {
		return err
	}
	cov, err := s.db.TaskCoverage(ctx, d.Plan.ID)
	if err != nil {
		return err
	}
	for _, it := range items {
		if !it.IsTask {
			continue
		}
		d.Rows = append(d.Rows, coverageRow{Task: it, Items: cov[it.ID]})
		if cov[it.ID] == 0 {
			d.Missing++
		}
	}
	v := s.newView(r, "责任清单覆盖情况", d)
	v.Active = "duty"
	return s.render(w, r, http.StatusOK, "duty_coverage", v)
}

type publicDutyData struct {
	Year  int
	Lists []*duty.List
	Query string
	Found []duty.Found
}

// publicDuty is the public page of approved lists (责任清单公示): by unit,
// and searchable by law. Phones are never shown.
func (s *Server) publicDuty(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	year, err := s.dutyYear(r)
	if err != nil {
		return err
	}
	root, err := s.db.FindRootOrg(ctx)
	if err != nil {
		return err
	}
	d := publicDutyData{Year: year, Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if d.Lists, err = s.db.FindDutyLists(ctx, root.Path, year, true); err != nil {
		return err
	}
	if d.Query != "" {
		if d.Found, err = s.db.SearchDutyItems(ctx, root.Path, year, d.Query); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "duty_public", s.newView(r, fmt.Sprintf("%d年度普法责任清单公示", year), d))
}

func (s *Server) publicDutyList(w http.ResponseWriter, r *http.Request) error {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	l, err := s.db.FindDutyListByID(r.Context(), id)
	if err != nil {
		return err
	}
	if l.Status != duty.Approved {
		return app.Errorf(app.ENOTFOUND, "责任清单不存在或尚未公示")
	}
	return s.render(w, r, http.StatusOK, "duty_public_list", s.newView(r, l.OrgName+"普法责任清单", dutyShowData{List: l, Public: true}))
}

// unitsOf lists the active units (单位) in a subtree: the orgs that keep
// duty lists.
func (s *Server) unitsOf(ctx context.Context, path string) ([]*org.Org, error) {
	kind := org.KindUnit
	units, _, err := s.db.FindOrgs(ctx, org.Filter{UnderPath: &path, Kind: &kind, Active: ptr(true), Limit: 2000})
	return units, err
}

// dutyColumns are the duty list's spreadsheet columns, in template order.
var dutyColumns = []string{"法律法规", "普法对象", "普法措施", "形式", "时间安排", "责任科室", "责任人", "电话", "完成标准"}

// dutyTemplate is the .xlsx a unit may fill its list in.
func (s *Server) dutyTemplate(w http.ResponseWriter, r *http.Request) error {
	xw, err := xlsx.NewWriter(app.Shanghai)
	if err != nil {
		return err
	}
	defer xw.Close()
	if err := xw.AddSheet("责任清单", dutyColumns); err != nil {
		return err
	}
	if err := xw.WriteRow("中华人民共和国宪法、中华人民共和国民法典", "本系统工作人员、服务对象", "宪法宣传周集中宣传，窗口发放宣传资料", "讲座、窗口宣传", "12月4日前后", "法制科", "张三", "", "开展集中宣传不少于2次"); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", attachment("普法责任清单模板.xlsx"))
	return xw.Finish(w)
}

// dutyImport reads a filled template into the editor for review; nothing
// is saved until the unit saves.
func (s *Server) dutyImport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	year, err := s.dutyYear(r)
	if err != nil {
		return err
	}
	if err := s.parseUpload(r); err != nil {
		return err
	}
	data, name, ok, err := s.fileOrText(r, "")
	if err != nil {
		return err
	}
	if !ok {
		return app.Invalid("file", "请选择填好的责任清单 Excel 文件")
	}
	if kind, err := upload.Sniff(name, data); err != nil {
		return err
	} else if kind != upload.XLSX {
		return app.Invalid("file", "请上传 .xlsx 文件（可先下载模板）")
	}
	sheet, err := xlsx.ReadSheet(data, upload.DefaultSpreadsheet(), duty.MaxItems)
	if err != nil {
		return err
	}
	if sheet.Index("法律法规") < 0 || sheet.Index("普法措施") < 0 {
		return app.Invalid("file", "表格中没有“法律法规”和“普法措施”列，请使用模板")
	}
	var rows []dutyRow
	for i := range sheet.Len() {
		cells, _ := sheet.Row(i)
		row := dutyRow{Laws: sheet.Col(cells, "法律法规"), Audience: sheet.Col(cells, "普法对象"), Measures: sheet.Col(cells, "普法措施"),
			Forms: sheet.Col(cells, "形式"), Timing: sheet.Col(cells, "时间安排"), Office: sheet.Col(cells, "责任科室"),
			Person: sheet.Col(cells, "责任人"), Phone: sheet.Col(cells, "电话"), Standard: sheet.Col(cells, "完成标准")}
		if row.Laws != "" || row.Measures != "" {
			rows = append(rows, row)
		}
	}
	cur, err := s.db.FindDutyList(ctx, a.OrgID, year)
	if app.ErrorCode(err) == app.ENOTFOUND {
		cur, err = &duty.List{OrgID: a.OrgID, Year: year}, nil
	}
	if err != nil {
		return err
	}
	if !cur.Status.Editable() {
		return app.Errorf(app.ECONFLICT, "责任清单已提交或已审核，不能再导入")
	}
	d, err := s.dutyEditData(r, year, cur, rows)
	if err != nil {
		return err
	}
	v := s.newView(r, fmt.Sprintf("%d年度普法责任清单", year), d)
	v.Flash = fmt.Sprintf("已从表格读入 %d 项，请核对后保存", len(rows))
	v.Active = "duty"
	return s.render(w, r, http.StatusOK, "duty_edit", v)
}
