package pii_test

import (
	"errors"
	"testing"

	"pufa/internal/pii"
)

func TestValidPhone(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"mobile 138", "13812345678", nil},
		{"mobile 199", "19912345678", nil},
		{"mobile 166", "16612345678", nil},
		{"Beijing", "010-12345678", nil},
		{"Shanghai", "021-87654321", nil},
		{"Hangzhou 7 digits", "0571-8888888", nil},
		{"Hangzhou 8 digits", "0571-88888888", nil},
		{"with extension", "010-12345678-123", nil},
		{"one-digit extension", "0755-2345678-1", nil},

		{"empty", "", pii.ErrPhoneEmpty},
		{"mobile 10 digits", "1381234567", pii.ErrMobileLength},
		{"mobile 12 digits", "138123456789", pii.ErrMobileLength},
		{"mobile with letter", "1381234567a", pii.ErrMobileLength},
		{"mobile with spaces", "138 1234 5678", pii.ErrMobileLength},
		{"mobile with hyphens", "138-1234-5678", pii.ErrMobileLength},
		{"mobile 12x", "12345678901", pii.ErrMobilePrefix},
		{"mobile 10x", "10012345678", pii.ErrMobilePrefix},
		{"landline without hyphen", "01012345678", pii.ErrLandlineFormat},
		{"landline with parentheses", "0(10)12345678", pii.ErrLandlineFormat},
		{"too many parts", "010-12345678-12-3", pii.ErrLandlineFormat},
		{"area code 011", "011-12345678", pii.ErrLandlineAreaCode},
		{"four-digit area code 01xx", "0123-4567890", pii.ErrLandlineAreaCode},
		{"area code 2 digits", "05-12345678", pii.ErrLandlineAreaCode},
		{"area code 5 digits", "05711-8888888", pii.ErrLandlineAreaCode},
		{"Beijing 7 digits", "010-1234567", pii.ErrLandlineNumber},
		{"6 digits", "0571-888888", pii.ErrLandlineNumber},
		{"9 digits", "0571-888888888", pii.ErrLandlineNumber},
		{"number starting with 0", "0571-08888888", pii.ErrLandlineNumber},
		{"number with letter", "0571-888888a", pii.ErrLandlineNumber},
		{"empty extension", "010-12345678-", pii.ErrLandlineExtension},
		{"7-digit extension", "010-12345678-1234567", pii.ErrLandlineExtension},
		{"not normalized +86", "+8613812345678", pii.ErrPhoneFormat},
		{"full-width", "１３８１２３４５６７８", pii.ErrPhoneFormat},
		{"words", "无", pii.ErrPhoneFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := pii.ValidPhone(tt.in); !errors.Is(err, tt.want) {
				t.Errorf("ValidPhone(%q) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"already normal", "13812345678", "13812345678"},
		{"spaces", " 138 1234 5678 ", "13812345678"},
		{"hyphens", "138-1234-5678", "13812345678"},
		{"+86", "+86 138-1234-5678", "13812345678"},
		{"86 without plus", "8613812345678", "13812345678"},
		{"0086", "0086 13812345678", "13812345678"},
		{"full-width", "１３８１２３４５６７８", "13812345678"},
		{"full-width plus", "＋８６　１３８１２３４５６７８", "13812345678"},
		{"landline keeps hyphen", "010-12345678", "010-12345678"},
		{"landline spaces", " 0571 - 8888888 ", "0571-8888888"},
		{"full-width landline", "０１０－１２３４５６７８", "010-12345678"},
		{"landline with extension", "010-12345678-123", "010-12345678-123"},
		// 86 is only a prefix if a mobile number follows it.
		{"11 digits starting with 86", "86123456789", "86123456789"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pii.NormalizePhone(tt.in); got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzPhone checks that validation and normalization accept any input and
// agree with each other: normalizing is idempotent and leaves a valid
// number unchanged.
func FuzzPhone(f *testing.F) {
	for _, s := range []string{"", "13812345678", "+86 138-1234-5678", "010-12345678-123", "０５７１－８８８８８８８", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		norm := pii.NormalizePhone(s)
		if again := pii.NormalizePhone(norm); again != norm {
			t.Fatalf("NormalizePhone is not idempotent: %q → %q → %q", s, norm, again)
		}
		if pii.ValidPhone(s) == nil && norm != s {
			t.Fatalf("NormalizePhone changed the valid number %q to %q", s, norm)
		}
	})
}
