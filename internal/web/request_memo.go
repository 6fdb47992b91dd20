package web

import (
	"context"
	"net/http"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/org"
	"pufa/internal/plan"
)

// A route's target loads the object it authorizes on (the plan, round,
// exam or contest in the path, and its org), and the handler then needs the
// same object. The request carries a memo so the second load is the first
// one's result, not another query.

type memoKey struct{}

// requestMemo holds what this request has loaded, by key. A request is
// served by one goroutine, so it needs no lock.
type requestMemo map[string]any

// withMemo gives r a memo.
func withMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, requestMemo{})
}

// once returns what load gives for key, loading it at most once per
// request; an error is not kept, so a retry loads again. Without a memo
// (a request that did not come through the router) it just loads.
func once[T any](r *http.Request, key string, load func() (T, error)) (T, error) {
	m, _ := r.Context().Value(memoKey{}).(requestMemo)
	if v, ok := m[key]; ok {
		return v.(T), nil
	}
	v, err := load()
	if err == nil && m != nil {
		m[key] = v
	}
	return v, err
}

// orgOnce loads org id once per request.
func (s *Server) orgOnce(r *http.Request, id app.ID) (*org.Org, error) {
	return once(r, "org:"+id.String(), func() (*org.Org, error) { return s.db.FindOrgByID(r.Context(), id) })
}

// planOnce loads plan id once per request.
func (s *Server) planOnce(r *http.Request, id app.ID) (*plan.Plan, error) {
	return once(r, "plan:"+id.String(), func() (*plan.Plan, error) { return s.db.FindPlanByID(r.Context(), id) })
}

// roundOnce loads round id once per request.
func (s *Server) roundOnce(r *http.Request, id app.ID) (*assess.Round, error) {
	return once(r, "round:"+id.String(), func() (*assess.Round, error) { return s.db.FindRoundByID(r.Context(), id) })
}

// schemeOnce loads scheme id once per request.
func (s *Server) schemeOnce(r *http.Request, id app.ID) (*assess.StoredScheme, error) {
	return once(r, "scheme:"+id.String(), func() (*assess.StoredScheme, error) { return s.db.FindSchemeByID(r.Context(), id) })
}
