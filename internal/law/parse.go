package law

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"pufa/internal/outline"
)

// Draft is a law read from a document, for a person to review before it
// is saved: the fields the text states, guesses flagged in Warnings, and
// Law.Validate still to pass.
type Draft struct {
	Law      Law
	Warnings []Warning
}

// Warning is something the reader should check in a draft. Message is
// Chinese, for the reviewing user.
type Warning struct {
	// Line is the line of the input the warning is about, from 1 (a
	// paragraph of a .docx); 0 when it is about the whole text.
	Line    int
	Message string
}

// Parse reads a law from the bytes of a .docx or of a text file in any
// encoding outline.Parse reads. A file the outline engine refuses (over
// the document upload limit, a zip bomb, a binary or old .doc file, text
// in no known encoding) is refused with its *upload.TooLargeError or
// *upload.InvalidError, whose Chinese message may be shown and which
// errors.As turns into an *app.Error. Anything it reads gives a draft,
// even one without articles; the warnings say what to check.
func Parse(data []byte) (*Draft, error) {
	res, err := outline.Parse(data)
	if err != nil {
		return nil, err
	}
	return fromOutline(res), nil
}

// ParseText reads a law from text that is already decoded, such as text
// pasted into a form. It never fails.
func ParseText(s string) *Draft {
	return fromOutline(outline.ParseText(s))
}

// lineIndex turns rune offsets of the source into line numbers.
type lineIndex []int // the rune offset of each line's start

// newLineIndex indexes the lines of src, ending at "\n", "\r\n" or "\r"
// as the outline engine splits them.
func newLineIndex(src string) lineIndex {
	idx := lineIndex{0}
	i := 0
	var prev rune
	for _, c := range src {
		i++
		switch {
		case c == '\r', c == '\n' && prev != '\r':
			idx = append(idx, i)
		case c == '\n':
			idx[len(idx)-1] = i // the \n of a \r\n
		}
		prev = c
	}
	return idx
}

// line returns the 1-based line holding rune offset at.
func (idx lineIndex) line(at int) int {
	return sort.Search(len(idx), func(i int) bool { return idx[i] > at })
}

