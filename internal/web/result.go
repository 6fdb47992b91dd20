package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/authz"
	"pufa/internal/notice"
	"pufa/internal/plan"
	"pufa/internal/xlsx"
)

// results returns a round's published results, or, before publishing,
// the results as the sheets now stand (a preview for the office).
func (s *Server) results(ctx context.Context, p *roundPage) ([]assess.SubjectResult, bool, error) {
	if p.Round.Revision > 0 {
		res, err := s.db.FindResults(ctx, p.Round.ID, 0)
		return res, true, err
	}
	res, err := assess.ComputeResults(ctx, s.db, p.Scheme.Scheme, p.Round, nil)
	return res, false, err
}

// approvedCorrections returns the corrections in force: the latest
// approved one per subject.
func (s *Server) approvedCorrections(ctx context.Context, roundID app.ID) ([]assess.Correction, []*assess.StoredCorrection, error) {
	all, err := s.db.FindCorrections(ctx, roundID)
	if err != nil {
		return nil, nil, err
	}
	seen := map[app.ID]bool{}
	var out []assess.Correction
	for _, c := range all { // newest first
		if c.Status == assess.CorrectionApproved && !seen[c.SubjectID] {
			seen[c.SubjectID] = true
			out = append(out, assess.Correction{SubjectID: c.SubjectID, Total: c.Total, Reason: c.Reason})
		}
	}
	return out, all, nil
}

type resultsData struct {
	*roundPage
	Results     []assess.SubjectResult
	Published   bool
	Revisions   []assess.Revision
	Corrections []*assess.StoredCorrection
	Names       map[app.ID]string
	Users       map[app.ID]string
	Actor       app.ID
}

func (s *Server) roundResults(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	res, published, err := s.results(ctx, p)
	if err != nil {
		return err
	}
	d := resultsData{roundPage: p, Results: res, Published: published, Names: map[app.ID]string{}, Users: map[app.ID]string{}, Actor: app.ActorFrom(ctx).UserID}
	for _, sub := range p.Round.Subjects {
		d.Names[sub.OrgID] = sub.Name
	}
	if published {
		if d.Revisions, err = s.db.FindRevisions(ctx, p.Round.ID); err != nil {
			return err
		}
		if _, d.Corrections, err = s.approvedCorrections(ctx, p.Round.ID); err != nil {
			return err
		}
		user := s.userLookup(ctx)
		for _, c := range d.Corrections {
			for _, id := range []app.ID{c.EnteredBy, c.DecidedBy} {
				if id != 0 {
					d.Users[id] = user(id).Name
				}
			}
		}
	}
	v := s.newView(r, p.Round.Title+" · 结果", d)
	v.Active = "rounds"
	return s.render(w, r, http.StatusOK, "results", v)
}

// roundPublish publishes the locked round's results and tells each
// subject's liaisons.
func (s *Server) roundPublish(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	if p.Round.Status != assess.RoundLocked {
		return app.Errorf(app.ECONFLICT, "请先锁定评分，核对结果后再发布")
	}
	res, err := assess.ComputeResults(ctx, s.db, p.Scheme.Scheme, p.Round, nil)
	if err != nil {
		return err
	}
	a := app.ActorFrom(ctx)
	if err := s.db.PublishResults(ctx, p.Round.ID, res, assess.Revision{EnteredBy: a.UserID, ApprovedBy: a.UserID}, nil); err != nil {
		return err
	}
	s.notifySubjects(ctx, p.Round, "考评结果已发布："+p.Round.Title)
	return s.redirect(w, r, "/rounds/"+p.Round.ID.String()+"/results", "结果已发布，各被考评单位可查看本单位的结果")
}

