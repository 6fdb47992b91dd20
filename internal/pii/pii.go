// Package pii validates, normalizes and masks the personal data pufa holds:
// resident ID numbers, phone numbers and names.
//
// The functions are pure and safe on any input, including invalid UTF-8.
// Validation errors carry Chinese messages meant to be shown next to the
// form field; normalize user input before validating it, and mask every
// value before it reaches a page, an export or a log line.
package pii

// maskRune replaces every hidden character. One mask character per input
// character keeps the masked value the same length as the original, so a
// reader can still tell an 18-digit ID from a truncated one.
const maskRune = '*'

// mask returns s with every rune masked except the first keepHead and the
// last keepTail runes; when those overlap, every rune is masked.
func mask(s string, keepHead, keepTail int) string {
	runes := []rune(s)
	if keepHead+keepTail >= len(runes) {
		keepHead, keepTail = 0, 0
	}
	for i := keepHead; i < len(runes)-keepTail; i++ {
		runes[i] = maskRune
	}
	return string(runes)
}

// isDigits reports whether s is non-empty and all ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// toHalfWidth maps full-width digits, letters and the full-width plus and
// hyphen to ASCII, as Chinese input methods often produce them.
func toHalfWidth(r rune) rune {
	switch {
	case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '＋', r == '－':
		return r - '０' + '0'
	}
	return r
}
