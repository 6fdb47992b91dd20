package web

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/org"
	"pufa/internal/outline"
	"pufa/internal/plan"
	"pufa/internal/upload"
)

type planNewData struct {
	Year    int
	Title   string
	Text    string
	MaxSize string
}

func (s *Server) planNew(w http.ResponseWriter, r *http.Request) error {
	v := s.newView(r, "导入工作要点", planNewData{Year: s.clock.Now().In(app.Shanghai).Year(), MaxSize: humanSize(s.opts.MaxUploadBytes)})
	v.Active = "plans"
	return s.render(w, r, http.StatusOK, "plan_new", v)
}

// reviewRow is one editable line of the review page.
type reviewRow struct {
	plan.Row
	Index     int
	Deadline  string // yyyy-mm-dd, parsed from the text, for the date input
	LeadIDs   []app.ID
	CoIDs     []app.ID
	Unmatched []string // unit names the document states that match no org
}

type planReviewData struct {
	Year     int
	Title    string
	Docs     []*outline.Document
	DocIndex int
	Rows     []reviewRow
	Warnings []outline.Warning // the ones to read one by one
	// PageMarkers counts the page markers removed: one line on the page
	// rather than sixteen identical ones.
	PageMarkers int
	Units       []*org.Org
	SourceKey   string
	Source      string
	Name        string
	Tasks       int
	// NewRows are the blank rows the review offers for items the engine
	// missed or ran together.
	NewRows []int
}

// planPreview outlines an uploaded or pasted document and shows the tree
// for review; nothing is stored but the source document.
func (s *Server) planPreview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := s.parseUpload(r); err != nil {
		return err
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	d := planReviewData{Title: strings.TrimSpace(r.FormValue("title"))}
	year, err := strconv.Atoi(r.FormValue("year"))
	if err != nil || year < 2000 || year > 2100 {
		return s.renderForm(w, r, "plan_new", "导入工作要点", planNewData{Year: year, Title: d.Title, Text: r.FormValue("text"), MaxSize: humanSize(s.opts.MaxUploadBytes)},
			app.Invalid("year", "年度应为 2000 到 2100 之间的四位数字"))
	}
	d.Year = year
	var data []byte
	if f, hdr, ferr := r.FormFile("file"); ferr == nil {
		defer f.Close()
		if data, err = upload.ReadLimited(f, s.opts.MaxUploadBytes); err != nil {
			return err
		}
		kind, err := upload.Sniff(hdr.Filename, data)
		if err != nil {
			return err
		}
		if kind != upload.DOCX && kind != upload.TXT {
			return app.Invalid("file", "请上传 .docx 或 .txt 文件（.doc 请先在 Word 中另存为 .docx）")
		}
		d.Name = hdr.Filename
	} else if text := r.FormValue("text"); strings.TrimSpace(text) != "" {
		data, d.Name = []byte(text), "粘贴的文本.txt"
	} else if key := r.FormValue("key"); key != "" {
		// Re-showing the review for another document of the same source.
		if data, err = s.ownUpload(r, key, "plan_source"); err != nil {
			return err
		}
		d.Name = r.FormValue("name")
	} else {
		return s.renderForm(w, r, "plan_new", "导入工作要点", planNewData{Year: year, Title: d.Title, MaxSize: humanSize(s.opts.MaxUploadBytes)},
			app.Invalid("file", "请上传工作要点文件，或把全文粘贴到文本框中"))
	}
	res, err := outline.Parse(data)
	if err != nil {
		return err
	}
	if len(res.Documents) == 0 {
		return app.Errorf(app.EINVALID, "没有在文件中找到带编号的条目，请确认这是工作要点全文")
	}
	if d.SourceKey, err = s.putBlob(ctx, data, d.Name, "plan_source", ""); err != nil {
		return err
	}
	d.Docs, d.Source = res.Documents, res.Source
	for _, w := range res.Warnings {
		if w.Kind == outline.WarnPageMarker {
			d.PageMarkers++
		} else {
			d.Warnings = append(d.Warnings, w)
		}
	}
	// The document with the most items is most likely the plan; the
	// office can switch.
	d.DocIndex = -1
	if v, err := strconv.Atoi(r.FormValue("doc")); err == nil && v >= 0 && v < len(res.Documents) {
		d.DocIndex = v
	}
	if d.DocIndex < 0 {
		best := 0
		for i, doc := range res.Documents {
			if _, n := plan.Count(mustTree(plan.FromOutline(doc))); n > best || (n == best && strings.Contains(doc.Title, "要点")) {
				best, d.DocIndex = n, i
			}
		}
	}
	doc := res.Documents[d.DocIndex]
	if d.Title == "" {
		d.Title = doc.Title
	}
	a := app.ActorFrom(ctx)
	region, err := s.db.FindOrgByID(ctx, a.OrgID)
	if err != nil {
		return err
	}
	if d.Units, _, err = s.db.FindOrgs(ctx, org.Filter{UnderPath: &region.Path}); err != nil {
		return err
	}
	for i, row := range plan.FromOutline(doc) {
		rr := reviewRow{Row: row, Index: i}
		if dl := plan.ParseDeadline(row.Item.DeadlineText, year); !dl.IsZero() {
			rr.Deadline = dl.In(app.Shanghai).Format("2006-01-02")
		}
		rr.LeadIDs, rr.Unmatched = matchUnits(row.LeadNames, d.Units, rr.Unmatched)
		rr.CoIDs, rr.Unmatched = matchUnits(row.CoNames, d.Units, rr.Unmatched)
		if len(rr.LeadIDs) == 0 && len(row.LeadNames) == 0 {
			// The document names no lead: suggest the first unit its text
			// mentions ("由区教育局负责…"), for the office to confirm.
			rr.LeadIDs = mentionedUnits(row.Item.Text, d.Units)
		}
		d.Rows = append(d.Rows, rr)
	}
	_, d.Tasks = plan.Count(mustTree(plan.FromOutline(doc)))
	d.NewRows = []int{0, 1, 2}
	v := s.newView(r, "核对工作要点", d)
	v.Active = "plans"
	return s.render(w, r, http.StatusOK, "plan_review", v)
}

