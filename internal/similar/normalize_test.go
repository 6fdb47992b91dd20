package similar

import (
	"testing"
	"unicode"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"punctuation and spaces dropped", "一、普法责任制机制建设\n\n局党组 将普法工作", "一普法责任制机制建设局党组将普法工作"},
		{"quotes of any kind", "认真落实“谁执法谁普法”、「谁主管谁负责」\"以案释法\"", "认真落实谁执法谁普法谁主管谁负责以案释法"},
		{"full-width digits and letters", "发放宣传资料１．８万份，ＡＰＰ注册", "发放宣传资料18万份app注册"},
		{"half-width kept, lower-cased", "VR交通安全体验、App", "vr交通安全体验app"},
		{"ideographic space and tabs", "宪法\u3000宣传\t周", "宪法宣传周"},
		{"percent and symbols dropped", "同比下降27.4%，3·15", "同比下降274315"},
		{"list markers dropped, Chinese numerals kept", "①宪法宣传周②民法典宣传月（三）以案释法", "宪法宣传周民法典宣传月三以案释法"},
		{"book title marks", "《中华人民共和国宪法》", "中华人民共和国宪法"},
		{"CJK extension and 〇", "二〇二四年𠀀", "二〇二四年𠀀"},
		{"other scripts kept as letters", "Ωmega", "ωmega"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(Normalize(tt.in)); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalize_Offsets(t *testing.T) {
	in := "一、“谁执法谁普法”\n（ＡＢ）"
	r, at := normalize(in, nil, nil)
	orig := []rune(in)
	if len(r) != len(at) {
		t.Fatalf("len(r) = %d, len(at) = %d", len(r), len(at))
	}
	for i := range r {
		c, _ := fold(orig[at[i]])
		if c != r[i] {
			t.Errorf("rune %d: %q maps to offset %d holding %q", i, r[i], at[i], orig[at[i]])
		}
	}
	if want := []int32{0, 3, 4, 5, 6, 7, 8, 12, 13}; !equalInt32(at, want) {
		t.Errorf("offsets = %v, want %v", at, want)
	}
}

func equalInt32(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "一、普法责任制机制建设", "ＡＢＣ１２３　，。", "①Ⅱ〇𠀀Ωİ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, at := normalize(s, nil, nil)
		orig := []rune(s)
		for i, c := range r {
			if unicode.IsSpace(c) || unicode.IsPunct(c) {
				t.Fatalf("kept %q", c)
			}
			if i > 0 && at[i] <= at[i-1] {
				t.Fatalf("offsets not increasing: %v", at)
			}
			if int(at[i]) >= len(orig) {
				t.Fatalf("offset %d past %d runes", at[i], len(orig))
			}
		}
		if again := Normalize(string(r)); string(again) != string(r) {
			t.Fatalf("not idempotent: %q then %q", string(r), string(again))
		}
	})
}
