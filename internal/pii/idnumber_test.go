package pii_test

import (
	"errors"
	"strings"
	"testing"

	"pufa/internal/pii"
)

// The check characters below were computed by hand from the GB 11643-1999
// weights (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 into "10X98765432")
// and cross-checked with a separate script, never with the code under test.
func TestValidIDNumber(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		// Weighted sum 167, 167 mod 11 = 2 → X. The example in GB 11643-1999.
		{"check X", "11010519491231002X", nil},
		{"check lower-case x", "11010519491231002x", nil},
		// Sum 199, mod 11 = 1 → 0.
		{"check 0", "110105194912310820", nil},
		// Sum 174, mod 11 = 9 → 3.
		{"Beijing 1990", "110101199003071233", nil},
		// Sum 245, mod 11 = 3 → 9.
		{"Shanghai 1985", "310104198507151239", nil},
		// Sum 208, mod 11 = 10 → 2. 2000 is a leap year.
		{"born on 29 February 2000", "440305200002291232", nil},

		{"empty", "", pii.ErrIDNumberEmpty},
		{"17 digits", "11010519491231002", pii.ErrIDNumberLength},
		{"19 characters", "11010519491231002X1", pii.ErrIDNumberLength},
		{"old 15-digit number", "110105491231002", pii.ErrIDNumberLength},
		{"trailing space", "11010519491231002X ", pii.ErrIDNumberLength},
		{"letter among the first 17", "1101051949123100XX", pii.ErrIDNumberDigits},
		{"full-width digits", "１１０１０５１９４９１２３１００２Ｘ", pii.ErrIDNumberDigits},
		{"bad check character", "11010519491231002Y", pii.ErrIDNumberCheckChar},
		{"full-width check character", "11010519491231002Ｘ", pii.ErrIDNumberCheckChar},
		// Sum 174 wants 3; the last digit is 4.
		{"wrong check digit", "110101199003071234", pii.ErrIDNumberCheck},
		{"two digits swapped", "11010519491213002X", pii.ErrIDNumberCheck},
		// The check characters of these are right (sums 195 → 4, 215 → 6,
		// 151 → 4, 69 → 9); only the date is wrong.
		{"born 1880", "440524188001010014", pii.ErrIDNumberBirthDate},
		{"29 February 1900", "440305190002291236", pii.ErrIDNumberBirthDate},
		{"month 13", "110101199013011234", pii.ErrIDNumberBirthDate},
		{"born 2101", "110101210101011239", pii.ErrIDNumberBirthDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := pii.ValidIDNumber(tt.in); !errors.Is(err, tt.want) {
				t.Errorf("ValidIDNumber(%q) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}

func TestNormalizeIDNumber(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"already normal", "11010519491231002X", "11010519491231002X"},
		{"lower-case x", "11010519491231002x", "11010519491231002X"},
		{"surrounding space", "  11010519491231002X\n", "11010519491231002X"},
		{"full-width space", "\u300011010519491231002X\u3000", "11010519491231002X"},
		{"grouped with spaces", "110105 19491231 002X", "11010519491231002X"},
		{"full-width", "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"},
		{"full-width lower-case x", "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"},
		{"empty", "", ""},
		{"not a number stays visible as such", "无", "无"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pii.NormalizeIDNumber(tt.in); got != tt.want {
				t.Errorf("NormalizeIDNumber(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzIDNumber checks that validation and normalization accept any input
// and agree with each other: normalizing is idempotent and keeps a valid
// number valid, and a valid number masks to exactly 7 visible characters.
func FuzzIDNumber(f *testing.F) {
	for _, s := range []string{"", "11010519491231002X", "11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ", "110101199003071234", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		norm := pii.NormalizeIDNumber(s)
		if again := pii.NormalizeIDNumber(norm); again != norm {
			t.Fatalf("NormalizeIDNumber is not idempotent: %q → %q → %q", s, norm, again)
		}
		if pii.ValidIDNumber(s) != nil {
			return
		}
		if err := pii.ValidIDNumber(norm); err != nil {
			t.Fatalf("ValidIDNumber(%q) = nil but ValidIDNumber(NormalizeIDNumber) = %v", s, err)
		}
		if masked := pii.MaskIDNumber(s); strings.Count(masked, "*") != 11 {
			t.Fatalf("MaskIDNumber(%q) = %q, want 11 masked characters", s, masked)
		}
	})
}
