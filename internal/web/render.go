package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/org"
	"pufa/internal/outline"
	"pufa/internal/pii"
)

//go:embed templates
var templateFS embed.FS

// view is what every page template receives.
type view struct {
	Title     string
	Nonce     string
	CSRF      string
	Actor     *app.Actor
	User      *account.User
	Nav       []navItem
	Active    string
	Flash     string
	Errors    []fieldError
	RequestID string
	Version   string
	Unread    int
	Static    func(string) string
	// Platform is the installation's name (系统设置).
	Platform string
	// Data is the page's own data.
	Data any
	// Bare leaves out the top bar and footer: a large screen shows the
	// page alone.
	Bare bool
}

type navItem struct {
	Href, Label, Key string
}

type fieldError struct {
	Field, Message string
}

// FieldError returns the message for field, if any: templates repeat it
// beside the field after the summary at the top.
func (v *view) FieldError(field string) string {
	for _, e := range v.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

var funcs = template.FuncMap{
	"time":      fmtTime,
	"date":      fmtDate,
	"dateISO":   func(t time.Time) string { return t.In(app.Shanghai).Format("2006-01-02") },
	"maskPhone": pii.MaskPhone,
	"maskID":    pii.MaskIDNumber,
	"roleLabel": account.RoleLabel,
	"kindLabel": func(k org.Kind) string { return k.Label() },
	"join":      strings.Join,
	"add":       func(a, b int) int { return a + b },
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	},
	"query": func(kv ...string) template.URL {
		q := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] != "" {
				q.Set(kv[i], kv[i+1])
			}
		}
		return template.URL(q.Encode())
	},
	"contains": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
	"pageQuery": func(page int, query string) template.URL {
		q, _ := url.ParseQuery(query)
		q.Set("page", strconv.Itoa(page))
		return template.URL(q.Encode())
	},
	"pct":      func(f float64) string { return strconv.FormatFloat(f, 'f', 0, 64) },
	"mul100":   func(f float64) float64 { return f * 100 },
	"paras":    paragraphs,
	"unitName": func(names map[app.ID]string, id app.ID) string { return names[id] },
	"hasID":    func(ids []app.ID, id app.ID) bool { return hasID(ids, id) },
	"warnLabel": func(k outline.WarningKind) string {
		switch k {
		case outline.WarnPageMarker:
			return "已去除页码"
		case outline.WarnOCR:
			return "疑似错字"
		case outline.WarnNumbering:
			return "编号"
		case outline.WarnTruncated:
			return "内容不完整"
		}
		return string(k)
	},
	"depthClass": func(depth int) string { return "depth-" + strconv.Itoa(min(depth, 5)) },
	"num":        func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) },
	"pts":        func(x float64) string { return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64) },
	// answers writes an answer key for people: 正确/错误 for a judgement.
	"answers": func(ans []string) string {
		out := make([]string, len(ans))
		for i, a := range ans {
			switch a {
			case "true":
				out[i] = "正确"
			case "false":
				out[i] = "错误"
			default:
				out[i] = a
			}
		}
		return strings.Join(out, "、")
	},
	"perPerson": func(total, people int) string {
		if people == 0 {
			return "0"
		}
		return strconv.FormatFloat(math.Round(float64(total)*10/float64(people))/10, 'f', -1, 64)
	},
	"share": func(a, b int) string {
		if b == 0 {
			return "0"
		}
		return strconv.Itoa(a * 100 / b)
	},
}

// parseTemplates parses each page with its layout: pages under
// templates/app use the signed-in shell, pages under templates/public the
// public one. Option missingkey=error makes a typo in a template a failure
// in tests, not a blank on a page.
func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, layout := range []string{"app", "public"} {
		base, err := template.New("").Funcs(funcs).Option("missingkey=error").ParseFS(templateFS, "templates/"+layout+".html", "templates/partials.html")
		if err != nil {
			return nil, fmt.Errorf("parse %s layout: %w", layout, err)
		}
		files, err := fs.Glob(templateFS, "templates/"+layout+"/*.html")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
			if err != nil {
				return nil, fmt.Errorf("parse %s: %w", f, err)
			}
			name := strings.TrimSuffix(path.Base(f), ".html")
			if _, dup := pages[name]; dup {
				return nil, fmt.Errorf("page %s defined twice", name)
			}
			if t.Lookup("content") == nil {
				return nil, fmt.Errorf("page %s defines no content", f)
			}
			pages[name] = t.Lookup(layout)
		}
	}
	return pages, nil
}

// newView fills what every page shows.
func (s *Server) newView(r *http.Request, title string, data any) *view {
	ctx := r.Context()
	v := &view{
		Title: title, Data: data, Version: s.opts.Version,
		Nonce:     ctxString(r, nonceKey),
		CSRF:      ctxString(r, csrfKey),
		Actor:     app.ActorFrom(ctx),
		RequestID: app.RequestMetaFrom(ctx).RequestID,
		Static:    s.static.url,
	}
	v.User, _ = ctx.Value(userKey).(*account.User)
	v.Platform = s.settings(r).PlatformName
	if v.Actor != nil {
		v.Nav = navFor(v.Actor)
		if _, unread, err := s.db.FindNotices(ctx, v.Actor.UserID, 1); err == nil {
			v.Unread = unread
		}
	}
	if c, err := r.Cookie(flashCookie); err == nil {
		v.Flash, _ = url.QueryUnescape(c.Value)
	}
	return v
}

