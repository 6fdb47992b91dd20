package schemefile

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"pufa/internal/app"
	"pufa/internal/assess"
)

// kindLabels are the rule kinds as the form and the template name them, in
// the order the form offers them. The labels are shorter than
// RuleKind.Label ("是否" rather than "是否达到") because they fill a narrow
// spreadsheet column; both are read.
var kindLabels = []struct {
	kind    assess.RuleKind
	label   string
	aliases []string
}{
	{assess.KindDirect, "直接评分", []string{"直接打分", "直接计分", "打分", "评分", "直接"}},
	{assess.KindDeduction, "扣分", []string{"扣分制", "倒扣分", "扣分评分"}},
	{assess.KindYesNo, "是否", []string{"是否评分", "是/否", "是或否", "达标"}},
	{assess.KindTiered, "分档", []string{"分档计分", "档次", "分等级"}},
	{assess.KindBonus, "加分", []string{"附加加分", "加分项"}},
	{assess.KindPenalty, "减分", []string{"附加减分", "减分项"}},
	{assess.KindVeto, "一票否决", []string{"否决", "一票否决项"}},
}

// RuleKinds returns the Chinese labels of the rule kinds in the order a
// form's <select> offers them. Row.Rule holds one of them.
func RuleKinds() []string {
	out := make([]string, len(kindLabels))
	for i, k := range kindLabels {
		out[i] = k.label
	}
	return out
}

// kindLabel returns the form label of k.
func kindLabel(k assess.RuleKind) string {
	for _, l := range kindLabels {
		if l.kind == k {
			return l.label
		}
	}
	return string(k)
}

// kindOf reads a rule kind as people write it: the form label, the engine's
// label, a common synonym or the stored ASCII name, spaces and full-width
// forms ignored. ok is false for anything else.
func kindOf(label string) (assess.RuleKind, bool) {
	k := fold(label)
	for _, l := range kindLabels {
		if k == fold(l.label) || k == fold(l.kind.Label()) || k == string(l.kind) || slices.ContainsFunc(l.aliases, func(a string) bool { return fold(a) == k }) {
			return l.kind, true
		}
	}
	return "", false
}

