package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"pufa/internal/app"
	"pufa/internal/notice"
	"pufa/internal/plan"
	"pufa/internal/upload"
	"pufa/internal/xlsx"
)

// reviewForm turns the review page back into the form a browser would
// submit: every input and checkbox as rendered, selects as selected.
func reviewForm(t *testing.T, body string) url.Values {
	t.Helper()
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="(hidden|text|date|number|checkbox)"(?: id="[^"]*")? name="([^"]+)" value="([^"]*)"([^>]*)>`).FindAllStringSubmatch(body, -1) {
		if m[1] == "checkbox" && !strings.Contains(m[4], "checked") {
			continue // an unticked box sends nothing
		}
		form.Add(m[2], htmlUnescape(m[3]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select name="([^"]+)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(body, -1) {
		for _, o := range regexp.MustCompile(`<option value="([^"]*)" selected>`).FindAllStringSubmatch(m[2], -1) {
			form.Add(m[1], o[1])
		}
	}
	return form
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(s)
}

// TestPlanFlow: the office imports the seed's work plan, confirms it,
// assigns tasks, a unit reports, the office returns then accepts, and the
// ledger exports.
func TestPlanFlow(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	seed, err := os.ReadFile("../outline/testdata/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	office := e.client()
	office.login("office1", e.accounts["office1"].Password)

	// Preview from pasted text picks the work plan, not the speech.
	resp, body := office.post("/plans/preview", url.Values{"year": {"2023"}, "text": {string(seed)}})
	if resp.StatusCode != 200 {
		t.Fatalf("preview = %d: %s", resp.StatusCode, firstError(body))
	}
	if !strings.Contains(body, "其中 <strong>19</strong> 项任务") {
		t.Fatalf("preview does not find 19 tasks: %s", regexp.MustCompile(`共识别出.*?任务`).FindString(body))
	}
	if !strings.Contains(body, "疑似错字") {
		t.Error("OCR warnings not shown")
	}
	form := reviewForm(t, body)
	if form.Get("title") != "2023年全国普法依法治理工作要点" {
		t.Errorf("title %q", form.Get("title"))
	}
	// The office drops the last (cut-off) item, merges item 8 into item 7
	// (rows 9 and 10: sections count as rows), and adds an item of its own
	// after item 1 (row 2).
	rows, _ := strconv.Atoi(form.Get("rows"))
	form.Del("keep" + strconv.Itoa(rows-1))
	if !strings.Contains(form.Get("title9"), "深入宣传党内法规") {
		t.Fatalf("row 10 is %q", form.Get("title9"))
	}
	form.Set("merge9", "1")
	form.Set("new_after0", "2")
	form.Set("new_level0", "2")
	form.Set("new_label0", "1.1")
	form.Set("new_title0", "本区补充：举办领导干部学法讲座")
	resp, body = office.post("/plans", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d: %s", resp.StatusCode, firstError(body))
	}
	planPath := resp.Header.Get("Location")
	id := strings.TrimPrefix(planPath, "/plans/")
	pid, _ := app.ParseID("id", id)
	created, err := e.db.FindPlanByID(ctx, pid)
	if err != nil || created.SourceKey == "" || created.Year != 2023 {
		t.Fatalf("plan %+v %v", created, err)
	}
	items, _ := e.db.FindItems(ctx, created.ID)
	var tasks []*plan.Item
	for _, it := range items {
		if it.IsTask {
			tasks = append(tasks, it)
		}
	}
	if len(tasks) != 18 || tasks[0].Label != "1" || tasks[1].Label != "1.1" || tasks[17].Label != "18" {
		t.Fatalf("%d tasks, first %q second %q", len(tasks), tasks[0].Label, tasks[1].Label)
	}
	for _, it := range tasks {
		if it.Label == "7" && !strings.Contains(it.Text, "深入宣传党内法规") {
			t.Errorf("item 8 not merged into item 7: %q", it.Text)
		}
		if it.Label == "8" {
			t.Error("merged item 8 still stands alone")
		}
	}

	// Assign task 1 to the 公安分局 (lead) and 教育局 (co).
	gaj, _ := e.db.FindUserByLogin(ctx, "liaison.gaj")
	jyj, _ := e.db.FindUserByLogin(ctx, "liaison.jyj")
	resp, body = office.post(planPath+"/assign", url.Values{"items": {tasks[0].ID.String()}, "lead": {gaj.OrgID.String()}, "co": {jyj.OrgID.String()}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign = %d: %s", resp.StatusCode, firstError(body))
	}
	// A unit outside the region cannot be slipped in, nor a task of another plan.
	if resp, _ := office.post(planPath+"/assign", url.Values{"items": {"123"}, "lead": {gaj.OrgID.String()}}); resp.StatusCode != 400 {
		t.Errorf("foreign task assign = %d", resp.StatusCode)
	}

	// The unit sees the task on its workbench and reports.
	unit := e.client()
	unit.login("liaison.gaj", e.accounts["liaison.gaj"].Password)
	_, home := unit.get("/")
	if !strings.Contains(home, tasks[0].Title) {
		t.Fatal("task not on the liaison's workbench")
	}
	taskPath := "/tasks/" + tasks[0].ID.String()
	resp, body = unit.post(taskPath+"/reports", url.Values{"status": {"blocked"}, "text": {"已组织学习"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "请说明原因") {
		t.Errorf("blocked without reason = %d", resp.StatusCode)
	}
	if !strings.Contains(body, "已组织学习") {
		t.Error("report form lost what was typed")
	}
	resp, _ = unit.post(taskPath+"/reports", url.Values{"status": {"in_progress"}, "percent": {"60"}, "text": {"已组织专题学习 4 次"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("report = %d", resp.StatusCode)
	}
	// A co-unit reports too; a unit not on the task may not.
	other := e.client()
	other.login("liaison.sfj", e.accounts["liaison.sfj"].Password)
	if resp, _ := other.post(taskPath+"/reports", url.Values{"status": {"in_progress"}, "text": {"x"}}); resp.StatusCode != 403 {
		t.Errorf("report by a unit not on the task = %d", resp.StatusCode)
	}

	// The office returns it with a reason; the unit is told why.
	reports, _ := e.db.FindReports(ctx, tasks[0].ID)
	resp, _ = office.post("/reports/"+reports[0].ID.String()+"/review", url.Values{"review": {"returned"}, "comment": {"请补充学习记录"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("return = %d", resp.StatusCode)
	}
	notes, _, _ := e.db.FindNotices(ctx, gaj.ID, 5)
	if len(notes) == 0 || notes[0].Body != "请补充学习记录" {
		t.Fatalf("return notice %+v", notes)
	}
	// The second report carries evidence: a photo and a PDF; an
	// executable is refused.
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	resp, body = unit.multipart(taskPath+"/reports", map[string]string{"status": "done", "text": "已完成"}, map[string][]byte{"a.exe": []byte("MZ\x90\x00binary")})
	if resp.StatusCode != 400 || !strings.Contains(body, "不支持") {
		t.Errorf("exe attachment = %d: %s", resp.StatusCode, firstError(body))
	}
	resp, body = unit.multipart(taskPath+"/reports", map[string]string{"status": "done", "text": "已完成，附学习记录"}, map[string][]byte{"现场照片.png": png, "学习记录.pdf": pdf})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second report = %d: %s", resp.StatusCode, firstError(body))
	}
	withFiles, _ := e.db.FindReports(ctx, tasks[0].ID)
	if len(withFiles[0].Files) != 2 {
		t.Fatalf("files %+v", withFiles[0].Files)
	}
	resp, got := office.get("/reports/" + withFiles[0].ID.String() + "/files/0")
	if resp.StatusCode != 200 || (got != string(png) && got != string(pdf)) {
		t.Errorf("attachment download = %d (%d bytes)", resp.StatusCode, len(got))
	}
	if resp, _ := other.get("/reports/" + withFiles[0].ID.String() + "/files/0"); resp.StatusCode != 200 {
		// Units of the region see the plan and its evidence.
		t.Errorf("another unit's view of the attachment = %d", resp.StatusCode)
	}
	reports, _ = e.db.FindReports(ctx, tasks[0].ID)
	if resp, _ := office.post("/reports/"+reports[0].ID.String()+"/review", url.Values{"review": {"accepted"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("accept")
	}

	// Reminders reach the lead unit of overdue tasks (2023 deadlines are past).
	resp, _ = office.post(planPath+"/remind", url.Values{})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatal("remind")
	}

	// The office adds a task of its own and edits one.
	sections := 0
	for _, it := range items {
		if !it.IsTask && it.ParentID == 0 {
			sections++
		}
	}
	resp, _ = office.post(planPath+"/tasks", url.Values{"section": {items[0].ID.String()}, "label": {"3.1"}, "title": {"本区补充任务：开展法律明白人培训"}, "deadline": {"2023-09-30"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add task = %d", resp.StatusCode)
	}
	if resp, body := office.post(taskPath, url.Values{"title": {tasks[0].Title}, "weight": {"2"}, "outputs": {"学习记录"}, "deadline": {"2023-06-30"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit task = %d %s", resp.StatusCode, firstError(body))
	}
	if it, _ := e.db.FindItemByID(ctx, tasks[0].ID); it.Weight != 2 || it.Outputs != "学习记录" || it.DeadlineText != "2023年6月30日前" {
		t.Fatalf("edited task %+v", it)
	}

	// This plan's only overdue task has no lead unit, so no overdue list;
	// the demo plan has overdue tasks led by units, which it lists.
	_, body = office.get(planPath)
	if strings.Contains(body, "逾期任务（按牵头单位）") {
		t.Error("overdue-by-unit list shown with no overdue lead unit")
	}
	root, _ := e.db.FindRootOrg(ctx)
	all, _ := e.db.FindPlans(ctx, root.Path)
	for _, p := range all {
		if p.ID != created.ID {
			_, body = office.get("/plans/" + p.ID.String())
			if !regexp.MustCompile(`逾期任务（按牵头单位）：</strong><a href="[^"]+signal=red">区\S+ \d+ 项</a>`).MatchString(body) {
				t.Error("the demo plan's ledger lists no overdue tasks by unit")
			}
		}
	}

	// Filters narrow the ledger: by unit, and by due date.
	_, body = office.get(planPath + "?unit=" + gaj.OrgID.String())
	if n := strings.Count(body, `name="items"`); n != 1 {
		t.Errorf("unit filter shows %d tasks, want 1", n)
	}
	_, body = office.get(planPath + "?due=2023-07-01")
	if n := strings.Count(body, `name="items"`); n != 1 { // the edited task 1 (2023-06-30); the added one is due in September
		t.Errorf("due-date filter shows %d tasks, want 1", n)
	}
	if resp, _ := office.get(planPath + "?due=tomorrow"); resp.StatusCode != 400 {
		t.Errorf("bad date filter = %d", resp.StatusCode)
	}

	// The ledger page and its export.
	resp, body = office.get(planPath)
	if resp.StatusCode != 200 || !strings.Contains(body, "已完成") {
		t.Fatalf("ledger = %d", resp.StatusCode)
	}
	resp, data := office.get(planPath + "/export")
	if resp.StatusCode != 200 {
		t.Fatalf("export = %d", resp.StatusCode)
	}
	sheet, err := xlsx.ReadSheet([]byte(data), upload.DefaultSpreadsheet(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(sheet.Rows) != 19 || sheet.Col(sheet.Rows[0], "牵头单位") != "区公安分局" || sheet.Col(sheet.Rows[0], "状态") != "已完成" ||
		!strings.HasPrefix(sheet.Col(sheet.Rows[0], "一级标题"), "一、") {
		t.Fatalf("export rows %d, first %v", len(sheet.Rows), sheet.Rows[0])
	}
	_ = notice.Notice{}
}
