package exam

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"pufa/internal/account"
	"pufa/internal/app"
)

// Exam is one sitting of the law exam: who sits, when, for how long, how
// the paper is drawn, how it is marked, and what an examinee sees after.
type Exam struct {
	ID app.ID
	// OrgID is the office that runs the exam; its bank supplies the
	// questions and its subtree the examinees.
	OrgID   app.ID
	OrgPath string
	Title   string
	Year    int
	Window  Window
	// MaxAttempts bounds the attempts per person; 0 is unlimited.
	MaxAttempts int
	Counts      BestRule
	Grading     Grading
	Review      Review
	// Rules draw the paper; SeniorRules, when set, draw it for 领导干部
	// (account.RankSenior) instead: the harder paper.
	Rules       Rules
	SeniorRules *Rules
	// Fixed, when set, is the paper itself (a 固定试卷): every examinee
	// gets these questions in this order, options shuffled as Rules say.
	Fixed []Item
	// OnePaper gives every examinee the same draw (seeded by the exam);
	// otherwise each attempt has its own (卷卷不同).
	OnePaper bool
	Sitters  Sitters
	// MakeUpOf names the exam this one is the make-up of (补考): only
	// those who sat it and failed, or did not sit it, may take this one.
	MakeUpOf app.ID
	// Slots narrow the window for the units under them, to spread the
	// load (分时段考试); a unit under no slot uses the whole window.
	Slots     []Slot
	CreatedBy app.ID
	CreatedAt time.Time
}

// Review says when a submitted attempt shows the keys and analysis.
type Review string

// Review rules.
const (
	ReviewNever       Review = "never"
	ReviewAfterSubmit Review = "after_submit"
	ReviewAfterClose  Review = "after_close" // the default
)

// Label names the rule in Chinese.
func (r Review) Label() string {
	switch r {
	case ReviewNever:
		return "不公布答案"
	case ReviewAfterSubmit:
		return "交卷后即可查看答案"
	}
	return "考试结束后查看答案"
}

// Sitters say who sits: everyone in the subtree of OrgPath, narrowed to
// those holding any of Roles and any of Ranks when those are set.
type Sitters struct {
	OrgPath string
	Roles   []string
	Ranks   []account.Rank
}

// Includes reports whether a person in orgPath with roles and rank sits.
func (s Sitters) Includes(orgPath string, roles []string, rank account.Rank) bool {
	if !strings.HasPrefix(orgPath, s.OrgPath) {
		return false
	}
	if len(s.Roles) > 0 && !slices.ContainsFunc(roles, func(r string) bool { return slices.Contains(s.Roles, r) }) {
		return false
	}
	if rank == "" {
		rank = account.RankStaff
	}
	return len(s.Ranks) == 0 || slices.Contains(s.Ranks, rank)
}

// Slot is a time slot for the units under OrgPath.
type Slot struct {
	OrgID         app.ID
	OrgPath       string
	Opens, Closes time.Time
}

// WindowFor returns the window of a person in orgPath: the exam's window
// narrowed by the deepest slot above them.
func (e *Exam) WindowFor(orgPath string) Window {
	w := e.Window
	best := -1
	for i, s := range e.Slots {
		if strings.HasPrefix(orgPath, s.OrgPath) && (best < 0 || len(s.OrgPath) > len(e.Slots[best].OrgPath)) {
			best = i
		}
	}
	if best >= 0 {
		s := e.Slots[best]
		if s.Opens.After(w.Opens) {
			w.Opens = s.Opens
		}
		if s.Closes.Before(w.Closes) {
			w.Closes = s.Closes
		}
	}
	return w
}

// RulesFor returns the rules that draw the paper of a person of rank.
func (e *Exam) RulesFor(rank account.Rank) Rules {
	if rank == account.RankSenior && e.SeniorRules != nil {
		return *e.SeniorRules
	}
	return e.Rules
}

// Seed returns the seed of attempt number no of a person: one seed for the
// whole exam under OnePaper, else one per person and attempt.
func (e *Exam) Seed(userID app.ID, no int) uint64 {
	if e.OnePaper {
		return uint64(e.ID)
	}
	return uint64(e.ID)*0x9e3779b97f4a7c15 ^ uint64(userID)*0xbf58476d1ce4e5b9 ^ uint64(no)
}

// ShowKeys reports whether a submitted attempt may show the keys at now.
func (e *Exam) ShowKeys(submitted bool, now time.Time) bool {
	if !submitted {
		return false
	}
	switch e.Review {
	case ReviewNever:
		return false
	case ReviewAfterSubmit:
		return true
	}
	return !now.Before(e.Window.Closes)
}

// Validate checks the exam's settings; the error names the field.
func (e *Exam) Validate() error {
	n := utf8.RuneCountInString(strings.TrimSpace(e.Title))
	switch {
	case n == 0:
		return app.Invalid("title", "请填写考试名称")
	case n > 100:
		return app.Invalid("title", "考试名称不能超过 100 个字")
	}
	if err := e.Window.Validate(); err != nil {
		return err
	}
	if e.MaxAttempts < 0 {
		return app.Invalid("max_attempts", "考试次数不能为负")
	}
	switch e.Counts {
	case "", Highest, Last:
	default:
		return app.Invalid("counts", "计分方式“%s”无效", e.Counts)
	}
	switch e.Review {
	case "", ReviewNever, ReviewAfterSubmit, ReviewAfterClose:
	default:
		return app.Invalid("review", "答案公布方式“%s”无效", e.Review)
	}
	if err := e.Grading.Validate(); err != nil {
		return err
	}
	if len(e.Fixed) == 0 {
		if err := e.Rules.Validate(); err != nil {
			return err
		}
		if e.SeniorRules != nil {
			if err := e.SeniorRules.Validate(); err != nil {
				return app.Invalid("senior_picks", "领导干部试卷：%s", app.ErrorMessage(err))
			}
		}
	}
	for i, s := range e.Slots {
		if !s.Opens.Before(s.Closes) {
			return app.Invalid("slots", "第 %d 个时段的结束时间应晚于开始时间", i+1)
		}
		if s.Closes.Before(e.Window.Opens) || s.Opens.After(e.Window.Closes) {
			return app.Invalid("slots", "第 %d 个时段不在考试时间之内", i+1)
		}
	}
	return nil
}

// FixedPaper returns the fixed paper of an attempt: Fixed's items, their
// options shuffled by seed when the rules ask.
func (e *Exam) FixedPaper(seed uint64, options map[app.ID]int) Paper {
	items := slices.Clone(e.Fixed)
	if e.Rules.ShuffleOptions {
		shuffle := newShuffle(seed)
		for i := range items {
			if n := options[items[i].QuestionID]; n > 1 {
				items[i].Order = shuffle.Perm(n)
			}
		}
	}
	return Paper{Items: items}
}
