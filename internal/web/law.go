package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/law"
	"pufa/internal/learn"
	"pufa/internal/org"
	"pufa/internal/question"
	"pufa/internal/upload"
)

type lawListData struct {
	Laws       []law.Summary
	Hits       []law.Hit
	Query      string
	Category   string
	Categories []law.Category
	CanManage  bool
}

// lawList is the law library: laws by category, and a search over titles
// and article text.
func (s *Server) lawList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	q := r.URL.Query()
	d := lawListData{Query: strings.TrimSpace(q.Get("q")), Category: q.Get("category"), Categories: law.Categories(),
		CanManage: authz.Can(a, authz.LibraryManage, authz.AtOrg(a.OrgPath))}
	paths := org.PathsUp(a.OrgPath)
	var err error
	if d.Laws, err = s.db.FindLaws(ctx, law.Filter{InPaths: paths, Category: law.Category(d.Category), Query: d.Query}); err != nil {
		return err
	}
	if d.Query != "" {
		if d.Hits, err = s.db.SearchArticles(ctx, paths, d.Query, 100); err != nil {
			return err
		}
	}
	v := s.newView(r, "法律法规库", d)
	v.Active = "laws"
	return s.render(w, r, http.StatusOK, "laws", v)
}

// visibleLaw loads law {id} if it is kept by a region above the actor.
func (s *Server) visibleLaw(r *http.Request) (*law.Law, error) {
	ctx := r.Context()
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	l, err := s.db.FindLawByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, ok := s.keptAbove(ctx, l.OrgID); !ok {
		return nil, app.Errorf(app.ENOTFOUND, "法律法规不存在")
	}
	return l, nil
}

type lawShowData struct {
	Law       *law.Law
	Read      map[app.ID]bool
	Questions map[app.ID]int
	CanManage bool
}

func (s *Server) lawShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	l, err := s.visibleLaw(r)
	if err != nil {
		return err
	}
	read, err := s.db.ReadArticles(ctx, a.UserID, l.ID)
	if err != nil {
		return err
	}
	qs, err := s.db.QuestionCounts(ctx, l.ID)
	if err != nil {
		return err
	}
	v := s.newView(r, l.Title, lawShowData{Law: l, Read: read, Questions: qs, CanManage: s.canAt(r, authz.LibraryManage, l.OrgID)})
	v.Active = "laws"
	return s.render(w, r, http.StatusOK, "law", v)
}

// articleRead records that the person studied an article.
func (s *Server) articleRead(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	art, err := s.db.FindArticleByID(ctx, id)
	if err != nil {
		return err
	}
	r2 := r.Clone(ctx)
	r2.SetPathValue("id", art.LawID.String())
	if _, err := s.visibleLaw(r2); err != nil {
		return err
	}
	if err := s.db.MarkRead(ctx, a.UserID, art.ID); err != nil {
		return err
	}
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") {
		back = fmt.Sprintf("/laws/%s", art.LawID)
	}
	http.Redirect(w, r, back+"#a"+art.ID.String(), http.StatusSeeOther)
	return nil
}

type lawImportData struct {
	MaxSize                string
	Text                   string
	Key, Name              string
	Draft                  *law.Draft
	Categories             []law.Category
	Statuses               []law.Status
	Promulgated, Effective string
}

func (s *Server) lawImportForm(w http.ResponseWriter, r *http.Request) error {
	v := s.newView(r, "导入法律法规", lawImportData{MaxSize: humanSize(s.opts.MaxUploadBytes)})
	v.Active = "laws"
	return s.render(w, r, http.StatusOK, "law_import", v)
}

