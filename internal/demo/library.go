package demo

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"pufa/internal/app"
	"pufa/internal/law"
	"pufa/internal/learn"
	"pufa/internal/question"
	"pufa/internal/question/qfile"
)

// The law texts and the question bank the demo library holds. The bank
// is generated from the texts by internal/demo/gen/bank.go and cites, in
// each analysis, the article it tests (依据《宪法》第六十条).
var (
	//go:embed data/xianfa.txt
	constitutionText string
	//go:embed data/minfadian.txt
	civilCodeText string
	//go:embed data/question-bank.txt
	questionBank []byte
)

// library fills the district's law library with the 宪法 and the 总则 of
// the 民法典, one must-know list per audience, and the question bank,
// imported the way an office imports it (parsed, then each question
// linked to the article its analysis cites); then two people study and
// practise, so progress and a mistake book show.
func (l *loader) library(ctx context.Context) error {
	root := l.org("root")
	ctx = app.WithActor(ctx, &app.Actor{UserID: l.user("office1").ID, Login: "office1", OrgID: root.ID, OrgPath: root.Path})
	laws := map[string]*law.Law{}
	for _, src := range []struct {
		key, text string
		cat       law.Category
	}{{"宪法", constitutionText, law.CategoryConstitution}, {"民法典", civilCodeText, law.CategoryCivilCode}} {
		d := law.ParseText(src.text)
		lw := &d.Law
		lw.OrgID, lw.Category, lw.Status = root.ID, src.cat, law.StatusInForce
		if err := l.db.CreateLaw(ctx, lw); err != nil {
			return fmt.Errorf("%s: %w", src.key, err)
		}
		laws[src.key] = lw
	}
	xf, mf := laws["宪法"], laws["民法典"]
	byN := func(lw *law.Law, from, to int) []learn.Item {
		var out []learn.Item
		for _, a := range lw.Articles {
			if a.N >= from && a.N <= to {
				out = append(out, learn.Item{LawID: lw.ID, ArticleID: a.ID})
			}
		}
		return out
	}
	year := time.Now().In(app.Shanghai).Year()
	leaders := append([]learn.Item{{LawID: xf.ID, Material: "通读宪法全文，重点学习总纲和公民的基本权利和义务"}}, byN(mf, 1, 12)...)
	staff := append(byN(xf, 1, 32), byN(xf, 33, 56)...)
	staff = append(staff, byN(mf, 1, 12)...)
	understanders := append(byN(mf, 13, 25), byN(xf, 33, 56)...)
	// 区司法局 keeps a list of its own, for its staff only.
	sfjOwn := append(byN(xf, 33, 41), byN(mf, 1, 9)...)
	for _, ls := range []*learn.List{
		{OrgID: root.ID, Title: fmt.Sprintf("%d年度领导干部应知应会党内法规和国家法律清单", year), Audience: learn.Leaders, Items: leaders},
		{OrgID: root.ID, Title: fmt.Sprintf("%d年度国家工作人员学法清单", year), Audience: learn.StateEmployees, Items: staff},
		{OrgID: root.ID, Title: "法律明白人应知应会清单", Audience: learn.LawUnderstanders, Items: understanders},
		{OrgID: l.org("sfj").ID, Title: "区司法局干部职工学法清单", Audience: learn.UnitOwn, Items: sfjOwn},
	} {
		ls.Year = year
		if err := l.db.CreateList(ctx, ls); err != nil {
			return fmt.Errorf("%s: %w", ls.Title, err)
		}
	}

	bank, err := qfile.Read(questionBank)
	if err != nil {
		return err
	}
	res, err := law.NewResolver(ctx, l.db, []string{root.Path})
	if err != nil {
		return err
	}
	var qs []*question.Stored
	for _, q := range bank.Questions {
		st := &question.Stored{Question: q, Source: "学法题库.txt", Tags: []string{bank.Sections[q.Section].Title}}
		if lawID, artID, ok := res.Resolve(ctx, q.Analysis, q.Stem); ok {
			st.LawID, st.ArticleID = lawID, artID
			if lawID == xf.ID {
				st.Tags = append(st.Tags, "宪法")
			} else {
				st.Tags = append(st.Tags, "民法典")
			}
		}
		qs = append(qs, st)
	}
	if _, err := l.db.ImportQuestions(ctx, root.ID, qs); err != nil {
		return err
	}
	// 张伟 has read the 总纲 and practised a dozen questions, three of
	// them wrong; 王芳 has read a little.
	zw, wf := l.user("zhangwei"), l.user("wangfang")
	for _, a := range xf.Articles[:32] {
		if err := l.db.MarkRead(ctx, zw.ID, a.ID); err != nil {
			return err
		}
	}
	for _, a := range xf.Articles[:5] {
		if err := l.db.MarkRead(ctx, wf.ID, a.ID); err != nil {
			return err
		}
	}
	for i, q := range qs[:12] {
		right := i%4 != 3
		given := q.Answer
		if !right {
			given = []string{"Z"}
		}
		if err := l.db.RecordPractice(ctx, zw.ID, q.ID, given, right); err != nil {
			return err
		}
	}
	return nil
}
