package schemefile

import (
	"regexp"
	"slices"
	"strings"

	"pufa/internal/assess"
	"pufa/internal/outline"
)

var (
	// fullMarksRe finds the full marks a rubric states: 满分100分, 总分为100分.
	fullMarksRe = regexp.MustCompile(`(?:满分|总分)\s*(?:为|是)?\s*` + numPat + `\s*分`)
	// leadingPointsRe is a points mark left at the start of a node's text
	// once its title is cut off: "（20分）".
	leadingPointsRe = regexp.MustCompile(`^\s*[（(]\s*[0-9０-９.．]+\s*分\s*[)）]`)
	// trailingPointsRe is a points mark ending a name: "机制建设（20分）".
	trailingPointsRe = regexp.MustCompile(`\s*[（(]\s*([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*分\s*[)）]\s*$`)
)

// FromOutline turns an outlined rubric document (评分细则) into rows for
// the user to review before saving: each numbered node a row at its depth,
// its points the row's Max, its scoring sentences the rule where they read
// as one (a deduction, tiers, a bonus or penalty with its cap, a veto), and
// the rest of its text the guidance. A leaf that states points and no rule
// is 直接评分, which is what such a line means: the rater gives up to its
// points. A parent without points gets its children's sum.
//
// What it cannot read it does not guess: the rule is left empty, or the
// sentence is left out of the rule, with a Warning naming the line, so
// Build refuses the rows until the user decides. The outline engine's own
// warnings (a broken number sequence, a truncated text) come along too.
//
// When the input holds several documents (a notice with the rubric
// attached), the one with the most nodes carrying points is taken.
func FromOutline(res *outline.Result) (Meta, []Row, []Warning) {
	var m Meta
	var warns []Warning
	if res == nil {
		return m, nil, nil
	}
	lines := newLineIndex(res.Source)
	for _, w := range res.Warnings {
		warns = append(warns, warnf(lines.line(w.At), "%s", w.Message))
	}
	doc := pickDocument(res.Documents)
	if doc == nil {
		warns = append(warns, warnf(0, "文件中没有找到编号的指标（如“一、”“（一）”“1.”），无法读出指标"))
		return m, nil, warns
	}
	if others := len(res.Documents) - 1; others > 0 {
		warns = append(warns, warnf(0, "文件中共有 %d 份文件，只读取了“%s”中的指标", others+1, titleOr(doc.Title)))
	}
	m.Name = strings.Trim(strings.TrimSpace(doc.Title), "《》")

	c := &outlineReader{lines: lines}
	for _, n := range doc.Nodes {
		c.node(n, 1)
	}
	c.fillParents()
	warns = append(warns, c.warns...)

	var sum float64
	for _, r := range c.rows {
		if r.Level == 1 && !extraKind(kindOrNone(r.Rule)) {
			sum += r.Max
		}
	}
	m.FullMarks = tidy(sum)
	if mm := fullMarksRe.FindStringSubmatch(doc.Title + "\n" + doc.Preamble); mm != nil {
		if v, ok := parseNum(mm[1]); ok && v > 0 {
			m.FullMarks = v
			if !same(sum, v) {
				warns = append(warns, warnf(0, "各一级指标分值合计 %s 分，与文件所写满分 %s 分不一致，请核对", num(tidy(sum)), num(v)))
			}
		}
	}
	return m, c.rows, warns
}

func titleOr(t string) string {
	if t == "" {
		return "无标题文件"
	}
	return t
}

// kindOrNone reads a kind label, "" when there is none.
func kindOrNone(label string) assess.RuleKind {
	k, _ := kindOf(label)
	return k
}

// pickDocument returns the document that is the rubric: the one with the
// most nodes carrying points, or else the most nodes; the first on a tie.
func pickDocument(docs []*outline.Document) *outline.Document {
	var best *outline.Document
	bestPts, bestNodes := -1, -1
	for _, d := range docs {
		pts, nodes := 0, 0
		var count func(list []*outline.Node)
		count = func(list []*outline.Node) {
			for _, n := range list {
				nodes++
				if n.Points != nil {
					pts++
				}
				count(n.Children)
			}
		}
		count(d.Nodes)
		if nodes == 0 {
			continue
		}
		if pts > bestPts || pts == bestPts && nodes > bestNodes {
			best, bestPts, bestNodes = d, pts, nodes
		}
	}
	return best
}

// outlineReader collects the rows of one document.
type outlineReader struct {
	lines lineIndex
	rows  []Row
	// hasPoints[i] records whether row i's points were written in the
	// document, so a parent's empty points can be filled without
	// overriding a stated figure.
	hasPoints []bool
	warns     []Warning
}

func (c *outlineReader) warn(line int, format string, args ...any) {
	c.warns = append(c.warns, warnf(line, format, args...))
}

