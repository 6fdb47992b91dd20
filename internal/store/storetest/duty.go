package storetest

import (
	"context"
	"testing"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/duty"
	"pufa/internal/plan"
)

func testDuty(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t, nil)
	root, street, _, unit := Seed(t, db)
	office := app.WithActor(ctx, &app.Actor{UserID: 1, Login: "office", Roles: []string{account.RoleOffice}, OrgID: root.ID, OrgPath: root.Path})
	p := &plan.Plan{OrgID: root.ID, Year: 2023, Title: "工作要点"}
	tree := []*plan.Node{{Item: plan.Item{Label: "1", Title: "深入开展宪法宣传教育"}}, {Item: plan.Item{Label: "2", Title: "以案释法"}}}
	must(t, db.CreatePlan(office, p, tree))
	task := tree[0].Item.ID

	item := duty.Item{Laws: []string{"中华人民共和国宪法"}, Audience: []string{"本系统工作人员", "服务对象"}, Measures: "宪法宣传周集中宣传",
		Forms: []string{"讲座", "窗口宣传"}, Timing: "12月4日前后", Office: "法制科", Person: "王磊", Phone: "13705710201", Standard: "开展活动不少于2场", TaskIDs: []app.ID{task}}
	wantCode(t, db.SaveDutyList(ctx, &duty.List{OrgID: unit.ID, Year: 2023, Items: []duty.Item{{Measures: "没有法律"}}}), app.EINVALID)
	l := &duty.List{OrgID: unit.ID, Year: 2023, Items: []duty.Item{item}}
	must(t, db.SaveDutyList(ctx, l))
	got, err := db.FindDutyList(ctx, unit.ID, 2023)
	must(t, err)
	if got.Status != duty.Draft || len(got.Items) != 1 || got.Items[0].Phone != "13705710201" || got.Items[0].TaskIDs[0] != task || got.Items[0].Forms[1] != "窗口宣传" || got.OrgName == "" {
		t.Fatalf("stored list %+v", got)
	}
	// The phone is sealed at rest.
	if n, _ := db.CountRaw(ctx, `SELECT COUNT(*) FROM duty_items WHERE CAST(phone_enc AS TEXT) LIKE '%13705710201%'`); n != 0 {
		t.Fatal("the responsible person's phone is stored in the clear")
	}
	if cov, _ := db.TaskCoverage(ctx, p.ID); cov[task] != 0 {
		t.Fatal("a draft counts as covering a task")
	}
	must(t, db.SubmitDutyList(ctx, l.ID))
	wantCode(t, db.SaveDutyList(ctx, &duty.List{OrgID: unit.ID, Year: 2023, Items: []duty.Item{item}}), app.ECONFLICT)
	if cov, _ := db.TaskCoverage(ctx, p.ID); cov[task] != 1 || cov[tree[1].Item.ID] != 0 {
		t.Fatalf("coverage %v", cov)
	}
	wantCode(t, db.ReviewDutyList(office, l.ID, false, ""), app.EINVALID)
	must(t, db.ReviewDutyList(office, l.ID, false, "缺少完成标准"))
	got, _ = db.FindDutyListByID(ctx, l.ID)
	if got.Status != duty.Returned || got.ReturnReason != "缺少完成标准" {
		t.Fatalf("returned %+v", got)
	}
	l.Items[0].Standard = "开展活动不少于3场"
	must(t, db.SaveDutyList(ctx, l))
	must(t, db.SubmitDutyList(ctx, l.ID))
	must(t, db.ReviewDutyList(office, l.ID, true, ""))
	wantCode(t, db.ReviewDutyList(office, l.ID, true, ""), app.ECONFLICT)

	if ls, _ := db.FindDutyLists(ctx, root.Path, 2023, true); len(ls) != 1 || ls[0].Status != duty.Approved {
		t.Fatalf("approved lists %v", ls)
	}
	if ls, _ := db.FindDutyLists(ctx, street.Path, 2023, false); len(ls) != 0 {
		t.Fatal("a street sees another subtree's lists")
	}
	found, err := db.SearchDutyItems(ctx, root.Path, 2023, "宪法")
	must(t, err)
	if len(found) != 1 || found[0].Item.Standard != "开展活动不少于3场" {
		t.Fatalf("search %+v", found)
	}
	if none, _ := db.SearchDutyItems(ctx, root.Path, 2023, "刑法"); len(none) != 0 {
		t.Fatal("search found a law nobody teaches")
	}
	_, err = db.FindDutyList(ctx, unit.ID, 2024)
	wantCode(t, err, app.ENOTFOUND)
}