func ctxString(r *http.Request, k ctxKey) string {
	s, _ := r.Context().Value(k).(string)
	return s
}

// navFor builds the navigation the actor's roles allow; authz decides.
func navFor(a *app.Actor) []navItem {
	own := authz.AtOrg(a.OrgPath)
	nav := []navItem{{Href: "/", Label: "工作台", Key: "home"}}
	if authz.Can(a, authz.PlanManage, own) || a.HasRole(account.RoleLiaison) {
		nav = append(nav, navItem{Href: "/plans", Label: "工作台账", Key: "plans"})
	}
	if authz.Can(a, authz.DutyReview, own) || authz.Can(a, authz.DutyEdit, own) {
		nav = append(nav, navItem{Href: "/duty", Label: "责任清单", Key: "duty"})
	}
	// Schemes are reached from 考评, question banks and lists from 学法:
	// the bar stays on one line at a desk.
	if authz.Can(a, authz.AssessManage, own) {
		nav = append(nav, navItem{Href: "/rounds", Label: "考评", Key: "rounds"})
	}
	// Raters are chosen per round, so reviewers and liaisons both score;
	// office staff who verify find their sheets on the workbench.
	if a.HasRole(account.RoleReviewer) || a.HasRole(account.RoleLiaison) {
		nav = append(nav, navItem{Href: "/sheets", Label: "我的评分", Key: "sheets"})
	}
	if a.HasRole(account.RoleLiaison) {
		nav = append(nav, navItem{Href: "/results", Label: "考评结果", Key: "results"})
	}
	nav = append(nav, navItem{Href: "/laws", Label: "学法", Key: "laws"}, navItem{Href: "/practice", Label: "练习", Key: "practice"})
	if a.HasRole(account.RoleExaminee) || authz.Can(a, authz.ExamManage, own) {
		nav = append(nav, navItem{Href: "/exams", Label: "考试", Key: "exams"})
	}
	if authz.Can(a, authz.OrgView, own) {
		nav = append(nav, navItem{Href: "/orgs", Label: "组织机构", Key: "orgs"})
	}
	if authz.Can(a, authz.UserView, own) {
		nav = append(nav, navItem{Href: "/users", Label: "用户管理", Key: "users"})
	}
	if authz.Can(a, authz.AuditView, authz.Target{}) {
		nav = append(nav, navItem{Href: "/audit", Label: "审计日志", Key: "audit"})
	}
	if authz.Can(a, authz.SettingsManage, authz.Target{}) {
		nav = append(nav, navItem{Href: "/settings", Label: "系统设置", Key: "settings"})
	}
	return append(nav, navItem{Href: "/notices", Label: "通知", Key: "notices"})
}

// render writes a page. It renders into a buffer first so a template
// error becomes an error page, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	if v.Flash != "" {
		s.clearCookie(w, flashCookie)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// formErrors turns an error into the form's error list, or returns it
// when it is not the user's to fix.
func formErrors(err error) ([]fieldError, error) {
	var e *app.Error
	if errors.As(err, &e) && e.Code != app.EINTERNAL {
		return []fieldError{{Field: e.Field, Message: e.Message}}, nil
	}
	return nil, err
}

// renderForm re-shows a form after a failed submit with what was typed and
// the error, or hands a non-user error on.
func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, page, title string, data any, err error) error {
	return s.renderFormIn(w, r, "", page, title, data, err)
}

// renderFormIn is renderForm with the navigation's active item.
func (s *Server) renderFormIn(w http.ResponseWriter, r *http.Request, active, page, title string, data any, err error) error {
	errs, internal := formErrors(err)
	if internal != nil {
		return internal
	}
	v := s.newView(r, title, data)
	v.Active = active
	v.Errors = errs
	return s.render(w, r, statusOf(app.ErrorCode(err)), page, v)
}

// renderError shows err: a Chinese page (or JSON body) with the request id.
// Internal errors are logged in full and shown as a generic message.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error, api bool) {
	code := app.ErrorCode(err)
	status := statusOf(code)
	rid := app.RequestMetaFrom(r.Context()).RequestID
	if code == app.EINTERNAL {
		s.log.Error("internal error", "request_id", rid, "method", r.Method, "path", r.URL.Path, "err", err.Error())
	}
	if api || strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": app.ErrorMessage(err), "request_id": rid}})
		return
	}
	v := s.newView(r, errorTitle(status), map[string]any{"Status": status, "Message": app.ErrorMessage(err)})
	page := "error"
	if v.Actor == nil {
		page = "error_public"
	}
	if rerr := s.render(w, r, status, page, v); rerr != nil {
		s.log.Error("render error page", "request_id", rid, "err", rerr.Error())
		http.Error(w, "系统内部错误，请求编号 "+rid, http.StatusInternalServerError)
	}
}

func errorTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "页面不存在"
	case http.StatusForbidden:
		return "没有权限"
	case http.StatusBadRequest:
		return "请求有误"
	case http.StatusRequestEntityTooLarge:
		return "内容过大"
	case http.StatusUnauthorized:
		return "需要登录"
	}
	if status >= 500 {
		return "系统错误"
	}
	return "无法完成操作"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// apiTime formats a time for the API: RFC 3339 with the +08:00 offset.
func apiTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(app.Shanghai).Format(time.RFC3339)
}
