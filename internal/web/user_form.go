package web

import (
	"net/http"
	"strings"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/org"
	"pufa/internal/password"
	"pufa/internal/pii"
)

type userFormData struct {
	User      *account.User
	Orgs      []*org.Org
	Grantable []string
	Ranks     []account.Rank
	IsNew     bool
}

// manageableOrgs lists the orgs in which the actor may manage users.
func (s *Server) manageableOrgs(r *http.Request) ([]*org.Org, error) {
	a := app.ActorFrom(r.Context())
	path := a.OrgPath
	if a.HasRole(account.RoleSysAdmin) {
		root, err := s.db.FindRootOrg(r.Context())
		if err != nil {
			return nil, err
		}
		path = root.Path
	}
	orgs, _, err := s.db.FindOrgs(r.Context(), org.Filter{UnderPath: &path})
	if err != nil {
		return nil, err
	}
	var out []*org.Org
	for _, o := range orgs {
		if authz.Can(a, authz.UserManage, authz.AtOrg(o.Path)) {
			out = append(out, o)
		}
	}
	return out, nil
}

func (s *Server) userFormData(r *http.Request, u *account.User, isNew bool) (userFormData, error) {
	orgs, err := s.manageableOrgs(r)
	if err != nil {
		return userFormData{}, err
	}
	a := app.ActorFrom(r.Context())
	return userFormData{User: u, Orgs: orgs, IsNew: isNew, Ranks: []account.Rank{account.RankStaff, account.RankSenior},
		Grantable: authz.GrantableRoles(a, authz.AtOrg(a.OrgPath))}, nil
}

func (s *Server) userNew(w http.ResponseWriter, r *http.Request) error {
	u := &account.User{Rank: account.RankStaff, Roles: []string{account.RoleExaminee}}
	if v := r.URL.Query().Get("org"); v != "" {
		u.OrgID, _ = app.ParseID("org", v)
	}
	d, err := s.userFormData(r, u, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "user_form", s.newView(r, "新建用户", d))
}

// userFromForm reads and normalizes the profile fields of the user form.
// The edit form never shows a stored phone or ID number (showing it would
// be a reveal); there a blank field keeps the stored value and a "clear"
// box removes it.
func userFromForm(r *http.Request, u *account.User) error {
	u.Name = strings.TrimSpace(r.PostFormValue("name"))
	u.RankTitle = strings.TrimSpace(r.PostFormValue("rank_title"))
	if v := pii.NormalizePhone(r.PostFormValue("phone")); v != "" || r.PostFormValue("clear_phone") == "1" {
		u.Phone = v
	}
	if v := pii.NormalizeIDNumber(r.PostFormValue("id_number")); v != "" || r.PostFormValue("clear_id_number") == "1" {
		u.IDNumber = v
	}
	rank, err := account.ParseRank(r.PostFormValue("rank"))
	if err != nil {
		return err
	}
	u.Rank = rank
	org, err := app.ParseID("org", r.PostFormValue("org"))
	if err != nil {
		return app.Invalid("org", "请选择所属组织")
	}
	u.OrgID = org
	if u.Phone != "" {
		if err := pii.ValidPhone(u.Phone); err != nil {
			return app.Invalid("phone", "%s", err.Error())
		}
	}
	if u.IDNumber != "" {
		if err := pii.ValidIDNumber(u.IDNumber); err != nil {
			return app.Invalid("id_number", "%s", err.Error())
		}
	}
	return nil
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	a := app.ActorFrom(r.Context())
	u := &account.User{Login: strings.TrimSpace(r.PostFormValue("login")), MustChange: true}
	err := userFromForm(r, u)
	if err == nil {
		u.Roles = account.NormalizeRoles(r.PostForm["roles"])
		if len(u.Roles) == 0 {
			// Every account is at least a state employee who sits the exam;
			// the system admin, who may not grant roles, creates such
			// accounts and the security admin grants more.
			u.Roles = []string{account.RoleExaminee}
		}
		var o *org.Org
		if o, err = s.db.FindOrgByID(r.Context(), u.OrgID); err == nil {
			t := authz.AtOrg(o.Path)
			baseOnly := len(u.Roles) == 1 && u.Roles[0] == account.RoleExaminee
			if !authz.Can(a, authz.UserManage, t) || (!baseOnly && !authz.CanGrant(a, t, nil, u.Roles)) {
				return authz.Forbidden()
			}
		}
	}
	var pw string
	if err == nil {
		err = u.Validate()
	}
	if err == nil {
		if pw, err = password.Generate(); err == nil {
			u.PasswordHash, err = s.auth.Hasher.Hash(r.Context(), pw)
		}
	}
	if err == nil {
		err = s.db.CreateUser(r.Context(), u)
	}
	if err != nil {
		d, derr := s.userFormData(r, u, true)
		if derr != nil {
			return derr
		}
		return s.renderForm(w, r, "user_form", "新建用户", d, err)
	}
	d, err := s.userShowDataFor(r, u.ID)
	if err != nil {
		return err
	}
	d.NewPass = pw
	v := s.newView(r, u.Name, d)
	v.Flash = "已创建用户，请将一次性密码交给本人；本人首次登录须修改密码。"
	return s.render(w, r, http.StatusOK, "user_show", v)
}

func (s *Server) userShowDataFor(r *http.Request, id app.ID) (*userShowData, error) {
	r2 := r.Clone(r.Context())
	r2.SetPathValue("id", id.String())
	return s.userShowData(r2)
}

func (s *Server) userEdit(w http.ResponseWriter, r *http.Request) error {
	id, _ := app.ParseID("id", r.PathValue("id"))
	u, err := s.db.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	d, err := s.userFormData(r, u, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "user_form", s.newView(r, "编辑用户", d))
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	id, _ := app.ParseID("id", r.PathValue("id"))
	u, err := s.db.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	err = userFromForm(r, u)
	if err == nil && u.OrgID != 0 {
		// Moving a user to another org needs the right there too.
		var o *org.Org
		if o, err = s.db.FindOrgByID(r.Context(), u.OrgID); err == nil && !authz.Can(app.ActorFrom(r.Context()), authz.UserManage, authz.AtUser(o.Path, u.ID, u.Roles)) {
			return authz.Forbidden()
		}
	}
	if err == nil {
		active := r.PostFormValue("active") == "1"
		_, err = s.db.UpdateUser(r.Context(), id, account.Update{Name: &u.Name, OrgID: &u.OrgID, Rank: &u.Rank, RankTitle: &u.RankTitle, Phone: &u.Phone, IDNumber: &u.IDNumber, Active: &active})
	}
	if err != nil {
		d, derr := s.userFormData(r, u, false)
		if derr != nil {
			return derr
		}
		return s.renderForm(w, r, "user_form", "编辑用户", d, err)
	}
	return s.redirect(w, r, "/users/"+id.String(), "已保存")
}
