package question

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanLine trims a line, folds runs of white space (including the
// ideographic space U+3000 and no-break spaces) into one space, drops
// zero-width and control characters, and folds full-width letters and
// digits to ASCII so "（Ａ）" and "１．" read like "(A)" and "1.". Full-width
// punctuation stays: it is part of how Chinese text is written.
func cleanLine(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\u200b', r == '\u200c', r == '\u200d', r == '\u2060', r == '\ufeff', r == '\u00ad':
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r):
			continue
		case r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r >= '０' && r <= '９':
			r -= 0xFEE0
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// splitLines splits text at any line break, including the form feed of a
// page break and the Unicode line and paragraph separators.
func splitLines(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		switch r {
		case '\n', '\r', '\f', '\v', '\u2028', '\u2029', '\u0085':
			return true
		}
		return false
	})
}

// Chrome: what document-sharing sites (百度文库, 道客巴巴, 豆丁…) add around
// the text a user copies. Phrases are specific enough not to occur in a
// question about, say, 商标注册.
var chromePhrases = []string{
	"由会员分享", "会员上传", "上传人", "上传者", "上传时间", "文档贡献者", "贡献者：",
	"下载文档", "下载积分", "免费下载", "下载券", "立即下载", "下载后可编辑", "下载提示",
	"文档格式：", "文档页数：", "文档大小：", "文档分类", "浏览次数", "下载次数", "阅读次数",
	"继续阅读", "展开阅读全文", "阅读全文", "未读，", "页未读", "本文档由", "本文档来自",
	"本文档为", "本页为预览", "预览结束", "百度文库", "道客巴巴", "豆丁网", "原创力文档",
	"淘豆网", "人人文库", "文库网", "文档投稿赚钱", "分享到：", "相关文档", "猜你喜欢",
	"版权所有", "Copyright", "copyright", "©", "word版本可编辑", "Word版本可编辑",
	"欢迎下载", "精品文档", "精选文档", "专业资料整理", "可编辑修改", "仅供学习参考",
	"如有侵权", "请联系删除", "关注公众号", "扫码关注", "举报该文档", "收藏本文档",
	"加入VIP", "开通VIP", "VIP专享", "VIP免费", "付费文档", "下一页", "上一页",
}

var (
	// Page markers: "第 3 页 / 共 12 页", "共12页 第3页", "3/12", "- 3 -",
	// a bare page number, "Page 3 of 12".
	rePageMarker = regexp.MustCompile(`^(?:第\s*\d+\s*页\s*[/／,，、]?\s*(?:共\s*\d+\s*页)?|共\s*\d+\s*页\s*[,，、]?\s*第\s*\d+\s*页|\d+\s*[/／]\s*\d+|[-—–]*\s*\d+\s*[-—–]*|(?i:page)\s*\d+(?:\s*(?i:of)\s*\d+)?)$`)
	// Breadcrumbs: "首页 > 资格考试 > 法律法规", three or more short parts.
	reBreadcrumb = regexp.MustCompile(`^(?:当前位置\s*[:：])?\s*[^>›»＞，。？！；“”]{1,16}(?:\s*[>›»＞]\s*[^>›»＞，。？！；“”]{1,20}){2,}$`)
	reURL        = regexp.MustCompile(`(?i)(?:https?://|www\.)[^\s，。]+`)
)

// chromeIndex maps the first rune of each chrome phrase to the phrases,
// so a line is scanned once rather than once per phrase.
var chromeIndex = func() map[rune][]string {
	m := map[rune][]string{}
	for _, p := range chromePhrases {
		r, _ := utf8.DecodeRuneInString(p)
		m[r] = append(m[r], p)
	}
	return m
}()

// isChrome reports a line that belongs to the page, not to the bank.
func isChrome(s string) bool {
	if s == "" || len(s) > 80*3 || utf8.RuneCountInString(s) > 80 {
		return false
	}
	if s[0] <= '9' || s[0] == 'P' || s[0] == 'p' || strings.HasPrefix(s, "第") || strings.HasPrefix(s, "共") || strings.HasPrefix(s, "—") || strings.HasPrefix(s, "–") {
		if rePageMarker.MatchString(s) {
			return true
		}
	}
	for i, r := range s {
		for _, p := range chromeIndex[r] {
			if strings.HasPrefix(s[i:], p) {
				return true
			}
		}
	}
	if strings.ContainsAny(s, ">›»＞") {
		if strings.HasPrefix(s, "首页") || reBreadcrumb.MatchString(s) {
			return true
		}
	}
	if strings.Contains(s, "://") || strings.Contains(strings.ToLower(s), "www.") {
		if loc := reURL.FindStringIndex(s); loc != nil {
			return utf8.RuneCountInString(s[:loc[0]])+utf8.RuneCountInString(s[loc[1]:]) <= 12
		}
	}
	return false
}

