package duty

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/plan"
	"pufa/internal/similar"
)

// Headings are the five parts a duty report (履职报告) is written under.
var Headings = []string{"普法责任制机制建设", "系统内学法用法", "社会普法宣传", "创新普法形式", "普法实效"}

// Report is a unit's annual duty report.
type Report struct {
	ID       app.ID
	OrgID    app.ID
	OrgName  string
	Year     int
	Status   Status // Draft or Submitted
	Sections []string
	// Files are the evidence attached (photos, PDF, Word, Excel).
	Files []plan.File
	// Check is what the copy-paste and number checks found at submission.
	Check       *ReportCheck
	SubmittedAt time.Time
	UpdatedAt   time.Time
}

// Text is the whole report, headings included, as compared.
func (r *Report) Text() string {
	var b strings.Builder
	for i, s := range r.Sections {
		if i < len(Headings) {
			fmt.Fprintf(&b, "%s\n", Headings[i])
		}
		b.WriteString(s)
		b.WriteString("\n")
	}
	return b.String()
}

// Validate checks a report before it is saved.
func (r *Report) Validate() error {
	if len(r.Sections) != len(Headings) {
		return app.Invalid("sections", "履职报告应分为 %d 个部分", len(Headings))
	}
	total := 0
	for i := range r.Sections {
		r.Sections[i] = strings.TrimSpace(r.Sections[i])
		total += len([]rune(r.Sections[i]))
		if len([]rune(r.Sections[i])) > 20000 {
			return app.Invalid("sections", "“%s”部分不能超过 20000 字", Headings[i])
		}
	}
	if total == 0 {
		return app.Invalid("sections", "履职报告还是空的")
	}
	return nil
}

// Source is a figure the draft states and where it comes from.
type Source struct {
	Section int
	Text    string
	Link    string
}

// Facts are what pufa already holds about a unit's year: the draft is
// written from them, and the report's numbers are checked against them.
type Facts struct {
	OrgName      string
	Year         int
	ListItems    int      // items of its approved or submitted duty list
	Laws         []string // the laws the list teaches
	ListLink     string
	Tasks        int // work-plan tasks it leads or helps with
	TasksDone    int
	TasksOverdue int
	TaskLink     string
}

// DraftReport writes a first draft from the facts, every figure with its source;
// the unit edits it. Sections without facts get a prompt of what to write.
func DraftReport(f Facts) ([]string, []Source) {
	sections := make([]string, len(Headings))
	var src []Source
	if f.ListItems > 0 {
		sections[0] = fmt.Sprintf("%d年，本单位制定并公布年度普法责任清单，共 %d 项，明确了普法内容、对象、措施、责任科室和完成标准。", f.Year, f.ListItems)
		src = append(src, Source{0, fmt.Sprintf("责任清单 %d 项", f.ListItems), f.ListLink})
	} else {
		sections[0] = "（请说明普法责任清单的制定和公布、领导班子研究普法工作、普法机构和人员等情况。）"
	}
	sections[1] = "（请说明领导班子会前学法、工作人员学法考试的参考率和合格率、执法人员培训等情况。）"
	if len(f.Laws) > 0 {
		sections[2] = fmt.Sprintf("围绕%s等法律法规开展社会普法宣传。", strings.Join(f.Laws[:min(len(f.Laws), 5)], "、"))
		src = append(src, Source{2, "清单中的法律法规", f.ListLink})
	}
	if f.Tasks > 0 {
		line := fmt.Sprintf("承担年度普法工作要点任务 %d 项，已完成 %d 项", f.Tasks, f.TasksDone)
		if f.TasksOverdue > 0 {
			line += fmt.Sprintf("，逾期未完成 %d 项", f.TasksOverdue)
		}
		sections[2] += line + "。"
		src = append(src, Source{2, fmt.Sprintf("任务 %d 项、已完成 %d 项", f.Tasks, f.TasksDone), f.TaskLink})
	}
	if sections[2] == "" {
		sections[2] = "（请说明重要节点主题宣传、以案释法、普法“八进”、窗口和执法过程中普法等情况。）"
	}
	sections[3] = "（请说明新媒体普法、普法项目和精品等创新做法。）"
	sections[4] = "（请说明服务对象法治意识和满意度、行政复议和诉讼情况等普法实效。）"
	return sections, src
}

// NumberFlag is a figure the report states that the ledger contradicts.
type NumberFlag struct {
	Said, Ledger int
	Message      string
}

var (
	tasksSaid = regexp.MustCompile(`(?:承担|牵头)[^。；\d]{0,12}?任务\s*(\d+)\s*项|(?:承担|牵头)[^。；\d]{0,6}?(\d+)\s*项[^。；]{0,6}任务`)
	doneSaid  = regexp.MustCompile(`(?:^|[^未])已?完成\s*(\d+)\s*项`)
	listSaid  = regexp.MustCompile(`责任清单[^。；\d]{0,8}?(?:共|计)\s*(\d+)\s*项`)
)

