package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/question"
)

// testExamResults covers the office's side of an exam: who sits it, the
// submitted attempts with who made them, hand marking and each person's
// record.
func testExamResults(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := &app.ManualClock{T: time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)}
	db := open(t, clock)
	root, street, village, unit := Seed(t, db)
	office := app.WithActor(ctx, &app.Actor{UserID: 1, Login: "office", Roles: []string{account.RoleOffice}, OrgID: root.ID, OrgPath: root.Path})

	person := func(login, name string, orgID app.ID, rank account.Rank, roles ...string) *account.User {
		u := &account.User{Login: login, Name: name, OrgID: orgID, Roles: roles, Rank: rank, PasswordHash: "x"}
		must(t, db.CreateUser(ctx, u))
		return u
	}
	ex := account.RoleExaminee
	zhang := person("zhang", "张伟", unit.ID, account.RankSenior, ex)
	wang := person("wang", "王芳", unit.ID, account.RankStaff, ex)
	li := person("li", "李娜", street.ID, account.RankStaff, ex, account.RoleLiaison)
	person("zhao", "赵磊", village.ID, account.RankStaff, ex)
	person("liaison", "联络员", village.ID, account.RankStaff, account.RoleLiaison) // does not sit
	gone := person("gone", "已停用", village.ID, account.RankStaff, ex)
	off := false
	_, err := db.UpdateUser(ctx, gone.ID, account.Update{Active: &off})
	must(t, err)

	// Who sits: examinees under the root, per org; narrowed by rank and
	// by subtree.
	counts := func(s exam.Sitters) string {
		t.Helper()
		cs, err := db.CountSitters(ctx, s)
		must(t, err)
		var parts []string
		for _, c := range cs {
			parts = append(parts, fmt.Sprintf("%s=%d", c.OrgName, c.N))
		}
		return strings.Join(parts, " ")
	}
	all := exam.Sitters{OrgPath: root.Path, Roles: []string{ex}}
	// Orgs come by path: the unit was created after the street, so after
	// the street's subtree.
	if got, want := counts(all), "枫林路街道=1 枫林社区=1 区司法局=2"; got != want {
		t.Fatalf("sitters %q, want %q", got, want)
	}
	if got := counts(exam.Sitters{OrgPath: root.Path, Roles: []string{ex}, Ranks: []account.Rank{account.RankSenior}}); got != "区司法局=1" {
		t.Fatalf("senior sitters %q", got)
	}
	if got := counts(exam.Sitters{OrgPath: street.Path}); got != "枫林路街道=1 枫林社区=2" {
		t.Fatalf("everyone under the street %q", got)
	}
	people, err := db.FindSitters(ctx, all, 0)
	must(t, err)
	if len(people) != 4 || people[0].UserID != li.ID || people[0].OrgName != "枫林路街道" || people[3].Login != "wang" {
		t.Fatalf("sitters %+v", people)
	}
	for _, p := range people {
		if !all.Includes(p.OrgPath, []string{ex}, "") {
			t.Fatalf("%s listed but not included", p.Name)
		}
	}

	// A bank of one single-choice question and one essay.
	single := &question.Stored{Question: question.Question{Type: question.Single, Stem: "我国的根本大法是（ ）",
		Options: []question.Option{{Label: "A", Text: "宪法"}, {Label: "B", Text: "刑法"}}, Answer: []string{"A"}}}
	essay := &question.Stored{Question: question.Question{Type: question.Essay, Stem: "简述依法行政的基本要求。", Answer: []string{"合法行政、合理行政、程序正当……"}}}
	_, err = db.ImportQuestions(office, root.ID, []*question.Stored{single, essay})
	must(t, err)
	e := &exam.Exam{OrgID: root.ID, Title: "2026年度学法用法考试", Year: 2026,
		Window:  exam.Window{Opens: clock.Now().Add(-time.Hour), Closes: clock.Now().Add(72 * time.Hour), Duration: time.Hour},
		Rules:   exam.Rules{Picks: []exam.Pick{{Type: question.Single, Count: 1, Points: 40}, {Type: question.Essay, Count: 1, Points: 60}}},
		Sitters: all, MaxAttempts: 2}
	must(t, db.CreateExam(office, e))
	paper := exam.Paper{Items: []exam.Item{{QuestionID: single.ID, Points: 40}, {QuestionID: essay.ID, Points: 60}}}
	qs := map[app.ID]question.Question{single.ID: single.Question, essay.ID: essay.Question}
	mark := func(answers map[app.ID]exam.Answer) exam.Result { return exam.Score(paper, qs, answers, e.Grading) }

	// sit starts an attempt of u, answers and, when submit, submits it.
	sit := func(u *account.User, choice, prose string, submit bool) *exam.Sitting {
		t.Helper()
		st, _, err := db.StartAttempt(ctx, e, u.ID, u.OrgID, e.MaxAttempts, func(no int) (exam.Sitting, error) {
			now := clock.Now()
			return exam.Sitting{Paper: paper, Started: now, Deadline: now.Add(time.Hour), GraceEnd: now.Add(time.Hour + time.Minute)}, nil
		})
		must(t, err)
		if choice != "" {
			must(t, db.SaveAnswer(ctx, st.ID, single.ID, []string{choice}, 1))
		}
		if prose != "" {
			must(t, db.SaveAnswer(ctx, st.ID, essay.ID, []string{prose}, 1))
		}
		clock.Advance(time.Minute)
		if submit {
			st, err = db.SubmitAttempt(ctx, st.ID, false, mark)
			must(t, err)
		}
		return st
	}
	z1 := sit(zhang, "B", "", true)         // 0, nothing to mark
	z2 := sit(zhang, "A", "依法行政要求……", true) // 40 for now, an essay to mark
	w1 := sit(wang, "A", "", true)          // 40, failed
	liOpen := sit(li, "A", "合法行政……", false) // still open
	if !z2.PendingManual || z2.Score != 40 || z1.PendingManual || w1.Score != 40 || w1.Passed {
		t.Fatalf("marked: z1 %+v z2 %+v w1 %+v", z1, z2, w1)
	}

	rows, err := db.FindExamSittings(ctx, e.ID)
	must(t, err)
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s/%s/%s/%d/%d/%v", r.UserName, r.Login, r.OrgName, r.No, r.Attempts, r.Score))
	}
	if want := "张伟/zhang/区司法局/1/2/0 张伟/zhang/区司法局/2/2/40 王芳/wang/区司法局/1/1/40"; strings.Join(got, " ") != want {
		t.Fatalf("sittings\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if rows[1].OrgPath != unit.Path || rows[1].Paper.Max() != 100 || rows[1].SubmittedAt.IsZero() {
		t.Fatalf("row %+v", rows[1])
	}
	takers, err := db.CountTakers(ctx, []app.ID{e.ID, 12345})
	must(t, err)
	if takers[e.ID] != 2 || takers[12345] != 0 {
		t.Fatalf("takers %v", takers)
	}
	mine, err := db.FindUserSittings(ctx, zhang.ID)
	must(t, err)
	if len(mine) != 2 || mine[0].ID != z2.ID || mine[1].ID != z1.ID {
		t.Fatalf("zhang's record %+v", mine)
	}

	// Hand marking.
	wantField := func(err error, field string) {
		t.Helper()
		wantCode(t, err, app.EINVALID)
		if ae, ok := err.(*app.Error); !ok || ae.Field != field {
			t.Fatalf("error %v, want field %s", err, field)
		}
	}
	_, err = db.AwardAnswer(office, z2.ID, essay.ID, 61)
	wantField(err, "points")
	_, err = db.AwardAnswer(office, z2.ID, essay.ID, -1)
	wantField(err, "points")
	_, err = db.AwardAnswer(office, z2.ID, single.ID, 10)
	wantField(err, "question") // marked by the system
	_, err = db.AwardAnswer(office, z1.ID, essay.ID, 10)
	wantField(err, "question") // not answered
	_, err = db.AwardAnswer(office, z2.ID, 999, 10)
	wantField(err, "question") // not on the paper
	_, err = db.AwardAnswer(office, liOpen.ID, essay.ID, 10)
	wantCode(t, err, app.ECONFLICT)
	_, err = db.AwardAnswer(office, 424242, essay.ID, 10)
	wantCode(t, err, app.ENOTFOUND)

	re, err := db.AwardAnswer(office, z2.ID, essay.ID, 52.5)
	must(t, err)
	if re.Score != 92.5 || re.PendingManual || !re.Passed || re.Grade != exam.Excellent || re.Raw != 92.5 || re.Max != 100 {
		t.Fatalf("re-marked %+v", re)
	}
	stored, err := db.FindSitting(ctx, z2.ID)
	must(t, err)
	if stored.Score != 92.5 || stored.PendingManual || stored.Grade != exam.Excellent || !stored.Passed || !stored.SubmittedAt.Equal(z2.SubmittedAt) {
		t.Fatalf("stored %+v", stored)
	}
	answers, err := db.FindAnswers(ctx, z2.ID)
	must(t, err)
	if a := answers[essay.ID]; a.Awarded == nil || *a.Awarded != 52.5 {
		t.Fatalf("awarded %+v", a)
	}
	// A second marking replaces the first.
	re, err = db.AwardAnswer(office, z2.ID, essay.ID, 10)
	must(t, err)
	if re.Score != 50 || re.Passed || re.Grade != exam.Failed {
		t.Fatalf("re-marked again %+v", re)
	}
	if n := countWhere(t, db, "audit_log", "action = 'exam.award' AND object_id = '"+z2.ID.String()+"'"); n != 2 {
		t.Fatalf("%d award audit rows, want 2", n)
	}
	if _, err := db.VerifyAudit(ctx); err != nil {
		t.Fatalf("audit chain: %v", err)
	}
}
