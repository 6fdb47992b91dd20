package question

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

func (p *parser) warn(sec, n int, format string, args ...any) {
	p.warns = append(p.warns, Warning{Section: max(sec, 0), N: n, Message: fmt.Sprintf(format, args...)})
}

// finish turns the drafts into questions and adds the warnings that need
// the whole bank: no answers anywhere, duplicates, declared counts.
func (p *parser) finish() *Bank {
	b := p.bank
	if len(b.Sections) == 0 {
		b.Sections = []Section{{}}
		p.secs = []secInfo{{}}
	}
	// Numbering that restarts without a heading opens a new part, so an
	// answer key can tell "1" from "1"; but a file without headings is one
	// untitled section, as the import contract says.
	if len(b.Sections) > 1 && !slices.ContainsFunc(b.Sections, func(s Section) bool { return s.Title != "" }) {
		for _, d := range p.drafts {
			d.sec = 0
		}
		for i := range p.warns {
			p.warns[i].Section = 0
		}
		b.Sections, p.secs = b.Sections[:1], p.secs[:1]
	}
	b.Questions = make([]Question, 0, len(p.drafts))
	var missing []int // questions whose answer is missing, not cut off
	for k, d := range p.drafts {
		atEnd := !p.table && k == len(p.drafts)-1 && p.keyAt != len(p.drafts)
		q, ws := p.build(d, atEnd)
		b.Questions = append(b.Questions, q)
		p.warns = append(p.warns, ws...)
		if len(q.Answer) == 0 && !q.Incomplete && q.Type != Essay {
			missing = append(missing, k)
		}
	}

	answered := 0
	for _, q := range b.Questions {
		if q.Answered() {
			answered++
		}
	}
	switch {
	case len(b.Questions) == 0:
		p.warn(0, 0, "没有识别出任何题目：题目应以题号开头，如“1.”“1、”“（1）”")
	case answered == 0:
		// One warning for the whole file, never a key invented.
		p.warn(0, 0, "整份题库都没有找到答案：导入的 %d 道题都没有答案，请补充答案后再用于练习和考试", len(b.Questions))
	default:
		for _, k := range missing {
			q := b.Questions[k]
			p.warn(q.Section, q.N, "%s没有找到答案", p.rowPrefix(p.drafts[k]))
		}
	}

	seen := map[string]int{}
	for k := range b.Questions {
		q := &b.Questions[k]
		if strings.TrimSpace(q.Stem) == "" {
			continue
		}
		key := q.Key()
		if first, dup := seen[key]; dup {
			f := b.Questions[first]
			p.warn(q.Section, q.N, "%s与%s重复", p.rowPrefix(p.drafts[k]), p.where(f, p.drafts[first]))
			continue
		}
		seen[key] = k
	}

	for sec, m := range p.keyMissing {
		list, which := strings.Join(m.first, "、"), "这些题"
		switch {
		case m.count > len(m.first):
			list += fmt.Sprintf("等 %d 道", m.count)
		case m.count == 1:
			which = "这道题"
		}
		p.warn(min(sec, len(b.Sections)-1), 0, "参考答案中有第%s题的答案，但没有找到%s", list, which)
	}

	counts := make([]int, len(b.Sections))
	for _, q := range b.Questions {
		counts[q.Section]++
	}
	for i, s := range b.Sections {
		if s.DeclaredCount > 0 && s.DeclaredCount != counts[i] {
			p.warn(i, 0, "“%s”标题声明共%d题，实际识别出%d题", s.Title, s.DeclaredCount, counts[i])
		}
	}

	slices.SortStableFunc(p.warns, func(a, b Warning) int {
		if c := cmp.Compare(a.Section, b.Section); c != 0 {
			return c
		}
		return cmp.Compare(a.N, b.N)
	})
	if len(p.warns) > MaxWarnings {
		more := len(p.warns) - MaxWarnings
		p.warns = append(p.warns[:MaxWarnings:MaxWarnings], Warning{Message: fmt.Sprintf("另有 %d 条警告未列出，请先修正以上问题后重新导入", more)})
	}
	b.Warnings = p.warns
	if b.Warnings == nil {
		b.Warnings = []Warning{}
	}
	return b
}