// CheckNumbers flags the task and list counts a report states that differ
// from what the ledger and the duty list hold.
func CheckNumbers(text string, f Facts) []NumberFlag {
	var out []NumberFlag
	check := func(re *regexp.Regexp, want int, what string) {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			v := ""
			for _, g := range m[1:] {
				if g != "" {
					v = g
				}
			}
			n, err := strconv.Atoi(v)
			if err != nil || n == want {
				continue
			}
			out = append(out, NumberFlag{Said: n, Ledger: want, Message: fmt.Sprintf("报告称%s %d 项，台账记录为 %d 项", what, n, want)})
		}
	}
	check(tasksSaid, f.Tasks, "承担任务")
	check(doneSaid, f.TasksDone, "已完成任务")
	check(listSaid, f.ListItems, "责任清单")
	return out
}

// Overlap is a report found similar to the one checked.
type Overlap struct {
	With       string  // 区教育局2023年度履职报告, or 工作要点
	Similarity float64 // 0–1
	Flagged    bool
	Passages   []string
}

// ReportCheck is what a submission found.
type ReportCheck struct {
	Overlaps []Overlap
	Numbers  []NumberFlag
}

// ReportStore keeps duty reports.
type ReportStore interface {
	// SaveReport stores a unit's report for a year as a draft; ECONFLICT
	// once submitted.
	SaveDutyReport(ctx context.Context, r *Report) error
	// SubmitReport submits a draft with what the checks found.
	SubmitDutyReport(ctx context.Context, id app.ID, check *ReportCheck) error
	FindDutyReport(ctx context.Context, orgID app.ID, year int) (*Report, error)
	FindDutyReportByID(ctx context.Context, id app.ID) (*Report, error)
	// FindReports lists a subtree's reports of a year, drafts included
	// when submittedOnly is false.
	FindDutyReports(ctx context.Context, orgPath string, year int, submittedOnly bool) ([]*Report, error)
	// AddReportFiles attaches evidence to a draft.
	AddReportFiles(ctx context.Context, id app.ID, files []plan.File) error
}

// Other is a text a report is compared with: another unit's report, the
// unit's own of last year, or a reference such as the work plan, which
// reports may quote but not copy.
type Other struct {
	Name      string
	Text      string
	Reference bool
}

// Check compares a report with others (shingled similarity: boilerplate
// shared by many reports, and quotes of references, do not count as
// copying) and its figures with the facts.
func Check(rep *Report, others []Other, f Facts) *ReportCheck {
	text := rep.Text()
	var docs []similar.Doc
	for i, o := range others {
		docs = append(docs, similar.Doc{ID: strconv.Itoa(i), Text: o.Text, Reference: o.Reference})
	}
	corpus := append(append([]similar.Doc{}, docs...), similar.Doc{ID: "self", Text: text})
	opts := similar.DefaultOptions()
	out := &ReportCheck{}
	for _, m := range similar.Check(text, docs, corpus, opts) {
		if m.Similarity <= 0 && len(m.Passages) == 0 {
			continue
		}
		i, _ := strconv.Atoi(m.OtherID)
		ov := Overlap{With: others[i].Name, Similarity: m.Similarity, Flagged: m.Flagged(opts)}
		for j, p := range m.Passages {
			if j == 5 {
				break
			}
			ov.Passages = append(ov.Passages, p.Text)
		}
		out.Overlaps = append(out.Overlaps, ov)
	}
	out.Numbers = CheckNumbers(text, f)
	return out
}

// FactSource is where facts come from: the duty lists and the ledger.
type FactSource interface {
	FindDutyList(ctx context.Context, orgID app.ID, year int) (*List, error)
	FindUnitTasks(ctx context.Context, orgID app.ID) ([]*plan.Item, error)
}

// GatherFacts reads what pufa holds about a unit's year: its submitted or
// approved duty list, and its work-plan tasks with their state at now.
func GatherFacts(ctx context.Context, st FactSource, orgID app.ID, orgName string, year int, now time.Time, warning time.Duration) (Facts, error) {
	f := Facts{OrgName: orgName, Year: year, TaskLink: "/plans"}
	if l, err := st.FindDutyList(ctx, orgID, year); err == nil && (l.Status == Approved || l.Status == Submitted) {
		f.ListItems, f.ListLink = len(l.Items), "/duty/lists/"+l.ID.String()
		seen := map[string]bool{}
		for _, it := range l.Items {
			for _, lw := range it.Laws {
				if !seen[lw] {
					seen[lw] = true
					f.Laws = append(f.Laws, lw)
				}
			}
		}
	} else if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return f, err
	}
	tasks, err := st.FindUnitTasks(ctx, orgID)
	if err != nil {
		return f, err
	}
	for _, t := range tasks {
		f.Tasks++
		if t.Status == plan.Done {
			f.TasksDone++
		} else if t.SignalAt(now, warning) == plan.Red {
			f.TasksOverdue++
		}
	}
	return f, nil
}
