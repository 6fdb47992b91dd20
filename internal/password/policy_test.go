package password

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPolicy_Check(t *testing.T) {
	var (
		short     = Violation{CodeTooShort, "密码至少需要 8 个字符"}
		long      = Violation{CodeTooLong, "密码不能超过 128 个字符"}
		classes3  = Violation{CodeTooFewClasses, "密码需包含大写字母、小写字母、数字、符号中的至少 3 类"}
		classes2  = Violation{CodeTooFewClasses, "密码需包含大写字母、小写字母、数字、符号中的至少 2 类"}
		hasLogin  = Violation{CodeContainsLogin, "密码不能包含登录名"}
		common    = Violation{CodeCommon, "该密码过于常见，容易被猜中，请换一个"}
		invalidCh = Violation{CodeInvalidChar, "密码不能包含控制字符或不可见字符"}
	)
	tests := []struct {
		name     string
		policy   Policy
		password string
		login    string
		want     []Violation
	}{
		{"good", Dengbao(), "Tr0ub4dor&3x", "zhangsan", nil},
		{"exactly 8, 3 classes", Dengbao(), "gH7kwq2m", "zhangsan", nil},
		{"empty", Dengbao(), "", "zhangsan", []Violation{short, classes3}},
		{"too short", Dengbao(), "Ab1!xyz", "zhangsan", []Violation{short}},
		{"too long", Dengbao(), "Ab1!" + strings.Repeat("x", 125), "zhangsan", []Violation{long}},
		{"128 is fine", Dengbao(), "Ab1!" + strings.Repeat("x", 124), "zhangsan", nil},
		{"one class", Dengbao(), "kqwmzvtr", "zhangsan", []Violation{classes3}},
		{"two classes", Dengbao(), "kqwmzvt7", "zhangsan", []Violation{classes3}},
		{"contains login", Dengbao(), "Xy7!zhangsan", "zhangsan", []Violation{hasLogin}},
		{"contains login, other case", Dengbao(), "Xy7!ZhangSan", "zhangsan", []Violation{hasLogin}},
		{"login in other case", Dengbao(), "Xy7!zhangsan", "ZhangSan", []Violation{hasLogin}},
		{"CJK login", Dengbao(), "Xy7!张三丰好", "张三丰", []Violation{hasLogin}},
		{"short login is not checked", Dengbao(), "Xy7!li2024", "li", nil},
		{"no login", Dengbao(), "Xy7!li2024", "", nil},
		{"common", Dengbao(), "Admin@123", "zhangsan", []Violation{common}},
		{"common, other case", Dengbao(), "aDMIN@123", "zhangsan", []Violation{common}},
		{"common P@ssw0rd", Dengbao(), "P@ssw0rd", "zhangsan", []Violation{common}},
		{"common Aa123456", Dengbao(), "Aa123456", "zhangsan", []Violation{common}},
		{"common Password1!", Dengbao(), "Password1!", "zhangsan", []Violation{common}},
		{"common 1qaz@WSX", Dengbao(), "1qaz@WSX", "zhangsan", []Violation{common}},
		{"tab", Dengbao(), "Ab1!\tcdef", "zhangsan", []Violation{invalidCh}},
		{"newline", Dengbao(), "Ab1!cdef\n", "zhangsan", []Violation{invalidCh}},
		{"zero-width space", Dengbao(), "Ab1!\u200bcdef", "zhangsan", []Violation{invalidCh}},
		{"invalid UTF-8", Dengbao(), "Ab1!\xffcdef", "zhangsan", []Violation{invalidCh}},
		{"space is a symbol", Dengbao(), "correct horse 7", "zhangsan", nil},
		// 4 CJK characters are 12 bytes but 4 characters, and one class.
		{"CJK counts as symbol, by rune", Dengbao(), "密码安全ab12", "zhangsan", nil},
		{"CJK only", Dengbao(), "一二三四五六七八", "zhangsan", []Violation{classes3}},
		{"CJK short", Dengbao(), "密码安全ab1", "zhangsan", []Violation{short}},
		{"full-width letters and digits", Dengbao(), "Ａｂｃ１２３ｘｙ", "zhangsan", nil},
		{"several at once", Dengbao(), "zhang", "zhang", []Violation{short, classes3, hasLogin}},
		{"relaxed two classes", Relaxed(), "kqwmzvt7", "zhangsan", nil},
		{"relaxed one class", Relaxed(), "kqwmzvtr", "zhangsan", []Violation{classes2}},
		{"relaxed common", Relaxed(), "woaini1314", "zhangsan", []Violation{common}},
		{"relaxed login", Relaxed(), "zhangsan1", "zhangsan", []Violation{hasLogin}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.policy.Check(tc.password, tc.login)
			var got []Violation
			if err != nil {
				var pe *PolicyError
				if !errors.As(err, &pe) {
					t.Fatalf("error %v is not a *PolicyError", err)
				}
				got = pe.Violations
				for _, v := range tc.want {
					if !pe.Has(v.Code) {
						t.Errorf("Has(%q) = false", v.Code)
					}
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Check(%q, %q) violations (-want +got):\n%s", tc.password, tc.login, diff)
			}
		})
	}
}

func TestPolicyError_Error(t *testing.T) {
	err := Dengbao().Check("zhang", "zhang")
	want := "密码至少需要 8 个字符；密码需包含大写字母、小写字母、数字、符号中的至少 3 类；密码不能包含登录名"
	if err == nil || err.Error() != want {
		t.Errorf("Error() = %v, want %q", err, want)
	}
}

