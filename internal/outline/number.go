package outline

import "unicode"

// digitValue reads a half-width or full-width decimal digit.
func digitValue(c rune) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= '０' && c <= '９':
		return int(c - '０'), true
	}
	return 0, false
}

// cnDigit reads a Chinese numeral digit (〇 and 零 are zero).
func cnDigit(c rune) (int, bool) {
	switch c {
	case '〇', '零', '○':
		return 0, true
	case '一':
		return 1, true
	case '二':
		return 2, true
	case '三':
		return 3, true
	case '四':
		return 4, true
	case '五':
		return 5, true
	case '六':
		return 6, true
	case '七':
		return 7, true
	case '八':
		return 8, true
	case '九':
		return 9, true
	}
	return 0, false
}

// cnUnit reads a Chinese numeral unit.
func cnUnit(c rune) (int, bool) {
	switch c {
	case '十':
		return 10, true
	case '百':
		return 100, true
	case '千':
		return 1000, true
	}
	return 0, false
}

// isCNNumeral reports a rune that may be part of a Chinese number.
func isCNNumeral(c rune) bool {
	if _, ok := cnDigit(c); ok {
		return true
	}
	_, ok := cnUnit(c)
	return ok
}

// parseCN reads a Chinese number as counting writes it, 1 to 9999:
// 七, 十, 十一, 二十, 一百二十, 一百零一. Sequences such as 七一 or 十四五
// are not numbers. It returns false for anything else.
func parseCN(s []rune) (int, bool) {
	if len(s) == 0 || len(s) > 8 {
		return 0, false
	}
	total := 0
	digit := -1       // pending digit, -1 for none
	lastUnit := 10000 // units must decrease
	zero := false     // a 零 was seen since the last unit
	for i, c := range s {
		if d, ok := cnDigit(c); ok {
			if d == 0 {
				if i == 0 || digit >= 0 || zero {
					return 0, false
				}
				zero = true
				continue
			}
			if digit >= 0 {
				return 0, false // two digits in a row: 七一
			}
			digit = d
			continue
		}
		u, _ := cnUnit(c)
		if u >= lastUnit {
			return 0, false
		}
		if digit < 0 {
			if u != 10 || i != 0 {
				return 0, false
			}
			digit = 1 // 十一
		}
		total += digit * u
		digit, lastUnit, zero = -1, u, false
	}
	if digit >= 0 {
		total += digit
	} else if zero {
		return 0, false
	}
	return total, total > 0
}

// Numeral writes n in the Chinese counting numerals statutes number their
// parts with (十一, 一百一十, 一千零一十), the inverse of ParseNumeral for 1
// to 9999. Other values are written in arabic digits.
func Numeral(n int) string { return cnNumber(n) }

// ParseNumeral reads a Chinese counting numeral from 1 to 9999 as the
// engine reads the numbers of parts: 七, 十一, 一百零一, 一千二百六十. It
// returns false for anything else, such as 七一 or 十四五, so a caller
// reading labels agrees with the engine on what a number is.
func ParseNumeral(s string) (int, bool) { return parseCN([]rune(s)) }

// circledValue reads ① to ㊿.
func circledValue(c rune) (int, bool) {
	switch {
	case c >= '①' && c <= '⑳':
		return int(c-'①') + 1, true
	case c >= '㉑' && c <= '㉟':
		return int(c-'㉑') + 21, true
	case c >= '㊱' && c <= '㊿':
		return int(c-'㊱') + 36, true
	}
	return 0, false
}

// strength says how likely a position is to start a numbered part, from
// what comes before it.
type strength uint8

const (
	glued      strength = iota // right after ordinary text
	afterComma                 // after ，,、
	afterSpace                 // after text, separated by spaces
	afterStop                  // after 。；：！？, or a closing quote after one
	lineStart                  // at the start of a line or of the text
)

// token is a number as written, found anywhere in the cleaned text. The
// tree builder decides which tokens really number parts.
type token struct {
	pos, end int // runes [pos, end) in the cleaned text; the part's text starts at end
	style    Style
	n, sub   int // sub is the 之一 of 第一百二十条之一
	label    string
	str      strength
	bare     bool // a bare arabic number with no punctuation: "7加强…"
	// head marks a statute's number in the form only a heading takes: an
	// article number at a line start followed by a space ("第七条　…"),
	// or a 编/章/节 number opening a short line of its own. Citations
	// ("依照第七条规定") never look like this, so such a number starts a
	// part even where it breaks its sequence, as an excerpt of a statute
	// does.
	head bool
	// supp marks the unnumbered 附则 heading on a line of its own, which
	// 民法典 and 刑法 put beside their parts.
	supp bool
}

// hierarchical reports whether a token's style orders the document's
// parts, as 一是 and ① inside a paragraph do not.
func (tk token) hierarchical() bool {
	return !tk.bare && !tk.supp && tk.style != StyleCNShi && tk.style != StyleCircled
}

