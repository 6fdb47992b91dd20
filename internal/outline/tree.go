package outline

import (
	"fmt"
	"sort"
)

// styleRank orders the styles from the most senior: a part numbered in a
// senior style never nests under one numbered in a junior style.
var styleRank = map[Style]int{
	StyleChapter:     0,
	StyleArticle:     1,
	StyleCN:          2,
	StyleCNParen:     3,
	StyleArabic:      4,
	StyleArabicParen: 5,
	StyleCircled:     6,
	StyleCNShi:       7,
}

// kindFor names the role of a node of style s at depth: the top level is
// sections (or chapters, articles), below it the style decides.
func kindFor(s Style, depth int) Kind {
	switch s {
	case StyleChapter:
		return KindChapter
	case StyleArticle:
		return KindArticle
	case StyleCNShi:
		return KindPoint
	}
	if depth == 0 {
		return KindSection
	}
	switch s {
	case StyleCN, StyleCNParen:
		return KindSubsection
	case StyleArabic:
		return KindItem
	}
	return KindSubitem
}

// level is one open level of the tree: its style and the last number
// taken in it.
type level struct {
	style  Style
	n, sub int
	node   *Node
}

// ownText is the span of the cleaned text a node owns: from the end of its
// number to the next accepted number.
type ownText struct {
	node       *Node
	start, end int
}

// treeBuilder builds one document's tree from its tokens. It keeps a stack
// of open levels, one per style, and accepts a token only when it
// continues the sequence of a level on the stack or starts a new level
// with 1 (or continues the numbering of a level of its style closed
// before, as a plan numbering its items 1–19 across sections does).
// Anything else is text: "创建20周年" inside item 14 is not item 20.
type treeBuilder struct {
	t          *text
	heads      []int32 // heads[i]: runes before i that end a heading (stops, line ends)
	body       int     // where the document's body starts
	hasHier    bool    // the body has hierarchical numbering
	roots      []*Node
	stack      []level
	lastClosed map[Style]int
	spans      []ownText
	preEnd     int // end of the preamble: the first accepted token
	warns      []Warning
}

// headingEnds computes, for each index, how many runes before it end a
// heading, so "does the current node's text hold a full stop yet" is one
// subtraction.
func headingEnds(r []rune) []int32 {
	h := make([]int32, len(r)+1)
	for i, c := range r {
		h[i+1] = h[i]
		if isStop(c) || c == '\n' || c == '：' || c == ':' {
			h[i+1]++
		}
	}
	return h
}

// inHeading reports whether pos is still inside the heading of the node
// whose number was accepted last: no full stop or line end since its
// number, and not far from it. Only there may a number glued to the text
// before it ("…法治思想1 .把思想…") start a part.
func (b *treeBuilder) inHeading(pos int) bool {
	if len(b.spans) == 0 {
		return false
	}
	st := b.spans[len(b.spans)-1].start
	n := pos - st
	return n >= 2 && n <= maxTitle && b.heads[pos]-b.heads[st] == 0
}

// positionOK reports whether tk stands where a part may begin.
func (b *treeBuilder) positionOK(tk token) bool {
	if tk.pos == b.body {
		return true
	}
	switch {
	case tk.style == StyleChapter, tk.style == StyleArticle:
		return tk.str >= afterSpace
	case tk.style == StyleCNShi, tk.style == StyleCircled:
		return tk.str != glued
	case tk.bare:
		return tk.str >= afterStop
	}
	switch tk.str {
	case lineStart, afterStop, afterSpace:
		return true
	case afterComma:
		return tk.style == StyleArabicParen
	}
	return b.inHeading(tk.pos)
}

// find returns the stack index of the level of style s, or -1.
func (b *treeBuilder) find(s Style) int {
	for i, l := range b.stack {
		if l.style == s {
			return i
		}
	}
	return -1
}

