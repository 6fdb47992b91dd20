package outline

import "fmt"

// buildDocument builds one document of the cleaned text: its tree, node
// fields, metadata and preamble. It returns nil for a span holding only
// white space.
func buildDocument(t *text, heads []int32, toks []token, span docSpan) (*Document, []Warning) {
	r := t.r
	first := skipBlank(r, span.start, span.end)
	if first >= span.end {
		return nil, nil
	}
	doc := &Document{Title: span.title, Nodes: []*Node{}, At: t.offset(first)}
	sig, issuer, date := signature(r, span.body, span.end)
	toc := contentsSpan(r, span.body, sig)
	b, roots := buildTree(t, heads, toks, span.body, sig, toc)
	if roots != nil {
		doc.Nodes = roots
	}
	for _, sp := range b.spans {
		fillNode(sp.node, r[sp.start:sp.end])
	}
	doc.Issuer, doc.Date = issuer, date
	doc.Preamble = header(doc, r, span.start, span.body, b.preEnd, toc)
	if doc.Issuer == "" {
		doc.Issuer = issuerFromTitle(doc.Title)
	}
	warns := b.warns
	if w, ok := truncation(t, doc, b, first, sig); ok {
		warns = append(warns, w)
	}
	return doc, warns
}

// finished reports whether text ends a sentence.
func finished(s []rune) bool {
	s = trimSpace(s)
	if len(s) == 0 {
		return true
	}
	c := s[len(s)-1]
	if isStop(c) || c == '…' || c == '：' || c == ':' {
		return true
	}
	return isCloser(c) && len(s) > 1 && (isStop(s[len(s)-2]) || s[len(s)-2] == '…')
}

// truncation marks the document's last node incomplete when the text
// breaks off in mid-sentence: its text stops without closing punctuation
// although the node before it closes its own (so a list of headings
// without full stops is not flagged), or, for a first child, although it
// closed sentences before the cut.
func truncation(t *text, doc *Document, b *treeBuilder, start, end int) (Warning, bool) {
	r := t.r
	last := end - 1
	for last >= 0 && (isSpace(r[last]) || r[last] == '\n') {
		last--
	}
	if last < start || finished(r[start:last+1]) {
		return Warning{}, false
	}
	spans := make(map[*Node]ownText, len(b.spans))
	for _, sp := range b.spans {
		spans[sp.node] = sp
	}
	var node, prev *Node
	for level := doc.Nodes; len(level) > 0; level = node.Children {
		node = level[len(level)-1]
		prev = nil
		if len(level) > 1 {
			prev = level[len(level)-2]
		}
	}
	cut := false
	switch {
	case node == nil:
		cut = hasStop(r[start : last+1])
	case prev != nil:
		ps := spans[prev]
		cut = finished(r[ps.start:ps.end])
	default:
		ns := spans[node]
		cut = hasStop(r[ns.start:ns.end])
	}
	if !cut {
		return Warning{}, false
	}
	if node != nil {
		node.Incomplete = true
	}
	tail := r[max(0, last-9) : last+1]
	return Warning{Kind: WarnTruncated, At: t.offset(last) + 1,
		Message: fmt.Sprintf("文本在“…%s”处中断，最后一项可能不完整", string(tail))}, true
}

// hasStop reports whether s closes a sentence anywhere.
func hasStop(s []rune) bool {
	for _, c := range s {
		if c == '。' || c == '！' || c == '？' {
			return true
		}
	}
	return false
}
