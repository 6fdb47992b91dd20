package web

import (
	"net/http"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/org"
)

type orgRow struct {
	*org.Org
	Depth     int
	CanManage bool
}

type orgListData struct {
	Scope     *org.Org
	Rows      []orgRow
	Total     int
	Query     string
	Kind      string
	Status    string
	Kinds     []org.Kind
	CanCreate bool
	Pager     pager
}

const orgPageSize = 200

// scopeOrg is the org a list is limited to: ?org= when given (authz has
// checked it), else the actor's own.
func (s *Server) scopeOrg(r *http.Request) (*org.Org, error) {
	id := app.ActorFrom(r.Context()).OrgID
	if v := r.URL.Query().Get("org"); v != "" {
		var err error
		if id, err = app.ParseID("org", v); err != nil {
			return nil, err
		}
	}
	return s.db.FindOrgByID(r.Context(), id)
}

// orgFilter reads the list's scope (?org=, else the actor's own org) and
// filters from the request: the page, its export and the API share it.
func (s *Server) orgFilter(r *http.Request) (org.Filter, orgListData, error) {
	scope, err := s.scopeOrg(r)
	if err != nil {
		return org.Filter{}, orgListData{}, err
	}
	q := r.URL.Query()
	d := orgListData{Scope: scope, Query: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Status: q.Get("status"), Kinds: org.Kinds}
	f := org.Filter{UnderPath: &scope.Path}
	if !authz.Can(app.ActorFrom(r.Context()), authz.OrgView, authz.Below(scope.Path)) {
		// A liaison sees its own org, not what lies under it.
		f.ID = &scope.ID
	}
	if d.Query != "" {
		f.Query = &d.Query
	}
	if d.Kind != "" {
		k, err := org.ParseKind(d.Kind)
		if err != nil {
			return f, d, err
		}
		f.Kind = &k
	}
	switch d.Status {
	case "":
	case "active", "inactive":
		v := d.Status == "active"
		f.Active = &v
	default:
		return f, d, app.Invalid("status", "状态“%s”无效", d.Status)
	}
	return f, d, nil
}

func (s *Server) orgList(w http.ResponseWriter, r *http.Request) error {
	f, d, err := s.orgFilter(r)
	if err != nil {
		return err
	}
	scope := d.Scope
	page, offset := pageParams(r, orgPageSize)
	f.Limit, f.Offset = orgPageSize, offset
	orgs, total, err := s.db.FindOrgs(r.Context(), f)
	if err != nil {
		return err
	}
	a := app.ActorFrom(r.Context())
	base := scope.Depth()
	for _, o := range orgs {
		d.Rows = append(d.Rows, orgRow{Org: o, Depth: o.Depth() - base, CanManage: authz.Can(a, authz.OrgManage, authz.AtOrg(o.Path))})
	}
	d.Total = total
	d.CanCreate = authz.Can(a, authz.OrgManage, authz.Below(scope.Path))
	d.Pager = newPager(page, orgPageSize, total, r.URL.Query().Encode())
	v := s.newView(r, "组织机构", d)
	v.Active = "orgs"
	return s.render(w, r, http.StatusOK, "orgs", v)
}

type orgFormData struct {
	Org     *org.Org
	Parent  *org.Org
	Parents []*org.Org
	Kinds   []org.Kind
	IsNew   bool
	// Moves are the orgs this one may move under.
	CanDelete bool
}

// parentChoices lists the orgs the actor may create or move orgs under.
func (s *Server) parentChoices(r *http.Request) ([]*org.Org, error) {
	a := app.ActorFrom(r.Context())
	path := a.OrgPath
	orgs, _, err := s.db.FindOrgs(r.Context(), org.Filter{UnderPath: &path})
	if err != nil {
		return nil, err
	}
	var out []*org.Org
	for _, o := range orgs {
		// Creating under o means the new org's path lies below o.
		if authz.Can(a, authz.OrgManage, authz.Below(o.Path)) {
			out = append(out, o)
		}
	}
	return out, nil
}

func (s *Server) orgNew(w http.ResponseWriter, r *http.Request) error {
	parents, err := s.parentChoices(r)
	if err != nil {
		return err
	}
	o := &org.Org{Kind: org.KindUnit}
	if v := r.URL.Query().Get("parent"); v != "" {
		o.ParentID, _ = app.ParseID("parent", v)
	}
	return s.render(w, r, http.StatusOK, "org_form", s.newView(r, "新建组织", orgFormData{Org: o, Parents: parents, Kinds: org.Kinds, IsNew: true}))
}

