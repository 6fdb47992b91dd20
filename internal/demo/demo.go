// Package demo loads the demo district that `pufa demo` serves: a region
// with its subdistricts, towns, villages and communities, about twenty
// units with real-looking names and valid codes, and an account for every
// role with a random password.
//
// Load runs the parts in order, one method per part. A later capability
// adds its demo data by writing one more method on loader and listing it in
// Load; the parts after the org tree and the accounts may look up what the
// earlier ones made through loader.org and loader.user.
package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/org"
	"pufa/internal/password"
	"pufa/internal/store"
)

// Account is one demo account as `pufa demo` prints it.
type Account struct {
	// Role is the account's role identifiers joined by commas, e.g.
	// "office,examinee"; account.RoleLabel gives each one's Chinese name.
	Role     string
	Login    string
	Name     string
	OrgName  string
	Password string
}

// RegionCode is the demo district's 行政区划代码. It has the form of a
// county-level code in Zhejiang but names no real county, so the ID
// numbers built on it belong to nobody.
const RegionCode = "330199"

// Load fills an empty database with the demo district and returns the demo
// accounts with their passwords, in the order they were created. The
// passwords are random on every call and none must be changed at first
// sign-in, so a visitor can try each role at once. Load refuses a database
// that already has an org tree.
func Load(ctx context.Context, db *store.DB, hasher password.Hasher) ([]Account, error) {
	if _, err := db.FindRootOrg(ctx); err == nil {
		return nil, app.Errorf(app.ECONFLICT, "数据库中已有组织数据，演示数据只能载入空数据库")
	} else if app.ErrorCode(err) != app.ENOTFOUND {
		return nil, err
	}
	l := &loader{db: db, hasher: hasher, orgs: map[string]*org.Org{}, users: map[string]*account.User{}}
	parts := []struct {
		name string
		load func(*loader, context.Context) error
	}{
		{"组织树", (*loader).orgTree},
		{"三员账号", (*loader).admins},
		{"普法办账号", (*loader).office},
		{"联络员账号", (*loader).liaisons},
		{"评议员账号", (*loader).reviewers},
		{"考生账号", (*loader).examinees},
		{"工作要点与台账", (*loader).workPlan},
		{"履职评议", (*loader).dutyReview},
		{"法律法规库与题库", (*loader).library},
		{"学法用法考试", (*loader).exams},
		{"法治素养测评", (*loader).quizzes},
		{"知识竞赛", (*loader).contests},
		{"普法责任清单", (*loader).dutyLists},
		{"履职报告", (*loader).dutyReports},
	}
	for _, p := range parts {
		if err := p.load(l, ctx); err != nil {
			return nil, fmt.Errorf("载入演示数据（%s）: %w", p.name, err)
		}
	}
	return l.accounts, nil
}

// loader carries what the parts have made so far.
type loader struct {
	db       *store.DB
	hasher   password.Hasher
	orgs     map[string]*org.Org // by key
	users    map[string]*account.User
	accounts []Account
}

// org returns the org made under key; the keys are fixed in the data, so a
// missing one is a bug in this package.
func (l *loader) org(key string) *org.Org {
	o, ok := l.orgs[key]
	if !ok {
		panic("demo: no org with key " + key)
	}
	return o
}

// user returns the demo user with login.
func (l *loader) user(login string) *account.User {
	u, ok := l.users[login]
	if !ok {
		panic("demo: no user " + login)
	}
	return u
}

// place is a region-kind org of the demo tree.
type place struct {
	key, parent string
	kind        org.Kind
	name, code  string
}

// unit is a unit under the root; body is the first 8 characters of its
// 组织机构代码, to which orgCode adds the check character.
type unit struct {
	key, name, body string
}

