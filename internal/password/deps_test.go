package password

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps this capability package free of the web layer, the store
// and database drivers, as the architecture requires.
func TestDeps(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "pufa/internal/password").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	forbidden := []string{"pufa/", "database/sql", "net/http", "modernc.org/", "github.com/jackc/"}
	for dep := range strings.FieldsSeq(string(out)) {
		if dep == "pufa/internal/password" {
			continue
		}
		for _, f := range forbidden {
			if strings.HasPrefix(dep, f) {
				t.Errorf("pufa/internal/password depends on %s", dep)
			}
		}
	}
}
