// Package authz is the one place that decides what an actor may do. It
// knows the roles and the org-subtree scope; handlers ask it, nothing else
// reasons about roles.
package authz

import (
	"slices"
	"strings"

	"pufa/internal/account"
	"pufa/internal/app"
)

// Action is something an actor asks to do.
type Action string

// The actions of the foundation. Later capabilities add theirs here, with
// their rule in Can.
const (
	// OrgView reads an org and lists its subtree.
	OrgView Action = "org.view"
	// OrgManage creates, edits, moves, deactivates and deletes orgs.
	OrgManage Action = "org.manage"
	// UserView reads accounts (masked personal data).
	UserView Action = "user.view"
	// UserManage creates and edits accounts and resets passwords.
	UserManage Action = "user.manage"
	// RoleGrant changes an account's roles.
	RoleGrant Action = "role.grant"
	// PIIReveal shows an unmasked phone or ID number; every use is audited.
	PIIReveal Action = "pii.reveal"
	// AuditView reads the audit log.
	AuditView Action = "audit.view"
	// SettingsManage changes system settings.
	SettingsManage Action = "settings.manage"
	// PlanView reads a work plan and its ledger; the target is the plan's
	// region.
	PlanView Action = "plan.view"
	// PlanManage imports plans, assigns tasks, reviews reports and sends
	// reminders.
	PlanManage Action = "plan.manage"
	// TaskReport reports progress on a task for the actor's unit; the store
	// also checks that the unit is on the task.
	TaskReport Action = "task.report"
	// AssessManage builds indicator schemes and runs assessment rounds:
	// subjects, stages, raters, publication, corrections, public votes.
	// The target is the region that owns the scheme or round.
	AssessManage Action = "assess.manage"
	// DutyEdit writes a unit's own duty list (责任清单); the target is the
	// unit.
	DutyEdit Action = "duty.edit"
	// DutyView reads a unit's duty list before it is published: the unit
	// itself and the office above it.
	DutyView Action = "duty.view"
	// DutyReview approves or returns the duty lists of a region's units.
	DutyReview Action = "duty.review"
	// LibraryManage keeps the law library, must-know lists and question
	// banks of a region; everyone reads and practises from those above.
	LibraryManage Action = "library.manage"
	// ExamManage sets up the exams of a region, marks answers by hand and
	// reads its results; examinees reach their own exams by who sits, not
	// by this action.
	ExamManage Action = "exam.manage"
	// SheetRate fills a score sheet. Raters are chosen per round, not by
	// role, so the target's UserID is the rater the store has assigned to
	// that subject in that stage (0 when nobody is): only that rater may.
	SheetRate Action = "sheet.rate"
	// ResultView shows a subject its own result in a round. The target is
	// the subject's org, and Released says whether the office has
	// published: before that, nobody outside the office sees a result.
	ResultView Action = "result.view"
)

// Target is what an action applies to: the org it lives in and, for an
// action on an account, that account and its roles. The zero Target means
// "the whole system".
type Target struct {
	OrgPath string
	// UserID and Roles are set when the target is an account.
	UserID app.ID
	Roles  []string
	// Released is set when what the target holds has been published to
	// those it concerns (a round's results).
	Released bool
}

// AtUser is a Target for the account id, holding roles, in the org with
// path.
func AtUser(path string, id app.ID, roles []string) Target {
	return Target{OrgPath: path, UserID: id, Roles: roles}
}

// hasAdminRole reports whether the target account holds one of the 三员.
func (t Target) hasAdminRole() bool {
	for _, r := range t.Roles {
		if account.IsAdminRole(r) {
			return true
		}
	}
	return false
}

// onlyRoles reports whether every role of the target account is in allowed.
func (t Target) onlyRoles(allowed []string) bool {
	for _, r := range t.Roles {
		if !slices.Contains(allowed, r) {
			return false
		}
	}
	return true
}

// self reports whether the target is the actor's own account: one's own
// password and roles change through the password page and another
// administrator, never through the management pages.
func (t Target) self(a *app.Actor) bool { return t.UserID != 0 && t.UserID == a.UserID }

// AtOrg is a Target inside the org with path.
func AtOrg(path string) Target { return Target{OrgPath: path} }

// Below is a Target for something to be created under the org with path:
// the right to create an org under P is the right to manage what lies
// below P.
func Below(path string) Target { return Target{OrgPath: path + "new/"} }

// within reports whether the target lies in the actor's subtree (the
// actor's own org included); a system-wide target is within nobody's
// subtree.
func within(a *app.Actor, t Target) bool {
	return t.OrgPath != "" && strings.HasPrefix(t.OrgPath, a.OrgPath)
}

// above reports whether the target org contains the actor's org (the
// actor's own org included).
func above(a *app.Actor, t Target) bool {
	return t.OrgPath != "" && strings.HasPrefix(a.OrgPath, t.OrgPath)
}

