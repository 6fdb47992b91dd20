// Package schemefile is the flat-row form of an indicator scheme
// (考评指标体系), shared by everything that edits a scheme outside the
// engine: the web tree editor (a table of rows, each with a level), the
// .xlsx template import and export, and the import of a rubric document
// (评分细则 .docx/.txt) through the outline engine for review before
// saving.
//
// One form for all three keeps them agreeing: a scheme exported to Excel,
// edited there and imported back is the scheme the editor would have made,
// and a rubric read from a document lands in the same editor for review.
// The people who use it are office staff who live in Excel, so rules are
// written as they write them ("每次扣0.3分，最多扣1.2分") rather than as
// fields, and every message is plain Chinese naming the row (第N行).
//
// Rows and Build convert between rows and an assess.Scheme; ParseRule and
// FormatRule between a rule and its text; WriteXLSX and ReadXLSX between a
// scheme and a workbook; FromOutline turns an outlined rubric into rows.
// The package reads and writes bytes it is handed; it opens no file and
// touches no database.
package schemefile

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"pufa/internal/app"
	"pufa/internal/assess"
)

// MaxRows is the most rows a scheme may have. Real schemes have tens to a
// few hundred indicators; the cap keeps a wrong file (a ledger picked by
// mistake) from costing more than a scheme could.
const MaxRows = 5000

// Row is one indicator as a flat row.
type Row struct {
	// Level is the depth: 1 for a top-level indicator. A row's parent is
	// the nearest previous row with Level-1.
	Level int
	// Code is the indicator's code ("A", "A1", "A1.2"). Empty codes are
	// generated from position by Build (A, A1, A1.1 …), since rubrics and
	// most spreadsheets have none.
	Code string
	Name string
	// Max is the indicator's points (分值). A parent may leave it 0: Build
	// fills in the sum of its children.
	Max float64
	// Weight is the share among siblings (权重), optional. When a level's
	// rows have weights and no points, Build shares the parent's points
	// (FullMarks for the top level) by weight as
	// assess.Scheme.ConvertWeights does.
	Weight float64
	// Rule is the rule kind as RuleKinds labels it (直接评分 …), empty for
	// a parent.
	Rule string
	// Params are the rule's parameters as people write them; see
	// ParseRule.
	Params string
	// Guidance is what raters look at (评分标准, 考评方法).
	Guidance string
	// Evidence asks for evidence (需佐证材料).
	Evidence bool
	// Line is where the row came from, for messages: the spreadsheet row
	// number or the document line. Zero in the editor, where a row is
	// named by its position.
	Line int
}

// Meta is what a scheme states besides its indicators.
type Meta struct {
	Name string
	// FullMarks is the base total (满分). Zero means the sum of the
	// top-level indicators, for imports that do not state it.
	FullMarks float64
	// BonusCap limits the net of all bonus and penalty items; see
	// assess.Scheme.
	BonusCap float64
	// VetoZero makes a failed veto set the total to zero; see
	// assess.Scheme.
	VetoZero bool
}

// Warning is something an import could not read or had to assume, for the
// user to review; it never stops the import. Message is Chinese and names
// the line.
type Warning struct {
	Line    int
	Message string
}

// warnf returns a warning about a line, its message naming it.
func warnf(line int, format string, args ...any) Warning {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		msg = fmt.Sprintf("第%d行：%s", line, msg)
	}
	return Warning{Line: line, Message: msg}
}

// Rows returns the scheme as rows in tree order, depth first, each rule
// written as FormatRule writes it. Build(MetaOf(s), Rows(s)) gives back s
// (but for Version, which Build leaves to the store).
func Rows(s *assess.Scheme) []Row {
	var rows []Row
	s.Walk(func(ind, _ *assess.Indicator, depth int) {
		kind, params := FormatRule(ind.Rule, ind.Max)
		rows = append(rows, Row{
			Level: depth, Code: ind.Code, Name: ind.Name, Max: ind.Max, Weight: ind.Weight,
			Rule: kind, Params: params, Guidance: ind.Guidance, Evidence: ind.EvidenceRequired,
		})
	})
	return rows
}

// MetaOf returns the scheme's Meta.
func MetaOf(s *assess.Scheme) Meta {
	return Meta{Name: s.Name, FullMarks: s.FullMarks, BonusCap: s.BonusCap, VetoZero: s.VetoZero}
}

// node is a row being built into an indicator.
type node struct {
	row      Row
	n        int // the row's number in messages: Line, or its position
	kind     assess.RuleKind
	ind      *assess.Indicator
	parent   *node
	children []*node
	// unsettled marks points that could not be worked out (a weight
	// missing in a weighted level), so sums over them are not checked: the
	// cause is reported, not its echoes.
	unsettled bool
}

