package pii

import (
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Errors returned by ValidIDNumber. Their messages are for the user.
var (
	ErrIDNumberEmpty     = errors.New("身份证号不能为空")
	ErrIDNumberLength    = errors.New("身份证号应为18位")
	ErrIDNumberDigits    = errors.New("身份证号前17位应为数字")
	ErrIDNumberCheckChar = errors.New("身份证号最后一位应为数字或X")
	ErrIDNumberBirthDate = errors.New("身份证号中的出生日期无效")
	ErrIDNumberCheck     = errors.New("身份证号校验位不正确")
)

// The birth dates ValidIDNumber accepts. The bounds only catch typos; they
// are not an age check, which needs a clock.
const (
	minBirthYear = 1900
	maxBirthYear = 2100
)

// ValidIDNumber reports whether s is a well-formed 18-character resident
// identity card number (居民身份证号码, GB 11643-1999): 17 digits and a
// check character (a digit, or X in either case), with a real birth date
// from 1900 to 2100 in characters 7 to 14. It returns nil or one of the
// ErrIDNumber errors. The old 15-digit numbers are rejected. Call
// NormalizeIDNumber on user input first.
func ValidIDNumber(s string) error {
	if s == "" {
		return ErrIDNumberEmpty
	}
	if utf8.RuneCountInString(s) != 18 {
		return ErrIDNumberLength
	}
	if !isDigits(s[:17]) {
		return ErrIDNumberDigits
	}
	// s[:17] is ASCII, so s[17] starts the 18th character; if that is not
	// ASCII, s[17] is a multi-byte lead byte and fails the test below.
	last := s[17]
	if !(last >= '0' && last <= '9' || last == 'X' || last == 'x') {
		return ErrIDNumberCheckChar
	}
	if !validBirthDate(s[6:14]) {
		return ErrIDNumberBirthDate
	}
	if idCheckChar(s[:17]) != upperASCII(last) {
		return ErrIDNumberCheck
	}
	return nil
}

// idCheckChar returns the GB 11643-1999 check character (ISO 7064
// MOD 11-2) for the 17 digits in body.
func idCheckChar(body string) byte {
	// Weight i is 2^(17-i) mod 11; the table maps the sum mod 11 to the
	// character that makes the whole number's weighted sum 1 mod 11.
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	const checkChars = "10X98765432"
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return checkChars[sum%11]
}

// validBirthDate reports whether yyyymmdd, 8 ASCII digits, is a calendar
// date within the accepted years.
func validBirthDate(yyyymmdd string) bool {
	d, err := time.Parse("20060102", yyyymmdd)
	return err == nil && d.Year() >= minBirthYear && d.Year() <= maxBirthYear
}

func upperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// NormalizeIDNumber cleans up an ID number as typed or pasted: it removes
// all white space (including the full-width space), converts full-width
// digits and letters to ASCII, and upper-cases the check character x. It
// does not validate; pass the result to ValidIDNumber.
func NormalizeIDNumber(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		r = toHalfWidth(r)
		if r == 'x' {
			return 'X'
		}
		return r
	}, s)
}
