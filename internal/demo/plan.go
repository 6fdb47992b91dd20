package demo

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/outline"
	"pufa/internal/plan"
)

// seedText is the scraped document pufa was built from (a district speech
// followed by the national 2023 work plan), with its real defects: the demo
// imports it exactly as an office would.
//
//go:embed data/2023-work-plan-seed.txt
var seedText string

// workPlan imports the seed's 2023 work plan as the district's plan, assigns
// its tasks to demo units, and records some progress: a few tasks done,
// some in progress, some waiting for review, and some overdue, with
// deadlines placed around today so the lights show every colour.
func (l *loader) workPlan(ctx context.Context) error {
	res := outline.ParseText(seedText)
	var doc *outline.Document
	for _, d := range res.Documents {
		if strings.Contains(d.Title, "工作要点") {
			doc = d
		}
	}
	if doc == nil {
		return fmt.Errorf("the seed's work plan was not found")
	}
	rows := plan.FromOutline(doc)
	now := time.Now()
	units := []string{"sfj", "jyj", "gaj", "scj", "wjw", "wlj", "rsj", "mzj"}
	task := 0
	for i := range rows {
		if i+1 < len(rows) && rows[i+1].Level > rows[i].Level {
			continue // a section
		}
		it := &rows[i].Item
		// Every fourth task is overdue, the rest fall due over the coming
		// months; the first two fall due within the warning period.
		due := now.AddDate(0, 0, 20+task*9)
		switch {
		case task%4 == 3:
			due = now.AddDate(0, 0, -10-task)
		case task < 2:
			due = now.AddDate(0, 0, 5+task*3)
		}
		d := time.Date(due.Year(), due.Month(), due.Day(), 23, 59, 59, 0, app.Shanghai)
		it.Deadline = d.UTC()
		it.DeadlineText = d.Format("2006年1月2日前")
		it.LeadUnits = []app.ID{l.org(units[task%len(units)]).ID}
		if task%3 == 0 {
			it.CoUnits = []app.ID{l.org(units[(task+3)%len(units)]).ID}
		}
		task++
	}
	tree, err := plan.BuildTree(rows)
	if err != nil {
		return err
	}
	office := l.user("office1")
	root := l.org("root")
	actx := app.WithActor(ctx, &app.Actor{UserID: office.ID, Login: office.Login, Name: office.Name, Roles: office.Roles, OrgID: root.ID, OrgPath: root.Path})
	p := &plan.Plan{OrgID: root.ID, Year: now.Year(), Title: doc.Title, SourceName: "2023年全国普法依法治理工作要点.txt"}
	if err := l.db.CreatePlan(actx, p, tree); err != nil {
		return err
	}
	items, err := l.db.FindItems(ctx, p.ID)
	if err != nil {
		return err
	}
	// Progress from the units that have a liaison in the demo.
	liaisons := map[app.ID]app.ID{}
	for _, login := range []string{"liaison.sfj", "liaison.jyj", "liaison.gaj", "liaison.scj", "liaison.wjw"} {
		u := l.user(login)
		liaisons[u.OrgID] = u.ID
	}
	reported := 0
	for _, it := range items {
		if !it.IsTask || len(it.LeadUnits) == 0 {
			continue
		}
		author, ok := liaisons[it.LeadUnits[0]]
		if !ok {
			continue
		}
		reported++
		r := &plan.Report{ItemID: it.ID, OrgID: it.LeadUnits[0], Author: author, Status: plan.InProgress, Percent: 30 + reported*7%60,
			Text: "已制定工作方案，组织开展专题学习和“八进”宣传活动，相关台账资料已归档。"}
		review := plan.Accepted
		switch reported % 4 {
		case 0:
			r.Status, r.Text = plan.Done, "已按要求完成，形成工作总结和活动台账。"
		case 2:
			review = plan.Pending // waiting for the office
		case 3:
			r.Status, r.Reason, r.Text = plan.Blocked, "需市级部门统一部署后方可开展", "已完成前期调研。"
		}
		if err := l.db.CreateReport(ctx, r); err != nil {
			return err
		}
		if review == plan.Accepted {
			if err := l.db.ReviewReport(actx, r.ID, plan.Accepted, ""); err != nil {
				return err
			}
		}
	}
	return nil
}
