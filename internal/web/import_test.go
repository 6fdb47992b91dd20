package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"pufa/internal/account"
	"pufa/internal/org"
	"pufa/internal/upload"
	"pufa/internal/xlsx"
)

// waitJob follows a job page until the job ends and returns its status.
func waitJob(t *testing.T, c *client, jobPath string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		_, body := c.get(jobPath + "?format=json")
		var j map[string]any
		if err := json.Unmarshal([]byte(body), &j); err != nil {
			t.Fatalf("job json: %v: %s", err, body)
		}
		if j["status"] == "done" || j["status"] == "failed" {
			return j
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("job did not finish")
	return nil
}

// download fetches a finished job's file.
func download(t *testing.T, c *client, jobPath string) []byte {
	t.Helper()
	if j := waitJob(t, c, jobPath); j["status"] != "done" {
		t.Fatalf("job %v", j)
	}
	resp, body := c.get(jobPath + "/download")
	if resp.StatusCode != 200 {
		t.Fatalf("download %d", resp.StatusCode)
	}
	return []byte(body)
}

// exportBody runs an export and returns all its cells as text.
func exportBody(t *testing.T, c *client, path string) string {
	t.Helper()
	resp, _ := c.post(path, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("export %s = %d", path, resp.StatusCode)
	}
	data := download(t, c, resp.Header.Get("Location"))
	sheet, err := xlsx.ReadSheet(data, upload.DefaultSpreadsheet(), 100000)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(strings.Join(sheet.Header, "\t") + "\n")
	for _, r := range sheet.Rows {
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	return b.String()
}

// workbook builds an import file the way an office worker fills the
// template.
func workbook(t *testing.T, orgs, users [][]any) []byte {
	t.Helper()
	w, err := xlsx.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, sh := range []struct {
		name string
		cols []string
		rows [][]any
	}{{"组织", []string{"上级组织代码*", "组织类型*", "组织名称*", "代码*", "排序号"}, orgs}, {"用户", []string{"登录名*", "姓名*", "所属组织代码*", "角色*", "身份", "职级", "手机号", "身份证号"}, users}} {
		if err := w.AddSheet(sh.name, sh.cols); err != nil {
			t.Fatal(err)
		}
		for _, r := range sh.rows {
			if err := w.WriteRow(r...); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := w.Finish(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// multipart posts a multipart form with fields and files (the field name
// of every file is "files").
func (c *client) multipart(path string, fields map[string]string, files map[string][]byte) (*http.Response, string) {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile("files", name)
		fw.Write(data)
	}
	mw.Close()
	return c.doBody("POST", path+"?csrf="+url.QueryEscape(c.csrfCookie()), &body, false, map[string]string{"Content-Type": mw.FormDataContentType()})
}

func (c *client) upload(path, name string, data []byte) (*http.Response, string) {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return c.doBody("POST", path+sep+"csrf="+url.QueryEscape(c.csrfCookie()), &body, false, map[string]string{"Content-Type": mw.FormDataContentType()})
}

func TestImport(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	c := e.client()
	c.login("office1", e.accounts["office1"].Password)

	// The template downloads and has both sheets.
	resp, tmpl := c.get("/import/template.xlsx")
	if resp.StatusCode != 200 {
		t.Fatalf("template %d", resp.StatusCode)
	}
	if _, err := xlsx.ReadSheetNamed([]byte(tmpl), upload.DefaultSpreadsheet(), 10, "用户"); err != nil {
		t.Fatalf("template has no 用户 sheet: %v", err)
	}

	unit := "12330199MB" + "0000JMP"
	unit += string(org.CreditCodeCheckChar(unit))
	bad := workbook(t,
		[][]any{{"330199", "单位", "区新设局", unit, 5}, {"330199", "单位", "坏代码局", "12330199MB0000JMP0", ""}},
		[][]any{
			{"new.user1", "新用户一", unit, "考生", "", "", "13900001111", ""},
			{"new.user2", "新用户二", unit, "考生、单位联络员", "领导干部", "四级调研员", "", "11010519491231002X"},
			{"office1", "重名", "330199", "考生", "", "", "", ""},
			{"new.user3", "三", "330199", "管理员", "", "", "", ""},
			{"new.user4", "四", "330199", "考生", "", "", "12345", ""},
		})
	_, before, _ := e.db.FindUsers(ctx, account.Filter{})
	resp, body := c.upload("/import", "导入.xlsx", bad)
	if resp.StatusCode != 400 {
		t.Fatalf("bad file preview = %d: %s", resp.StatusCode, firstError(body))
	}
	if testing.Verbose() {
		t.Log(regexp.MustCompile(`(?s)<main.*</main>`).FindString(body))
	}
	for _, want := range []string{`<td data-label="行号" class="num">3</td>`, "校验位", "office1 已被使用", "角色“管理员”无效，应为 普法办", "手机号码应为11位数字"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if strings.Contains(body, `action="/import/commit"`) {
		t.Error("a file with errors offers to import")
	}
	if _, after, _ := e.db.FindUsers(ctx, account.Filter{}); after != before {
		t.Fatalf("a failed preview wrote users: %d → %d", before, after)
	}

	good := workbook(t,
		[][]any{{"330199", "单位", "区新设局", unit, 5}},
		[][]any{
			{"new.user1", "新用户一", unit, "考生", "", "", "13900001111", ""},
			{"new.user2", "新用户二", unit, "考生、单位联络员", "领导干部", "四级调研员", "", "11010519491231002X"},
		})
	resp, body = c.upload("/import", "导入.xlsx", good)
	if resp.StatusCode != 200 || !strings.Contains(body, `action="/import/commit"`) {
		t.Fatalf("good file preview = %d: %s", resp.StatusCode, firstError(body))
	}
	key := regexp.MustCompile(`name="key" value="([0-9a-f]+)"`).FindStringSubmatch(body)[1]
	// Another office user cannot confirm someone else's upload.
	peer := e.client()
	peer.login("office2", e.accounts["office2"].Password)
	if resp, _ := peer.post("/import/commit", url.Values{"key": {key}}); resp.StatusCode != 400 {
		t.Errorf("someone else's upload confirmed: %d", resp.StatusCode)
	}
	resp, _ = c.post("/import/commit", url.Values{"key": {key}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("commit = %d", resp.StatusCode)
	}
	jobPath := resp.Header.Get("Location")
	data := download(t, c, jobPath)
	// The password sheet goes after its first download, bytes and record.
	if resp, _ := c.get(jobPath + "/download"); resp.StatusCode != 404 {
		t.Errorf("second download of the password sheet = %d, want 404", resp.StatusCode)
	}
	if n, _ := e.db.CountRaw(ctx, `SELECT COUNT(*) FROM blobs WHERE purpose = 'password_sheet'`); n != 0 {
		t.Errorf("%d password sheets still recorded", n)
	}
	// The uploaded roster is gone too; exports are recorded.
	if n, _ := e.db.CountRaw(ctx, `SELECT COUNT(*) FROM blobs WHERE purpose = 'import'`); n != 0 {
		t.Errorf("%d import uploads still recorded", n)
	}
	sheet, err := xlsx.ReadSheet(data, upload.DefaultSpreadsheet(), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(sheet.Rows) != 2 {
		t.Fatalf("password sheet has %d rows", len(sheet.Rows))
	}
	// Each one-time password signs in and must be changed.
	for _, r := range sheet.Rows {
		login, pw := sheet.Col(r, "登录名"), sheet.Col(r, "一次性密码")
		status, out := apiLogin(t, e, login, pw)
		if status != 200 || out["must_change_password"] != true {
			t.Errorf("%s with its one-time password: %d %v", login, status, out)
		}
	}
	u, err := e.db.FindUserByLogin(ctx, "new.user2")
	if err != nil || u.Rank != account.RankSenior || u.IDNumber != "11010519491231002X" || strings.Join(u.Roles, ",") != "liaison,examinee" {
		t.Fatalf("imported user %+v %v", u, err)
	}

	// The same file again: every row now conflicts, nothing is written.
	resp, _ = c.upload("/import", "again.xlsx", good)
	if resp.StatusCode != 400 {
		t.Errorf("re-import preview = %d, want 400", resp.StatusCode)
	}

	// Not a spreadsheet, and a zip bomb dressed as one: refused cleanly.
	resp, body = c.upload("/import", "x.xlsx", []byte("hello, not a workbook"))
	if resp.StatusCode != 400 {
		t.Errorf("text as xlsx = %d", resp.StatusCode)
	}
	_ = body
	_ = io.EOF
}

// TestBadInput: an oversized body is refused before it is read, invalid
// UTF-8 and unknown values get a Chinese message naming the field.
func TestBadInput(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	c := e.client()
	c.login("office1", e.accounts["office1"].Password)
	big := url.Values{"name": {strings.Repeat("法", 1<<20)}, "csrf": {c.csrfCookie()}}
	resp, body := c.do("POST", "/orgs", big, nil)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "过大") {
		t.Errorf("oversized form = %d", resp.StatusCode)
	}
	form := url.Values{"csrf": {c.csrfCookie()}, "name": {"坏\xff字"}, "kind": {"unit"}, "code": {"x"}}
	resp, body = c.do("POST", "/orgs", form, nil)
	if resp.StatusCode != 400 || !strings.Contains(body, "字段“name”包含无效字符") {
		t.Errorf("bad UTF-8 = %d %s", resp.StatusCode, firstError(body))
	}
	root, _ := e.db.FindRootOrg(context.Background())
	form = url.Values{"csrf": {c.csrfCookie()}, "name": {"新机构"}, "kind": {"planet"}, "code": {"x"}, "parent": {root.ID.String()}}
	resp, body = c.do("POST", "/orgs", form, nil)
	if resp.StatusCode != 400 || !strings.Contains(body, "组织类型“planet”无效") {
		t.Errorf("unknown kind = %d %s", resp.StatusCode, firstError(body))
	}
	// The form is shown again with what was typed.
	if !strings.Contains(body, `value="新机构"`) {
		t.Error("form not re-shown with the typed name")
	}
	form.Set("kind", "unit")
	form.Set("sort_order", "99999999999")
	resp, body = c.do("POST", "/orgs", form, nil)
	if resp.StatusCode != 400 || !strings.Contains(body, "排序号") {
		t.Errorf("out-of-range number = %d %s", resp.StatusCode, firstError(body))
	}
	resp, _ = c.get("/orgs?status=bogus")
	if resp.StatusCode != 400 {
		t.Errorf("unknown filter value = %d", resp.StatusCode)
	}
}

// TestSweep: an upload previewed but never confirmed is deleted after a
// day; a plan's source document stays.
func TestSweep(t *testing.T) {
	e := newEnv(t, envOptions{demo: true, manual: true})
	ctx := context.Background()
	c := e.client()
	c.login("office1", e.accounts["office1"].Password)
	unit := "12330199MB0000TWP"
	unit += string(org.CreditCodeCheckChar(unit))
	good := workbook(t, [][]any{{"330199", "单位", "区清理测试局", unit, 5}}, nil)
	if resp, body := c.upload("/import", "a.xlsx", good); resp.StatusCode != 200 {
		t.Fatalf("preview = %d %s", resp.StatusCode, firstError(body))
	}
	if resp, _ := c.post("/plans/preview", url.Values{"year": {"2024"}, "text": {"一、总体要求\n1.完善清单。\n2.开展活动。"}}); resp.StatusCode != 200 {
		t.Fatal("plan preview")
	}
	count := func() int {
		n, _ := e.db.CountRaw(ctx, `SELECT COUNT(*) FROM blobs WHERE purpose IN ('import', 'plan_source')`)
		return n
	}
	if count() != 2 {
		t.Fatalf("%d uploads recorded, want 2", count())
	}
	if n, _ := e.web.Sweep(ctx); n != 0 {
		t.Fatalf("swept %d fresh uploads", n)
	}
	e.clock.Advance(25 * time.Hour)
	if n, err := e.web.Sweep(ctx); n != 2 || err != nil {
		t.Fatalf("swept %d (%v), want 2", n, err)
	}
	if count() != 0 {
		t.Fatal("records left behind")
	}
}
