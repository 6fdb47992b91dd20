package web

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/org"
	"pufa/internal/plan"
)

// planTarget targets the region of the plan {id}.
func planTarget(s *Server, r *http.Request) (authz.Target, error) {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return authz.Target{}, err
	}
	p, err := s.planOnce(r, id)
	if err != nil {
		return authz.Target{}, err
	}
	return s.orgTarget(r, p.OrgID.String(), false)
}

// taskTarget targets the region of the plan that task {id} belongs to.
func taskTarget(s *Server, r *http.Request) (authz.Target, error) {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return authz.Target{}, err
	}
	it, err := s.db.FindItemByID(r.Context(), id)
	if err != nil {
		return authz.Target{}, err
	}
	p, err := s.planOnce(r, it.PlanID)
	if err != nil {
		return authz.Target{}, err
	}
	return s.orgTarget(r, p.OrgID.String(), false)
}

// reportTarget targets the region of the plan a report {id} belongs to.
func reportTarget(s *Server, r *http.Request) (authz.Target, error) {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return authz.Target{}, err
	}
	rep, err := s.db.FindReportByID(r.Context(), id)
	if err != nil {
		return authz.Target{}, err
	}
	r2 := r.Clone(r.Context())
	r2.SetPathValue("id", rep.ItemID.String())
	return taskTarget(s, r2)
}

type planListData struct {
	Plans     []*plan.Plan
	CanCreate bool
}

func (s *Server) planList(w http.ResponseWriter, r *http.Request) error {
	a := app.ActorFrom(r.Context())
	var plans []*plan.Plan
	var err error
	switch {
	case authz.Can(a, authz.PlanManage, authz.AtOrg(a.OrgPath)):
		plans, err = s.db.FindPlans(r.Context(), a.OrgPath)
	default:
		// A unit sees the plans of the regions above it.
		root, rerr := s.db.FindRootOrg(r.Context())
		if rerr != nil {
			return rerr
		}
		all, ferr := s.db.FindPlans(r.Context(), root.Path)
		err = ferr
		for _, p := range all {
			if s.canAt(r, authz.PlanView, p.OrgID) {
				plans = append(plans, p)
			}
		}
	}
	if err != nil {
		return err
	}
	v := s.newView(r, "工作要点与台账", planListData{Plans: plans, CanCreate: authz.Can(a, authz.PlanManage, authz.AtOrg(a.OrgPath))})
	v.Active = "plans"
	return s.render(w, r, http.StatusOK, "plans", v)
}

// ledgerRow is one line of the ledger: a section heading or a task.
type ledgerRow struct {
	*plan.Item
	Depth    int
	Signal   plan.Signal
	Leads    string
	Cos      string
	Progress plan.Progress // sections only
	Section  string        // the top-level section's label, for filters
	// Worked out once here rather than by template calls per row: a
	// ledger can hold thousands of rows.
	StatusClass  string
	ShownPercent int
	Due          string
}

// newLedgerRow fills a row's display fields.
func newLedgerRow(it *plan.Item, now time.Time, warning time.Duration) ledgerRow {
	row := ledgerRow{Item: it, Signal: it.SignalAt(now, warning), ShownPercent: it.Percent, Due: it.DeadlineText}
	switch it.Status {
	case plan.Done:
		row.StatusClass, row.ShownPercent = "tag-green", 100
	case plan.Blocked:
		row.StatusClass = "tag-red"
	case plan.InProgress:
		row.StatusClass = "tag-blue"
	}
	if row.Due == "" && !it.Deadline.IsZero() {
		row.Due = fmtDate(it.Deadline)
	}
	return row
}

// unitOption is one unit in a filter or assignment list.
type unitOption struct {
	ID       app.ID
	Name     string
	Selected bool
}

type ledgerData struct {
	Plan      *plan.Plan
	Region    *org.Org
	Overall   plan.Progress
	Rows      []ledgerRow
	Sections  []*plan.Item
	Units     []unitOption
	Statuses  []plan.Status
	CanManage bool
	Filter    ledgerFilter
	Shown     int
	Now       time.Time
	// OverdueByUnit counts overdue tasks per lead unit, most first: the
	// 督办 list the office works through.
	OverdueByUnit []unitCount
}

type unitCount struct {
	ID    app.ID
	Name  string
	Count int
}

type ledgerFilter struct {
	Section, Unit, Status, Signal string
	// DueBy keeps tasks due on or before a date (yyyy-mm-dd).
	DueBy string
}

func (f ledgerFilter) Any() bool { return f.Section+f.Unit+f.Status+f.Signal+f.DueBy != "" }

