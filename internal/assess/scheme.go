package assess

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"pufa/internal/app"
)

// MaxDepth is the deepest a scheme's tree may go. Three levels are usual
// (10/34/104); the limit only keeps a corrupt tree from exhausting the
// stack.
const MaxDepth = 10

// Scheme is one version of an indicator scheme (考评指标体系): a tree of
// indicators whose root points add up to FullMarks. A published version is
// immutable; editing makes a new one, so results always refer to the rules
// they were scored by.
type Scheme struct {
	Name    string
	Version int
	// FullMarks is the base total a fully scored subject reaches, usually
	// 100. Bonus items come on top of it.
	FullMarks float64
	// BonusCap, when set, limits the net of all bonus and penalty items
	// (附加分 ±3 for the scheme as a whole); each item's own cap applies
	// first. Zero means only the items' caps apply.
	BonusCap float64
	// VetoZero makes a failed veto also set the round total to zero, for
	// schemes that say so; without it a veto forces the grade and the
	// rank but the total stays as scored.
	VetoZero bool
	Roots    []*Indicator
}

// Indicator is one node of a scheme (指标): a parent whose score is the sum
// of its children, capped at its own max, or a leaf scored by its rule.
type Indicator struct {
	Code string // unique in the scheme, e.g. "A1.2"
	Name string
	// Max is the indicator's points (分值). A parent's equals the sum of
	// its children's, bonus, penalty and veto items excluded; those items
	// have zero.
	Max float64
	// Weight is the indicator's share among its siblings when a scheme is
	// written in weights; ConvertWeights turns weights into Max once, at
	// editing, and scoring only reads Max.
	Weight float64
	// Guidance tells raters what to look at (评分标准, 考评方法).
	Guidance string
	// EvidenceRequired asks the rater (or the subject) for evidence;
	// evidence is asked only where an indicator needs it (no 过度留痕).
	EvidenceRequired bool
	Rule             Rule // leaves only
	Children         []*Indicator
}

// Extra reports whether the indicator sits outside the base total: a bonus,
// penalty or veto item.
func (ind *Indicator) Extra() bool {
	r := deref(ind.Rule)
	return r != nil && extra(r)
}

// label names the indicator in explanations: code and name.
func (ind *Indicator) label() string {
	if ind.Name == "" {
		return ind.Code
	}
	return ind.Code + " " + ind.Name
}

// extrasOnly reports whether ind is a parent that groups only bonus,
// penalty and veto items (a level-1 "附加分" heading): it has no points of
// its own.
func extrasOnly(ind *Indicator) bool { return extrasBelow(ind, 1) }

func extrasBelow(ind *Indicator, depth int) bool {
	if len(ind.Children) == 0 || depth > MaxDepth {
		return false
	}
	for _, c := range ind.Children {
		if c != nil && !c.Extra() && !extrasBelow(c, depth+1) {
			return false
		}
	}
	return true
}

// Walk calls fn for every indicator in tree order (a parent before its
// children), with its parent (nil for a root) and depth (1 for a root).
func (s *Scheme) Walk(fn func(ind, parent *Indicator, depth int)) {
	var walk func(list []*Indicator, parent *Indicator, depth int)
	walk = func(list []*Indicator, parent *Indicator, depth int) {
		if depth > MaxDepth {
			return
		}
		for _, ind := range list {
			if ind == nil {
				continue
			}
			fn(ind, parent, depth)
			walk(ind.Children, ind, depth+1)
		}
	}
	walk(s.Roots, nil, 1)
}

// Validate checks that the scheme can be published: codes unique and
// non-empty, names present, points non-negative, every leaf with a rule its
// points allow, no rule on a parent, every parent's points equal to the sum
// of its children's, and the roots' points equal to FullMarks. It trims
// codes and names and stores pointer rules as values. The first problem
// found, in tree order, is returned as an app.Invalid error naming the
// indicator.
func (s *Scheme) Validate() error {
	s.Name = strings.TrimSpace(s.Name)
	if s.Name == "" {
		return app.Invalid("name", "请填写考评指标体系的名称")
	} else if utf8.RuneCountInString(s.Name) > 200 {
		return app.Invalid("name", "考评指标体系的名称不能超过 200 个字")
	}
	if !finite(s.FullMarks) || s.FullMarks <= 0 {
		return app.Invalid("full_marks", "满分应大于 0")
	}
	if !finite(s.BonusCap) || s.BonusCap < 0 {
		return app.Invalid("bonus_cap", "附加分总上限不能为负数")
	}
	if len(s.Roots) == 0 {
		return app.Invalid("indicators", "考评指标体系至少要有一个指标")
	}
	v := validator{codes: make(map[string]bool), seen: make(map[*Indicator]bool)}
	sum, err := v.list(s.Roots, nil, 1)
	if err != nil {
		return err
	}
	if !same(sum, s.FullMarks) {
		return app.Invalid("full_marks", "一级指标分值合计 %s 分，与满分 %s 分不一致", pts(sum), pts(s.FullMarks))
	}
	return nil
}

// validator carries what Validate checks across the tree.
type validator struct {
	codes map[string]bool
	seen  map[*Indicator]bool
}

