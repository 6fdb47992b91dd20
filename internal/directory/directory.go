// Package directory is the bulk import of the org tree and its accounts
// from the .xlsx template: it reads the two sheets into a plan, checks every
// row, and reports per-row errors in Chinese. Nothing is written unless the
// whole plan is valid; the store applies a plan in one transaction.
package directory

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/org"
	"pufa/internal/pii"
)

// Sheet names and columns of the template. A "*" marks a required column.
const (
	OrgSheet  = "组织"
	UserSheet = "用户"
)

// OrgColumns are the columns of the org sheet.
var OrgColumns = []string{"上级组织代码*", "组织类型*", "组织名称*", "代码*", "排序号"}

// UserColumns are the columns of the user sheet.
var UserColumns = []string{"登录名*", "姓名*", "所属组织代码*", "角色*", "身份", "职级", "手机号", "身份证号"}

// MaxRows bounds each sheet.
const MaxRows = 5000

// OrgRow is one org to create; its parent is named by code, either an
// existing org or one earlier in the file.
type OrgRow struct {
	Row        int
	ParentCode string
	Org        org.Org
}

// UserRow is one account to create in the org with OrgCode.
type UserRow struct {
	Row     int
	OrgCode string
	User    account.User
}

// RowError is one problem, located as the user sees it in Excel.
type RowError struct {
	Sheet   string
	Row     int
	Column  string
	Message string
}

func (e RowError) String() string {
	return fmt.Sprintf("“%s”表第 %d 行 %s：%s", e.Sheet, e.Row, e.Column, e.Message)
}

// Plan is a checked import.
type Plan struct {
	Orgs   []OrgRow
	Users  []UserRow
	Errors []RowError
}

// Valid reports whether the plan may be applied.
func (p *Plan) Valid() bool { return len(p.Errors) == 0 && len(p.Orgs)+len(p.Users) > 0 }

// Env answers the questions a plan needs about the database and the
// importer.
type Env interface {
	// OrgByCode finds an existing org.
	OrgByCode(ctx context.Context, code string) (*org.Org, bool, error)
	// LoginTaken reports whether an account already has login.
	LoginTaken(ctx context.Context, login string) (bool, error)
	// CanManageUnder reports whether the importer may create orgs under an
	// org with path, and accounts in it.
	CanManageUnder(path string) bool
	// CanGrant reports whether the importer may give roles to an account
	// in an org with path.
	CanGrant(path string, roles []string) bool
}

// Sheet is one worksheet as read (package xlsx's Sheet satisfies it):
// columns found by header name, rows with the numbers Excel shows.
type Sheet interface {
	Index(header string) int
	Col(row []string, header string) string
	Len() int
	Row(i int) (cells []string, number int)
}

