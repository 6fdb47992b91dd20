package web

import (
	"net/http"
	"net/url"
	"strings"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/session"
)

type loginData struct {
	Login string
	Next  string
}

// safeNext keeps a post-login redirect inside pufa: a path on this site
// and nothing a browser could read as another host ("//x", "/\\x", control
// characters that browsers strip before resolving).
func safeNext(next string) string {
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") ||
		strings.HasPrefix(u.Path, "//") || strings.HasPrefix(u.Path, "/login") {
		return "/"
	}
	return u.RequestURI()
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if app.ActorFrom(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "login", s.newView(r, "登录", loginData{Next: safeNext(r.URL.Query().Get("next"))}))
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	data := loginData{Login: strings.TrimSpace(r.PostFormValue("login")), Next: safeNext(r.PostFormValue("next"))}
	res, err := s.auth.Login(r.Context(), data.Login, r.PostFormValue("password"), session.KindWeb)
	if err != nil {
		return s.renderForm(w, r, "login", "登录", data, err)
	}
	// A fresh session id at every sign-in: a session fixed before sign-in
	// is never promoted.
	s.setSessionCookie(w, res.Token, res.Session)
	if res.MustChange {
		return s.redirect(w, r, "/password", "")
	}
	return s.redirect(w, r, data.Next, "")
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearCookie(w, sessionCookie)
	return s.redirect(w, r, "/login", "您已安全退出")
}

type passwordData struct {
	Forced bool
	Reason string
	Policy string
}

func (s *Server) passwordData(r *http.Request) passwordData {
	u, _ := r.Context().Value(userKey).(*account.User)
	d := passwordData{Policy: policyText(s.auth.Policy.MinLength, s.auth.Policy.MinClasses, s.auth.Policy.HistoryCount)}
	if u != nil && s.auth.MustChange(u, s.clock.Now()) {
		d.Forced = true
		d.Reason = "首次登录或密码已由管理员重置，请先设置新密码。"
		if !u.MustChange {
			d.Reason = "您的密码已超过有效期，请设置新密码。"
		}
	}
	return d
}

func policyText(minLen, classes, history int) string {
	t := "至少 " + itoa(minLen) + " 个字符，包含大写字母、小写字母、数字、符号中的至少 " + itoa(classes) + " 类，不能包含登录名"
	if history > 0 {
		t += "，不能与最近 " + itoa(history) + " 次的密码相同"
	}
	return t + "。"
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "password", s.newView(r, "修改密码", s.passwordData(r)))
}

func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request) error {
	a := app.ActorFrom(r.Context())
	next := r.PostFormValue("new")
	if next != r.PostFormValue("confirm") {
		return s.renderForm(w, r, "password", "修改密码", s.passwordData(r), app.Invalid("confirm", "两次输入的新密码不一致"))
	}
	if err := s.auth.ChangePassword(r.Context(), a.UserID, r.PostFormValue("current"), next, a.SessionID); err != nil {
		return s.renderForm(w, r, "password", "修改密码", s.passwordData(r), err)
	}
	return s.redirect(w, r, "/", "密码已修改，其他设备上的登录已退出")
}
