package pii_test

import (
	"testing"

	"pufa/internal/pii"
)

func TestMaskIDNumber(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"18 digits", "110101199003071234", "110***********1234"},
		{"check X", "11010519491231002X", "110***********002X"},
		{"old 15 digits", "110105491231002", "110********1002"},
		{"14 characters", "11010519491231", "**************"},
		{"short", "1234", "****"},
		{"one character", "1", "*"},
		{"empty", "", ""},
		{"full-width", "１１０１０５１９４９１２３１００２Ｘ", "１１０***********００２Ｘ"},
		{"Chinese text", "不详", "**"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pii.MaskIDNumber(tt.in); got != tt.want {
				t.Errorf("MaskIDNumber(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"mobile", "13812345678", "138****5678"},
		{"Beijing", "010-12345678", "010-****5678"},
		{"Hangzhou 7 digits", "0571-8888888", "0571-****888"},
		{"Hangzhou 8 digits", "0571-88888888", "0571-****8888"},
		{"extension hidden", "010-12345678-123", "010-****5678-***"},
		{"landline-shaped, short number", "0571-123", "0571-***"},
		{"landline-shaped, 5 digits", "0571-12345", "0571-****5"},
		{"10 digits", "1381234567", "**********"},
		{"not normalized", "+8613812345678", "**************"},
		{"landline without hyphen", "01012345678", "***********"},
		{"two characters", "12", "**"},
		{"empty", "", ""},
		{"Chinese text", "无", "*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pii.MaskPhone(tt.in); got != tt.want {
				t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"three characters", "张三丰", "张**"},
		{"two characters", "张三", "张*"},
		{"compound surname", "欧阳娜娜", "欧***"},
		{"with middle dot", "买买提·艾力", "买*****"},
		{"one character", "张", "*"},
		{"empty", "", ""},
		{"Latin", "Li Lei", "L*****"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pii.MaskName(tt.in); got != tt.want {
				t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzMask checks, for any input, that masking never panics, keeps the
// length in characters, and reveals only characters of the input, in place,
// at the positions each function promises.
func FuzzMask(f *testing.F) {
	for _, s := range []string{
		"", "1", "张", "张三", "张三丰", "110101199003071234", "11010519491231002X",
		"110105491231002", "13812345678", "010-12345678", "0571-8888888",
		"010-12345678-123", "0571-123", "+8613812345678", "\xff\xfe", "***-****",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := []rune(s)
		n := len(in)

		// revealed returns the positions where out shows a character of the
		// input; every other position must hold the mask character.
		revealed := func(fn, out string) []int {
			t.Helper()
			got := []rune(out)
			if len(got) != n {
				t.Fatalf("%s(%q) = %q: %d characters, want %d", fn, s, out, len(got), n)
			}
			var pos []int
			for i, r := range got {
				switch {
				case r == '*':
				case r == in[i]:
					pos = append(pos, i)
				default:
					t.Fatalf("%s(%q) = %q: position %d is %q, neither the input nor *", fn, s, out, i, r)
				}
			}
			return pos
		}

		// ID numbers: at most the first 3 and last 4, and nothing at all
		// from values too short to be ID numbers.
		for _, i := range revealed("MaskIDNumber", pii.MaskIDNumber(s)) {
			if n < 15 || (i >= 3 && i < n-4) {
				t.Fatalf("MaskIDNumber(%q) = %q reveals position %d", s, pii.MaskIDNumber(s), i)
			}
		}

		// Names: at most the first character, and only if there is more.
		for _, i := range revealed("MaskName", pii.MaskName(s)) {
			if i != 0 || n < 2 {
				t.Fatalf("MaskName(%q) = %q reveals position %d", s, pii.MaskName(s), i)
			}
		}

		// Phones: only digits and hyphens; at most 8 digits (a 4-digit area
		// code and 4 of the number); and at least 4 digits hidden, or all
		// but an area code's worth when there are fewer than 8.
		out := pii.MaskPhone(s)
		shown := 0
		for _, i := range revealed("MaskPhone", out) {
			switch r := in[i]; {
			case r >= '0' && r <= '9':
				shown++
			case r != '-':
				t.Fatalf("MaskPhone(%q) = %q reveals %q", s, out, r)
			}
		}
		total := 0
		for _, r := range in {
			if r >= '0' && r <= '9' {
				total++
			}
		}
		if shown > 8 || total-shown < min(4, total-4) {
			t.Fatalf("MaskPhone(%q) = %q shows %d of %d digits", s, out, shown, total)
		}
	})
}
