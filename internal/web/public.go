package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/qrcode"
)

// publicHome is the landing page of the public layout: what a citizen who
// scanned a QR code sees before a quiz or a rating page exists for them.
func (s *Server) publicHome(w http.ResponseWriter, r *http.Request) error {
	root, err := s.db.FindRootOrg(r.Context())
	if err != nil {
		return err
	}
	now := s.clock.Now()
	ratings, err := s.db.FindOpenRatings(r.Context(), now)
	if err != nil {
		return err
	}
	// Only open-mode quizzes: an invited sample is reached by its links.
	quizzes, err := s.db.FindOpenQuizzes(r.Context(), now)
	if err != nil {
		return err
	}
	rows := make([]portalQuiz, len(quizzes))
	for i, q := range quizzes {
		rows[i] = portalQuiz{Title: q.Title, Link: quizPublicPath(q), Questions: len(q.Questions), ClosesAt: q.ClosesAt,
			Minutes: quizMinutes(q)}
	}
	return s.render(w, r, http.StatusOK, "portal", s.newView(r, root.Name+"普法", map[string]any{"Region": root.Name, "Ratings": ratings, "Quizzes": rows}))
}

// portalQuiz is an open quiz on the public home page.
type portalQuiz struct {
	Title, Link        string
	Questions, Minutes int
	ClosesAt           time.Time
}

// qrSVG draws a QR code for a link inside pufa, for the office to print.
// Only paths on this site are encoded, so the endpoint cannot be used to
// dress up someone else's link with the bureau's name.
func (s *Server) qrSVG(w http.ResponseWriter, r *http.Request) error {
	p := r.URL.Query().Get("path")
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || len(p) > 300 {
		return app.Invalid("path", "二维码只能指向本站的页面")
	}
	scheme := "http"
	if s.opts.SecureCookies || r.TLS != nil {
		scheme = "https"
	}
	link := (&url.URL{Scheme: scheme, Host: r.Host}).String() + p
	svg, err := qrcode.SVG(link)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	// The link is built from the Host the request named, so caches must
	// not hand one host's code to another.
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("Vary", "Host")
	_, err = w.Write([]byte(svg))
	return err
}