// Build reads the sheets (either may be nil) and checks every row.
func Build(ctx context.Context, orgs, users Sheet, env Env) (*Plan, error) {
	p := &Plan{}
	add := func(sheet string, row int, col, format string, args ...any) {
		p.Errors = append(p.Errors, RowError{Sheet: sheet, Row: row, Column: col, Message: fmt.Sprintf(format, args...)})
	}
	// paths of orgs known so far: existing ones as found, new ones as
	// their parent's path plus a placeholder, enough for scope checks.
	paths := map[string]string{}
	pathOf := func(code string) (string, bool, error) {
		if p, ok := paths[code]; ok {
			return p, true, nil
		}
		o, ok, err := env.OrgByCode(ctx, code)
		if err != nil || !ok {
			return "", false, err
		}
		paths[code] = o.Path
		return o.Path, true, nil
	}
	if orgs != nil {
		if err := requireColumns(orgs, OrgColumns, OrgSheet, add); err == nil {
			seen := map[string]int{}
			for i := 0; i < orgs.Len(); i++ {
				row, n := orgs.Row(i)
				r := OrgRow{Row: n, ParentCode: strings.ToUpper(orgs.Col(row, "上级组织代码"))}
				r.Org.Name, r.Org.Code = orgs.Col(row, "组织名称"), strings.ToUpper(orgs.Col(row, "代码"))
				kind, err := org.ParseKind(orgs.Col(row, "组织类型"))
				if err != nil {
					add(OrgSheet, n, "组织类型", "“%s”无效，应为 区县/街道/乡镇/村/社区/单位", orgs.Col(row, "组织类型"))
					continue
				}
				r.Org.Kind = kind
				if v := orgs.Col(row, "排序号"); v != "" {
					if r.Org.SortOrder, err = strconv.Atoi(v); err != nil || r.Org.SortOrder < 0 {
						add(OrgSheet, n, "排序号", "“%s”不是非负整数", v)
						continue
					}
				}
				if err := r.Org.Validate(); err != nil {
					add(OrgSheet, n, columnOf(err, "组织名称"), "%s", message(err))
					continue
				}
				if prev, dup := seen[r.Org.Code]; dup {
					add(OrgSheet, n, "代码", "代码 %s 与第 %d 行重复", r.Org.Code, prev)
					continue
				}
				seen[r.Org.Code] = n
				if _, exists, err := env.OrgByCode(ctx, r.Org.Code); err != nil {
					return nil, err
				} else if exists {
					add(OrgSheet, n, "代码", "代码 %s 已被系统中的组织使用", r.Org.Code)
					continue
				}
				if r.ParentCode == "" {
					add(OrgSheet, n, "上级组织代码", "请填写上级组织代码")
					continue
				}
				parent, ok, err := pathOf(r.ParentCode)
				if err != nil {
					return nil, err
				}
				if !ok {
					add(OrgSheet, n, "上级组织代码", "找不到代码为 %s 的组织（上级须已在系统中，或在本表中更靠前的行）", r.ParentCode)
					continue
				}
				if !env.CanManageUnder(parent) {
					add(OrgSheet, n, "上级组织代码", "您无权在 %s 之下新建组织", r.ParentCode)
					continue
				}
				paths[r.Org.Code] = parent + "new-" + r.Org.Code + "/"
				p.Orgs = append(p.Orgs, r)
			}
		}
	}
	if users != nil {
		if err := requireColumns(users, UserColumns, UserSheet, add); err == nil {
			seen := map[string]int{}
			for i := 0; i < users.Len(); i++ {
				row, n := users.Row(i)
				r := UserRow{Row: n, OrgCode: strings.ToUpper(users.Col(row, "所属组织代码"))}
				u := &r.User
				u.Login, u.Name, u.RankTitle = users.Col(row, "登录名"), users.Col(row, "姓名"), users.Col(row, "职级")
				u.MustChange = true
				bad := false
				for _, part := range splitList(users.Col(row, "角色")) {
					role, err := account.ParseRole(part)
					if err != nil {
						add(UserSheet, n, "角色", "%s", message(err))
						bad = true
						break
					}
					u.Roles = append(u.Roles, role)
				}
				rank, err := account.ParseRank(users.Col(row, "身份"))
				if err != nil {
					add(UserSheet, n, "身份", "%s", message(err))
					bad = true
				}
				u.Rank = rank
				if v := pii.NormalizePhone(users.Col(row, "手机号")); v != "" {
					if err := pii.ValidPhone(v); err != nil {
						add(UserSheet, n, "手机号", "%s", err.Error())
						bad = true
					}
					u.Phone = v
				}
				if v := pii.NormalizeIDNumber(users.Col(row, "身份证号")); v != "" {
					if err := pii.ValidIDNumber(v); err != nil {
						add(UserSheet, n, "身份证号", "%s", err.Error())
						bad = true
					}
					u.IDNumber = v
				}
				if bad {
					continue
				}
				u.OrgID = 1 // resolved when applied; Validate only needs it set
				if err := u.Validate(); err != nil {
					add(UserSheet, n, columnOf(err, "登录名"), "%s", message(err))
					continue
				}
				key := strings.ToLower(u.Login)
				if prev, dup := seen[key]; dup {
					add(UserSheet, n, "登录名", "登录名 %s 与第 %d 行重复", u.Login, prev)
					continue
				}
				seen[key] = n
				if taken, err := env.LoginTaken(ctx, u.Login); err != nil {
					return nil, err
				} else if taken {
					add(UserSheet, n, "登录名", "登录名 %s 已被使用", u.Login)
					continue
				}
				path, ok, err := pathOf(r.OrgCode)
				if err != nil {
					return nil, err
				}
				if !ok {
					add(UserSheet, n, "所属组织代码", "找不到代码为 %s 的组织", r.OrgCode)
					continue
				}
				if !env.CanManageUnder(path) || !env.CanGrant(path, u.Roles) {
					add(UserSheet, n, "角色", "您无权在该组织创建具有这些角色的账号")
					continue
				}
				u.OrgID = 0
				p.Users = append(p.Users, r)
			}
		}
	}
	return p, nil
}

func requireColumns(s Sheet, cols []string, sheet string, add func(string, int, string, string, ...any)) error {
	var missing []string
	for _, c := range cols {
		if strings.HasSuffix(c, "*") && s.Index(c) < 0 {
			missing = append(missing, strings.TrimSuffix(c, "*"))
		}
	}
	if len(missing) > 0 {
		add(sheet, 1, "表头", "缺少必填列：%s。请使用系统提供的模板", strings.Join(missing, "、"))
		return fmt.Errorf("missing columns")
	}
	return nil
}

// splitList splits "普法办，考生、联络员" on the separators people type.
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == ' ' || r == '/'
	})
	return f
}

// message is the user's text of a validation error.
func message(err error) string { return app.ErrorMessage(err) }

// columnOf names the template column a validation error is about.
func columnOf(err error, fallback string) string {
	var e *app.Error
	if errors.As(err, &e) {
		switch e.Field {
		case "name":
			if fallback == "登录名" {
				return "姓名"
			}
			return "组织名称"
		case "code":
			return "代码"
		case "kind":
			return "组织类型"
		case "sort_order":
			return "排序号"
		case "login":
			return "登录名"
		case "roles":
			return "角色"
		case "rank":
			return "身份"
		case "rank_title":
			return "职级"
		}
	}
	return fallback
}