// fromOutline builds a draft from the document of an outline that holds
// the most articles.
func fromOutline(res *outline.Result) *Draft {
	d := &Draft{Law: Law{Status: StatusInForce}, Warnings: []Warning{}}
	lines := newLineIndex(res.Source)
	warn := func(at int, format string, args ...any) {
		line := 0
		if at >= 0 {
			line = lines.line(at)
		}
		d.Warnings = append(d.Warnings, Warning{Line: line, Message: fmt.Sprintf(format, args...)})
	}
	for _, w := range res.Warnings {
		warn(w.At, "%s", w.Message)
	}
	if len(res.Documents) == 0 {
		warn(-1, "文本是空的，没有可导入的内容")
		return d
	}
	doc, count := res.Documents[0], -1
	for _, dc := range res.Documents {
		if n := countArticles(dc.Nodes); n > count {
			doc, count = dc, n
		}
	}
	// A promulgation order (国务院令 before a 条例) that the engine read as
	// a document of its own: its number and dates belong to the law.
	var orderDoc *outline.Document
	for i, dc := range res.Documents {
		if dc == doc && i > 0 && isOrderTitle(res.Documents[i-1].Title) {
			orderDoc = res.Documents[i-1]
		}
	}
	for _, dc := range res.Documents {
		if dc == doc || dc == orderDoc {
			continue
		}
		if dc.Title == "" {
			warn(dc.At, "这里开始的另一篇没有标题的文件没有导入；一次只导入一部法律法规")
		} else {
			warn(dc.At, "这里开始的另一篇文件《%s》没有导入；一次只导入一部法律法规", dc.Title)
		}
	}

	l := &d.Law
	l.Title = doc.Title
	pre := doc.Preamble
	var order promulgation
	switch {
	case orderDoc != nil:
		order = readOrder(orderDoc.Title+"\n"+orderDoc.Preamble, orderDoc.Date)
	case isOrderTitle(doc.Title):
		// An order the engine took for the title, the law's own title and
		// note in its preamble: 中华人民共和国主席令 … 中华人民共和国民法典.
		if title, rest, text, ok := splitOrder(pre); ok {
			order = readOrder(doc.Title+"\n"+text, doc.Date)
			l.Title, pre = title, rest
		}
	}
	if l.Title == "" {
		warn(doc.At, "没有找到标题，请填写")
	}
	note, preamble := splitNote(pre)
	l.Preamble = preamble
	m := readNote(note)
	l.Issuer = m.issuer
	l.DocNumber = firstOf(order.docNumber, doc.DocNumber, normalizeSpace(orderNumberRe.FindString(note)))
	switch {
	case !order.date.IsZero():
		l.Promulgated = order.date
	case !m.promulgated.IsZero():
		l.Promulgated = m.promulgated
		if m.revised != "" {
			at := doc.At
			if i := strings.Index(res.Source, note); i >= 0 && note != "" {
				at = utf8.RuneCountInString(res.Source[:i])
			}
			warn(at, "题注记载了此后的修订或修正（最近一次为%s），公布日期暂取首次通过或公布的日期，请按所录文本的版本核对", m.revised)
		}
	case doc.Date != "":
		l.Promulgated, _ = time.Parse(time.DateOnly, doc.Date)
	}
	l.Effective = order.effective
	if l.Effective.IsZero() {
		l.Effective = m.effective
	}
	if l.Issuer == "" {
		l.Issuer = doc.Issuer
	}
	if l.Issuer == "" && strings.Contains(order.docNumber, "国务院令") {
		l.Issuer = "国务院"
	}

	var other []*outline.Node
	var h headings
	var walk func([]*outline.Node)
	walk = func(nodes []*outline.Node) {
		for _, n := range nodes {
			if n.Kind != outline.KindArticle {
				if !h.enter(n) {
					other = append(other, n)
					continue
				}
				walk(n.Children)
				continue
			}
			num, sub, _ := ParseLabel(n.Label)
			if len(l.Articles) == 0 && (num != 1 || sub != 0) {
				warn(n.At, "条文从“%s”开始，前面的条文可能缺失，请核对", n.Label)
			}
			if strings.TrimSpace(n.Text) == "" {
				warn(n.At, "%s没有内容，请补充", n.Label)
			}
			l.Articles = append(l.Articles, Article{
				Position: len(l.Articles) + 1, Label: CiteLabel(num, sub), N: num, Sub: sub,
				Part: h.part, Subpart: h.subpart, Chapter: h.chapter, Division: h.division,
				Text: n.Text,
			})
		}
	}
	walk(doc.Nodes)
	switch {
	case len(l.Articles) == 0:
		warn(-1, "没有找到条文（以“第一条”这样的编号开头的段落），请检查文本，或手工录入条文")
	case len(l.Articles) > MaxArticles:
		warn(-1, "共有 %d 条，超过了 %d 条的上限", len(l.Articles), MaxArticles)
	}
	if len(other) > 0 {
		warn(other[0].At, "有 %d 处编号的内容不在条文之中（第一处是“%s”），没有导入，请核对", len(other), other[0].Label)
	}
	if l.Effective.IsZero() {
		l.Effective = effectiveFromArticles(l.Articles, l.Promulgated)
	}

	l.Category = guessCategory(l.Title, l.Issuer, l.DocNumber)
	if l.Category == "" {
		warn(doc.At, "无法从标题判断分类，请选择")
	} else {
		warn(doc.At, "分类“%s”是根据标题推测的，请核对", l.Category.Label())
	}
	warn(-1, "时效状态默认为“%s”，请核对", l.Status.Label())
	sort.SliceStable(d.Warnings, func(i, j int) bool {
		a, b := d.Warnings[i].Line, d.Warnings[j].Line
		return a < b
	})
	return d
}

// isOrderTitle reports the title of a promulgation order: 中华人民共和国主席令,
// 中华人民共和国国务院令, 司法部令.
func isOrderTitle(title string) bool {
	return strings.HasSuffix(title, "令") && utf8.RuneCountInString(title) <= 30
}

