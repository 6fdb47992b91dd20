package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/auth"
	"pufa/internal/crypt"
	"pufa/internal/password"
	"pufa/internal/session"
	"pufa/internal/store"
)

// config holds the settings every command shares.
type config struct {
	dataDir         string
	db              string
	addr            string
	logLevel        slog.Level
	keysFile        string
	passwordPolicy  string
	passwordHash    string
	argon2MemoryKiB uint
	pbkdf2Iter      int
	hashConcurrency int
	sessionIdle     time.Duration
	sessionAbsolute time.Duration
	secureCookies   bool
	rootName        string
	rootCode        string
	// commitDelay models a slow disk in benchmarks (store.Options).
	commitDelay     time.Duration
	nodeID          string
	shutdownTimeout time.Duration

	// set records the flags given on the command line or through their
	// environment variable.
	set map[string]bool
	// demo marks the throw-away demo, whose fresh keys are no news.
	demo bool
	// keysEnv is PUFA_KEYS: the keys themselves, for deployments that keep
	// no key file.
	keysEnv string
}

// cmdFlags is a command's flag set with the shared settings registered.
type cmdFlags struct {
	*flag.FlagSet
	cfg *config
	// env maps a flag to its PUFA_* variable.
	env map[string]string
	// noEnv lists flags whose variable this command ignores (demo wipes
	// its data folder, so it never takes the folder from the environment).
	noEnv map[string]bool
	name  string
	args  string
}

// flagOpts choose which shared flags a command has.
type flagOpts struct {
	server     bool   // --addr, --secure-cookies, sessions, shutdown
	dataDir    string // default data folder
	ignoreEnvs []string
}

// newFlags makes the flag set of command name with the shared settings.
func newFlags(name string, o flagOpts) *cmdFlags {
	cfg := &config{set: map[string]bool{}}
	fs := flag.NewFlagSet("pufa "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := &cmdFlags{FlagSet: fs, cfg: cfg, env: map[string]string{}, noEnv: map[string]bool{}, name: name, args: synopsis(name)}
	for _, n := range o.ignoreEnvs {
		f.noEnv[n] = true
	}
	if o.dataDir == "" {
		o.dataDir = "./pufa-data"
	}
	host, _ := os.Hostname()
	if host == "" {
		host = "node-1"
	}
	f.StringVar(&cfg.dataDir, "data-dir", o.dataDir, "数据目录：SQLite 数据库、密钥文件、附件")
	f.StringVar(&cfg.db, "db", "", "数据库：SQLite 文件路径或 postgres:// URL（默认 <data-dir>/pufa.db）")
	f.Var(levelValue{&cfg.logLevel}, "log-level", "日志级别：debug、info、warn、error")
	f.StringVar(&cfg.keysFile, "keys", "", "密钥文件（默认 <data-dir>/keys.json，首次启动时生成，权限 0600）；\n也可用环境变量 PUFA_KEYS 直接给出密钥（base64），此时不读密钥文件")
	f.StringVar(&cfg.passwordPolicy, "password-policy", password.ProfileDengbao, "密码策略：dengbao（等保）或 relaxed")
	f.StringVar(&cfg.passwordHash, "password-hash", "argon2id", "密码哈希算法：argon2id 或 pbkdf2-sm3")
	f.UintVar(&cfg.argon2MemoryKiB, "argon2-memory-kib", password.DefaultArgon2idMemoryKiB, "argon2id 的内存参数（KiB）")
	f.IntVar(&cfg.pbkdf2Iter, "pbkdf2-iterations", password.DefaultPBKDF2SM3Iterations, "pbkdf2-sm3 的迭代次数")
	f.IntVar(&cfg.hashConcurrency, "hash-concurrency", 2, "同时计算密码哈希的个数上限，其余排队")
	f.StringVar(&cfg.rootName, "root-name", "", "空数据库创建根组织（本级行政区）时使用的名称")
	f.StringVar(&cfg.rootCode, "root-code", "", "空数据库创建根组织时使用的 6 位行政区划代码")
	f.StringVar(&cfg.nodeID, "node-id", host, "本节点的审计链编号，多节点时各不相同；默认取主机名")
	if o.server {
		f.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "监听地址")
		f.DurationVar(&cfg.sessionIdle, "session-idle", session.DefaultTimeouts.Idle, "会话空闲超时")
		f.DurationVar(&cfg.sessionAbsolute, "session-absolute", session.DefaultTimeouts.Absolute, "会话绝对超时")
		f.BoolVar(&cfg.secureCookies, "secure-cookies", true, "Cookie 加 Secure 标记（经 HTTPS 访问时保持开启）")
		f.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 30*time.Second, "停止时等待进行中请求完成的时长")
		f.DurationVar(&cfg.commitDelay, "bench-commit-delay", 0, "仅供压测：每次提交事务前等待的时长，模拟 fsync 较慢的云盘（如 1ms）")
	}
	// Every shared setting has a variable named after its flag
	// (--data-dir → PUFA_DATA_DIR) but --keys: PUFA_KEYS holds the keys
	// themselves, not a file name. A command's own flags have none.
	f.VisitAll(func(fl *flag.Flag) {
		if fl.Name != "keys" {
			f.env[fl.Name] = "PUFA_" + strings.ToUpper(strings.ReplaceAll(fl.Name, "-", "_"))
		}
	})
	return f
}