func TestCommonPasswords_AreFolded(t *testing.T) {
	seen := make(map[string]bool)
	for line := range strings.Lines(strings.TrimPrefix(commonPasswords, "\n")) {
		line = strings.TrimSuffix(line, "\n")
		if line == "" || line != strings.ToLower(line) || strings.TrimSpace(line) != line {
			t.Errorf("common password %q is not lower case and trimmed; Check would never match it", line)
		}
		if seen[line] {
			t.Errorf("common password %q is listed twice", line)
		}
		seen[line] = true
	}
	if isCommon("") {
		t.Error("the empty line of the list matches an empty password")
	}
}

func TestProfileByName(t *testing.T) {
	tests := []struct {
		name string
		want Policy
	}{
		{"dengbao", Dengbao()},
		{" DengBao ", Dengbao()},
		{"relaxed", Relaxed()},
	}
	for _, tc := range tests {
		got, err := ProfileByName(tc.name)
		if err != nil {
			t.Errorf("ProfileByName(%q): %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("ProfileByName(%q) = %+v, want %+v", tc.name, got, tc.want)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("%q.Validate() = %v", tc.name, err)
		}
	}
	for _, name := range []string{"", "strict", "等保"} {
		if _, err := ProfileByName(name); err == nil {
			t.Errorf("ProfileByName(%q) error = nil", name)
		}
	}
	want := Policy{MinLength: 8, MaxLength: 128, MinClasses: 3, MaxAgeDays: 90, HistoryCount: 5}
	if Dengbao() != want {
		t.Errorf("Dengbao() = %+v, want %+v", Dengbao(), want)
	}
}

func TestPolicy_Validate(t *testing.T) {
	bad := []Policy{
		{},
		{MinLength: 8, MaxLength: 7},
		{MinLength: 8, MinClasses: 5},
		{MinLength: 8, MinClasses: -1},
		{MinLength: 8, MaxAgeDays: -1},
		{MinLength: 8, HistoryCount: -1},
	}
	for _, p := range bad {
		if err := p.Validate(); err == nil {
			t.Errorf("%+v.Validate() = nil, want error", p)
		}
	}
	if err := (Policy{MinLength: 12}).Validate(); err != nil {
		t.Errorf("minimal policy: %v", err)
	}
}

func TestPolicy_Reused(t *testing.T) {
	ctx := context.Background()
	h := FastForTests()
	// history[i] is the hash of "old-i", newest first.
	var history []string
	for i := range 6 {
		enc, err := h.Hash(ctx, "old-"+string(rune('0'+i)))
		if err != nil {
			t.Fatal(err)
		}
		history = append(history, enc)
	}
	tests := []struct {
		name     string
		policy   Policy
		password string
		previous []string
		want     bool
	}{
		{"current", Dengbao(), "old-0", history, true},
		{"fifth", Dengbao(), "old-4", history, true},
		{"sixth is forgotten", Dengbao(), "old-5", history, false},
		{"new", Dengbao(), "brand-new", history, false},
		{"short history", Dengbao(), "old-1", history[:2], true},
		{"no history", Dengbao(), "old-0", nil, false},
		{"relaxed keeps none", Relaxed(), "old-0", history, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.policy.Reused(ctx, h, tc.password, tc.previous)
			if err != nil || got != tc.want {
				t.Errorf("Reused = %v, %v; want %v, nil", got, err, tc.want)
			}
		})
	}

	t.Run("other algorithm in history", func(t *testing.T) {
		old, err := fastPBKDF2.Hash(ctx, "legacy")
		if err != nil {
			t.Fatal(err)
		}
		got, err := Dengbao().Reused(ctx, h, "legacy", []string{history[0], old})
		if err != nil || !got {
			t.Errorf("Reused = %v, %v; want true, nil", got, err)
		}
	})
	t.Run("damaged entry", func(t *testing.T) {
		_, err := Dengbao().Reused(ctx, h, "brand-new", []string{history[0], "garbage"})
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("error = %v, want ErrMalformed", err)
		}
	})
}

func TestPolicy_Expired(t *testing.T) {
	changed := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		policy    Policy
		changedAt time.Time
		now       time.Time
		want      bool
	}{
		{"fresh", Dengbao(), changed, changed.Add(time.Hour), false},
		{"day 89", Dengbao(), changed, changed.AddDate(0, 0, 89), false},
		{"a second before 90 days", Dengbao(), changed, changed.AddDate(0, 0, 90).Add(-time.Second), false},
		{"90 days", Dengbao(), changed, changed.AddDate(0, 0, 90), true},
		{"a year", Dengbao(), changed, changed.AddDate(1, 0, 0), true},
		{"never recorded", Dengbao(), time.Time{}, changed, true},
		{"clock behind", Dengbao(), changed, changed.Add(-time.Hour), false},
		{"relaxed never", Relaxed(), changed, changed.AddDate(10, 0, 0), false},
		{"relaxed never recorded", Relaxed(), time.Time{}, changed, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.policy.Expired(tc.changedAt, tc.now); got != tc.want {
				t.Errorf("Expired = %v, want %v", got, tc.want)
			}
		})
	}
}

func FuzzPolicyCheck(f *testing.F) {
	f.Add("Tr0ub4dor&3x", "zhangsan")
	f.Add("密码安全ab12", "张三")
	f.Add("Ab1!\xffcdef", "\x00")
	f.Fuzz(func(t *testing.T, password, login string) {
		err := Dengbao().Check(password, login)
		var pe *PolicyError
		if err != nil && (!errors.As(err, &pe) || len(pe.Violations) == 0) {
			t.Fatalf("Check error %v is not a non-empty *PolicyError", err)
		}
	})
}
