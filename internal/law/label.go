package law

import (
	"strings"
	"unicode"

	"pufa/internal/outline"
)

// CiteLabel writes an article's label as statutes and citations write it,
// in Chinese numerals: (120, 0) → 第一百二十条, (120, 1) → 第一百二十条之一,
// (1010, 0) → 第一千零一十条. It returns "" for n < 1; sub < 1 means no 之.
// Numbers over 9999, which no statute reaches, are written in digits.
func CiteLabel(n, sub int) string {
	if n < 1 {
		return ""
	}
	s := "第" + outline.Numeral(n) + "条"
	if sub > 0 {
		s += "之" + outline.Numeral(sub)
	}
	return s
}

// ParseLabel reads an article's label, the inverse of CiteLabel. It also
// accepts what people type: arabic or full-width digits (第120条之1) and
// spaces anywhere (第 120 条). ok is false for anything that is not one
// article's label, such as 第一款 or 第一条第二款.
func ParseLabel(s string) (n, sub int, ok bool) {
	s = strings.Map(func(c rune) rune {
		if unicode.IsSpace(c) {
			return -1
		}
		return c
	}, s)
	rest, found := strings.CutPrefix(s, "第")
	if !found {
		return 0, 0, false
	}
	num, after, found := strings.Cut(rest, "条")
	if !found {
		return 0, 0, false
	}
	if n, ok = number(num); !ok {
		return 0, 0, false
	}
	if after == "" {
		return n, 0, true
	}
	subNum, found := strings.CutPrefix(after, "之")
	if !found {
		return 0, 0, false
	}
	if sub, ok = number(subNum); !ok {
		return 0, 0, false
	}
	return n, sub, true
}

// number reads 1 to 9999 in Chinese counting numerals or in (half- or
// full-width) arabic digits.
func number(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n, digits := 0, 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			n = n*10 + int(c-'0')
		case c >= '０' && c <= '９':
			n = n*10 + int(c-'０')
		default:
			return outline.ParseNumeral(s)
		}
		if digits++; digits > 4 {
			return 0, false
		}
	}
	return n, n > 0
}
