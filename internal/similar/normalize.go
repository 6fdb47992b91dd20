package similar

import "unicode"

// Normalize returns the runes of s that carry content, in a canonical form:
// full-width ASCII (ＡＢＣ１２３) becomes half-width, letters are lower-cased,
// and whitespace, punctuation, symbols and numbering marks (①, Ⅱ) are dropped.
// Chinese characters, letters of any script and decimal digits are kept.
//
// Why: reports are pasted from Word and WPS, re-typed and re-flowed, so
// line breaks, spaces, the width of digits and the choice of “”, 「」 or ""
// differ between two copies of the same sentence, and changing 、 to ， is the
// cheapest disguise there is. Chinese has no spaces between words, so
// dropping them loses nothing. Digits stay: the numbers (场次, 人次, 万份)
// are what makes an honest report its own, and a copier who changes them
// should only lose the shingles around each change.
func Normalize(s string) []rune {
	r, _ := normalize(s, nil, nil)
	return r
}

// normalize is Normalize that also returns, for each kept rune, its rune
// offset in s, so passages can be mapped back to the text as written. It
// appends to r and at, which may be nil or buffers reused across calls.
func normalize(s string, r []rune, at []int32) ([]rune, []int32) {
	r, at = r[:0], at[:0]
	var n int32
	for _, c := range s {
		if c, ok := fold(c); ok {
			r = append(r, c)
			at = append(at, n)
		}
		n++
	}
	return r, at
}

// fold maps c to its canonical form and reports whether it is kept.
func fold(c rune) (rune, bool) {
	switch {
	case c >= 0x4E00 && c <= 0x9FFF: // CJK Unified Ideographs: almost all of a report
		return c, true
	case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return c, true
	case c >= 'A' && c <= 'Z':
		return c + ('a' - 'A'), true
	case c < 0x80:
		return 0, false
	case c >= 0xFF01 && c <= 0xFF5E: // full-width ASCII
		return fold(c - 0xFEE0)
	case unicode.Is(unicode.Han, c): // extensions, 〇
		return c, true
	case unicode.IsLetter(c):
		return unicode.ToLower(c), true
	case unicode.IsDigit(c):
		return c, true
	}
	return 0, false
}