// MaxWarnings bounds the warnings of one bank; past it a last warning
// says how many more there were. A real bank stays far below it.
const MaxWarnings = 2000

// rowPrefix is "第5行：" for a question from a spreadsheet row.
func (p *parser) rowPrefix(d *draft) string { return d.where }

// where names question q in a message.
func (p *parser) where(q Question, d *draft) string {
	if d.where != "" {
		return strings.TrimSuffix(d.where, "：") + "的题"
	}
	return p.bank.where(q.Section, q.N)
}

// build interprets a draft: its type, its answer in whatever form the
// source gave it, and what is wrong with it.
func (p *parser) build(d *draft, atEnd bool) (Question, []Warning) {
	var ws []Warning
	prefix := p.rowPrefix(d)
	warn := func(format string, args ...any) {
		ws = append(ws, Warning{Section: d.sec, N: d.n, Message: prefix + fmt.Sprintf(format, args...)})
	}
	sec := p.bank.Sections[d.sec]
	info := p.secs[d.sec]

	stem := strings.TrimSpace(rePoints.ReplaceAllString(joinText(d.stem), ""))
	tag := d.tag
	if t, word, rest := stripTag(stem); t != "" {
		tag, stem, d.tagWord = t, rest, word
	}
	opts := slices.Clone(d.opts)
	raw := strings.TrimSpace(joinText(d.answer))
	analysis := joinText(append(slices.Clone(d.analysis), d.keyAnalysis...))
	keyAns := strings.TrimSpace(d.keyAnswer)

	t, generic := tag, false
	if t == "" {
		t, generic = sec.Type, info.generic
	}
	// The content wins over a heading it contradicts: a question with
	// options under "判断题" is a choice question whose heading was lost.
	var judgeOpts map[string]string
	if len(opts) >= 2 {
		if m := judgementOptions(opts); m != nil && (t == TrueFalse || t == "" || generic) {
			judgeOpts, t, generic, opts = m, TrueFalse, false, nil
		} else if t == TrueFalse || t == Fill || t == Essay {
			where := sec.Title
			if tag != "" {
				where = d.tagWord + "题"
			}
			warn("“%s”中的这道题带有选项，已按选择题读取", where)
			t, generic = "", false
		}
	}
	if t == "" {
		t, generic = infer(stem, opts, raw, keyAns)
	}

	q := Question{Section: d.sec, N: d.n, Type: t}
	switch t {
	case Single, Multiple:
		stem, analysis = choiceAnswer(&q, stem, opts, raw, keyAns, analysis, generic, warn)
		if len(opts) == 0 && !atEnd {
			warn("选择题没有找到选项")
		}
		if bad := labelGaps(opts); bad != "" {
			warn("选项标号不连续：%s", bad)
		}
		for k, o := range opts {
			if o.Text == "" && !(atEnd && k == len(opts)-1) {
				warn("选项 %s 没有内容", o.Label)
			}
		}
	case TrueFalse:
		stem, analysis = trueFalseAnswer(&q, stem, raw, keyAns, analysis, judgeOpts, warn)
	case Fill:
		stem = fillAnswer(&q, stem, raw, keyAns, tag == Fill || sec.Type == Fill, warn)
	case Essay:
		switch {
		case raw != "":
			q.Answer = []string{raw}
		case keyAns != "":
			q.Answer = []string{keyAns}
		}
	}
	q.Stem = strings.TrimSpace(stem)
	q.Options = opts
	q.Analysis = strings.TrimSpace(analysis)
	if q.Answer == nil {
		q.Answer = []string{}
	}
	if q.Options == nil {
		q.Options = []Option{}
	}
	checkAnalysis(&q, warn)

	if atEnd && p.cutOff(d, &q) {
		q.Incomplete = true
		warn("题目在文本末尾被截断，不完整")
	}
	return q, ws
}

