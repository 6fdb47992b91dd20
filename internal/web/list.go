package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/law"
	"pufa/internal/learn"
	"pufa/internal/org"
)

type listsData struct {
	Lists     []*learn.List
	Progress  map[app.ID]learn.Progress
	CanManage bool
}

// listIndex shows the must-know lists a person has, with their progress.
func (s *Server) listIndex(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	lists, err := s.listsVisible(ctx, a)
	if err != nil {
		return err
	}
	d := listsData{Lists: lists, Progress: map[app.ID]learn.Progress{}, CanManage: authz.Can(a, authz.LibraryManage, authz.AtOrg(a.OrgPath))}
	for _, l := range lists {
		p, err := s.db.FindListProgress(ctx, l.ID, []app.ID{a.UserID})
		if err != nil {
			return err
		}
		d.Progress[l.ID] = p[a.UserID]
	}
	v := s.newView(r, "应知应会清单", d)
	v.Active = "laws"
	return s.render(w, r, http.StatusOK, "lists", v)
}

// visibleList loads list {id} if it is kept by a region above the actor.
func (s *Server) visibleList(r *http.Request) (*learn.List, *org.Org, error) {
	ctx := r.Context()
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	l, err := s.db.FindListByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	o, ok := s.keptAbove(ctx, l.OrgID)
	if !ok {
		return nil, nil, app.Errorf(app.ENOTFOUND, "清单不存在")
	}
	return l, o, nil
}

type listGroup struct {
	LawID    app.ID
	LawTitle string
	Items    []learn.Item
}

type unitProgress struct {
	Org *org.Org
	learn.Progress
}

type listShowData struct {
	List      *learn.List
	Groups    []listGroup
	Mine      learn.Progress
	Units     []unitProgress
	CanManage bool
}

func (s *Server) listShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	l, o, err := s.visibleList(r)
	if err != nil {
		return err
	}
	d := listShowData{List: l, CanManage: authz.Can(a, authz.LibraryManage, authz.AtOrg(o.Path))}
	for _, it := range l.Items {
		if n := len(d.Groups); n == 0 || d.Groups[n-1].LawID != it.LawID {
			d.Groups = append(d.Groups, listGroup{LawID: it.LawID, LawTitle: it.LawTitle})
		}
		g := &d.Groups[len(d.Groups)-1]
		g.Items = append(g.Items, it)
	}
	mine, err := s.db.FindListProgress(ctx, l.ID, []app.ID{a.UserID})
	if err != nil {
		return err
	}
	d.Mine = mine[a.UserID]
	if authz.Can(a, authz.LibraryManage, authz.AtOrg(a.OrgPath)) {
		byOrg, err := s.db.FindUnitListProgress(ctx, l.ID, a.OrgPath)
		if err != nil {
			return err
		}
		for id, p := range byOrg {
			if uo, err := s.db.FindOrgByID(ctx, id); err == nil {
				d.Units = append(d.Units, unitProgress{Org: uo, Progress: p})
			}
		}
		slices.SortFunc(d.Units, func(x, y unitProgress) int {
			// Most read per person first; Read/People compared crosswise.
			if c := y.Read*x.People - x.Read*y.People; c != 0 {
				return c
			}
			return strings.Compare(x.Org.Path, y.Org.Path)
		})
	}
	v := s.newView(r, l.Title, d)
	v.Active = "laws"
	return s.render(w, r, http.StatusOK, "list", v)
}

// listRow is one row of the list editor: a law, the articles (blank for
// the whole law), and study material.
type listRow struct {
	LawID    string
	Articles string
	Material string
}

type listFormData struct {
	Action    string
	Title     string
	Audience  string
	Year      string
	Rows      []listRow
	Laws      []law.Summary
	Audiences []learn.Audience
}

func (s *Server) listFormData(r *http.Request, d *listFormData) error {
	laws, err := s.db.FindLaws(r.Context(), law.Filter{InPaths: org.PathsUp(app.ActorFrom(r.Context()).OrgPath)})
	d.Laws, d.Audiences = laws, learn.Audiences
	for len(d.Rows) < 6 {
		d.Rows = append(d.Rows, listRow{})
	}
	return err
}

func (s *Server) listNew(w http.ResponseWriter, r *http.Request) error {
	d := &listFormData{Action: "/lists", Year: strconv.Itoa(s.clock.Now().In(app.Shanghai).Year()), Audience: string(learn.Leaders)}
	if err := s.listFormData(r, d); err != nil {
		return err
	}
	v := s.newView(r, "新建应知应会清单", d)
	v.Active = "laws"
	return s.render(w, r, http.StatusOK, "list_form", v)
}

