package storetest

import (
	"context"
	"testing"

	"pufa/internal/app"
	"pufa/internal/question"
)

func testQuestions(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t, nil)
	root, street, _, _ := Seed(t, db)
	qs := []*question.Stored{
		{Question: question.Question{Type: question.Single, Stem: "我国的根本大法是（ ）", Options: []question.Option{{Label: "A", Text: "宪法"}, {Label: "B", Text: "刑法"}}, Answer: []string{"A"}}, Tags: []string{"宪法", "基础"}, Difficulty: 1, LawID: 7, ArticleID: 70},
		{Question: question.Question{Type: question.TrueFalse, Stem: "国家宪法日是12月4日。", Answer: []string{question.True}}, Tags: []string{"宪法"}},
		{Question: question.Question{Type: question.Fill, Stem: "中华人民共和国的一切权力属于（ ）。"}, Source: "题库.docx"},
		// The same as the first, spaced and in full-width: a duplicate.
		{Question: question.Question{Type: question.Single, Stem: "我国的根本大法是（  ）", Options: []question.Option{{Label: "A", Text: "宪法"}, {Label: "B", Text: "刑法"}}, Answer: []string{"A"}}},
	}
	res, err := db.ImportQuestions(ctx, root.ID, qs)
	must(t, err)
	if res.Added != 3 || len(res.Duplicates) != 1 || res.Duplicates[0] != 3 {
		t.Fatalf("import %+v", res)
	}
	again, err := db.ImportQuestions(ctx, root.ID, qs[:2])
	must(t, err)
	if again.Added != 0 || len(again.Duplicates) != 2 {
		t.Fatalf("re-import %+v", again)
	}
	bad := []*question.Stored{{Question: question.Question{Type: question.Single, Stem: "", Answer: []string{"A"}}}}
	_, err = db.ImportQuestions(ctx, root.ID, bad)
	wantCode(t, err, app.EINVALID)

	list, total, err := db.FindQuestions(ctx, question.Filter{OrgPath: root.Path})
	must(t, err)
	if total != 3 || len(list) != 3 {
		t.Fatalf("%d questions", total)
	}
	byTag, _, _ := db.FindQuestions(ctx, question.Filter{OrgPath: root.Path, Tag: "基础"})
	if len(byTag) != 1 || byTag[0].Stem != "我国的根本大法是（ ）" || byTag[0].Options[1].Text != "刑法" || byTag[0].LawID != 7 || byTag[0].Difficulty != 1 {
		t.Fatalf("by tag %+v", byTag)
	}
	if got, _, _ := db.FindQuestions(ctx, question.Filter{OrgPath: root.Path, Answered: true}); len(got) != 2 {
		t.Fatalf("answered: %d", len(got))
	}
	if got, _, _ := db.FindQuestions(ctx, question.Filter{OrgPath: root.Path, ArticleIDs: []app.ID{70}}); len(got) != 1 {
		t.Fatalf("by article: %d", len(got))
	}
	if got, _, _ := db.FindQuestions(ctx, question.Filter{OrgPath: root.Path, Query: "宪法日"}); len(got) != 1 {
		t.Fatalf("by text: %d", len(got))
	}
	if got, _, _ := db.FindQuestions(ctx, question.Filter{OrgPath: street.Path}); len(got) != 0 {
		t.Fatal("a street sees the district's bank")
	}
	tags, err := db.FindTags(ctx, root.Path)
	must(t, err)
	if len(tags) != 2 || tags[0] != "基础" && tags[1] != "基础" {
		t.Fatalf("tags %v", tags)
	}
	one, err := db.FindQuestionByID(ctx, list[0].ID)
	must(t, err)
	if one.Stem == "" || one.CreatedAt.IsZero() {
		t.Fatalf("question %+v", one)
	}
}