// strongStart reports a position where a part may begin whatever the
// tree looks like.
func (tk token) strongStart() bool { return tk.str >= afterSpace }

// positionStrength judges the position of index i from the last
// non-space rune before it, at index p (-1 for none).
func positionStrength(r []rune, p, i int) strength {
	if p < 0 || r[p] == '\n' {
		return lineStart
	}
	c := r[p]
	switch {
	case isStop(c), c == '：', c == ':':
		return afterStop
	case isCloser(c) && p > 0 && (isStop(r[p-1]) || r[p-1] == '：' || r[p-1] == ':'):
		return afterStop
	case c == '，', c == ',', c == '、':
		return afterComma
	case p < i-1:
		return afterSpace
	}
	return glued
}

// unitRunes are characters that, right after a bare number, make it a
// quantity or a date rather than the number of a part.
const unitRunes = "年月日号时分秒个项条款章节次名人位家所件万亿千百元角岁周天届期批类种点份户间座场倍米里亩吨克斤张本页部台辆套余多小%‰"

// isHan reports a CJK ideograph.
func isHan(c rune) bool { return unicode.Is(unicode.Han, c) }

// containsRune reports whether s holds c.
func containsRune(s string, c rune) bool {
	for _, x := range s {
		if x == c {
			return true
		}
	}
	return false
}

// tokenize finds every number as written in the cleaned text, with the
// strength of its position. It is one forward pass.
func tokenize(r []rune) []token {
	var toks []token
	lastNS := -1 // last rune before i that is not horizontal space
	for i := 0; i < len(r); i++ {
		if tk, ok := tokenAt(r, i, positionStrength(r, lastNS, i)); ok {
			toks = append(toks, tk)
			i = tk.end - 1
			lastNS = i
			for lastNS > tk.pos && isSpace(r[lastNS]) {
				lastNS--
			}
			continue
		}
		if !isSpace(r[i]) {
			lastNS = i
		}
	}
	return toks
}

// skipSpaces returns the index of the first non-space rune at or after i,
// looking at most max runes ahead.
func skipSpaces(r []rune, i, max int) int {
	for k := 0; k < max && i < len(r) && isSpace(r[i]); k++ {
		i++
	}
	return i
}

// tokenAt reads a numbering token starting at i, if there is one.
func tokenAt(r []rune, i int, str strength) (token, bool) {
	c := r[i]
	var prev rune
	if i > 0 {
		prev = r[i-1]
	}
	switch {
	case c == '第':
		if str < afterSpace {
			return token{}, false
		}
		return ordinalAt(r, i, str)
	case c == '附':
		return supplementaryAt(r, i, str)
	case isCNNumeral(c):
		if isCNNumeral(prev) || prev == '第' {
			return token{}, false
		}
		return cnAt(r, i, str)
	case c == '(' || c == '（':
		return parenAt(r, i, str)
	case isDigit(c):
		if isDigit(prev) || prev == '第' || prev == '.' || prev == '．' || prev == '-' || prev == '/' ||
			prev < 0x80 && unicode.IsLetter(prev) {
			return token{}, false
		}
		return arabicAt(r, i, str)
	}
	if n, ok := circledValue(c); ok && str != glued {
		return token{pos: i, end: i + 1, style: StyleCircled, n: n, label: string(c), str: str}, true
	}
	return token{}, false
}

// isDigit reports a half-width or full-width decimal digit.
func isDigit(c rune) bool {
	_, ok := digitValue(c)
	return ok
}

// numberRun reads a Chinese number (at most 7 runes: 民法典 numbers its
// articles up to 第一千二百六十条, and 一千二百五十九 takes 7) or a decimal
// one (at most 4 digits) at i and returns its value and where it ends. A
// year such as 2023 is read too; the tree builder's sequence rule keeps it
// out.
func numberRun(r []rune, i int) (n, end int, ok bool) {
	j := i
	if j < len(r) && isDigit(r[j]) {
		for j < len(r) && isDigit(r[j]) {
			if j-i == 4 {
				return 0, 0, false
			}
			d, _ := digitValue(r[j])
			n = n*10 + d
			j++
		}
		return n, j, n > 0
	}
	for j < len(r) && isCNNumeral(r[j]) {
		if j-i == 7 {
			return 0, 0, false
		}
		j++
	}
	n, ok = parseCN(r[i:j])
	return n, j, ok
}

