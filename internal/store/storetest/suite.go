package storetest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/audit"
	"pufa/internal/job"
	"pufa/internal/notice"
	"pufa/internal/org"
	"pufa/internal/plan"
	"pufa/internal/session"
	"pufa/internal/settings"
	"pufa/internal/store"
)

// Opener opens a fresh database with the given clock.
type Opener func(t *testing.T, clock app.Clock) *store.DB

// Run runs the whole conformance suite against the engine open makes.
func Run(t *testing.T, open Opener) {
	t.Run("Migrate", func(t *testing.T) { testMigrate(t, open) })
	t.Run("Orgs", func(t *testing.T) { testOrgs(t, open) })
	t.Run("Users", func(t *testing.T) { testUsers(t, open) })
	t.Run("Lockout", func(t *testing.T) { testLockout(t, open) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, open) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, open) })
	t.Run("GroupCommit", func(t *testing.T) { testGroupCommit(t, open) })
	t.Run("GroupCommitBulk", func(t *testing.T) { testGroupCommitBulk(t, open) })
	t.Run("NoticesJobs", func(t *testing.T) { testNoticesJobs(t, open) })
	t.Run("Plans", func(t *testing.T) { testPlans(t, open) })
	t.Run("Settings", func(t *testing.T) { testSettings(t, open) })
	t.Run("Schemes", func(t *testing.T) { testSchemes(t, open) })
	t.Run("Rounds", func(t *testing.T) { testRounds(t, open) })
	t.Run("Questions", func(t *testing.T) { testQuestions(t, open) })
	t.Run("Library", func(t *testing.T) { testLibrary(t, open) })
	t.Run("Duty", func(t *testing.T) { testDuty(t, open) })
	t.Run("ExamResults", func(t *testing.T) { testExamResults(t, open) })
	t.Run("Quizzes", func(t *testing.T) { testQuizzes(t, open) })
	t.Run("Contests", func(t *testing.T) { testContests(t, open) })
}

// Seed makes a small tree: root region → street → village, and a unit
// under the root. It returns them in that order.
func Seed(t testing.TB, db *store.DB) (root, street, village, unit *org.Org) {
	t.Helper()
	ctx := context.Background()
	root = &org.Org{Kind: org.KindRegion, Name: "测试区", Code: "310104"}
	must(t, db.CreateOrg(ctx, root))
	street = &org.Org{ParentID: root.ID, Kind: org.KindSubdistrict, Name: "枫林路街道", Code: "310104003"}
	must(t, db.CreateOrg(ctx, street))
	village = &org.Org{ParentID: street.ID, Kind: org.KindCommunity, Name: "枫林社区", Code: "310104003001"}
	must(t, db.CreateOrg(ctx, village))
	code := "11310104MB0000001"
	unit = &org.Org{ParentID: root.ID, Kind: org.KindUnit, Name: "区司法局", Code: code + string(org.CreditCodeCheckChar(code))}
	must(t, db.CreateOrg(ctx, unit))
	return root, street, village, unit
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func testMigrate(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t, nil)
	v, err := db.Migrate(ctx) // a second run applies nothing
	must(t, err)
	if v != db.LatestSchemaVersion() || v < 1 {
		t.Fatalf("version %d, latest %d", v, db.LatestSchemaVersion())
	}
	must(t, db.ExecRaw(ctx, `INSERT INTO schema_version (version, applied_at) VALUES (?, 0)`, v+5))
	_, err = db.Migrate(ctx)
	if err == nil || !strings.Contains(app.ErrorMessage(err), "比本程序支持的版本") {
		t.Fatalf("newer schema accepted: %v", err)
	}
}