// builder collects a Build's problems: all of them, so a user fixing a
// spreadsheet sees every row to fix at once rather than one per upload.
type builder struct {
	probs []problem
	// dropped is set when a row was left out of the tree, so the top
	// level's sum is not compared with the full marks.
	dropped bool
}

// problem is one problem found, about a row (n) or the scheme (err).
// Rows are turned into errors at the end, once their codes are known.
type problem struct {
	n   *node
	msg string
	err error
}

// rowf records a problem with a row.
func (b *builder) rowf(n *node, format string, args ...any) {
	b.probs = append(b.probs, problem{n: n, msg: fmt.Sprintf(format, args...)})
}

// fail records a problem with the scheme as a whole.
func (b *builder) fail(err error) { b.probs = append(b.probs, problem{err: err}) }

// errors returns the problems in the order of the rows, those about the
// scheme first. A row's error is an app.Invalid whose Field is the
// indicator's code, as the engine's errors have, and whose message starts
// with 第N行.
func (b *builder) errors() []error {
	slices.SortStableFunc(b.probs, func(x, y problem) int {
		return cmp.Compare(x.line(), y.line())
	})
	errs := make([]error, len(b.probs))
	for i, p := range b.probs {
		if p.n == nil {
			errs[i] = p.err
		} else {
			errs[i] = rowError(p.n, p.msg)
		}
	}
	return errs
}

func (p problem) line() int {
	if p.n == nil {
		return 0
	}
	return p.n.n
}

func rowError(n *node, msg string) *app.Error {
	return app.Invalid(n.ind.Code, "第%d行：%s", n.n, msg)
}

// Build turns rows into a scheme. It generates missing codes, fills a
// parent's points from its children when left 0, converts weights to
// points where a level has weights and no points, and reads every rule.
// It returns every problem it finds, each an app.Invalid whose message
// names the row (第N行) and whose Field is the indicator's code (or
// "name", "full_marks" for the scheme's own fields); when there is none,
// the scheme passes assess.Scheme.Validate. Version is left 0 for the
// store to number.
func Build(m Meta, rows []Row) (*assess.Scheme, []error) {
	b := &builder{}
	s := &assess.Scheme{Name: strings.TrimSpace(m.Name), FullMarks: m.FullMarks, BonusCap: m.BonusCap, VetoZero: m.VetoZero}
	if s.Name == "" {
		b.fail(app.Invalid("name", "请填写考评指标体系的名称"))
	}
	if !finite(m.FullMarks) || m.FullMarks < 0 {
		b.fail(app.Invalid("full_marks", "满分应为大于 0 的数"))
		s.FullMarks = 0
	}
	if !finite(m.BonusCap) || m.BonusCap < 0 {
		b.fail(app.Invalid("bonus_cap", "附加分总上限不能为负数"))
	}
	switch {
	case len(rows) == 0:
		b.fail(app.Invalid("indicators", "考评指标体系至少要有一个指标"))
		return nil, b.errors()
	case len(rows) > MaxRows:
		b.fail(app.Invalid("indicators", "指标超过 %d 行上限，请检查是否选错了文件", MaxRows))
		return nil, b.errors()
	}

	roots := b.tree(rows)
	b.codes(roots)
	b.structure(roots)
	b.points(roots, s)
	b.rules(roots)
	if len(b.probs) > 0 {
		return nil, b.errors()
	}
	s.Roots = indicators(roots)
	if err := s.Validate(); err != nil {
		// Every check Validate makes is made above with the row named; this
		// is the engine's last word, mapped to the row where it can be.
		b.blame(err, roots)
		return nil, b.errors()
	}
	return s, nil
}

