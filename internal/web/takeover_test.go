package web_test

import (
	"context"
	"net/url"
	"regexp"
	"testing"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/password"
)

var secretDiv = regexp.MustCompile(`<div class="secret">([^<]+)</div>`)

func mustID(t *testing.T, e *env, login string) app.ID {
	u, err := e.db.FindUserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func mustHash(t *testing.T, pw string) string {
	h, err := password.FastForTests().Hash(context.Background(), pw)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestAccountTakeover: nobody takes over an account that can do more than
// they may grant, and nobody changes their own roles. The matrix above
// aims at ordinary accounts; these targets are the 三员, an office peer and
// oneself.
func TestAccountTakeover(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	root, _ := e.db.FindRootOrg(ctx)
	hash, _ := password.FastForTests().Hash(ctx, "Peer-Pass-42")
	peer := &account.User{Login: "office.peer", Name: "同事", OrgID: root.ID, Roles: []string{account.RoleOffice}, PasswordHash: hash}
	if err := e.db.CreateUser(ctx, peer); err != nil {
		t.Fatal(err)
	}
	id := func(login string) string {
		u, err := e.db.FindUserByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		return u.ID.String()
	}
	type attempt struct {
		actor, target, action string
		allowed               bool
	}
	var cases []attempt
	for _, target := range []string{"auditor", "secadmin", "sysadmin"} {
		for _, actor := range []string{"office1", "sysadmin", "secadmin"} {
			allowed := actor == "secadmin" && target != "secadmin"
			cases = append(cases, attempt{actor, target, "reset-password", allowed}, attempt{actor, target, "edit", allowed})
		}
	}
	cases = append(cases,
		attempt{"office1", "office.peer", "reset-password", false},
		attempt{"office1", "office.peer", "roles", false},
		attempt{"sysadmin", "office.peer", "reset-password", true},
		attempt{"office1", "zhangwei", "reset-password", true},
		attempt{"office1", "office1", "roles", false},
		attempt{"secadmin", "secadmin", "roles", false},
		attempt{"office1", "office1", "reset-password", false},
	)
	for _, c := range cases {
		cl := e.client()
		cl.login(c.actor, e.accounts[c.actor].Password)
		path := "/users/" + id(c.target)
		form := url.Values{}
		switch c.action {
		case "reset-password":
			path += "/reset-password"
		case "edit":
			path += "/edit"
		case "roles":
			path += "/roles"
			form["roles"] = []string{account.RoleOffice, account.RoleExaminee, account.RoleLiaison}
		}
		var status int
		if c.action == "edit" {
			resp, _ := cl.get(path)
			status = resp.StatusCode
		} else {
			resp, body := cl.post(path, form)
			status = resp.StatusCode
			// A reset that went through hands out a new password; keep it so
			// the target can still sign in for the cases after this one.
			if m := secretDiv.FindStringSubmatch(body); m != nil {
				a := e.accounts[c.target]
				a.Password = htmlUnescape(m[1])
				e.accounts[c.target] = a
				e.db.SetPassword(ctx, mustID(t, e, c.target), mustHash(t, a.Password), false, "")
			}
		}
		if got := status != 403; got != c.allowed {
			t.Errorf("%s %s on %s: status %d, allowed=%v want %v", c.actor, c.action, c.target, status, got, c.allowed)
		}
	}
	// The security admin cannot give itself a business role.
	sec := e.client()
	sec.login("secadmin", e.accounts["secadmin"].Password)
	if resp, _ := sec.post("/users/"+id("secadmin")+"/roles", url.Values{"roles": {"secadmin", "office"}}); resp.StatusCode != 403 {
		t.Errorf("secadmin granting itself office: %d", resp.StatusCode)
	}
	// Nor give a 三员 account the office role.
	if resp, body := sec.post("/users/"+id("auditor")+"/roles", url.Values{"roles": {"auditor", "office"}}); resp.StatusCode != 400 {
		t.Errorf("auditor+office: %d %s", resp.StatusCode, firstError(body))
	}
}