func testOrgs(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t, nil)
	root, street, village, unit := Seed(t, db)

	got, err := db.FindRootOrg(ctx)
	must(t, err)
	if got.ID != root.ID || got.Depth() != 0 {
		t.Fatalf("root = %+v", got)
	}
	if v, _ := db.FindOrgByID(ctx, village.ID); v.Depth() != 2 || !root.Contains(v) || !street.Contains(v) || unit.Contains(v) {
		t.Fatalf("village path %q", v.Path)
	}
	// A second root is refused; a duplicate code conflicts.
	wantCode(t, db.CreateOrg(ctx, &org.Org{Kind: org.KindRegion, Name: "另一区", Code: "310105"}), app.EINVALID)
	wantCode(t, db.CreateOrg(ctx, &org.Org{ParentID: root.ID, Kind: org.KindSubdistrict, Name: "重复", Code: "310104003"}), app.ECONFLICT)
	// A bad credit code is refused with a message naming the field.
	err = db.CreateOrg(ctx, &org.Org{ParentID: root.ID, Kind: org.KindUnit, Name: "坏单位", Code: "11310104MB00000010"})
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Field != "code" {
		t.Fatalf("bad credit code: %v", err)
	}

	under := street.Path
	list, total, err := db.FindOrgs(ctx, org.Filter{UnderPath: &under})
	must(t, err)
	if total != 2 || len(list) != 2 || list[0].ID != street.ID || list[1].ID != village.ID {
		t.Fatalf("subtree = %d %v", total, list)
	}
	// Pages follow tree order, siblings by sort order, across page cuts.
	all, _, _ := db.FindOrgs(ctx, org.Filter{})
	page2, total, _ := db.FindOrgs(ctx, org.Filter{Limit: 2, Offset: 2})
	if total != len(all) || len(page2) != 2 || page2[0].ID != all[2].ID || page2[1].ID != all[3].ID {
		t.Fatalf("page 2 = %v of %v", page2, all)
	}
	q := "司法"
	if list, _, _ := db.FindOrgs(ctx, org.Filter{Query: &q}); len(list) != 1 || list[0].ID != unit.ID {
		t.Fatalf("query 司法 = %v", list)
	}
	// LIKE wildcards in a query are literal.
	pct := "%"
	if list, _, _ := db.FindOrgs(ctx, org.Filter{Query: &pct}); len(list) != 0 {
		t.Fatalf("query %% matched %d", len(list))
	}

	// Moving the street under the unit is refused (a place under a unit);
	// moving it into its own subtree is refused; a real move rewrites the
	// whole subtree's paths.
	wantCode(t, db.MoveOrg(ctx, street.ID, unit.ID), app.EINVALID)
	wantCode(t, db.MoveOrg(ctx, street.ID, village.ID), app.EINVALID)
	town := &org.Org{ParentID: root.ID, Kind: org.KindTown, Name: "华泾镇", Code: "310104101"}
	must(t, db.CreateOrg(ctx, town))
	must(t, db.MoveOrg(ctx, street.ID, town.ID))
	v, _ := db.FindOrgByID(ctx, village.ID)
	if want := town.Path + street.ID.String() + "/" + village.ID.String() + "/"; v.Path != want {
		t.Fatalf("village path after move = %q, want %q", v.Path, want)
	}

	// Deleting an org with children or users is refused with a reason.
	err = db.DeleteOrg(ctx, street.ID)
	wantCode(t, err, app.ECONFLICT)
	if !strings.Contains(app.ErrorMessage(err), "下级组织") {
		t.Fatalf("reason = %q", app.ErrorMessage(err))
	}
	must(t, db.CreateUser(ctx, &account.User{Login: "liaison1", Name: "李联络", OrgID: village.ID, Roles: []string{account.RoleLiaison}, PasswordHash: "x"}))
	err = db.DeleteOrg(ctx, village.ID)
	if !strings.Contains(app.ErrorMessage(err), "用户") {
		t.Fatalf("delete org with users: %v", err)
	}
	// Kind changes keep the tree's shape.
	unitKind, townKind := org.KindUnit, org.KindTown
	_, err = db.UpdateOrg(ctx, town.ID, org.Update{Kind: &unitKind})
	wantCode(t, err, app.EINVALID) // it has a subdistrict under it
	_, err = db.UpdateOrg(ctx, root.ID, org.Update{Kind: &townKind})
	wantCode(t, err, app.EINVALID)

	// Deactivating works; an empty org deletes.
	off := false
	o, err := db.UpdateOrg(ctx, village.ID, org.Update{Active: &off})
	must(t, err)
	if o.Active {
		t.Fatal("still active")
	}
	empty := &org.Org{ParentID: root.ID, Kind: org.KindTown, Name: "空镇", Code: "310104102"}
	must(t, db.CreateOrg(ctx, empty))
	must(t, db.DeleteOrg(ctx, empty.ID))
	_, err = db.FindOrgByID(ctx, empty.ID)
	wantCode(t, err, app.ENOTFOUND)
}

