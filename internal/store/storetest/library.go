package storetest

import (
	"context"
	"testing"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/law"
	"pufa/internal/learn"
	"pufa/internal/question"
)

const miniLaw = `中华人民共和国测试法
第一章　总则
第一条　为了测试，制定本法。
第二条　公民的合法的私有财产不受侵犯。
第二章　附则
第三条　本法自公布之日起施行。
`

func testLibrary(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t, nil)
	root, street, village, unit := Seed(t, db)
	draft := law.ParseText(miniLaw)
	l := &draft.Law
	l.OrgID, l.Category, l.Status = root.ID, law.CategoryOther, law.StatusInForce
	if len(l.Articles) != 3 {
		t.Fatalf("parsed %d articles", len(l.Articles))
	}
	must(t, db.CreateLaw(ctx, l))
	got, err := db.FindLawByID(ctx, l.ID)
	must(t, err)
	if got.Title != "中华人民共和国测试法" || len(got.Articles) != 3 || got.Articles[1].Label != "第二条" || got.Articles[1].Chapter == "" || got.Articles[2].N != 3 {
		t.Fatalf("stored law %+v", got)
	}
	laws, err := db.FindLaws(ctx, law.Filter{InPaths: []string{root.Path, street.Path}})
	must(t, err)
	if len(laws) != 1 || laws[0].ArticleCount != 3 {
		t.Fatalf("laws %+v", laws)
	}
	if none, _ := db.FindLaws(ctx, law.Filter{InPaths: []string{street.Path}}); len(none) != 0 {
		t.Fatal("a street's library holds the district's law")
	}
	if q, _ := db.FindLaws(ctx, law.Filter{InPaths: []string{root.Path}, Query: "测试"}); len(q) != 1 {
		t.Fatal("title search missed")
	}
	hits, err := db.SearchArticles(ctx, []string{root.Path}, "私有 财产", 10)
	must(t, err)
	if len(hits) != 1 || hits[0].Article.Label != "第二条" || hits[0].LawTitle != l.Title {
		t.Fatalf("hits %+v", hits)
	}
	art2, err := db.FindArticleByLabel(ctx, l.ID, "第二条")
	must(t, err)
	_, err = db.FindArticleByLabel(ctx, l.ID, "第九条")
	wantCode(t, err, app.ENOTFOUND)

	// A list: the whole law, and article 2 again with material.
	list := &learn.List{OrgID: root.ID, Title: "测试清单", Audience: learn.Leaders, Year: 2024,
		Items: []learn.Item{{LawID: l.ID}, {LawID: l.ID, ArticleID: art2.ID, Material: "重点"}}}
	wantCode(t, db.CreateList(ctx, &learn.List{OrgID: root.ID, Title: "坏", Audience: learn.Leaders, Items: []learn.Item{{LawID: l.ID, ArticleID: 999}}}), app.EINVALID)
	must(t, db.CreateList(ctx, list))
	stored, err := db.FindListByID(ctx, list.ID)
	must(t, err)
	if len(stored.Items) != 2 || stored.Items[1].ArticleLabel != "第二条" || stored.Items[1].Material != "重点" || stored.Items[0].LawTitle != l.Title {
		t.Fatalf("list %+v", stored)
	}
	arts, err := db.ListArticles(ctx, list.ID)
	must(t, err)
	if len(arts) != 3 {
		t.Fatalf("list covers %d articles", len(arts))
	}
	if ls, _ := db.FindLists(ctx, []string{root.Path, street.Path}); len(ls) != 1 {
		t.Fatalf("lists %v", ls)
	}

	// Two people in the village: one reads and practises.
	var users []*account.User
	for _, login := range []string{"reader.a", "reader.b"} {
		u := &account.User{Login: login, Name: login, OrgID: village.ID, Roles: []string{account.RoleExaminee}, PasswordHash: "x"}
		must(t, db.CreateUser(ctx, u))
		users = append(users, u)
	}
	other := &account.User{Login: "reader.c", Name: "c", OrgID: unit.ID, Roles: []string{account.RoleExaminee}, PasswordHash: "x"}
	must(t, db.CreateUser(ctx, other))
	qs := []*question.Stored{
		{Question: question.Question{Type: question.TrueFalse, Stem: "公民的合法的私有财产不受侵犯。", Answer: []string{question.True}}, LawID: l.ID, ArticleID: art2.ID},
		{Question: question.Question{Type: question.TrueFalse, Stem: "本法自公布之日起施行。", Answer: []string{question.True}}, LawID: l.ID, ArticleID: got.Articles[2].ID},
	}
	_, err = db.ImportQuestions(ctx, root.ID, qs)
	must(t, err)
	if n, _ := db.QuestionCounts(ctx, l.ID); n[art2.ID] != 1 {
		t.Fatalf("question counts %v", n)
	}
	a := users[0]
	must(t, db.MarkRead(ctx, a.ID, art2.ID))
	must(t, db.MarkRead(ctx, a.ID, art2.ID)) // twice is once
	must(t, db.MarkRead(ctx, a.ID, got.Articles[0].ID))
	if read, _ := db.ReadArticles(ctx, a.ID, l.ID); len(read) != 2 {
		t.Fatalf("read %v", read)
	}
	// Wrong, then right twice: in the mistake book, then out of it.
	must(t, db.RecordPractice(ctx, a.ID, qs[0].ID, []string{question.False}, false))
	ms, _ := db.FindMistakes(ctx, a.ID)
	if len(ms) != 1 || ms[0].WrongCount != 1 {
		t.Fatalf("mistakes %+v", ms)
	}
	must(t, db.RecordPractice(ctx, a.ID, qs[0].ID, []string{question.True}, true))
	if ms, _ = db.FindMistakes(ctx, a.ID); len(ms) != 1 || ms[0].RightStreak != 1 {
		t.Fatalf("after one right %+v", ms)
	}
	must(t, db.RecordPractice(ctx, a.ID, qs[0].ID, []string{question.True}, true))
	if ms, _ = db.FindMistakes(ctx, a.ID); len(ms) != 0 {
		t.Fatalf("after two right %+v", ms)
	}
	if done, _ := db.PractisedQuestions(ctx, a.ID); !done[qs[0].ID] || len(done) != 1 {
		t.Fatalf("practised %v", done)
	}
	prog, err := db.FindListProgress(ctx, list.ID, []app.ID{a.ID, users[1].ID})
	must(t, err)
	if p := prog[a.ID]; p.Articles != 3 || p.Read != 2 || p.Questions != 2 || p.Practised != 1 || p.Percent() != 66 {
		t.Fatalf("progress %+v", p)
	}
	if p := prog[users[1].ID]; p.Read != 0 || p.Articles != 3 {
		t.Fatalf("progress of b %+v", p)
	}
	units, err := db.FindUnitListProgress(ctx, list.ID, root.Path)
	must(t, err)
	if u := units[village.ID]; u.People != 2 || u.Read != 2 || u.Practised != 1 {
		t.Fatalf("village progress %+v", u)
	}
	if u := units[unit.ID]; u.People != 1 || u.Read != 0 {
		t.Fatalf("unit progress %+v", u)
	}
}