// numStyle is how a question number is written.
type numStyle uint8

const (
	styleDot    numStyle = iota + 1 // 1. 1．
	styleComma                      // 1、
	styleColon                      // 1：
	styleRParen                     // 1) 1）
	styleParen                      // (1) （1）
	styleDi                         // 第1题
	styleBare                       // 1 stem
)

// group puts styles a sloppy bank mixes ("1." then "2、") together; a
// parenthesized "（1）" under "1." is a sub-item, not a question.
func (s numStyle) group() int {
	if s == styleParen {
		return 2
	}
	return 1
}

// questionNumber reads a question number at the start of s: "1." "1．"
// "1、" "1:" "1）" "（1）" "第1题", or a bare "1 " before text. A decimal
// such as "1.5万元" is not a number.
func questionNumber(s string) (n int, style numStyle, rest string, ok bool) {
	i := 0
	digits := func() (int, bool) {
		j := i
		for j < len(s) && j-i < 5 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i || j-i > 4 || (j < len(s) && s[j] >= '0' && s[j] <= '9') {
			return 0, false
		}
		v, _ := strconv.Atoi(s[i:j])
		i = j
		return v, v > 0
	}
	spaces := func() {
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	switch {
	case strings.HasPrefix(s, "第"):
		i = len("第")
		spaces()
		if n, ok = digits(); !ok {
			return 0, 0, "", false
		}
		spaces()
		if !strings.HasPrefix(s[i:], "题") {
			return 0, 0, "", false
		}
		i += len("题")
		for _, d := range []string{".", "．", "、", ":", "：", "。"} {
			if strings.HasPrefix(s[i:], d) {
				i += len(d)
				break
			}
		}
		return n, styleDi, strings.TrimSpace(s[i:]), true
	case strings.HasPrefix(s, "(") || strings.HasPrefix(s, "（"):
		if s[0] == '(' {
			i = 1
		} else {
			i = len("（")
		}
		spaces()
		if n, ok = digits(); !ok {
			return 0, 0, "", false
		}
		spaces()
		switch {
		case strings.HasPrefix(s[i:], ")"):
			i++
		case strings.HasPrefix(s[i:], "）"):
			i += len("）")
		default:
			return 0, 0, "", false
		}
		return n, styleParen, strings.TrimSpace(s[i:]), true
	}
	if n, ok = digits(); !ok {
		return 0, 0, "", false
	}
	hadSpace := i < len(s) && s[i] == ' '
	spaces()
	rest = s[i:]
	switch {
	case strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, "．"):
		_, w := utf8.DecodeRuneInString(rest)
		if next := rest[w:]; next != "" && next[0] >= '0' && next[0] <= '9' {
			return 0, 0, "", false // 1.5
		}
		return n, styleDot, strings.TrimSpace(rest[w:]), true
	case strings.HasPrefix(rest, "、"):
		return n, styleComma, strings.TrimSpace(rest[len("、"):]), true
	case strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "："):
		_, w := utf8.DecodeRuneInString(rest)
		if next := rest[w:]; next != "" && next[0] >= '0' && next[0] <= '9' {
			return 0, 0, "", false // 10:30
		}
		return n, styleColon, strings.TrimSpace(rest[w:]), true
	case strings.HasPrefix(rest, ")") || strings.HasPrefix(rest, "）"):
		_, w := utf8.DecodeRuneInString(rest)
		return n, styleRParen, strings.TrimSpace(rest[w:]), true
	case hadSpace && rest != "":
		r, _ := utf8.DecodeRuneInString(rest)
		if unicode.Is(unicode.Han, r) {
			return n, styleBare, rest, true
		}
	}
	return 0, 0, "", false
}

// optClass is how an option label is written; the options of one question
// share a class.
type optClass uint8

const (
	classDot    optClass = iota + 1 // A. A． A、 A: A：
	classRParen                     // A) A）
	classParen                      // (A) （A）
)

// marker is an option label found in a line.
type marker struct {
	letter     byte
	class      optClass
	start, end int  // byte span of the label and the spaces after it
	good       bool // preceded by white space, punctuation or the line start
}