// parseArticleRange reads "第一条至第五条、第三十三条" (also 1-5, 33) into
// labels; law.ParseLabel reads a label, ranges are expanded by number.
func parseArticleRange(spec string) ([][2]int, error) {
	var out [][2]int
	spec = strings.NewReplacer("，", ",", "、", ",", "；", ",", ";", ",", "－", "-", "—", "-", "–", "-", "至", "-", "到", "-", "~", "-").Replace(spec)
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		from, to, isRange := strings.Cut(part, "-")
		a, err := articleNumber(from)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = articleNumber(to); err != nil {
				return nil, err
			}
			if b[0] < a[0] || b[0]-a[0] > 2000 {
				return nil, app.Invalid("items", "条文范围“%s”无效", part)
			}
		}
		out = append(out, [2]int{a[0], b[0]})
	}
	return out, nil
}

func articleNumber(s string) ([2]int, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return [2]int{n, 0}, nil
	}
	if !strings.HasPrefix(s, "第") {
		s = "第" + s
	}
	if !strings.Contains(s, "条") {
		s += "条"
	}
	n, sub, ok := law.ParseLabel(s)
	if !ok {
		return [2]int{}, app.Invalid("items", "“%s”不是条文编号，请写成“第三十三条”或“33”", strings.TrimPrefix(s, "第"))
	}
	return [2]int{n, sub}, nil
}

// readListForm reads the editor into a list; articles are looked up in
// their law, and a missing one is named.
func (s *Server) readListForm(r *http.Request, d *listFormData) (*learn.List, error) {
	ctx := r.Context()
	d.Title, d.Audience, d.Year = r.PostFormValue("title"), r.PostFormValue("audience"), r.PostFormValue("year")
	l := &learn.List{Title: d.Title, Audience: learn.Audience(d.Audience), OrgID: app.ActorFrom(ctx).OrgID}
	if d.Year != "" {
		y, err := strconv.Atoi(d.Year)
		if err != nil || y < 2000 || y > 2100 {
			return nil, app.Invalid("year", "年度应为四位数字")
		}
		l.Year = y
	}
	laws, arts, mats := r.PostForm["law_"], r.PostForm["articles_"], r.PostForm["material_"]
	d.Rows = nil
	for i := range laws {
		row := listRow{LawID: laws[i]}
		if i < len(arts) {
			row.Articles = arts[i]
		}
		if i < len(mats) {
			row.Material = mats[i]
		}
		d.Rows = append(d.Rows, row)
	}
	visible := map[app.ID]bool{}
	all, err := s.db.FindLaws(ctx, law.Filter{InPaths: org.PathsUp(app.ActorFrom(ctx).OrgPath)})
	if err != nil {
		return nil, err
	}
	for _, x := range all {
		visible[x.Law.ID] = true
	}
	for i, row := range d.Rows {
		if row.LawID == "" {
			continue
		}
		lawID, err := app.ParseID("items", row.LawID)
		if err != nil || !visible[lawID] {
			return nil, app.Invalid("items", "第 %d 行的法律法规不存在", i+1)
		}
		if strings.TrimSpace(row.Articles) == "" {
			l.Items = append(l.Items, learn.Item{LawID: lawID, Material: row.Material})
			continue
		}
		ranges, err := parseArticleRange(row.Articles)
		if err != nil {
			return nil, app.Invalid("items", "第 %d 行：%s", i+1, app.ErrorMessage(err))
		}
		full, err := s.db.FindLawByID(ctx, lawID)
		if err != nil {
			return nil, err
		}
		for _, rg := range ranges {
			found := 0
			for _, art := range full.Articles {
				if art.N >= rg[0] && art.N <= rg[1] {
					l.Items = append(l.Items, learn.Item{LawID: lawID, ArticleID: art.ID, Material: row.Material})
					found++
				}
			}
			if found == 0 {
				return nil, app.Invalid("items", "第 %d 行：《%s》中没有%s", i+1, full.Title, law.CiteLabel(rg[0], 0))
			}
		}
	}
	if len(l.Items) == 0 {
		return nil, app.Invalid("items", "请至少选择一部法律法规")
	}
	return l, nil
}

func (s *Server) listCreate(w http.ResponseWriter, r *http.Request) error {
	d := &listFormData{Action: "/lists"}
	l, err := s.readListForm(r, d)
	if err == nil {
		err = s.db.CreateList(r.Context(), l)
	}
	if err != nil {
		if ferr := s.listFormData(r, d); ferr != nil {
			return ferr
		}
		return s.renderForm(w, r, "list_form", "新建应知应会清单", d, err)
	}
	return s.redirect(w, r, "/lists/"+l.ID.String(), fmt.Sprintf("清单已建立，共 %d 项", len(l.Items)))
}
