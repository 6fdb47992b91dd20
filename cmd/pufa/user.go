package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/org"
	"pufa/internal/password"
	"pufa/internal/pii"
	"pufa/internal/store"
)

// listValue is a repeatable string flag.
type listValue struct{ p *[]string }

func (v listValue) String() string {
	if v.p == nil {
		return ""
	}
	return strings.Join(*v.p, ",")
}

func (v listValue) Set(s string) error {
	*v.p = append(*v.p, s)
	return nil
}

// maxPasswordInput bounds what --password-stdin reads; the policy allows
// 128 characters, so anything near this is not a password.
const maxPasswordInput = 4096

func cmdUserAdd(ctx context.Context, c *cli, name string, args []string) error {
	f := newFlags(name, flagOpts{})
	var login, fullName, orgRef, rank, rankTitle, phone, idNumber string
	var roles []string
	var fromStdin, mustChange bool
	f.StringVar(&login, "login", "", "登录名（必填）：字母、数字或 . _ @ -")
	f.StringVar(&fullName, "name", "", "姓名（必填）")
	f.Var(listValue{&roles}, "role", "角色（必填，可重复）：office、liaison、reviewer、examinee、sysadmin、secadmin、auditor")
	f.StringVar(&orgRef, "org", "", "所属组织的代码或编号（默认根组织）")
	f.BoolVar(&fromStdin, "password-stdin", false, "从标准输入读取密码（去掉末尾换行），按密码策略检查；不给则随机生成并打印")
	f.BoolVar(&mustChange, "must-change", false, "首次登录须修改密码（随机生成的密码总是如此）")
	f.StringVar(&rank, "rank", "", "身份：staff（一般工作人员，默认）或 senior（领导干部）")
	f.StringVar(&rankTitle, "rank-title", "", "职级，如 四级调研员")
	f.StringVar(&phone, "phone", "", "手机或固定电话（加密保存）")
	f.StringVar(&idNumber, "id-number", "", "居民身份证号（加密保存）")
	if err := f.parse(c, args); err != nil {
		return err
	}
	cfg := f.cfg
	switch {
	case strings.TrimSpace(login) == "":
		return usagef("请用 --login 给出登录名")
	case strings.TrimSpace(fullName) == "":
		return usagef("请用 --name 给出姓名")
	case len(roles) == 0:
		return usagef("请用 --role 给出至少一个角色")
	}
	u := &account.User{Login: strings.TrimSpace(login), Name: fullName, RankTitle: rankTitle, MustChange: mustChange}
	for _, r := range roles {
		role, err := account.ParseRole(r)
		if err != nil {
			return usagef("--role：%s", app.ErrorMessage(err))
		}
		u.Roles = append(u.Roles, role)
	}
	if err := account.ValidateRoles(u.Roles); err != nil {
		return usagef("--role：%s", app.ErrorMessage(err))
	}
	var err error
	if u.Rank, err = account.ParseRank(rank); err != nil {
		return usagef("--rank：%s", app.ErrorMessage(err))
	}
	if phone != "" {
		u.Phone = pii.NormalizePhone(phone)
		if err := pii.ValidPhone(u.Phone); err != nil {
			return usagef("--phone：%v", err)
		}
	}
	if idNumber != "" {
		u.IDNumber = pii.NormalizeIDNumber(idNumber)
		if err := pii.ValidIDNumber(u.IDNumber); err != nil {
			return usagef("--id-number：%v", err)
		}
	}
	var pw string
	if fromStdin {
		if pw, err = readPassword(c.stdin); err != nil {
			return err
		}
		if err := cfg.policy().Check(pw, u.Login); err != nil {
			return usagef("密码不符合密码策略（%s）：%v", cfg.passwordPolicy, err)
		}
	} else {
		if pw, err = password.Generate(); err != nil {
			return err
		}
		u.MustChange = true
	}

	d, err := cfg.open(ctx, cfg.newLogger(c.stderr, false), migrateEmpty)
	if err != nil {
		return err
	}
	defer d.close()
	ctx = cliContext(ctx, c, name)
	o, err := findOrg(ctx, d.db, orgRef, cfg)
	if err != nil {
		return err
	}
	u.OrgID = o.ID
	if err := u.Validate(); err != nil {
		return usagef("%s", app.ErrorMessage(err))
	}
	if u.PasswordHash, err = d.hasher.Hash(ctx, pw); err != nil {
		return err
	}
	if err := d.db.CreateUser(ctx, u); err != nil {
		if code := app.ErrorCode(err); code == app.EINVALID {
			return usagef("%s", app.ErrorMessage(err))
		} else if code != app.EINTERNAL {
			return errors.New(app.ErrorMessage(err))
		}
		return err
	}
	fmt.Fprintf(c.stderr, "已创建账号 %s（%s，%s，%s）。\n", u.Login, u.Name, o.Name, roleLabels(u.Roles))
	if !fromStdin {
		fmt.Fprintln(c.stderr, "一次性密码如下，只显示这一次；首次登录须修改：")
		fmt.Fprintln(c.stdout, pw)
	} else if u.MustChange {
		fmt.Fprintln(c.stderr, "首次登录须修改密码。")
	}
	return nil
}

