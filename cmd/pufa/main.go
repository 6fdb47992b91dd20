// Command pufa is the law-popularization work platform: one binary whose
// subcommands serve the web application, load a demo, migrate the
// database, manage accounts, back up and verify the audit log.
//
// Configuration comes from flags and PUFA_* environment variables (a flag
// wins over its variable); it is read here and passed down, never kept in
// package state. Run `pufa help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal starts a graceful shutdown, a second one
	// kills the process the default way.
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// cli is what a subcommand may use from its surroundings.
type cli struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand.
type command struct {
	name    string // "user add"
	args    string // the synopsis after the name
	summary string
	run     func(ctx context.Context, c *cli, name string, args []string) error
}

// commands lists the subcommands in the order help shows them.
func commands() []command {
	return []command{
		{"serve", "[--addr 127.0.0.1:8080] [--data-dir DIR] [--db DSN]", "启动服务；空数据库首次启动时创建根组织和三员账号", cmdServe},
		{"demo", "[--addr 127.0.0.1:8080] [--data-dir ./pufa-demo]", "重建演示数据（临江区）并启动服务，打印各角色的演示账号和密码", cmdDemo},
		{"migrate", "[--db DSN]", "升级数据库结构，打印结构版本", cmdMigrate},
		{"user add", "--login L --name N --role R [--role R2] [--org ORG] [--password-stdin] [--must-change]", "新增账号", cmdUserAdd},
		{"user reset-password", "--login L", "重置账号密码，打印新的一次性密码（首次登录须修改）", cmdUserResetPassword},
		{"backup", "--out FILE", "在线备份 SQLite 数据库（PostgreSQL 请用 pg_dump）", cmdBackup},
		{"outline", "FILE", "读取 .docx 或文本文件（- 为标准输入），以 JSON 输出其章节、条目和警告；不使用数据库", cmdOutline},
		{"audit verify", "", "校验审计日志链，指出第一条被篡改的记录", cmdAuditVerify},
		{"questions", "FILE", "解析题库文件（.txt、.docx、.xlsx；- 为标准输入），以 JSON 打印题目和警告", cmdQuestions},
		{"loadtest", "--fixture FILE [--url URL] [--examinees N] [--mode saves|start-warm|start-cold|healthz] [--duration 30s] [--think 5s-20s] [--submit] [--ack-log FILE] [--json]", "对运行中服务的考试接口施加负载（考生来自 loadtest-fixture），打印吞吐和延迟分位数", cmdLoadtest},
		{"loadtest-fixture", "[--db DSN] [--examinees N] [--questions Q]", "为考试接口压测创建一场考试和 N 个考生账号（共用一个密码），以 JSON 打印考试编号、登录名和密码", cmdLoadtestFixture},
		{"version", "", "显示版本", cmdVersion},
		{"help", "[命令]", "显示帮助", nil},
	}
}

// run is the whole program; main only supplies the process's surroundings.
// It returns the exit code: 0 for success, 1 for a failure, 2 for a usage
// error (an unknown command, a bad flag, an invalid value).
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		printHelp(stderr)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[1] != "help" {
			cmd, _, ok := findCommand(args[1:])
			if !ok {
				unknownCommand(stderr, args[1:])
				return 2
			}
			// The command's own -h prints its flags.
			return exitCode(c, cmd.name, cmd.run(ctx, c, cmd.name, []string{"-h"}))
		}
		printHelp(stdout)
		return 0
	case "-v", "-version", "--version":
		args = []string{"version"}
	}
	cmd, rest, ok := findCommand(args)
	if !ok {
		unknownCommand(stderr, args)
		return 2
	}
	return exitCode(c, cmd.name, cmd.run(ctx, c, cmd.name, rest))
}

// synopsis is the argument synopsis of the command name.
func synopsis(name string) string {
	for _, cmd := range commands() {
		if cmd.name == name {
			return cmd.args
		}
	}
	return ""
}

// unknownCommand says that args name no command.
func unknownCommand(w io.Writer, args []string) {
	if subs := subcommands(args[0]); len(subs) > 0 {
		fmt.Fprintf(w, "“%s”后面应跟：%s。运行 pufa help 查看可用命令。\n", args[0], strings.Join(subs, "、"))
		return
	}
	fmt.Fprintf(w, "未知命令“%s”。运行 pufa help 查看可用命令。\n", strings.Join(args, " "))
}

// subcommands lists the second words of the commands that start with
// first ("user" → add, reset-password).
func subcommands(first string) []string {
	var out []string
	for _, cmd := range commands() {
		if w := strings.Fields(cmd.name); len(w) == 2 && w[0] == first {
			out = append(out, w[1])
		}
	}
	return out
}

// findCommand matches the longest command name at the start of args.
func findCommand(args []string) (command, []string, bool) {
	for _, cmd := range commands() {
		words := strings.Fields(cmd.name)
		if cmd.run == nil || len(args) < len(words) {
			continue
		}
		match := true
		for i, w := range words {
			match = match && args[i] == w
		}
		if match {
			return cmd, args[len(words):], true
		}
	}
	return command{}, nil, false
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `pufa：普法依法治理工作平台

用法：pufa <命令> [参数]

命令：
`)
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  %-21s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprint(w, `
每个命令都接受 --db 和 --data-dir，空数据库会先建好表结构。
--data-dir 默认 ./pufa-data（demo 为 ./pufa-demo）；--db 默认 <data-dir>/pufa.db，
写 postgres://… 则使用 PostgreSQL。常用参数也可用环境变量给出（PUFA_DB、
PUFA_DATA_DIR、PUFA_ADDR、PUFA_LOG_LEVEL…），命令行参数优先。

运行 pufa help <命令> 查看该命令的全部参数。
`)
}

// usageError is a mistake in how pufa was called; it exits with 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitError ends a command with a code after it printed its own report.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// errHelp is returned after -h printed a command's usage.
var errHelp = errors.New("help shown")

// exitCode reports err on stderr and maps it to the exit code.
func exitCode(c *cli, name string, err error) int {
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(c.stderr, "pufa %s：%s\n运行 pufa help %s 查看用法。\n", name, ue.msg, name)
		return 2
	}
	fmt.Fprintf(c.stderr, "pufa %s：%v\n", name, err)
	return 1
}