// orgTree makes the district, its subdistricts and towns, the villages and
// communities under them, and the units under the district.
func (l *loader) orgTree(ctx context.Context) error {
	places := []place{
		{"root", "", org.KindRegion, "临江区", RegionCode},
		{"jbjd", "root", org.KindSubdistrict, "江滨街道", RegionCode + "001"},
		{"cnjd", "root", org.KindSubdistrict, "城南街道", RegionCode + "002"},
		{"whjd", "root", org.KindSubdistrict, "望湖街道", RegionCode + "003"},
		{"qsz", "root", org.KindTown, "青山镇", RegionCode + "101"},
		{"lxz", "root", org.KindTown, "柳溪镇", RegionCode + "102"},
		{"jbsq", "jbjd", org.KindCommunity, "江滨社区", RegionCode + "001001"},
		{"bjhysq", "jbjd", org.KindCommunity, "滨江花园社区", RegionCode + "001002"},
		{"nmsq", "cnjd", org.KindCommunity, "南门社区", RegionCode + "002001"},
		{"sysq", "cnjd", org.KindCommunity, "书院社区", RegionCode + "002002"},
		{"whsq", "whjd", org.KindCommunity, "望湖社区", RegionCode + "003001"},
		{"qsc", "qsz", org.KindVillage, "青山村", RegionCode + "101201"},
		{"sqc", "qsz", org.KindVillage, "石桥村", RegionCode + "101202"},
		{"lxsq", "lxz", org.KindCommunity, "柳溪社区", RegionCode + "102001"},
		{"lxc", "lxz", org.KindVillage, "柳溪村", RegionCode + "102201"},
		{"tyc", "lxz", org.KindVillage, "桃源村", RegionCode + "102202"},
	}
	order := map[string]int{}
	for _, p := range places {
		o := &org.Org{Kind: p.kind, Name: p.name, Code: p.code}
		if p.parent != "" {
			o.ParentID = l.org(p.parent).ID
		}
		order[p.parent] += 10
		o.SortOrder = order[p.parent]
		if err := l.db.CreateOrg(ctx, o); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		l.orgs[p.key] = o
	}
	units := []unit{
		{"gaj", "区公安分局", "00249731"},
		{"jyj", "区教育局", "00249782"},
		{"sfj", "区司法局", "00249854"},
		{"rsj", "区人力资源和社会保障局", "00249905"},
		{"scj", "区市场监督管理局", "MB173264"},
		{"wjw", "区卫生健康委员会", "MB173931"},
		{"sthj", "区生态环境局", "MB174082"},
		{"zjj", "区住房和城乡建设局", "00250157"},
		{"jtj", "区交通运输局", "00250212"},
		{"wlj", "区文化和旅游局", "MB174106"},
		{"swj", "区税务局", "MB186357"},
		{"yjj", "区应急管理局", "MB173794"},
		{"cgj", "区城市管理综合执法局", "00250431"},
		{"mzj", "区民政局", "00250474"},
		{"nyj", "区农业农村局", "MB173530"},
		{"tyjr", "区退役军人事务局", "MB174801"},
		{"ybj", "区医疗保障局", "MB174920"},
		{"fy", "区人民法院", "00249993"},
		{"jcy", "区人民检察院", "00250026"},
		{"zgh", "区总工会", "00250599"},
	}
	root := l.org("root")
	for i, u := range units {
		// 1 = registered by the 机构编制 authority, 1 = 机关.
		first17 := "11" + RegionCode + orgCode(u.body)
		o := &org.Org{ParentID: root.ID, Kind: org.KindUnit, Name: u.name,
			Code: first17 + string(org.CreditCodeCheckChar(first17)), SortOrder: 100 + 10*i}
		if err := l.db.CreateOrg(ctx, o); err != nil {
			return fmt.Errorf("%s: %w", u.name, err)
		}
		l.orgs[u.key] = o
	}
	return nil
}

// orgCode appends the GB 11714 check character to the 8-character body of
// a 组织机构代码, which makes characters 9 to 17 of a 统一社会信用代码.
func orgCode(body string) string {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * w
	}
	switch check := 11 - sum%11; check {
	case 10:
		return body + "X"
	case 11:
		return body + "0"
	default:
		return body + string(rune('0'+check))
	}
}

// person is one demo account before it is stored.
type person struct {
	login, name, org string // org is an org key
	roles            []string
	rank             account.Rank
	rankTitle        string
	phone, idNumber  string
}

// addPeople stores people with random passwords, none of which must be
// changed at first sign-in, and records them for the printed table.
func (l *loader) addPeople(ctx context.Context, people []person) error {
	pws, hashes, err := l.passwords(ctx, len(people))
	if err != nil {
		return err
	}
	for i, p := range people {
		pw, hash := pws[i], hashes[i]
		o := l.org(p.org)
		u := &account.User{
			Login: p.login, Name: p.name, OrgID: o.ID, Roles: p.roles,
			Rank: p.rank, RankTitle: p.rankTitle, Phone: p.phone, IDNumber: p.idNumber,
			PasswordHash: hash,
		}
		if u.Rank == "" {
			u.Rank = account.RankStaff
		}
		if err := l.db.CreateUser(ctx, u); err != nil {
			return fmt.Errorf("%s: %w", p.login, err)
		}
		l.users[u.Login] = u
		l.accounts = append(l.accounts, Account{
			Role: strings.Join(u.Roles, ","), Login: u.Login, Name: u.Name, OrgName: o.Name, Password: pw,
		})
	}
	return nil
}