// fold is the form labels are compared in: no spaces, full-width ASCII
// folded to half-width, lower case.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case 0xFF01 <= r && r <= 0xFF5E:
			r -= 0xFEE0
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// num is how figures are written in params and cells: the shortest
// decimal that reads back as the same float, so a round trip through text
// never changes a figure.
func num(x float64) string {
	if x == 0 {
		return "0"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// FormatRule writes r as a kind label and params in the canonical syntax
// ParseRule reads back to the same rule; max is the indicator's points,
// needed because "扣完为止" means a cap equal to them. A nil rule (a
// parent's) gives two empty strings.
func FormatRule(r assess.Rule, max float64) (kind, params string) {
	switch v := r.(type) {
	case nil:
		return "", ""
	case assess.Direct:
		if v.Step > 0 {
			params = "步长" + num(v.Step)
		}
	case assess.Deduction:
		params = "每次扣" + num(v.PerOccurrence) + "分"
		switch {
		case v.Cap == 0:
		case v.Cap == max:
			params += "，扣完为止"
		default:
			params += "，最多扣" + num(v.Cap) + "分"
		}
	case assess.YesNo:
	case assess.Tiered:
		parts := make([]string, len(v.Levels))
		for i, l := range v.Levels {
			parts[i] = l.Label + ":" + num(l.Points)
		}
		params = strings.Join(parts, "；")
	case assess.Bonus:
		params = "上限" + num(v.Cap)
	case assess.Penalty:
		params = "上限" + num(v.Cap)
	case assess.Veto:
		switch {
		case v.By == assess.VetoByOffice:
			params = "普法办核查"
		case v.Stage == "":
			params = "评议过半数"
		default:
			params = stageName(v.Stage) + "过半数"
		}
	case *assess.Direct, *assess.Deduction, *assess.YesNo, *assess.Tiered, *assess.Bonus, *assess.Penalty, *assess.Veto:
		// Rules built as pointers: write what they point at.
		if rv := deref(v); rv != nil {
			return FormatRule(rv, max)
		}
		return "", ""
	default:
		return string(r.Kind()), ""
	}
	return kindLabel(r.Kind()), params
}

// deref returns the value a pointer rule points at, nil for a nil pointer.
func deref(r assess.Rule) assess.Rule {
	switch v := r.(type) {
	case *assess.Direct:
		if v != nil {
			return *v
		}
	case *assess.Deduction:
		if v != nil {
			return *v
		}
	case *assess.YesNo:
		if v != nil {
			return *v
		}
	case *assess.Tiered:
		if v != nil {
			return *v
		}
	case *assess.Bonus:
		if v != nil {
			return *v
		}
	case *assess.Penalty:
		if v != nil {
			return *v
		}
	case *assess.Veto:
		if v != nil {
			return *v
		}
	default:
		return r
	}
	return nil
}

// stageName is a stage as a veto's params name it: the panel is "评议团",
// which is how schemes write it, the rest their labels.
func stageName(k assess.StageKind) string {
	if k == assess.StagePanel {
		return "评议团"
	}
	return k.Label()
}

// The pieces of the params syntax. Figures may be written in half- or
// full-width digits or, for small whole numbers, in Chinese numerals
// ("扣一分"), since rubrics are typed in all three.
const numPat = `([0-9０-９]+(?:[.．][0-9０-９]+)?|[一二两三四五六七八九十]+)`

var (
	// perRe finds the points one occurrence costs: 扣0.3分, 减 1 分.
	perRe = regexp.MustCompile(`[扣减]\s*` + numPat + `\s*分`)
	// capRe finds a stated cap: 最多扣1.2分, 累计不超过1.2分, 累计扣分以1.2分
	// 为限, 上限3. Only the few words caps are phrased with may stand
	// between the keyword and the figure, so "累计少一次扣0.5分" is not
	// read as a cap of 0.5.
	capRe = regexp.MustCompile(`(?:最多|最高|至多|累计|合计|总计|共计|上限|封顶|不超过|不得超过)(?:扣分|加分|减分|扣除|扣|减|加|不超过|不得超过|以|为|\s)*` + numPat + `\s*分|` +
		numPat + `\s*分为限|上限\s*[:：]?\s*` + numPat)
	// capMaxRe finds a cap that is the indicator's points: 扣完为止.
	capMaxRe = regexp.MustCompile(`扣完|扣满|扣光|扣至\s*0\s*分|不超过本项(?:分值|分数)?|以本项分值为限`)
	// stepRe finds a direct rule's step: 步长0.5, 按0.5分一档.
	stepRe = regexp.MustCompile(`步长\s*[:：]?\s*` + numPat + `\s*分?|` + numPat + `\s*分\s*(?:为)?\s*一\s*档`)
	// rangeRe is a direct rule's range as Describe writes it: 0–6 分.
	rangeRe = regexp.MustCompile(`[0-9０-９.．]+\s*[–—\-~～至到]\s*[0-9０-９.．]+\s*分`)
	// numOnlyRe is a bare figure: "3", "3分", "0.5".
	numOnlyRe = regexp.MustCompile(`^` + numPat + `\s*分?$`)
)

// Tier parts, tried in order on one part of a tiered rule.
var (
	tierZeroRe  = regexp.MustCompile(`^(.+?)\s*(?:的)?\s*(?:不得分|不计分|不给分|得\s*0\s*分)$`)
	tierFullRe  = regexp.MustCompile(`^(.+?)\s*(?:的)?\s*得满分$`)
	tierColonRe = regexp.MustCompile(`^(.+?)\s*[:：=]\s*` + numPat + `\s*分?$`)
	tierGetRe   = regexp.MustCompile(`^(.+?)\s*(?:的)?\s*(?:得|计|给)\s*` + numPat + `\s*分$`)
	tierBareRe  = regexp.MustCompile(`^(.+?)\s*` + numPat + `\s*分$`)
)

// parseNum reads a figure matched by numPat.
func parseNum(s string) (float64, bool) {
	s = strings.Map(func(r rune) rune {
		switch {
		case '０' <= r && r <= '９':
			return '0' + r - '０'
		case r == '．':
			return '.'
		}
		return r
	}, strings.TrimSpace(s))
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return v, !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	return cnNum(s)
}

// cnNum reads a Chinese numeral below 100: 三, 十二, 二十, 二十五, 两.
func cnNum(s string) (float64, bool) {
	digit := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	r := []rune(s)
	switch len(r) {
	case 1:
		if r[0] == '十' {
			return 10, true
		}
		d, ok := digit[r[0]]
		return float64(d), ok
	case 2:
		if r[0] == '十' {
			d, ok := digit[r[1]]
			return float64(10 + d), ok
		}
		if d, ok := digit[r[0]]; ok && r[1] == '十' {
			return float64(d * 10), true
		}
	case 3:
		d1, ok1 := digit[r[0]]
		d2, ok2 := digit[r[2]]
		if ok1 && ok2 && r[1] == '十' {
			return float64(d1*10 + d2), true
		}
	}
	return 0, false
}

// firstNum returns the figure of the first matched group of m that is set.
func firstNum(s string, m []int) (float64, bool) {
	for i := 2; i+1 < len(m); i += 2 {
		if m[i] >= 0 {
			return parseNum(s[m[i]:m[i+1]])
		}
	}
	return 0, false
}

// ParseRule reads a rule from its kind label and params as people write
// them, leniently (full- and half-width punctuation, spaces, 分 or not,
// the phrasing of real rubrics), and checks it against max, the
// indicator's points, so that an editor can show the problem on the row
// before the whole scheme is checked. Errors are app.Invalid with a
// Chinese message that says how to write the params.
//
// The canonical syntax, which FormatRule writes:
//
//	直接评分  ""  or  "步长0.5"
//	扣分      "每次扣0.3分，最多扣1.2分"  or  "每次扣2分，扣完为止"  or  "每次扣1分"
//	是否      ""
//	分档      "完全达到:3；部分达到:2；未达到:0"
//	加分/减分 "上限3"
//	一票否决  "普法办核查"  or  "评议团过半数" (any stage but 社会评议)
func ParseRule(kind, params string, max float64) (assess.Rule, error) {
	k, ok := kindOf(kind)
	if !ok {
		return nil, app.Invalid("rule", "计分方式“%s”无法识别，应为%s之一", kind, strings.Join(RuleKinds(), "、"))
	}
	p := strings.TrimSpace(params)
	var r assess.Rule
	var err error
	switch k {
	case assess.KindDirect:
		r, err = parseDirect(p)
	case assess.KindDeduction:
		r, err = parseDeduction(p, max)
	case assess.KindYesNo:
		r, err = parseYesNo(p)
	case assess.KindTiered:
		r, err = parseTiered(p, max)
	case assess.KindBonus, assess.KindPenalty:
		r, err = parseCap(k, p)
	case assess.KindVeto:
		r, err = parseVeto(p)
	}
	if err != nil {
		return nil, err
	}
	if err := checkRule(r, max); err != nil {
		return nil, err
	}
	return r, nil
}

// invalidParams is the error for params that cannot be read: it quotes
// them and shows the form that works.
func invalidParams(kind, params, example string) error {
	return app.Invalid("params", "%s的计分参数“%s”无法识别，应写成“%s”", kind, params, example)
}

func parseDirect(p string) (assess.Rule, error) {
	if m := stepRe.FindStringSubmatchIndex(p); m != nil {
		step, ok := firstNum(p, m)
		if !ok {
			return nil, invalidParams("直接评分", p, "步长0.5")
		}
		return assess.Direct{Step: step}, nil
	}
	if m := numOnlyRe.FindStringSubmatch(p); m != nil {
		if step, ok := parseNum(m[1]); ok {
			return assess.Direct{Step: step}, nil
		}
	}
	// What is left once the words a direct rule may carry are gone must be
	// nothing: text that states something else is not silently dropped.
	rest := rangeRe.ReplaceAllString(p, "")
	for _, w := range []string{"直接评分", "直接打分", "不限步长", "无步长", "按实际评分", "，", ",", "；", ";", "。"} {
		rest = strings.ReplaceAll(rest, w, "")
	}
	if strings.TrimSpace(rest) != "" {
		return nil, invalidParams("直接评分", p, "步长0.5")
	}
	return assess.Direct{}, nil
}

func parseDeduction(p string, max float64) (assess.Rule, error) {
	const example = "每次扣0.5分，最多扣2分"
	if p == "" {
		return nil, app.Invalid("params", "扣分需要写明每次扣几分，如“%s”", example)
	}
	var capv float64
	rest := p
	if m := capRe.FindStringSubmatchIndex(p); m != nil {
		v, ok := firstNum(p, m)
		if !ok {
			return nil, invalidParams("扣分", p, example)
		}
		capv = v
		rest = p[:m[0]] + p[m[1]:]
	} else if loc := capMaxRe.FindStringIndex(p); loc != nil {
		capv = max
		rest = p[:loc[0]] + p[loc[1]:]
	}
	if _, left := splitClauses(p); len(left) > 0 {
		// "被纠错一件扣2分，未建立台账的不得分": the second clause is a rule
		// a deduction cannot hold, and dropping it would score wrong.
		return nil, app.Invalid("params", "扣分的计分参数中“%s”不是扣分规则，一个指标只能有一种计分方式，请拆分为多个指标或改写", left[0])
	}
	pers := perRe.FindAllStringSubmatch(rest, -1)
	if len(pers) == 0 {
		return nil, invalidParams("扣分", p, example)
	}
	per, ok := parseNum(pers[0][1])
	if !ok {
		return nil, invalidParams("扣分", p, example)
	}
	for _, m := range pers[1:] {
		// "每少一次扣0.5分，未开展的扣2分" is two rules; taking one would
		// score the other wrong without anyone noticing.
		if v, _ := parseNum(m[1]); v != per {
			return nil, app.Invalid("params", "扣分的计分参数“%s”写了不止一种扣分标准，一个指标只能有一种，请拆分为多个指标", p)
		}
	}
	return assess.Deduction{PerOccurrence: per, Cap: capv}, nil
}

// splitClauses splits a deduction, bonus or penalty sentence at commas
// into the clauses such a rule reads (the per-occurrence points, the cap,
// plain words) and those stating some other rule ("…的不得分"), which it
// cannot hold.
func splitClauses(s string) (kept string, left []string) {
	var keep []string
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return r == '，' || r == ',' || r == '；' || r == ';' }) {
		if ruleLikeRe.MatchString(c) && !perRe.MatchString(c) && !capRe.MatchString(c) && !capMaxRe.MatchString(c) && !bonusRe.MatchString(c) {
			left = append(left, strings.TrimSpace(c))
			continue
		}
		keep = append(keep, c)
	}
	return strings.Join(keep, "，"), left
}