// below reports whether the target lies strictly under the actor's org.
func below(a *app.Actor, t Target) bool { return within(a, t) && t.OrgPath != a.OrgPath }

// Can reports whether a may do act on t.
func Can(a *app.Actor, act Action, t Target) bool {
	if a == nil {
		return false
	}
	has := a.HasRole
	switch act {
	case OrgView:
		return has(account.RoleSysAdmin) || has(account.RoleSecAdmin) ||
			(has(account.RoleOffice) && (within(a, t) || t.OrgPath == "")) ||
			(has(account.RoleLiaison) && t.OrgPath == a.OrgPath)
	case OrgManage:
		// The office may add and edit the units and places under it, never
		// its own org or anything above.
		return has(account.RoleSysAdmin) || (has(account.RoleOffice) && below(a, t))
	case UserView:
		return has(account.RoleSysAdmin) || has(account.RoleSecAdmin) ||
			(has(account.RoleOffice) && (within(a, t) || t.OrgPath == "")) ||
			(has(account.RoleLiaison) && t.OrgPath == a.OrgPath)
	case UserManage:
		// Who may reset, edit or deactivate an account depends on what the
		// account may do: a 三员 account only by the security admin, so no
		// one takes over the audit admin by resetting its password; other
		// accounts by the system admin, and by the office when they hold
		// nothing but the roles the office itself grants.
		if t.self(a) {
			return false
		}
		if t.hasAdminRole() {
			return has(account.RoleSecAdmin)
		}
		return has(account.RoleSysAdmin) ||
			(has(account.RoleOffice) && (within(a, t) || t.OrgPath == "") && t.onlyRoles(officeGrants))
	case RoleGrant:
		if t.self(a) {
			return false
		}
		return has(account.RoleSecAdmin) ||
			(has(account.RoleOffice) && (within(a, t) || t.OrgPath == "") && t.onlyRoles(officeGrants))
	case PIIReveal:
		// Personal data is for the office that serves the person, not for
		// the 三员 who run the system.
		return has(account.RoleOffice) && within(a, t)
	case AuditView:
		return has(account.RoleAuditor)
	case SettingsManage:
		return has(account.RoleSysAdmin)
	case PlanView:
		// The office sees the plans of its subtree; a unit sees the plans
		// of the regions it belongs to, since the whole plan is its brief.
		return (has(account.RoleOffice) && within(a, t)) ||
			(has(account.RoleLiaison) && above(a, t))
	case PlanManage:
		return has(account.RoleOffice) && within(a, t)
	case TaskReport:
		return has(account.RoleLiaison) && above(a, t)
	case AssessManage:
		return has(account.RoleOffice) && within(a, t)
	case DutyEdit:
		return has(account.RoleLiaison) && t.OrgPath != "" && t.OrgPath == a.OrgPath
	case DutyView:
		return (has(account.RoleLiaison) && t.OrgPath != "" && t.OrgPath == a.OrgPath) || (has(account.RoleOffice) && within(a, t))
	case DutyReview:
		return has(account.RoleOffice) && within(a, t)
	case LibraryManage:
		return has(account.RoleOffice) && within(a, t)
	case ExamManage:
		return has(account.RoleOffice) && within(a, t)
	case SheetRate:
		return t.UserID != 0 && t.UserID == a.UserID
	case ResultView:
		return t.Released && t.OrgPath != "" && t.OrgPath == a.OrgPath &&
			(has(account.RoleLiaison) || has(account.RoleOffice))
	}
	return false
}

// GrantableRoles lists the roles a may give to an account in t. The
// security admin grants every role; the office grants the business roles
// below its own (never the 三员, never office).
func GrantableRoles(a *app.Actor, t Target) []string {
	switch {
	case a.HasRole(account.RoleSecAdmin):
		return slices.Clone(account.Roles)
	case a.HasRole(account.RoleOffice) && within(a, t):
		return slices.Clone(officeGrants)
	}
	return nil
}

// officeGrants are the roles the office gives to the accounts of its
// subtree.
var officeGrants = []string{account.RoleLiaison, account.RoleReviewer, account.RoleExaminee}

// CanGrant reports whether a may change an account's roles from before to
// after in t: every role added or removed must be grantable by a.
func CanGrant(a *app.Actor, t Target, before, after []string) bool {
	if !Can(a, RoleGrant, t) {
		return false
	}
	ok := GrantableRoles(a, t)
	for _, r := range after {
		if !slices.Contains(before, r) && !slices.Contains(ok, r) {
			return false
		}
	}
	for _, r := range before {
		if !slices.Contains(after, r) && !slices.Contains(ok, r) {
			return false
		}
	}
	return true
}

// Forbidden is the error for a refused action.
func Forbidden() error {
	return app.Errorf(app.EFORBIDDEN, "您没有权限执行此操作")
}
