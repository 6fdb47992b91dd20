package web

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"pufa/internal/app"
	"pufa/internal/learn"
	"pufa/internal/org"
	"pufa/internal/question"
)

// practiceSource is what a practice session draws from: a must-know list,
// a tag, or the mistake book.
type practiceSource struct {
	List     app.ID
	Law      app.ID
	Tag      string
	Mistakes bool
}

func sourceOf(v url.Values) practiceSource {
	id, _ := app.ParseID("list", v.Get("list"))
	lawID, _ := app.ParseID("law", v.Get("law"))
	return practiceSource{List: id, Law: lawID, Tag: v.Get("tag"), Mistakes: v.Get("mistakes") == "1"}
}

// Query is the source as URL parameters, to carry to the next question.
func (p practiceSource) Query() string {
	q := url.Values{}
	if p.List != 0 {
		q.Set("list", p.List.String())
	}
	if p.Law != 0 {
		q.Set("law", p.Law.String())
	}
	if p.Tag != "" {
		q.Set("tag", p.Tag)
	}
	if p.Mistakes {
		q.Set("mistakes", "1")
	}
	return q.Encode()
}

type practiceHomeData struct {
	Lists    []*learn.List
	Tags     []string
	Mistakes int
}

// practiceHome offers what to practise.
func (s *Server) practiceHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	paths := org.PathsUp(a.OrgPath)
	lists, err := s.db.FindLists(ctx, paths)
	if err != nil {
		return err
	}
	var tags []string
	for _, p := range paths {
		ts, err := s.db.FindTagsAt(ctx, p)
		if err != nil {
			return err
		}
		tags = append(tags, ts...)
	}
	ms, err := s.db.FindMistakes(ctx, a.UserID)
	if err != nil {
		return err
	}
	v := s.newView(r, "练习", practiceHomeData{Lists: lists, Tags: dedupe(tags), Mistakes: len(ms)})
	v.Active = "practice"
	return s.render(w, r, http.StatusOK, "practice", v)
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// candidates returns the questions a source holds that the person may
// practise: answered ones from the banks of the regions above them.
func (s *Server) candidates(r *http.Request, src practiceSource) ([]*question.Stored, error) {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	f := question.Filter{InPaths: org.PathsUp(a.OrgPath), Tag: src.Tag, LawID: src.Law, Answered: true, Limit: 500}
	switch {
	case src.Mistakes:
		ms, err := s.db.FindMistakes(ctx, a.UserID)
		if err != nil {
			return nil, err
		}
		var out []*question.Stored
		for _, m := range ms {
			if q, err := s.db.FindQuestionByID(ctx, m.QuestionID); err == nil {
				out = append(out, q)
			}
		}
		return out, nil
	case src.List != 0:
		arts, err := s.db.ListArticles(ctx, src.List)
		if err != nil {
			return nil, err
		}
		if len(arts) == 0 {
			return nil, nil
		}
		f.ArticleIDs = arts
	}
	qs, _, err := s.db.FindQuestions(ctx, f)
	return qs, err
}

type practiceData struct {
	Source   practiceSource
	Q        *question.Stored
	Given    []string
	Verdict  question.Verdict
	Answered bool
	Left     int
	Article  string
	Blanks   int
}

// practiceNext shows a question from the source: one not practised yet
// when there is one, else any.
func (s *Server) practiceNext(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	src := sourceOf(r.URL.Query())
	qs, err := s.candidates(r, src)
	if err != nil {
		return err
	}
	if len(qs) == 0 {
		msg := "这里还没有可以练习的题目"
		if src.Mistakes {
			msg = "错题本是空的：答错的题会自动收进来，连续答对两次后移出"
		}
		return s.redirect(w, r, "/practice", msg)
	}
	done, err := s.db.PractisedQuestions(ctx, a.UserID)
	if err != nil {
		return err
	}
	var fresh []*question.Stored
	for _, q := range qs {
		if !done[q.ID] {
			fresh = append(fresh, q)
		}
	}
	pool := fresh
	if len(pool) == 0 || src.Mistakes {
		pool = qs
	}
	var b [8]byte
	rand.Read(b[:])
	q := pool[binary.LittleEndian.Uint64(b[:])%uint64(len(pool))]
	d := practiceData{Source: src, Q: q, Left: len(fresh), Blanks: max(question.CountBlanks(q.Stem), len(q.Answer))}
	v := s.newView(r, "练习", d)
	v.Active = "practice"
	return s.render(w, r, http.StatusOK, "practice_question", v)
}

// practiceAnswer marks an answer at once, shows the key and the analysis,
// and keeps the mistake book.
func (s *Server) practiceAnswer(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	q, err := s.db.FindQuestionByID(ctx, id)
	if err != nil {
		return err
	}
	// Only the banks of the regions above the person.
	if _, ok := s.keptAbove(ctx, q.OrgID); !ok {
		return app.Errorf(app.ENOTFOUND, "题目不存在")
	}
	src := sourceOf(r.PostForm)
	given := r.PostForm["answer"]
	var clean []string
	for _, g := range given {
		clean = append(clean, strings.TrimSpace(g))
	}
	verdict := question.Mark(&q.Question, clean)
	if verdict != question.ByHand {
		if err := s.db.RecordPractice(ctx, a.UserID, q.ID, clean, verdict == question.Right); err != nil {
			return err
		}
	}
	d := practiceData{Source: src, Q: q, Given: clean, Verdict: verdict, Answered: true, Blanks: len(q.Answer)}
	if q.ArticleID != 0 {
		if art, err := s.db.FindArticleByID(ctx, q.ArticleID); err == nil {
			d.Article = fmt.Sprintf("/laws/%s#a%s", art.LawID, art.ID)
		}
	}
	v := s.newView(r, "练习", d)
	v.Active = "practice"
	return s.render(w, r, http.StatusOK, "practice_question", v)
}

type mistakesData struct {
	Items []mistakeRow
}

type mistakeRow struct {
	learn.Mistake
	Q *question.Stored
}

func (s *Server) mistakeBook(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	ms, err := s.db.FindMistakes(ctx, a.UserID)
	if err != nil {
		return err
	}
	var d mistakesData
	for _, m := range ms {
		if q, err := s.db.FindQuestionByID(ctx, m.QuestionID); err == nil {
			d.Items = append(d.Items, mistakeRow{Mistake: m, Q: q})
		}
	}
	v := s.newView(r, "错题本", d)
	v.Active = "practice"
	return s.render(w, r, http.StatusOK, "mistakes", v)
}
