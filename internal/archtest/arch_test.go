// Package archtest holds tests about the shape of the code base: which
// packages may depend on which.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

// capabilities hold domain types, rules and Store interfaces, and the pure
// engines (outline, question parsing, password rules). They must not reach
// for HTTP, SQL drivers, the store or the web layer: those import them,
// never the other way round.
var capabilities = []string{
	"pufa/internal/app", "pufa/internal/org", "pufa/internal/account", "pufa/internal/session",
	"pufa/internal/audit", "pufa/internal/notice", "pufa/internal/job", "pufa/internal/directory",
	"pufa/internal/auth", "pufa/internal/authz", "pufa/internal/password", "pufa/internal/pii",
	"pufa/internal/plan", "pufa/internal/question", "pufa/internal/outline", "pufa/internal/settings", "pufa/internal/assess",
	"pufa/internal/law", "pufa/internal/learn", "pufa/internal/duty", "pufa/internal/circular", "pufa/internal/similar", "pufa/internal/exam", "pufa/internal/quiz",
}

var forbidden = []string{
	"net/http", "database/sql", "pufa/internal/store", "pufa/internal/web",
	"github.com/jackc/pgx/v5", "modernc.org/sqlite",
	// The spreadsheet library pulls in net/http; file readers that need it
	// (internal/xlsx, internal/question/qfile) are not capabilities.
	"github.com/xuri/excelize/v2",
}

func TestCapabilitiesStayPure(t *testing.T) {
	for _, pkg := range capabilities {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		deps := strings.Fields(string(out))
		for _, d := range deps {
			for _, f := range forbidden {
				if d == f || strings.HasPrefix(d, f+"/") {
					t.Errorf("%s depends on %s", pkg, d)
				}
			}
		}
	}
}