// promulgation is what a promulgation order states about the law it
// publishes: exactly the text being imported, so it wins over the note,
// which may tell the first version's story.
type promulgation struct {
	docNumber       string // 中华人民共和国国务院令第711号
	date, effective time.Time
}

// citedRe matches the law an order cites: 《中华人民共和国民法典》.
var citedRe = regexp.MustCompile(`《([^《》\n]{2,80})》`)

// splitOrder separates an order printed before a law from the law, when
// the engine took the order's heading for the document's title: the
// order cites the law as 《…》 and the law's own title follows as a line.
// It returns the law's title, the preamble after it, and the order's text.
func splitOrder(pre string) (title, rest, order string, ok bool) {
	m := citedRe.FindStringSubmatch(pre)
	if m == nil {
		return "", "", "", false
	}
	lines := strings.Split(pre, "\n")
	for i, ln := range lines {
		if normalizeSpace(ln) == normalizeSpace(m[1]) {
			return m[1], strings.Join(lines[i+1:], "\n"), strings.Join(lines[:i], "\n"), true
		}
	}
	return "", "", "", false
}

// readOrder reads an order's number and date of effect from its text; its
// date is the one the engine read from its date line, as YYYY-MM-DD.
func readOrder(text, date string) promulgation {
	var p promulgation
	p.docNumber = normalizeSpace(orderNumberRe.FindString(text))
	p.date, _ = time.Parse(time.DateOnly, date)
	if e := effectiveRe.FindStringSubmatchIndex(text); e != nil {
		p.effective, _ = parseDate(text, e[2:])
	} else if effectiveOnIssueRe.MatchString(text) {
		p.effective = p.date
	}
	return p
}

// normalizeSpace removes all white space: 主席令\n第四十五号 → 主席令第四十五号.
func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), "") }

// firstOf returns the first of its arguments that is not empty.
func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// countArticles counts the articles among nodes and their children.
func countArticles(nodes []*outline.Node) int {
	n := 0
	for _, nd := range nodes {
		if nd.Kind == outline.KindArticle {
			n++
		}
		n += countArticles(nd.Children)
	}
	return n
}

// headings tracks the headings the walk is under.
type headings struct{ part, subpart, chapter, division string }

// enter opens heading n, closing the levels below it; it returns false
// for a node that is no statute heading.
func (h *headings) enter(n *outline.Node) bool {
	t := strings.TrimSpace(n.Label + " " + n.Title)
	switch n.Kind {
	case outline.KindPart:
		*h = headings{part: t}
	case outline.KindSubpart:
		h.subpart, h.chapter, h.division = t, "", ""
	case outline.KindChapter:
		h.chapter, h.division = t, ""
	case outline.KindDivision:
		h.division = t
	default:
		return false
	}
	return true
}

// splitNote separates the note on a law's adoption (题注), the bracketed
// paragraph under its title, from the rest of the preamble, and drops the
// 序言 heading a constitution puts over its preamble.
func splitNote(pre string) (note, rest string) {
	pre = strings.TrimSpace(pre)
	if strings.HasPrefix(pre, "（") || strings.HasPrefix(pre, "(") {
		depth := 0
		for i, c := range pre {
			switch c {
			case '（', '(':
				depth++
			case '）', ')':
				depth--
			}
			if depth == 0 {
				end := i + utf8.RuneLen(c)
				if cand := pre[:end]; dateRe.MatchString(cand) {
					note, pre = cand, strings.TrimSpace(pre[end:])
				}
				break
			}
		}
	}
	var kept []string
	for _, l := range strings.Split(pre, "\n") {
		if k := SearchKey(l); k == "序言" {
			continue
		}
		kept = append(kept, l)
	}
	return note, strings.TrimSpace(strings.Join(kept, "\n"))
}

