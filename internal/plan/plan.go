// Package plan holds the year's work plans (工作要点) and their task ledger
// (台账): the tree of sections and tasks, who leads and helps with each task,
// the progress units report, the office's review of those reports, and the
// follow-up (督办) of overdue work.
package plan

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"pufa/internal/app"
)

// Status is where a task stands, as the unit reports it.
type Status string

// Task statuses (未开始/进行中/已完成/无法完成).
const (
	NotStarted Status = "not_started"
	InProgress Status = "in_progress"
	Done       Status = "done"
	Blocked    Status = "blocked"
)

// Statuses lists the statuses in the order forms offer them.
var Statuses = []Status{NotStarted, InProgress, Done, Blocked}

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case NotStarted:
		return "未开始"
	case InProgress:
		return "进行中"
	case Done:
		return "已完成"
	case Blocked:
		return "无法完成"
	}
	return string(s)
}

// ParseStatus accepts an identifier or a Chinese label.
func ParseStatus(s string) (Status, error) {
	s = strings.TrimSpace(s)
	for _, st := range Statuses {
		if s == string(st) || s == st.Label() {
			return st, nil
		}
	}
	return "", app.Invalid("status", "状态“%s”无效，应为 未开始/进行中/已完成/无法完成 之一", s)
}

// Plan is one region's work plan for a year.
type Plan struct {
	ID    app.ID
	OrgID app.ID // the region whose office runs it
	Year  int
	Title string
	// SourceKey and SourceName keep the imported document (a blob).
	SourceKey  string
	SourceName string
	CreatedBy  app.ID
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Validate checks a plan's fields.
func (p *Plan) Validate() error {
	p.Title = strings.TrimSpace(p.Title)
	if p.Title == "" {
		return app.Invalid("title", "请填写工作要点的标题")
	} else if utf8.RuneCountInString(p.Title) > 200 {
		return app.Invalid("title", "标题不能超过 200 个字")
	}
	if p.Year < 2000 || p.Year > 2100 {
		return app.Invalid("year", "年度应在 2000 到 2100 之间")
	}
	if p.OrgID == 0 {
		return app.Invalid("org", "请选择工作要点所属的区域")
	}
	return nil
}

// Item is one node of a plan: a section (it has children) or a task (a
// leaf). Sections and tasks share one table because documents nest to any
// depth and the office may change levels while reviewing.
type Item struct {
	ID       app.ID
	PlanID   app.ID
	ParentID app.ID // 0 at the top level
	Position int    // order among siblings
	// Label is the number as written in the document ("一", "7", "(三)").
	Label string
	Title string
	Text  string
	// Task fields; a section has none of them set.
	IsTask       bool
	Weight       float64 // share of its parent's progress; 0 means 1
	DeadlineText string  // as written: "2023年6月底前"
	Deadline     time.Time
	Outputs      string // expected outputs
	LeadUnits    []app.ID
	CoUnits      []app.ID
	// State, derived from the latest accepted report (or the latest report
	// while none is accepted).
	Status    Status
	Percent   int
	UpdatedAt time.Time
}

// Validate checks an item's fields.
func (it *Item) Validate() error {
	it.Title = strings.TrimSpace(it.Title)
	if it.Title == "" {
		return app.Invalid("title", "请填写任务名称")
	} else if utf8.RuneCountInString(it.Title) > 500 {
		return app.Invalid("title", "任务名称不能超过 500 个字")
	}
	if utf8.RuneCountInString(it.Text) > 20000 {
		return app.Invalid("text", "任务内容不能超过 20000 个字")
	}
	if it.Weight < 0 || it.Weight > 1000 {
		return app.Invalid("weight", "权重应在 0 到 1000 之间")
	}
	if it.Percent < 0 || it.Percent > 100 {
		return app.Invalid("percent", "完成百分比应在 0 到 100 之间")
	}
	return nil
}

// Signal is a task's deadline light (督办): green on track or done, amber
// due within the warning period, red overdue.
type Signal string

// The lights.
const (
	Green Signal = "green"
	Amber Signal = "amber"
	Red   Signal = "red"
	// None: no deadline set, nothing to chase.
	None Signal = "none"
)

// Label names the light for people; colour is never the only cue.
func (s Signal) Label() string {
	switch s {
	case Green:
		return "正常"
	case Amber:
		return "临期"
	case Red:
		return "逾期"
	}
	return "无时限"
}

// DefaultWarning is how long before its deadline a task turns amber.
const DefaultWarning = 14 * 24 * time.Hour

// SignalAt returns a task's light at now. A task done or reported as
// blocked is not chased; one past its deadline (the end of the deadline's
// day in Shanghai) is red.
func (it *Item) SignalAt(now time.Time, warning time.Duration) Signal {
	if !it.IsTask {
		return None
	}
	if it.Status == Done {
		return Green
	}
	if it.Deadline.IsZero() {
		return None
	}
	switch end := it.Deadline; {
	case !now.Before(end):
		return Red
	case end.Sub(now) <= warning:
		return Amber
	}
	return Green
}

// Progress is the roll-up of a subtree.
type Progress struct {
	// Percent is the weighted mean of the tasks' percentages, 0–100.
	Percent float64
	Tasks   int
	Done    int
	Overdue int
}

// RollUp computes a section's progress from its children by their weights
// (equal by default: a weight of 0 counts as 1). A done task counts as 100%
// whatever percentage was last typed; the result never exceeds 100.
func RollUp(items []*Item, root app.ID, now time.Time) Progress {
	children := map[app.ID][]*Item{}
	for _, it := range items {
		children[it.ParentID] = append(children[it.ParentID], it)
	}
	var walk func(id app.ID) (pct float64, p Progress)
	walk = func(id app.ID) (float64, Progress) {
		var sumW, sum float64
		var agg Progress
		for _, c := range children[id] {
			w := c.Weight
			if w <= 0 {
				w = 1
			}
			var pct float64
			if c.IsTask {
				pct = float64(c.Percent)
				if c.Status == Done {
					pct = 100
				}
				agg.Tasks++
				if c.Status == Done {
					agg.Done++
				}
				if c.SignalAt(now, 0) == Red {
					agg.Overdue++
				}
			} else {
				var sub Progress
				pct, sub = walk(c.ID)
				if sub.Tasks == 0 {
					continue // an empty section does not drag its parent down
				}
				agg.Tasks += sub.Tasks
				agg.Done += sub.Done
				agg.Overdue += sub.Overdue
			}
			sumW += w
			sum += w * min(max(pct, 0), 100)
		}
		if sumW == 0 {
			return 0, agg
		}
		return min(sum/sumW, 100), agg
	}
	pct, p := walk(root)
	p.Percent = pct
	return p
}

// Report is what a unit reports on a task.
type Report struct {
	ID      app.ID
	ItemID  app.ID
	OrgID   app.ID // the reporting unit
	Author  app.ID
	Status  Status
	Percent int
	Text    string
	// Reason is required when the status is Blocked.
	Reason        string
	Review        ReviewState
	ReviewComment string
	ReviewedBy    app.ID
	ReviewedAt    time.Time
	CreatedAt     time.Time
	// Files are the evidence attached, when there is any to attach.
	Files []File
}

// File is one attachment of a report, stored as a blob.
type File struct {
	Key         string
	Name        string
	Size        int64
	ContentType string
}

// MaxFiles bounds the attachments of one report.
const MaxFiles = 10

// ReviewState is the office's decision on a report.
type ReviewState string

// Review states.
const (
	Pending  ReviewState = "pending"
	Accepted ReviewState = "accepted"
	Returned ReviewState = "returned"
)

// Label is the review state's Chinese name.
func (r ReviewState) Label() string {
	switch r {
	case Pending:
		return "待审核"
	case Accepted:
		return "已采纳"
	case Returned:
		return "已退回"
	}
	return string(r)
}

// Validate checks a report before it is stored.
func (r *Report) Validate() error {
	r.Text = strings.TrimSpace(r.Text)
	r.Reason = strings.TrimSpace(r.Reason)
	if _, err := ParseStatus(string(r.Status)); err != nil {
		return err
	}
	if r.Percent < 0 || r.Percent > 100 {
		return app.Invalid("percent", "完成百分比应在 0 到 100 之间")
	}
	if r.Status == Done {
		r.Percent = 100
	}
	if r.Text == "" {
		return app.Invalid("text", "请填写进展情况")
	} else if utf8.RuneCountInString(r.Text) > 5000 {
		return app.Invalid("text", "进展情况不能超过 5000 个字")
	}
	if r.Status == Blocked && r.Reason == "" {
		return app.Invalid("reason", "选择“无法完成”时请说明原因")
	}
	if len(r.Files) > MaxFiles {
		return app.Invalid("files", "每次报送最多附 %d 个文件", MaxFiles)
	}
	return nil
}

// Reminder is one follow-up sent to a unit about a task.
type Reminder struct {
	ID        app.ID
	ItemID    app.ID
	OrgID     app.ID
	SentBy    app.ID
	Escalated bool
	Message   string
	CreatedAt time.Time
}

// Node is an item with its children: a plan's tree as imported from a
// document or built by hand, before it is stored.
type Node struct {
	Item     Item
	Children []*Node
}

// Count returns the number of sections and tasks in a tree. A node without
// children is a task.
func Count(tree []*Node) (sections, tasks int) {
	for _, n := range tree {
		if len(n.Children) == 0 {
			tasks++
			continue
		}
		s, t := Count(n.Children)
		sections, tasks = sections+s+1, tasks+t
	}
	return sections, tasks
}

// ItemFilter selects tasks for the ledger.
type ItemFilter struct {
	PlanID    app.ID
	SectionID *app.ID // a subtree
	UnitID    *app.ID // lead or co-unit
	Status    *Status
	DueBefore *time.Time
	Query     *string
}

// Store keeps plans. Changing methods audit in the same transaction.
type Store interface {
	// CreatePlan stores a plan and its tree of items in one transaction;
	// ids are set on the plan and on every item.
	CreatePlan(ctx context.Context, p *Plan, tree []*Node) error
	FindPlanByID(ctx context.Context, id app.ID) (*Plan, error)
	FindPlans(ctx context.Context, orgPath string) ([]*Plan, error)
	// FindItems returns a plan's items in tree order with their units.
	FindItems(ctx context.Context, planID app.ID) ([]*Item, error)
	FindItemByID(ctx context.Context, id app.ID) (*Item, error)
	// AssignUnits sets the lead and co-units of tasks.
	AssignUnits(ctx context.Context, itemIDs []app.ID, lead, co []app.ID) error
	// CreateReport stores a unit's report and updates the task's state.
	CreateReport(ctx context.Context, r *Report) error
	FindReports(ctx context.Context, itemID app.ID) ([]*Report, error)
	// ReviewReport accepts or returns a report; a return notifies the
	// unit's liaisons with the comment.
	ReviewReport(ctx context.Context, id app.ID, state ReviewState, comment string) error
	// CreateReminders records reminders and sends the notices.
	CreateReminders(ctx context.Context, rs []*Reminder) error
	// UpdateItem edits a task's or section's own fields.
	UpdateItem(ctx context.Context, id app.ID, u ItemUpdate) (*Item, error)
	// AddTask adds a task by hand at the end of a section (or of the top
	// level when parentID is 0).
	AddTask(ctx context.Context, planID, parentID app.ID, it *Item) error
}

// ItemUpdate holds the fields the office may edit. Nil fields stay.
type ItemUpdate struct {
	Title        *string
	Text         *string
	DeadlineText *string
	Deadline     *time.Time
	Outputs      *string
	Weight       *float64
}
