package directory

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"pufa/internal/account"
	"pufa/internal/org"
)

// sheet is a worksheet built in the test.
type sheet struct {
	header []string
	rows   [][]string
}

func (s *sheet) Index(h string) int {
	for i, x := range s.header {
		if strings.TrimSuffix(x, "*") == strings.TrimSuffix(h, "*") {
			return i
		}
	}
	return -1
}

func (s *sheet) Col(row []string, h string) string {
	if i := s.Index(h); i >= 0 && i < len(row) {
		return row[i]
	}
	return ""
}
func (s *sheet) Len() int                  { return len(s.rows) }
func (s *sheet) Row(i int) ([]string, int) { return s.rows[i], i + 2 }

// env is a database of one region, 330199, and one login, taken.
type env struct{ grant bool }

func (e env) OrgByCode(_ context.Context, code string) (*org.Org, bool, error) {
	if code == "330199" {
		return &org.Org{ID: 1, Path: "/1/", Kind: org.KindRegion, Code: code}, true, nil
	}
	return nil, false, nil
}
func (e env) LoginTaken(_ context.Context, login string) (bool, error) { return login == "taken", nil }
func (e env) CanManageUnder(path string) bool                          { return strings.HasPrefix(path, "/1/") }
func (e env) CanGrant(_ string, roles []string) bool {
	return e.grant || (len(roles) == 1 && roles[0] == account.RoleExaminee)
}

func TestBuild(t *testing.T) {
	unit := "12330199MB0000001"
	unit += string(org.CreditCodeCheckChar(unit))
	orphan := "12330199MB0000002"
	orphan += string(org.CreditCodeCheckChar(orphan))
	orgs := &sheet{header: OrgColumns, rows: [][]string{
		{"330199", "街道", "江滨街道", "330199001", "1"},
		{"330199001", "社区", "江滨社区", "330199001001", ""}, // parent made one row above
		{"330199", "单位", "区司法局", unit, ""},
		{"330199", "单位", "坏代码", unit[:17] + "0", ""},
		{"999999", "单位", "无上级", orphan, ""},
		{"330199", "星球", "错类型", "330199002", ""},
		{"330199", "街道", "重复", "330199001", ""},
	}}
	users := &sheet{header: UserColumns, rows: [][]string{
		{"zhang", "张三", "330199001001", "考生", "领导干部", "四级调研员", "13812345678", "11010519491231002X"},
		{"taken", "李四", "330199", "考生", "", "", "", ""},
		{"wang", "王五", "330199", "普法办", "", "", "", ""},
		{"zhao", "赵六", "330199", "考生", "", "", "12345", ""},
		{"Zhang", "重名", "330199", "考生", "", "", "", ""},
	}}
	p, err := Build(context.Background(), orgs, users, env{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Orgs) != 3 || len(p.Users) != 1 || p.Valid() {
		t.Fatalf("orgs %d users %d valid %v; errors %v", len(p.Orgs), len(p.Users), p.Valid(), p.Errors)
	}
	want := map[string]string{ // "sheet row" → words the message must hold
		"组织 5": "校验位", "组织 6": "找不到代码为 999999", "组织 7": "“星球”无效", "组织 8": "与第 2 行重复",
		"用户 3": "已被使用", "用户 4": "无权", "用户 5": "手机号", "用户 6": "与第 2 行重复",
	}
	got := map[string]string{}
	for _, e := range p.Errors {
		got[e.Sheet+" "+strconv.Itoa(e.Row)] = e.Message
	}
	for at, words := range want {
		if !strings.Contains(got[at], words) {
			t.Errorf("%s: %q, want it to mention %q", at, got[at], words)
		}
	}
	if len(p.Errors) != len(want) {
		t.Errorf("%d errors, want %d: %v", len(p.Errors), len(want), p.Errors)
	}
	u := p.Users[0].User
	if u.Rank != account.RankSenior || u.Phone != "13812345678" || !u.MustChange || p.Users[0].OrgCode != "330199001001" {
		t.Errorf("user %+v", u)
	}

	// Missing required columns are one error, not one per row.
	p, _ = Build(context.Background(), &sheet{header: []string{"名称"}, rows: [][]string{{"x"}}}, nil, env{})
	if len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, "缺少必填列") {
		t.Errorf("missing columns: %v", p.Errors)
	}
}