var (
	// dateRe matches a date as notes and articles write it, in arabic
	// or Chinese numerals: 2020年5月28日, 一九八二年十二月四日.
	dateRe = regexp.MustCompile(`([0-9０-９]{4}|[〇零○一二三四五六七八九]{4})\s*年\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*日`)
	// sessionRe matches the session that adopted a law: 第十三届全国人民代表
	// 大会第三次会议, XX省第十三届人民代表大会常务委员会第十次会议. The body is
	// the name without its term.
	sessionRe = regexp.MustCompile(`^(\p{Han}*?)第[一二三四五六七八九十]+届(\p{Han}+?)第[一二三四五六七八九十百]+次`)
	// orderNumberRe matches the number of the order that promulgated a
	// law: 中华人民共和国主席令第四十五号, 国务院令第709号, and across the
	// line break an order's heading has before its number.
	orderNumberRe = regexp.MustCompile(`(?:中华人民共和国)?(?:主席|国务院)令\s*第\s*[0-9０-９〇零一二三四五六七八九十百千]+\s*号`)
	// effectiveRe matches a date of effect: 本法自2021年1月1日起施行.
	effectiveRe = regexp.MustCompile(`自\s*(` + dateRe.String() + `)\s*起(?:施行|生效)`)
	// effectiveOnIssueRe matches an effect on promulgation.
	effectiveOnIssueRe = regexp.MustCompile(`自(?:公布|发布|印发|颁布)之日起(?:施行|生效)`)
	// revisionRe marks a later revision in a note.
	revisionRe = regexp.MustCompile(`修订|修正|修改`)
)

// noteMeta is what a note states.
type noteMeta struct {
	promulgated, effective time.Time
	issuer                 string
	revised                string // the latest revision's date, as written
}

// readNote reads a note such as "（2020年5月28日第十三届全国人民代表大会第三
// 次会议通过）". Its clauses are separated by spaces; the first dated
// clause is the adoption or promulgation, which gives the date and the
// issuer; a clause stating 施行 gives the date of effect; later clauses
// of revision are reported, since the text may be of any version.
func readNote(note string) noteMeta {
	var m noteMeta
	note = strings.Trim(note, "（）() \u3000")
	for _, clause := range clauses(note) {
		loc := dateRe.FindStringSubmatchIndex(clause)
		if loc == nil {
			continue
		}
		date, ok := parseDate(clause, loc)
		if !ok {
			continue
		}
		first := m.promulgated.IsZero() && m.revised == ""
		switch {
		case first:
			m.promulgated = date
			m.issuer = issuerOf(clause[loc[1]:])
		case revisionRe.MatchString(clause):
			all := dateRe.FindAllString(clause, -1)
			m.revised = all[len(all)-1]
		}
		if e := effectiveRe.FindStringSubmatchIndex(clause); e != nil {
			if d, ok := parseDate(clause, e[2:]); ok {
				m.effective = d
			}
		} else if strings.Contains(clause, "公布施行") || strings.Contains(clause, "发布施行") || effectiveOnIssueRe.MatchString(clause) {
			m.effective = date
		}
	}
	return m
}

// clauses splits a note at its spaces into clauses, each starting with a
// date: words without a date ("自公布之日起施行", or the rest of a clause
// someone typed a space into) belong to the clause before them.
func clauses(note string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(note, unicode.IsSpace) {
		if len(out) > 0 && !dateRe.MatchString(f) {
			out[len(out)-1] += f
			continue
		}
		out = append(out, f)
	}
	return out
}

// issuerOf reads the body that adopted or issued a law from the words
// after the date in a note's clause: the session of a people's congress
// (第十三届全国人民代表大会第三次会议通过 → 全国人民代表大会), the State
// Council, or the name before 发布/公布/通过/批准.
func issuerOf(s string) string {
	if m := sessionRe.FindStringSubmatch(s); m != nil {
		return m[1] + m[2]
	}
	if strings.Contains(s, "国务院") {
		return "国务院"
	}
	for _, verb := range []string{"审议批准", "审议通过", "批准", "通过", "发布", "公布", "印发"} {
		if i := strings.Index(s, verb); i > 0 {
			name := strings.TrimSuffix(strings.TrimSuffix(s[:i], "会议"), "常务")
			if n := utf8.RuneCountInString(name); n >= 2 && n <= 30 && onlyHan(name) {
				return name
			}
			break
		}
	}
	return ""
}