// lawImportPreview reads a law's text into articles for review; nothing
// is saved until the office confirms.
func (s *Server) lawImportPreview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := s.parseUpload(r); err != nil {
		return err
	}
	d := lawImportData{MaxSize: humanSize(s.opts.MaxUploadBytes), Text: r.FormValue("text"), Categories: law.Categories(), Statuses: law.Statuses()}
	data, name, ok, err := s.fileOrText(r, "粘贴的文本.txt")
	if err != nil {
		return err
	}
	if !ok {
		return s.renderForm(w, r, "law_import", "导入法律法规", d, app.Invalid("file", "请上传法律法规全文，或粘贴到文本框中"))
	}
	d.Name = name
	if kind, err := upload.Sniff(name, data); err != nil {
		return err
	} else if kind != upload.DOCX && kind != upload.TXT {
		return s.renderForm(w, r, "law_import", "导入法律法规", d, app.Invalid("file", "请上传 .docx 或 .txt 文件（.doc 请先在 Word 中另存为 .docx）"))
	}
	draft, err := law.Parse(data)
	if err != nil {
		return s.renderForm(w, r, "law_import", "导入法律法规", d, err)
	}
	if len(draft.Law.Articles) == 0 {
		return s.renderForm(w, r, "law_import", "导入法律法规", d, app.Invalid("file", "没有在文本中找到“第一条”这样的条文，请确认上传的是法律法规全文"))
	}
	d.Draft = draft
	d.Promulgated, d.Effective = dateInput(draft.Law.Promulgated), dateInput(draft.Law.Effective)
	if d.Key, err = s.putBlob(ctx, data, d.Name, "law_text", ""); err != nil {
		return err
	}
	v := s.newView(r, "核对法律法规", d)
	v.Active = "laws"
	return s.render(w, r, http.StatusOK, "law_preview", v)
}

func dateInput(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(app.Shanghai).Format("2006-01-02")
}

// lawCreate saves the law the preview showed, with the metadata as the
// office corrected it.
func (s *Server) lawCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	data, err := s.ownUpload(r, r.PostFormValue("key"), "law_text")
	if err != nil {
		return err
	}
	draft, err := law.Parse(data)
	if err != nil {
		return err
	}
	l := &draft.Law
	l.OrgID = a.OrgID
	l.Title = strings.TrimSpace(r.PostFormValue("title"))
	l.Category, l.Status = law.Category(r.PostFormValue("category")), law.Status(r.PostFormValue("status"))
	l.Issuer, l.DocNumber = strings.TrimSpace(r.PostFormValue("issuer")), strings.TrimSpace(r.PostFormValue("doc_number"))
	for _, f := range []struct {
		field string
		to    *time.Time
	}{{"promulgated", &l.Promulgated}, {"effective", &l.Effective}} {
		v := strings.TrimSpace(r.PostFormValue(f.field))
		if v == "" {
			*f.to = time.Time{}
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", v, app.Shanghai)
		if err != nil {
			return app.Invalid(f.field, "日期“%s”无效", v)
		}
		*f.to = t.UTC()
	}
	if err := s.db.CreateLaw(ctx, l); err != nil {
		return err
	}
	s.dropBlob(ctx, r.PostFormValue("key"))
	return s.redirect(w, r, "/laws/"+l.ID.String(), fmt.Sprintf("已导入《%s》，共 %d 条", l.Title, len(l.Articles)))
}

// linkArticles links each question to the article its analysis (or
// stem) cites, among the laws the person can see, and returns how many it
// linked.
func (s *Server) linkArticles(ctx context.Context, a *app.Actor, qs []*question.Stored) (int, error) {
	res, err := law.NewResolver(ctx, s.db, org.PathsUp(a.OrgPath))
	if err != nil {
		return 0, err
	}
	linked := 0
	for _, q := range qs {
		if lawID, artID, ok := res.Resolve(ctx, q.Analysis, q.Stem); ok {
			q.LawID, q.ArticleID = lawID, artID
			linked++
		}
	}
	return linked, nil
}

// listsVisible are the must-know lists of the regions above the actor.
func (s *Server) listsVisible(ctx context.Context, a *app.Actor) ([]*learn.List, error) {
	return s.db.FindLists(ctx, org.PathsUp(a.OrgPath))
}
