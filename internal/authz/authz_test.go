package authz

import (
	"slices"
	"testing"

	"pufa/internal/account"
	"pufa/internal/app"
)

func actor(id app.ID, path string, roles ...string) *app.Actor {
	return &app.Actor{UserID: id, OrgPath: path, Roles: roles}
}

func TestCan(t *testing.T) {
	office := actor(1, "/1/2/", account.RoleOffice)
	liaison := actor(2, "/1/2/5/", account.RoleLiaison)
	sec := actor(3, "/1/", account.RoleSecAdmin)
	sys := actor(4, "/1/", account.RoleSysAdmin)
	for _, c := range []struct {
		name string
		a    *app.Actor
		act  Action
		t    Target
		want bool
	}{
		{"office manages orgs below it", office, OrgManage, AtOrg("/1/2/5/"), true},
		{"office not its own org", office, OrgManage, AtOrg("/1/2/"), false},
		{"office creates under its own org", office, OrgManage, Below("/1/2/"), true},
		{"office not a sibling's", office, OrgView, AtOrg("/1/3/"), false},
		{"a prefix of digits is not a subtree", office, OrgView, AtOrg("/1/23/"), false},
		{"office manages an examinee below", office, UserManage, AtUser("/1/2/5/", 9, []string{account.RoleExaminee}), true},
		{"office not an office peer", office, UserManage, AtUser("/1/2/", 9, []string{account.RoleOffice}), false},
		{"office not itself", office, UserManage, AtUser("/1/2/", 1, []string{account.RoleExaminee}), false},
		{"nobody but secadmin manages a 三员", sys, UserManage, AtUser("/1/", 9, []string{account.RoleAuditor}), false},
		{"secadmin manages a 三员", sec, UserManage, AtUser("/1/", 9, []string{account.RoleAuditor}), true},
		{"secadmin not its own roles", sec, RoleGrant, AtUser("/1/", 3, []string{account.RoleSecAdmin}), false},
		{"sysadmin cannot grant", sys, RoleGrant, AtUser("/1/", 9, []string{account.RoleExaminee}), false},
		{"sysadmin cannot reveal", sys, PIIReveal, AtOrg("/1/"), false},
		{"liaison sees its plan's region above", liaison, PlanView, AtOrg("/1/"), true},
		{"liaison reports for its region's plans", liaison, TaskReport, AtOrg("/1/2/"), true},
		{"liaison not a plan below it", liaison, PlanView, AtOrg("/1/2/5/6/"), false},
		{"only the auditor reads the log", sys, AuditView, Target{}, false},
		{"nobody signed in", nil, OrgView, AtOrg("/1/"), false},
	} {
		if got := Can(c.a, c.act, c.t); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestGrant(t *testing.T) {
	office := actor(1, "/1/", account.RoleOffice)
	t1 := AtUser("/1/2/", 9, []string{account.RoleExaminee})
	if got := GrantableRoles(office, t1); !slices.Equal(got, []string{account.RoleLiaison, account.RoleReviewer, account.RoleExaminee}) {
		t.Errorf("office grants %v", got)
	}
	if !CanGrant(office, t1, []string{account.RoleExaminee}, []string{account.RoleExaminee, account.RoleLiaison}) {
		t.Error("office cannot make an examinee a liaison")
	}
	if CanGrant(office, t1, []string{account.RoleExaminee}, []string{account.RoleOffice}) {
		t.Error("office granted office")
	}
	sec := actor(3, "/1/", account.RoleSecAdmin)
	if !CanGrant(sec, t1, []string{account.RoleExaminee}, []string{account.RoleOffice, account.RoleExaminee}) {
		t.Error("secadmin cannot grant office")
	}
}