// rePoints is a question's points printed at either end of its stem,
// "（2分）" or "(1.0分)"; the section's heading holds the points.
var rePoints = regexp.MustCompile(`^[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]|[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]$`)

// infer guesses a type the heading did not give: options make a choice
// question (generic, so the answer decides single or multiple); a
// judgement answer makes a true/false one; a blank, a fill-in; a question
// that asks "简述…" or ends in "？", an essay.
func infer(stem string, opts []Option, raw, keyAns string) (Type, bool) {
	if len(opts) > 0 {
		return Single, true
	}
	ans := raw
	if ans == "" {
		ans = keyAns
	}
	if ans != "" {
		if _, _, ok := leadingJudgement(ans); ok {
			return TrueFalse, false
		}
		if looksEssay(stem) || utf8.RuneCountInString(ans) > 40 {
			return Essay, false
		}
		return Fill, false
	}
	if reBracketJudge.MatchString(stem) || reTrailingJudge.MatchString(stem) {
		return TrueFalse, false
	}
	if strings.Contains(stem, "__") || strings.Contains(stem, "＿＿") {
		return Fill, false
	}
	if looksEssay(stem) {
		return Essay, false
	}
	// A statement with its blank at the end, "…是国家的根本法。（ ）", is
	// to be judged; a blank inside the sentence is to be filled.
	locs := reBlank.FindAllStringIndex(stem, -1)
	if len(locs) > 0 {
		after := strings.Trim(stem[locs[len(locs)-1][1]:], " 。.")
		before := strings.TrimSpace(stem[:locs[len(locs)-1][0]])
		last, _ := utf8.DecodeLastRuneInString(before)
		if len(locs) == 1 && after == "" && strings.ContainsRune("。.！!；;", last) {
			return TrueFalse, false
		}
		return Fill, false
	}
	return TrueFalse, false
}

// judgementOptions recognizes true/false written as two options
// ("A.正确 B.错误", "A.对 B.错") and maps their labels to answers.
func judgementOptions(opts []Option) map[string]string {
	if len(opts) != 2 {
		return nil
	}
	m := map[string]string{}
	for _, o := range opts {
		a, ok := parseJudgement(o.Text)
		if !ok {
			return nil
		}
		m[o.Label] = a
	}
	if m[opts[0].Label] == m[opts[1].Label] {
		return nil
	}
	return m
}

// labelGaps lists option labels out of sequence ("A、B、D"), or "".
func labelGaps(opts []Option) string {
	var labels []string
	bad := false
	for i, o := range opts {
		labels = append(labels, o.Label)
		if i >= len(optionLetters) || o.Label != optionLetters[i:i+1] {
			bad = true
		}
	}
	if !bad {
		return ""
	}
	return strings.Join(labels, "、")
}

// choiceAnswer sets q's answer and type from the answer line, the stem's
// bracket "（B）" or the answer key, and checks it against the options.
func choiceAnswer(q *Question, stem string, opts []Option, raw, keyAns, analysis string, generic bool, warn func(string, ...any)) (string, string) {
	var letters []string
	if raw != "" {
		l, rest, ok := leadingLetters(raw)
		if !ok {
			if lab := optionWithText(opts, raw); lab != "" {
				l, ok = []string{lab}, true
			}
		}
		if ok {
			letters = l
			if rest != "" {
				analysis = joinText([]string{rest, analysis})
			}
		} else {
			warn("无法识别答案“%s”", clip(raw))
		}
	}
	if ns, inside, ok := takeBracket(stem, reBracketLetters); ok {
		bl, _ := parseLetters(inside)
		switch {
		case raw == "":
			letters, stem = bl, ns
		case slices.Equal(bl, letters):
			stem = ns
		case len(opts) > 0 && allIn(bl, opts):
			warn("题干括号中的答案 %s 与给出的答案 %s 不一致", strings.Join(bl, ""), strings.Join(letters, ""))
		}
	}
	if keyAns != "" {
		kl, ok := parseLetters(keyAns)
		switch {
		case !ok:
			warn("参考答案“%s”无法识别", clip(keyAns))
		case letters == nil:
			letters = kl
		case !slices.Equal(kl, letters):
			warn("参考答案中是 %s，与题目处的答案 %s 不一致", strings.Join(kl, ""), strings.Join(letters, ""))
		}
	}
	if generic {
		q.Type = Single
		if len(letters) > 1 {
			q.Type = Multiple
		}
	}
	if q.Type == Single && len(letters) > 1 {
		warn("单选题给出了多个答案 %s", strings.Join(letters, ""))
	}
	if len(opts) > 0 {
		for _, l := range letters {
			if optionWithLabel(opts, l) < 0 {
				warn("答案 %s 不在选项中（选项为 %s）", l, labelRange(opts))
			}
		}
	}
	q.Answer = letters
	return stem, analysis
}

