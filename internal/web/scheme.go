package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/assess/schemefile"
	"pufa/internal/authz"
	"pufa/internal/outline"
	"pufa/internal/upload"
)

// schemeTarget targets the region that owns scheme {id}.
func schemeTarget(s *Server, r *http.Request) (authz.Target, error) {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return authz.Target{}, err
	}
	sc, err := s.schemeOnce(r, id)
	if err != nil {
		return authz.Target{}, err
	}
	return s.orgTarget(r, sc.OrgID.String(), false)
}

func (s *Server) loadScheme(r *http.Request) (*assess.StoredScheme, error) {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.schemeOnce(r, id)
}

type schemeListItem struct {
	*assess.StoredScheme
	Indicators int
	Leaves     int
}

func countIndicators(sc *assess.Scheme) (all, leaves int) {
	sc.Walk(func(ind, _ *assess.Indicator, _ int) {
		all++
		if len(ind.Children) == 0 {
			leaves++
		}
	})
	return all, leaves
}

func (s *Server) schemeList(w http.ResponseWriter, r *http.Request) error {
	a := app.ActorFrom(r.Context())
	list, err := s.db.FindSchemes(r.Context(), a.OrgPath)
	if err != nil {
		return err
	}
	items := make([]schemeListItem, len(list))
	for i, sc := range list {
		items[i].StoredScheme = sc
		items[i].Indicators, items[i].Leaves = countIndicators(sc.Scheme)
	}
	v := s.newView(r, "考评指标体系", items)
	v.Active = "rounds"
	return s.render(w, r, http.StatusOK, "schemes", v)
}

// schemeRow is one indicator on the scheme page.
type schemeRow struct {
	Ind   *assess.Indicator
	Depth int
	Rule  string
}

type schemeData struct {
	Stored *assess.StoredScheme
	Rows   []schemeRow
	Leaves int
}

func (s *Server) schemeShow(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.loadScheme(r)
	if err != nil {
		return err
	}
	d := schemeData{Stored: sc}
	sc.Scheme.Walk(func(ind, _ *assess.Indicator, depth int) {
		row := schemeRow{Ind: ind, Depth: depth}
		if ind.Rule != nil {
			row.Rule = ind.Rule.Describe(ind.Max)
			d.Leaves++
		}
		d.Rows = append(d.Rows, row)
	})
	v := s.newView(r, sc.Scheme.Name, d)
	v.Active = "rounds"
	return s.render(w, r, http.StatusOK, "scheme", v)
}

// editorRow is one row of the scheme editor, as typed.
type editorRow struct {
	Order, Level, Code, Name, Max, Weight, Rule, Params, Guidance string
	Evidence                                                      bool
}

type editorData struct {
	Action   string
	Name     string
	Full     string
	BonusCap string
	VetoZero bool
	Rows     []editorRow
	Kinds    []string
	Warnings []schemefile.Warning
	Problems []string
	Family   app.ID
	Source   string
}

