package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/auth"
	"pufa/internal/authz"
	"pufa/internal/session"
)

const (
	sessionCookie = "pufa_session"
	csrfCookie    = "pufa_csrf"
	flashCookie   = "pufa_flash"
	csrfField     = "csrf"
)

type ctxKey int

const (
	nonceKey ctxKey = iota
	csrfKey
	userKey
	sessionKey
)

// statusWriter records the status for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

var errSignInRequired = &app.Error{Code: app.EUNAUTHORIZED, Message: "请先登录"}

func contextWith(ctx context.Context, k ctxKey, v any) context.Context {
	return context.WithValue(ctx, k, v)
}

func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// outer runs for every request: request id and meta, security headers,
// a body limit checked before anything reads, panic recovery, logs and
// metrics.
func (s *Server) outer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rid := hex.EncodeToString([]byte(randomToken(6)))[:12]
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			ip = r.RemoteAddr
		}
		ctx := app.WithRequestMeta(r.Context(), app.RequestMeta{IP: ip, RequestID: rid, UserAgent: r.UserAgent()})
		nonce := randomToken(16)
		ctx = contextWith(ctx, nonceKey, nonce)
		r = r.WithContext(ctx)

		h := w.Header()
		h.Set("X-Request-Id", rid)
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-"+nonce+"'; style-src 'self' 'nonce-"+nonce+"'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if s.opts.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}

		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "request_id", rid, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if sw.status == 0 {
					s.renderError(sw, r, fmt.Errorf("panic: %v", p), false)
				}
			}
			pattern := r.Pattern
			if pattern == "" {
				pattern = "unmatched"
			}
			d := time.Since(start)
			s.metrics.observe(pattern, sw.status, d)
			s.log.Info("request", "method", r.Method, "path", r.URL.Path, "route", pattern, "status", sw.status, "bytes", sw.bytes, "ms", d.Milliseconds(), "request_id", rid, "ip", ip)
		}()

		// Refuse an oversized body before reading it: by its declared
		// length first, and by a reader that stops at the limit for bodies
		// that do not declare one.
		limit := s.opts.MaxBodyBytes
		if isUploadPath(r.URL.Path) {
			limit = s.opts.MaxUploadBytes + 64<<10
		}
		if r.ContentLength > limit {
			s.renderError(sw, r, app.Errorf(app.ETOOLARGE, "提交的内容过大（上限 %s）", humanSize(limit)), strings.HasPrefix(r.URL.Path, "/api/"))
			return
		}
		r.Body = http.MaxBytesReader(sw, r.Body, limit)
		next.ServeHTTP(sw, r)
	})
}

func isUploadPath(p string) bool {
	return p == "/import" || p == "/plans/preview" || p == "/schemes/import" || p == "/laws/preview" || p == "/questions/import" || strings.HasPrefix(p, "/duty/import/") || strings.HasPrefix(p, "/duty/report/") || (strings.HasPrefix(p, "/rounds/") && strings.HasSuffix(p, "/site")) || (strings.HasPrefix(p, "/tasks/") && strings.HasSuffix(p, "/reports"))
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

// wrap applies the route's access rule and renders its error.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveRoute(rt, w, r)
	})
}

// serveRoute runs the route and renders its error with the request as it
// stands by then, so an error page knows who is signed in.
func (s *Server) serveRoute(rt route, w http.ResponseWriter, r *http.Request) {
	if err := s.authorizeAndServe(rt, w, &r); err != nil {
		s.renderError(w, r, err, rt.api || rt.jsonErrors)
	}
}

