package outline

import (
	"fmt"
	"sort"
)

// styleRank orders the styles from the most senior: a part numbered in a
// senior style never nests under one numbered in a junior style. A
// statute's levels come first, in the order of 立法技术规范: 编, 分编,
// 章, 节, 条.
var styleRank = map[Style]int{
	StylePart:        0,
	StyleSubpart:     1,
	StyleChapter:     2,
	StyleDivision:    3,
	StyleArticle:     4,
	StyleCN:          5,
	StyleCNParen:     6,
	StyleArabic:      7,
	StyleArabicParen: 8,
	StyleCircled:     9,
	StyleCNShi:       10,
}

// statuteStyle reports the styles of a statute's levels, whose kind does
// not depend on depth.
func statuteStyle(s Style) bool {
	switch s {
	case StylePart, StyleSubpart, StyleChapter, StyleDivision, StyleArticle:
		return true
	}
	return false
}

// kindFor names the role of a node of style s at depth: the top level is
// sections (or a statute's levels), below it the style decides.
func kindFor(s Style, depth int) Kind {
	switch s {
	case StylePart:
		return KindPart
	case StyleSubpart:
		return KindSubpart
	case StyleChapter:
		return KindChapter
	case StyleDivision:
		return KindDivision
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
//
// A statute is read by the same rules, with two of its own: an article
// holds no parts (its enumerations are text), and once the body numbers
// articles as a statute does, a heading in the form only a heading takes
// (see token.head) is a part even where it breaks its sequence, since
// excerpts of statutes skip articles; the break is reported.
type treeBuilder struct {
	t       *text
	heads   []int32 // heads[i]: runes before i that end a heading (stops, line ends)
	body    int     // where the document's body starts
	hasHier bool    // the body has hierarchical numbering
	// statute is set when the body numbers at least two articles the
	// way a statute does (head tokens): only then may a heading break its
	// sequence, so one article quoted in a work plan stays text.
	statute    bool
	roots      []*Node
	stack      []level
	lastClosed map[Style]level
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
	case statuteStyle(tk.style):
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

// follows reports whether tk is the number after (n, sub) in its level:
// the next number, or for an article also the next 之一.
func follows(tk token, n, sub int) bool {
	return tk.n == n+1 && tk.sub == 0 || tk.style == StyleArticle && tk.n == n && tk.sub == sub+1
}

// add offers a token to the tree.
func (b *treeBuilder) add(tk token) {
	if tk.supp {
		b.addSupplementary(tk)
		return
	}
	if !b.positionOK(tk) {
		return
	}
	// 款, 项 and 目 live inside an article: while one is open, numbers in
	// the junior styles are its text, not parts of the document. Only a
	// line continuing a sequence closed before the article (a work plan's
	// 二、 after it quoted 第一条 under 一、) takes the document back.
	if a := b.find(StyleArticle); a >= 0 && styleRank[tk.style] > styleRank[StyleArticle] {
		last, closed := b.lastClosed[tk.style]
		if tk.str != lineStart || !closed || !follows(tk, last.n, last.sub) {
			return
		}
		b.closeFrom(a)
	}
	relaxed := tk.head && b.statute && b.onlyStatuteLevels()
	if i := b.find(tk.style); i >= 0 {
		l := b.stack[i]
		switch {
		case follows(tk, l.n, l.sub):
		case relaxed:
			b.renumbered(tk, l)
		default:
			b.gap(tk, l)
			return
		}
		b.closeFrom(i + 1)
		b.stack = b.stack[:i]
		b.push(tk)
		return
	}
	if tk.bare || tk.sub != 0 && !relaxed {
		return
	}
	last, closed := b.lastClosed[tk.style]
	if tk.n != 1 && !(closed && follows(tk, last.n, last.sub)) {
		if !relaxed {
			return
		}
		if closed {
			b.renumbered(tk, last)
		}
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

// onlyStatuteLevels reports whether every open level is a statute's, so
// a heading that breaks its sequence is not taken inside a work plan's
// section.
func (b *treeBuilder) onlyStatuteLevels() bool {
	for _, l := range b.stack {
		if !statuteStyle(l.style) {
			return false
		}
	}
	return true
}

// addSupplementary places an unnumbered 附则 beside the most senior open
// level of a statute (a 编 in 民法典 and 刑法), so the articles after it
// are its children rather than the last chapter's. Without an open 编,
// 分编 or 章 it is left as text.
func (b *treeBuilder) addSupplementary(tk token) {
	k := -1
	for i, l := range b.stack {
		if l.style == StylePart || l.style == StyleSubpart || l.style == StyleChapter {
			k = i
			break
		}
	}
	if k < 0 {
		return
	}
	l := b.stack[k]
	b.closeFrom(k)
	tk.style, tk.n = l.style, 0
	b.push(tk)
	// A numbered part after the 附则 continues the numbering before it.
	b.stack[len(b.stack)-1].n = l.n
}

// closeFrom closes the levels from stack index k down, remembering where
// each style's numbering stopped.
func (b *treeBuilder) closeFrom(k int) {
	for j := len(b.stack) - 1; j >= k; j-- {
		b.lastClosed[b.stack[j].style] = b.stack[j]
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

// renumbered warns about a statute's heading taken as a part although it
// breaks the sequence of l: an excerpt that skips articles, or a number
// repeated or out of order.
func (b *treeBuilder) renumbered(tk token, l level) {
	msg := "“%s”与前面的“%s”编号重复或顺序颠倒，已照原文收录，请核对"
	if tk.n > l.n || tk.n == l.n && tk.sub > l.sub {
		msg = "“%s”没有接续上一个“%s”，中间可能缺少内容，已照原文收录，请核对"
	}
	b.warns = append(b.warns, Warning{Kind: WarnNumbering, At: b.t.offset(tk.pos),
		Message: fmt.Sprintf(msg, tk.label, l.node.Label)})
}

// buildTree builds the nodes of the body [body, end) from the tokens,
// leaving out the tokens in skip (a 目录 listing the headings). It
// returns the root nodes, each node's own text span, and where the
// preamble ends.
func buildTree(t *text, heads []int32, toks []token, body, end int, skip [2]int) (*treeBuilder, []*Node) {
	b := &treeBuilder{t: t, heads: heads, body: skipBlank(t.r, body, end), lastClosed: map[Style]level{}, preEnd: end}
	lo := sort.Search(len(toks), func(i int) bool { return toks[i].pos >= body })
	hi := sort.Search(len(toks), func(i int) bool { return toks[i].pos >= end })
	in := toks[lo:hi]
	use := func(tk token) bool { return tk.end <= end && (tk.pos < skip[0] || tk.pos >= skip[1]) }
	if skip[1] > skip[0] && b.body >= skip[0] && b.body < skip[1] {
		b.body = skipBlank(t.r, skip[1], end)
	}
	headArticles := 0
	for _, tk := range in {
		if !use(tk) {
			continue
		}
		if tk.hierarchical() && (tk.strongStart() || tk.pos == b.body) {
			b.hasHier = true
		}
		if tk.head && tk.style == StyleArticle {
			headArticles++
		}
	}
	b.statute = headArticles >= 2
	for _, tk := range in {
		if use(tk) {
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