// node adds n and its subtree as rows.
func (c *outlineReader) node(n *outline.Node, depth int) {
	line := c.lines.line(n.At)
	if depth > assess.MaxDepth {
		c.warn(line, "指标层级超过 %d 级，“%s”及其下级未读取", assess.MaxDepth, n.Title)
		return
	}
	r := Row{Level: depth, Name: n.Title, Guidance: guidanceOf(n), Line: line}
	if n.Points != nil {
		r.Max = *n.Points
	}
	if r.Name == "" {
		c.warn(line, "指标没有名称，请补上")
	}
	if n.Incomplete {
		c.warn(line, "“%s”的文字在此中断，内容可能不完整", n.Title)
	}
	leaf := len(n.Children) == 0
	if leaf {
		c.rule(&r, n, line)
	} else {
		for _, s := range n.Rules {
			// A heading such as "一票否决事项" names its children's kind; a
			// rule stated on a parent cannot be kept, since a parent's
			// score is its children's sum.
			if !strings.Contains(n.Title, s) {
				c.warn(line, "“%s”是上级指标，得分由下级指标相加，其中的计分说明“%s”未计入，已保留在评分标准中", n.Title, s)
			}
		}
	}
	c.rows = append(c.rows, r)
	c.hasPoints = append(c.hasPoints, n.Points != nil)
	for _, ch := range n.Children {
		c.node(ch, depth+1)
	}
}

// rule sets a leaf row's rule from its node's rule sentences.
func (c *outlineReader) rule(r *Row, n *outline.Node, line int) {
	inf := inferRule(ruleSentencesOf(n, r.Guidance), r.Max, n.Points != nil)
	switch {
	case inf.kind != "":
		r.Rule, r.Params = inf.kind, inf.params
		for _, s := range inf.unused {
			c.warn(line, "“%s”未计入计分规则（一个指标只能有一种计分方式：%s），已保留在评分标准中，请核对", s, describe(inf.kind, inf.params))
		}
	case inf.stated:
		c.warn(line, "“%s”的计分方式未能读出（%s），请选择计分方式", n.Title, inf.problem)
	case n.Points != nil:
		r.Rule = kindLabel(assess.KindDirect)
	default:
		c.warn(line, "“%s”未写明分值和计分方式，请补上", n.Title)
	}
	if n.Points == nil && r.Rule != "" && !extraKind(kindOrNone(r.Rule)) {
		c.warn(line, "“%s”未写明分值，请补上", n.Title)
	}
}

// ruleSentencesOf returns the node's rule sentences: those the outline
// engine found, and those of its guidance it does not look for ("…得满分"),
// so that no stated rule is passed over as direct scoring.
func ruleSentencesOf(n *outline.Node, guidance string) []string {
	sents := slices.Clone(n.Rules)
	for _, s := range ruleSentences(guidance) {
		if !slices.ContainsFunc(sents, func(x string) bool { return strings.Contains(x, s) || strings.Contains(s, x) }) {
			sents = append(sents, s)
		}
	}
	return sents
}

// fillParents gives every parent whose points the document does not state
// the sum of its children's, deepest first, so the review shows the
// figures Build would compute. A heading grouping only bonus, penalty and
// veto items has no points: a figure the document gives it is dropped with
// a warning, since such items sit outside the base total.
func (c *outlineReader) fillParents() {
	for i := len(c.rows) - 1; i >= 0; i-- {
		r := &c.rows[i]
		var sum float64
		kids, extras := 0, 0
		for j := i + 1; j < len(c.rows) && c.rows[j].Level > r.Level; j++ {
			if c.rows[j].Level != r.Level+1 {
				continue
			}
			kids++
			if c.extraRow(j) {
				extras++
			} else {
				sum += c.rows[j].Max
			}
		}
		switch {
		case kids == 0:
		case kids == extras && r.Max != 0:
			c.warn(r.Line, "“%s”下只有加分、减分或一票否决项，不计入基本分，所写 %s 分未计入", r.Name, num(r.Max))
			r.Max = 0
		case !c.hasPoints[i]:
			r.Max = tidy(sum)
		}
	}
}

// extraRow reports whether row i is an extra item or a heading of them.
func (c *outlineReader) extraRow(i int) bool {
	r := c.rows[i]
	if i+1 >= len(c.rows) || c.rows[i+1].Level <= r.Level {
		return extraKind(kindOrNone(r.Rule))
	}
	for j := i + 1; j < len(c.rows) && c.rows[j].Level > r.Level; j++ {
		if c.rows[j].Level == r.Level+1 && !c.extraRow(j) {
			return false
		}
	}
	return true
}

// guidanceOf is a node's text after its title and points mark: what
// raters read. Rule sentences stay in it; the rule's params are the
// compact form, the guidance the words raters know.
func guidanceOf(n *outline.Node) string {
	rest, ok := strings.CutPrefix(n.Text, n.Title)
	if !ok {
		if n.Text == n.Title {
			return ""
		}
		rest = n.Text
	}
	rest = leadingPointsRe.ReplaceAllString(rest, "")
	return strings.TrimSpace(strings.TrimLeft(rest, "。，,；;：: \u3000\n"))
}

// lineIndex turns rune offsets in a source into line numbers.
type lineIndex []int // rune offsets where lines start

func newLineIndex(src string) lineIndex {
	idx := lineIndex{0}
	i := 0
	for _, r := range src {
		i++
		if r == '\n' {
			idx = append(idx, i)
		}
	}
	return idx
}

// line returns the 1-based line of rune offset at.
func (l lineIndex) line(at int) int {
	lo, hi := 0, len(l)
	for lo < hi {
		mid := (lo + hi) / 2
		if l[mid] <= at {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return max(lo, 1)
}