// markerAt reads an option label at byte i of s.
func markerAt(s string, i int) (marker, bool) {
	m := marker{start: i}
	j := i
	paren := false
	if strings.HasPrefix(s[j:], "(") {
		paren, j = true, j+1
	} else if strings.HasPrefix(s[j:], "（") {
		paren, j = true, j+len("（")
	}
	for paren && j < len(s) && s[j] == ' ' {
		j++
	}
	if j >= len(s) || s[j] < 'A' || s[j] > 'H' {
		return m, false
	}
	m.letter = s[j]
	j++
	if j < len(s) && ((s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= 'a' && s[j] <= 'z') || (s[j] >= '0' && s[j] <= '9')) {
		return m, false
	}
	for j < len(s) && s[j] == ' ' {
		j++
	}
	r, w := utf8.DecodeRuneInString(s[j:])
	switch {
	case paren && (r == ')' || r == '）'):
		m.class = classParen
	case paren:
		return m, false
	case r == '.' || r == '．' || r == '、' || r == ':' || r == '：':
		m.class = classDot
	case r == ')' || r == '）':
		m.class = classRParen
	default:
		return m, false
	}
	j += w
	for j < len(s) && s[j] == ' ' {
		j++
	}
	m.end = j
	if i == 0 {
		m.good = true
	} else {
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		switch {
		case prev == '(' || prev == '（' || prev == '[' || prev == '【' || prev == '《' || prev == '“' || prev == '"':
			return m, false // "（A）" is a bracketed answer, not an option
		case prev < utf8.RuneSelf && (unicode.IsLetter(prev) || unicode.IsDigit(prev)):
			return m, false // "AB." or "1A."
		case unicode.IsSpace(prev) || unicode.IsPunct(prev) || unicode.IsSymbol(prev):
			m.good = true
		}
	}
	return m, true
}

// optionStart reports whether s begins with an option label.
func optionStart(s string) bool {
	_, ok := markerAt(s, 0)
	return ok
}

