package web

import (
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"pufa/internal/app"
)

// metrics keeps request counts and latency histograms by route, written
// out in the Prometheus text format. It is small enough that a client
// library would cost more than it saves.
type metrics struct {
	mu     sync.Mutex
	routes map[string]*routeStats
}

var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

type routeStats struct {
	byStatus map[int]uint64
	buckets  []uint64
	sum      float64
	count    uint64
}

func newMetrics() *metrics { return &metrics{routes: map[string]*routeStats{}} }

func (m *metrics) observe(route string, status int, d time.Duration) {
	if status == 0 {
		status = http.StatusOK
	}
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.routes[route]
	if st == nil {
		st = &routeStats{byStatus: map[int]uint64{}, buckets: make([]uint64, len(latencyBuckets))}
		m.routes[route] = st
	}
	st.byStatus[status]++
	for i, b := range latencyBuckets {
		if sec <= b {
			st.buckets[i]++
		}
	}
	st.sum += sec
	st.count++
}

func promLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	// Route traffic and pool figures are for the operators' scraper, which
	// runs on this host or the private network, not for the public.
	if ip := net.ParseIP(app.RequestMetaFrom(r.Context()).IP); ip == nil || !(ip.IsLoopback() || ip.IsPrivate()) {
		return app.Errorf(app.ENOTFOUND, "页面不存在：%s", r.URL.Path)
	}
	var b strings.Builder
	m := s.metrics
	m.mu.Lock()
	names := make([]string, 0, len(m.routes))
	for k := range m.routes {
		names = append(names, k)
	}
	sort.Strings(names)
	b.WriteString("# HELP pufa_http_requests_total HTTP requests by route and status.\n# TYPE pufa_http_requests_total counter\n")
	for _, n := range names {
		st := m.routes[n]
		codes := make([]int, 0, len(st.byStatus))
		for c := range st.byStatus {
			codes = append(codes, c)
		}
		sort.Ints(codes)
		for _, c := range codes {
			fmt.Fprintf(&b, "pufa_http_requests_total{route=\"%s\",status=\"%d\"} %d\n", promLabel(n), c, st.byStatus[c])
		}
	}
	b.WriteString("# HELP pufa_http_request_duration_seconds HTTP request latency by route.\n# TYPE pufa_http_request_duration_seconds histogram\n")
	for _, n := range names {
		st := m.routes[n]
		l := promLabel(n)
		for i, le := range latencyBuckets {
			fmt.Fprintf(&b, "pufa_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %d\n", l, le, st.buckets[i])
		}
		fmt.Fprintf(&b, "pufa_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %d\n", l, st.count)
		fmt.Fprintf(&b, "pufa_http_request_duration_seconds_sum{route=\"%s\"} %g\n", l, st.sum)
		fmt.Fprintf(&b, "pufa_http_request_duration_seconds_count{route=\"%s\"} %d\n", l, st.count)
	}
	m.mu.Unlock()
	wr, rd := s.db.Stats()
	b.WriteString("# HELP pufa_db_connections Database pool connections by pool and state.\n# TYPE pufa_db_connections gauge\n")
	for _, p := range []struct {
		name  string
		open  int
		inUse int
		idle  int
		waits int64
	}{{"write", wr.OpenConnections, wr.InUse, wr.Idle, wr.WaitCount}, {"read", rd.OpenConnections, rd.InUse, rd.Idle, rd.WaitCount}} {
		fmt.Fprintf(&b, "pufa_db_connections{pool=\"%s\",state=\"open\"} %d\n", p.name, p.open)
		fmt.Fprintf(&b, "pufa_db_connections{pool=\"%s\",state=\"in_use\"} %d\n", p.name, p.inUse)
		fmt.Fprintf(&b, "pufa_db_connections{pool=\"%s\",state=\"idle\"} %d\n", p.name, p.idle)
		fmt.Fprintf(&b, "pufa_db_wait_count_total{pool=\"%s\"} %d\n", p.name, p.waits)
	}
	fmt.Fprintf(&b, "# TYPE pufa_build_info gauge\npufa_build_info{version=\"%s\",db=\"%s\"} 1\n", promLabel(s.opts.Version), s.db.Dialect)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, err := w.Write([]byte(b.String()))
	return err
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if err := s.db.Ping(r.Context()); err != nil {
		s.log.Error("healthz", "err", err.Error())
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "unreachable"})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": string(s.db.Dialect)})
	return nil
}
