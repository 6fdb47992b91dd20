// Package duty is the responsibility system (谁执法谁普法): each unit's
// yearly duty list (普法责任清单) — what law it teaches, to whom, how, when,
// who answers for it, to what standard — submitted to the office, approved
// or returned, and published for the public.
package duty

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"pufa/internal/app"
)

// Status is where a unit's list is.
type Status string

// Statuses, in order. A returned list is edited and submitted again; an
// approved one is published.
const (
	Draft     Status = "draft"
	Submitted Status = "submitted"
	Approved  Status = "approved"
	Returned  Status = "returned"
)

// Label is the status in Chinese.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "草稿"
	case Submitted:
		return "待审核"
	case Approved:
		return "已审核公示"
	case Returned:
		return "已退回"
	}
	return "未填报"
}

// Editable reports whether the unit may still change the list.
func (s Status) Editable() bool { return s == Draft || s == Returned || s == "" }

// Audiences and Forms are what the forms offer; units may type others.
var (
	Audiences = []string{"领导干部", "本系统工作人员", "服务对象", "青少年", "企业", "网民", "农村群众", "社区居民"}
	Forms     = []string{"讲座", "以案释法", "窗口宣传", "新媒体", "进校园", "进企业", "进社区", "进农村", "法律咨询", "知识竞赛"}
)

// Item is one line of a duty list.
type Item struct {
	ID app.ID
	// Laws are the laws it teaches: titles as typed, with the library's
	// law id when one was picked (0 for a typed title).
	Laws     []string
	LawIDs   []app.ID
	Audience []string
	Measures string // 普法措施
	Forms    []string
	Timing   string // 时间安排: 全年, 每季度, 12月4日前后
	Office   string // 责任科室
	Person   string // 责任人
	// Phone is the responsible person's telephone; the public page never
	// shows it.
	Phone    string
	Standard string // 完成标准
	// TaskIDs link the item to the work-plan tasks it serves.
	TaskIDs []app.ID
}

// List is a unit's duty list for a year.
type List struct {
	ID           app.ID
	OrgID        app.ID
	OrgName      string
	Year         int
	Status       Status
	Items        []Item
	ReturnReason string
	SubmittedAt  time.Time
	ApprovedAt   time.Time
	ApprovedBy   app.ID
	UpdatedAt    time.Time
}

// MaxItems bounds a list; real ones have 5 to 40 lines.
const MaxItems = 300

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// Validate checks a list before it is saved, naming the line.
func (l *List) Validate() error {
	if l.Year < 2000 || l.Year > 2100 {
		return app.Invalid("year", "年度应为四位数字")
	}
	if len(l.Items) > MaxItems {
		return app.Invalid("items", "一份责任清单最多 %d 项", MaxItems)
	}
	for i := range l.Items {
		it := &l.Items[i]
		it.Measures, it.Timing, it.Office = strings.TrimSpace(it.Measures), strings.TrimSpace(it.Timing), strings.TrimSpace(it.Office)
		it.Person, it.Phone, it.Standard = strings.TrimSpace(it.Person), strings.TrimSpace(it.Phone), strings.TrimSpace(it.Standard)
		n := i + 1
		if len(it.Laws) == 0 {
			return app.Invalid("items", "第 %d 项：请填写普法的法律法规", n)
		}
		if it.Measures == "" {
			return app.Invalid("items", "第 %d 项：请填写普法措施", n)
		}
		if len(it.Audience) == 0 {
			return app.Invalid("items", "第 %d 项：请选择普法对象", n)
		}
		for _, s := range []string{it.Measures, it.Standard} {
			if tooLong(s, 2000) {
				return app.Invalid("items", "第 %d 项：内容不能超过 2000 字", n)
			}
		}
		for _, s := range append(append([]string{it.Timing, it.Office, it.Person, it.Phone}, it.Laws...), append(it.Audience, it.Forms...)...) {
			if tooLong(s, 200) {
				return app.Invalid("items", "第 %d 项：“%.20s…”太长", n, s)
			}
		}
	}
	return nil
}

// SplitList reads a cell of several values separated by 、，, ; or new lines.
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == '，' || r == ',' || r == '；' || r == ';' || r == '\n'
	}) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Store keeps duty lists.
type Store interface {
	// SaveDutyList stores the unit's list for the year as a draft
	// (creating it); ECONFLICT once submitted or approved.
	SaveDutyList(ctx context.Context, l *List) error
	// SubmitDutyList sends it to the office; it needs at least one item.
	SubmitDutyList(ctx context.Context, id app.ID) error
	// ReviewDutyList approves or returns (with a reason) a submitted list.
	ReviewDutyList(ctx context.Context, id app.ID, approve bool, reason string) error
	FindDutyList(ctx context.Context, orgID app.ID, year int) (*List, error)
	FindDutyListByID(ctx context.Context, id app.ID) (*List, error)
	// FindDutyLists lists the lists of a year in a subtree, without items;
	// approvedOnly for the public page.
	FindDutyLists(ctx context.Context, orgPath string, year int, approvedOnly bool) ([]*List, error)
	// SearchDutyItems finds approved items of a year teaching a law.
	SearchDutyItems(ctx context.Context, orgPath string, year int, law string) ([]Found, error)
	// TaskCoverage counts, per task of a plan, the approved or submitted
	// items linked to it.
	TaskCoverage(ctx context.Context, planID app.ID) (map[app.ID]int, error)
}

// Found is an item found by a search, with its unit.
type Found struct {
	ListID  app.ID
	OrgName string
	Item    Item
}
