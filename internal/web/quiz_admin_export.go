package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/quiz"
	"pufa/internal/xlsx"
)

// What the office takes away from a quiz: the invitation links of an
// invited quiz as a spreadsheet to mail-merge, the poster with the QR code
// of an open quiz to print and put up, and the figures as a spreadsheet.

// maxTokensPerIssue bounds the invitation links one request makes: a
// district's sample is hundreds, and the spreadsheet is built in memory.
const maxTokensPerIssue = 5000

// xlsxType is the content type of an .xlsx download.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// quizTokens issues invitation links for an invited quiz and downloads
// them as .xlsx, one full link a row, for the office to mail-merge or
// print. Each link answers once; the tokens are kept, so a spreadsheet
// lost can be issued again only as new links.
func (s *Server) quizTokens(w http.ResponseWriter, r *http.Request) error {
	q, err := s.managedQuiz(r)
	if err != nil {
		return err
	}
	if q.Mode != quiz.Invited {
		return app.Invalid("mode", "只有定向邀请的测评才能生成邀请链接；公开作答的测评请转发测评链接或张贴二维码")
	}
	n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("count")))
	if err != nil || n < 1 || n > maxTokensPerIssue {
		return app.Invalid("count", "邀请链接的数量应为 1 到 %d 之间的整数", maxTokensPerIssue)
	}
	tokens, err := s.db.IssueQuizTokens(r.Context(), q.ID, n)
	if err != nil {
		return err
	}
	xw, err := xlsx.NewWriter(app.Shanghai)
	if err != nil {
		return err
	}
	defer xw.Close()
	if err := xw.AddSheet("邀请链接", []string{"序号", "邀请链接"}); err != nil {
		return err
	}
	base := s.publicBase(r) + quizPublicPath(q) + "?t="
	for i, t := range tokens {
		if err := xw.WriteRow(i+1, base+url.QueryEscape(t)); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", attachment(fmt.Sprintf("%s-邀请链接-%d个.xlsx", q.Title, n)))
	return xw.Finish(w)
}

type quizPosterData struct {
	Quiz           *quiz.Stored
	Link, FullLink string
	Issuer         string
	Minutes        int
	// Closes says when it ends, as people write a date: "2026年5月31日 18:00".
	Closes string
}

// quizPoster is the A4 poster of an open quiz: the title, the QR code of
// its link, the link itself to type, and one line of instructions, large
// and plain, for the notice boards of villages and service halls.
func (s *Server) quizPoster(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q, err := s.managedQuiz(r)
	if err != nil {
		return err
	}
	if q.Mode != quiz.Open {
		return app.Errorf(app.ECONFLICT, "定向邀请的测评只能通过邀请链接作答，不能张贴公开的二维码；请在测评结果页生成邀请链接")
	}
	o, err := s.db.FindOrgByID(ctx, q.OrgID)
	if err != nil {
		return err
	}
	d := quizPosterData{Quiz: q, Link: quizPublicPath(q), Issuer: o.Name + "普法办", Minutes: quizMinutes(q)}
	d.FullLink = s.publicBase(r) + d.Link
	if !q.ClosesAt.IsZero() {
		d.Closes = q.ClosesAt.In(app.Shanghai).Format("2006年1月2日 15:04")
	}
	v := s.newView(r, q.Title+" · 二维码海报", d)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "quiz_poster", v)
}

// quizExport writes a quiz's figures as the results page shows them to
// .xlsx: per profile group, the answers counted and, for the total and
// each dimension, the mean beside its own n; a withheld figure reads
// 不公布 with the reason, as on the page (the same Tally, the same
// suppression).
func (s *Server) quizExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q, err := s.managedQuiz(r)
	if err != nil {
		return err
	}
	d, err := s.quizFigures(ctx, q)
	if err != nil {
		return err
	}
	xw, err := xlsx.NewWriter(app.Shanghai)
	if err != nil {
		return err
	}
	defer xw.Close()
	head := []string{"分组问题", "分组", "答卷数 n", "总分均值", "达标人数", "达标率"}
	for _, dim := range d.Dimensions {
		head = append(head, dim.Name+"均值", dim.Name+" n")
	}
	if err := xw.AddSheet("测评结果", head); err != nil {
		return err
	}
	mean := func(f quizFigure) any {
		if f.Withheld() {
			return withheldCell(f)
		}
		return xlsx.Number{Value: f.Raw.Mean.Float(), Format: xlsx.Hundredths}
	}
	line := func(question string, row quizFigRow) []any {
		cells := []any{question, row.Label, row.Total.N, mean(row.Total)}
		if row.Total.Withheld() {
			cells = append(cells, withheldCell(row.Total), withheldCell(row.Total))
		} else {
			// Share is a percentage in hundredths; the cell holds the fraction.
			cells = append(cells, row.Total.Reached, xlsx.Number{Value: row.Total.Raw.Share.Float() / 100, Format: "0.00%"})
		}
		for _, f := range row.Dims {
			cells = append(cells, mean(f), f.N)
		}
		return cells
	}
	if err := xw.WriteRow(line("全部", d.Overall)...); err != nil {
		return err
	}
	for _, b := range d.Breakdowns {
		for _, row := range b.Rows {
			if err := xw.WriteRow(line(b.Label, row)...); err != nil {
				return err
			}
		}
	}

	if err := xw.AddSheet("说明", []string{"项目", "内容"}); err != nil {
		return err
	}
	notes := [][2]any{
		{"测评", q.Title},
		{"作答方式", q.Mode.Label()},
		{"作答时间", quizWindow(q)},
		{"收到答卷", d.All},
		{"排除答卷", d.Excluded},
		{"计入统计的答卷", d.Counted},
		{"达标", fmt.Sprintf("总分或维度得分在 %s 分及以上为“%s”", d.Threshold, d.ThresholdLabel)},
		{"不公布", fmt.Sprintf("样本不足：该组答卷少于 %d 份，公布均值可能推知个人作答；防推算：同一问题下只有一个组样本不足时，另一个最小的组也不公布，以免用总体结果倒推出小组的结果", d.MinGroup)},
		{"计分", "每个维度按该维度题目的得分折算为百分制；总分按各维度权重加权"},
		{"导出时间", s.clock.Now()},
	}
	for _, n := range notes {
		if err := xw.WriteRow(n[0], n[1]); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", attachment(q.Title+"-测评结果.xlsx"))
	return xw.Finish(w)
}

// withheldCell says why a figure is not published, as the page does.
func withheldCell(f quizFigure) string {
	if f.N == 0 {
		return "无答卷"
	}
	return "不公布（" + f.Why + "）"
}
