package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/authz"
	"pufa/internal/duty"
	"pufa/internal/plan"
	"pufa/internal/upload"
)

// sheetTarget is the rater assigned to subject {subject} in stage {stage}
// of round {id}: the actor when the office assigned them, else nobody.
func sheetTarget(s *Server, r *http.Request) (authz.Target, error) {
	a := app.ActorFrom(r.Context())
	stageID, err := app.ParseID("stage", r.PathValue("stage"))
	if err != nil {
		return authz.Target{}, err
	}
	subjectID, err := app.ParseID("subject", r.PathValue("subject"))
	if err != nil {
		return authz.Target{}, err
	}
	if a == nil {
		return authz.Target{}, nil
	}
	ok, err := s.db.IsAssigned(r.Context(), stageID, a.UserID, subjectID)
	if err != nil || !ok {
		return authz.Target{}, err
	}
	return authz.Target{UserID: a.UserID}, nil
}

type sheetsData struct {
	Groups []sheetGroup
}

type sheetGroup struct {
	RoundTitle string
	Stage      string
	Tasks      []assess.RaterTask
	Left       int
}

// sheetList is a rater's inbox: what they are to score.
func (s *Server) sheetList(w http.ResponseWriter, r *http.Request) error {
	a := app.ActorFrom(r.Context())
	tasks, err := s.db.FindRaterTasks(r.Context(), a.UserID)
	if err != nil {
		return err
	}
	var d sheetsData
	for _, t := range tasks {
		label := t.StageKind.Label()
		if t.StageName != "" {
			label = t.StageName
		}
		if n := len(d.Groups); n == 0 || d.Groups[n-1].RoundTitle != t.RoundTitle || d.Groups[n-1].Stage != label {
			d.Groups = append(d.Groups, sheetGroup{RoundTitle: t.RoundTitle, Stage: label})
		}
		g := &d.Groups[len(d.Groups)-1]
		g.Tasks = append(g.Tasks, t)
		if t.Sheet != assess.SheetSubmitted {
			g.Left++
		}
	}
	v := s.newView(r, "我的评分", d)
	v.Active = "sheets"
	return s.render(w, r, http.StatusOK, "sheets", v)
}

// sheetRow is one indicator on the score sheet.
type sheetRow struct {
	Ind      *assess.Indicator
	Depth    int
	Leaf     bool
	Kind     assess.RuleKind
	Rule     string
	Value    string
	NA       bool
	Note     string
	Score    string
	Levels   []assess.Tier
	Step     string
	Cap      float64
	HasError bool
}

type sheetData struct {
	Round    *assess.Round
	Stage    *assess.RoundStage
	Subject  assess.Subject
	Scheme   *assess.Scheme
	Sheet    *assess.StoredSheet
	Rows     []sheetRow
	Editable bool
	Preview  *assess.Result
	Missing  int
	Path     string
	// Site is the subject's site-visit checklist: recorded on the site
	// stage's sheet, read by the other raters as evidence.
	Site         []assess.SiteCheck
	Photos       []plan.File
	SiteRecorded bool
	SiteEditable bool
	// Report is the subject's submitted duty report of the round's year,
	// which the panel scores from.
	Report   *duty.Report
	Headings []string
	// Self is the subject's own submitted self-assessment, which the
	// other raters see beside their sheet (weight 0: it informs, it does
	// not count).
	Self *assess.StoredSheet
}

