package assess

import (
	"context"
	"fmt"
	"time"

	"pufa/internal/app"
)

// RoundStatus is where a round is in its life.
type RoundStatus string

// Round statuses, in order. A round is set up as a draft (scheme, subjects,
// stages, raters), opened for scoring, locked when scoring ends (sheets can
// no longer change; the office reviews the computed results), and
// published. A published result never changes; a correction is a new
// revision.
const (
	RoundDraft     RoundStatus = "draft"
	RoundOpen      RoundStatus = "open"
	RoundLocked    RoundStatus = "locked"
	RoundPublished RoundStatus = "published"
)

// Label is the status in Chinese.
func (s RoundStatus) Label() string {
	switch s {
	case RoundDraft:
		return "筹备中"
	case RoundOpen:
		return "评分中"
	case RoundLocked:
		return "已锁定"
	case RoundPublished:
		return "已发布"
	}
	return string(s)
}

// Grading is how a round turns totals into grades and ranks.
type Grading struct {
	Grader
	// Quota, when its Share is above zero, limits the best grade.
	Quota Quota
	// Ranked says whether the round publishes ranks; rounds rank only
	// where they say so (the 2023/2024 rules against formalism forbid
	// ranking by default).
	Ranked bool
}

// Validate checks the bands and the quota.
func (g Grading) Validate() error {
	if err := g.Grader.Validate(); err != nil {
		return err
	}
	if !finite(g.Quota.Share) || g.Quota.Share < 0 || g.Quota.Share > 1 {
		return app.Invalid("quota", "优秀名额比例应在 0 到 100%% 之间")
	}
	return nil
}

// Round is one run of a published scheme version over subjects and raters
// (考评轮次).
type Round struct {
	ID       app.ID
	OrgID    app.ID // the region whose office runs it
	SchemeID app.ID // a published scheme version
	Title    string
	Period   string // 2023年度
	Status   RoundStatus
	Grading  Grading
	// Revision is the published results' revision: 0 before publishing,
	// 1 when first published, +1 per approved correction.
	Revision    int
	CreatedBy   app.ID
	CreatedAt   time.Time
	PublishedAt time.Time
	Stages      []*RoundStage
	Subjects    []Subject
	// Timeline is the round's phases with their dates, shown to everyone
	// taking part.
	Timeline []Phase
}

// Phase is one step of a round's timeline.
type Phase struct {
	Name string    `json:"name"`
	Date time.Time `json:"date"`
}

// DefaultPhases are the steps of a duty review as practised since 2017.
var DefaultPhases = []string{"部署", "自查自评", "实地考察", "社会评议", "履职报告会", "现场评议"}

// Current returns the index of the phase under way at t: the last one
// whose date has come; -1 before the first.
func Current(phases []Phase, t time.Time) int {
	cur := -1
	for i, p := range phases {
		if !p.Date.IsZero() && !t.Before(p.Date) {
			cur = i
		}
	}
	return cur
}

// Stage returns the round's stage by id, or nil.
func (r *Round) Stage(id app.ID) *RoundStage {
	for _, st := range r.Stages {
		if st.ID == id {
			return st
		}
	}
	return nil
}

// Subject returns the round's subject by org id.
func (r *Round) Subject(id app.ID) (Subject, bool) {
	for _, s := range r.Subjects {
		if s.OrgID == id {
			return s, true
		}
	}
	return Subject{}, false
}

// Subject is what a round scores (被考评对象): a unit, a village or a
// region, all of them nodes of the org tree.
type Subject struct {
	OrgID app.ID
	Name  string
	Path  string
}

// RoundStage is a stage of a round: how it counts (Stage), when it runs,
// and for a public stage how votes are taken.
type RoundStage struct {
	ID app.ID
	Stage
	OpensAt, ClosesAt time.Time
	Public            PublicSettings
}

