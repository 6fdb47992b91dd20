package outline

import (
	"regexp"
	"slices"
	"sort"
	"strings"
)

// docSpan is one document of the cleaned text, found by splitDocuments.
type docSpan struct {
	start, end int    // runes [start, end) of the cleaned text
	title      string // empty when the document states none
	body       int    // where the text after the title starts
}

// titleSuffixes end the titles of the documents a 普法办 handles. A line
// or sentence that ends in one of them and is followed by the start of a
// body is a title candidate.
var titleSuffixes = [][]rune{
	[]rune("讲话"), []rune("要点"), []rune("方案"), []rune("意见"), []rune("办法"),
	[]rune("通知"), []rune("规划"), []rune("计划"), []rune("决定"), []rune("细则"),
	[]rune("规定"), []rune("条例"), []rune("通报"), []rune("报告"), []rune("纲要"),
	[]rune("清单"), []rune("安排"), []rune("指引"), []rune("指南"), []rune("制度"),
	[]rune("标准"), []rune("体系"), []rune("总结"), []rune("公告"), []rune("批复"),
}

// bodyOpeners are how a document's body starts right after its title when
// a scraper glued the two together: "…工作要点2023年是…", "…讲话同志们，…".
var bodyOpeners = []string{
	"同志们", "各位", "尊敬的", "为了", "为", "根据", "按照", "依据", "近年来", "当前", "今年", "去年",
	"现将", "各", "一、", "（一）", "(一)", "第一章", "第一条", "1.", "1、", "1．",
}

// maxTitle is the longest title accepted, in runes.
const maxTitle = 80

// titleWindow is how far a title candidate is looked for, in runes.
const titleWindow = 100

// candidate is a possible document title at a sentence start.
type candidate struct {
	start, end int
	wholeLine  bool // the title is a line by itself
}

// endsWithSuffix reports whether r[:k] ends with a title suffix.
func endsWithSuffix(r []rune, k int) bool {
	if k < 2 || !suffixEnds[r[k-1]] {
		return false
	}
	for _, s := range titleSuffixes {
		if k >= len(s) && slices.Equal(r[k-len(s):k], s) {
			return true
		}
	}
	return false
}

// suffixEnds are the last characters of the title suffixes, a quick
// first test.
var suffixEnds = func() map[rune]bool {
	m := map[rune]bool{}
	for _, s := range titleSuffixes {
		m[s[len(s)-1]] = true
	}
	return m
}()

// opensBody reports whether the text at k starts like a document body.
func opensBody(r []rune, k int) bool {
	if k+5 <= len(r) && isDigit(r[k]) && isDigit(r[k+1]) && isDigit(r[k+2]) && isDigit(r[k+3]) && r[k+4] == '年' {
		return true
	}
	if k+6 <= len(r) && (r[k] == '（' || r[k] == '(') && isDigit(r[k+1]) && isDigit(r[k+4]) && r[k+5] == '年' {
		return true // a speech's date under its title: （2023年3月1日）
	}
	end := min(len(r), k+4)
	s := string(r[k:end])
	for _, o := range bodyOpeners {
		if strings.HasPrefix(s, o) {
			return true
		}
	}
	return false
}

// titleBreaks end the window a title is looked for in.
func titleBreak(c rune) bool {
	switch c {
	case '，', ',', '。', '；', ';', '：', ':', '！', '？', '!', '?', '\n':
		return true
	}
	return false
}

// candidateAt looks for a title starting at s: a run without sentence
// punctuation that ends in a title suffix and is followed by a line end or
// by the start of a body. The first such end wins, so a title is never
// stretched over a suffix word inside the body.
func candidateAt(r []rune, s int, tokenAtPos map[int]bool) (candidate, bool) {
	s = skipSpaces(r, s, titleWindow)
	if s >= len(r) || tokenAtPos[s] {
		return candidate{}, false
	}
	lineStart := s == 0 || r[s-1] == '\n' || isSpace(r[s-1]) && lineStartBefore(r, s)
	for k := s + 1; k <= len(r) && k-s <= titleWindow; k++ {
		if k-s <= maxTitle && k-s >= 4 && endsWithSuffix(r, k) && k < len(r) {
			switch c := r[k]; {
			case c == '\n':
				return candidate{start: s, end: k, wholeLine: lineStart}, true
			case isCloser(c), c == '（' && !opensBody(r, k), c == '(' && !opensBody(r, k):
				// A citation (《…规划》) or a qualifier, not a title end.
			case opensBody(r, k):
				return candidate{start: s, end: k}, true
			}
		}
		if k < len(r) && titleBreak(r[k]) {
			break
		}
	}
	return candidate{}, false
}

// lineStartBefore reports whether only spaces stand between the start of
// s's line and s.
func lineStartBefore(r []rune, s int) bool {
	for i := s - 1; i >= 0; i-- {
		if r[i] == '\n' {
			return true
		}
		if !isSpace(r[i]) {
			return false
		}
	}
	return true
}

// sentenceStarts lists the indices where a sentence may start: the start
// of the text, after a line end, after 。！？ (and a closing quote after
// one).
func sentenceStarts(r []rune) []int {
	starts := []int{0}
	for i, c := range r {
		switch {
		case c == '\n', c == '。', c == '！', c == '？', c == '!', c == '?':
			if i+1 < len(r) && !isCloser(r[i+1]) {
				starts = append(starts, i+1)
			}
		case isCloser(c) && i > 0 && (r[i-1] == '。' || r[i-1] == '！' || r[i-1] == '？'):
			if i+1 < len(r) {
				starts = append(starts, i+1)
			}
		}
	}
	return starts
}