// passwords makes n random passwords and their hashes. It hashes them all
// at once: the hasher the server uses bounds how many run together, and
// with a memory-hard hash the demo starts that many times faster.
func (l *loader) passwords(ctx context.Context, n int) ([]string, []string, error) {
	pws, hashes, errs := make([]string, n), make([]string, n), make([]error, n)
	for i := range n {
		var err error
		if pws[i], err = password.Generate(); err != nil {
			return nil, nil, err
		}
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { hashes[i], errs[i] = l.hasher.Hash(ctx, pws[i]) })
	}
	wg.Wait()
	return pws, hashes, errors.Join(errs...)
}

// admins makes the 三员, one role each, at the root.
func (l *loader) admins(ctx context.Context) error {
	return l.addPeople(ctx, []person{
		{login: account.RoleSysAdmin, name: "周立新", org: "root", roles: []string{account.RoleSysAdmin}},
		{login: account.RoleSecAdmin, name: "吴海燕", org: "root", roles: []string{account.RoleSecAdmin}},
		{login: account.RoleAuditor, name: "郑国强", org: "root", roles: []string{account.RoleAuditor}},
	})
}

// office makes the two staff of the district's 普法办; the first also sits
// the exam.
func (l *loader) office(ctx context.Context) error {
	return l.addPeople(ctx, []person{
		{login: "office1", name: "陈晓燕", org: "root", roles: []string{account.RoleOffice, account.RoleExaminee},
			rankTitle: "一级主任科员", phone: "13705710101", idNumber: idNumber("19860314", 128)},
		{login: "office2", name: "刘志刚", org: "root", roles: []string{account.RoleOffice},
			rank: account.RankSenior, rankTitle: "二级调研员", phone: "0571-86010102"},
	})
}

// liaisons makes the 普法 contacts of several units, of a subdistrict and
// of a village.
func (l *loader) liaisons(ctx context.Context) error {
	liaison := []string{account.RoleLiaison}
	return l.addPeople(ctx, []person{
		{login: "liaison.gaj", name: "王磊", org: "gaj", roles: []string{account.RoleLiaison, account.RoleExaminee},
			rankTitle: "三级主任科员", phone: "13705710201"},
		{login: "liaison.jyj", name: "李秀英", org: "jyj", roles: liaison, phone: "13705710202"},
		{login: "liaison.sfj", name: "张丽", org: "sfj", roles: liaison, phone: "13705710203", idNumber: idNumber("19900721", 246)},
		{login: "liaison.scj", name: "赵军", org: "scj", roles: liaison},
		{login: "liaison.wjw", name: "孙婷", org: "wjw", roles: liaison},
		{login: "liaison.jbjd", name: "钱伟", org: "jbjd", roles: liaison, phone: "13705710206"},
		{login: "liaison.qsc", name: "冯建华", org: "qsc", roles: liaison, phone: "13705710207"},
	})
}

// reviewers makes the five members of the 评议团: a deputy to the district
// people's congress, a lawyer, a CPPCC member, a law lecturer and a
// community representative. They sit at the root, having no unit of
// their own in the tree.
func (l *loader) reviewers(ctx context.Context) error {
	if err := l.addPeople(ctx, []person{
		{login: "reviewer1", name: "孙丽华", org: "root", roles: []string{account.RoleReviewer}, phone: "13705710301"},
		{login: "reviewer2", name: "何文斌", org: "root", roles: []string{account.RoleReviewer}},
		{login: "reviewer3", name: "林志远", org: "root", roles: []string{account.RoleReviewer}},
		{login: "reviewer4", name: "高雅琴", org: "root", roles: []string{account.RoleReviewer}},
		{login: "reviewer5", name: "徐建国", org: "root", roles: []string{account.RoleReviewer}},
	}); err != nil {
		return err
	}
	// The roster: who each of them is.
	for login, p := range map[string][2]string{
		"reviewer1": {"人大代表", "区人大常委会"}, "reviewer2": {"律师", "浙江临江律师事务所"}, "reviewer3": {"政协委员", "区政协"},
		"reviewer4": {"法学专家", "临江职业技术学院"}, "reviewer5": {"基层代表", "望湖社区居委会"},
	} {
		if err := l.db.SaveReviewer(ctx, assess.Reviewer{UserID: l.user(login).ID, Kind: p[0], Affiliation: p[1]}); err != nil {
			return err
		}
	}
	return nil
}

