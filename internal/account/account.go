// Package account holds users, their roles and ranks, and the rules that
// bind them: which roles may be combined and who may grant them.
package account

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"pufa/internal/app"
	"pufa/internal/session"
)

// Role identifiers, the same in the CLI, the API and the database.
const (
	RoleSysAdmin = "sysadmin" // 系统管理员: orgs, accounts, settings
	RoleSecAdmin = "secadmin" // 安全管理员: grants roles
	RoleAuditor  = "auditor"  // 审计管理员: reads the audit log
	RoleOffice   = "office"   // 普法办: scoped to a region subtree
	RoleLiaison  = "liaison"  // 责任单位联络员: its own org
	RoleReviewer = "reviewer" // 评议团成员
	RoleExaminee = "examinee" // 国家工作人员: sits exams
)

// Roles lists every role in display order.
var Roles = []string{RoleOffice, RoleLiaison, RoleReviewer, RoleExaminee, RoleSysAdmin, RoleSecAdmin, RoleAuditor}

// RoleLabel is the role's Chinese name.
func RoleLabel(role string) string {
	switch role {
	case RoleSysAdmin:
		return "系统管理员"
	case RoleSecAdmin:
		return "安全管理员"
	case RoleAuditor:
		return "审计管理员"
	case RoleOffice:
		return "普法办"
	case RoleLiaison:
		return "单位联络员"
	case RoleReviewer:
		return "评议员"
	case RoleExaminee:
		return "考生"
	}
	return role
}

// IsAdminRole reports whether role is one of the 三员, which no account may
// combine.
func IsAdminRole(role string) bool {
	return role == RoleSysAdmin || role == RoleSecAdmin || role == RoleAuditor
}

// ParseRole accepts an identifier or a Chinese label.
func ParseRole(s string) (string, error) {
	s = strings.TrimSpace(s)
	for _, r := range Roles {
		if s == r || s == RoleLabel(r) {
			return r, nil
		}
	}
	labels := make([]string, len(Roles))
	for i, r := range Roles {
		labels[i] = RoleLabel(r)
	}
	return "", app.Invalid("roles", "角色“%s”无效，应为 %s 之一", s, strings.Join(labels, "、"))
}

// ValidateRoles checks a role set: known roles, at least one, and never two
// of the 三员 (等保 separation of duties).
func ValidateRoles(roles []string) error {
	if len(roles) == 0 {
		return app.Invalid("roles", "请至少选择一个角色")
	}
	admin := ""
	for _, r := range roles {
		if _, err := ParseRole(r); err != nil {
			return err
		}
		if IsAdminRole(r) {
			if admin != "" && admin != r {
				return app.Invalid("roles", "“%s”与“%s”属于三员，不能由同一账号兼任", RoleLabel(admin), RoleLabel(r))
			}
			admin = r
		}
	}
	if admin != "" {
		// A 三员 account may also sit the exam, but holds no business role
		// that would let it see personal data or units' work.
		for _, r := range roles {
			if r != admin && r != RoleExaminee {
				return app.Invalid("roles", "“%s”属于三员，不能同时担任“%s”", RoleLabel(admin), RoleLabel(r))
			}
		}
	}
	return nil
}

// NormalizeRoles sorts and deduplicates roles in display order.
func NormalizeRoles(roles []string) []string {
	var out []string
	for _, r := range Roles {
		if slices.Contains(roles, r) {
			out = append(out, r)
		}
	}
	return out
}

// Rank is a person's rank; exams choose harder papers for senior officials.
type Rank string

// The ranks.
const (
	RankStaff  Rank = "staff"  // 一般工作人员
	RankSenior Rank = "senior" // 领导干部
)

// Label is the rank's Chinese name.
func (r Rank) Label() string {
	if r == RankSenior {
		return "领导干部"
	}
	return "一般工作人员"
}

// ParseRank accepts an identifier or label; empty means staff.
func ParseRank(s string) (Rank, error) {
	switch strings.TrimSpace(s) {
	case "", string(RankStaff), "一般工作人员", "工作人员":
		return RankStaff, nil
	case string(RankSenior), "领导干部":
		return RankSenior, nil
	}
	return "", app.Invalid("rank", "身份“%s”无效，应为“一般工作人员”或“领导干部”", s)
}

// User is an account. Phone and IDNumber are plain here: the store encrypts
// them at rest and keeps a keyed index for look-ups.
type User struct {
	ID    app.ID
	Login string
	Name  string
	OrgID app.ID
	Roles []string
	Rank  Rank
	// RankTitle is the 职级 text, e.g. "四级调研员".
	RankTitle string
	Phone     string
	IDNumber  string
	Active    bool
	// MustChange forces a password change at the next sign-in.
	MustChange        bool
	PasswordHash      string
	PasswordChangedAt time.Time
	LastLoginAt       time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time

	// Lockout state, kept per account: government offices share one
	// outgoing IP, so keying by IP would lock out a whole building.
	FailedCount int
	FailedSince time.Time
	LockedUntil time.Time
}

var loginPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$`)

// Validate checks what a person types; phone and ID checks are the
// caller's, through package pii, since they need normalizing first.
func (u *User) Validate() error {
	u.Login = strings.TrimSpace(u.Login)
	u.Name = strings.TrimSpace(u.Name)
	u.RankTitle = strings.TrimSpace(u.RankTitle)
	if !loginPattern.MatchString(u.Login) {
		return app.Invalid("login", "登录名应为 2 到 64 位字母、数字或 . _ @ -，且以字母或数字开头")
	}
	if u.Name == "" {
		return app.Invalid("name", "请填写姓名")
	} else if utf8.RuneCountInString(u.Name) > 40 {
		return app.Invalid("name", "姓名不能超过 40 个字")
	}
	if u.OrgID == 0 {
		return app.Invalid("org", "请选择所属组织")
	}
	if _, err := ParseRank(string(u.Rank)); err != nil {
		return err
	}
	if utf8.RuneCountInString(u.RankTitle) > 40 {
		return app.Invalid("rank_title", "职级不能超过 40 个字")
	}
	u.Roles = NormalizeRoles(u.Roles)
	return ValidateRoles(u.Roles)
}

// Filter selects users. Nil fields are not applied.
type Filter struct {
	UnderPath *string
	OrgID     *app.ID
	Role      *string
	Active    *bool
	Query     *string // login or name
	Phone     *string // exact, through the keyed index
	IDNumber  *string // exact, through the keyed index
	Offset    int
	Limit     int
}

// Update holds the fields an edit may change.
type Update struct {
	Name      *string
	OrgID     *app.ID
	Rank      *Rank
	RankTitle *string
	Phone     *string
	IDNumber  *string
	Active    *bool
}

// Store keeps users. Changing methods audit in the same transaction.
type Store interface {
	// FindUserByID returns ENOTFOUND.
	FindUserByID(ctx context.Context, id app.ID) (*User, error)
	// FindUserByLogin returns ENOTFOUND.
	FindUserByLogin(ctx context.Context, login string) (*User, error)
	// FindUsers returns a page of users and the total.
	FindUsers(ctx context.Context, f Filter) ([]*User, int, error)
	// CreateUser stores u with its hash; ECONFLICT for a login taken.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser returns ENOTFOUND or EINVALID.
	UpdateUser(ctx context.Context, id app.ID, up Update) (*User, error)
	// SetRoles replaces a user's roles (the security admin's act).
	SetRoles(ctx context.Context, id app.ID, roles []string) error
	// SetPassword stores a new hash, keeps the old one in the history, sets
	// or clears the forced change, and ends the user's sessions but
	// keepSession, all in one transaction with its audit row.
	SetPassword(ctx context.Context, id app.ID, hash string, mustChange bool, keepSession string) error
	// PasswordHistory returns the newest n previous hashes.
	PasswordHistory(ctx context.Context, id app.ID, n int) ([]string, error)
	// RecordLoginFailure counts a failure and may lock the account; it
	// returns the updated lockout state.
	RecordLoginFailure(ctx context.Context, id app.ID, rule LockoutRule) (*User, error)
	// RecordUnknownLoginFailure counts a failed sign-in for a login that
	// names no account, keyed by a keyed hash of the login, and returns
	// the lockout state, so unknown logins lock exactly like real ones.
	RecordUnknownLoginFailure(ctx context.Context, login string, rule LockoutRule) (*User, error)
	// RecordLoginSuccess clears failures, stamps the sign-in and opens the
	// session in one transaction with its audit row. A non-empty rehash
	// replaces the stored hash (made with older costs) without touching
	// the password history.
	RecordLoginSuccess(ctx context.Context, id app.ID, s *session.Session, rehash string) error
}

// LockoutRule is how many failures within Window lock an account for
// Duration.
type LockoutRule struct {
	MaxFailures int
	Window      time.Duration
	Duration    time.Duration
}

// DefaultLockout is the 等保 rule: 5 failures within 15 minutes lock the
// account for 30 minutes.
var DefaultLockout = LockoutRule{MaxFailures: 5, Window: 15 * time.Minute, Duration: 30 * time.Minute}

// Apply returns the lockout state after one more failure at now.
func (r LockoutRule) Apply(u *User, now time.Time) (count int, since, lockedUntil time.Time) {
	count, since = u.FailedCount, u.FailedSince
	if since.IsZero() || now.Sub(since) > r.Window {
		count, since = 0, now
	}
	count++
	lockedUntil = u.LockedUntil
	if count >= r.MaxFailures {
		lockedUntil = now.Add(r.Duration)
		count, since = 0, time.Time{}
	}
	return count, since, lockedUntil
}

// Locked reports whether the account is locked at now.
func (u *User) Locked(now time.Time) bool { return now.Before(u.LockedUntil) }