func testUsers(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t, nil)
	root, street, village, _ := Seed(t, db)
	u := &account.User{Login: "Zhang.San", Name: "张三", OrgID: street.ID, Roles: []string{account.RoleExaminee, account.RoleOffice},
		Rank: account.RankSenior, RankTitle: "四级调研员", Phone: "13812345678", IDNumber: "11010519491231002X", PasswordHash: "h1", MustChange: true}
	must(t, db.CreateUser(ctx, u))

	got, err := db.FindUserByLogin(ctx, "zhang.san")
	must(t, err)
	if got.ID != u.ID || got.Phone != "13812345678" || got.IDNumber != "11010519491231002X" || !got.MustChange ||
		strings.Join(got.Roles, ",") != "office,examinee" || got.Rank != account.RankSenior {
		t.Fatalf("found %+v", got)
	}
	// Personal data is not stored in the clear.
	var n int
	must(t, db.ExecRaw(ctx, `UPDATE users SET name = name WHERE id = ?`, u.ID))
	if cnt := countWhere(t, db, `users`, `CAST(phone_enc AS TEXT) LIKE '%13812345678%' OR phone_idx = '13812345678'`); cnt != 0 {
		t.Fatalf("phone stored in the clear in %d rows", cnt)
	}
	_ = n
	phone := "13812345678"
	if list, _, _ := db.FindUsers(ctx, account.Filter{Phone: &phone}); len(list) != 1 {
		t.Fatalf("find by phone index: %d", len(list))
	}
	wantCode(t, db.CreateUser(ctx, &account.User{Login: "ZHANG.SAN", Name: "重名", OrgID: root.ID, Roles: []string{account.RoleExaminee}, PasswordHash: "x"}), app.ECONFLICT)
	// Search ignores ASCII case on both engines.
	q := "ZHANG"
	if list, _, _ := db.FindUsers(ctx, account.Filter{Query: &q}); len(list) != 1 {
		t.Fatalf("case-insensitive search found %d", len(list))
	}
	wantCode(t, db.CreateUser(ctx, &account.User{Login: "two-admins", Name: "兼任", OrgID: root.ID, Roles: []string{account.RoleSysAdmin, account.RoleAuditor}, PasswordHash: "x"}), app.EINVALID)

	must(t, db.CreateUser(ctx, &account.User{Login: "v1", Name: "王五", OrgID: village.ID, Roles: []string{account.RoleLiaison}, PasswordHash: "x"}))
	under := street.Path
	list, total, err := db.FindUsers(ctx, account.Filter{UnderPath: &under})
	must(t, err)
	if total != 2 || len(list) != 2 {
		t.Fatalf("users under street = %d", total)
	}
	role := account.RoleLiaison
	if list, _, _ := db.FindUsers(ctx, account.Filter{Role: &role}); len(list) != 1 || list[0].Login != "v1" {
		t.Fatalf("liaisons = %v", list)
	}

	name, newPhone := "张三丰", ""
	up, err := db.UpdateUser(ctx, u.ID, account.Update{Name: &name, Phone: &newPhone})
	must(t, err)
	if up.Name != "张三丰" || up.Phone != "" {
		t.Fatalf("updated %+v", up)
	}
	must(t, db.SetRoles(ctx, u.ID, []string{account.RoleExaminee}))
	wantCode(t, db.SetRoles(ctx, u.ID, []string{account.RoleSecAdmin, account.RoleSysAdmin}), app.EINVALID)
	must(t, db.SetPassword(ctx, u.ID, "h2", false, ""))
	must(t, db.SetPassword(ctx, u.ID, "h3", false, ""))
	hist, err := db.PasswordHistory(ctx, u.ID, 5)
	must(t, err)
	if strings.Join(hist, ",") != "h2,h1" {
		t.Fatalf("history = %v", hist)
	}
	got, _ = db.FindUserByID(ctx, u.ID)
	if got.PasswordHash != "h3" || got.MustChange || strings.Join(got.Roles, ",") != "examinee" {
		t.Fatalf("after changes %+v", got)
	}
}

func countWhere(t testing.TB, db *store.DB, table, cond string) int {
	t.Helper()
	n, err := db.CountRaw(context.Background(), `SELECT COUNT(*) FROM `+table+` WHERE `+cond)
	must(t, err)
	return n
}

