package loadgen

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// healthzServer serves only GET /healthz, as every pufa server does, and
// counts the connections it accepted. The exam API is tested against the
// real server elsewhere.
func healthzServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	srv := httptest.NewUnstartedServer(mux)
	var conns atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

func TestRun_Healthz(t *testing.T) {
	srv, conns := healthzServer(t)
	rep, err := Run(context.Background(), Config{
		URL: srv.URL, Mode: ModeHealthz, Examinees: 20,
		HealthzDuration: 300 * time.Millisecond, SetupConcurrency: 8,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Phases) != 1 || rep.Phases[0].Name != "healthz" {
		t.Fatalf("phases = %+v", rep.Phases)
	}
	o := rep.Phases[0].Ops[0]
	if o.OK == 0 || o.Failed != 0 || o.PerSecond <= 0 || o.Latency.Count != o.OK || len(rep.Errors) != 0 {
		t.Errorf("healthz = %+v, errors %+v", o, rep.Errors)
	}
	if s := rep.Phases[0].Seconds; s < 0.3 || s > 2 {
		t.Errorf("phase lasted %vs, want about 0.3s", s)
	}
	// Keep-alive: bodies are read to the end, so thousands of requests
	// use about one connection per client. A few more are fine: the
	// transport returns a connection to the pool just after the body's
	// end, and a request issued in between dials a new one.
	if n := conns.Load(); n > 3*20 {
		t.Errorf("%d connections for 20 clients and %d requests: connections are not reused", n, o.OK)
	}
}

// TestRun_SignInFails runs the save mode against a server with no exam
// API: every sign-in fails with 404, nobody saves, and the report says
// so; the healthz phase still runs.
func TestRun_SignInFails(t *testing.T) {
	srv, _ := healthzServer(t)
	rep, err := Run(context.Background(), Config{
		URL: srv.URL, Mode: ModeSaves, Submit: true,
		Fixture:  Fixture{ExamID: "7", Logins: []string{"k1", "k2", "k3"}, Password: "pw"},
		Duration: 50 * time.Millisecond, HealthzDuration: 50 * time.Millisecond, SetupConcurrency: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range rep.Phases {
		names = append(names, p.Name)
	}
	if len(names) != 3 || names[0] != "setup" || names[1] != "saves" || names[2] != "healthz" {
		t.Errorf("phases %v, want setup, saves, healthz (no submit: no attempt started)", names)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Op != "sign-in" || rep.Errors[0].Kind != "404" || rep.Errors[0].Count != 3 {
		t.Errorf("errors = %+v, want three sign-in 404s", rep.Errors)
	}
	if rep.SaveHealthzRatio != 0 {
		t.Errorf("ratio %v without saves", rep.SaveHealthzRatio)
	}
}

func TestRun_ServerDown(t *testing.T) {
	srv, _ := healthzServer(t)
	url := srv.URL
	srv.Close()
	rep, err := Run(context.Background(), Config{URL: url, Mode: ModeHealthz, Examinees: 2, HealthzDuration: time.Second, SetupConcurrency: 1})
	if err == nil || rep != nil {
		t.Fatalf("Run against a closed server = %v, %v; want an error", rep, err)
	}
}

func TestRun_Interrupted(t *testing.T) {
	srv, _ := healthzServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	begin := time.Now()
	rep, err := Run(ctx, Config{URL: srv.URL, Mode: ModeHealthz, Examinees: 4, HealthzDuration: time.Minute, SetupConcurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(begin); took > 5*time.Second {
		t.Errorf("interrupted run took %v", took)
	}
	if !rep.Interrupted || len(rep.Errors) != 0 || rep.Phases[0].Ops[0].OK == 0 {
		t.Errorf("report = %+v", rep)
	}
}