// list validates sibling indicators and returns the sum of their points,
// bonus, penalty and veto items excluded.
func (v *validator) list(list []*Indicator, parent *Indicator, depth int) (float64, error) {
	var sum float64
	for i, ind := range list {
		if ind == nil || v.seen[ind] {
			where := "一级指标"
			if parent != nil {
				where = "指标 " + parent.Code + " 的下级指标"
			}
			return 0, app.Invalid("indicators", "%s第 %d 项为空或在树中重复出现", where, i+1)
		}
		v.seen[ind] = true
		if err := v.one(ind, parent, i, depth); err != nil {
			return 0, err
		}
		if !ind.Extra() {
			sum += ind.Max
		}
	}
	return sum, nil
}

// one validates one indicator and its subtree.
func (v *validator) one(ind *Indicator, parent *Indicator, i, depth int) error {
	ind.Code = strings.TrimSpace(ind.Code)
	ind.Name = strings.TrimSpace(ind.Name)
	if ind.Code == "" {
		where := "一级指标"
		if parent != nil {
			where = "指标 " + parent.Code + " 的下级指标"
		}
		return app.Invalid("code", "%s第 %d 项“%s”缺少编号", where, i+1, ind.Name)
	}
	if utf8.RuneCountInString(ind.Code) > 50 {
		return invalidf(ind, "编号不能超过 50 个字")
	}
	if v.codes[ind.Code] {
		return invalidf(ind, "编号重复，每个指标的编号必须唯一")
	}
	v.codes[ind.Code] = true
	if ind.Name == "" {
		return invalidf(ind, "请填写指标名称")
	}
	if depth > MaxDepth {
		return invalidf(ind, "指标层级超过 %d 级", MaxDepth)
	}
	if !finite(ind.Max) || ind.Max < 0 {
		return invalidf(ind, "分值应为不小于 0 的数")
	}
	if !finite(ind.Weight) || ind.Weight < 0 {
		return invalidf(ind, "权重不能为负数")
	}
	ind.Rule = deref(ind.Rule)
	if len(ind.Children) > 0 {
		if ind.Rule != nil {
			return invalidf(ind, "上级指标的得分由下级指标相加，不能另设评分规则（%s）", ind.Rule.Kind().Label())
		}
		sum, err := v.list(ind.Children, ind, depth+1)
		if err != nil {
			return err
		}
		if !same(sum, ind.Max) {
			return invalidf(ind, "下级指标分值合计 %s 分，与本指标分值 %s 分不一致", pts(sum), pts(ind.Max))
		}
		return nil
	}
	if ind.Rule == nil {
		return invalidf(ind, "末级指标需要评分规则")
	}
	if extra(ind.Rule) && ind.Max != 0 {
		return invalidf(ind, "%s指标不计入基本分，分值应为 0", ind.Rule.Kind().Label())
	}
	return ind.Rule.check(ind)
}

// same reports whether two sums of points are equal up to floating-point
// drift.
func same(a, b float64) bool {
	return math.Abs(a-b) <= tolerance*math.Max(1, math.Abs(b))
}

// ConvertWeights turns a scheme written in weights into points, once, at
// editing: the roots share FullMarks and each parent's children share its
// points in proportion to their weights (weights are shares among
// siblings, summing to 1, 100 or anything else). Points are given in
// hundredths by the largest-remainder method, so the children's points add
// up to their parent's exactly (1/3 of 100 → 33.34, 33.33, 33.33). Bonus,
// penalty and veto items, and headings that only group them, get zero.
// Every other indicator must have a
// positive weight.
func (s *Scheme) ConvertWeights() error {
	if !finite(s.FullMarks) || s.FullMarks <= 0 {
		return app.Invalid("full_marks", "满分应大于 0")
	}
	return convert(s.Roots, s.FullMarks, 1)
}

func convert(list []*Indicator, total float64, depth int) error {
	if depth > MaxDepth {
		return app.Invalid("indicators", "指标层级超过 %d 级", MaxDepth)
	}
	var counted []*Indicator
	var sum float64
	for _, ind := range list {
		if ind == nil {
			continue
		}
		if ind.Extra() || extrasOnly(ind) {
			ind.Max = 0
			continue
		}
		if !finite(ind.Weight) || ind.Weight <= 0 {
			return invalidf(ind, "按权重折算分值时，每个指标都要填写大于 0 的权重")
		}
		counted = append(counted, ind)
		sum += ind.Weight
	}
	cents := int64(math.Round(total * 100))
	type share struct {
		i    int
		frac float64
	}
	shares := make([]share, len(counted))
	given := int64(0)
	alloc := make([]int64, len(counted))
	for i, ind := range counted {
		exact := float64(cents) * ind.Weight / sum
		alloc[i] = int64(math.Floor(exact))
		given += alloc[i]
		shares[i] = share{i, exact - math.Floor(exact)}
	}
	// Largest remainders first; the earlier sibling on a tie, so the result
	// does not depend on anything but the scheme.
	slices.SortStableFunc(shares, func(a, b share) int {
		switch {
		case a.frac > b.frac:
			return -1
		case a.frac < b.frac:
			return 1
		}
		return 0
	})
	for k := 0; given < cents && k < len(shares); k++ {
		alloc[shares[k].i]++
		given++
	}
	for i, ind := range counted {
		ind.Max = float64(alloc[i]) / 100
	}
	for _, ind := range list {
		if ind != nil && len(ind.Children) > 0 {
			if err := convert(ind.Children, ind.Max, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}