// examinees makes state employees across the units, some of them 领导干部,
// who get the harder papers.
func (l *loader) examinees(ctx context.Context) error {
	ex := []string{account.RoleExaminee}
	s, staff := account.RankSenior, account.RankStaff
	return l.addPeople(ctx, []person{
		{login: "zhangwei", name: "张伟", org: "gaj", roles: ex, rank: s, rankTitle: "四级调研员", phone: "13905710001", idNumber: idNumber("19750608", 113)},
		{login: "wangfang", name: "王芳", org: "gaj", roles: ex, rank: staff, rankTitle: "一级科员", phone: "13905710002", idNumber: idNumber("19950212", 224)},
		{login: "lina", name: "李娜", org: "jyj", roles: ex, rank: staff, rankTitle: "二级主任科员", idNumber: idNumber("19881130", 62)},
		{login: "liuyang", name: "刘洋", org: "jyj", roles: ex, rank: s, rankTitle: "一级调研员", phone: "13905710004"},
		{login: "chenjing", name: "陈静", org: "sfj", roles: ex, rank: staff, rankTitle: "四级主任科员", phone: "13905710005", idNumber: idNumber("19920417", 308)},
		{login: "yangli", name: "杨丽", org: "sfj", roles: ex, rank: s, rankTitle: "二级调研员"},
		{login: "huangmin", name: "黄敏", org: "rsj", roles: ex, rank: staff, rankTitle: "一级主任科员"},
		{login: "zhaolei", name: "赵磊", org: "scj", roles: ex, rank: staff, rankTitle: "三级主任科员", phone: "13905710008"},
		{login: "zhoujie", name: "周杰", org: "wjw", roles: ex, rank: s, rankTitle: "四级调研员", idNumber: idNumber("19700923", 15)},
		{login: "wuxia", name: "吴霞", org: "sthj", roles: ex, rank: staff, rankTitle: "一级科员"},
		{login: "xuqiang", name: "徐强", org: "zjj", roles: ex, rank: staff, rankTitle: "二级科员"},
		{login: "sunyan", name: "孙艳", org: "jtj", roles: ex, rank: staff, rankTitle: "一级主任科员", phone: "13905710012"},
		{login: "majun", name: "马军", org: "wlj", roles: ex, rank: staff, rankTitle: "四级主任科员"},
		{login: "zhuhong", name: "朱红", org: "swj", roles: ex, rank: s, rankTitle: "一级调研员", idNumber: idNumber("19680502", 420)},
		{login: "huyong", name: "胡勇", org: "yjj", roles: ex, rank: staff, rankTitle: "三级主任科员"},
		{login: "guojing", name: "郭静", org: "cgj", roles: ex, rank: staff, rankTitle: "一级科员", phone: "13905710016"},
		{login: "linfeng", name: "林峰", org: "mzj", roles: ex, rank: s, rankTitle: "三级调研员"},
		{login: "heping", name: "何平", org: "fy", roles: ex, rank: staff, rankTitle: "一级法官", phone: "13905710018", idNumber: idNumber("19830816", 171)},
		{login: "gaoyan", name: "高艳", org: "jcy", roles: ex, rank: staff, rankTitle: "二级检察官"},
		{login: "luoming", name: "罗明", org: "jbjd", roles: ex, rank: staff, rankTitle: "一级科员", phone: "13905710020"},
		{login: "songjia", name: "宋佳", org: "qsz", roles: ex, rank: staff, rankTitle: "四级主任科员", idNumber: idNumber("19970109", 286)},
	})
}

// idNumber makes a resident ID number (GB 11643) registered in the demo
// district, which is no real county, with its check character.
func idNumber(birth string, seq int) string {
	body := fmt.Sprintf("%s%s%03d", RegionCode, birth, seq%1000)
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}