// ordinalAt reads the numbers of a statute's parts: 第一编, 第一分编,
// 第一章, 第一节 and 第一条 (第一百二十条之一), also with arabic digits.
func ordinalAt(r []rune, i int, str strength) (token, bool) {
	n, j, ok := numberRun(r, i+1)
	if !ok || j >= len(r) {
		return token{}, false
	}
	var style Style
	switch r[j] {
	case '编':
		style = StylePart
	case '章':
		style = StyleChapter
	case '节':
		style = StyleDivision
	case '条':
		style = StyleArticle
	case '分':
		if j+1 >= len(r) || r[j+1] != '编' {
			return token{}, false
		}
		style = StyleSubpart
		j++
	default:
		return token{}, false
	}
	j++
	sub := 0
	if style == StyleArticle && j+1 < len(r) && r[j] == '之' && isCNNumeral(r[j+1]) {
		k := j + 1
		for k < len(r) && isCNNumeral(r[k]) && k-j <= 4 {
			k++
		}
		if s, ok := parseCN(r[j+1 : k]); ok {
			sub, j = s, k
		}
	}
	tk := token{pos: i, end: j, style: style, n: n, sub: sub, label: string(r[i:j]), str: str}
	if str == lineStart {
		if style == StyleArticle {
			tk.head = j < len(r) && isSpace(r[j])
		} else {
			tk.head = headingLine(r[j:lineEnd(r, j)])
		}
	}
	return tk, true
}

// maxHeading is the longest title of a 编, 章 or 节, in runes. The longest
// in the national statutes are about 25.
const maxHeading = 40

// headingLine reports whether the rest of a line after a 编/章/节 number
// reads as its title: short, and without the punctuation of a sentence.
func headingLine(rest []rune) bool {
	rest = trimSpace(rest)
	if len(rest) > maxHeading {
		return false
	}
	for _, c := range rest {
		if isStop(c) || c == '，' || c == ',' || c == '：' || c == ':' {
			return false
		}
	}
	return true
}

// supplementaryAt reads the unnumbered heading 附则 ("附　　则") standing
// alone on its line.
func supplementaryAt(r []rune, i int, str strength) (token, bool) {
	if str != lineStart {
		return token{}, false
	}
	j := skipSpaces(r, i+1, 4)
	if j >= len(r) || r[j] != '则' {
		return token{}, false
	}
	if rest := trimSpace(r[j+1 : lineEnd(r, j+1)]); len(rest) != 0 {
		return token{}, false
	}
	return token{pos: i, end: j + 1, label: "附则", str: str, supp: true}, true
}

// cnAt reads 一、 一． (cn) or 一是 (cn-shi).
func cnAt(r []rune, i int, str strength) (token, bool) {
	n, j, ok := numberRun(r, i)
	if !ok {
		return token{}, false
	}
	label := string(r[i:j])
	k := skipSpaces(r, j, 1)
	if k >= len(r) {
		return token{}, false
	}
	switch r[k] {
	case '是':
		if str == glued {
			return token{}, false
		}
		return token{pos: i, end: k + 1, style: StyleCNShi, n: n, label: label, str: str}, true
	case '、', '．', '.':
		if str == afterComma || k+1 < len(r) && isDigit(r[k+1]) {
			return token{}, false
		}
		return token{pos: i, end: k + 1, style: StyleCN, n: n, label: label, str: str}, true
	}
	return token{}, false
}

// parenAt reads (一) （一） (cn-paren) or (1) （1） (arabic-paren).
func parenAt(r []rune, i int, str strength) (token, bool) {
	j := skipSpaces(r, i+1, 2)
	if j >= len(r) {
		return token{}, false
	}
	style := StyleCNParen
	if isDigit(r[j]) {
		style = StyleArabicParen
	} else if !isCNNumeral(r[j]) {
		return token{}, false
	}
	n, k, ok := numberRun(r, j)
	if !ok {
		return token{}, false
	}
	label := string(r[j:k])
	k = skipSpaces(r, k, 2)
	if k >= len(r) || r[k] != ')' && r[k] != '）' {
		return token{}, false
	}
	k++
	if k < len(r) && (r[k] == '、' || r[k] == '．') {
		k++
	}
	return token{pos: i, end: k, style: style, n: n, label: label, str: str}, true
}

// arabicAt reads 1. 1、 1 . 1． 1) (delimited) or a bare 7 before a title.
func arabicAt(r []rune, i int, str strength) (token, bool) {
	n, j, ok := numberRun(r, i)
	if !ok {
		return token{}, false
	}
	label := string(r[i:j])
	k := skipSpaces(r, j, 2)
	if k < len(r) {
		switch r[k] {
		case '.', '．', '、':
			if k+1 < len(r) && (isDigit(r[k+1]) || r[k+1] == '.') {
				return token{}, false // 1.5, 1、2, 1..
			}
			return token{pos: i, end: k + 1, style: StyleArabic, n: n, label: label, str: str}, true
		case ')', '）':
			if str == glued {
				return token{}, false
			}
			return token{pos: i, end: k + 1, style: StyleArabicParen, n: n, label: label, str: str}, true
		}
	}
	if k == j && j < len(r) && str >= afterStop && isHan(r[j]) && !containsRune(unitRunes, r[j]) {
		return token{pos: i, end: j, style: StyleArabic, n: n, label: label, str: str, bare: true}, true
	}
	return token{}, false
}