// tree links the rows into a tree by level. A level that jumps (1 → 3) is
// reported and read as one level deeper than the row before, so the rows
// after it are still checked.
func (b *builder) tree(rows []Row) []*node {
	var roots []*node
	var stack []*node // stack[i] is the open node at level i+1
	for i, r := range rows {
		r.Code = strings.TrimSpace(r.Code)
		r.Name = strings.TrimSpace(r.Name)
		r.Rule = strings.TrimSpace(r.Rule)
		r.Params = strings.TrimSpace(r.Params)
		r.Guidance = strings.TrimSpace(r.Guidance)
		n := &node{row: r, n: r.Line, ind: &assess.Indicator{Code: r.Code, Name: r.Name, Max: r.Max, Weight: r.Weight, Guidance: r.Guidance, EvidenceRequired: r.Evidence}}
		if n.n == 0 {
			n.n = i + 1
		}
		// A row whose level cannot be placed is reported and left out of
		// the tree; placing it anywhere would only report its neighbours
		// for its mistake.
		level := r.Level
		switch {
		case level < 1 || level > assess.MaxDepth:
			b.rowf(n, "层级应为 1 到 %d 的整数，不能是 %d", assess.MaxDepth, level)
			b.dropped = true
			continue
		case level > len(stack)+1:
			if len(stack) == 0 {
				b.rowf(n, "第一个指标应为一级指标，层级不能是 %d", level)
			} else {
				b.rowf(n, "层级从 %d 跳到了 %d，缺少中间的 %d 级指标", len(stack), level, len(stack)+1)
			}
			b.dropped = true
			continue
		}
		stack = stack[:level-1]
		if level == 1 {
			roots = append(roots, n)
		} else {
			n.parent = stack[level-2]
			n.parent.children = append(n.parent.children, n)
		}
		stack = append(stack, n)

		if r.Name == "" {
			b.rowf(n, "请填写指标名称")
		}
		if !finite(r.Max) || r.Max < 0 {
			b.rowf(n, "分值应为不小于 0 的数")
			n.ind.Max = 0
		}
		if !finite(r.Weight) || r.Weight < 0 {
			b.rowf(n, "权重应为不小于 0 的数")
			n.ind.Weight = 0
		}
		if r.Rule != "" {
			k, ok := kindOf(r.Rule)
			if !ok {
				b.rowf(n, "计分方式“%s”无法识别，应为%s之一", r.Rule, strings.Join(RuleKinds(), "、"))
			}
			n.kind = k
		}
	}
	return roots
}

// codes generates the missing codes from position, then checks that every
// code is unique, naming both rows of a duplicate.
func (b *builder) codes(roots []*node) {
	var gen func(list []*node, parent string, depth int)
	gen = func(list []*node, parent string, depth int) {
		for i, n := range list {
			if n.ind.Code == "" {
				switch {
				case depth == 1:
					n.ind.Code = letters(i)
				case depth == 2:
					n.ind.Code = fmt.Sprintf("%s%d", parent, i+1)
				default:
					n.ind.Code = fmt.Sprintf("%s.%d", parent, i+1)
				}
			}
			gen(n.children, n.ind.Code, depth+1)
		}
	}
	gen(roots, "", 1)
	first := make(map[string]*node)
	walk(roots, func(n *node) {
		if len([]rune(n.ind.Code)) > 50 {
			b.rowf(n, "编号“%s”超过 50 个字", n.ind.Code)
		}
		if f, dup := first[n.ind.Code]; dup {
			b.rowf(n, "编号“%s”与第%d行重复，每个指标的编号必须唯一", n.ind.Code, f.n)
			return
		}
		first[n.ind.Code] = n
	})
}