func testLockout(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := &app.ManualClock{T: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	db := open(t, clock)
	root, _, _, _ := Seed(t, db)
	u := &account.User{Login: "lock", Name: "锁", OrgID: root.ID, Roles: []string{account.RoleExaminee}, PasswordHash: "x"}
	must(t, db.CreateUser(ctx, u))
	rule := account.DefaultLockout
	for i := 1; i <= 4; i++ {
		got, err := db.RecordLoginFailure(ctx, u.ID, rule)
		must(t, err)
		if got.Locked(clock.Now()) {
			t.Fatalf("locked after %d failures", i)
		}
		clock.Advance(time.Minute)
	}
	got, err := db.RecordLoginFailure(ctx, u.ID, rule)
	must(t, err)
	if !got.Locked(clock.Now()) || !got.LockedUntil.Equal(clock.Now().Add(30*time.Minute)) {
		t.Fatalf("fifth failure: locked until %v", got.LockedUntil)
	}
	clock.Advance(31 * time.Minute)
	got, _ = db.FindUserByID(ctx, u.ID)
	if got.Locked(clock.Now()) {
		t.Fatal("still locked after 30 minutes")
	}
	// A login that names no account locks the same way, stored by hash.
	for i := 1; i <= 5; i++ {
		got, err := db.RecordUnknownLoginFailure(ctx, "Nobody.Here", rule)
		must(t, err)
		if locked := got.Locked(clock.Now()); locked != (i == 5) {
			t.Fatalf("unknown login after %d failures: locked=%v", i, locked)
		}
	}
	if got, _ := db.RecordUnknownLoginFailure(ctx, "nobody.here", rule); !got.Locked(clock.Now()) {
		t.Fatal("the lock does not hold for the same login in another case")
	}
	if n, _ := db.CountRaw(ctx, `SELECT COUNT(*) FROM login_failures WHERE login_mac LIKE '%nobody%'`); n != 0 {
		t.Fatal("the login is stored in the clear")
	}

	// Failures spread wider than the window never lock.
	for i := 0; i < 10; i++ {
		got, _ = db.RecordLoginFailure(ctx, u.ID, rule)
		clock.Advance(16 * time.Minute)
	}
	if got.Locked(clock.Now()) {
		t.Fatal("locked by failures 16 minutes apart")
	}
	now := clock.Now()
	sess := &session.Session{ID: "lock-ok", UserID: u.ID, Kind: session.KindWeb, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	must(t, db.RecordLoginSuccess(ctx, u.ID, sess, "rehashed"))
	if _, err := db.FindSession(ctx, "lock-ok"); err != nil {
		t.Fatalf("sign-in opened no session: %v", err)
	}
	got, _ = db.FindUserByID(ctx, u.ID)
	if got.FailedCount != 0 || got.LastLoginAt.IsZero() || got.PasswordHash != "rehashed" {
		t.Fatalf("after success %+v", got)
	}
}

func testSessions(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := &app.ManualClock{T: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	db := open(t, clock)
	root, _, _, _ := Seed(t, db)
	u := &account.User{Login: "sess1", Name: "会话", OrgID: root.ID, Roles: []string{account.RoleExaminee}, PasswordHash: "x"}
	must(t, db.CreateUser(ctx, u))
	to := session.DefaultTimeouts
	now := clock.Now()
	s1 := &session.Session{ID: "a1", UserID: u.ID, Kind: session.KindWeb, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(to.Absolute)}
	s2 := &session.Session{ID: "a2", UserID: u.ID, Kind: session.KindAPI, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(to.Absolute)}
	must(t, db.CreateSession(ctx, s1))
	must(t, db.CreateSession(ctx, s2))
	must(t, db.TouchSession(ctx, "a1", now.Add(20*time.Minute)))
	must(t, db.ExtendSession(ctx, "a2", now.Add(48*time.Hour)))
	got, err := db.FindSession(ctx, "a2")
	must(t, err)
	if !got.KeepAliveUntil.Equal(got.ExpiresAt) {
		t.Fatalf("keep-alive %v not capped at expiry %v", got.KeepAliveUntil, got.ExpiresAt)
	}
	n, err := db.DeleteExpiredSessions(ctx, now.Add(45*time.Minute), to)
	must(t, err)
	// a1 was seen at +20m, so it is alive at +45m; a2 is kept alive.
	if n != 0 {
		t.Fatalf("deleted %d live sessions", n)
	}
	n, _ = db.DeleteExpiredSessions(ctx, now.Add(51*time.Minute), to)
	if n != 1 {
		t.Fatalf("deleted %d at +51m, want 1 (a1 idle)", n)
	}
	must(t, db.DeleteUserSessions(ctx, u.ID, ""))
	_, err = db.FindSession(ctx, "a2")
	wantCode(t, err, app.ENOTFOUND)
}

func testAudit(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t, nil)
	actorCtx := app.WithRequestMeta(app.WithActor(ctx, &app.Actor{UserID: 7, Login: "admin", Roles: []string{"sysadmin"}}), app.RequestMeta{IP: "10.0.0.1", RequestID: "r1"})
	root, _, _, _ := Seed(t, db)
	for i := 0; i < 5; i++ {
		must(t, db.WriteAudit(actorCtx, audit.Record{Action: "test.event", ObjectID: string(rune('a' + i))}))
	}
	n, err := db.VerifyAudit(ctx)
	must(t, err)
	if n != 9 { // 4 org creations + 5 events
		t.Fatalf("verified %d rows, want 9", n)
	}
	action := "test.event"
	list, total, err := db.FindAuditEntries(ctx, audit.Filter{Action: &action, Limit: 2})
	must(t, err)
	if total != 5 || len(list) != 2 || list[0].ActorLogin != "admin" || list[0].IP != "10.0.0.1" || list[0].ObjectID != "e" {
		t.Fatalf("entries %d %+v", total, list[0])
	}
	_ = root

	// Altering one row is caught, and the report names that row.
	victim := list[1]
	must(t, db.ExecRaw(ctx, `UPDATE audit_log SET detail = 'forged' WHERE id = ?`, victim.ID))
	_, err = db.VerifyAudit(ctx)
	var p *audit.Problem
	if !errors.As(err, &p) || p.ID != victim.ID || p.Seq != victim.Seq {
		t.Fatalf("tamper: %v, want row %s", err, victim.ID)
	}
	must(t, db.ExecRaw(ctx, `UPDATE audit_log SET detail = '' WHERE id = ?`, victim.ID))
	_, err = db.VerifyAudit(ctx)
	must(t, err)

	// Deleting a middle row is caught too.
	must(t, db.ExecRaw(ctx, `DELETE FROM audit_log WHERE id = ?`, victim.ID))
	_, err = db.VerifyAudit(ctx)
	if !errors.As(err, &p) || p.Seq != victim.Seq {
		t.Fatalf("deleted middle row: %v", err)
	}

	// Cutting the tail and rolling the head back to the new last row is
	// caught by the head's own MAC.
	last := list[0]
	must(t, db.ExecRaw(ctx, `DELETE FROM audit_log WHERE id = ?`, last.ID))
	must(t, db.ExecRaw(ctx, `UPDATE audit_chains SET seq = ?, mac = ? WHERE chain_id = ?`, last.Seq-1, last.PrevMAC, last.ChainID))
	_, err = db.VerifyAudit(ctx)
	if !errors.As(err, &p) || !strings.Contains(p.Reason, "链头") {
		t.Fatalf("cut tail: %v", err)
	}
}

func testGroupCommit(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t, nil)
	root, _, _, _ := Seed(t, db)
	u := &account.User{Login: "gc", Name: "写", OrgID: root.ID, Roles: []string{account.RoleExaminee}, PasswordHash: "x"}
	must(t, db.CreateUser(ctx, u))

	var mu sync.Mutex
	var batches []int
	b := db.NewBatcher(store.BatchOptions{BeforeCommit: func(n int) {
		mu.Lock()
		batches = append(batches, n)
		mu.Unlock()
		// Hold the commit open: an acknowledgement sent before the commit
		// would let the caller's read below run now and miss its row.
		time.Sleep(20 * time.Millisecond)
	}})
	defer b.Close()

	const callers = 40
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			title := "gc-" + strings.Repeat("x", i%7) + string(rune('A'+i))
			err := b.Do(ctx, func(tx *store.Tx) error { return tx.CreateNoticeForTest(ctx, u.ID, title) })
			if err != nil {
				errs <- err
				return
			}
			// Acknowledged: the row must be visible to another connection.
			n, err := db.CountRaw(ctx, `SELECT COUNT(*) FROM notices WHERE title = ?`, title)
			if err != nil {
				errs <- err
			} else if n != 1 {
				errs <- errors.New("acknowledged before commit: " + title + " not visible")
			}
		}(i)
	}
	// One failing write rolls back alone.
	failing := errors.New("bad write")
	if err := b.Do(ctx, func(tx *store.Tx) error {
		if err := tx.CreateNoticeForTest(ctx, u.ID, "rolled-back"); err != nil {
			return err
		}
		return failing
	}); !errors.Is(err, failing) {
		t.Fatalf("failing write: %v", err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, _ := db.CountRaw(ctx, `SELECT COUNT(*) FROM notices WHERE title = 'rolled-back'`); n != 0 {
		t.Fatal("failed write was committed")
	}
	mu.Lock()
	defer mu.Unlock()
	grouped := false
	for _, n := range batches {
		grouped = grouped || n > 1
	}
	if !grouped {
		t.Errorf("no batch held more than one write: %v", batches)
	}
}

// testGroupCommitBulk: the rows of a Bulk write in one batch are written
// by one call; a row refused with an *app.Error fails only its caller, and
// any other error fails the whole batch, so no caller is acknowledged for a
// write that did not commit.
func testGroupCommitBulk(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t, nil)
	root, _, _, _ := Seed(t, db)
	u := &account.User{Login: "gc1", Name: "写", OrgID: root.ID, Roles: []string{account.RoleExaminee}, PasswordHash: "x"}
	must(t, db.CreateUser(ctx, u))
	b := db.NewBatcher(store.BatchOptions{})
	defer b.Close()
	var calls atomic.Int32
	notices := &store.Bulk{Run: func(ctx context.Context, tx *store.Tx, rows []any) ([]error, error) {
		calls.Add(1)
		errs := make([]error, len(rows))
		for i, r := range rows {
			switch title := r.(string); title {
			case "fail":
				return nil, errors.New("disk on fire")
			case "refused":
				errs[i] = app.Errorf(app.ECONFLICT, "no")
			default:
				if err := tx.CreateNoticeForTest(ctx, u.ID, title); err != nil {
					return nil, err
				}
			}
		}
		return errs, nil
	}}
	// run queues rows behind a write that holds the writer, so they share
	// the next batch, and returns each row's answer.
	run := func(titles ...string) map[string]error {
		started := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			b.Do(ctx, func(tx *store.Tx) error { close(started); time.Sleep(100 * time.Millisecond); return nil })
		})
		<-started
		var mu sync.Mutex
		out := map[string]error{}
		for _, title := range titles {
			wg.Go(func() {
				err := b.DoBulk(ctx, notices, title)
				mu.Lock()
				out[title] = err
				mu.Unlock()
			})
		}
		wg.Wait()
		return out
	}
	count := func() int {
		n, _ := db.CountRaw(ctx, `SELECT COUNT(*) FROM notices WHERE title LIKE 'bulk-%'`)
		return n
	}
	calls.Store(0)
	for title, err := range run("bulk-1", "bulk-2", "bulk-3", "fail") {
		if err == nil {
			t.Errorf("%s was acknowledged in a batch that failed", title)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("%d writes of the failed batch were committed", n)
	}
	calls.Store(0)
	got := run("bulk-1", "bulk-2", "bulk-3", "refused")
	for title, err := range got {
		if (title == "refused") != (err != nil) {
			t.Errorf("%s answered %v", title, err)
		}
	}
	if n := count(); n != 3 {
		t.Fatalf("%d writes committed, want 3", n)
	}
	if c := calls.Load(); c != 1 {
		t.Errorf("the bulk ran %d times for one batch, want 1", c)
	}
}