// OpenAt reports whether the stage takes submissions at t: the round is
// open and t is within the stage's dates (an unset date does not limit).
func (st *RoundStage) OpenAt(r *Round, t time.Time) bool {
	if r.Status != RoundOpen {
		return false
	}
	if !st.OpensAt.IsZero() && t.Before(st.OpensAt) {
		return false
	}
	if !st.ClosesAt.IsZero() && !t.Before(st.ClosesAt) {
		return false
	}
	return true
}

// VoteMode is how a public-rating stage makes sure each person votes once
// per subject.
type VoteMode string

// Vote modes.
const (
	// VoteByToken: the office issues one invitation link per participant
	// (a sample of residents, service users); the token is the person.
	VoteByToken VoteMode = "token"
	// VoteByPhone: anyone with the stage's QR code may vote once per
	// verified phone number; a code is sent by the platform's sender.
	VoteByPhone VoteMode = "phone"
)

// PublicSettings are a public-rating stage's rules.
type PublicSettings struct {
	// Key is the unguessable part of the stage's public address
	// (/p/rate/{key}), printed as a QR code.
	Key  string
	Mode VoteMode
	// Population is the most votes a subject can plausibly get (its
	// residents, its service users); more raise an alarm. Zero: no limit.
	Population int
	// BurstVotes votes for one subject within BurstSeconds raise an alarm
	// and mark the votes of that window suspicious. Zero: 20 in 60 s.
	BurstVotes   int
	BurstSeconds int
}

// Burst returns the burst rule in force.
func (p PublicSettings) Burst() (votes int, window time.Duration) {
	votes, secs := p.BurstVotes, p.BurstSeconds
	if votes <= 0 {
		votes = 20
	}
	if secs <= 0 {
		secs = 60
	}
	return votes, time.Duration(secs) * time.Second
}

// Assignment puts a rater on a subject in a stage. A rater sees and scores
// only the subjects assigned to them.
type Assignment struct {
	StageID   app.ID
	RaterID   app.ID
	SubjectID app.ID
}

// SheetStatus is where a score sheet is.
type SheetStatus string

// Sheet statuses. A rater saves drafts and submits; the office may return
// a submitted sheet (with a reason) while the round is open.
const (
	SheetDraft     SheetStatus = "draft"
	SheetSubmitted SheetStatus = "submitted"
	SheetReturned  SheetStatus = "returned"
)

// Label is the status in Chinese.
func (s SheetStatus) Label() string {
	switch s {
	case SheetDraft:
		return "草稿"
	case SheetSubmitted:
		return "已提交"
	case SheetReturned:
		return "已退回"
	}
	return "未开始"
}

// StoredSheet is one rater's score sheet for one subject in one stage.
type StoredSheet struct {
	ID        app.ID
	RoundID   app.ID
	StageID   app.ID
	SubjectID app.ID
	RaterID   app.ID
	Status    SheetStatus
	Sheet     Sheet
	// Notes holds the rater's note per indicator code (扣分理由, 佐证说明);
	// Note is the sheet's overall comment.
	Notes map[string]string
	Note  string
	// Result is the scored sheet; set once submitted.
	Result      *Result
	ReturnNote  string
	UpdatedAt   time.Time
	SubmittedAt time.Time
}

// Progress is one rater's or one subject's count of sheets.
type Progress struct {
	Assigned, Drafts, Submitted int
}

// Left is how many assigned sheets are not yet submitted.
func (p Progress) Left() int { return p.Assigned - p.Submitted }

// StageSummary is one stage's figures in a published result: what a
// subject may see, without rater identities.
type StageSummary struct {
	StageID     app.ID    `json:"stage_id,string"`
	Kind        StageKind `json:"kind"`
	Name        string    `json:"name"`
	Weight      float64   `json:"weight"`
	Total       float64   `json:"total"`
	Raters      int       `json:"raters"`
	TooFew      bool      `json:"too_few,omitempty"`
	Trimmed     bool      `json:"trimmed,omitempty"`
	Vetoed      []string  `json:"vetoed,omitempty"`
	Explanation []string  `json:"explanation"`
	// PerIndicator is each indicator's plain mean, in the scheme's tree
	// order (Scheme.Codes); NaN-free: an indicator nobody scored is 0 and
	// listed in Unscored.
	PerIndicator []float64 `json:"per_indicator,omitempty"`
	Unscored     []string  `json:"unscored,omitempty"`
}