func parseYesNo(p string) (assess.Rule, error) {
	if p == "" {
		return assess.YesNo{}, nil
	}
	// The rule needs no params; phrasing that restates it is accepted, any
	// other text is refused rather than dropped.
	probe := p
	for _, w := range []string{"达到", "完成", "符合", "得满分", "满分", "不得分", "未", "是", "否", "的", "，", ",", "；", ";", "。", "/", "、"} {
		probe = strings.ReplaceAll(probe, w, "")
	}
	if strings.TrimSpace(probe) != "" || strings.ContainsAny(p, "0123456789０１２３４５６７８９扣加减") {
		return nil, app.Invalid("params", "是否类指标达到得满分、未达到不得分，计分参数应留空（填了“%s”）", p)
	}
	return assess.YesNo{}, nil
}

// tierSplit splits a tiered rule's params into parts: at ；, ; and line
// ends, and, when those give parts that do not read as tiers, also at
// commas, since "完全达到得3分，部分达到得2分" is the usual way to write them.
func tierSplit(p string) [][]string {
	strong := func(r rune) bool { return r == '；' || r == ';' || r == '\n' || r == '。' }
	weak := func(r rune) bool { return strong(r) || r == '，' || r == ',' }
	return [][]string{strings.FieldsFunc(p, strong), strings.FieldsFunc(p, weak)}
}