// trueFalseAnswer sets q's answer from the answer line, the stem's bracket
// "（√）", a trailing "√", or the answer key.
func trueFalseAnswer(q *Question, stem, raw, keyAns, analysis string, judgeOpts map[string]string, warn func(string, ...any)) (string, string) {
	ans := ""
	read := func(s string) (string, string, bool) {
		if judgeOpts != nil {
			if l, rest, ok := leadingLetters(s); ok && len(l) == 1 && judgeOpts[l[0]] != "" {
				return judgeOpts[l[0]], rest, true
			}
		}
		return leadingJudgement(s)
	}
	if raw != "" {
		if a, rest, ok := read(raw); ok {
			ans = a
			if rest != "" {
				analysis = joinText([]string{rest, analysis})
			}
		} else {
			warn("判断题的答案“%s”无法识别，应为“正确”或“错误”", clip(raw))
		}
	}
	bracket := reBracketJudge
	if judgeOpts != nil && !reBracketJudge.MatchString(stem) {
		bracket = reBracketLetters // "（B）" with options "A.对 B.错"
	}
	if ns, inside, ok := takeBracket(stem, bracket); ok {
		a, _, _ := read(inside)
		switch {
		case raw == "":
			ans, stem = a, ns
		case a == ans:
			stem = ns
		default:
			warn("题干括号中的答案“%s”与给出的答案不一致", inside)
		}
	} else if m := reTrailingJudge.FindStringSubmatchIndex(stem); m != nil && raw == "" {
		ans, _ = parseJudgement(stem[m[2]:m[3]])
		stem = strings.TrimSpace(stem[:m[2]] + stem[m[3]:])
	}
	if keyAns != "" {
		a, _, ok := read(keyAns)
		switch {
		case !ok:
			warn("参考答案“%s”无法识别", clip(keyAns))
		case ans == "":
			ans = a
		case a != ans:
			warn("参考答案中是“%s”，与题目处的答案“%s”不一致", judgeLabel(a), judgeLabel(ans))
		}
	}
	if ans != "" {
		q.Answer = []string{ans}
	}
	return stem, analysis
}

// fillAnswer sets q's answers, one per blank, from the answer line, the
// answer key, or (in a section or tag that says 填空) text the stem gives
// in brackets in place of blanks: "我国的根本大法是（宪法）。"
func fillAnswer(q *Question, stem, raw, keyAns string, declared bool, warn func(string, ...any)) string {
	blanks := CountBlanks(stem)
	var answers []string
	switch {
	case raw != "":
		answers = splitFill(raw, blanks)
	case keyAns != "":
		answers = splitFill(keyAns, blanks)
	case declared && blanks == 0:
		for _, m := range reBracketText.FindAllStringSubmatch(stem, -1) {
			if a := strings.TrimSpace(m[2]); a != "" {
				answers = append(answers, a)
			}
		}
		if len(answers) > 0 {
			stem = reBracketText.ReplaceAllString(stem, "$1 $3")
			blanks = len(answers)
		}
	}
	if len(answers) > 0 && blanks > 0 && len(answers) != blanks {
		warn("题干有 %d 个空，答案却有 %d 个", blanks, len(answers))
	}
	q.Answer = answers
	return stem
}