// splitOptions finds a run of options in s: "A.宪法 B.刑法 C.民法 D.行政法",
// "A．宪法B．刑法", "(A)宪法 (B)刑法". When atStart, s must begin with a
// label (any letter, so a line may continue the previous one with "C."
// and "D."); otherwise the run must start with "A" after the stem and hold
// at least two options, and bracketed labels are not accepted, since
// "（A）" in a stem is an answer. prefix is the text before the first label.
func splitOptions(s string, atStart bool) (prefix string, opts []Option) {
	var marks []marker
	for i := 0; i < len(s); {
		if c := s[i]; (c >= 'A' && c <= 'H') || c == '(' || strings.HasPrefix(s[i:], "（") {
			if m, ok := markerAt(s, i); ok {
				marks = append(marks, m)
			}
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	if len(marks) == 0 {
		return s, nil
	}
	var first marker
	switch {
	case atStart:
		if marks[0].start != 0 {
			return s, nil
		}
		first = marks[0]
	default:
		found := false
		for _, m := range marks {
			if m.letter == 'A' && m.good && m.class != classParen {
				first, found = m, true
				break
			}
		}
		if !found {
			return s, nil
		}
	}
	seq := []marker{first}
	for {
		last := seq[len(seq)-1]
		want := last.letter + 1
		var pick *marker
		for k := range marks {
			m := &marks[k]
			if m.start < last.end || m.letter != want || m.class != first.class {
				continue
			}
			if m.good {
				pick = m
				break
			}
			if pick == nil {
				pick = m
			}
		}
		if pick == nil {
			break
		}
		seq = append(seq, *pick)
	}
	if !atStart && len(seq) < 2 {
		return s, nil
	}
	prefix = strings.TrimSpace(s[:seq[0].start])
	for k, m := range seq {
		end := len(s)
		if k+1 < len(seq) {
			end = seq[k+1].start
		}
		opts = append(opts, Option{Label: string(m.letter), Text: strings.TrimSpace(s[m.end:end])})
	}
	return prefix, opts
}

// segKind is what a piece of a line is.
type segKind uint8

const (
	segBody segKind = iota
	segAnswer
	segAnalysis
)

// segment is a piece of a line between labels.
type segment struct {
	kind segKind
	text string
}

var (
	// reLabel finds answer and analysis labels inside a line. The first
	// group is an analysis label, the second an answer label.
	reLabel = regexp.MustCompile(`(【\s*(?:答案|试题|题目)?(?:解析|分析|详解|点评|解答|点拨|考点|评析)\s*】\s*[:：]?|\[\s*(?:答案)?解析\s*\]\s*[:：]?|(?:答案|试题|题目)?解析\s*[:：])|(【\s*(?:参考|正确|标准)?答案\s*】\s*[:：]?|\[\s*(?:参考|正确|标准)?答案\s*\]\s*[:：]?|(?:参考|正确|标准)?答案\s*[:：])`)
	// reLeadAnswer and reLeadAnalysis are labels accepted only at the
	// start of a line: "答：…", "答案C", "分析：…".
	reLeadAnswer   = regexp.MustCompile(`^(?:答\s*[:：]|(?:参考|正确|标准)?答案\s*(?:为|是)?\s*([A-H]{1,8}|[√×✓✗✔✘]|正确|错误|对|错)\s*$)`)
	reLeadAnalysis = regexp.MustCompile(`^(?:分析|详解|点评|解答)\s*[:：]`)
)

// splitLabels cuts a line at its answer and analysis labels: "A.宪法
// B.刑法 答案：A 解析：…" is a body, an answer and an analysis.
func splitLabels(s string) []segment {
	if !mayHaveLabel(s) {
		return []segment{{segBody, s}}
	}
	if m := reLeadAnswer.FindStringSubmatchIndex(s); m != nil {
		if m[2] >= 0 {
			return []segment{{segAnswer, s[m[2]:m[3]]}}
		}
		segs := splitLabels(strings.TrimSpace(s[m[1]:]))
		if segs[0].kind == segBody {
			segs[0].kind = segAnswer
			return segs
		}
		return append([]segment{{segAnswer, ""}}, segs...)
	}
	var segs []segment
	kind := segBody
	if loc := reLeadAnalysis.FindStringIndex(s); loc != nil {
		kind = segAnalysis
		s = s[loc[1]:]
	}
	for {
		m := reLabel.FindStringSubmatchIndex(s)
		if m == nil {
			segs = append(segs, segment{kind, strings.TrimSpace(s)})
			return segs
		}
		if t := strings.TrimSpace(s[:m[0]]); t != "" || kind != segBody {
			segs = append(segs, segment{kind, t})
		}
		if m[2] >= 0 {
			kind = segAnalysis
		} else {
			kind = segAnswer
		}
		s = s[m[1]:]
	}
}

// mayHaveLabel is a cheap test that s might hold a label: every label
// has one of these characters.
func mayHaveLabel(s string) bool {
	return strings.Contains(s, "答") || strings.Contains(s, "析") || strings.Contains(s, "详解") ||
		strings.Contains(s, "点评") || strings.Contains(s, "点拨") || strings.Contains(s, "考点")
}

// heading is a parsed section heading.
type heading struct {
	title    string
	t        Type
	generic  bool // "选择题": single or multiple
	count    int
	each     float64
	total    float64
	numbered bool // "一、", "第一部分"
	declared bool // count or points stated
}

var (
	reHeadNumber = regexp.MustCompile(`^(?:第\s*[一二三四五六七八九十]{1,3}\s*(?:部分|大题|题型|题|节|卷|单元)\s*[、.．,，:：]?|[一二三四五六七八九十]{1,3}\s*[、.．,，:：]|[一二三四五六七八九十]{1,3}\s+|[（(]\s*[一二三四五六七八九十]{1,3}\s*[)）]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]{1,3}\s*[、.．]?)\s*`)
	reHeadBare   = regexp.MustCompile(`^(?:单项选择|多项选择|不定项选择|单选|多选|选择|判断|是非|判断正误|填空|简答|问答|论述|名词解释|案例分析|案例|材料分析|辨析)题(?:部分)?$`)
	reDeclCount  = regexp.MustCompile(`(?:共|计|有|本大题共|本题共)\s*(\d+|[一二三四五六七八九十百]+)\s*(?:道|个)?\s*(?:小)?题|(\d+)\s*(?:道|个)?\s*小?题`)
	reDeclEach   = regexp.MustCompile(`每\s*(?:小|道)?\s*题\s*(?:为|计|得)?\s*(\d+(?:\.\d+)?|[一二三四五六七八九十]+|半)\s*分`)
	reDeclTotal  = regexp.MustCompile(`(?:共|计|合计|满分|总分|总计|本大题)\s*(?:为)?\s*(\d+(?:\.\d+)?)\s*分|^\s*(\d+(?:\.\d+)?)\s*分\s*$`)
	reDeclLine   = regexp.MustCompile(`^[（(].*(?:\d|[一二三四五六七八九十]).*(?:分|题).*[)）]$`)
)

// parseHeading reads a section heading: "一、单项选择题（共40题，每题1分）",
// "第二部分 多项选择题：每题2分，共20分", "三．判断题", a bare "填空题".
func parseHeading(s string) (heading, bool) {
	var h heading
	rest := s
	if loc := reHeadNumber.FindStringIndex(s); loc != nil && loc[1] > 0 {
		h.numbered = true
		rest = s[loc[1]:]
	} else if !strings.Contains(s, "题") {
		return h, false
	}
	title, decl := rest, ""
	if i := strings.IndexAny(rest, "（(：:，,"); i >= 0 {
		title, decl = rest[:i], rest[i:]
	}
	title = strings.TrimSpace(title)
	if i := strings.IndexByte(title, ' '); i >= 0 && (strings.Contains(title[i:], "分") || strings.Contains(title[i:], "题")) {
		title, decl = strings.TrimSpace(title[:i]), title[i:]+decl
	}
	title = strings.Trim(title, "【】[] ")
	n := utf8.RuneCountInString(title)
	if n == 0 || n > 20 || strings.ContainsAny(title, "？?。！!_") || reBlank.MatchString(title) {
		return h, false
	}
	h.title = title
	h.t, h.generic = typeFromWords(title)
	if !h.numbered && !reHeadBare.MatchString(title) {
		return h, false
	}
	h.parseDecl(decl)
	return h, true
}

// parseDecl reads the declared count and points of a heading.
func (h *heading) parseDecl(s string) {
	if m := reDeclCount.FindStringSubmatch(s); m != nil {
		v := m[1]
		if v == "" {
			v = m[2]
		}
		if c := parseNumber(v); c > 0 && c < 100000 {
			h.count, h.declared = int(c), true
		}
	}
	if m := reDeclEach.FindStringSubmatch(s); m != nil {
		if v := parseNumber(m[1]); v > 0 && v < 10000 {
			h.each, h.declared = v, true
		}
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("（()）,，;；。、", r) }) {
		if m := reDeclTotal.FindStringSubmatch(part); m != nil {
			v := m[1]
			if v == "" {
				v = m[2]
			}
			if t := parseNumber(v); t > 0 && t < 100000 {
				h.total, h.declared = t, true
			}
		}
	}
}

// points is the section's declared total: stated, or count × each.
func (h *heading) points() float64 {
	if h.total > 0 {
		return h.total
	}
	return float64(h.count) * h.each
}

// parseNumber reads "40", "0.5", "十二", "半".
func parseNumber(s string) float64 {
	if s == "半" {
		return 0.5
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return v
	}
	return float64(chineseNumber(s))
}

// chineseNumber reads a Chinese numeral below 1000: "十二", "四十", "一百".
func chineseNumber(s string) int {
	digit := map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	total, cur := 0, 0
	for _, r := range s {
		switch r {
		case '百':
			if cur == 0 {
				cur = 1
			}
			total += cur * 100
			cur = 0
		case '十':
			if cur == 0 {
				cur = 1
			}
			total += cur * 10
			cur = 0
		default:
			d, ok := digit[r]
			if !ok {
				return 0
			}
			cur = cur*10 + d
		}
	}
	return total + cur
}

// reBlank matches a blank to fill: an empty bracket "（ ）" or a run of
// underscores "____".
var reBlank = regexp.MustCompile(`[（(][ \x{3000}]*[）)]|[_＿]{2,}`)

// CountBlanks counts the blanks in a stem: empty brackets "（ ）" and runs of
// underscores "____".
func CountBlanks(stem string) int {
	return len(reBlank.FindAllStringIndex(stem, -1))
}

// joinText joins the lines of a stem, option, answer or analysis. A line
// that ends a sentence starts a new one; a line broken mid-sentence (as
// PDF and web copies break them) is joined without a space between
// Chinese characters.
func joinText(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			next, _ := utf8.DecodeRuneInString(p)
			switch {
			case strings.ContainsRune("。！？!?；;：:", prev) || subItem(p):
				b.WriteByte('\n')
			case prev < utf8.RuneSelf && next < utf8.RuneSelf:
				b.WriteByte(' ')
			}
		}
		b.WriteString(p)
	}
	return b.String()
}

// reSubItem is a numbered point inside a stem or an answer: "（1）", "(2)",
// "①", "1.", "一、".
var reSubItem = regexp.MustCompile(`^(?:[（(]\s*\d{1,2}\s*[)）]|[①-⑳]|\d{1,2}\s*[.．、]\D|[一二三四五六七八九十]{1,2}\s*[、.．])`)

// subItem reports a line that starts a numbered point, which keeps its
// own line when lines are joined.
func subItem(s string) bool { return reSubItem.MatchString(s) }