// splitDocuments splits the cleaned text into documents. A scraped text
// may hold several, the next title glued to the last line of the one
// before ("…更上新台阶。2023年全国普法依法治理工作要点2023年是…"). A title
// candidate starts a new document only when the numbering restarts after
// it: the first numbered part after it is number 1 in the style the
// current document numbered its parts with first. A document without
// numbering ends only at a title that is a line by itself followed by a
// part numbered 1.
func splitDocuments(t *text, toks []token) []docSpan {
	r := t.r
	tokenAtPos := make(map[int]bool, len(toks))
	tokenIndex := make(map[int]int, len(toks))
	var strong []token // hierarchical tokens at strong positions
	for i, tk := range toks {
		tokenAtPos[tk.pos] = true
		tokenIndex[tk.pos] = i
		if tk.hierarchical() && tk.strongStart() {
			strong = append(strong, tk)
		}
	}
	// firstStrong returns the index in strong of the first token at or
	// after pos.
	firstStrong := func(pos int) int {
		return sort.Search(len(strong), func(i int) bool { return strong[i].pos >= pos })
	}

	first := docSpan{start: 0, end: len(r)}
	first.title, first.body = headTitle(r, 0, tokenAtPos)
	docs := []docSpan{first}
	cur := &docs[0]
	for _, s := range sentenceStarts(r) {
		if s < cur.body {
			continue
		}
		c, ok := candidateAt(r, s, tokenAtPos)
		if !ok {
			continue
		}
		// The numbering after the candidate: a glued "工作要点一、" counts.
		ni := firstStrong(c.end)
		var next *token
		if ni < len(strong) {
			next = &strong[ni]
		}
		if i, ok := tokenIndex[c.end]; ok && toks[i].hierarchical() {
			next = &toks[i]
		}
		if next == nil || next.n != 1 || next.sub != 0 {
			continue
		}
		pi := firstStrong(cur.body)
		if pi < len(strong) && strong[pi].pos < c.start {
			if strong[pi].style != next.style {
				continue
			}
		} else if !c.wholeLine {
			continue
		}
		cur.end = c.start
		docs = append(docs, docSpan{start: c.start, end: len(r), title: string(r[c.start:c.end]), body: c.end})
		cur = &docs[len(docs)-1]
	}
	return docs
}

// headTitle finds the title at the start of a document: its first line
// when that line is short and reads like a title (two lines when a long
// title is broken), or a title candidate glued to the body on a long first
// line. It returns the title and where the body starts; "" and the start
// when there is none.
func headTitle(r []rune, start int, tokenAtPos map[int]bool) (string, int) {
	s := start
	for s < len(r) && (isSpace(r[s]) || r[s] == '\n') {
		s++
	}
	// Header lines before a title: the issuer's "…文件", the 文号, an
	// attachment's "附件2".
	for {
		e := lineEnd(r, s)
		l := string(trimSpace(r[s:e]))
		if l == "" || !(docNumberLineRe.MatchString(l) || isHeaderIssuer(l) || attachmentRe.MatchString(l)) {
			break
		}
		s = e
		for s < len(r) && (isSpace(r[s]) || r[s] == '\n') {
			s++
		}
	}
	if s >= len(r) {
		return "", start
	}
	e := lineEnd(r, s)
	first := trimSpace(r[s:e])
	if len(first) <= maxTitle && e < len(r) && looksLikeTitleLine(first, tokenAtPos[s]) {
		title := string(first)
		// A long title broken over two lines: the second ends in a suffix.
		if !endsWithSuffix(first, len(first)) {
			s2 := e + 1
			e2 := lineEnd(r, s2)
			second := trimSpace(r[s2:e2])
			if len(second) > 0 && len(second) <= 40 && endsWithSuffix(second, len(second)) &&
				looksLikeTitleLine(second, tokenAtPos[s2]) && len(first)+len(second) <= maxTitle {
				return title + string(second), e2
			}
		}
		return title, e
	}
	if c, ok := candidateAt(r, s, tokenAtPos); ok {
		return string(r[c.start:c.end]), c.end
	}
	return "", start
}

// attachmentRe matches the label over an attached document: 附件, 附件2：.
var attachmentRe = regexp.MustCompile(`^附件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?$`)

// lineEnd returns the index of the line end at or after i, or len(r).
func lineEnd(r []rune, i int) int {
	for i < len(r) && r[i] != '\n' {
		i++
	}
	return i
}

// looksLikeTitleLine reports whether a short line may be a title: it is
// not numbered, holds no full stop, and does not end like a sentence or a
// salutation.
func looksLikeTitleLine(l []rune, numbered bool) bool {
	if len(l) < 2 || numbered {
		return false
	}
	for _, c := range l {
		if c == '。' {
			return false
		}
	}
	switch l[len(l)-1] {
	case '：', ':', '，', ',', '；', ';', '、':
		return false
	}
	s := string(l)
	return !docNumberLineRe.MatchString(s) && !dateLineRe.MatchString(s)
}