func testNoticesJobs(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t, nil)
	root, _, _, _ := Seed(t, db)
	u := &account.User{Login: "notice1", Name: "通知", OrgID: root.ID, Roles: []string{account.RoleExaminee}, PasswordHash: "x"}
	other := &account.User{Login: "other1", Name: "别人", OrgID: root.ID, Roles: []string{account.RoleExaminee}, PasswordHash: "x"}
	must(t, db.CreateUser(ctx, u))
	must(t, db.CreateUser(ctx, other))
	must(t, db.CreateNotices(ctx, []app.ID{u.ID, other.ID}, notice.Notice{Kind: "reminder", Title: "请报送进展", Link: "/tasks/1"}))
	list, unread, err := db.FindNotices(ctx, u.ID, 10)
	must(t, err)
	if len(list) != 1 || unread != 1 || list[0].Title != "请报送进展" {
		t.Fatalf("notices %v unread %d", list, unread)
	}
	wantCode(t, db.MarkNoticeRead(ctx, other.ID+1, list[0].ID), app.ENOTFOUND)
	must(t, db.MarkNoticeRead(ctx, u.ID, list[0].ID))
	if _, unread, _ := db.FindNotices(ctx, u.ID, 10); unread != 0 {
		t.Fatal("still unread")
	}

	j := &job.Job{Kind: "export", Title: "导出用户", OwnerID: u.ID}
	must(t, db.CreateJob(ctx, j))
	must(t, db.UpdateJobProgress(ctx, j.ID, 50, 200, "已处理 50 行"))
	got, err := db.FindJobByID(ctx, j.ID)
	must(t, err)
	if got.Status != job.StatusRunning || got.Percent() != 25 {
		t.Fatalf("job %+v", got)
	}
	must(t, db.FinishJob(ctx, j.ID, job.StatusDone, "abc", "用户.xlsx", ""))
	jobs, err := db.FindJobs(ctx, u.ID, 10)
	must(t, err)
	if len(jobs) != 1 || jobs[0].Status != job.StatusDone || jobs[0].ResultName != "用户.xlsx" || jobs[0].FinishedAt.IsZero() {
		t.Fatalf("jobs %+v", jobs)
	}
}