// onlyHan reports whether s holds only Chinese characters.
func onlyHan(s string) bool {
	for _, c := range s {
		if !unicode.Is(unicode.Han, c) {
			return false
		}
	}
	return true
}

// parseDate reads the date dateRe matched at loc (the submatch indices of
// the whole match and its year, month and day) in s.
func parseDate(s string, loc []int) (time.Time, bool) {
	y, ok1 := numeral(s[loc[2]:loc[3]], true)
	mo, ok2 := numeral(s[loc[4]:loc[5]], false)
	d, ok3 := numeral(s[loc[6]:loc[7]], false)
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d || y < 1900 {
		return time.Time{}, false
	}
	return t, true
}

// numeral reads a year written digit by digit (2020, 二〇二〇) or a month
// or a day (5, 十二).
func numeral(s string, year bool) (int, bool) {
	if !year {
		return number(s)
	}
	n := 0
	for _, c := range s {
		d, ok := digitOf(c)
		if !ok {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// digitOf reads one digit of a year: 2, ２, 二, 〇.
func digitOf(c rune) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= '０' && c <= '９':
		return int(c - '０'), true
	case c == '〇', c == '零', c == '○':
		return 0, true
	}
	for i, d := range []rune("一二三四五六七八九") {
		if c == d {
			return i + 1, true
		}
	}
	return 0, false
}

// effectiveFromArticles finds the date of effect the closing articles
// state: 本法自2021年1月1日起施行, or 自公布之日起施行 (the date of
// promulgation, when known).
func effectiveFromArticles(arts []Article, promulgated time.Time) time.Time {
	for i := len(arts) - 1; i >= 0 && i >= len(arts)-5; i-- {
		t := arts[i].Text
		if e := effectiveRe.FindStringSubmatchIndex(t); e != nil {
			if d, ok := parseDate(t, e[2:]); ok {
				return d
			}
		}
		if effectiveOnIssueRe.MatchString(t) {
			return promulgated
		}
	}
	return time.Time{}
}

// nationalSecurityTitles name the laws filed under 国家安全, the theme of
// 全民国家安全教育日.
var nationalSecurityTitles = []string{
	"国家安全", "反间谍", "反恐怖主义", "国家情报", "网络安全", "数据安全", "生物安全",
	"核安全", "保守国家秘密", "反分裂国家", "反外国制裁", "国防",
}

// departmentTitles name well-known laws by the department of the legal
// system they belong to; a title holding one is filed there.
var departmentTitles = []struct {
	c     Category
	words []string
}{
	{CategoryProcedural, []string{"诉讼法", "仲裁法", "人民调解法", "调解仲裁法", "引渡法", "国际刑事司法协助法"}},
	{CategoryConstitutionRelated, []string{"立法法", "组织法", "选举法", "代表法", "监察法", "国籍法", "国旗法", "国歌法", "国徽法", "民族区域自治法", "特别行政区基本法", "香港特别行政区基本法", "澳门特别行政区基本法", "村民委员会组织法", "居民委员会组织法"}},
	{CategoryCriminal, []string{"刑法"}},
	{CategoryCivilCommercial, []string{"公司法", "合伙企业法", "个人独资企业法", "票据法", "保险法", "证券法", "信托法", "海商法", "商标法", "专利法", "著作权法", "企业破产法", "农村土地承包法", "涉外民事关系法律适用法"}},
	{CategoryAdministrative, []string{"行政处罚法", "行政许可法", "行政强制法", "行政复议法", "治安管理处罚法", "公务员法", "教育法", "环境保护法", "食品安全法", "道路交通安全法", "消防法", "药品管理法", "传染病防治法"}},
	{CategoryEconomic, []string{"预算法", "税收征收管理法", "个人所得税法", "企业所得税法", "反垄断法", "反不正当竞争法", "消费者权益保护法", "产品质量法", "价格法", "中国人民银行法", "商业银行法"}},
	{CategorySocial, []string{"劳动法", "劳动合同法", "社会保险法", "就业促进法", "安全生产法", "职业病防治法", "未成年人保护法", "预防未成年人犯罪法", "妇女权益保障法", "老年人权益保障法", "残疾人保障法", "慈善法", "反家庭暴力法", "工会法"}},
}

// partyPrefixes open the titles of 党内法规.
var partyPrefixes = []string{"中国共产党", "中共中央"}

// partySuffixes close the titles of 党内法规 (党内法规制定条例 lists the
// names: 党章, 准则, 条例, 规定, 办法, 规则, 细则).
var partySuffixes = []string{"章程", "准则", "条例", "规定", "办法", "规则", "细则"}

// regulationSuffixes close the titles of regulations and rules.
var regulationSuffixes = []string{"条例", "规定", "办法", "实施细则", "细则", "规则"}

// localPrefixRe matches a title that opens with a place's name: 上海市,
// 广东省, 广西壮族自治区, 延边朝鲜族自治州. A bare 区 is left out, since
// 社区 and 特区 open titles of national rules.
var localPrefixRe = regexp.MustCompile(`^\p{Han}{2,8}?(?:省|自治区|市|自治州|自治县|县)`)

// guessCategory guesses a law's category from its title, and from its
// issuer and 文号 where the title alone cannot tell a 行政法规 from a
// 规章. It returns "" when it has no guess. Every guess is for review.
func guessCategory(title, issuer, docNumber string) Category {
	t := strings.TrimSpace(title)
	if t == "" {
		return ""
	}
	hasSuffix := func(list []string) bool {
		for _, s := range list {
			if strings.HasSuffix(t, s) {
				return true
			}
		}
		return false
	}
	containsAny := func(s string, list []string) bool {
		for _, w := range list {
			if strings.Contains(s, w) {
				return true
			}
		}
		return false
	}
	// A 法律's title ends in 法 (not 办法, a rule's) or 法典, or names an
	// amendment to one.
	isLaw := strings.HasSuffix(t, "法") && !strings.HasSuffix(t, "办法") || strings.HasSuffix(t, "法典") ||
		strings.Contains(t, "法修正案")
	switch {
	case containsAny(t, partyPrefixes) && hasSuffix(partySuffixes):
		return CategoryPartyRegulation
	case strings.Contains(issuer, "最高人民法院") || strings.Contains(issuer, "最高人民检察院") ||
		strings.HasPrefix(t, "最高人民法院") || strings.HasPrefix(t, "最高人民检察院"):
		return CategoryJudicialInterpretation
	case strings.Contains(t, "宪法"):
		return CategoryConstitution
	case strings.Contains(t, "民法典"):
		return CategoryCivilCode
	case containsAny(t, nationalSecurityTitles) && (isLaw || hasSuffix(regulationSuffixes)):
		return CategoryNationalSecurity
	}
	if isLaw {
		for _, d := range departmentTitles {
			if containsAny(t, d.words) {
				return d.c
			}
		}
		return ""
	}
	if !hasSuffix(regulationSuffixes) {
		return ""
	}
	local := localPrefixRe.MatchString(strings.TrimPrefix(t, "中华人民共和国"))
	switch {
	case strings.Contains(issuer, "国务院") || strings.Contains(docNumber, "国务院令"):
		return CategoryAdministrativeRegulation
	case strings.Contains(issuer, "全国人民代表大会"):
		return "" // a 条例 the NPC passed, such as 学位条例, is a 法律 of any department
	case strings.Contains(issuer, "人民代表大会"):
		return CategoryLocalRegulation
	case strings.Contains(issuer, "人民政府"):
		return CategoryLocalRule
	case issuer != "" && !local:
		return CategoryDepartmentalRule
	case strings.HasPrefix(t, "中华人民共和国") && strings.HasSuffix(t, "条例"):
		return CategoryAdministrativeRegulation
	case local && strings.HasSuffix(t, "条例"):
		return CategoryLocalRegulation
	case local:
		return CategoryLocalRule
	}
	return ""
}
