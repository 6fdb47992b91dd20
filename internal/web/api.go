package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/pii"
	"pufa/internal/session"
)

// decodeJSON reads one JSON object into v, refusing unknown fields and
// trailing data, with a Chinese message.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return app.Errorf(app.EINVALID, "请求体应为 JSON（Content-Type: application/json）")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &mbe):
			return app.Errorf(app.ETOOLARGE, "请求体过大")
		case errors.As(err, &ute):
			return app.Invalid(ute.Field, "字段“%s”的类型不正确", ute.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return app.Errorf(app.EINVALID, "请求中有未知字段：%s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return app.Errorf(app.EINVALID, "请求体不是有效的 JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return app.Errorf(app.EINVALID, "请求体只能包含一个 JSON 对象")
	}
	return nil
}

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Login    string `json:"login"`
		Password string `json:"password"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	res, err := s.auth.Login(r.Context(), in.Login, in.Password, session.KindAPI)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": res.Token, "expires_at": apiTime(res.Session.ExpiresAt), "must_change_password": res.MustChange})
	return nil
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) error {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if err := s.auth.Logout(r.Context(), token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiPassword changes the signed-in user's password, the way out for an
// API client whose password must change before anything else.
func (s *Server) apiPassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Current string `json:"current"`
		New     string `json:"new"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a := app.ActorFrom(r.Context())
	if err := s.auth.ChangePassword(r.Context(), a.UserID, in.Current, in.New, a.SessionID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type apiUserBody struct {
	ID        string   `json:"id"`
	Login     string   `json:"login"`
	Name      string   `json:"name"`
	OrgID     string   `json:"org_id"`
	Roles     []string `json:"roles"`
	Rank      string   `json:"rank"`
	RankTitle string   `json:"rank_title"`
	Phone     string   `json:"phone"`
	IDNumber  string   `json:"id_number"`
	Active    bool     `json:"active"`
}

func apiUser(u *account.User) apiUserBody {
	return apiUserBody{ID: u.ID.String(), Login: u.Login, Name: u.Name, OrgID: u.OrgID.String(), Roles: u.Roles, Rank: string(u.Rank),
		RankTitle: u.RankTitle, Phone: pii.MaskPhone(u.Phone), IDNumber: pii.MaskIDNumber(u.IDNumber), Active: u.Active}
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	u, _ := r.Context().Value(userKey).(*account.User)
	sess, _ := r.Context().Value(sessionKey).(*session.Session)
	writeJSON(w, http.StatusOK, map[string]any{"user": apiUser(u), "session_expires_at": apiTime(sess.ExpiresAt)})
	return nil
}

func (s *Server) apiUser(w http.ResponseWriter, r *http.Request) error {
	id, _ := app.ParseID("id", r.PathValue("id"))
	u, err := s.db.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiUser(u))
	return nil
}

func (s *Server) apiOrgs(w http.ResponseWriter, r *http.Request) error {
	// The same filter and scope as the page.
	f, _, err := s.orgFilter(r)
	if err != nil {
		return err
	}
	orgs, total, err := s.db.FindOrgs(r.Context(), f)
	if err != nil {
		return err
	}
	type body struct {
		ID       string `json:"id"`
		ParentID string `json:"parent_id,omitempty"`
		Kind     string `json:"kind"`
		Name     string `json:"name"`
		Code     string `json:"code"`
		Active   bool   `json:"active"`
	}
	out := make([]body, 0, len(orgs))
	for _, o := range orgs {
		b := body{ID: o.ID.String(), Kind: string(o.Kind), Name: o.Name, Code: o.Code, Active: o.Active}
		if o.ParentID != 0 {
			b.ParentID = o.ParentID.String()
		}
		out = append(out, b)
	}
	writeJSON(w, http.StatusOK, map[string]any{"orgs": out, "total": total})
	return nil
}