// checkAnalysis flags an answer its own analysis contradicts: answer B
// with "故选C", or √ with "该说法错误".
func checkAnalysis(q *Question, warn func(string, ...any)) {
	if q.Analysis == "" || len(q.Answer) == 0 {
		return
	}
	switch q.Type {
	case Single, Multiple:
		if l, phrase, ok := choiceVerdict(q.Analysis); ok && !slices.Equal(l, q.Answer) {
			warn("答案是 %s，但解析中说“%s”", strings.Join(q.Answer, ""), phrase)
		}
	case TrueFalse:
		if a, phrase, ok := judgeVerdict(q.Analysis); ok && a != q.Answer[0] {
			warn("答案是“%s”，但解析中说“%s”", judgeLabel(q.Answer[0]), phrase)
		}
	}
}

// cutOff reports whether the last question of the text was cut short.
func (p *parser) cutOff(d *draft, q *Question) bool {
	switch {
	case q.Stem == "":
		return true
	case q.Type.HasOptions() && len(q.Options) < 2:
		return true
	case q.Type.HasOptions() && len(q.Options) < p.usualOptions(d):
		return true
	case len(q.Options) > 0 && q.Options[len(q.Options)-1].Text == "":
		return true // "…C.述廉 D."
	case d.labelled && len(q.Answer) == 0:
		return true // "答案：" and nothing after it
	case len(q.Answer) == 0 && q.Type != Essay && p.mostAnswered(d):
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(d.tail)
	return strings.ContainsRune("，,、：:（(《“‘-—", last)
}

// usualOptions is how many options most other choice questions of d's
// section have, or 0 when there are too few to tell.
func (p *parser) usualOptions(d *draft) int {
	freq := map[int]int{}
	total := 0
	for _, o := range p.drafts {
		if o != d && o.sec == d.sec && len(o.opts) >= 2 {
			freq[len(o.opts)]++
			total++
		}
	}
	if total < 3 {
		return 0
	}
	best, n := 0, 0
	for k, v := range freq {
		if v > n || (v == n && k < best) {
			best, n = k, v
		}
	}
	if n*2 < total {
		return 0
	}
	return best
}

// mostAnswered reports whether most other questions carry their answer
// with them, so one without is more likely cut than unanswered.
func (p *parser) mostAnswered(d *draft) bool {
	with, total := 0, 0
	for _, o := range p.drafts {
		if o == d {
			continue
		}
		total++
		if o.labelled || len(o.answer) > 0 || o.keyAnswer != "" || reBracketLetters.MatchString(joinText(o.stem)) || reBracketJudge.MatchString(joinText(o.stem)) {
			with++
		}
	}
	return total >= 2 && with*2 > total
}

// optionWithText finds the option whose text is the answer given as text.
func optionWithText(opts []Option, s string) string {
	s = normalizeForKey(trimAnswer(s))
	for _, o := range opts {
		if s != "" && normalizeForKey(o.Text) == s {
			return o.Label
		}
	}
	return ""
}

func optionWithLabel(opts []Option, l string) int {
	return slices.IndexFunc(opts, func(o Option) bool { return o.Label == l })
}

func allIn(letters []string, opts []Option) bool {
	for _, l := range letters {
		if optionWithLabel(opts, l) < 0 {
			return false
		}
	}
	return len(letters) > 0
}

// labelRange is "A–D" for options A to D.
func labelRange(opts []Option) string {
	if len(opts) == 1 {
		return opts[0].Label
	}
	return opts[0].Label + "–" + opts[len(opts)-1].Label
}

func judgeLabel(a string) string {
	if a == True {
		return "正确"
	}
	return "错误"
}

// clip shortens text quoted in a warning.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 30 {
		return s
	}
	return string([]rune(s)[:30]) + "…"
}
