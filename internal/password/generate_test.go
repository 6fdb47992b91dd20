package password

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestGenerate(t *testing.T) {
	seen := make(map[string]bool)
	for range 1000 {
		pw, err := Generate()
		if err != nil {
			t.Fatal(err)
		}
		if n := utf8.RuneCountInString(pw); n != 12 {
			t.Errorf("Generate() = %q, %d characters, want 12", pw, n)
		}
		if err := Dengbao().Check(pw, ""); err != nil {
			t.Errorf("Generate() = %q fails Dengbao: %v", pw, err)
		}
		if i := strings.IndexAny(pw, "0Oo1lI"); i >= 0 {
			t.Errorf("Generate() = %q has look-alike %q", pw, pw[i])
		}
		for _, set := range []string{genLower, genUpper, genDigit, genSymbol} {
			if !strings.ContainsAny(pw, set) {
				t.Errorf("Generate() = %q has nothing from %q", pw, set)
			}
		}
		if seen[pw] {
			t.Errorf("Generate() repeated %q", pw)
		}
		seen[pw] = true
	}
}
