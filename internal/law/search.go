package law

import (
	"strings"
	"unicode"
)

// SearchKey normalises text for search, so that a query matches however
// the law or the query was typed, copied or OCR'd:
//
//   - full-width ASCII becomes half-width (ＡＢＣ１２３ → abc123);
//   - Latin letters are lower-cased;
//   - white space of every kind (spaces, the ideographic space, line ends),
//     punctuation (，。、；：“”《》（）— and ASCII punctuation, % and _
//     included) and invisible format characters are dropped.
//
// Chinese characters, digits and symbols such as + or ~ are kept as they
// are; traditional characters are not folded to simplified, nor Chinese
// numerals to digits, since article text is searched as written.
//
// The store keeps SearchKey of a law's title and of each article's text
// beside them and finds a query as a substring of those keys:
// SearchKey("民法典 第1条") is "民法典第1条". A key holds no % or _, so
// it drops into a LIKE pattern without escaping.
func SearchKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		if c >= 0xFF01 && c <= 0xFF5E {
			c -= 0xFEE0 // full-width forms of ! to ~
		}
		if unicode.IsSpace(c) || unicode.IsPunct(c) || unicode.IsControl(c) || unicode.Is(unicode.Cf, c) {
			continue
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}