func (s *Server) loadSheet(r *http.Request) (*sheetData, error) {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	id, _ := app.ParseID("id", r.PathValue("id"))
	stageID, _ := app.ParseID("stage", r.PathValue("stage"))
	subjectID, _ := app.ParseID("subject", r.PathValue("subject"))
	rd, err := s.db.FindRoundByID(ctx, id)
	if err != nil {
		return nil, err
	}
	st := rd.Stage(stageID)
	sub, ok := rd.Subject(subjectID)
	if st == nil || !ok {
		return nil, app.Errorf(app.ENOTFOUND, "评分表不存在")
	}
	sc, err := s.db.FindSchemeByID(ctx, rd.SchemeID)
	if err != nil {
		return nil, err
	}
	sh, err := s.db.FindSheet(ctx, st.ID, sub.OrgID, a.UserID)
	if app.ErrorCode(err) == app.ENOTFOUND {
		sh, err = &assess.StoredSheet{RoundID: rd.ID, StageID: st.ID, SubjectID: sub.OrgID, RaterID: a.UserID}, nil
	}
	if err != nil {
		return nil, err
	}
	d := &sheetData{Round: rd, Stage: st, Subject: sub, Scheme: sc.Scheme, Sheet: sh,
		Editable: st.OpenAt(rd, s.clock.Now()) && sh.Status != assess.SheetSubmitted,
		Path:     fmt.Sprintf("/rounds/%s/sheets/%s/%s", rd.ID, st.ID, sub.OrgID)}
	if d.Site, err = s.db.FindSiteChecks(ctx, rd.ID, sub.OrgID); err != nil {
		return nil, err
	}
	for _, c := range d.Site {
		if !c.CheckedAt.IsZero() {
			d.SiteRecorded = true
		}
	}
	if d.Photos, err = s.db.FindSitePhotos(ctx, rd.ID, sub.OrgID); err != nil {
		return nil, err
	}
	d.SiteRecorded = d.SiteRecorded || len(d.Photos) > 0
	d.SiteEditable = st.Kind == assess.StageSite && st.OpenAt(rd, s.clock.Now())
	if st.Kind != assess.StageSelf {
		for _, other := range rd.Stages {
			if other.Kind != assess.StageSelf {
				continue
			}
			sheets, err := s.db.FindSubjectSheets(ctx, rd.ID, sub.OrgID)
			if err != nil {
				return nil, err
			}
			for _, x := range sheets {
				if x.StageID == other.ID && x.Status == assess.SheetSubmitted && x.Result != nil {
					d.Self = x
				}
			}
		}
	}
	if year := periodYear(rd.Period); year > 0 {
		if rep, err := s.db.FindDutyReport(ctx, sub.OrgID, year); err == nil && rep.Status == duty.Submitted {
			d.Report, d.Headings = rep, duty.Headings
		}
	}
	return d, nil
}

// fillRows lays the scheme out as the sheet's rows with what was entered.
func (d *sheetData) fillRows(result *assess.Result) {
	d.Rows = d.Rows[:0]
	d.Missing = 0
	d.Scheme.Walk(func(ind, _ *assess.Indicator, depth int) {
		row := sheetRow{Ind: ind, Depth: depth, Leaf: len(ind.Children) == 0, Note: d.Sheet.Notes[ind.Code], NA: d.Sheet.Sheet.NotApplicable[ind.Code]}
		if ind.Rule != nil {
			row.Kind, row.Rule = ind.Rule.Kind(), ind.Rule.Describe(ind.Max)
		}
		in, has := d.Sheet.Sheet.Values[ind.Code]
		switch r := ind.Rule.(type) {
		case assess.Direct:
			if r.Step > 0 {
				row.Step = strconv.FormatFloat(r.Step, 'f', -1, 64)
			}
			if has {
				row.Value = strconv.FormatFloat(in.Points, 'f', -1, 64)
			}
		case assess.Bonus:
			row.Cap = r.Cap
			if has && in.Points != 0 {
				row.Value = strconv.FormatFloat(in.Points, 'f', -1, 64)
			}
		case assess.Penalty:
			row.Cap = r.Cap
			if has && in.Points != 0 {
				row.Value = strconv.FormatFloat(in.Points, 'f', -1, 64)
			}
		case assess.Deduction:
			if has && in.Count != 0 {
				row.Value = strconv.Itoa(in.Count)
			}
		case assess.YesNo:
			if has {
				row.Value = map[bool]string{true: "1", false: "0"}[in.Yes]
			}
		case assess.Tiered:
			row.Levels = r.Levels
			row.Value = in.Tier
		case assess.Veto:
			if in.Failed {
				row.Value = "1"
			}
		}
		if row.Leaf && !row.NA && !has && (row.Kind == assess.KindDirect || row.Kind == assess.KindYesNo || row.Kind == assess.KindTiered) {
			d.Missing++
		}
		if result != nil {
			if v, ok := result.Scores[ind.Code]; ok {
				row.Score = strconv.FormatFloat(v, 'f', -1, 64)
			}
		}
		d.Rows = append(d.Rows, row)
	})
}

