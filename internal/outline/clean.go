package outline

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// text is the cleaned input the later steps read: the runes, and for each
// the offset in the decoded input it came from, so warnings and nodes can
// point back at the source after chrome and page markers are gone.
type text struct {
	r  []rune
	at []int
	// end is the length of the decoded input in runes, the offset of a
	// warning about the end of the text.
	end int
}

// add appends rune c taken from offset at.
func (t *text) add(c rune, at int) {
	t.r = append(t.r, c)
	t.at = append(t.at, at)
}

// offset returns the source offset of cleaned index i; the end of the
// input for an index past the last rune.
func (t *text) offset(i int) int {
	if i >= 0 && i < len(t.at) {
		return t.at[i]
	}
	return t.end
}

// line is one line of the decoded input: runes [start, end), the line
// terminator not included.
type line struct{ start, end int }

// splitLines splits src at "\n", "\r\n" and "\r".
func splitLines(src []rune) []line {
	var lines []line
	start := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			lines = append(lines, line{start, i})
			start = i + 1
		case '\r':
			lines = append(lines, line{start, i})
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	if start < len(src) {
		lines = append(lines, line{start, len(src)})
	}
	return lines
}

// isSpace reports horizontal white space, including the ideographic space
// Chinese documents indent with. Line ends are not spaces: they carry
// structure.
func isSpace(c rune) bool {
	switch c {
	case ' ', '\t', '\u3000', '\u00A0', '\f', '\v', '\uFEFF':
		return true
	}
	return false
}

// trimSpace trims horizontal space and line ends from both ends of s.
func trimSpace(s []rune) []rune {
	for len(s) > 0 && (isSpace(s[0]) || s[0] == '\n') {
		s = s[1:]
	}
	for len(s) > 0 && (isSpace(s[len(s)-1]) || s[len(s)-1] == '\n') {
		s = s[:len(s)-1]
	}
	return s
}

// chromeMarks are phrases that only document-sharing sites write: a line
// holding one is the site's, not the document's.
var chromeMarks = []string{
	"由会员分享", "上传人", "更多相关", "可在线阅读", "文库网", "百度文库", "原创力文档",
	"道客巴巴", "豆丁网", "全文阅读已结束", "下载文档到电脑", "点击下载", "免费下载",
	"文档来源", "当前位置", "温馨提示", "本文档由", "侵权请联系", "下载积分",
}

var (
	// pageOfRe matches a "第N页 / 共M页" page line.
	pageOfRe = regexp.MustCompile(`^第\s*[0-9０-９]+\s*页\s*[/／,，]?\s*共\s*[0-9０-９]+\s*页$`)
	// footerRe matches a bare page footer such as "- 3 -" or "— 3 —".
	footerRe = regexp.MustCompile(`^[-—－]+\s*[0-9０-９]+\s*[-—－]+$`)
)

// maxChromeLine is the longest line that may be site chrome: longer lines
// are the document's own text even if they quote a chrome phrase.
const maxChromeLine = 300

// isChrome reports whether a line is site chrome: a sharing notice,
// breadcrumbs, an uploader line or a page counter.
func isChrome(l []rune) bool {
	l = trimSpace(l)
	if len(l) == 0 || len(l) > maxChromeLine {
		return false
	}
	s := string(l)
	for _, m := range chromeMarks {
		if strings.Contains(s, m) {
			return true
		}
	}
	if pageOfRe.MatchString(s) || footerRe.MatchString(s) {
		return true
	}
	// Breadcrumbs: "首页 > 行业资料 > 党政" — short segments between arrows.
	if len(l) <= 80 {
		seps := strings.Count(s, ">") + strings.Count(s, "›") + strings.Count(s, "»") + strings.Count(s, "＞")
		if seps >= 2 {
			return true
		}
	}
	return false
}

// pageMarker is a candidate page marker "N、" at the start of a line.
type pageMarker struct {
	line   int // index into the lines
	n      int
	digits int // source offset of the first digit
	end    int // source offset just past the marker and the spaces after it
}

// markerAt reads a page-marker candidate at the start of line l: optional
// space, one to four digits, optional space, "、".
func markerAt(src []rune, l line) (pageMarker, bool) {
	i := l.start
	for i < l.end && isSpace(src[i]) {
		i++
	}
	d := i
	n := 0
	for i < l.end && i-d < 4 {
		v, ok := digitValue(src[i])
		if !ok {
			break
		}
		n = n*10 + v
		i++
	}
	if i == d || n == 0 {
		return pageMarker{}, false
	}
	for k := 0; k < 2 && i < l.end && isSpace(src[i]); k++ {
		i++
	}
	if i >= l.end || src[i] != '、' {
		return pageMarker{}, false
	}
	i++
	for i < l.end && isSpace(src[i]) {
		i++
	}
	return pageMarker{n: n, digits: d, end: i}, true
}

