// Package web is pufa's HTTP surface: the server-rendered pages, the JSON
// API under /api/v1/, and the middleware every request passes (request id,
// security headers, sessions, CSRF, authorization, metrics).
package web

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/auth"
	"pufa/internal/blob"
	"pufa/internal/crypt"
	"pufa/internal/settings"
	"pufa/internal/store"
)

// Options are the server's dependencies and settings; cmd/ fills them.
type Options struct {
	DB     *store.DB
	Auth   *auth.Service
	Crypto crypt.Provider
	Blobs  blob.Store
	Logger *slog.Logger
	Clock  app.Clock
	// SecureCookies marks cookies Secure; on behind HTTPS in production,
	// off for the demo on http://127.0.0.1.
	SecureCookies bool
	// Version is shown in the footer and /metrics.
	Version string
	// MaxBodyBytes bounds ordinary request bodies (default 1 MiB); uploads
	// have their own limits.
	MaxBodyBytes int64
	// MaxUploadBytes bounds an uploaded file (default 20 MiB).
	MaxUploadBytes int64
	// CodeSender sends public-rating verification codes; nil logs them.
	CodeSender CodeSender
}

// Server handles every request.
type Server struct {
	opts    Options
	db      *store.DB
	auth    *auth.Service
	log     *slog.Logger
	clock   app.Clock
	mux     *http.ServeMux
	handler http.Handler
	pages   map[string]*template.Template
	static  *staticFiles
	metrics *metrics
	routes  []route
	// jobs tracks background jobs so Close can wait for them.
	jobs jobRunner
	// exams caches what the exam's hot paths read (exam_core.go).
	exams *examCaches
	// liveHub wakes the live final's streams (contest_live.go).
	liveHub *liveHub
}

// New builds the server. It parses every template up front, so a page that
// names a missing template fails here, at start, not in front of a user.
func New(o Options) (*Server, error) {
	if o.DB == nil || o.Auth == nil || o.Crypto == nil || o.Blobs == nil {
		return nil, errors.New("web: DB, Auth, Crypto and Blobs are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = app.SystemClock{}
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 1 << 20
	}
	if o.MaxUploadBytes <= 0 {
		o.MaxUploadBytes = 20 << 20
	}
	s := &Server{opts: o, db: o.DB, auth: o.Auth, log: o.Logger, clock: o.Clock, mux: http.NewServeMux(), metrics: newMetrics(), exams: newExamCaches(), liveHub: newLiveHub()}
	var err error
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.Handle(rt.method+" "+rt.pattern, s.wrap(rt))
	}
	s.mux.Handle("/", s.wrap(route{method: "", pattern: "/", access: public, h: s.notFound}))
	cop := http.NewCrossOriginProtection()
	s.handler = s.outer(cop.Handler(s.mux))
	return s, nil
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Close waits for background jobs to finish or ctx to end.
func (s *Server) Close(ctx context.Context) error { return s.jobs.wait(ctx) }

// handlerFunc is a handler that returns its error for one place to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return app.Errorf(app.ENOTFOUND, "页面不存在：%s", r.URL.Path)
}

// settings returns the installation's settings, falling back to the
// defaults if they cannot be read (a page should not fail over its title).
func (s *Server) settings(r *http.Request) settings.Settings {
	st, err := s.db.LoadSettings(r.Context())
	if err != nil {
		s.log.Warn("load settings", "err", err.Error())
		return settings.Defaults()
	}
	return st
}

func (s *Server) settingsForm(w http.ResponseWriter, r *http.Request) error {
	v := s.newView(r, "系统设置", s.settings(r))
	v.Active = "settings"
	return s.render(w, r, http.StatusOK, "settings", v)
}

func (s *Server) settingsSave(w http.ResponseWriter, r *http.Request) error {
	st := settings.Settings{PlatformName: r.PostFormValue("platform_name")}
	days, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("warning_days")))
	if err != nil {
		err = app.Invalid("warning_days", "临期提醒天数应为 1 到 90 之间的整数")
	} else {
		st.WarningDays = days
		err = s.db.SaveSettings(r.Context(), st)
	}
	if err != nil {
		return s.renderForm(w, r, "settings", "系统设置", st, err)
	}
	return s.redirect(w, r, "/settings", "设置已保存")
}

// statusOf maps an error code to its HTTP status: one table for the whole
// server.
func statusOf(code string) int {
	switch code {
	case app.EINVALID:
		return http.StatusBadRequest
	case app.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case app.EFORBIDDEN:
		return http.StatusForbidden
	case app.ENOTFOUND:
		return http.StatusNotFound
	case app.ECONFLICT:
		return http.StatusConflict
	case app.ELOCKED:
		return http.StatusLocked
	case app.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case app.ERATELIMITED:
		return http.StatusTooManyRequests
	case app.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case app.EEXPIRED:
		return http.StatusForbidden
	case "":
		return http.StatusOK
	}
	return http.StatusInternalServerError
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(app.Shanghai).Format("2006-01-02 15:04")
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(app.Shanghai).Format("2006-01-02")
}
