package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/circular"
	"pufa/internal/store"
)

// paragraphs splits typed text into paragraphs, one per non-empty line.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// defaultCircular drafts a circular from the published results.
func (s *Server) defaultCircular(p *roundPage, res []assess.SubjectResult) *store.CircularText {
	counts := map[string]int{}
	for _, r := range res {
		counts[r.Grade]++
	}
	var grades []string
	for _, b := range p.Round.Grading.Grader.Bands {
		grades = append(grades, fmt.Sprintf("%s %d 个", b.Grade, counts[b.Grade]))
	}
	if len(grades) == 0 {
		for _, b := range assess.DefaultBands() {
			grades = append(grades, fmt.Sprintf("%s %d 个", b.Grade, counts[b.Grade]))
		}
	}
	return &store.CircularText{
		Issuer:     p.Region.Name + "全面依法治区委员会守法普法协调小组办公室",
		Title:      "关于" + p.Round.Title + "结果的通报",
		Addressees: "各街道办事处、镇人民政府，区级各部门：",
		Body: fmt.Sprintf("为深入贯彻落实“谁执法谁普法”普法责任制，推动普法工作由“软任务”向“硬指标”转变，%s组织开展了%s。经单位自评、实地考察、社会评议、评议团评议等环节，共评议单位 %d 个，评出%s。现将结果通报如下：",
			p.Round.Period, p.Round.Title, len(res), strings.Join(grades, "、")),
		After:    "希望评为优秀的单位再接再厉，发挥示范作用；其他单位对照评议中指出的问题认真整改，切实履行普法责任。",
		IssuedOn: s.clock.Now(),
	}
}

// circularOf puts a round's text and results into the document.
func circularOf(p *roundPage, c *store.CircularText, res []assess.SubjectResult) *circular.Circular {
	out := &circular.Circular{Issuer: c.Issuer, DocNumber: c.DocNumber, Title: c.Title, Addressees: c.Addressees,
		Body: paragraphs(c.Body), After: paragraphs(c.After), TableTitle: p.Round.Title + "结果", Ranked: p.Round.Grading.Ranked, Date: c.IssuedOn}
	for _, r := range res {
		out.Rows = append(out.Rows, circular.Row{Rank: r.Rank, Name: r.Name, Grade: r.Grade, Total: r.Total})
	}
	return out
}

type circularData struct {
	*roundPage
	Text    *store.CircularText
	Doc     *circular.Circular
	Date    string
	Saved   bool
	Results []assess.SubjectResult
}

// roundCircular edits and previews the circular (通报) of a published
// round.
func (s *Server) roundCircular(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	if p.Round.Status != assess.RoundPublished {
		return app.Errorf(app.ECONFLICT, "结果发布后才能印发通报")
	}
	res, err := s.db.FindResults(ctx, p.Round.ID, 0)
	if err != nil {
		return err
	}
	c, err := s.db.FindCircular(ctx, p.Round.ID)
	saved := err == nil
	if app.ErrorCode(err) == app.ENOTFOUND {
		c, err = s.defaultCircular(p, res), nil
	}
	if err != nil {
		return err
	}
	d := circularData{roundPage: p, Text: c, Doc: circularOf(p, c, res), Date: circular.DateText(c.IssuedOn), Saved: saved, Results: res}
	v := s.newView(r, "通报："+p.Round.Title, d)
	v.Active = "rounds"
	return s.render(w, r, http.StatusOK, "circular", v)
}

func (s *Server) roundCircularSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	c := &store.CircularText{Issuer: strings.TrimSpace(r.PostFormValue("issuer")), DocNumber: strings.TrimSpace(r.PostFormValue("doc_number")),
		Title: strings.TrimSpace(r.PostFormValue("title")), Addressees: strings.TrimSpace(r.PostFormValue("addressees")),
		Body: r.PostFormValue("body"), After: r.PostFormValue("after"), IssuedOn: s.clock.Now()}
	if v := strings.TrimSpace(r.PostFormValue("issued_on")); v != "" {
		t, err := time.ParseInLocation("2006-01-02", v, app.Shanghai)
		if err != nil {
			return app.Invalid("issued_on", "成文日期“%s”无效", v)
		}
		c.IssuedOn = t.UTC()
	}
	res, err := s.db.FindResults(ctx, p.Round.ID, 0)
	if err != nil {
		return err
	}
	if err := circularOf(p, c, res).Validate(); err != nil {
		return err
	}
	if err := s.db.SaveCircular(ctx, p.Round.ID, c); err != nil {
		return err
	}
	return s.redirect(w, r, "/rounds/"+p.Round.ID.String()+"/circular", "通报已保存，可打印或下载 Word 文档")
}

// roundCircularDocx downloads the saved circular as .docx.
func (s *Server) roundCircularDocx(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	c, err := s.db.FindCircular(ctx, p.Round.ID)
	if err != nil {
		return err
	}
	res, err := s.db.FindResults(ctx, p.Round.ID, 0)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", attachment(c.Title+".docx"))
	return circular.WriteDOCX(w, circularOf(p, c, res))
}

type publicResultsData struct {
	Round   *assess.Round
	Results []assess.SubjectResult
	Text    *store.CircularText
}

// publicResults lists a published round's grades for the public.
func (s *Server) publicResults(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	rd, err := s.db.FindRoundByID(ctx, id)
	if err != nil || rd.Status != assess.RoundPublished {
		return app.Errorf(app.ENOTFOUND, "考评结果不存在或尚未发布")
	}
	res, err := s.db.FindResults(ctx, id, 0)
	if err != nil {
		return err
	}
	d := publicResultsData{Round: rd, Results: res}
	if c, err := s.db.FindCircular(ctx, id); err == nil {
		d.Text = c
	}
	return s.render(w, r, http.StatusOK, "results_public", s.newView(r, rd.Title+"结果", d))
}
