package store

import (
	"context"
	"fmt"
	"strconv"

	"pufa/internal/audit"
	"pufa/internal/settings"
)

var _ settings.Store = (*DB)(nil)

// LoadSettings reads the settings rows over the defaults.
func (db *DB) LoadSettings(ctx context.Context) (settings.Settings, error) {
	s := settings.Defaults()
	rows, err := db.reader().query(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return s, fmt.Errorf("load settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return s, err
		}
		switch k {
		case "platform_name":
			s.PlatformName = v
		case "warning_days":
			if n, err := strconv.Atoi(v); err == nil {
				s.WarningDays = n
			}
		}
	}
	return s, rows.Err()
}

// SaveSettings stores every setting in one transaction.
func (db *DB) SaveSettings(ctx context.Context, s settings.Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		for k, v := range map[string]string{"platform_name": s.PlatformName, "warning_days": strconv.Itoa(s.WarningDays)} {
			if _, err := tx.exec(ctx, `DELETE FROM settings WHERE key = ?`, k); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)`, k, v, ms(tx.now)); err != nil {
				return err
			}
		}
		return tx.audit(ctx, audit.Record{Action: "settings.update", ObjectType: "settings", Detail: fmt.Sprintf("平台名称=%s 临期天数=%d", s.PlatformName, s.WarningDays)})
	})
}
