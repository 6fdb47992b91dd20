package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"pufa/internal/loadgen"
	"pufa/internal/store"
)

// TestLoadtest drives a real server with `pufa loadtest` on a fixture from
// `pufa loadtest-fixture`: every examinee signs in, starts, saves and
// submits, and the report counts it all, with no errors.
func TestLoadtest(t *testing.T) {
	e := newEnv(t, store.SQLite)
	code, out, errb := e.run("", "loadtest-fixture", "--examinees", "6", "--questions", "10")
	wantCode(t, "loadtest-fixture", code, 0, out, errb)
	fixture := filepath.Join(t.TempDir(), "fixture.json")
	if err := os.WriteFile(fixture, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	addr, stop := startServe(t, e, "serve")
	defer stop()
	code, out, errb = e.run("", "loadtest", "--fixture", fixture, "--url", "http://"+addr, "--duration", "500ms", "--healthz-duration", "200ms", "--submit", "--json")
	wantCode(t, "loadtest", code, 0, out, errb)
	var rep loadgen.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	if len(rep.Errors) != 0 {
		t.Errorf("errors: %+v", rep.Errors)
	}
	ops := map[string]loadgen.OpReport{}
	for _, p := range rep.Phases {
		for _, o := range p.Ops {
			ops[o.Name] = o
		}
	}
	for name, min := range map[string]int64{"sign-in": 6, "start": 6, "save": 6, "submit": 6, "healthz": 1} {
		if ops[name].OK < min {
			t.Errorf("%s: %d acknowledged, want at least %d (%+v)", name, ops[name].OK, min, ops[name])
		}
	}
	if rep.SaveHealthzRatio <= 0 {
		t.Errorf("save/healthz ratio %s", strconv.FormatFloat(rep.SaveHealthzRatio, 'f', 3, 64))
	}
}