func testPlans(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t, nil)
	root, street, _, unit := Seed(t, db)
	liaison := &account.User{Login: "liaison.p", Name: "联络", OrgID: unit.ID, Roles: []string{account.RoleLiaison}, PasswordHash: "x"}
	must(t, db.CreateUser(ctx, liaison))
	office := app.WithActor(ctx, &app.Actor{UserID: 1, Login: "office", Roles: []string{account.RoleOffice}, OrgID: root.ID, OrgPath: root.Path})

	deadline := time.Date(2023, 6, 30, 16, 0, 0, 0, time.UTC)
	tree := []*plan.Node{
		{Item: plan.Item{Label: "一", Title: "深入学习宣传习近平法治思想"}, Children: []*plan.Node{
			{Item: plan.Item{Label: "1", Title: "深入学习宣传党的二十大精神", LeadUnits: []app.ID{unit.ID}, CoUnits: []app.ID{street.ID}, DeadlineText: "2023年6月底前", Deadline: deadline}},
			{Item: plan.Item{Label: "2", Title: "把党的二十大有关重大决策部署落到实处"}},
		}},
		{Item: plan.Item{Label: "二", Title: "突出宣传宪法"}, Children: []*plan.Node{
			{Item: plan.Item{Label: "3", Title: "深入开展宪法宣传教育"}},
		}},
	}
	p := &plan.Plan{OrgID: root.ID, Year: 2023, Title: "2023年全国普法依法治理工作要点"}
	wantCode(t, db.CreatePlan(office, &plan.Plan{OrgID: root.ID, Year: 2023, Title: "空"}, nil), app.EINVALID)
	must(t, db.CreatePlan(office, p, tree))
	items, err := db.FindItems(ctx, p.ID)
	must(t, err)
	var titles []string
	for _, it := range items {
		titles = append(titles, it.Label)
	}
	if strings.Join(titles, ",") != "一,1,2,二,3" {
		t.Fatalf("tree order %v", titles)
	}
	task := items[1]
	if !task.IsTask || items[0].IsTask || len(task.LeadUnits) != 1 || task.LeadUnits[0] != unit.ID || len(task.CoUnits) != 1 || !task.Deadline.Equal(deadline) {
		t.Fatalf("task %+v", task)
	}
	plans, err := db.FindPlans(ctx, root.Path)
	must(t, err)
	if len(plans) != 1 || plans[0].Title != p.Title {
		t.Fatalf("plans %v", plans)
	}

	// Assigning units to a section is refused; to tasks it works in bulk.
	wantCode(t, db.AssignUnits(office, []app.ID{items[0].ID}, []app.ID{unit.ID}, nil), app.EINVALID)
	must(t, db.AssignUnits(office, []app.ID{items[2].ID, items[4].ID}, []app.ID{unit.ID}, nil))
	got, err := db.FindItemByID(ctx, items[4].ID)
	must(t, err)
	if len(got.LeadUnits) != 1 {
		t.Fatalf("assigned %+v", got)
	}

	mine, err := db.FindUnitTasks(ctx, unit.ID)
	must(t, err)
	if len(mine) != 3 || mine[0].ID != task.ID || len(mine[0].LeadUnits) != 1 {
		t.Fatalf("unit tasks %d, first %+v", len(mine), mine[0])
	}

	// A unit that is not on the task may not report; one that is may.
	wantCode(t, db.CreateReport(ctx, &plan.Report{ItemID: task.ID, OrgID: root.ID, Author: liaison.ID, Status: plan.InProgress, Percent: 10, Text: "x"}), app.EFORBIDDEN)
	r1 := &plan.Report{ItemID: task.ID, OrgID: unit.ID, Author: liaison.ID, Status: plan.InProgress, Percent: 40, Text: "已召开专题学习会 3 次"}
	must(t, db.CreateReport(ctx, r1))
	must(t, db.ReviewReport(office, r1.ID, plan.Accepted, ""))
	wantCode(t, db.ReviewReport(office, r1.ID, plan.Returned, "重复审核"), app.ECONFLICT)
	r2 := &plan.Report{ItemID: task.ID, OrgID: unit.ID, Author: liaison.ID, Status: plan.Done, Text: "全部完成",
		Files: []plan.File{{Key: strings.Repeat("a", 64), Name: "签到表.pdf", Size: 1234, ContentType: "application/pdf"}, {Key: strings.Repeat("b", 64), Name: "现场照片.jpg", Size: 99, ContentType: "image/jpeg"}}}
	must(t, db.CreateReport(ctx, r2))
	if got, _ := db.FindItemByID(ctx, task.ID); got.Status != plan.Done || got.Percent != 100 {
		t.Fatalf("after done report %+v", got)
	}
	// Returning needs a reason; a return restores the last accepted state
	// and tells the unit's liaisons why.
	wantCode(t, db.ReviewReport(office, r2.ID, plan.Returned, " "), app.EINVALID)
	must(t, db.ReviewReport(office, r2.ID, plan.Returned, "请补充活动照片和签到表"))
	if got, _ := db.FindItemByID(ctx, task.ID); got.Status != plan.InProgress || got.Percent != 40 {
		t.Fatalf("after return %+v", got)
	}
	notes, unread, err := db.FindNotices(ctx, liaison.ID, 10)
	must(t, err)
	if unread != 1 || notes[0].Body != "请补充活动照片和签到表" || notes[0].Link != "/tasks/"+task.ID.String() {
		t.Fatalf("return notice %+v", notes)
	}
	reports, err := db.FindReports(ctx, task.ID)
	must(t, err)
	if len(reports) != 2 || reports[0].Review != plan.Returned || reports[1].Review != plan.Accepted ||
		len(reports[0].Files) != 2 || reports[0].Files[1].Name != "现场照片.jpg" || len(reports[1].Files) != 0 {
		t.Fatalf("reports %+v", reports)
	}

	// Reminders are recorded and reach the liaisons.
	must(t, db.CreateReminders(office, []*plan.Reminder{{ItemID: task.ID, OrgID: unit.ID, Message: "请于本周内报送"}, {ItemID: task.ID, OrgID: unit.ID, Escalated: true}}))
	if _, unread, _ := db.FindNotices(ctx, liaison.ID, 10); unread != 3 {
		t.Fatalf("unread after reminders = %d", unread)
	}
	// The office edits a task and adds one by hand under a section.
	newTitle, weight := "深入学习宣传党的二十大精神（修订）", 2.0
	up, err := db.UpdateItem(office, task.ID, plan.ItemUpdate{Title: &newTitle, Weight: &weight})
	must(t, err)
	if up.Title != newTitle || up.Weight != 2 {
		t.Fatalf("updated %+v", up)
	}
	added := &plan.Item{Label: "3.1", Title: "本区补充：开展“法律明白人”培训", LeadUnits: []app.ID{unit.ID}}
	must(t, db.AddTask(office, p.ID, items[3].ID, added))
	wantCode(t, db.AddTask(office, p.ID, task.ID, &plan.Item{Title: "任务下的任务"}), app.EINVALID)
	items, _ = db.FindItems(ctx, p.ID)
	if last := items[len(items)-1]; last.ID != added.ID || last.ParentID != items[3].ID || last.Position != 1 {
		t.Fatalf("added task at %+v", last)
	}

	// An org with tasks cannot be deleted.
	err = db.DeleteOrg(ctx, unit.ID)
	wantCode(t, err, app.ECONFLICT)
}

