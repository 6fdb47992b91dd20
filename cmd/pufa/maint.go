package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"pufa/internal/audit"
	"pufa/internal/store"
)

func cmdMigrate(ctx context.Context, c *cli, name string, args []string) error {
	f := newFlags(name, flagOpts{})
	if err := f.parse(c, args); err != nil {
		return err
	}
	cfg := f.cfg
	d, err := cfg.open(ctx, cfg.newLogger(c.stderr, false), migrateAll)
	if err != nil {
		return err
	}
	defer d.close()
	fmt.Fprintf(c.stdout, "数据库结构版本：%d（%s）\n", d.schema, d.db.Dialect)
	return nil
}

func cmdBackup(ctx context.Context, c *cli, name string, args []string) error {
	f := newFlags(name, flagOpts{})
	var out string
	f.StringVar(&out, "out", "", "备份文件路径（必填，不能已存在）")
	if err := f.parse(c, args); err != nil {
		return err
	}
	if out == "" {
		return usagef("请用 --out 给出备份文件路径")
	}
	cfg := f.cfg
	if store.IsPostgresDSN(cfg.dsn()) {
		return errors.New(`PostgreSQL 数据库请用 pg_dump 备份，例如：pg_dump -Fc -f pufa.dump "$PUFA_DB"`)
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("%s 已存在，不会覆盖；请换一个文件名", abs)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	d, err := cfg.open(ctx, cfg.newLogger(c.stderr, false), migrateEmpty)
	if err != nil {
		return err
	}
	defer d.close()
	if err := d.db.Backup(ctx, abs); err != nil {
		return fmt.Errorf("备份失败: %w", err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "已备份到 %s（%d 字节，结构版本 %d）。密钥文件不在备份内，请另行妥善保管。\n", abs, fi.Size(), d.schema)
	return nil
}

func cmdAuditVerify(ctx context.Context, c *cli, name string, args []string) error {
	f := newFlags(name, flagOpts{})
	if err := f.parse(c, args); err != nil {
		return err
	}
	cfg := f.cfg
	d, err := cfg.open(ctx, cfg.newLogger(c.stderr, false), migrateEmpty)
	if err != nil {
		return err
	}
	defer d.close()
	n, err := d.db.VerifyAudit(ctx)
	var p *audit.Problem
	if errors.As(err, &p) {
		fmt.Fprintf(c.stdout, "审计日志校验失败（之前的 %d 条完好）：%s\n", n, p.Error())
		return &exitError{code: 1}
	} else if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "审计日志完整：共 %d 条\n", n)
	return nil
}

func cmdVersion(ctx context.Context, c *cli, name string, args []string) error {
	// The shared flags are accepted so scripts can pass the same ones to
	// every command; version opens no database.
	f := newFlags(name, flagOpts{})
	if err := f.parse(c, args); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "pufa %s（%s，%s/%s）\n", versionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}

// versionString describes the build from the module and VCS information
// the Go toolchain records: a tagged version when installed from one,
// otherwise the commit and whether the tree had local changes.
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]) {
		v += "+" + rev[:min(12, len(rev))]
		if modified == "true" {
			v += "-dirty"
		}
	}
	return v
}