func fmtNum(x float64) string {
	if x == 0 {
		return ""
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// newEditor lays rows out for the editor, with blank rows to add to.
func newEditor(action string, m schemefile.Meta, rows []schemefile.Row) *editorData {
	d := &editorData{Action: action, Name: m.Name, Full: fmtNum(m.FullMarks), BonusCap: fmtNum(m.BonusCap), VetoZero: m.VetoZero, Kinds: schemefile.RuleKinds()}
	for i, row := range rows {
		d.Rows = append(d.Rows, editorRow{Order: strconv.Itoa((i + 1) * 10), Level: strconv.Itoa(row.Level), Code: row.Code, Name: row.Name,
			Max: fmtNum(row.Max), Weight: fmtNum(row.Weight), Rule: row.Rule, Params: row.Params, Guidance: row.Guidance, Evidence: row.Evidence})
	}
	d.addBlank(5)
	return d
}

func (d *editorData) addBlank(n int) {
	next := (len(d.Rows) + 1) * 10
	for i := range n {
		level := "2"
		if len(d.Rows) == 0 {
			level = "1" // a scheme starts with a top-level indicator
		}
		d.Rows = append(d.Rows, editorRow{Order: strconv.Itoa(next + i*10), Level: level})
	}
}

// readEditor reads the editor form: rows in the order their order numbers
// give, rows without a name dropped.
func readEditor(r *http.Request, action string) (*editorData, schemefile.Meta, []schemefile.Row, error) {
	d := &editorData{Action: action, Name: strings.TrimSpace(r.PostFormValue("name")), Full: r.PostFormValue("full_marks"),
		BonusCap: r.PostFormValue("bonus_cap"), VetoZero: r.PostFormValue("veto_zero") == "1", Kinds: schemefile.RuleKinds()}
	f := r.PostForm
	n := len(f["name_"])
	if n > schemefile.MaxRows {
		return d, schemefile.Meta{}, nil, app.Invalid("rows", "指标不能超过 %d 行", schemefile.MaxRows)
	}
	get := func(key string, i int) string {
		if vs := f[key]; i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	for i := range n {
		d.Rows = append(d.Rows, editorRow{Order: get("order_", i), Level: get("level_", i), Code: get("code_", i), Name: get("name_", i),
			Max: get("max_", i), Weight: get("weight_", i), Rule: get("rule_", i), Params: get("params_", i), Guidance: get("guidance_", i),
			Evidence: get("evidence_", i) == "1"})
	}
	order := func(row editorRow) float64 {
		x, err := strconv.ParseFloat(row.Order, 64)
		if err != nil {
			return 1e12
		}
		return x
	}
	slices.SortStableFunc(d.Rows, func(a, b editorRow) int {
		switch oa, ob := order(a), order(b); {
		case oa < ob:
			return -1
		case oa > ob:
			return 1
		}
		return 0
	})
	kept := d.Rows[:0]
	for _, row := range d.Rows {
		if row.Name != "" || row.Code != "" {
			kept = append(kept, row)
		}
	}
	d.Rows = kept
	for i := range d.Rows {
		d.Rows[i].Order = strconv.Itoa((i + 1) * 10)
	}
	m := schemefile.Meta{Name: d.Name}
	var err error
	if m.FullMarks, err = parsePoints("full_marks", "满分", d.Full); err != nil {
		return d, m, nil, err
	}
	if m.BonusCap, err = parsePoints("bonus_cap", "附加分总上限", d.BonusCap); err != nil {
		return d, m, nil, err
	}
	m.VetoZero = d.VetoZero
	var rows []schemefile.Row
	for i, er := range d.Rows {
		row := schemefile.Row{Code: er.Code, Name: er.Name, Rule: er.Rule, Params: er.Params, Guidance: er.Guidance, Evidence: er.Evidence, Line: i + 1}
		if row.Level, err = strconv.Atoi(er.Level); err != nil || row.Level < 1 || row.Level > assess.MaxDepth {
			return d, m, nil, app.Invalid("rows", "第%d行：层级应为 1 到 %d", i+1, assess.MaxDepth)
		}
		if row.Max, err = parsePoints("rows", fmt.Sprintf("第%d行的分值", i+1), er.Max); err != nil {
			return d, m, nil, err
		}
		if row.Weight, err = parsePoints("rows", fmt.Sprintf("第%d行的权重", i+1), er.Weight); err != nil {
			return d, m, nil, err
		}
		rows = append(rows, row)
	}
	if m.Name == "" {
		return d, m, nil, app.Invalid("name", "请填写指标体系名称")
	}
	if len(rows) == 0 {
		return d, m, nil, app.Invalid("rows", "请至少填写一个指标")
	}
	return d, m, rows, nil
}

// buildFromEditor reads the editor and builds the scheme; all problems are
// listed on the page, each naming its row.
func (s *Server) buildFromEditor(r *http.Request, action string) (*editorData, *assess.Scheme, error) {
	d, m, rows, err := readEditor(r, action)
	if err != nil {
		return d, nil, err
	}
	sc, errs := schemefile.Build(m, rows)
	if len(errs) > 0 {
		for _, e := range errs {
			d.Problems = append(d.Problems, app.ErrorMessage(e))
		}
		return d, nil, app.Invalid("rows", "指标体系有 %d 处问题，请按提示修改", len(errs))
	}
	if err := sc.Validate(); err != nil {
		return d, nil, err
	}
	return d, sc, nil
}

func (s *Server) renderEditor(w http.ResponseWriter, r *http.Request, d *editorData, err error) error {
	title := "编辑指标体系"
	if err == nil {
		v := s.newView(r, title, d)
		v.Active = "rounds"
		return s.render(w, r, http.StatusOK, "scheme_edit", v)
	}
	d.addBlank(2) // room to add a missing row while fixing the others
	if len(d.Problems) > 0 {
		// The rows' problems are listed above the table, each naming its
		// row; a second summary would only repeat their count.
		v := s.newView(r, title, d)
		v.Active = "rounds"
		return s.render(w, r, http.StatusBadRequest, "scheme_edit", v)
	}
	return s.renderForm(w, r, "scheme_edit", title, d, err)
}

type schemeNewData struct {
	MaxSize string
}

func (s *Server) schemeNew(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Get("blank") == "1" {
		d := newEditor("/schemes", schemefile.Meta{Name: "", FullMarks: 100}, nil)
		return s.renderEditor(w, r, d, nil)
	}
	v := s.newView(r, "新建指标体系", schemeNewData{MaxSize: humanSize(s.opts.MaxUploadBytes)})
	v.Active = "rounds"
	return s.render(w, r, http.StatusOK, "scheme_new", v)
}

func (s *Server) schemeTemplate(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", attachment("考评指标体系模板.xlsx"))
	return schemefile.WriteXLSX(w, schemefile.Meta{Name: "考评指标体系", FullMarks: 100}, nil)
}

// schemeImport reads an .xlsx template or a rubric document into the
// editor for review; nothing is saved until the office saves.
func (s *Server) schemeImport(w http.ResponseWriter, r *http.Request) error {
	if err := s.parseUpload(r); err != nil {
		return err
	}
	data, name, ok, err := s.fileOrText(r, "粘贴的文本.txt")
	if err != nil {
		return err
	}
	if !ok {
		v := s.newView(r, "新建指标体系", schemeNewData{MaxSize: humanSize(s.opts.MaxUploadBytes)})
		v.Errors = []fieldError{{Field: "file", Message: "请选择 .xlsx、.docx 或 .txt 文件，或粘贴评分细则全文"}}
		v.Active = "rounds"
		return s.render(w, r, http.StatusBadRequest, "scheme_new", v)
	}
	kind, err := upload.Sniff(name, data)
	if err != nil {
		return err
	}
	var m schemefile.Meta
	var rows []schemefile.Row
	var warnings []schemefile.Warning
	switch kind {
	case upload.XLSX:
		if m, rows, warnings, err = schemefile.ReadXLSX(data, upload.DefaultSpreadsheet()); err != nil {
			return err
		}
	case upload.DOCX, upload.TXT:
		res, err := outline.Parse(data)
		if err != nil {
			return err
		}
		m, rows, warnings = schemefile.FromOutline(res)
	default:
		return app.Invalid("file", "请上传 .xlsx（指标模板）、.docx 或 .txt（评分细则）文件")
	}
	if len(rows) == 0 {
		return app.Invalid("file", "没有在文件中找到指标：请使用模板，或上传带编号和分值的评分细则")
	}
	if m.Name == "" {
		m.Name = strings.TrimSuffix(name, "."+string(kind))
	}
	d := newEditor("/schemes", m, rows)
	d.Warnings, d.Source = warnings, name
	return s.renderEditor(w, r, d, nil)
}

// schemeCreate saves a new scheme: from the built-in duty-review scheme,
// or from the editor.
func (s *Server) schemeCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	var sc *assess.Scheme
	if r.PostFormValue("template") == "duty" {
		sc = assess.DutyReviewScheme()
		sc.Name = fmt.Sprintf("%d年度%s", s.clock.Now().In(app.Shanghai).Year(), sc.Name)
	} else if r.PostFormValue("more") == "1" {
		d, _, _, _ := readEditor(r, "/schemes")
		d.addBlank(5)
		return s.renderEditor(w, r, d, nil)
	} else {
		d, built, err := s.buildFromEditor(r, "/schemes")
		if err != nil {
			return s.renderEditor(w, r, d, err)
		}
		sc = built
	}
	stored, err := s.db.CreateScheme(ctx, a.OrgID, 0, sc)
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/schemes/"+stored.ID.String(), "指标体系已保存为草稿，核对无误后请发布")
}

func (s *Server) schemeEdit(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.loadScheme(r)
	if err != nil {
		return err
	}
	if sc.Status != assess.Draft {
		return app.Errorf(app.ECONFLICT, "已发布的版本不能修改；请基于它新建一个版本")
	}
	return s.renderEditor(w, r, newEditor("/schemes/"+sc.ID.String(), schemefile.MetaOf(sc.Scheme), schemefile.Rows(sc.Scheme)), nil)
}

func (s *Server) schemeUpdate(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.loadScheme(r)
	if err != nil {
		return err
	}
	action := "/schemes/" + sc.ID.String()
	if r.PostFormValue("more") == "1" {
		d, _, _, _ := readEditor(r, action)
		d.addBlank(5)
		return s.renderEditor(w, r, d, nil)
	}
	d, built, err := s.buildFromEditor(r, action)
	if err == nil {
		err = s.db.UpdateScheme(r.Context(), sc.ID, built)
	}
	if err != nil {
		return s.renderEditor(w, r, d, err)
	}
	return s.redirect(w, r, action, "已保存")
}

func (s *Server) schemePublish(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.loadScheme(r)
	if err != nil {
		return err
	}
	if err := sc.Scheme.Validate(); err != nil {
		return err
	}
	if err := s.db.PublishScheme(r.Context(), sc.ID); err != nil {
		return err
	}
	return s.redirect(w, r, "/schemes/"+sc.ID.String(), "已发布：这个版本从此不能再改，可用于考评")
}

func (s *Server) schemeNewVersion(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.loadScheme(r)
	if err != nil {
		return err
	}
	next, err := s.db.CreateScheme(r.Context(), sc.OrgID, sc.FamilyID, sc.Scheme)
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/schemes/"+next.ID.String()+"/edit", fmt.Sprintf("已建立第 %d 版草稿", next.Scheme.Version))
}

func (s *Server) schemeExport(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.loadScheme(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", attachment(fmt.Sprintf("%s-第%d版.xlsx", sc.Scheme.Name, sc.Scheme.Version)))
	return schemefile.WriteXLSX(w, schemefile.MetaOf(sc.Scheme), sc.Scheme)
}
