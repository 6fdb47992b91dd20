package web

import (
	"net/http"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/audit"
	"pufa/internal/authz"
	"pufa/internal/job"
	"pufa/internal/notice"
	"pufa/internal/org"
)

// card is one block of a workbench: a figure, a label and where to go.
type card struct {
	Label, Value, Href, Note string
}

type homeData struct {
	Org     *org.Org
	Roles   []string
	Cards   []card
	Notices []*notice.Notice
	Jobs    []*job.Job
	// Sections name the role blocks the page shows, in order.
	Office, Liaison, Reviewer, Examinee, SysAdmin, SecAdmin, Auditor bool
	Failures                                                         []*audit.Entry
	Colleagues                                                       int
	// Tasks are the liaison's unit's tasks.
	Tasks []ledgerRow
	// Sheets counts the actor's score sheets per round not yet submitted;
	// Results are the published rounds that scored the actor's unit.
	Sheets  []sheetGroup
	Results []*assess.Round
	// Timelines are the rounds under way the person takes part in, as a
	// rater or as a subject's liaison, with their dates.
	Timelines []timelineView
}

// home is the workbench (工作台): one page whose blocks follow the roles.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	o, err := s.db.FindOrgByID(ctx, a.OrgID)
	if err != nil {
		return err
	}
	d := homeData{Org: o, Roles: a.Roles}
	d.Notices, _, err = s.db.FindNotices(ctx, a.UserID, 5)
	if err != nil {
		return err
	}
	if d.Jobs, err = s.db.FindJobs(ctx, a.UserID, 5); err != nil {
		return err
	}
	d.Office, d.Liaison, d.Reviewer, d.Examinee = a.HasRole(account.RoleOffice), a.HasRole(account.RoleLiaison), a.HasRole(account.RoleReviewer), a.HasRole(account.RoleExaminee)
	d.SysAdmin, d.SecAdmin, d.Auditor = a.HasRole(account.RoleSysAdmin), a.HasRole(account.RoleSecAdmin), a.HasRole(account.RoleAuditor)

	if authz.Can(a, authz.OrgView, authz.AtOrg(a.OrgPath)) && (d.Office || d.SysAdmin || d.SecAdmin) {
		path := a.OrgPath
		_, orgs, err := s.db.FindOrgs(ctx, org.Filter{UnderPath: &path, Limit: 1})
		if err != nil {
			return err
		}
		unit := org.KindUnit
		_, units, err := s.db.FindOrgs(ctx, org.Filter{UnderPath: &path, Kind: &unit, Limit: 1})
		if err != nil {
			return err
		}
		_, users, err := s.db.FindUsers(ctx, account.Filter{UnderPath: &path, Limit: 1})
		if err != nil {
			return err
		}
		d.Cards = append(d.Cards,
			card{Label: "下辖组织", Value: itoa(orgs), Href: "/orgs", Note: "含区域与单位"},
			card{Label: "责任单位", Value: itoa(units), Href: "/orgs?kind=unit"},
			card{Label: "用户账号", Value: itoa(users), Href: "/users"},
		)
		if d.SecAdmin || d.Office {
			liaison := account.RoleLiaison
			_, n, err := s.db.FindUsers(ctx, account.Filter{UnderPath: &path, Role: &liaison, Limit: 1})
			if err != nil {
				return err
			}
			d.Cards = append(d.Cards, card{Label: "单位联络员", Value: itoa(n), Href: "/users?role=liaison"})
		}
	}
	if d.Liaison {
		id := a.OrgID
		_, n, err := s.db.FindUsers(ctx, account.Filter{OrgID: &id, Limit: 1})
		if err != nil {
			return err
		}
		d.Colleagues = n
		if d.Tasks, err = s.unitTasks(ctx, a); err != nil {
			return err
		}
	}
	// Anyone may be a rater in a round: the block shows when there is
	// something to score.
	tasks, err := s.db.FindRaterTasks(ctx, a.UserID)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if t.Status != assess.RoundOpen {
			continue
		}
		if n := len(d.Sheets); n == 0 || d.Sheets[n-1].RoundTitle != t.RoundTitle {
			d.Sheets = append(d.Sheets, sheetGroup{RoundTitle: t.RoundTitle})
		}
		g := &d.Sheets[len(d.Sheets)-1]
		g.Tasks = append(g.Tasks, t)
		if t.Sheet != assess.SheetSubmitted {
			g.Left++
		}
	}
	seen := map[app.ID]bool{}
	now := s.clock.Now()
	for _, t := range tasks {
		if seen[t.RoundID] {
			continue
		}
		seen[t.RoundID] = true
		if rd, err := s.db.FindRoundByID(ctx, t.RoundID); err == nil && len(rd.Timeline) > 0 {
			d.Timelines = append(d.Timelines, timelineOf(rd, "/sheets", now))
		}
	}
	if d.Liaison {
		if d.Results, err = s.db.FindRoundsOfSubject(ctx, a.OrgID); err != nil {
			return err
		}
		mine, err := s.db.FindRoundsOfOrg(ctx, a.OrgID)
		if err != nil {
			return err
		}
		for _, rd := range mine {
			if !seen[rd.ID] && len(rd.Timeline) > 0 {
				seen[rd.ID] = true
				d.Timelines = append(d.Timelines, timelineOf(rd, "", now))
			}
		}
	}
	if d.Auditor {
		since := s.clock.Now().Add(-24 * time.Hour)
		failed := audit.ResultFailed
		d.Failures, _, err = s.db.FindAuditEntries(ctx, audit.Filter{Since: &since, Result: &failed, Limit: 8})
		if err != nil {
			return err
		}
		_, total, err := s.db.FindAuditEntries(ctx, audit.Filter{Since: &since, Limit: 1})
		if err != nil {
			return err
		}
		denied := audit.ResultDenied
		_, deniedN, err := s.db.FindAuditEntries(ctx, audit.Filter{Since: &since, Result: &denied, Limit: 1})
		if err != nil {
			return err
		}
		_, failedN, err := s.db.FindAuditEntries(ctx, audit.Filter{Since: &since, Result: &failed, Limit: 1})
		if err != nil {
			return err
		}
		d.Cards = append(d.Cards,
			card{Label: "24 小时内审计记录", Value: itoa(total), Href: "/audit"},
			card{Label: "登录失败", Value: itoa(failedN), Href: "/audit?result=failed"},
			card{Label: "越权访问被拒", Value: itoa(deniedN), Href: "/audit?result=denied"},
		)
	}
	return s.render(w, r, http.StatusOK, "home", s.newView(r, "工作台", d))
}