func (s *Server) authorizeAndServe(rt route, w http.ResponseWriter, rp **http.Request) error {
	r := *rp
	ctx := withMemo(r.Context())
	token, fromCookie := "", false
	if rt.api {
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			token = strings.TrimPrefix(h, "Bearer ")
		}
	} else if c, err := r.Cookie(sessionCookie); err == nil {
		token, fromCookie = c.Value, true
	}
	var user *account.User
	if token != "" {
		authenticate := s.auth.Authenticate
		if rt.quiet {
			authenticate = s.auth.AuthenticateQuiet
		}
		sess, u, actor, err := authenticate(ctx, token)
		if err == nil && (sess.Kind == session.KindAPI) != rt.api {
			// A cookie session is no bearer token and a token no cookie: a
			// token that leaks from a mobile client cannot drive the
			// browser pages, and a cookie cannot skip CSRF as a token.
			err = auth.ErrNoSession
		}
		if err == nil {
			ctx = app.WithActor(ctx, actor)
			ctx = contextWith(ctx, userKey, u)
			ctx = contextWith(ctx, sessionKey, sess)
			user = u
		} else if app.ErrorCode(err) != app.EUNAUTHORIZED {
			return err
		} else if fromCookie {
			s.clearCookie(w, sessionCookie)
		}
	}
	r = r.WithContext(ctx)
	*rp = r

	// State-changing browser requests carry the CSRF token from their form.
	// Bearer-token API requests carry no ambient credential and need none.
	if !rt.api {
		tok := s.csrfToken(w, r)
		r = r.WithContext(contextWith(r.Context(), csrfKey, tok))
		*rp = r
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := s.checkCSRF(r, tok); err != nil {
				return err
			}
		}
	}
	if err := checkFormUTF8(r); err != nil {
		return err
	}

	if rt.access != public {
		if user == nil {
			if rt.api {
				return errSignInRequired
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return nil
		}
		w.Header().Set("Cache-Control", "no-store")
		if rt.access != passwordChange && s.auth.MustChange(user, s.clock.Now()) {
			if rt.api {
				return app.Errorf(app.EEXPIRED, "请先修改密码")
			}
			http.Redirect(w, r, "/password", http.StatusSeeOther)
			return nil
		}
	}
	if rt.access == action {
		target := authz.Target{}
		if rt.target != nil {
			t, err := rt.target(s, r)
			if err != nil {
				return err
			}
			target = t
		}
		if !authz.Can(app.ActorFrom(r.Context()), rt.action, target) {
			s.db.WriteAudit(r.Context(), audit.Record{Action: "authz.denied", ObjectType: string(rt.action), ObjectID: r.Method + " " + r.URL.Path, Result: audit.ResultDenied})
			return authz.Forbidden()
		}
	}
	return rt.h(w, r)
}

// checkFormUTF8 refuses a query or form whose values are not valid UTF-8,
// naming the field, before any handler or database sees the text
// (PostgreSQL rejects such bytes with an error, SQLite stores them).
func checkFormUTF8(r *http.Request) error {
	for k, vs := range r.URL.Query() {
		for _, v := range append(vs, k) {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				return app.Invalid(k, "参数“%s”包含无效字符（不是有效的 UTF-8 文本）", strings.ToValidUTF8(k, "?"))
			}
		}
	}
	if r.MultipartForm != nil {
		// A handler that parsed its upload asks again for the text fields.
		for k, vs := range r.MultipartForm.Value {
			for _, v := range vs {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					return app.Invalid(k, "字段“%s”包含无效字符（不是有效的 UTF-8 文本）", strings.ToValidUTF8(k, "?"))
				}
			}
		}
		return nil
	}
	if r.Method != http.MethodPost || strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return app.Errorf(app.ETOOLARGE, "提交的内容过大（上限 %s）", humanSize(mbe.Limit))
		}
		return app.Errorf(app.EINVALID, "无法解析提交的表单")
	}
	for k, vs := range r.Form {
		if !utf8.ValidString(k) {
			return app.Errorf(app.EINVALID, "表单字段名不是有效的 UTF-8 文本")
		}
		for _, v := range vs {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				return app.Invalid(k, "字段“%s”包含无效字符（不是有效的 UTF-8 文本）", k)
			}
		}
	}
	return nil
}

// csrfToken returns the browser's CSRF token, setting the cookie when the
// browser has none. The token is a double-submit secret: a page from
// another origin can neither read the cookie nor the form field, and
// SameSite=Strict keeps the cookie off its requests anyway.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 22 && len(c.Value) <= 64 {
		return c.Value
	}
	tok := randomToken(24)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/", HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	return tok
}

func (s *Server) checkCSRF(r *http.Request, tok string) error {
	sent := r.Header.Get("X-CSRF-Token")
	if sent == "" {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			// Multipart forms are parsed by their handler under the upload
			// limit; the token rides in the query string there.
			sent = r.URL.Query().Get(csrfField)
		} else {
			sent = r.PostFormValue(csrfField)
		}
	}
	if _, err := r.Cookie(csrfCookie); err != nil || sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(tok)) != 1 {
		return app.Errorf(app.EFORBIDDEN, "页面已过期或请求来源无法验证，请刷新页面后重试")
	}
	return nil
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string, sess *session.Session) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.opts.SecureCookies,
		SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt})
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// flash sets a one-time message shown on the next page.
func (s *Server) flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// redirect sends a POST's browser on with a flash message (POST → redirect
// → GET, so a refresh never repeats the change).
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, msg string) error {
	if msg != "" {
		s.flash(w, msg)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