func testSettings(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t, nil)
	got, err := db.LoadSettings(ctx)
	must(t, err)
	if got != settings.Defaults() {
		t.Fatalf("fresh settings %+v", got)
	}
	wantCode(t, db.SaveSettings(ctx, settings.Settings{PlatformName: "x", WarningDays: 0}), app.EINVALID)
	must(t, db.SaveSettings(ctx, settings.Settings{PlatformName: "临江区普法依法治理工作平台", WarningDays: 7}))
	must(t, db.SaveSettings(ctx, settings.Settings{PlatformName: "临江区智慧普法平台", WarningDays: 10}))
	got, _ = db.LoadSettings(ctx)
	if got.PlatformName != "临江区智慧普法平台" || got.WarningDays != 10 {
		t.Fatalf("settings %+v", got)
	}
}

func testSchemes(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t, nil)
	root, street, _, _ := Seed(t, db)
	bad := assess.DutyReviewScheme()
	bad.Roots[0].Max = 21 // children add up to 20
	_, err := db.CreateScheme(ctx, root.ID, 0, bad)
	wantCode(t, err, app.EINVALID)

	v1, err := db.CreateScheme(ctx, root.ID, 0, assess.DutyReviewScheme())
	must(t, err)
	edited := assess.DutyReviewScheme()
	edited.Name = "2023年度履职评议指标"
	must(t, db.UpdateScheme(ctx, v1.ID, edited))
	must(t, db.PublishScheme(ctx, v1.ID))
	wantCode(t, db.UpdateScheme(ctx, v1.ID, assess.DutyReviewScheme()), app.ECONFLICT)
	wantCode(t, db.PublishScheme(ctx, v1.ID), app.ECONFLICT)

	got, err := db.FindSchemeByID(ctx, v1.ID)
	must(t, err)
	if got.Status != assess.Published || got.Scheme.Name != "2023年度履职评议指标" || got.PublishedAt.IsZero() || got.Scheme.Version != 1 {
		t.Fatalf("stored %+v", got)
	}
	// The stored rules are the ones saved, rule for rule.
	edited.Version = 1
	if !reflect.DeepEqual(got.Scheme, edited) {
		t.Fatalf("stored scheme differs from the saved one")
	}

	v2, err := db.CreateScheme(ctx, root.ID, v1.FamilyID, assess.DutyReviewScheme())
	must(t, err)
	if v2.Scheme.Version != 2 || v2.FamilyID != v1.FamilyID {
		t.Fatalf("next version %+v", v2)
	}
	_, err = db.CreateScheme(ctx, root.ID, v1.FamilyID, assess.DutyReviewScheme())
	wantCode(t, err, app.ECONFLICT) // one draft at a time

	list, err := db.FindSchemes(ctx, root.Path)
	must(t, err)
	if len(list) != 1 || list[0].ID != v2.ID {
		t.Fatalf("latest versions %v", list)
	}
	if list, _ := db.FindSchemes(ctx, street.Path); len(list) != 0 {
		t.Fatalf("a street sees the district's schemes: %v", list)
	}
}
