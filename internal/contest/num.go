package contest

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func utf8Len(s string) int { return utf8.RuneCountInString(strings.TrimSpace(s)) }
