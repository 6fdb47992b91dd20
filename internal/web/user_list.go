package web

import (
	"net/http"
	"strings"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/authz"
	"pufa/internal/org"
	"pufa/internal/pii"
)

type userRow struct {
	*account.User
	OrgName string
}

type userListData struct {
	Scope     *org.Org
	Rows      []userRow
	Total     int
	Query     string
	Role      string
	Roles     []string
	CanCreate bool
	Pager     pager
}

const userPageSize = 50

// userFilter reads the list's scope and filters from the request: the
// page and its export share it.
func (s *Server) userFilter(r *http.Request) (account.Filter, userListData, error) {
	scope, err := s.scopeOrg(r)
	if err != nil {
		return account.Filter{}, userListData{}, err
	}
	q := r.URL.Query()
	d := userListData{Scope: scope, Query: strings.TrimSpace(q.Get("q")), Role: q.Get("role"), Roles: account.Roles}
	f := account.Filter{UnderPath: &scope.Path}
	if !authz.Can(app.ActorFrom(r.Context()), authz.UserView, authz.Below(scope.Path)) {
		// A liaison sees its own org's people, not those of the orgs under it.
		f.OrgID = &scope.ID
	}
	if d.Query != "" {
		// A query that is a phone or ID number is looked up exactly through
		// the keyed index; anything else matches login or name.
		switch {
		case pii.ValidPhone(pii.NormalizePhone(d.Query)) == nil:
			p := pii.NormalizePhone(d.Query)
			f.Phone = &p
		case pii.ValidIDNumber(pii.NormalizeIDNumber(d.Query)) == nil:
			n := pii.NormalizeIDNumber(d.Query)
			f.IDNumber = &n
		default:
			f.Query = &d.Query
		}
	}
	if d.Role != "" {
		role, err := account.ParseRole(d.Role)
		if err != nil {
			return f, d, err
		}
		f.Role = &role
	}
	return f, d, nil
}

// orgNames maps ids to names for the rows of a list.
func (s *Server) orgNames(r *http.Request, scope *org.Org) (map[app.ID]string, error) {
	orgs, _, err := s.db.FindOrgs(r.Context(), org.Filter{UnderPath: &scope.Path})
	if err != nil {
		return nil, err
	}
	m := make(map[app.ID]string, len(orgs))
	for _, o := range orgs {
		m[o.ID] = o.Name
	}
	return m, nil
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request) error {
	f, d, err := s.userFilter(r)
	if err != nil {
		return err
	}
	scope := d.Scope
	page, offset := pageParams(r, userPageSize)
	f.Limit, f.Offset = userPageSize, offset
	users, total, err := s.db.FindUsers(r.Context(), f)
	if err != nil {
		return err
	}
	names, err := s.orgNames(r, scope)
	if err != nil {
		return err
	}
	for _, u := range users {
		d.Rows = append(d.Rows, userRow{User: u, OrgName: names[u.OrgID]})
	}
	d.Total = total
	d.CanCreate = authz.Can(app.ActorFrom(r.Context()), authz.UserManage, authz.AtOrg(scope.Path))
	d.Pager = newPager(page, userPageSize, total, r.URL.Query().Encode())
	v := s.newView(r, "用户管理", d)
	v.Active = "users"
	return s.render(w, r, http.StatusOK, "users", v)
}

type userShowData struct {
	User      *account.User
	Org       *org.Org
	CanManage bool
	CanGrant  bool
	CanReveal bool
	Grantable []string
	Revealed  bool
	NewPass   string
	Locked    bool
}

func (s *Server) userShowData(r *http.Request) (*userShowData, error) {
	id, _ := app.ParseID("id", r.PathValue("id"))
	u, err := s.db.FindUserByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	o, err := s.db.FindOrgByID(r.Context(), u.OrgID)
	if err != nil {
		return nil, err
	}
	a := app.ActorFrom(r.Context())
	t := authz.AtUser(o.Path, u.ID, u.Roles)
	return &userShowData{
		User: u, Org: o,
		CanManage: authz.Can(a, authz.UserManage, t),
		CanGrant:  authz.Can(a, authz.RoleGrant, t),
		CanReveal: authz.Can(a, authz.PIIReveal, t) && (u.Phone != "" || u.IDNumber != ""),
		Grantable: authz.GrantableRoles(a, t),
		Locked:    u.Locked(s.clock.Now()),
	}, nil
}

func (s *Server) userShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.userShowData(r)
	if err != nil {
		return err
	}
	v := s.newView(r, d.User.Name, d)
	v.Active = "users"
	return s.render(w, r, http.StatusOK, "user_show", v)
}

// userReveal shows the unmasked phone and ID number once, and audits it.
func (s *Server) userReveal(w http.ResponseWriter, r *http.Request) error {
	d, err := s.userShowData(r)
	if err != nil {
		return err
	}
	if err := s.db.WriteAudit(r.Context(), audit.Record{Action: "pii.reveal", ObjectType: "user", ObjectID: d.User.ID.String(), Detail: d.User.Login}); err != nil {
		return err
	}
	d.Revealed = true
	v := s.newView(r, d.User.Name, d)
	v.Active = "users"
	return s.render(w, r, http.StatusOK, "user_show", v)
}

func (s *Server) userRoles(w http.ResponseWriter, r *http.Request) error {
	d, err := s.userShowData(r)
	if err != nil {
		return err
	}
	roles := account.NormalizeRoles(r.PostForm["roles"])
	for _, role := range r.PostForm["roles"] {
		if _, err := account.ParseRole(role); err != nil {
			return err
		}
	}
	if !authz.CanGrant(app.ActorFrom(r.Context()), authz.AtUser(d.Org.Path, d.User.ID, d.User.Roles), d.User.Roles, roles) {
		return authz.Forbidden()
	}
	if err := s.db.SetRoles(r.Context(), d.User.ID, roles); err != nil {
		return s.renderForm(w, r, "user_show", d.User.Name, d, err)
	}
	return s.redirect(w, r, "/users/"+d.User.ID.String(), "角色已更新")
}

func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request) error {
	d, err := s.userShowData(r)
	if err != nil {
		return err
	}
	pw, err := s.auth.ResetPassword(r.Context(), d.User.ID)
	if err != nil {
		return err
	}
	// The one-time password is shown on this response only; it is never
	// stored in the clear and a refresh does not show it again.
	d.NewPass = pw
	d.User.MustChange = true
	v := s.newView(r, d.User.Name, d)
	v.Flash = "已重置密码，请将一次性密码当面或通过安全渠道交给本人；本人登录后须立即修改。"
	return s.render(w, r, http.StatusOK, "user_show", v)
}
