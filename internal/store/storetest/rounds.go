package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/assess"
)

// panelSheet fills every scoring leaf of the duty-review scheme with its
// full marks, then takes off, per code, the points given in off.
func panelSheet(s *assess.Scheme, off map[string]float64) assess.Sheet {
	sh := assess.Sheet{Values: map[string]assess.Input{}}
	s.Walk(func(ind, _ *assess.Indicator, _ int) {
		switch r := ind.Rule.(type) {
		case assess.Direct:
			sh.Values[ind.Code] = assess.Input{Points: ind.Max - off[ind.Code]}
		case assess.YesNo:
			sh.Values[ind.Code] = assess.Input{Yes: off[ind.Code] == 0}
		case assess.Tiered:
			sh.Values[ind.Code] = assess.Input{Tier: r.Levels[0].Label}
		}
	})
	return sh
}

func testRounds(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := &app.ManualClock{T: time.Date(2023, 11, 1, 2, 0, 0, 0, time.UTC)}
	db := open(t, clock)
	root, street, village, unit := Seed(t, db)
	verifier := &account.User{Login: "office.r", Name: "普法办", OrgID: root.ID, Roles: []string{account.RoleOffice}, PasswordHash: "x"}
	must(t, db.CreateUser(ctx, verifier))
	office := app.WithActor(ctx, &app.Actor{UserID: verifier.ID, Login: "office", Roles: []string{account.RoleOffice}, OrgID: root.ID, OrgPath: root.Path})

	sc, err := db.CreateScheme(office, root.ID, 0, assess.DutyReviewScheme())
	must(t, err)
	s := sc.Scheme
	codes := s.Codes()
	subjects := []assess.Subject{{OrgID: unit.ID}, {OrgID: street.ID}, {OrgID: village.ID}}
	stages := func() []*assess.RoundStage {
		return []*assess.RoundStage{
			{Stage: assess.Stage{Kind: assess.StageSelf}},
			{Stage: assess.Stage{Kind: assess.StagePanel, Weight: 50, MinRaters: 2, Combine: assess.TrimmedMean}},
			{Stage: assess.Stage{Kind: assess.StagePublic, Weight: 30, MinRaters: 3}, Public: assess.PublicSettings{Mode: assess.VoteByToken, Population: 4}},
			{Stage: assess.Stage{Kind: assess.StagePeer, Weight: 20}},
			{Stage: assess.Stage{Kind: assess.StageOffice}},
		}
	}
	r := &assess.Round{OrgID: root.ID, SchemeID: sc.ID, Title: "2023年度履职评议", Period: "2023年度", Subjects: subjects, Stages: stages(), Grading: assess.Grading{Ranked: true},
		Timeline: []assess.Phase{{Name: "部署", Date: clock.T}, {Name: "现场评议", Date: clock.T.Add(30 * 24 * time.Hour)}}}
	wantCode(t, db.CreateRound(office, r), app.EINVALID) // the scheme is still a draft
	must(t, db.PublishScheme(office, sc.ID))
	bad := &assess.Round{OrgID: root.ID, SchemeID: sc.ID, Title: "权重不对", Subjects: subjects, Stages: []*assess.RoundStage{{Stage: assess.Stage{Kind: assess.StagePanel, Weight: 40}}}}
	wantCode(t, db.CreateRound(office, bad), app.EINVALID)
	must(t, db.CreateRound(office, r))

	got, err := db.FindRoundByID(ctx, r.ID)
	must(t, err)
	if len(got.Timeline) != 2 || got.Timeline[1].Name != "现场评议" || !got.Timeline[1].Date.Equal(clock.T.Add(30*24*time.Hour)) || assess.Current(got.Timeline, clock.T) != 0 {
		t.Fatalf("timeline %+v", got.Timeline)
	}
	if got.Status != assess.RoundDraft || len(got.Stages) != 5 || len(got.Subjects) != 3 || got.Subjects[0].Name != "区司法局" || got.Stages[2].Public.Key == "" || !got.Grading.Ranked {
		t.Fatalf("stored round %+v", got)
	}
	panel, public, peer, officeStage := got.Stages[1], got.Stages[2], got.Stages[3], got.Stages[4]

	var reviewers []*account.User
	for i := range 5 {
		u := &account.User{Login: fmt.Sprintf("reviewer%d", i), Name: fmt.Sprintf("评议员%d", i), OrgID: root.ID, Roles: []string{account.RoleReviewer}, PasswordHash: "x"}
		must(t, db.CreateUser(ctx, u))
		reviewers = append(reviewers, u)
	}
	var as []assess.Assignment
	for _, u := range reviewers {
		for _, sub := range subjects {
			as = append(as, assess.Assignment{StageID: panel.ID, RaterID: u.ID, SubjectID: sub.OrgID})
		}
	}
	must(t, db.SetAssignments(office, panel.ID, as))
	wantCode(t, db.SetAssignments(office, public.ID, nil), app.EINVALID)
	wantCode(t, db.SetAssignments(office, peer.ID, []assess.Assignment{{StageID: peer.ID, RaterID: reviewers[0].ID, SubjectID: root.ID}}), app.EINVALID)
	must(t, db.SetAssignments(office, officeStage.ID, []assess.Assignment{{StageID: officeStage.ID, RaterID: verifier.ID, SubjectID: village.ID}}))

	// Editing a draft: a stage added and removed again, the title changed;
	// the kept stages keep their raters and the public stage its address.
	for _, withSite := range []bool{true, false} {
		edit, err := db.FindRoundByID(ctx, r.ID)
		must(t, err)
		edit.Title = "2023年度履职评议（修订）"
		if withSite {
			edit.Stages = append(edit.Stages, &assess.RoundStage{Stage: assess.Stage{Kind: assess.StageSite}})
		} else {
			edit.Stages = edit.Stages[:5]
		}
		must(t, db.UpdateRound(office, edit))
		after, err := db.FindRoundByID(ctx, r.ID)
		must(t, err)
		as, _ := db.FindAssignments(ctx, r.ID)
		want := 5
		if withSite {
			want = 6
		}
		if len(after.Stages) != want || after.Stages[1].ID != panel.ID || after.Stages[2].Public.Key != public.Public.Key || after.Title != edit.Title || len(as) != 16 {
			t.Fatalf("after editing (site %v): %d stages, %d assignments, %+v", withSite, len(after.Stages), len(as), after.Stages[2])
		}
	}

	// Scoring waits for the round to open.
	sheet := &assess.StoredSheet{StageID: panel.ID, SubjectID: unit.ID, RaterID: reviewers[0].ID, Sheet: panelSheet(s, nil)}
	wantCode(t, db.SaveSheet(ctx, sheet), app.ECONFLICT)
	must(t, db.SetRoundStatus(office, r.ID, assess.RoundDraft, assess.RoundOpen))
	wantCode(t, db.SetRoundStatus(office, r.ID, assess.RoundDraft, assess.RoundOpen), app.ECONFLICT)

	// Once open, weights are fixed; dates may still move.
	open1, _ := db.FindRoundByID(ctx, r.ID)
	open1.Stages[1].Weight, open1.Stages[3].Weight = 60, 10
	wantCode(t, db.UpdateRound(office, open1), app.ECONFLICT)
	open2, _ := db.FindRoundByID(ctx, r.ID)
	open2.Stages[1].ClosesAt = clock.T.Add(30 * 24 * time.Hour)
	must(t, db.UpdateRound(office, open2))

	// A rater not assigned to the subject is refused.
	stranger := &assess.StoredSheet{StageID: peer.ID, SubjectID: unit.ID, RaterID: reviewers[0].ID, Sheet: panelSheet(s, nil)}
	wantCode(t, db.SaveSheet(ctx, stranger), app.EFORBIDDEN)

	must(t, db.SaveSheet(ctx, sheet))
	tasks, err := db.FindRaterTasks(ctx, reviewers[0].ID)
	must(t, err)
	if len(tasks) != 3 || tasks[0].Sheet != assess.SheetDraft || tasks[1].Sheet != "" {
		t.Fatalf("rater tasks %+v", tasks)
	}

	// Five panel sheets per subject, totals 100, 98, 96, 94, 80 for the
	// unit: trimmed mean drops 100 and 80 → 96.
	offs := []float64{0, 2, 4, 6, 20}
	for i, u := range reviewers {
		for _, sub := range subjects {
			off := map[string]float64{"C2": min(offs[i], 8), "C3": max(offs[i]-8, 0)}
			if offs[i] == 20 {
				off = map[string]float64{"C2": 8, "C3": 8, "E1": 4}
			}
			sh := &assess.StoredSheet{StageID: panel.ID, SubjectID: sub.OrgID, RaterID: u.ID, Sheet: panelSheet(s, off), Note: "评议意见"}
			res, err := assess.Score(s, sh.Sheet)
			must(t, err)
			must(t, db.SubmitSheet(ctx, sh, res, codes))
		}
	}
	wantCode(t, db.SaveSheet(ctx, sheet), app.ECONFLICT) // submitted sheets are final
	stored, err := db.FindSheet(ctx, panel.ID, unit.ID, reviewers[4].ID)
	must(t, err)
	if stored.Status != assess.SheetSubmitted || stored.Result == nil || stored.Result.Total != 80 || stored.Sheet.Values["C2"].Points != 0 {
		t.Fatalf("stored sheet %+v", stored)
	}
	// Returning a sheet takes its scores out until it is submitted again.
	must(t, db.ReturnSheet(office, stored.ID, "E1 扣分无依据"))
	prog, err := db.FindProgress(ctx, r.ID)
	must(t, err)
	if p := prog.ByRater[reviewers[4].ID]; p.Assigned != 3 || p.Submitted != 2 || p.Drafts != 1 {
		t.Fatalf("progress of reviewer 4: %+v", p)
	}
	res, _ := assess.Score(s, stored.Sheet)
	must(t, db.SubmitSheet(ctx, stored, res, codes))

	// Office verification fails the veto for the village.
	vsheet := &assess.StoredSheet{StageID: officeStage.ID, SubjectID: village.ID, RaterID: verifier.ID, Sheet: panelSheet(s, nil)}
	vsheet.Sheet.Values["F3"] = assess.Input{Failed: true}
	vres, err := assess.Score(s, vsheet.Sheet)
	must(t, err)
	must(t, db.SubmitSheet(ctx, vsheet, vres, codes))

	// Public votes: one per voter per subject; the unit gets 5 (above its
	// population of 4), 4 of them satisfied.
	must(t, db.IssueTokens(office, public.ID, []string{"h1", "h2"}, []string{"样本1", "样本2"}))
	if ok, _ := db.UseToken(ctx, public.ID, "h1"); !ok {
		t.Fatal("issued token refused")
	}
	if ok, _ := db.UseToken(ctx, public.ID, "nope"); ok {
		t.Fatal("unknown token accepted")
	}
	for i, rating := range []int{5, 4, 4, 5, 2} {
		skipped, err := db.CastVotes(ctx, public.ID, fmt.Sprintf("voter%d", i), []assess.Vote{{SubjectID: unit.ID, Rating: rating}, {SubjectID: street.ID, Rating: 3}})
		must(t, err)
		if len(skipped) != 0 {
			t.Fatalf("skipped %v", skipped)
		}
	}
	skipped, err := db.CastVotes(ctx, public.ID, "voter0", []assess.Vote{{SubjectID: unit.ID, Rating: 1}})
	must(t, err)
	if len(skipped) != 1 {
		t.Fatal("a second vote by the same voter was counted")
	}
	_, err = db.CastVotes(ctx, public.ID, "voter9", []assess.Vote{{SubjectID: root.ID, Rating: 5}})
	wantCode(t, err, app.EINVALID)
	counts, err := db.VoteCounts(ctx, public.ID)
	must(t, err)
	if counts[unit.ID] != [2]int{5, 0} {
		t.Fatalf("vote counts %v", counts)
	}
	votes, err := db.FindVotes(ctx, public.ID, unit.ID)
	must(t, err)
	must(t, db.ExcludeVotes(office, public.ID, []app.ID{votes[4].ID}, true)) // the 2-star vote
	if c, _ := db.VoteCounts(ctx, public.ID); c[unit.ID] != [2]int{4, 1} {
		t.Fatalf("after excluding: %v", c)
	}

	// Phone codes: one per minute, five attempts, then spent.
	exp := clock.T.Add(10 * time.Minute)
	must(t, db.SaveVoteCode(ctx, public.ID, "p1", "c1", exp))
	wantCode(t, db.SaveVoteCode(ctx, public.ID, "p1", "c2", exp), app.ECONFLICT)
	if ok, _ := db.CheckVoteCode(ctx, public.ID, "p1", "bad"); ok {
		t.Fatal("wrong code accepted")
	}
	if ok, _ := db.CheckVoteCode(ctx, public.ID, "p1", "c1"); !ok {
		t.Fatal("right code refused")
	}
	for range 5 {
		db.CheckVoteCode(ctx, public.ID, "p1", "bad")
	}
	if ok, _ := db.CheckVoteCode(ctx, public.ID, "p1", "c1"); ok {
		t.Fatal("code still works after too many attempts")
	}

	// Publishing needs the round locked.
	compute := func() []assess.SubjectResult {
		t.Helper()
		rd, err := db.FindRoundByID(ctx, r.ID)
		must(t, err)
		var out []assess.SubjectResult
		must(t, db.Aggregate(ctx, r.ID, codes, func(st assess.SubjectTallies) error {
			sub, _ := rd.Subject(st.SubjectID)
			res, err := assess.SubjectFigures(s, rd, sub, st, codes)
			out = append(out, res)
			return err
		}))
		return out
	}
	results := compute()
	must(t, assess.Finish(got.Grading, results, nil))
	wantCode(t, db.PublishResults(office, r.ID, results, assess.Revision{EnteredBy: verifier.ID, ApprovedBy: verifier.ID}, nil), app.ECONFLICT)
	must(t, db.SetRoundStatus(office, r.ID, assess.RoundOpen, assess.RoundLocked))
	wantCode(t, db.SaveSheet(ctx, sheet), app.ECONFLICT)

	byID := map[app.ID]assess.SubjectResult{}
	for _, res := range results {
		byID[res.SubjectID] = res
	}
	u := byID[unit.ID]
	// Panel 96 (trimmed); public 4 of 4 counted votes satisfied → 100; peer
	// has no sheets, so it is left out and the weights rescale over 80:
	// 96×50/80 + 100×30/80 = 60 + 37.5 = 97.5.
	if u.Stages[1].Total != 96 || !u.Stages[1].Trimmed || u.Stages[2].Total != 100 || !u.Stages[3].TooFew || u.Total != 97.5 || u.Complete {
		t.Fatalf("unit result %+v", u)
	}
	if i := indexOf(codes, "C2"); u.Stages[1].PerIndicator[i] != 4 { // (8+6+4+2+0)/5
		t.Fatalf("C2 mean %v", u.Stages[1].PerIndicator[i])
	}
	if v := byID[village.ID]; !v.VetoFailed || v.Grade != assess.Poor || v.Rank != 3 {
		t.Fatalf("village result %+v", v)
	}
	if st := byID[street.ID]; st.Stages[2].Total != 0 || st.Stages[2].Raters != 5 {
		t.Fatalf("street public stage %+v", st.Stages[2])
	}

	must(t, db.PublishResults(office, r.ID, results, assess.Revision{EnteredBy: verifier.ID, ApprovedBy: verifier.ID}, nil))
	wantCode(t, db.PublishResults(office, r.ID, results, assess.Revision{EnteredBy: verifier.ID, ApprovedBy: verifier.ID}, nil), app.ECONFLICT)
	pub, err := db.FindResults(ctx, r.ID, 0)
	must(t, err)
	if len(pub) != 3 || pub[0].SubjectID != unit.ID || pub[0].Rank != 1 || pub[2].SubjectID != village.ID {
		t.Fatalf("published %+v", pub)
	}
	mine, err := db.FindRoundsOfSubject(ctx, unit.ID)
	must(t, err)
	if len(mine) != 1 {
		t.Fatalf("rounds of subject %v", mine)
	}

	// A correction: entered by one person, approved by another.
	c := &assess.StoredCorrection{RoundID: r.ID, SubjectID: street.ID, Total: 91, Reason: "申诉复核：社会评议样本抽取有误"}
	must(t, db.ProposeCorrection(office, c))
	corrected := compute()
	must(t, assess.Finish(got.Grading, corrected, []assess.Correction{{SubjectID: street.ID, Total: 91, Reason: c.Reason}}))
	wantCode(t, db.PublishResults(office, r.ID, corrected, assess.Revision{Reason: c.Reason, EnteredBy: verifier.ID, ApprovedBy: verifier.ID}, []app.ID{c.ID}), app.EFORBIDDEN)
	must(t, db.PublishResults(office, r.ID, corrected, assess.Revision{Reason: c.Reason, EnteredBy: verifier.ID, ApprovedBy: 2}, []app.ID{c.ID}))
	revs, err := db.FindRevisions(ctx, r.ID)
	must(t, err)
	if len(revs) != 2 || revs[0].Revision != 2 {
		t.Fatalf("revisions %+v", revs)
	}
	first, _ := db.FindResults(ctx, r.ID, 1)
	latest, _ := db.FindResults(ctx, r.ID, 0)
	if first[1].Total == 91 || latest[1].SubjectID != street.ID || latest[1].Total != 91 || !latest[1].Corrected {
		t.Fatalf("revision 1 %+v, latest %+v", first[1], latest[1])
	}
	cs, _ := db.FindCorrections(ctx, r.ID)
	if len(cs) != 1 || cs[0].Status != assess.CorrectionApproved || cs[0].Revision != 2 || cs[0].DecidedBy != 2 {
		t.Fatalf("corrections %+v", cs[0])
	}
	wantCode(t, db.ExcludeVotes(office, public.ID, []app.ID{votes[0].ID}, true), app.ECONFLICT)
	var n int
	must(t, db.RoundSheets(ctx, r.ID, func(*assess.StoredSheet) error { n++; return nil }))
	if n != 16 {
		t.Fatalf("round sheets %d", n)
	}
}

func indexOf(codes []string, code string) int {
	for i, c := range codes {
		if c == code {
			return i
		}
	}
	return -1
}
