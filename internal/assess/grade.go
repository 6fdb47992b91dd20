package assess

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"pufa/internal/app"
)

// Grades (等次) of the default bands.
const (
	Excellent = "优秀"
	Good      = "良好"
	Fair      = "一般"
	Poor      = "较差"
)

// Band is one grade and the lowest total that earns it.
type Band struct {
	Grade string
	Min   float64
}

// defaultBands are read, never written; DefaultBands hands out copies.
var defaultBands = []Band{{Excellent, 90}, {Good, 80}, {Fair, 60}, {Poor, 0}}

// DefaultBands returns the usual bands, 优秀 ≥ 90, 良好 ≥ 80, 一般 ≥ 60,
// else 较差, as a new slice a form may edit.
func DefaultBands() []Band { return slices.Clone(defaultBands) }

// Grader turns totals into grades. The zero Grader uses DefaultBands and
// gives a vetoed subject the lowest band's grade.
type Grader struct {
	// Bands run from the best grade down, with strictly decreasing Min. A
	// total below the last band's Min still gets the last grade.
	Bands []Band
	// VetoGrade is the grade of a subject with a failed veto; empty means
	// the last band's grade.
	VetoGrade string
}

// bands returns the bands in force.
func (g Grader) bands() []Band {
	if len(g.Bands) == 0 {
		return defaultBands
	}
	return g.Bands
}

// vetoGrade returns the grade a failed veto forces.
func (g Grader) vetoGrade() string {
	if g.VetoGrade != "" {
		return g.VetoGrade
	}
	b := g.bands()
	return b[len(b)-1].Grade
}

// Validate checks the bands: named, distinct grades with strictly
// decreasing thresholds.
func (g Grader) Validate() error {
	seen := make(map[string]bool)
	for i, b := range g.Bands {
		if strings.TrimSpace(b.Grade) == "" {
			return app.Invalid("bands", "第 %d 个等次缺少名称", i+1)
		}
		if seen[b.Grade] {
			return app.Invalid("bands", "等次“%s”重复", b.Grade)
		}
		seen[b.Grade] = true
		if !finite(b.Min) {
			return app.Invalid("bands", "等次“%s”的分数线无效", b.Grade)
		}
		if i > 0 && b.Min >= g.Bands[i-1].Min {
			return app.Invalid("bands", "等次“%s”的分数线 %s 应低于上一等次“%s”的 %s", b.Grade, pts(b.Min), g.Bands[i-1].Grade, pts(g.Bands[i-1].Min))
		}
	}
	return nil
}

// GradeByThreshold returns the grade of a total: the best band whose Min
// the total reaches (compared at Precision, so 89.99999999999999 is 90). A
// failed veto overrides the total.
func (g Grader) GradeByThreshold(total float64, vetoFailed bool) string {
	if vetoFailed {
		return g.vetoGrade()
	}
	return grade(g.bands(), total)
}

// grade returns the best band of bands that total reaches, or the last.
func grade(bands []Band, total float64) string {
	k := key(total)
	for _, b := range bands {
		if k >= round(b.Min) {
			return b.Grade
		}
	}
	return bands[len(bands)-1].Grade
}

// TieRule says what happens when subjects tie at the edge of a quota.
type TieRule string

// Tie rules.
const (
	// ExcludeTies gives the top grade only to subjects strictly above the
	// tie, so the quota is never exceeded. It is the default.
	ExcludeTies TieRule = "exclude"
	// IncludeTies gives the top grade to every tied subject, so the quota
	// may be exceeded by the tie.
	IncludeTies TieRule = "include"
)

// Quota limits the best grade to a share of the subjects (at most 20%
// 优秀).
type Quota struct {
	Share float64 // 0.2
	Ties  TieRule
}

// Standing is a subject's result as grading and ranking read it.
type Standing struct {
	Total      float64
	VetoFailed bool
}

// GradeByQuota grades subjects by threshold and then limits the best grade
// to floor(Share × number of subjects) of them, best totals first: a
// subject must both reach the best band's threshold and fall within the
// quota. When subjects tie at the edge of the quota, q.Ties decides. A
// subject that reaches the threshold but falls outside the quota gets the
// best lower band its total reaches. A vetoed subject gets the veto grade
// and takes no place in the quota. A zero Share makes the best grade
// unreachable.
func (g Grader) GradeByQuota(st []Standing, q Quota) ([]string, error) {
	if !finite(q.Share) || q.Share < 0 || q.Share > 1 {
		return nil, app.Invalid("quota", "名额比例应在 0 到 1 之间")
	}
	switch q.Ties {
	case "", ExcludeTies, IncludeTies:
	default:
		return nil, app.Invalid("quota", "并列处理方式“%s”无效，应为 exclude（并列者都不占名额）或 include（并列者都给）", q.Ties)
	}
	bands := g.bands()
	grades := make([]string, len(st))
	var top []int
	for i, s := range st {
		grades[i] = g.GradeByThreshold(s.Total, s.VetoFailed)
		if !s.VetoFailed && grades[i] == bands[0].Grade {
			top = append(top, i)
		}
	}
	// The epsilon keeps 0.2 × 10 from flooring to 1.
	slots := int(math.Floor(q.Share*float64(len(st)) + 1e-9))
	if len(top) <= slots {
		return grades, nil
	}
	slices.SortStableFunc(top, func(a, b int) int { return -cmpKey(st[a].Total, st[b].Total) })
	keep := slots
	if slots > 0 && key(st[top[slots-1]].Total) == key(st[top[slots]].Total) {
		edge := key(st[top[slots]].Total)
		if q.Ties == IncludeTies {
			for keep < len(top) && key(st[top[keep]].Total) == edge {
				keep++
			}
		} else {
			for keep > 0 && key(st[top[keep-1]].Total) == edge {
				keep--
			}
		}
	}
	for _, i := range top[keep:] {
		if len(bands) > 1 {
			grades[i] = grade(bands[1:], st[i].Total)
		}
	}
	return grades, nil
}

// Note states the tie rule in Chinese, for the published circular.
func (q Quota) Note(best string) string {
	if q.Ties == IncludeTies {
		return fmt.Sprintf("%s名额不超过参评对象的 %s（向下取整）；名额边界上分数并列的对象均评为%s", best, percent(q.Share), best)
	}
	return fmt.Sprintf("%s名额不超过参评对象的 %s（向下取整）；名额边界上分数并列、无法全部容纳时，并列对象均不评为%s", best, percent(q.Share), best)
}

// cmpKey compares two totals at Precision.
func cmpKey(a, b float64) int {
	ka, kb := key(a), key(b)
	switch {
	case ka < kb:
		return -1
	case ka > kb:
		return 1
	}
	return 0
}

// Rank returns each subject's rank by total, best first, in competition
// ranking: tied subjects share a rank and the next rank is skipped (1, 1,
// 3). Totals are compared at Precision. Vetoed subjects rank after every
// subject not vetoed, among themselves by total.
func Rank(st []Standing) []int {
	order := make([]int, len(st))
	for i := range order {
		order[i] = i
	}
	better := func(a, b int) int { // negative when a ranks before b
		if st[a].VetoFailed != st[b].VetoFailed {
			if st[b].VetoFailed {
				return -1
			}
			return 1
		}
		return -cmpKey(st[a].Total, st[b].Total)
	}
	slices.SortStableFunc(order, better)
	ranks := make([]int, len(st))
	for pos, i := range order {
		if pos > 0 && better(order[pos-1], i) == 0 {
			ranks[i] = ranks[order[pos-1]]
		} else {
			ranks[i] = pos + 1
		}
	}
	return ranks
}