// add offers a token to the tree.
func (b *treeBuilder) add(tk token) {
	if !b.positionOK(tk) {
		return
	}
	if i := b.find(tk.style); i >= 0 {
		l := b.stack[i]
		if tk.n == l.n+1 && tk.sub == 0 || tk.style == StyleArticle && tk.n == l.n && tk.sub == l.sub+1 {
			b.closeFrom(i + 1)
			b.stack = b.stack[:i]
			b.push(tk)
			return
		}
		b.gap(tk, l)
		return
	}
	if tk.bare || tk.sub != 0 {
		return
	}
	last := b.lastClosed[tk.style]
	if tk.n != 1 && (last == 0 || tk.n != last+1) {
		return
	}
	if tk.style == StyleCNShi && len(b.stack) == 0 && b.hasHier {
		return // 一是… in a preamble, before the document's own numbering
	}
	k := len(b.stack)
	for k > 0 && styleRank[b.stack[k-1].style] > styleRank[tk.style] {
		k--
	}
	b.closeFrom(k)
	b.push(tk)
}

// closeFrom closes the levels from stack index k down, remembering where
// each style's numbering stopped.
func (b *treeBuilder) closeFrom(k int) {
	for j := len(b.stack) - 1; j >= k; j-- {
		b.lastClosed[b.stack[j].style] = b.stack[j].n
	}
	b.stack = b.stack[:k]
}

// push adds a node for tk under the stack's top level, or at the root.
func (b *treeBuilder) push(tk token) {
	depth := len(b.stack)
	nd := &Node{Kind: kindFor(tk.style, depth), N: tk.n, Label: tk.label, Style: tk.style,
		Children: []*Node{}, At: b.t.offset(tk.pos)}
	if depth == 0 {
		b.roots = append(b.roots, nd)
	} else {
		p := b.stack[depth-1].node
		p.Children = append(p.Children, nd)
	}
	b.stack = append(b.stack, level{style: tk.style, n: tk.n, sub: tk.sub, node: nd})
	if len(b.spans) == 0 {
		b.preEnd = tk.pos
	} else {
		b.spans[len(b.spans)-1].end = tk.pos
	}
	b.spans = append(b.spans, ownText{node: nd, start: tk.end})
}

// gap warns about a number at a strong position that breaks its level's
// sequence by a little (a skipped or repeated number), which is more
// likely a numbering mistake in the document than text.
func (b *treeBuilder) gap(tk token, l level) {
	if !tk.hierarchical() || !tk.strongStart() || tk.sub != 0 {
		return
	}
	if tk.n == l.n || tk.n > l.n+1 && tk.n <= l.n+3 {
		b.warns = append(b.warns, Warning{Kind: WarnNumbering, At: b.t.offset(tk.pos),
			Message: fmt.Sprintf("编号“%s”没有接续上一个编号“%s”，已按正文处理，请核对", tk.label, l.node.Label)})
	}
}

// buildTree builds the nodes of the body [body, end) from the tokens. It
// returns the root nodes, each node's own text span, and where the
// preamble ends.
func buildTree(t *text, heads []int32, toks []token, body, end int) (*treeBuilder, []*Node) {
	b := &treeBuilder{t: t, heads: heads, body: skipBlank(t.r, body, end), lastClosed: map[Style]int{}, preEnd: end}
	lo := sort.Search(len(toks), func(i int) bool { return toks[i].pos >= body })
	hi := sort.Search(len(toks), func(i int) bool { return toks[i].pos >= end })
	in := toks[lo:hi]
	for _, tk := range in {
		if tk.hierarchical() && (tk.strongStart() || tk.pos == b.body) && tk.end <= end {
			b.hasHier = true
			break
		}
	}
	for _, tk := range in {
		if tk.end <= end {
			b.add(tk)
		}
	}
	if n := len(b.spans); n > 0 {
		b.spans[n-1].end = end
	}
	return b, b.roots
}

// skipBlank returns the first index at or after i, before end, that is
// not white space.
func skipBlank(r []rune, i, end int) int {
	for i < end && (isSpace(r[i]) || r[i] == '\n') {
		i++
	}
	return i
}