// SubjectResult is a subject's result in a round.
type SubjectResult struct {
	SubjectID   app.ID         `json:"subject_id,string"`
	Name        string         `json:"name"`
	Total       float64        `json:"total"`
	Grade       string         `json:"grade"`
	Rank        int            `json:"rank,omitempty"`
	Complete    bool           `json:"complete"`
	Missing     []StageKind    `json:"missing,omitempty"`
	Vetoed      []string       `json:"vetoed,omitempty"`
	VetoFailed  bool           `json:"veto_failed,omitempty"`
	Stages      []StageSummary `json:"stages"`
	Explanation []string       `json:"explanation"`
	// Corrected is set when an approved correction replaced the computed
	// total; Computed keeps what the sheets gave.
	Corrected  bool    `json:"corrected,omitempty"`
	Computed   float64 `json:"computed,omitempty"`
	Correction string  `json:"correction,omitempty"`
}

// Codes returns every indicator's code in tree order: the index a stored
// score's indicator is kept under.
func (s *Scheme) Codes() []string {
	var codes []string
	s.Walk(func(ind, _ *Indicator, _ int) { codes = append(codes, ind.Code) })
	return codes
}

// SubjectTallies is what the database holds for one subject, aggregated:
// per stage id, the sheets' tally or the public ratings' counts.
type SubjectTallies struct {
	SubjectID app.ID
	Sheets    map[app.ID]*Tally
	Ratings   map[app.ID]Ratings
}

// Correction replaces a subject's computed total in a revision of the
// published results, with the reason.
type Correction struct {
	SubjectID app.ID
	Total     float64
	Reason    string
}

// SubjectFigures combines one subject's stages into its result, without
// grade and rank (those need every subject: see Finish). Stages come in the
// round's order; a public stage's points are the scheme's full marks, so
// its weight gives its share like any other stage.
func SubjectFigures(s *Scheme, r *Round, sub Subject, t SubjectTallies, codes []string) (SubjectResult, error) {
	out := SubjectResult{SubjectID: sub.OrgID, Name: sub.Name}
	stageResults := make([]StageResult, 0, len(r.Stages))
	for _, st := range r.Stages {
		var sr StageResult
		if st.Kind == StagePublic {
			var err error
			if sr, err = PublicCounts(st.Stage, t.Ratings[st.ID], s.FullMarks); err != nil {
				return SubjectResult{}, err
			}
		} else {
			var tally Tally
			if p := t.Sheets[st.ID]; p != nil {
				tally = *p
			}
			sr = CombineTally(s, st.Stage, tally)
		}
		stageResults = append(stageResults, sr)
		sum := StageSummary{StageID: st.ID, Kind: st.Kind, Name: st.label(), Weight: st.Weight, Total: sr.Total,
			Raters: sr.Raters, TooFew: sr.TooFew, Trimmed: sr.Trimmed, Vetoed: sr.Vetoed, Explanation: sr.Explanation}
		if st.Kind != StagePublic && sr.Raters > 0 {
			sum.PerIndicator = make([]float64, len(codes))
			for i, code := range codes {
				v, ok := sr.PerIndicator[code]
				if !ok {
					sum.Unscored = append(sum.Unscored, code)
				}
				sum.PerIndicator[i] = v
			}
		}
		out.Stages = append(out.Stages, sum)
	}
	rt := RoundTotal(s, stageResults)
	out.Total, out.Complete, out.Missing = rt.Total, rt.Complete, rt.Missing
	out.Vetoed, out.VetoFailed, out.Explanation = rt.Vetoed, rt.VetoFailed, rt.Explanation
	return out, nil
}

