package outline

import "unicode"

// maxContentsEntry is the longest line a 目录 entry may be, in runes, with
// its dot leaders and page number.
const maxContentsEntry = 60

// contentsSpan finds the table of contents (目录) a statute or a long
// document may open with: a line reading 目录 (or 目次, spaced out or not)
// followed by heading lines. Its entries repeat the headings of the body
// ("第一章　基本规定"), so read as parts they would make every chapter
// twice; the tree builder skips the tokens in it and the preamble leaves
// it out. The contents end at the first line that repeats one of their
// entries (the body's first heading) or reads as prose; they are looked
// for only before the first article. It returns the span [from, to) of the
// cleaned text, from the 目录 line to the start of the body, or an empty
// span.
func contentsSpan(r []rune, from, to int) [2]int {
	s := from
	for s < to {
		e := min(lineEnd(r, s), to)
		l := trimSpace(r[s:e])
		if isArticleLine(l) {
			return [2]int{}
		}
		if isContentsHead(l) {
			return contentsEntries(r, s, e+1, to)
		}
		s = e + 1
	}
	return [2]int{}
}

// contentsEntries reads the entries of a 目录 whose line starts at head,
// from the line at s, and returns the span of the contents. A 目录 line
// with no entry after it is not one.
func contentsEntries(r []rune, head, s, to int) [2]int {
	seen := map[string]bool{}
	for s < to {
		e := min(lineEnd(r, s), to)
		l := trimSpace(r[s:e])
		if len(l) > 0 {
			k := contentsKey(l)
			if seen[k] || len(l) > maxContentsEntry || hasStop(l) || isArticleLine(l) {
				break
			}
			seen[k] = true
		}
		s = e + 1
	}
	if len(seen) == 0 {
		return [2]int{}
	}
	return [2]int{head, min(s, to)}
}

// isContentsHead reports the line over a 目录: 目录 or 目次, maybe spaced
// out (目　　录).
func isContentsHead(l []rune) bool {
	if len(l) < 2 || len(l) > 8 || l[0] != '目' {
		return false
	}
	k := contentsKey(l)
	return k == "目录" || k == "目次"
}

// isArticleLine reports a line that opens with an article number.
func isArticleLine(l []rune) bool {
	if len(l) == 0 || l[0] != '第' {
		return false
	}
	tk, ok := ordinalAt(l, 0, lineStart)
	return ok && tk.style == StyleArticle
}

// contentsKey normalises a heading line so a 目录 entry and the heading it
// lists compare equal: no spaces ("总　　则"), no dot leaders and no page
// number after the title.
func contentsKey(l []rune) string {
	out := make([]rune, 0, len(l))
	for _, c := range l {
		if !isSpace(c) && c != '\t' {
			out = append(out, c)
		}
	}
	// Page numbers and dot leaders: "第一章总则……………1", "总则.....3".
	end := len(out)
	for end > 0 && (isDigit(out[end-1]) || unicode.In(out[end-1], unicode.Po, unicode.Pd)) {
		end--
	}
	if end == 0 {
		return string(out)
	}
	return string(out[:end])
}