// ledger loads a plan's items and computes each row's light and the
// sections' roll-up once, for the page and the export alike.
func (s *Server) ledger(r *http.Request) (*ledgerData, error) {
	ctx := r.Context()
	id, _ := app.ParseID("id", r.PathValue("id"))
	p, err := s.planOnce(r, id)
	if err != nil {
		return nil, err
	}
	region, err := s.orgOnce(r, p.OrgID)
	if err != nil {
		return nil, err
	}
	items, err := s.db.FindItems(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	units, _, err := s.db.FindOrgs(ctx, org.Filter{UnderPath: &region.Path})
	if err != nil {
		return nil, err
	}
	names := make(map[app.ID]string, len(units))
	for _, u := range units {
		names[u.ID] = u.Name
	}
	now := s.clock.Now()
	q := r.URL.Query()
	d := &ledgerData{Plan: p, Region: region, Statuses: plan.Statuses, Now: now,
		Overall:   plan.RollUp(items, 0, now),
		Filter:    ledgerFilter{Section: q.Get("section"), Unit: q.Get("unit"), Status: q.Get("status"), Signal: q.Get("signal"), DueBy: q.Get("due")},
		CanManage: authz.Can(app.ActorFrom(ctx), authz.PlanManage, authz.AtOrg(region.Path))}
	depth := map[app.ID]int{}
	top := map[app.ID]app.ID{}
	for _, it := range items {
		if it.ParentID == 0 {
			top[it.ID] = it.ID
			if !it.IsTask {
				d.Sections = append(d.Sections, it)
			}
		} else {
			depth[it.ID] = depth[it.ParentID] + 1
			top[it.ID] = top[it.ParentID]
		}
	}
	unitFilter, _ := app.ParseID("unit", d.Filter.Unit)
	var dueBy time.Time
	if d.Filter.DueBy != "" {
		t, err := time.ParseInLocation("2006-01-02", d.Filter.DueBy, app.Shanghai)
		if err != nil {
			return nil, app.Invalid("due", "日期“%s”格式应为 2024-05-01", d.Filter.DueBy)
		}
		dueBy = t.Add(24 * time.Hour)
	}
	d.Units = make([]unitOption, len(units))
	for i, u := range units {
		d.Units[i] = unitOption{ID: u.ID, Name: u.Name, Selected: u.ID == unitFilter}
	}
	overdue := map[app.ID]int{}
	warning := s.settings(r).Warning()
	for _, it := range items {
		row := newLedgerRow(it, now, warning)
		if row.Signal == plan.Red {
			for _, u := range it.LeadUnits {
				overdue[u]++
			}
		}
		row.Depth, row.Section = depth[it.ID], top[it.ID].String()
		row.Leads, row.Cos = unitNames(it.LeadUnits, names), unitNames(it.CoUnits, names)
		if !it.IsTask {
			row.Progress = plan.RollUp(items, it.ID, now)
		}
		if d.Filter.Section != "" && row.Section != d.Filter.Section {
			continue
		}
		if it.IsTask {
			if unitFilter != 0 && !hasID(it.LeadUnits, unitFilter) && !hasID(it.CoUnits, unitFilter) {
				continue
			}
			if d.Filter.Status != "" && string(it.Status) != d.Filter.Status {
				continue
			}
			if d.Filter.Signal != "" && string(row.Signal) != d.Filter.Signal {
				continue
			}
			if !dueBy.IsZero() && (it.Deadline.IsZero() || !it.Deadline.Before(dueBy)) {
				continue
			}
			d.Shown++
		} else if d.Filter.Unit+d.Filter.Status+d.Filter.Signal+d.Filter.DueBy != "" {
			continue // headings only when the list is not narrowed to tasks
		}
		d.Rows = append(d.Rows, row)
	}
	for id, n := range overdue {
		d.OverdueByUnit = append(d.OverdueByUnit, unitCount{ID: id, Name: names[id], Count: n})
	}
	sort.Slice(d.OverdueByUnit, func(i, j int) bool {
		a, b := d.OverdueByUnit[i], d.OverdueByUnit[j]
		return a.Count > b.Count || (a.Count == b.Count && a.Name < b.Name)
	})
	return d, nil
}

func unitNames(ids []app.ID, names map[app.ID]string) string {
	var out []string
	for _, id := range ids {
		if n := names[id]; n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "、")
}

func hasID(ids []app.ID, id app.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func (s *Server) planShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.ledger(r)
	if err != nil {
		return err
	}
	v := s.newView(r, d.Plan.Title, d)
	v.Active = "plans"
	return s.render(w, r, http.StatusOK, "plan", v)
}
