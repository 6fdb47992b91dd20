package pii

import (
	"strings"
	"unicode/utf8"
)

// MaskIDNumber hides an ID number for display: the first 3 characters
// (part of the region code) and the last 4 stay, and every other character
// becomes "*", so "110101199003071234" becomes "110***********1234". Values shorter
// than 15 characters, the length of the old ID numbers, are not ID numbers
// and are masked entirely. The result has as many characters as s.
func MaskIDNumber(s string) string {
	if utf8.RuneCountInString(s) < 15 {
		return mask(s, 0, 0)
	}
	return mask(s, 3, 4)
}

// MaskPhone hides a phone number in normalized form (see NormalizePhone)
// for display, always hiding at least 4 digits of the subscriber's own
// number (all of it, if it is shorter):
//
//   - a mobile number keeps its first 3 and last 4 digits: "138****5678";
//   - a landline keeps its area code and at most the last 4 digits of the
//     local number, and hides any extension: "010-****5678",
//     "0571-****888", "010-****5678-***".
//
// Anything else is masked entirely. The result has as many characters as s.
func MaskPhone(s string) string {
	if len(s) == 11 && s[0] == '1' && isDigits(s) {
		return mask(s, 3, 4)
	}
	parts := strings.Split(s, "-")
	if len(parts) < 2 || len(parts) > 3 || !isLandlineArea(parts[0]) || !isDigits(parts[1]) {
		return mask(s, 0, 0)
	}
	number := parts[1]
	// Keep up to 4 trailing digits, but never so many that fewer than 4
	// stay hidden: a 7-digit number keeps 3.
	parts[1] = mask(number, 0, max(0, min(4, len(number)-4)))
	if len(parts) == 3 {
		parts[2] = mask(parts[2], 0, 0)
	}
	return strings.Join(parts, "-")
}

// isLandlineArea reports whether s looks like an area code: 3 or 4 digits
// starting with 0. Shape only; ValidPhone checks the actual code.
func isLandlineArea(s string) bool {
	return (len(s) == 3 || len(s) == 4) && s[0] == '0' && isDigits(s)
}

// MaskName hides a person's name for display: the first character (usually
// the surname) stays and the rest become "*", so "张三丰" becomes "张**" and
// "张三" becomes "张*". A one-character name is masked entirely, as keeping
// its first character would keep all of it. The result has as many
// characters as name.
func MaskName(name string) string {
	if utf8.RuneCountInString(name) < 2 {
		return mask(name, 0, 0)
	}
	return mask(name, 1, 0)
}
