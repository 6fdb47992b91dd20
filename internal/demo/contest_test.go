package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"pufa/internal/contest"
	"pufa/internal/demo"
	"pufa/internal/password"
	"pufa/internal/store"
	"pufa/internal/store/storetest"
)

// TestLoad_contests: the 七一 contest is finished, its final stored whole
// so it replays, with teams ranked and prized; the 12·4 contest's final is
// set and not begun, with the demo's examinees on the stage.
func TestLoad_contests(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, nil)
	if _, err := demo.Load(ctx, db, password.FastForTests()); err != nil {
		t.Fatal(err)
	}
	root, _ := db.FindRootOrg(ctx)
	cs, err := db.FindContests(ctx, root.Path)
	if err != nil || len(cs) != 2 {
		t.Fatalf("contests %d %v", len(cs), err)
	}
	var july, dec *contest.Contest
	for _, c := range cs {
		switch {
		case strings.Contains(c.Title, "七一"):
			july = c
		case strings.Contains(c.Title, "宪法"):
			dec = c
		}
	}
	if july == nil || dec == nil {
		t.Fatalf("contests %+v", cs)
	}
	if len(july.Rounds) != 2 || july.Final == nil || len(july.Final.Finalists) != 8 {
		t.Fatalf("七一: %d rounds, final %+v", len(july.Rounds), july.Final)
	}
	steps, answers, err := db.FindLive(ctx, july.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != len(july.Final.Questions) || len(answers) < len(steps)*len(july.Final.Finalists)*3/4 {
		t.Fatalf("七一 final: %d steps of %d questions, %d answers", len(steps), len(july.Final.Questions), len(answers))
	}
	b := july.Final.BoardAt(steps, answers, time.Now(), july.Awards.Team)
	if b.Phase != contest.Finished || len(b.Teams) != 4 || b.Teams[0].Award != "一等奖" || b.Teams[0].Points <= 0 {
		t.Fatalf("七一 final board: %s %+v", b.Phase, b.Teams)
	}
	// Halfway through, the board is mid-final: the replay's premise.
	mid := steps[len(steps)/2].OpenedAt.Add(time.Second)
	if h := july.Final.BoardAt(steps, answers, mid, july.Awards.Team); h.Phase != contest.Asking || h.Step.No != len(steps)/2+1 || h.Teams[0].Award != "" {
		t.Fatalf("mid-final board: %s step %d %+v", h.Phase, h.Step.No, h.Teams)
	}
	if steps, _, _ := db.FindLive(ctx, dec.ID); len(steps) != 0 {
		t.Fatalf("12·4 final has begun: %d steps", len(steps))
	}
	for _, login := range []string{"zhangwei", "wangfang", "lina"} {
		u, err := db.FindUserByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := dec.Final.Finalist(u.ID); !ok {
			t.Errorf("%s is not on the 12·4 stage", login)
		}
		mine, err := db.FindContestsFor(ctx, u.ID)
		if err != nil || !slices.ContainsFunc(mine, func(c *contest.Contest) bool { return c.ID == dec.ID }) {
			t.Errorf("%s's contests: %v %v", login, mine, err)
		}
	}
}