// parse reads the command line, then the environment for the flags not
// given, and checks the shared settings. -h prints the usage to stdout and
// returns errHelp.
func (f *cmdFlags) parse(c *cli, args []string) error {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			f.usage(c.stdout)
			return errHelp
		}
		return usagef("参数错误：%s", translateFlagError(err))
	}
	if f.NArg() > 0 {
		return usagef("多余的参数“%s”", strings.Join(f.Args(), " "))
	}
	f.Visit(func(fl *flag.Flag) { f.cfg.set[fl.Name] = true })
	for name, env := range f.env {
		if f.cfg.set[name] || f.noEnv[name] {
			continue
		}
		if v := c.getenv(env); v != "" {
			if err := f.Set(name, v); err != nil {
				return usagef("环境变量 %s 的值“%s”无效：%v", env, v, err)
			}
			f.cfg.set[name] = true
		}
	}
	if !f.cfg.set["keys"] && !f.noEnv["keys"] {
		f.cfg.keysEnv = c.getenv("PUFA_KEYS")
	}
	return f.cfg.check()
}

// translateFlagError puts the flag package's messages in Chinese, keeping
// the flag's name.
func translateFlagError(err error) string {
	s := err.Error()
	switch {
	case strings.HasPrefix(s, "flag provided but not defined: "):
		return "没有这个参数：-" + strings.TrimPrefix(s, "flag provided but not defined: ")
	case strings.HasPrefix(s, "flag needs an argument: "):
		return "参数缺少取值：-" + strings.TrimPrefix(s, "flag needs an argument: ")
	}
	// The flag package's message for a value it cannot parse.
	badValue := regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?-(\S+): (.*)$`)
	if m := badValue.FindStringSubmatch(s); m != nil {
		reason := m[3]
		if reason == "parse error" {
			reason = "格式不对"
		}
		return fmt.Sprintf("--%s 的值 %s 无效：%s", m[2], m[1], reason)
	}
	return s
}

// usage prints the command's synopsis and flags.
func (f *cmdFlags) usage(w io.Writer) {
	fmt.Fprintf(w, "用法：%s\n", strings.TrimSpace("pufa "+f.name+" "+f.args))
	shared := func(fl *flag.Flag) bool { _, ok := f.env[fl.Name]; return ok || fl.Name == "keys" }
	for _, part := range []struct {
		title  string
		shared bool
	}{{"参数", false}, {"通用参数（方括号内为对应的环境变量，命令行参数优先）", true}} {
		first := true
		f.VisitAll(func(fl *flag.Flag) {
			if shared(fl) != part.shared {
				return
			}
			if first {
				fmt.Fprintf(w, "\n%s：\n", part.title)
				first = false
			}
			name, u := flag.UnquoteUsage(fl)
			if name == "value" {
				name = strings.TrimPrefix(fl.Name, "log-")
			}
			fmt.Fprintf(w, "  %s\n    \t%s", strings.TrimSpace("--"+fl.Name+" "+name), strings.ReplaceAll(u, "\n", "\n    \t"))
			if fl.DefValue != "" && fl.DefValue != "0" && fl.DefValue != "false" {
				fmt.Fprintf(w, "（默认 %s）", fl.DefValue)
			}
			if env, ok := f.env[fl.Name]; ok && !f.noEnv[fl.Name] {
				fmt.Fprintf(w, "［%s］", env)
			}
			fmt.Fprintln(w)
		})
	}
}

// check validates the shared settings; a bad one is a usage error naming
// its flag.
func (cfg *config) check() error {
	if strings.TrimSpace(cfg.dataDir) == "" {
		return usagef("--data-dir 不能为空")
	}
	if _, err := password.ProfileByName(cfg.passwordPolicy); err != nil {
		return usagef("--password-policy：%v", err)
	}
	if _, err := cfg.baseHasher(); err != nil {
		return err
	}
	if cfg.hashConcurrency < 1 || cfg.hashConcurrency > 256 {
		return usagef("--hash-concurrency 应在 1 到 256 之间")
	}
	if cfg.sessionIdle < 0 || cfg.sessionAbsolute < 0 {
		return usagef("--session-idle 和 --session-absolute 不能为负数")
	}
	if cfg.sessionAbsolute > 0 && cfg.sessionIdle > cfg.sessionAbsolute {
		return usagef("--session-idle（%s）不能长于 --session-absolute（%s）", cfg.sessionIdle, cfg.sessionAbsolute)
	}
	if strings.TrimSpace(cfg.nodeID) == "" || len(cfg.nodeID) > 64 {
		return usagef("--node-id 应为 1 到 64 个字符")
	}
	return nil
}

// levelValue is a flag.Value for a slog level.
type levelValue struct{ l *slog.Level }

func (v levelValue) String() string {
	if v.l == nil {
		return "info"
	}
	return strings.ToLower(v.l.String())
}

func (v levelValue) Set(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		*v.l = slog.LevelDebug
	case "info":
		*v.l = slog.LevelInfo
	case "warn", "warning":
		*v.l = slog.LevelWarn
	case "error":
		*v.l = slog.LevelError
	default:
		return fmt.Errorf("应为 debug、info、warn 或 error")
	}
	return nil
}

// baseHasher is the configured algorithm with its costs, not yet limited.
func (cfg *config) baseHasher() (password.Hasher, error) {
	switch strings.ToLower(cfg.passwordHash) {
	case "argon2id":
		if cfg.argon2MemoryKiB > 1<<22 {
			return nil, usagef("--argon2-memory-kib 过大")
		}
		h := password.Argon2id{MemoryKiB: uint32(cfg.argon2MemoryKiB)}
		if err := h.Validate(); err != nil {
			return nil, usagef("--argon2-memory-kib：%v", err)
		}
		return h, nil
	case "pbkdf2-sm3":
		h := password.PBKDF2SM3{Iterations: cfg.pbkdf2Iter}
		if err := h.Validate(); err != nil {
			return nil, usagef("--pbkdf2-iterations：%v", err)
		}
		return h, nil
	}
	return nil, usagef("--password-hash 应为 argon2id 或 pbkdf2-sm3，而不是“%s”", cfg.passwordHash)
}

// policy is the configured password policy (check has validated it).
func (cfg *config) policy() password.Policy {
	p, _ := password.ProfileByName(cfg.passwordPolicy)
	return p
}

// timeouts are the configured session limits.
func (cfg *config) timeouts() session.Timeouts {
	t := session.DefaultTimeouts
	if cfg.sessionIdle > 0 {
		t.Idle = cfg.sessionIdle
	}
	if cfg.sessionAbsolute > 0 {
		t.Absolute = cfg.sessionAbsolute
	}
	t.TouchEvery = min(t.TouchEvery, t.Idle/2)
	return t
}

// dsn is the database to open.
func (cfg *config) dsn() string {
	if cfg.db != "" {
		return cfg.db
	}
	return filepath.Join(cfg.dataDir, "pufa.db")
}

// newLogger logs to w at the configured level: JSON for the server, which
// a log collector reads, text for the other commands, which a person reads.
func (cfg *config) newLogger(w io.Writer, json bool) *slog.Logger {
	o := &slog.HandlerOptions{Level: cfg.logLevel}
	if json {
		return slog.New(slog.NewJSONHandler(w, o))
	}
	return slog.New(slog.NewTextHandler(w, o))
}

// migration says how a command treats a database behind this binary.
type migration int

const (
	// migrateEmpty creates the schema of an empty database but refuses an
	// outdated one, so e.g. a backup taken before an upgrade is taken of
	// the old schema.
	migrateEmpty migration = iota
	// migrateAll applies every pending migration (serve, demo, migrate).
	migrateAll
)

// deps are the services a command works with.
type deps struct {
	db     *store.DB
	crypto crypt.Provider
	hasher password.Hasher
	auth   *auth.Service
	log    *slog.Logger
	// schema is the database's schema version after opening.
	schema int
}

// open makes the data folder, loads the keys, opens and migrates the
// database and wires the sign-in service.
func (cfg *config) open(ctx context.Context, log *slog.Logger, m migration) (*deps, error) {
	if err := os.MkdirAll(cfg.dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("创建数据目录: %w", err)
	}
	keys, createdFile, err := cfg.loadKeys()
	if err != nil {
		return nil, err
	}
	if createdFile != "" && !cfg.demo {
		log.Warn("已生成新的密钥文件，请妥善备份：丢失后加密的个人信息无法解密，审计日志无法校验", "file", createdFile)
	}
	provider, err := crypt.NewSoftware(keys)
	if err != nil {
		return nil, err
	}
	base, err := cfg.baseHasher()
	if err != nil {
		return nil, err
	}
	hasher := password.Limited(base, cfg.hashConcurrency)
	db, err := store.Open(ctx, cfg.dsn(), store.Options{Clock: app.SystemClock{}, Crypto: provider, Logger: log, NodeID: cfg.nodeID, CommitDelay: cfg.commitDelay})
	if err != nil {
		return nil, err
	}
	d := &deps{db: db, crypto: provider, hasher: hasher, log: log}
	if d.schema, err = migrate(ctx, db, m); err != nil {
		db.Close()
		return nil, err
	}
	if createdFile != "" {
		// Fresh keys over existing data would leave the personal data
		// unreadable and fork the audit chain: stop before writing.
		if _, n, err := db.FindUsers(ctx, account.Filter{Limit: 1}); err != nil || n > 0 {
			db.Close()
			os.Remove(createdFile)
			if err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("数据库中已有数据，但密钥文件 %s 是刚刚生成的：原来的密钥文件可能丢失或路径有误。请恢复原密钥文件（或设置 PUFA_KEYS）后重试；新生成的密钥文件已删除", createdFile)
		}
	}
	d.auth = &auth.Service{
		Users: db, Orgs: db, Sessions: db, Audit: db,
		Hasher: hasher, Policy: cfg.policy(), Lockout: account.DefaultLockout,
		Timeouts: cfg.timeouts(), Clock: app.SystemClock{}, Crypto: provider,
	}
	return d, nil
}

func (d *deps) close() { d.db.Close() }

// loadKeys returns the keys from --keys, else PUFA_KEYS, else the key file
// in the data folder, and the path of a key file it had to create.
func (cfg *config) loadKeys() (*crypt.Keys, string, error) {
	path := cfg.keysFile
	if path == "" {
		if cfg.keysEnv != "" {
			k, err := crypt.KeysFromEnv(cfg.keysEnv)
			if err != nil {
				return nil, "", fmt.Errorf("环境变量 PUFA_KEYS: %w", err)
			}
			return k, "", nil
		}
		path = filepath.Join(cfg.dataDir, "keys.json")
	}
	k, created, err := crypt.LoadOrCreateKeyFile(path)
	if err != nil {
		return nil, "", err
	}
	if created {
		return k, path, nil
	}
	return k, "", nil
}

// migrate brings db's schema up to date as m allows and returns its
// version.
func migrate(ctx context.Context, db *store.DB, m migration) (int, error) {
	v, err := db.SchemaVersion(ctx)
	// An error here is most often the version table missing from an empty
	// database; Migrate creates it, and reports any other trouble itself.
	if err != nil || v == 0 || m == migrateAll {
		return db.Migrate(ctx)
	}
	if latest := db.LatestSchemaVersion(); v < latest {
		return v, fmt.Errorf("数据库结构版本为 %d，本程序需要 %d：请先运行 pufa migrate（升级前建议先备份）", v, latest)
	} else if v > latest {
		return v, fmt.Errorf("数据库结构版本为 %d，比本程序支持的版本 %d 新：请使用更新版本的 pufa", v, latest)
	}
	return v, nil
}

// cliContext marks ctx as the command line acting, so the audit log says
// who changed what from the shell.
func cliContext(ctx context.Context, c *cli, name string) context.Context {
	login := "cli"
	if u := c.getenv("USER"); u != "" {
		login = "cli:" + u
	}
	ctx = app.WithActor(ctx, &app.Actor{Login: login})
	return app.WithRequestMeta(ctx, app.RequestMeta{RequestID: "cli " + name})
}