// minUnfinished is the length from which a line that stops without
// closing punctuation is taken to break off mid-sentence. Shorter lines
// are headings, which close without punctuation.
const minUnfinished = 20

// unfinished reports whether a line breaks off mid-sentence: it is long
// and its last character closes no sentence (a closing quote counts only
// after a full stop).
func unfinished(l []rune) bool {
	l = trimSpace(l)
	if len(l) < minUnfinished {
		return false
	}
	last := l[len(l)-1]
	if isStop(last) || last == '…' || last == '：' || last == ':' {
		return false
	}
	if isCloser(last) && len(l) >= 2 && (isStop(l[len(l)-2]) || l[len(l)-2] == '…') {
		return false
	}
	return true
}

// isStop reports the punctuation that ends a sentence.
func isStop(c rune) bool {
	switch c {
	case '。', '！', '？', '!', '?', '；', ';':
		return true
	}
	return false
}

// isCloser reports closing quotes and brackets.
func isCloser(c rune) bool {
	switch c {
	case '”', '’', '」', '』', '）', ')', '》', '】', '"', '\'':
		return true
	}
	return false
}

// findPageMarkers finds the page markers among the kept lines. A
// document-sharing site numbers its pages 1、2、3… at line starts, so the
// markers form a chain of consecutive numbers; most of them interrupt a
// sentence, because a page ends wherever the text happens to be. A real
// list "1、… 2、…" also counts up, but its lines end their sentences, so a
// chain is taken for page markers only when at least half of its members
// (that have a line before them) follow an unfinished line.
func findPageMarkers(src []rune, lines []line, kept []bool) map[int]pageMarker {
	type chain struct {
		members     []pageMarker
		mid, judged int
	}
	var chains []*chain
	expect := map[int]*chain{} // next number → the chain waiting for it
	prev := -1                 // last kept non-empty line
	for i, l := range lines {
		if !kept[i] {
			continue
		}
		if m, ok := markerAt(src, l); ok {
			m.line = i
			c := expect[m.n]
			if c == nil {
				c = &chain{}
				chains = append(chains, c)
			} else {
				delete(expect, m.n)
			}
			c.members = append(c.members, m)
			if prev >= 0 {
				c.judged++
				if unfinished(src[lines[prev].start:lines[prev].end]) {
					c.mid++
				}
			}
			expect[m.n+1] = c
		}
		if len(trimSpace(src[l.start:l.end])) > 0 {
			prev = i
		}
	}
	out := map[int]pageMarker{}
	for _, c := range chains {
		if len(c.members) >= 2 && c.judged > 0 && 2*c.mid >= c.judged {
			for _, m := range c.members {
				out[m.line] = m
			}
		}
	}
	return out
}

// clean drops site chrome lines and page markers from the decoded input
// and rejoins the sentences the markers interrupted. It returns one
// page-marker warning per marker removed.
func clean(src []rune) (*text, []Warning) {
	t := &text{r: make([]rune, 0, len(src)), at: make([]int, 0, len(src)), end: len(src)}
	lines := splitLines(src)
	kept := make([]bool, len(lines))
	for i, l := range lines {
		kept[i] = !isChrome(src[l.start:l.end])
	}
	markers := findPageMarkers(src, lines, kept)
	var warns []Warning
	prev := -1 // last kept line emitted
	for i, l := range lines {
		if !kept[i] {
			continue
		}
		start := l.start
		join := false
		if m, ok := markers[i]; ok {
			label := strings.TrimSpace(string(src[m.digits:m.end]))
			warns = append(warns, Warning{Kind: WarnPageMarker, At: m.digits,
				Message: fmt.Sprintf("已删除页码标记“%s”，前后文字已接续", label)})
			start = m.end
			join = prev >= 0 && unfinished(src[lines[prev].start:lines[prev].end])
		}
		if prev >= 0 {
			if join {
				// The page broke the sentence: drop the space the
				// previous line may end with and glue the halves.
				for len(t.r) > 0 && isSpace(t.r[len(t.r)-1]) {
					t.r, t.at = t.r[:len(t.r)-1], t.at[:len(t.at)-1]
				}
			} else {
				t.add('\n', lines[prev].end)
			}
		}
		for j := start; j < l.end; j++ {
			t.add(src[j], j)
		}
		prev = i
	}
	return t, warns
}

// sortWarnings orders warnings by position, then kind, keeping the order
// of equal ones.
func sortWarnings(w []Warning) {
	slices.SortStableFunc(w, func(a, b Warning) int {
		if a.At != b.At {
			return a.At - b.At
		}
		return strings.Compare(string(a.Kind), string(b.Kind))
	})
}
