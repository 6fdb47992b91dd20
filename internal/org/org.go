// Package org is the org tree: regions (区, 街道, 镇, 村, 社区) and the units
// (单位) under them. Any org can hold liaisons, tasks and results; its kind
// only decides how it is shown and which code format it carries.
package org

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"pufa/internal/app"
)

// Kind is the kind of an org.
type Kind string

// The kinds of org. Regions carry a 行政区划代码, units a 统一社会信用代码.
const (
	KindRegion      Kind = "region"      // 区/县/市
	KindSubdistrict Kind = "subdistrict" // 街道
	KindTown        Kind = "town"        // 镇/乡
	KindVillage     Kind = "village"     // 村
	KindCommunity   Kind = "community"   // 社区
	KindUnit        Kind = "unit"        // 单位: 公安分局, 教育局…
)

// Kinds lists every kind in the order forms offer them.
var Kinds = []Kind{KindRegion, KindSubdistrict, KindTown, KindVillage, KindCommunity, KindUnit}

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case KindRegion:
		return "区县"
	case KindSubdistrict:
		return "街道"
	case KindTown:
		return "乡镇"
	case KindVillage:
		return "村"
	case KindCommunity:
		return "社区"
	case KindUnit:
		return "单位"
	}
	return string(k)
}

// ParseKind accepts the identifier or the Chinese label.
func ParseKind(s string) (Kind, error) {
	s = strings.TrimSpace(s)
	for _, k := range Kinds {
		if s == string(k) || s == k.Label() {
			return k, nil
		}
	}
	switch s {
	case "区", "县", "市", "区域":
		return KindRegion, nil
	case "镇", "乡":
		return KindTown, nil
	case "责任单位", "部门":
		return KindUnit, nil
	}
	return "", app.Invalid("kind", "组织类型“%s”无效，应为 区县/街道/乡镇/村/社区/单位 之一", s)
}

// IsRegion reports whether the kind is a place (not a unit).
func (k Kind) IsRegion() bool { return k != KindUnit }

// Org is one node of the tree.
type Org struct {
	ID       app.ID
	ParentID app.ID // 0 for the root
	// Path is the materialized path of ids from the root, "/1/5/12/", kept
	// beside ParentID so a subtree is one prefix test.
	Path      string
	Kind      Kind
	Name      string
	Code      string
	SortOrder int
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Depth is the org's depth in the tree, 0 for the root.
func (o *Org) Depth() int { return strings.Count(o.Path, "/") - 2 }

// Contains reports whether other is o or below it.
func (o *Org) Contains(other *Org) bool { return strings.HasPrefix(other.Path, o.Path) }

// Validate checks the fields a person types.
func (o *Org) Validate() error {
	o.Name = strings.TrimSpace(o.Name)
	o.Code = strings.ToUpper(strings.TrimSpace(o.Code))
	if o.Name == "" {
		return app.Invalid("name", "请填写组织名称")
	} else if utf8.RuneCountInString(o.Name) > 60 {
		return app.Invalid("name", "组织名称不能超过 60 个字")
	}
	if _, err := ParseKind(string(o.Kind)); err != nil {
		return err
	}
	if o.Kind.IsRegion() {
		if err := ValidRegionCode(o.Code, o.Kind); err != nil {
			return err
		}
	} else if err := ValidCreditCode(o.Code); err != nil {
		return err
	}
	if o.SortOrder < 0 || o.SortOrder > 1_000_000 {
		return app.Invalid("sort_order", "排序号应在 0 到 1000000 之间")
	}
	return nil
}

// ValidRegionCode checks a 行政区划代码: 6 digits down to county level, 9 for
// towns and subdistricts, 12 for villages and communities. A county-level
// code ends a 2-digit province, 2-digit city and 2-digit county; a 6-digit
// code of all zeros is no place.
func ValidRegionCode(code string, k Kind) error {
	want := map[Kind][]int{
		KindRegion:      {6},
		KindSubdistrict: {9},
		KindTown:        {9},
		KindVillage:     {12},
		KindCommunity:   {12},
	}[k]
	if code == "" {
		return app.Invalid("code", "请填写行政区划代码")
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return app.Invalid("code", "行政区划代码只能包含数字")
		}
	}
	ok := false
	for _, n := range want {
		ok = ok || len(code) == n
	}
	if !ok {
		return app.Invalid("code", "%s的行政区划代码应为 %d 位数字", k.Label(), want[0])
	}
	if code[:2] < "11" || code[:2] > "82" {
		return app.Invalid("code", "行政区划代码的前两位“%s”不是有效的省级代码", code[:2])
	}
	return nil
}