func (s *Server) sheetShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadSheet(r)
	if err != nil {
		return err
	}
	result := d.Sheet.Result
	if result == nil && d.Sheet.ID != 0 {
		if res, err := assess.Score(d.Scheme, d.Sheet.Sheet); err == nil {
			result = &res
		}
	}
	d.Preview = result
	d.fillRows(result)
	v := s.newView(r, d.Subject.Name+" · 评分表", d)
	v.Active = "sheets"
	return s.render(w, r, http.StatusOK, "sheet", v)
}

// readSheet reads the form into the sheet: a value, a not-applicable mark
// and a note per indicator. A value that is not a number is refused,
// naming the indicator; a blank stays blank (a draft may be partial).
func readSheet(r *http.Request, s *assess.Scheme, sh *assess.StoredSheet) error {
	sh.Sheet = assess.Sheet{Values: map[string]assess.Input{}, NotApplicable: map[string]bool{}}
	sh.Notes = map[string]string{}
	sh.Note = strings.TrimSpace(r.PostFormValue("note"))
	if len([]rune(sh.Note)) > 2000 {
		return app.Invalid("note", "总体意见不能超过 2000 字")
	}
	var firstErr error
	fail := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	s.Walk(func(ind, parent *assess.Indicator, _ int) {
		code := ind.Code
		if note := strings.TrimSpace(r.PostFormValue("n_" + code)); note != "" {
			if len([]rune(note)) > 1000 {
				fail(app.Invalid("n_"+code, "指标 %s 的说明不能超过 1000 字", code))
			}
			sh.Notes[code] = note
		}
		if r.PostFormValue("na_"+code) == "1" && (parent == nil || !sh.Sheet.NotApplicable[parent.Code]) {
			sh.Sheet.NotApplicable[code] = true
		}
		if len(ind.Children) > 0 || ind.Rule == nil || naAbove(sh.Sheet.NotApplicable, ind, s) {
			return
		}
		raw := strings.TrimSpace(r.PostFormValue("v_" + code))
		field := "v_" + code
		switch ind.Rule.(type) {
		case assess.Direct, assess.Bonus, assess.Penalty:
			if raw == "" {
				if ind.Rule.Kind() != assess.KindDirect {
					sh.Sheet.Values[code] = assess.Input{}
				}
				return
			}
			x, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				fail(app.Invalid(field, "指标 %s 的得分“%s”不是数字", code, raw))
				return
			}
			sh.Sheet.Values[code] = assess.Input{Points: x}
		case assess.Deduction:
			if raw == "" {
				return
			}
			n, err := strconv.Atoi(raw)
			if err != nil || n < 0 {
				fail(app.Invalid(field, "指标 %s 的次数“%s”应为不小于 0 的整数", code, raw))
				return
			}
			sh.Sheet.Values[code] = assess.Input{Count: n}
		case assess.YesNo:
			if raw != "" {
				sh.Sheet.Values[code] = assess.Input{Yes: raw == "1"}
			}
		case assess.Tiered:
			if raw != "" {
				sh.Sheet.Values[code] = assess.Input{Tier: raw}
			}
		case assess.Veto:
			if raw == "1" {
				sh.Sheet.Values[code] = assess.Input{Failed: true}
			}
		}
	})
	return firstErr
}

// naAbove reports whether ind or one of its ancestors is marked not
// applicable.
func naAbove(na map[string]bool, ind *assess.Indicator, s *assess.Scheme) bool {
	if na[ind.Code] {
		return true
	}
	found := false
	var walk func(list []*assess.Indicator, marked bool) bool
	walk = func(list []*assess.Indicator, marked bool) bool {
		for _, x := range list {
			m := marked || na[x.Code]
			if x == ind {
				found = m
				return true
			}
			if walk(x.Children, m) {
				return true
			}
		}
		return false
	}
	walk(s.Roots, false)
	return found
}

