package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"

	"pufa/internal/account"
	"pufa/internal/demo"
	"pufa/internal/store"
)

// demoMarker marks a folder pufa demo made, so it only ever deletes its own.
const demoMarker = ".pufa-demo"

func cmdDemo(ctx context.Context, c *cli, name string, args []string) error {
	// The data folder and database come from flags only: demo deletes its
	// folder, and a PUFA_DATA_DIR meant for the real server must not point
	// it at real data.
	f := newFlags(name, flagOpts{server: true, dataDir: "./pufa-demo", ignoreEnvs: []string{"data-dir", "db", "keys"}})
	if err := f.parse(c, args); err != nil {
		return err
	}
	cfg := f.cfg
	cfg.demo = true
	if err := resetDemoDir(cfg.dataDir); err != nil {
		return err
	}
	log := cfg.newLogger(c.stderr, false)
	d, err := cfg.open(ctx, log, migrateAll)
	if err != nil {
		return err
	}
	defer d.close()
	accounts, err := demo.Load(cliContext(ctx, c, name), d.db, d.hasher)
	if err != nil {
		if cfg.db != "" && store.IsPostgresDSN(cfg.db) {
			return fmt.Errorf("%w（demo 只能载入空数据库，请换一个空的 PostgreSQL 数据库或 schema）", err)
		}
		return err
	}
	// The table goes out once the server listens, with the URL it really
	// bound (the port may be 0 in tests).
	outer, _ := ctx.Value(readyKey{}).(func(string))
	ctx = withReady(ctx, func(addr string) {
		printDemo(c.stdout, accounts, addr, cfg.dataDir)
		if outer != nil {
			outer(addr)
		}
	})
	return serve(ctx, cfg, d, false)
}

// resetDemoDir empties dir for a fresh demo. It refuses a folder that
// pufa demo did not make, unless the folder is empty.
func resetDemoDir(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case len(entries) > 0:
		if _, err := os.Stat(filepath.Join(abs, demoMarker)); err != nil {
			return fmt.Errorf("%s 不是 pufa demo 建立的目录（缺少 %s），为免误删，不会清空它；请换一个 --data-dir", abs, demoMarker)
		}
		if err := os.RemoveAll(abs); err != nil {
			return fmt.Errorf("清空演示目录: %w", err)
		}
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(abs, demoMarker), []byte("pufa demo 的数据目录，每次运行 pufa demo 都会删除重建。\n"), 0o600)
}

// printDemo prints the demo accounts with their passwords and the URL.
func printDemo(w io.Writer, accounts []demo.Account, addr, dir string) {
	host, port, _ := net.SplitHostPort(addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	url := "http://" + net.JoinHostPort(host, port)
	fmt.Fprintf(w, "\npufa 演示：临江区（数据目录 %s，每次运行都会重建；密码每次随机生成）\n\n", dir)
	rows := [][]string{{"角色", "登录名", "姓名", "所属组织", "密码"}}
	for _, a := range accounts {
		var labels []string
		for _, r := range strings.Split(a.Role, ",") {
			labels = append(labels, account.RoleLabel(r))
		}
		rows = append(rows, []string{strings.Join(labels, "、"), a.Login, a.Name, a.OrgName, a.Password})
	}
	printTable(w, rows)
	fmt.Fprintf(w, "\n请用浏览器打开 %s ，用上面任一账号登录。按 Ctrl+C 停止。\n", url)
	fmt.Fprintf(w, "本年度学法用法考试正在进行：用考生 zhangwei（领导干部）、wangfang 或 lina 登录，点“考试”即可开考（手机也可）。\n")
	fmt.Fprintf(w, "知识竞赛：office1 在“考试 → 管理考试 → 知识竞赛”查看“七一”竞赛的排名并回放现场决赛；“12·4”宪法竞赛的决赛待举行，\n")
	fmt.Fprintf(w, "  office1 打开主持人控制台和大屏幕出题，zhangwei、wangfang、lina 在手机上点“考试 → 进入决赛答题”作答。\n\n")
}

// printTable prints rows in aligned columns, counting a CJK character as
// two columns as terminals show it. The first row is the header.
func printTable(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, cell := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	for n, r := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, b.String())
		if n == 0 {
			total := 0
			for _, wd := range widths {
				total += wd + 2
			}
			fmt.Fprintln(w, "  "+strings.Repeat("-", total-2))
		}
	}
}

// displayWidth is how many terminal columns s takes: two for wide (East
// Asian) characters, one for the rest.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6:
			n += 2
		default:
			n++
		}
	}
	return n
}
