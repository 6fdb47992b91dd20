package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"pufa/internal/app"
	"pufa/internal/assess"
)

var (
	editorInput  = regexp.MustCompile(`<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"`)
	editorSelect = regexp.MustCompile(`(?s)<select name="([^"]+)"[^>]*>(.*?)</select>`)
	selectedOpt  = regexp.MustCompile(`<option(?: value="([^"]*)")? selected>([^<]*)</option>`)
)

// editorForm turns the scheme editor page back into the form a browser
// would submit.
func editorForm(body string) url.Values {
	f := url.Values{}
	form := body[strings.Index(body, `class="scheme-editor"`):]
	for _, m := range editorInput.FindAllStringSubmatch(form, -1) {
		if strings.Contains(m[0], `type="checkbox"`) && !strings.Contains(m[0], "checked") {
			continue
		}
		f.Add(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range editorSelect.FindAllStringSubmatch(form, -1) {
		v := ""
		if o := selectedOpt.FindStringSubmatch(m[2]); o != nil {
			v = o[2]
			if strings.Contains(o[0], "value=") {
				v = o[1]
			}
		}
		f.Add(m[1], html.UnescapeString(v))
	}
	return f
}

// TestSchemeImport: a scheme exported to .xlsx imports back into the
// editor and saves as the same scheme; a rubric document imports with its
// warnings and is refused, row by row, until its problems are fixed; a
// file that is not a spreadsheet is refused in Chinese.
func TestSchemeImport(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	office := e.client()
	office.login("office1", e.accounts["office1"].Password)
	root, _ := e.db.FindRootOrg(ctx)
	schemes, err := e.db.FindSchemes(ctx, root.Path)
	if err != nil || len(schemes) == 0 {
		t.Fatal("demo has no scheme")
	}
	orig := schemes[0]

	resp, data := office.get("/schemes/" + orig.ID.String() + "/export")
	if resp.StatusCode != 200 {
		t.Fatalf("export = %d", resp.StatusCode)
	}
	resp, body := office.upload("/schemes/import", "指标.xlsx", []byte(data))
	if resp.StatusCode != 200 || !strings.Contains(body, "尚未保存") {
		t.Fatalf("import = %d: %s", resp.StatusCode, firstError(body))
	}
	form := editorForm(body)
	if n := len(form["name_"]); n < 30 {
		t.Fatalf("editor has %d rows", n)
	}
	resp, body = office.post("/schemes", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save imported = %d: %s", resp.StatusCode, firstError(body))
	}
	id, _ := app.ParseID("id", idFrom(t, resp))
	saved, err := e.db.FindSchemeByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := assess.EncodeScheme(orig.Scheme)
	b, _ := assess.EncodeScheme(saved.Scheme)
	if string(a) != string(b) {
		t.Fatalf("round trip through .xlsx and the editor changed the scheme:\n%s\n%s", a, b)
	}

	// Editing: a child's points that no longer add up are refused naming
	// the row; the draft stays as it was.
	resp, body = office.get("/schemes/" + id.String() + "/edit")
	if resp.StatusCode != 200 {
		t.Fatalf("edit = %d", resp.StatusCode)
	}
	form = editorForm(body)
	form["max_"][1] = "7" // A1 was 6 of A's 20
	resp, body = office.post("/schemes/"+id.String(), form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "第") {
		t.Fatalf("bad edit = %d: %s", resp.StatusCode, firstError(body))
	}
	if again, _ := e.db.FindSchemeByID(ctx, id); again.Scheme.Roots[0].Children[0].Max != 6 {
		t.Fatal("a refused edit changed the draft")
	}

	// A rubric document: rows and warnings for review, nothing saved.
	rubric, err := os.ReadFile("../assess/schemefile/testdata/rubric.txt")
	if err != nil {
		t.Fatal(err)
	}
	before, _ := e.db.FindSchemes(ctx, root.Path)
	resp, body = office.upload("/schemes/import", "考核评分细则.txt", rubric)
	if resp.StatusCode != 200 || !strings.Contains(body, "导入时需要您确认") || !strings.Contains(body, "组织领导") {
		t.Fatalf("rubric import = %d: %s", resp.StatusCode, firstError(body))
	}
	if after, _ := e.db.FindSchemes(ctx, root.Path); len(after) != len(before) {
		t.Fatal("importing saved a scheme before review")
	}

	// Not a spreadsheet.
	resp, body = office.upload("/schemes/import", "指标.xlsx", []byte("PK\x03\x04 this is not a workbook"))
	if resp.StatusCode != http.StatusBadRequest || firstError(body) == "" {
		t.Fatalf("garbage = %d: %s", resp.StatusCode, firstError(body))
	}
}