// notifySubjects sends a notice to the liaisons of every subject. A
// failed notice is logged, not fatal: the result is already published.
func (s *Server) notifySubjects(ctx context.Context, rd *assess.Round, title string) {
	var ids []app.ID
	for _, sub := range rd.Subjects {
		ls, err := s.liaisonsOf(ctx, sub.OrgID)
		if err != nil {
			s.log.Warn("notify subjects", "err", err.Error())
			return
		}
		for _, l := range ls {
			ids = append(ids, l.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	n := notice.Notice{Kind: "result", Title: title, Body: "请查看本单位的考评结果。", Link: "/results/" + rd.ID.String()}
	if err := s.db.CreateNotices(ctx, ids, n); err != nil {
		s.log.Warn("notify subjects", "err", err.Error())
	}
}

// resultRow is one indicator's line in a subject's detail: its mean per
// stage.
type resultRow struct {
	Ind   *assess.Indicator
	Depth int
	Means []string
}

// raterSheet is one rater's sheet as the office sees it.
type raterSheet struct {
	Sheet *assess.StoredSheet
	Rater string
	Stage string
}

type subjectData struct {
	*roundPage
	Result    assess.SubjectResult
	Published bool
	Stages    []assess.StageSummary
	Rows      []resultRow
	Sheets    []raterSheet
	Office    bool
	Site      []assess.SiteCheck
	Photos    []plan.File
}

// subjectDetail builds one subject's detail: every indicator, every stage
// and, for the office only, every rater.
func (s *Server) subjectDetail(ctx context.Context, p *roundPage, subjectID app.ID, office bool) (*subjectData, error) {
	if _, ok := p.Round.Subject(subjectID); !ok {
		return nil, app.Errorf(app.ENOTFOUND, "该对象不在本次考评中")
	}
	res, published, err := s.results(ctx, p)
	if err != nil {
		return nil, err
	}
	d := &subjectData{roundPage: p, Published: published, Office: office}
	for _, x := range res {
		if x.SubjectID == subjectID {
			d.Result = x
		}
	}
	for _, st := range d.Result.Stages {
		if st.PerIndicator != nil {
			d.Stages = append(d.Stages, st)
		}
	}
	i := 0
	p.Scheme.Scheme.Walk(func(ind, _ *assess.Indicator, depth int) {
		row := resultRow{Ind: ind, Depth: depth}
		for _, st := range d.Stages {
			if slicesContains(st.Unscored, ind.Code) || i >= len(st.PerIndicator) {
				row.Means = append(row.Means, "—")
			} else {
				row.Means = append(row.Means, strconv.FormatFloat(math.Round(st.PerIndicator[i]*100)/100, 'f', -1, 64))
			}
		}
		d.Rows = append(d.Rows, row)
		i++
	})
	if office {
		if d.Site, err = s.db.FindSiteChecks(ctx, p.Round.ID, subjectID); err != nil {
			return nil, err
		}
		if d.Photos, err = s.db.FindSitePhotos(ctx, p.Round.ID, subjectID); err != nil {
			return nil, err
		}
		sheets, err := s.db.FindSubjectSheets(ctx, p.Round.ID, subjectID)
		if err != nil {
			return nil, err
		}
		user := s.userLookup(ctx)
		for _, sh := range sheets {
			name := user(sh.RaterID).Name
			stage := ""
			if st := p.Round.Stage(sh.StageID); st != nil {
				stage = st.Kind.Label()
			}
			d.Sheets = append(d.Sheets, raterSheet{Sheet: sh, Rater: name, Stage: stage})
		}
	}
	return d, nil
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *Server) roundSubject(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	subjectID, err := app.ParseID("subject", r.PathValue("subject"))
	if err != nil {
		return err
	}
	d, err := s.subjectDetail(r.Context(), p, subjectID, true)
	if err != nil {
		return err
	}
	v := s.newView(r, d.Result.Name+" · "+p.Round.Title, d)
	v.Active = "rounds"
	return s.render(w, r, http.StatusOK, "result", v)
}

// myResultTarget is the actor's own org in round {id}, released once the
// office has published; a unit that is not a subject gets nothing.
func myResultTarget(s *Server, r *http.Request) (authz.Target, error) {
	a := app.ActorFrom(r.Context())
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return authz.Target{}, err
	}
	rd, err := s.db.FindRoundByID(r.Context(), id)
	if err != nil {
		return authz.Target{}, err
	}
	if a == nil {
		return authz.Target{}, nil
	}
	sub, ok := rd.Subject(a.OrgID)
	if !ok {
		return authz.Target{}, nil
	}
	return authz.Target{OrgPath: sub.Path, Released: rd.Status == assess.RoundPublished}, nil
}

type myResultsData struct {
	Rounds []*assess.Round
}

func (s *Server) myResults(w http.ResponseWriter, r *http.Request) error {
	a := app.ActorFrom(r.Context())
	rounds, err := s.db.FindRoundsOfSubject(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	v := s.newView(r, "本单位考评结果", myResultsData{Rounds: rounds})
	v.Active = "results"
	return s.render(w, r, http.StatusOK, "my_results", v)
}

func (s *Server) myResult(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	d, err := s.subjectDetail(r.Context(), p, app.ActorFrom(r.Context()).OrgID, false)
	if err != nil {
		return err
	}
	v := s.newView(r, p.Round.Title, d)
	v.Active = "results"
	return s.render(w, r, http.StatusOK, "result", v)
}

// sheetTargetByID targets the region running the round of sheet {id}.
func sheetTargetByID(s *Server, r *http.Request) (authz.Target, error) {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return authz.Target{}, err
	}
	sh, err := s.db.FindSheetByID(r.Context(), id)
	if err != nil {
		return authz.Target{}, err
	}
	r2 := r.Clone(r.Context())
	r2.SetPathValue("id", sh.RoundID.String())
	return roundTarget(s, r2)
}

// sheetReturn sends a submitted sheet back to its rater.
func (s *Server) sheetReturn(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	sh, err := s.db.FindSheetByID(ctx, id)
	if err != nil {
		return err
	}
	reason := r.PostFormValue("reason")
	if err := s.db.ReturnSheet(ctx, id, reason); err != nil {
		return err
	}
	n := notice.Notice{Kind: "returned", Title: "评分表被退回，请修改后重新提交", Body: strings.TrimSpace(reason),
		Link: fmt.Sprintf("/rounds/%s/sheets/%s/%s", sh.RoundID, sh.StageID, sh.SubjectID)}
	if err := s.db.CreateNotices(ctx, []app.ID{sh.RaterID}, n); err != nil {
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("/rounds/%s/subjects/%s", sh.RoundID, sh.SubjectID), "评分表已退回，评分人会收到通知")
}

// correctionCreate proposes a correction of a published total; another
// person approves it.
func (s *Server) correctionCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	subjectID, err := app.ParseID("subject", r.PostFormValue("subject"))
	if err != nil {
		return err
	}
	total, err := parsePoints("total", "更正后的总分", r.PostFormValue("total"))
	if err != nil {
		return err
	}
	if strings.TrimSpace(r.PostFormValue("total")) == "" {
		return app.Invalid("total", "请填写更正后的总分")
	}
	c := &assess.StoredCorrection{RoundID: p.Round.ID, SubjectID: subjectID, Total: total, Reason: r.PostFormValue("reason")}
	if err := s.db.ProposeCorrection(r.Context(), c); err != nil {
		return err
	}
	return s.redirect(w, r, "/rounds/"+p.Round.ID.String()+"/results", "更正已提交，须由另一位普法办人员审核后生效")
}

func (s *Server) findCorrection(ctx context.Context, roundID, id app.ID) (*assess.StoredCorrection, error) {
	all, err := s.db.FindCorrections(ctx, roundID)
	if err != nil {
		return nil, err
	}
	for _, c := range all {
		if c.ID == id {
			return c, nil
		}
	}
	return nil, app.Errorf(app.ENOTFOUND, "更正不存在")
}

// correctionDecide approves (publishing a new revision) or rejects a
// pending correction.
func (s *Server) correctionDecide(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	cid, err := app.ParseID("correction", r.PathValue("cid"))
	if err != nil {
		return err
	}
	c, err := s.findCorrection(ctx, p.Round.ID, cid)
	if err != nil {
		return err
	}
	back := "/rounds/" + p.Round.ID.String() + "/results"
	if r.PostFormValue("decision") == "reject" {
		if err := s.db.RejectCorrection(ctx, cid); err != nil {
			return err
		}
		return s.redirect(w, r, back, "已驳回更正")
	}
	a := app.ActorFrom(ctx)
	if c.EnteredBy == a.UserID {
		return app.Errorf(app.EFORBIDDEN, "更正的录入人和审核人不能是同一人，请由另一位普法办人员审核")
	}
	inForce, _, err := s.approvedCorrections(ctx, p.Round.ID)
	if err != nil {
		return err
	}
	all := []assess.Correction{}
	for _, x := range inForce {
		if x.SubjectID != c.SubjectID {
			all = append(all, x)
		}
	}
	all = append(all, assess.Correction{SubjectID: c.SubjectID, Total: c.Total, Reason: c.Reason})
	res, err := assess.ComputeResults(ctx, s.db, p.Scheme.Scheme, p.Round, all)
	if err != nil {
		return err
	}
	if err := s.db.PublishResults(ctx, p.Round.ID, res, assess.Revision{Reason: c.Reason, EnteredBy: c.EnteredBy, ApprovedBy: a.UserID}, []app.ID{c.ID}); err != nil {
		return err
	}
	s.notifySubjects(ctx, p.Round, "考评结果已更正："+p.Round.Title)
	return s.redirect(w, r, back, fmt.Sprintf("更正已生效，结果更新为第 %d 版", p.Round.Revision+1))
}

// roundExport writes the results and every score sheet to .xlsx.
func (s *Server) roundExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.loadRound(r)
	if err != nil {
		return err
	}
	res, published, err := s.results(ctx, p)
	if err != nil {
		return err
	}
	xw, err := xlsx.NewWriter(app.Shanghai)
	if err != nil {
		return err
	}
	defer xw.Close()
	head := []string{"排名", "被考评对象", "总分", "等次"}
	for _, st := range p.Round.Stages {
		head = append(head, fmt.Sprintf("%s（权重 %s）", st.Kind.Label(), strconv.FormatFloat(st.Weight, 'f', -1, 64)))
	}
	head = append(head, "是否完整", "一票否决", "说明")
	title := "结果"
	if !published {
		title = "结果（预览，未发布）"
	}
	if err := xw.AddSheet(title, head); err != nil {
		return err
	}
	for _, x := range res {
		row := []any{rankCell(x.Rank), x.Name, x.Total, x.Grade}
		for _, st := range x.Stages {
			if st.TooFew {
				row = append(row, "提交不足")
			} else {
				row = append(row, st.Total)
			}
		}
		row = append(row, map[bool]string{true: "是", false: "否"}[x.Complete], strings.Join(x.Vetoed, "、"), strings.Join(x.Explanation, "\n"))
		if err := xw.WriteRow(row...); err != nil {
			return err
		}
	}
	codes := p.Scheme.Scheme.Codes()
	sheetHead := []string{"被考评对象", "环节", "评分人", "状态", "总分", "提交时间", "意见"}
	sheetHead = append(sheetHead, codes...)
	if err := xw.AddSheet("评分表", sheetHead); err != nil {
		return err
	}
	names := map[app.ID]string{}
	for _, sub := range p.Round.Subjects {
		names[sub.OrgID] = sub.Name
	}
	user := s.userLookup(ctx)
	err = s.db.RoundSheets(ctx, p.Round.ID, func(sh *assess.StoredSheet) error {
		name := user(sh.RaterID).Name
		stage := ""
		if st := p.Round.Stage(sh.StageID); st != nil {
			stage = st.Kind.Label()
		}
		row := []any{names[sh.SubjectID], stage, name, sh.Status.Label()}
		if sh.Result != nil {
			row = append(row, sh.Result.Total, sh.SubmittedAt, sh.Note)
			for _, c := range codes {
				if v, ok := sh.Result.Scores[c]; ok {
					row = append(row, v)
				} else {
					row = append(row, "")
				}
			}
		} else {
			row = append(row, "", "", sh.Note)
		}
		return xw.WriteRow(row...)
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", attachment(p.Round.Title+"-结果.xlsx"))
	return xw.Finish(w)
}

func rankCell(rank int) any {
	if rank == 0 {
		return ""
	}
	return rank
}