// letters numbers the top level as spreadsheet columns do: A … Z, AA, AB.
func letters(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// walk calls fn for every node in tree order.
func walk(list []*node, fn func(*node)) {
	for _, n := range list {
		fn(n)
		walk(n.children, fn)
	}
}

// extraKind reports the kinds that sit outside the base total.
func extraKind(k assess.RuleKind) bool {
	return k == assess.KindBonus || k == assess.KindPenalty || k == assess.KindVeto
}

// extra reports whether n is a bonus, penalty or veto item, or a heading
// grouping only such items: it has no points of its own.
func (n *node) extra() bool {
	if len(n.children) == 0 {
		return extraKind(n.kind)
	}
	for _, c := range n.children {
		if !c.extra() {
			return false
		}
	}
	return true
}

// structure checks what depends on a row's place in the tree: a parent has
// no rule, a leaf has one, and extra items carry no points.
func (b *builder) structure(roots []*node) {
	walk(roots, func(n *node) {
		switch {
		case len(n.children) > 0 && n.row.Rule != "":
			b.rowf(n, "“%s”有下级指标，得分由下级指标相加，计分方式应留空（填了“%s”）", n.ind.Name, n.row.Rule)
		case len(n.children) == 0 && n.row.Rule == "":
			b.rowf(n, "末级指标“%s”需要选择计分方式（%s）", n.ind.Name, strings.Join(RuleKinds(), "、"))
		case len(n.children) == 0 && extraKind(n.kind) && n.ind.Max != 0:
			b.rowf(n, "%s指标不计入基本分，分值应留空或填 0（填了 %s）", kindLabel(n.kind), num(n.ind.Max))
		}
	})
}

// points settles every indicator's points: weights shared out top-down
// where a level has weights and no points, then a parent's empty points
// filled bottom-up from its children, then each sum checked.
func (b *builder) points(roots []*node, s *assess.Scheme) {
	if s.FullMarks > 0 {
		b.weights(roots, s.FullMarks)
	} else if weighted(roots) {
		b.fail(app.Invalid("full_marks", "一级指标按权重折算分值，需要先填写满分"))
	}
	sum, settled := b.fill(roots)
	switch {
	case !settled || b.dropped:
	case s.FullMarks == 0:
		s.FullMarks = sum
		if sum <= 0 && len(b.probs) == 0 {
			b.fail(app.Invalid("full_marks", "一级指标分值合计为 0，请填写分值或满分"))
		}
	case !same(sum, s.FullMarks):
		b.fail(app.Invalid("full_marks", "一级指标分值合计 %s 分，与满分 %s 分不一致", num(tidy(sum)), num(s.FullMarks)))
	}
}

// weighted reports whether a sibling group is written in weights: none of
// its counted members has points and some have weights.
func weighted(list []*node) bool {
	some := false
	for _, n := range list {
		if n.extra() {
			continue
		}
		if n.ind.Max != 0 {
			return false
		}
		some = some || n.ind.Weight > 0
	}
	return some
}

// weights shares total among a weighted group and recurses into children
// whose parent's points are known. The sharing is the engine's own
// (largest remainder, in hundredths), run on copies of the group without
// their subtrees, so one level is converted at a time and a level written
// in points below a weighted one is left alone. A level under a parent
// without points has nothing to share and keeps its zeros, as a valid
// scheme with zero-point indicators does.
func (b *builder) weights(list []*node, total float64) {
	if weighted(list) && total > 0 {
		{
			tmp := make([]*assess.Indicator, len(list))
			for i, n := range list {
				tmp[i] = &assess.Indicator{Code: n.ind.Code, Name: n.ind.Name, Weight: n.ind.Weight}
				if n.extra() {
					tmp[i].Rule = assess.Bonus{Cap: 1} // any extra rule: it takes no share
				}
			}
			err := (&assess.Scheme{FullMarks: total, Roots: tmp}).ConvertWeights()
			if err != nil {
				b.blame(err, list)
				for _, n := range list {
					n.unsettled = true
				}
			} else {
				for i, n := range list {
					if !n.extra() {
						n.ind.Max = tmp[i].Max
					}
				}
			}
		}
	}
	for _, n := range list {
		if len(n.children) > 0 {
			b.weights(n.children, n.ind.Max)
		}
	}
}

// fill sets each parent's empty points to its children's sum, checks
// given points against it, and returns the group's sum, extra items
// excluded, and whether all its points are settled.
func (b *builder) fill(list []*node) (float64, bool) {
	var sum float64
	settled := true
	for _, n := range list {
		if len(n.children) > 0 {
			below, ok := b.fill(n.children)
			switch {
			case !ok:
				n.unsettled = true
			case n.ind.Max == 0:
				n.ind.Max = tidy(below)
			case !same(below, n.ind.Max):
				b.rowf(n, "下级指标分值合计 %s 分，与本指标分值 %s 分不一致", num(tidy(below)), num(n.ind.Max))
			}
		}
		if !n.extra() {
			sum += n.ind.Max
		}
		settled = settled && !n.unsettled
	}
	return sum, settled
}

// rules reads every leaf's rule against its settled points.
func (b *builder) rules(roots []*node) {
	walk(roots, func(n *node) {
		if len(n.children) > 0 || n.kind == "" {
			return
		}
		r, err := ParseRule(n.row.Rule, n.row.Params, n.ind.Max)
		if err != nil {
			b.rowf(n, "%s", messageOf(err))
			return
		}
		n.ind.Rule = r
	})
}

// indicators returns the built indicators of a node list.
func indicators(list []*node) []*assess.Indicator {
	out := make([]*assess.Indicator, len(list))
	for i, n := range list {
		n.ind.Children = indicators(n.children)
		out[i] = n.ind
	}
	return out
}

// blame records an engine error, as a problem with the row of the
// indicator it is about (its Field is the code) when there is one.
func (b *builder) blame(err error, list []*node) {
	var e *app.Error
	if !errors.As(err, &e) || e.Field == "" {
		b.fail(err)
		return
	}
	var found *node
	walk(list, func(n *node) {
		if found == nil && n.ind.Code == e.Field {
			found = n
		}
	})
	if found == nil {
		b.fail(err)
		return
	}
	b.rowf(found, "%s", e.Message)
}

// same reports whether two sums of points are equal up to floating-point
// drift, as the engine compares them.
func same(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

// tidy rounds a sum to a millionth of a point, so 0.1+0.2 fills a
// parent's points as 0.3, not 0.30000000000000004, unless that would move
// it further than the engine's tolerance for sums.
func tidy(x float64) float64 {
	if r := math.Round(x*1e6) / 1e6; same(r, x) {
		return r
	}
	return x
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
