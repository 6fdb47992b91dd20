package web

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/xlsx"
)

// publicStage returns the round's public-rating stage named by the form
// or query field "stage".
func publicStage(r *http.Request, rd *assess.Round) (*assess.RoundStage, error) {
	v := r.URL.Query().Get("stage")
	if r.Method == http.MethodPost {
		v = r.PostFormValue("stage")
	}
	id, err := app.ParseID("stage", v)
	if err != nil {
		return nil, err
	}
	st := rd.Stage(id)
	if st == nil || st.Kind != assess.StagePublic {
		return nil, app.Invalid("stage", "这个环节不是社会评议")
	}
	return st, nil
}

// publicBase is the address the QR codes and links point at.
func (s *Server) publicBase(r *http.Request) string {
	scheme := "http"
	if s.opts.SecureCookies || r.TLS != nil {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: r.Host}).String()
}

// roundTokens issues invitation links for a token-mode public stage and
// downloads them as .xlsx, the only time the tokens exist in the clear.
func (s *Server) roundTokens(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	st, err := publicStage(r, p.Round)
	if err != nil {
		return err
	}
	if st.Public.Mode != assess.VoteByToken {
		return app.Invalid("stage", "这个社会评议用手机验证投票，不需要邀请码")
	}
	n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("count")))
	if err != nil || n < 1 || n > 5000 {
		return app.Invalid("count", "一次可发放 1 到 5000 个邀请链接")
	}
	label := strings.TrimSpace(r.PostFormValue("label"))
	tokens := make([]string, n)
	hashes := make([]string, n)
	labels := make([]string, n)
	for i := range tokens {
		tokens[i] = strings.ToLower(rand.Text())
		hashes[i] = TokenHash(s.opts.Crypto, tokens[i])
		labels[i] = label
	}
	if err := s.db.IssueTokens(r.Context(), st.ID, hashes, labels); err != nil {
		return err
	}
	xw, err := xlsx.NewWriter(app.Shanghai)
	if err != nil {
		return err
	}
	defer xw.Close()
	if err := xw.AddSheet("邀请链接", []string{"序号", "样本", "评议链接"}); err != nil {
		return err
	}
	base := s.publicBase(r) + stagePublicPath(st) + "?t="
	for i, t := range tokens {
		if err := xw.WriteRow(i+1, label, base+t); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", attachment(fmt.Sprintf("%s-社会评议邀请链接-%d个.xlsx", p.Round.Title, n)))
	return xw.Finish(w)
}

type votesData struct {
	*roundPage
	Stage   *assess.RoundStage
	Subject assess.Subject
	Votes   []assess.Vote
	Alarm   assess.Alarm
	Marked  map[app.ID]bool
}

// roundVotes lists one subject's public votes with the suspicious ones
// marked, for the office to exclude or count again.
func (s *Server) roundVotes(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	st, err := publicStage(r, p.Round)
	if err != nil {
		return err
	}
	subjectID, err := app.ParseID("subject", r.URL.Query().Get("subject"))
	if err != nil {
		return err
	}
	sub, ok := p.Round.Subject(subjectID)
	if !ok {
		return app.Errorf(app.ENOTFOUND, "该对象不在本次考评中")
	}
	votes, err := s.db.FindVotes(r.Context(), st.ID, sub.OrgID)
	if err != nil {
		return err
	}
	d := votesData{roundPage: p, Stage: st, Subject: sub, Votes: votes, Alarm: assess.VoteAlarm(st.Public, votes), Marked: map[app.ID]bool{}}
	for _, id := range d.Alarm.Suspicious {
		d.Marked[id] = true
	}
	v := s.newView(r, sub.Name+" · 社会评议投票", d)
	v.Active = "rounds"
	return s.render(w, r, http.StatusOK, "votes", v)
}

// roundVotesExclude excludes the chosen votes (or all suspicious ones) or
// counts them again.
func (s *Server) roundVotesExclude(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	st, err := publicStage(r, p.Round)
	if err != nil {
		return err
	}
	subjectID, err := app.ParseID("subject", r.PostFormValue("subject"))
	if err != nil {
		return err
	}
	ids, err := idList(r, "votes")
	if err != nil {
		return err
	}
	votes, err := s.db.FindVotes(ctx, st.ID, subjectID)
	if err != nil {
		return err
	}
	if r.PostFormValue("suspicious") == "1" {
		ids = assess.VoteAlarm(st.Public, votes).Suspicious
	}
	known := map[app.ID]bool{}
	for _, v := range votes {
		known[v.ID] = true
	}
	for _, id := range ids {
		if !known[id] {
			return app.Invalid("votes", "所选投票不属于这个对象")
		}
	}
	exclude := r.PostFormValue("include") != "1"
	if err := s.db.ExcludeVotes(ctx, st.ID, ids, exclude); err != nil {
		return err
	}
	msg := fmt.Sprintf("已将 %d 票排除出计票", len(ids))
	if !exclude {
		msg = fmt.Sprintf("已将 %d 票重新计入", len(ids))
	}
	back := fmt.Sprintf("/rounds/%s/votes?stage=%s&subject=%s", p.Round.ID, st.ID, subjectID)
	return s.redirect(w, r, back, msg)
}