// tierPart reads one part of a tiered rule.
func tierPart(s string, max float64) (assess.Tier, bool) {
	s = strings.TrimSpace(s)
	label := func(l string) string {
		// A label holding a separator is several tiers read as one.
		if strings.ContainsAny(l, "，,；;\n:：=") {
			return ""
		}
		return strings.TrimSpace(l)
	}
	if m := tierZeroRe.FindStringSubmatch(s); m != nil && label(m[1]) != "" {
		return assess.Tier{Label: label(m[1])}, true
	}
	if m := tierFullRe.FindStringSubmatch(s); m != nil && label(m[1]) != "" {
		return assess.Tier{Label: label(m[1]), Points: max}, true
	}
	for _, re := range []*regexp.Regexp{tierColonRe, tierGetRe, tierBareRe} {
		if m := re.FindStringSubmatch(s); m != nil {
			if v, ok := parseNum(m[2]); ok && label(m[1]) != "" {
				return assess.Tier{Label: label(m[1]), Points: v}, true
			}
		}
	}
	return assess.Tier{}, false
}

// tiers reads the parts of a tiered rule; ok is false when any part does
// not read as a tier.
func tiers(p string, max float64) ([]assess.Tier, bool) {
	for _, parts := range tierSplit(p) {
		if len(parts) == 0 {
			continue
		}
		levels := make([]assess.Tier, 0, len(parts))
		ok := true
		for _, part := range parts {
			t, good := tierPart(part, max)
			if !good {
				ok = false
				break
			}
			levels = append(levels, t)
		}
		if ok {
			return levels, true
		}
	}
	return nil, false
}

