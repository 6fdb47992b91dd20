package question

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the engine pure: no HTTP, no database, no spreadsheet
// library (that is qfile's), no store or web layer. Of pufa it may use only
// the shared errors.
func TestDeps(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "pufa/internal/question").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := map[string]bool{"pufa/internal/question": true, "pufa/internal/app": true}
	forbidden := []string{"pufa/", "database/sql", "net/http", "os/exec", "modernc.org/", "github.com/jackc/", "github.com/xuri/"}
	for dep := range strings.FieldsSeq(string(out)) {
		if allowed[dep] {
			continue
		}
		for _, f := range forbidden {
			if strings.HasPrefix(dep, f) {
				t.Errorf("pufa/internal/question depends on %s", dep)
			}
		}
	}
}