// readPassword reads a password from r and strips one trailing newline
// (LF or CRLF), as `echo` or a file adds it.
func readPassword(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxPasswordInput+1))
	if err != nil {
		return "", fmt.Errorf("读取标准输入: %w", err)
	}
	if len(b) > maxPasswordInput {
		return "", usagef("--password-stdin：输入过长，不像是一个密码")
	}
	b = bytes.TrimSuffix(b, []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	if len(b) == 0 {
		return "", usagef("--password-stdin：标准输入中没有密码")
	}
	return string(b), nil
}

// findOrg resolves --org: an org code, else an org id; empty means the
// root, which an empty database gets from --root-name and --root-code.
func findOrg(ctx context.Context, db *store.DB, ref string, cfg *config) (*org.Org, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		o, _, err := ensureRoot(ctx, db, cfg.rootName, cfg.rootCode)
		return o, err
	}
	o, err := db.FindOrgByCode(ctx, ref)
	if app.ErrorCode(err) != app.ENOTFOUND {
		return o, err
	}
	if id, perr := app.ParseID("org", ref); perr == nil {
		if o, err := db.FindOrgByID(ctx, id); app.ErrorCode(err) != app.ENOTFOUND {
			return o, err
		}
	}
	return nil, usagef("--org：没有代码或编号为“%s”的组织", ref)
}

func roleLabels(roles []string) string {
	labels := make([]string, len(roles))
	for i, r := range roles {
		labels[i] = account.RoleLabel(r)
	}
	return strings.Join(labels, "、")
}

func cmdUserResetPassword(ctx context.Context, c *cli, name string, args []string) error {
	f := newFlags(name, flagOpts{})
	var login string
	f.StringVar(&login, "login", "", "要重置密码的登录名（必填）")
	if err := f.parse(c, args); err != nil {
		return err
	}
	if strings.TrimSpace(login) == "" {
		return usagef("请用 --login 给出登录名")
	}
	cfg := f.cfg
	d, err := cfg.open(ctx, cfg.newLogger(c.stderr, false), migrateEmpty)
	if err != nil {
		return err
	}
	defer d.close()
	ctx = cliContext(ctx, c, name)
	u, err := d.db.FindUserByLogin(ctx, login)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return fmt.Errorf("没有登录名为“%s”的账号", login)
	} else if err != nil {
		return err
	}
	pw, err := d.auth.ResetPassword(ctx, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "已重置 %s（%s）的密码，并结束其所有会话；锁定已解除。\n新的一次性密码如下，只显示这一次；登录后须立即修改：\n", u.Login, u.Name)
	fmt.Fprintln(c.stdout, pw)
	return nil
}