func mustTree(rows []plan.Row) []*plan.Node {
	t, _ := plan.BuildTree(rows)
	return t
}

// matchUnits finds the orgs a document names: the same name, or a name
// that differs only by the region prefix ("公安分局" for "区公安分局").
func matchUnits(names []string, units []*org.Org, unmatched []string) ([]app.ID, []string) {
	var ids []app.ID
	for _, n := range names {
		n = strings.TrimSpace(n)
		found := false
		for _, u := range units {
			if u.Name == n || (len([]rune(n)) >= 3 && strings.HasSuffix(u.Name, n)) {
				ids, found = append(ids, u.ID), true
				break
			}
		}
		if !found && n != "" {
			unmatched = append(unmatched, n)
		}
	}
	return ids, unmatched
}

// mentionedUnits returns the first unit whose name, with or without the
// region's "区" prefix, appears in text.
func mentionedUnits(text string, units []*org.Org) []app.ID {
	for _, u := range units {
		if u.Kind != org.KindUnit {
			continue
		}
		short := strings.TrimPrefix(u.Name, "区")
		if strings.Contains(text, u.Name) || (len([]rune(short)) >= 3 && strings.Contains(text, short)) {
			return []app.ID{u.ID}
		}
	}
	return nil
}

// planCreate stores the reviewed plan: rows as edited, the kept ones only.
func (s *Server) planCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	n, err := strconv.Atoi(r.PostFormValue("rows"))
	if err != nil || n < 0 || n > 5000 {
		return app.Invalid("rows", "提交的条目数无效")
	}
	newRows, err := strconv.Atoi(r.PostFormValue("new_rows"))
	if err != nil || newRows < 0 || newRows > 50 {
		newRows = 0
	}
	year, err := strconv.Atoi(r.PostFormValue("year"))
	if err != nil {
		return app.Invalid("year", "年度无效")
	}
	region, err := s.db.FindOrgByID(ctx, a.OrgID)
	if err != nil {
		return err
	}
	// New rows the office typed in, keyed by the row they follow (0: at
	// the start): that is how an item the engine ran together with the
	// one before it is split off.
	inserts := map[int][]plan.Row{}
	for j := 0; j < newRows; j++ {
		k := strconv.Itoa(j)
		title := strings.TrimSpace(r.PostFormValue("new_title" + k))
		if title == "" {
			continue
		}
		after, err := strconv.Atoi(r.PostFormValue("new_after" + k))
		if err != nil || after < 0 || after > n {
			return app.Invalid("new_after", "新增条目的位置应为 0 到 %d 之间的行号", n)
		}
		level, err := strconv.Atoi(r.PostFormValue("new_level" + k))
		if err != nil {
			return app.Invalid("new_level", "新增条目的层级无效")
		}
		it := plan.Item{Label: strings.TrimSpace(r.PostFormValue("new_label" + k)), Title: title}
		if it.Deadline, err = dateField(r, "new_deadline"+k); err != nil {
			return err
		}
		inserts[after] = append(inserts[after], plan.Row{Level: level, Item: it})
	}
	rows := append([]plan.Row{}, inserts[0]...)
	for i := 0; i < n; i++ {
		k := strconv.Itoa(i)
		keep := r.PostFormValue("keep"+k) == "1"
		merge := r.PostFormValue("merge"+k) == "1"
		switch {
		case keep && merge && len(rows) > 0:
			// Joined to the row before: a paragraph the engine took for an
			// item of its own.
			prev := &rows[len(rows)-1].Item
			prev.Text = strings.TrimSpace(prev.Text + "\n" + r.PostFormValue("title"+k) + "\n" + r.PostFormValue("text"+k))
		case keep:
			level, err := strconv.Atoi(r.PostFormValue("level" + k))
			if err != nil {
				return app.Invalid("level", "第 %d 行的层级无效", i+1)
			}
			it := plan.Item{Label: strings.TrimSpace(r.PostFormValue("label" + k)), Title: r.PostFormValue("title" + k),
				Text: r.PostFormValue("text" + k), DeadlineText: strings.TrimSpace(r.PostFormValue("deadline_text" + k))}
			if it.Deadline, err = dateField(r, "deadline"+k); err != nil {
				return app.Invalid("deadline", "第 %d 行的完成时限无效", i+1)
			}
			for _, f := range []struct {
				name string
				dst  *[]app.ID
			}{{"lead" + k, &it.LeadUnits}, {"co" + k, &it.CoUnits}} {
				for _, v := range r.PostForm[f.name] {
					if v == "" {
						continue
					}
					id, err := app.ParseID("units", v)
					if err != nil {
						return err
					}
					*f.dst = append(*f.dst, id)
				}
			}
			if err := s.unitsUnder(ctx, region, append(append([]app.ID{}, it.LeadUnits...), it.CoUnits...)); err != nil {
				return err
			}
			rows = append(rows, plan.Row{Level: level, Item: it})
		}
		rows = append(rows, inserts[i+1]...)
	}
	tree, err := plan.BuildTree(rows)
	if err != nil {
		return err
	}
	p := &plan.Plan{OrgID: region.ID, Year: year, Title: r.PostFormValue("title"), SourceKey: r.PostFormValue("key"), SourceName: r.PostFormValue("name")}
	if p.SourceKey != "" {
		if _, err := s.ownUpload(r, p.SourceKey, "plan_source"); err != nil {
			return err
		}
	}
	if !authz.Can(a, authz.PlanManage, authz.AtOrg(region.Path)) {
		return authz.Forbidden()
	}
	if err := s.db.CreatePlan(ctx, p, tree); err != nil {
		return err
	}
	_, tasks := plan.Count(tree)
	return s.redirect(w, r, "/plans/"+p.ID.String(), "已导入工作要点，共 "+itoa(tasks)+" 项任务；请为尚未指定承办单位的任务指定单位")
}

// planSource downloads the imported source document.
func (s *Server) planSource(w http.ResponseWriter, r *http.Request) error {
	id, _ := app.ParseID("id", r.PathValue("id"))
	p, err := s.planOnce(r, id)
	if err != nil {
		return err
	}
	if p.SourceKey == "" {
		return app.Errorf(app.ENOTFOUND, "这份工作要点没有保存原文件")
	}
	rc, err := s.opts.Blobs.Open(r.Context(), p.SourceKey)
	if err != nil {
		return err
	}
	defer rc.Close()
	head := make([]byte, 4)
	n, _ := io.ReadFull(rc, head)
	ct := "text/plain; charset=utf-8"
	if bytes.HasPrefix(head[:n], []byte("PK")) {
		ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", attachment(p.SourceName))
	w.Write(head[:n])
	_, err = io.Copy(w, rc)
	return err
}