func parseTiered(p string, max float64) (assess.Rule, error) {
	const example = "完全达到:3；部分达到:2；未达到:0"
	if p == "" {
		return nil, app.Invalid("params", "分档需要写明各档次及分数，如“%s”", example)
	}
	levels, ok := tiers(p, max)
	if !ok {
		return nil, invalidParams("分档", p, example)
	}
	return assess.Tiered{Levels: levels}, nil
}

func parseCap(k assess.RuleKind, p string) (assess.Rule, error) {
	label := kindLabel(k)
	example := "上限3"
	if p == "" {
		return nil, app.Invalid("params", "%s需要写明最多%s几分，如“%s”", label, label[:len(label)-len("分")], example)
	}
	var capv float64
	var ok bool
	if m := capRe.FindStringSubmatchIndex(p); m != nil {
		capv, ok = firstNum(p, m)
	} else if m := numOnlyRe.FindStringSubmatch(strings.TrimLeft(p, "加减+-")); m != nil {
		capv, ok = parseNum(m[1])
	}
	if !ok {
		return nil, invalidParams(label, p, example)
	}
	if k == assess.KindBonus {
		return assess.Bonus{Cap: capv}, nil
	}
	return assess.Penalty{Cap: capv}, nil
}

func parseVeto(p string) (assess.Rule, error) {
	q := fold(p)
	q = strings.TrimPrefix(q, "由")
	q = strings.TrimSuffix(q, "认定")
	if q == "" || q == "普法办核查" || q == "普法办" || q == "核查" || q == "普法办认定" || q == "一票否决" {
		return assess.Veto{By: assess.VetoByOffice}, nil
	}
	stage, ok := strings.CutSuffix(q, "过半数")
	if !ok {
		return nil, invalidParams("一票否决", p, "普法办核查”或“评议团过半数")
	}
	switch stage {
	case "", "评议", "评议人", "评委":
		return assess.Veto{By: assess.VetoByMajority}, nil
	}
	for _, k := range assess.StageKinds {
		if stage == fold(k.Label()) || stage == fold(stageName(k)) || stage == string(k) {
			return assess.Veto{By: assess.VetoByMajority, Stage: k}, nil
		}
	}
	return nil, app.Invalid("params", "一票否决的认定环节“%s”无法识别，应为评议团、自评、实地考察、互评或普法办核查", stage)
}

// checkRule repeats the engine's checks of a rule against its points, so
// that they name the row as soon as the params are read.
func checkRule(r assess.Rule, max float64) error {
	const tolerance = 1e-9
	switch v := r.(type) {
	case assess.Direct:
		if v.Step < 0 {
			return app.Invalid("params", "评分步长不能为负数")
		}
		if v.Step > 0 {
			n := max / v.Step
			if math.Abs(n-math.Round(n)) > tolerance*math.Max(1, math.Abs(n)) {
				return app.Invalid("params", "分值 %s 不是评分步长 %s 的整数倍", num(max), num(v.Step))
			}
		}
	case assess.Deduction:
		if v.PerOccurrence <= 0 {
			return app.Invalid("params", "每次扣分应大于 0")
		}
		if v.Cap > max+tolerance {
			return app.Invalid("params", "扣分上限 %s 分超过了指标分值 %s 分", num(v.Cap), num(max))
		}
	case assess.Tiered:
		seen := make(map[string]bool, len(v.Levels))
		for _, l := range v.Levels {
			if seen[l.Label] {
				return app.Invalid("params", "档次“%s”重复", l.Label)
			}
			seen[l.Label] = true
			if l.Points < 0 || l.Points > max+tolerance {
				return app.Invalid("params", "档次“%s”的分数 %s 应在 0 到 %s 分之间", l.Label, num(l.Points), num(max))
			}
		}
	case assess.Bonus:
		if v.Cap <= 0 {
			return app.Invalid("params", "加分上限应大于 0")
		}
	case assess.Penalty:
		if v.Cap <= 0 {
			return app.Invalid("params", "减分上限应大于 0")
		}
	case assess.Veto:
		if v.By == assess.VetoByMajority && v.Stage == assess.StagePublic {
			return app.Invalid("params", "一票否决不能由社会评议过半数认定")
		}
	}
	return nil
}

// messageOf returns the Chinese message of an error from this package.
func messageOf(err error) string { return app.ErrorMessage(err) }

// describe is a rule in words for a warning: the kind and its params.
func describe(kind, params string) string {
	if params == "" {
		return kind
	}
	return fmt.Sprintf("%s（%s）", kind, params)
}