func orgFromForm(r *http.Request) (*org.Org, error) {
	o := &org.Org{Name: r.PostFormValue("name"), Code: r.PostFormValue("code")}
	k, err := org.ParseKind(r.PostFormValue("kind"))
	o.Kind = k
	if err != nil {
		return o, err
	}
	if v := strings.TrimSpace(r.PostFormValue("sort_order")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1_000_000 {
			return o, app.Invalid("sort_order", "排序号应为 0 到 1000000 之间的整数")
		}
		o.SortOrder = n
	}
	return o, nil
}

func (s *Server) orgCreate(w http.ResponseWriter, r *http.Request) error {
	o, err := orgFromForm(r)
	if err == nil {
		o.ParentID, err = app.ParseID("parent", r.PostFormValue("parent"))
		if err != nil {
			err = app.Invalid("parent", "请选择上级组织")
		}
	}
	if err == nil {
		err = s.db.CreateOrg(r.Context(), o)
	}
	if err != nil {
		parents, perr := s.parentChoices(r)
		if perr != nil {
			return perr
		}
		return s.renderForm(w, r, "org_form", "新建组织", orgFormData{Org: o, Parents: parents, Kinds: org.Kinds, IsNew: true}, err)
	}
	return s.redirect(w, r, "/orgs", "已新建组织“"+o.Name+"”")
}

func (s *Server) orgEdit(w http.ResponseWriter, r *http.Request) error {
	id, _ := app.ParseID("id", r.PathValue("id"))
	o, err := s.db.FindOrgByID(r.Context(), id)
	if err != nil {
		return err
	}
	parents, err := s.parentChoices(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "org_form", s.newView(r, "编辑组织", orgFormData{Org: o, Parents: parents, Kinds: org.Kinds, CanDelete: true}))
}

func (s *Server) orgUpdate(w http.ResponseWriter, r *http.Request) error {
	id, _ := app.ParseID("id", r.PathValue("id"))
	cur, err := s.db.FindOrgByID(r.Context(), id)
	if err != nil {
		return err
	}
	o, err := orgFromForm(r)
	if err == nil {
		active := r.PostFormValue("active") == "1"
		_, err = s.db.UpdateOrg(r.Context(), id, org.Update{Name: &o.Name, Code: &o.Code, Kind: &o.Kind, SortOrder: &o.SortOrder, Active: &active})
	}
	if err != nil {
		o.ID, o.ParentID, o.Path, o.Active = cur.ID, cur.ParentID, cur.Path, cur.Active
		parents, perr := s.parentChoices(r)
		if perr != nil {
			return perr
		}
		return s.renderForm(w, r, "org_form", "编辑组织", orgFormData{Org: o, Parents: parents, Kinds: org.Kinds, CanDelete: true}, err)
	}
	return s.redirect(w, r, "/orgs", "已保存“"+o.Name+"”")
}

func (s *Server) orgMove(w http.ResponseWriter, r *http.Request) error {
	id, _ := app.ParseID("id", r.PathValue("id"))
	to, err := app.ParseID("parent", r.PostFormValue("parent"))
	if err != nil {
		return err
	}
	p, err := s.db.FindOrgByID(r.Context(), to)
	if err != nil {
		return app.Invalid("parent", "目标上级组织不存在")
	}
	// Moving needs the right at the destination as well as at the source.
	if !authz.Can(app.ActorFrom(r.Context()), authz.OrgManage, authz.Below(p.Path)) {
		return authz.Forbidden()
	}
	if err := s.db.MoveOrg(r.Context(), id, to); err != nil {
		return err
	}
	return s.redirect(w, r, "/orgs", "已移动到“"+p.Name+"”之下")
}

func (s *Server) orgDelete(w http.ResponseWriter, r *http.Request) error {
	id, _ := app.ParseID("id", r.PathValue("id"))
	o, err := s.db.FindOrgByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := s.db.DeleteOrg(r.Context(), id); err != nil {
		return err
	}
	return s.redirect(w, r, "/orgs", "已删除“"+o.Name+"”")
}
