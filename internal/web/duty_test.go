package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"pufa/internal/assess"
	"pufa/internal/duty"
)

// TestDutyFlow: a unit fills its duty list linked to a work-plan task and
// submits it; another unit cannot read it; the office returns it with a
// reason, the unit fixes and resubmits, the office approves; the public
// page shows it without the phone, and the office sees which tasks no
// list serves.
func TestDutyFlow(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	gaj := e.client()
	gaj.login("liaison.gaj", e.accounts["liaison.gaj"].Password)
	u, _ := e.db.FindUserByLogin(ctx, "liaison.gaj")
	tasks, _ := e.db.FindUnitTasks(ctx, u.OrgID)
	if len(tasks) == 0 {
		t.Fatal("the demo gives 区公安分局 no task")
	}
	if resp, _ := gaj.get("/duty"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/duty/") {
		t.Fatalf("a liaison's /duty = %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	form := url.Values{
		"laws_": {"中华人民共和国治安管理处罚法、中华人民共和国反电信网络诈骗法", ""}, "audience_": {"服务对象、青少年", ""},
		"measures_": {"在派出所窗口和校园开展反诈宣传", ""}, "forms_": {"窗口宣传、进校园", ""}, "timing_": {"全年", ""},
		"office_": {"法制大队", ""}, "person_": {"王磊", ""}, "phone_": {"13705710999", ""}, "standard_": {"", ""},
		"tasks_0": {tasks[0].ID.String()}, "action": {"save"},
	}
	if resp, body := gaj.post("/duty/2025", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d: %s", resp.StatusCode, firstError(body))
	}
	l, err := e.db.FindDutyList(ctx, u.OrgID, 2025)
	if err != nil || len(l.Items) != 1 || len(l.Items[0].Laws) != 2 || l.Items[0].TaskIDs[0] != tasks[0].ID {
		t.Fatalf("saved %+v %v", l, err)
	}
	// A task of another unit cannot be linked.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("tasks_0", "12345")
	if resp, _ := gaj.post("/duty/2025", bad); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("foreign task = %d", resp.StatusCode)
	}
	form.Set("action", "submit")
	if resp, body := gaj.post("/duty/2025", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d: %s", resp.StatusCode, firstError(body))
	}
	listPath := "/duty/lists/" + l.ID.String()
	// Another unit cannot read the submitted list; the public cannot yet.
	jyj := e.client()
	jyj.login("liaison.jyj", e.accounts["liaison.jyj"].Password)
	if resp, _ := jyj.get(listPath); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("another unit reads the list: %d", resp.StatusCode)
	}
	anon := e.client()
	if resp, _ := anon.get("/p/duty/" + l.ID.String()); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("the public reads an unapproved list: %d", resp.StatusCode)
	}
	office := e.client()
	office.login("office1", e.accounts["office1"].Password)
	if _, body := office.get("/duty/coverage"); !strings.Contains(body, "还没有任何单位的责任清单承接") {
		t.Fatal("coverage page")
	}
	if resp, body := office.post(listPath+"/review", url.Values{"decision": {"return"}, "reason": {"请写明完成标准"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("return = %d: %s", resp.StatusCode, firstError(body))
	}
	if _, body := gaj.get("/duty/2025"); !strings.Contains(body, "请写明完成标准") {
		t.Fatal("the unit does not see why it was returned")
	}
	form.Set("standard_", "")
	form["standard_"] = []string{"窗口宣传全年不间断，进校园不少于4次", ""}
	if resp, body := gaj.post("/duty/2025", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit = %d: %s", resp.StatusCode, firstError(body))
	}
	if resp, body := office.post(listPath+"/review", url.Values{"decision": {"approve"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve = %d: %s", resp.StatusCode, firstError(body))
	}
	if l, _ = e.db.FindDutyListByID(ctx, l.ID); l.Status != duty.Approved {
		t.Fatalf("status %s", l.Status)
	}
	resp, body := anon.get("/p/duty?year=2025&q=" + url.QueryEscape("反电信网络诈骗法"))
	if resp.StatusCode != 200 || !strings.Contains(body, "区公安分局") || !strings.Contains(body, "在派出所窗口和校园开展反诈宣传") {
		t.Fatalf("public search = %d", resp.StatusCode)
	}
	if _, body = anon.get("/p/duty/" + l.ID.String()); strings.Contains(body, "13705710999") || !strings.Contains(body, "法制大队") {
		t.Fatal("the public page shows the phone, or not the list")
	}
	if _, body = office.get(listPath); !strings.Contains(body, "13705710999") {
		t.Fatal("the office does not see the phone")
	}
	// Changing an approved list is refused.
	form.Set("action", "save")
	if resp, _ = gaj.post("/duty/2025", form); resp.StatusCode != http.StatusConflict {
		t.Fatalf("editing an approved list = %d", resp.StatusCode)
	}
	// Next year starts from this one.
	if resp, body = gaj.post("/duty/copy/2026", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("copy = %d: %s", resp.StatusCode, firstError(body))
	}
	if next, err := e.db.FindDutyList(ctx, u.OrgID, 2026); err != nil || len(next.Items) != 1 || next.Status != duty.Draft || len(next.Items[0].TaskIDs) != 0 {
		t.Fatalf("copied %+v %v", next, err)
	}
}

// TestDutyReports: a unit drafts its report from its list and the ledger
// (the figures match their sources); reports are checked on submission:
// one copied from another unit with a few words changed is flagged, an
// honest one is not, and a figure that contradicts the ledger is flagged;
// another unit cannot read a report, the office sees the checks.
func TestDutyReports(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	read := func(name string) string {
		b, err := os.ReadFile("../similar/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	submit := func(login, text string, year int) *duty.Report {
		t.Helper()
		c := e.client()
		c.login(login, e.accounts[login].Password)
		f := url.Values{"action": {"submit"}, "section_0": {text}, "section_1": {""}, "section_2": {""}, "section_3": {""}, "section_4": {""}}
		if resp, body := c.post(fmt.Sprintf("/duty/report/%d", year), f); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s submit = %d: %s", login, resp.StatusCode, firstError(body))
		}
		u, _ := e.db.FindUserByLogin(ctx, login)
		rep, err := e.db.FindDutyReport(ctx, u.OrgID, year)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}

	// The draft: 区市场监督管理局's 2023 list is submitted in the demo,
	// and it has no report yet.
	scj := e.client()
	scj.login("liaison.scj", e.accounts["liaison.scj"].Password)
	empty := url.Values{"action": {"draft"}, "section_0": {""}, "section_1": {""}, "section_2": {""}, "section_3": {""}, "section_4": {""}}
	if resp, body := scj.post("/duty/report/2023", empty); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft = %d: %s", resp.StatusCode, firstError(body))
	}
	u, _ := e.db.FindUserByLogin(ctx, "liaison.scj")
	draft, _ := e.db.FindDutyReport(ctx, u.OrgID, 2023)
	list, _ := e.db.FindDutyList(ctx, u.OrgID, 2023)
	tasks, _ := e.db.FindUnitTasks(ctx, u.OrgID)
	if !strings.Contains(draft.Sections[0], fmt.Sprintf("共 %d 项", len(list.Items))) || !strings.Contains(draft.Sections[2], fmt.Sprintf("任务 %d 项", len(tasks))) {
		t.Fatalf("draft figures do not match the list (%d) and the ledger (%d):\n%s", len(list.Items), len(tasks), strings.Join(draft.Sections, "\n"))
	}

	// Evidence: a photo attached to the draft, readable by the unit and
	// the office, not by another unit.
	var img bytes.Buffer
	png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 2, 2)))
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	mw.WriteField("action", "save")
	for i, sec := range draft.Sections {
		mw.WriteField(fmt.Sprintf("section_%d", i), sec)
	}
	fw, _ := mw.CreateFormFile("files", "宣传活动.png")
	fw.Write(img.Bytes())
	mw.Close()
	if resp, body := scj.doBody("POST", "/duty/report/2023?csrf="+url.QueryEscape(scj.csrfCookie()), &mp, false, map[string]string{"Content-Type": mw.FormDataContentType()}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("attach = %d: %s", resp.StatusCode, firstError(body))
	}
	withFile, _ := e.db.FindDutyReport(ctx, u.OrgID, 2023)
	if len(withFile.Files) != 1 || withFile.Files[0].Name != "宣传活动.png" {
		t.Fatalf("files %+v", withFile.Files)
	}
	filePath := "/duty/reports/" + withFile.ID.String() + "/files/0"
	if resp, data := scj.get(filePath); resp.StatusCode != 200 || !strings.HasPrefix(data, "\x89PNG") {
		t.Fatalf("the unit's own evidence = %d", resp.StatusCode)
	}
	other := e.client()
	other.login("liaison.jyj", e.accounts["liaison.jyj"].Password)
	if resp, _ := other.get(filePath); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("another unit reads the evidence: %d", resp.StatusCode)
	}

	jiaoyu := read("jiaoyu.txt")
	orig := submit("liaison.jyj", jiaoyu, 2024)
	honest := submit("liaison.sfj", read("sifa.txt"), 2024)
	copied := strings.NewReplacer("滨江区教育局", "区市场监督管理局", "区教育局", "区市场监管局", "青少年", "经营者", "校园", "市场").Replace(jiaoyu)
	copy := submit("liaison.scj", copied+"\n本单位承担任务 99 项。", 2024)

	if orig.Check == nil || honest.Check == nil || copy.Check == nil {
		t.Fatal("a submitted report has no check")
	}
	flagged := func(r *duty.Report) *duty.Overlap {
		for i := range r.Check.Overlaps {
			if r.Check.Overlaps[i].Flagged {
				return &r.Check.Overlaps[i]
			}
		}
		return nil
	}
	if o := flagged(copy); o == nil || !strings.Contains(o.With, "区教育局") || len(o.Passages) == 0 {
		t.Fatalf("the copied report is not flagged against 区教育局: %+v", copy.Check.Overlaps)
	}
	if o := flagged(honest); o != nil {
		t.Fatalf("an honest report is flagged: %+v", o)
	}
	if len(copy.Check.Numbers) == 0 || copy.Check.Numbers[0].Said != 99 {
		t.Fatalf("a figure against the ledger is not flagged: %+v", copy.Check.Numbers)
	}
	// Another unit cannot read it; the office sees the checks.
	gaj := e.client()
	gaj.login("liaison.gaj", e.accounts["liaison.gaj"].Password)
	if resp, _ := gaj.get("/duty/reports/" + copy.ID.String()); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("another unit reads a report: %d", resp.StatusCode)
	}
	office := e.client()
	office.login("office1", e.accounts["office1"].Password)
	if _, body := office.get("/duty/reports?year=2024"); !strings.Contains(body, "疑似抄袭") {
		t.Fatal("the office's list does not show the flag")
	}
	if _, body := office.get("/duty/reports/" + copy.ID.String()); !strings.Contains(body, "与台账不符") || !strings.Contains(body, "区教育局") {
		t.Fatal("the office's report page does not show the checks")
	}
}

