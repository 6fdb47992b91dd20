// Package settings holds the few things the system admin sets for the whole
// installation: what the platform is called and how early a deadline turns
// amber.
package settings

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"pufa/internal/app"
)

// Settings are the installation's settings.
type Settings struct {
	// PlatformName is shown in every page's header and title, e.g.
	// "临江区普法依法治理工作平台".
	PlatformName string
	// WarningDays is how many days before its deadline a task turns amber.
	WarningDays int
}

// Defaults are the settings of a new installation.
func Defaults() Settings {
	return Settings{PlatformName: "普法依法治理工作平台", WarningDays: 14}
}

// Warning is the amber period as a duration.
func (s Settings) Warning() time.Duration { return time.Duration(s.WarningDays) * 24 * time.Hour }

// Validate checks what the admin typed.
func (s *Settings) Validate() error {
	s.PlatformName = strings.TrimSpace(s.PlatformName)
	if s.PlatformName == "" {
		return app.Invalid("platform_name", "请填写平台名称")
	} else if utf8.RuneCountInString(s.PlatformName) > 40 {
		return app.Invalid("platform_name", "平台名称不能超过 40 个字")
	}
	if s.WarningDays < 1 || s.WarningDays > 90 {
		return app.Invalid("warning_days", "临期提醒天数应在 1 到 90 之间")
	}
	return nil
}

// Store keeps the settings.
type Store interface {
	// LoadSettings returns the stored settings over the defaults.
	LoadSettings(ctx context.Context) (Settings, error)
	// SaveSettings validates and stores the settings, audited.
	SaveSettings(ctx context.Context, s Settings) error
}
