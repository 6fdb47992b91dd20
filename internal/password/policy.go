package password

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Names of the built-in policies, as written in configuration.
const (
	ProfileDengbao = "dengbao"
	ProfileRelaxed = "relaxed"
)

// Policy is what a new password must satisfy and how long it lasts.
// Lengths count characters (runes), not bytes, so a CJK character counts
// once. Every policy also rejects control characters, passwords containing
// the login name and a built-in list of the most common passwords.
type Policy struct {
	MinLength    int // fewest characters
	MaxLength    int // most characters; 0 means no limit
	MinClasses   int // fewest of the 4 classes: lower case, upper case, digit, symbol
	MaxAgeDays   int // days until a password must be changed; 0 means never
	HistoryCount int // how many previous passwords may not be reused; 0 means none
}

// Dengbao returns the default policy, meant to pass a 等保 2.0 level 3
// assessment: at least 8 characters of 3 classes, changed every 90 days,
// none of the last 5 reused. The upper bound of 128 keeps hashing input
// sane while allowing long passphrases.
func Dengbao() Policy {
	return Policy{MinLength: 8, MaxLength: 128, MinClasses: 3, MaxAgeDays: 90, HistoryCount: 5}
}

// Relaxed returns a policy for deployments that are not assessed: at least
// 8 characters of 2 classes, no expiry and no history.
func Relaxed() Policy {
	return Policy{MinLength: 8, MaxLength: 128, MinClasses: 2}
}

// ProfileByName returns the built-in policy named "dengbao" or "relaxed"
// (case and surrounding spaces ignored).
func ProfileByName(name string) (Policy, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case ProfileDengbao:
		return Dengbao(), nil
	case ProfileRelaxed:
		return Relaxed(), nil
	}
	return Policy{}, fmt.Errorf("未知的密码策略 %q，可选 %s 或 %s", name, ProfileDengbao, ProfileRelaxed)
}

// Validate reports whether p's fields are consistent.
func (p Policy) Validate() error {
	switch {
	case p.MinLength < 1:
		return fmt.Errorf("密码策略无效：MinLength 至少为 1")
	case p.MaxLength != 0 && p.MaxLength < p.MinLength:
		return fmt.Errorf("密码策略无效：MaxLength 不能小于 MinLength")
	case p.MinClasses < 0 || p.MinClasses > 4:
		return fmt.Errorf("密码策略无效：MinClasses 须在 0 到 4 之间")
	case p.MaxAgeDays < 0:
		return fmt.Errorf("密码策略无效：MaxAgeDays 不能为负数")
	case p.HistoryCount < 0:
		return fmt.Errorf("密码策略无效：HistoryCount 不能为负数")
	}
	return nil
}

// Codes of the rules [Policy.Check] reports, stable for programs and tests.
const (
	CodeInvalidChar   = "invalid_char"
	CodeTooShort      = "too_short"
	CodeTooLong       = "too_long"
	CodeTooFewClasses = "too_few_classes"
	CodeContainsLogin = "contains_login"
	CodeCommon        = "common"
)

// Violation is one rule a candidate password breaks.
type Violation struct {
	Code    string // one of the Code constants
	Message string // simplified Chinese, meant to be shown to the user
}

// PolicyError lists every rule a password breaks, so that a form can show
// them all at once instead of one per attempt.
type PolicyError struct {
	Violations []Violation
}

// Error joins the messages; they are written for users, so a form may show
// the whole text.
func (e *PolicyError) Error() string {
	msgs := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		msgs[i] = v.Message
	}
	return strings.Join(msgs, "；")
}

// Has reports whether the error includes the rule code.
func (e *PolicyError) Has(code string) bool {
	for _, v := range e.Violations {
		if v.Code == code {
			return true
		}
	}
	return false
}

// minLoginLen is the shortest login name Check looks for inside a
// password: a one- or two-letter login would forbid many ordinary
// passwords while its absence adds no strength.
const minLoginLen = 3

// Check returns nil if password satisfies p for the account login, or a
// *PolicyError naming every rule it breaks.
func (p Policy) Check(password, login string) error {
	var vs []Violation
	add := func(code, format string, args ...any) {
		vs = append(vs, Violation{Code: code, Message: fmt.Sprintf(format, args...)})
	}

	var lower, upper, digit, symbol, invalid bool
	for _, r := range password {
		switch {
		case r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			// Control and format characters (tab, zero-width space, BOM)
			// are invisible or typed differently on another keyboard: the
			// user could not enter the password again.
			invalid = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r) || unicode.IsTitle(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			// Punctuation, spaces and CJK characters alike.
			symbol = true
		}
	}
	if invalid {
		add(CodeInvalidChar, "密码不能包含控制字符或不可见字符")
	}
	n := utf8.RuneCountInString(password)
	if n < p.MinLength {
		add(CodeTooShort, "密码至少需要 %d 个字符", p.MinLength)
	}
	if p.MaxLength > 0 && n > p.MaxLength {
		add(CodeTooLong, "密码不能超过 %d 个字符", p.MaxLength)
	}
	classes := 0
	for _, has := range []bool{lower, upper, digit, symbol} {
		if has {
			classes++
		}
	}
	if classes < p.MinClasses {
		add(CodeTooFewClasses, "密码需包含大写字母、小写字母、数字、符号中的至少 %d 类", p.MinClasses)
	}
	folded := strings.ToLower(password)
	if l := strings.ToLower(strings.TrimSpace(login)); utf8.RuneCountInString(l) >= minLoginLen && strings.Contains(folded, l) {
		add(CodeContainsLogin, "密码不能包含登录名")
	}
	if isCommon(folded) {
		add(CodeCommon, "该密码过于常见，容易被猜中，请换一个")
	}
	if len(vs) > 0 {
		return &PolicyError{Violations: vs}
	}
	return nil
}

// Reused reports whether password matches one of the HistoryCount most
// recent entries of previous, encoded hashes ordered newest first (include
// the current password's hash). Each entry costs a full Verify, so pass h
// wrapped in [Limited]. A malformed entry is an error rather than skipped,
// so a damaged history cannot quietly permit reuse.
func (p Policy) Reused(ctx context.Context, h Hasher, password string, previous []string) (bool, error) {
	n := min(max(p.HistoryCount, 0), len(previous))
	for _, encoded := range previous[:n] {
		ok, _, err := h.Verify(ctx, password, encoded)
		if err != nil {
			return false, fmt.Errorf("password: checking history: %w", err)
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// Expired reports whether a password last changed at changedAt must be
// changed at now. A zero changedAt (never recorded) counts as expired when
// the policy has a maximum age, so that the user sets a password of their
// own.
func (p Policy) Expired(changedAt, now time.Time) bool {
	if p.MaxAgeDays <= 0 {
		return false
	}
	// Sub saturates rather than overflows for a zero changedAt.
	return now.Sub(changedAt) >= time.Duration(p.MaxAgeDays)*24*time.Hour
}