// Finish applies corrections, then grades and (when the round ranks) ranks
// every subject's result in place. Grades follow the round's bands, then
// its quota when one is set; a failed veto forces the grade and ranks the
// subject after the others.
func Finish(g Grading, results []SubjectResult, corrections []Correction) error {
	byID := make(map[app.ID]int, len(results))
	for i := range results {
		byID[results[i].SubjectID] = i
	}
	for _, c := range corrections {
		i, ok := byID[c.SubjectID]
		if !ok {
			return app.Invalid("subject", "更正的对象不在本轮考评中")
		}
		res := &results[i]
		if !res.Corrected {
			res.Computed = res.Total
		}
		res.Corrected, res.Total, res.Correction = true, round(c.Total), c.Reason
		res.Explanation = append(res.Explanation, fmt.Sprintf("经更正，总分由 %s 分改为 %s 分。理由：%s", pts(res.Computed), pts(res.Total), c.Reason))
	}
	st := make([]Standing, len(results))
	for i, r := range results {
		st[i] = Standing{Total: r.Total, VetoFailed: r.VetoFailed}
	}
	var grades []string
	if g.Quota.Share > 0 {
		var err error
		if grades, err = g.GradeByQuota(st, g.Quota); err != nil {
			return err
		}
	} else {
		grades = make([]string, len(st))
		for i, s := range st {
			grades[i] = g.GradeByThreshold(s.Total, s.VetoFailed)
		}
	}
	var ranks []int
	if g.Ranked {
		ranks = Rank(st)
	}
	for i := range results {
		results[i].Grade = grades[i]
		if ranks != nil {
			results[i].Rank = ranks[i]
		} else {
			results[i].Rank = 0
		}
	}
	return nil
}

// ComputeResults aggregates a round from the store and returns every
// subject's result, graded and (when the round ranks) ranked, in the
// round's subject order. Approved or proposed corrections to apply are
// passed in; the store's figures are never changed. Memory grows with the
// number of subjects, not of scores: the store streams one subject's sums
// at a time.
func ComputeResults(ctx context.Context, st RoundStore, s *Scheme, r *Round, corrections []Correction) ([]SubjectResult, error) {
	codes := s.Codes()
	subjects := make(map[app.ID]Subject, len(r.Subjects))
	for _, sub := range r.Subjects {
		subjects[sub.OrgID] = sub
	}
	byID := make(map[app.ID]SubjectResult, len(r.Subjects))
	err := st.Aggregate(ctx, r.ID, codes, func(t SubjectTallies) error {
		sub, ok := subjects[t.SubjectID]
		if !ok {
			return nil
		}
		res, err := SubjectFigures(s, r, sub, t, codes)
		if err != nil {
			return err
		}
		byID[t.SubjectID] = res
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]SubjectResult, 0, len(r.Subjects))
	for _, sub := range r.Subjects {
		res, ok := byID[sub.OrgID]
		if !ok {
			return nil, fmt.Errorf("round %s: no figures for subject %s", r.ID, sub.OrgID)
		}
		out = append(out, res)
	}
	if err := Finish(r.Grading, out, corrections); err != nil {
		return nil, err
	}
	return out, nil
}

// ReviewerKinds are who sits on a review panel (评议团).
var ReviewerKinds = []string{"人大代表", "政协委员", "法学专家", "律师", "媒体代表", "基层代表", "其他"}

// Reviewer is a panel member's place on the roster.
type Reviewer struct {
	UserID      app.ID
	Kind        string
	Affiliation string
}

// SiteItems are what a site visit (实地考察) checks at each subject.
var SiteItems = []string{"座谈", "查阅台账", "窗口暗访", "执法现场"}

// SiteCheck is one checklist line of a site visit.
type SiteCheck struct {
	Item      string
	Done      bool
	Note      string
	CheckedBy app.ID
	CheckedAt time.Time
}