// TestPanelReadsReport: a panel member scoring a subject reads its
// submitted duty report of the round's year on the score sheet.
func TestPanelReadsReport(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	root, _ := e.db.FindRootOrg(ctx)
	schemes, _ := e.db.FindSchemes(ctx, root.Path)
	gaj, _ := e.db.FindUserByLogin(ctx, "liaison.gaj")
	r2, _ := e.db.FindUserByLogin(ctx, "reviewer2")
	rd := &assess.Round{OrgID: root.ID, SchemeID: schemes[0].ID, Title: "复评", Period: "2023年度", Subjects: []assess.Subject{{OrgID: gaj.OrgID}},
		Stages: []*assess.RoundStage{{Stage: assess.Stage{Kind: assess.StagePanel, Weight: 100}}}}
	if err := e.db.CreateRound(ctx, rd); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetAssignments(ctx, rd.Stages[0].ID, []assess.Assignment{{StageID: rd.Stages[0].ID, RaterID: r2.ID, SubjectID: gaj.OrgID}}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetRoundStatus(ctx, rd.ID, assess.RoundDraft, assess.RoundOpen); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.login("reviewer2", e.accounts["reviewer2"].Password)
	_, body := c.get(fmt.Sprintf("/rounds/%s/sheets/%s/%s", rd.ID, rd.Stages[0].ID, gaj.OrgID))
	if !strings.Contains(body, "区公安分局2023年度履职报告") || !strings.Contains(body, "警民说法") {
		t.Fatal("the panel does not see the subject's report")
	}
	// In the demo's 2023 review, the panel sees the unit's self-assessment.
	rounds, _ := e.db.FindRounds(ctx, root.Path)
	for _, r := range rounds {
		full, _ := e.db.FindRoundByID(ctx, r.ID)
		if full.Status != assess.RoundPublished {
			continue
		}
		sh, err := e.db.FindSheet(ctx, full.Stages[1].ID, gaj.OrgID, r2.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.SetRoundStatus(ctx, full.ID, assess.RoundPublished, assess.RoundOpen); err == nil {
			t.Fatal("a published round reopened")
		}
		_, body = c.get(fmt.Sprintf("/rounds/%s/sheets/%s/%s", full.ID, sh.StageID, gaj.OrgID))
		if !strings.Contains(body, "被考评单位自评") {
			t.Fatal("the panel does not see the self-assessment")
		}
	}
}

// TestDutyImport: the template the page offers comes back into the editor
// for review, and garbage is refused.
func TestDutyImport(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	c := e.client()
	c.login("liaison.scj", e.accounts["liaison.scj"].Password)
	resp, tmpl := c.get("/duty/template.xlsx")
	if resp.StatusCode != 200 {
		t.Fatalf("template = %d", resp.StatusCode)
	}
	resp, body := c.upload("/duty/import/2024", "清单.xlsx", []byte(tmpl))
	if resp.StatusCode != 200 || !strings.Contains(body, "已从表格读入 1 项") || !strings.Contains(body, `value="中华人民共和国宪法、中华人民共和国民法典"`) {
		t.Fatalf("import = %d: %s", resp.StatusCode, firstError(body))
	}
	if u, _ := e.db.FindUserByLogin(context.Background(), "liaison.scj"); u != nil {
		if _, err := e.db.FindDutyList(context.Background(), u.OrgID, 2024); err == nil {
			t.Fatal("importing saved the list before review")
		}
	}
	if resp, _ = c.upload("/duty/import/2024", "清单.xlsx", []byte("not a workbook")); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("garbage = %d", resp.StatusCode)
	}
}