// sheetSave saves a draft or submits the sheet.
func (s *Server) sheetSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.loadSheet(r)
	if err != nil {
		return err
	}
	if !d.Editable {
		return app.Errorf(app.ECONFLICT, "这张评分表已提交或不在评分时间内，不能再修改")
	}
	err = readSheet(r, d.Scheme, d.Sheet)
	submit := r.PostFormValue("action") == "submit"
	if err == nil && !submit {
		err = s.db.SaveSheet(ctx, d.Sheet)
		if err == nil {
			return s.redirect(w, r, d.Path, "草稿已保存")
		}
	}
	if err == nil {
		var res assess.Result
		if res, err = assess.Score(d.Scheme, d.Sheet.Sheet); err == nil {
			err = evidenceNotes(d.Scheme, d.Sheet)
		}
		if err == nil {
			err = s.db.SubmitSheet(ctx, d.Sheet, res, d.Scheme.Codes())
		}
		if err == nil {
			return s.redirect(w, r, "/sheets", fmt.Sprintf("%s 的评分表已提交，总分 %s 分", d.Subject.Name, strconv.FormatFloat(res.Total, 'f', -1, 64)))
		}
	}
	// Keep what was typed: a failed submit saves it as a draft, so
	// nothing is lost, and shows the problem beside the indicator.
	if submit && app.ErrorCode(err) == app.EINVALID {
		if serr := s.db.SaveSheet(ctx, d.Sheet); serr != nil && app.ErrorCode(serr) != app.EINVALID {
			return serr
		}
	}
	d.fillRows(nil)
	if e, ok := err.(*app.Error); ok {
		for i := range d.Rows {
			if c := d.Rows[i].Ind.Code; e.Field == c || e.Field == "v_"+c || e.Field == "n_"+c {
				d.Rows[i].HasError = true
			}
		}
	}
	return s.renderForm(w, r, "sheet", d.Subject.Name+" · 评分表", d, err)
}

// evidenceNotes asks for a note (佐证说明) on each applicable indicator
// that requires evidence: what was checked, where it is kept.
func evidenceNotes(s *assess.Scheme, sh *assess.StoredSheet) error {
	var err error
	s.Walk(func(ind, _ *assess.Indicator, _ int) {
		if err == nil && ind.EvidenceRequired && len(ind.Children) == 0 && !naAbove(sh.Sheet.NotApplicable, ind, s) && sh.Notes[ind.Code] == "" {
			err = app.Invalid("n_"+ind.Code, "指标 %s“%s”需要填写佐证说明（查阅了什么材料、存放在哪里）", ind.Code, ind.Name)
		}
	})
	return err
}

// sheetSite records the site visit's checklist for the subject.
func (s *Server) sheetSite(w http.ResponseWriter, r *http.Request) error {
	if err := s.parseUpload(r); err != nil {
		return err
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	d, err := s.loadSheet(r)
	if err != nil {
		return err
	}
	if !d.SiteEditable {
		return app.Errorf(app.ECONFLICT, "只有实地考察环节的评分人可以在考察期间记录")
	}
	var checks []assess.SiteCheck
	for _, item := range assess.SiteItems {
		checks = append(checks, assess.SiteCheck{Item: item, Done: r.PostFormValue("done_"+item) == "1", Note: r.PostFormValue("note_" + item)})
	}
	photos, err := s.uploadedFiles(r, "photos", "site_photo", 10, "请上传照片（JPG/PNG）", upload.JPEG, upload.PNG)
	if err != nil {
		return err
	}
	if err := s.db.SaveSiteChecks(r.Context(), d.Round.ID, d.Subject.OrgID, checks); err != nil {
		return err
	}
	if err := s.db.AddSitePhotos(r.Context(), d.Round.ID, d.Subject.OrgID, photos); err != nil {
		for _, p := range photos {
			s.dropBlob(r.Context(), p.Key)
		}
		return err
	}
	return s.redirect(w, r, d.Path, "实地考察记录已保存")
}

// sitePhoto shows one photo of a subject's site visit to the subject's
// raters and to the office.
func (s *Server) sitePhoto(w http.ResponseWriter, r *http.Request) error {
	roundID, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	subjectID, err := app.ParseID("subject", r.PathValue("subject"))
	if err != nil {
		return err
	}
	photos, err := s.db.FindSitePhotos(r.Context(), roundID, subjectID)
	if err != nil {
		return err
	}
	return s.serveFile(w, r, photos, r.PathValue("n"), true)
}

// periodYear reads the year a round's period names (2023年度 → 2023).
func periodYear(period string) int {
	digits := 0
	n := 0
	for _, r := range period {
		if r >= '0' && r <= '9' {
			n = n*10 + int(r-'0')
			digits++
			if digits == 4 {
				return n
			}
		} else {
			n, digits = 0, 0
		}
	}
	return 0
}