// creditCodeChars is the alphabet of the 统一社会信用代码 (GB 32100-2015): the
// digits and the capitals without I, O, Z, S, V.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidCreditCode checks an 18-character 统一社会信用代码 with its check
// character (GB 32100-2015).
func ValidCreditCode(code string) error {
	if code == "" {
		return app.Invalid("code", "请填写统一社会信用代码")
	}
	if len(code) != 18 {
		return app.Invalid("code", "统一社会信用代码应为 18 位")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeChars, code[i])
		if v < 0 {
			return app.Invalid("code", "统一社会信用代码第 %d 位“%c”不是有效字符", i+1, code[i])
		}
		sum += v * creditCodeWeights[i]
	}
	check := (31 - sum%31) % 31
	if code[17] != creditCodeChars[check] {
		return app.Invalid("code", "统一社会信用代码校验位不正确，请核对")
	}
	return nil
}

// CreditCodeCheckChar returns the check character for the first 17
// characters of a 统一社会信用代码; the demo data uses it to make valid codes.
func CreditCodeCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(creditCodeChars, first17[i]) * creditCodeWeights[i]
	}
	return creditCodeChars[(31-sum%31)%31]
}

// Filter selects orgs. Nil fields are not applied.
type Filter struct {
	// ID limits the result to one org.
	ID *app.ID
	// UnderPath limits the result to a subtree.
	UnderPath *string
	ParentID  *app.ID
	Kind      *Kind
	Active    *bool
	// Query matches name or code.
	Query  *string
	Offset int
	Limit  int
}

// Update holds the fields an edit may change. Moving is its own operation.
type Update struct {
	Name      *string
	Code      *string
	Kind      *Kind
	SortOrder *int
	Active    *bool
}

// Store keeps orgs. Every method that changes data writes its audit row in
// the same transaction.
type Store interface {
	// FindOrgByID returns ENOTFOUND if there is no such org.
	FindOrgByID(ctx context.Context, id app.ID) (*Org, error)
	// FindOrgByCode returns ENOTFOUND if no org has the code.
	FindOrgByCode(ctx context.Context, code string) (*Org, error)
	// FindRootOrg returns ENOTFOUND on an empty database.
	FindRootOrg(ctx context.Context) (*Org, error)
	// FindOrgs returns matching orgs in tree order and the total count.
	FindOrgs(ctx context.Context, f Filter) ([]*Org, int, error)
	// CreateOrg returns EINVALID for bad fields or a missing parent, and
	// ECONFLICT for a code already used.
	CreateOrg(ctx context.Context, o *Org) error
	// UpdateOrg returns ENOTFOUND, EINVALID or ECONFLICT.
	UpdateOrg(ctx context.Context, id app.ID, u Update) (*Org, error)
	// MoveOrg moves an org and its subtree under newParent. It returns
	// EINVALID for a move into its own subtree or of the root.
	MoveOrg(ctx context.Context, id, newParent app.ID) error
	// DeleteOrg returns ECONFLICT, with the reason, while the org still has
	// children, users or data.
	DeleteOrg(ctx context.Context, id app.ID) error
}

// PathsUp returns the paths from the root down to path itself: the orgs
// whose shared material (laws, lists, question banks) an org sees.
func PathsUp(path string) []string {
	var out []string
	for i := 1; i < len(path); i++ {
		if path[i] == '/' {
			out = append(out, path[:i+1])
		}
	}
	return out
}
