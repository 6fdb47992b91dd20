package web

import (
	"net/http"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/audit"
)

type auditListData struct {
	Entries []*audit.Entry
	Total   int
	Action  string
	Result  string
	Query   string
	Since   string
	Until   string
	Pager   pager
}

const auditPageSize = 50

func (s *Server) auditList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := auditListData{Action: strings.TrimSpace(q.Get("action")), Result: q.Get("result"), Query: strings.TrimSpace(q.Get("q")), Since: q.Get("since"), Until: q.Get("until")}
	f := audit.Filter{}
	if d.Action != "" {
		f.Action = &d.Action
	}
	switch d.Result {
	case "", audit.ResultOK, audit.ResultFailed, audit.ResultDenied:
		if d.Result != "" {
			f.Result = &d.Result
		}
	default:
		return app.Invalid("result", "结果“%s”无效", d.Result)
	}
	if d.Query != "" {
		f.Query = &d.Query
	}
	for _, p := range []struct {
		text  string
		field string
		dst   **time.Time
		add   time.Duration
	}{{d.Since, "since", &f.Since, 0}, {d.Until, "until", &f.Until, 24 * time.Hour}} {
		if p.text == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", p.text, app.Shanghai)
		if err != nil {
			return app.Invalid(p.field, "日期“%s”格式应为 2024-05-01", p.text)
		}
		t = t.Add(p.add)
		*p.dst = &t
	}
	page, offset := pageParams(r, auditPageSize)
	f.Limit, f.Offset = auditPageSize, offset
	entries, total, err := s.db.FindAuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	d.Entries, d.Total = entries, total
	d.Pager = newPager(page, auditPageSize, total, q.Encode())
	v := s.newView(r, "审计日志", d)
	v.Active = "audit"
	return s.render(w, r, http.StatusOK, "audit", v)
}
