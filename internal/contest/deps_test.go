package contest

import (
	"os/exec"
	"strings"
	"testing"
)

// TestPure keeps the contest free of HTTP, SQL, the store and the web layer.
func TestPure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "pufa/internal/contest").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, d := range strings.Fields(string(out)) {
		for _, f := range []string{"net/http", "database/sql", "pufa/internal/store", "pufa/internal/web"} {
			if d == f || strings.HasPrefix(d, f+"/") {
				t.Errorf("contest depends on %s", d)
			}
		}
	}
}
