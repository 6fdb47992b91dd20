package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

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
	if resp, body = gaj.post("/duty/2026/copy", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("copy = %d: %s", resp.StatusCode, firstError(body))
	}
	if next, err := e.db.FindDutyList(ctx, u.OrgID, 2026); err != nil || len(next.Items) != 1 || next.Status != duty.Draft || len(next.Items[0].TaskIDs) != 0 {
		t.Fatalf("copied %+v %v", next, err)
	}
}
