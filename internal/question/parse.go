package question

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxTextBytes bounds the text ParseText reads; a bank of 10,000 questions
// is about 2 MB. Text beyond it is ignored and a warning says so.
const MaxTextBytes = 16 << 20

// ParseText reads a question bank from text (UTF-8; decode other
// encodings first, see qfile). It never fails: what it cannot read becomes
// a warning, and a file with no questions yields an empty bank with a
// warning. Every question carries the section it belongs to; a file
// without headings has one section with an empty title.
func ParseText(text string) *Bank {
	truncated := false
	if len(text) > MaxTextBytes {
		text, truncated = text[:MaxTextBytes], true
	}
	p := newParser(splitLines(strings.ToValidUTF8(text, "\uFFFD")))
	p.run()
	b := p.finish()
	if truncated {
		b.Warnings = append([]Warning{{Message: "文本超过 16 MB，只读取了前 16 MB"}}, b.Warnings...)
	}
	return b
}

// field is the part of a question the next line continues.
type field uint8

const (
	fieldNone field = iota
	fieldStem
	fieldOptions
	fieldAnswer
	fieldAnalysis
)

// draft is a question as its lines are read, before its answer is
// interpreted: that needs its type, which may only be known from its
// options, its answer, or an answer key at the end of the file.
type draft struct {
	sec, n   int
	where    string // "第5行：", prefixing a spreadsheet row's warnings
	tag      Type   // "【多选题】" before the stem
	tagWord  string
	stem     []string
	opts     []Option
	answer   []string
	labelled bool // an answer label was seen, even with nothing after it
	analysis []string
	// keyAnswer is the answer from an answer key at the end of the
	// section or file; keyAnalysis is the analysis printed with it.
	keyAnswer   string
	keyAnalysis []string
	tail        string // the last text read into the question
}

// secInfo is what the parser keeps about a section beside Section.
type secInfo struct {
	generic bool     // "选择题": single or multiple
	style   numStyle // how its first question is numbered
	keyed   bool     // an answer key has given answers for it
	drafts  int
}

// missing is the numbers an answer key gives that no question has: the
// first few, and how many.
type missing struct {
	first []string
	count int
}

// keyState follows an answer key ("参考答案：1-5 ABCDA …").
type keyState struct {
	on   bool
	sec  int    // section the key's numbers refer to
	last int    // last number read in it
	next int    // section the next key block starts at
	d    *draft // question the last key entry went to
}

type parser struct {
	lines  []string // cleaned; "" for blank lines and chrome
	bank   *Bank
	secs   []secInfo
	drafts []*draft
	byNum  map[[2]int]*draft
	cur    *draft // the question lines go to; nil after a heading or a key
	last   *draft // the last question of the current section
	sec    int
	field  field
	inner  int // next number of a list inside an answer or analysis
	// awaitDecl is set after a heading that declared nothing, whose
	// "（每题1分，共40分）" may follow on the next line.
	awaitDecl bool
	pendTag   Type
	pendWord  string
	key       keyState
	keyAt     int // len(drafts) when the last answer key started, -1 if none
	// keyMissing counts, per section, key entries for questions not found.
	keyMissing map[int]missing
	warns      []Warning
	table      bool // rows from a spreadsheet: no cut-off questions
}

func newParser(raw []string) *parser {
	p := &parser{bank: &Bank{}, byNum: map[[2]int]*draft{}, sec: -1, keyAt: -1, keyMissing: map[int]missing{}}
	p.lines = make([]string, len(raw))
	count := map[string]int{}
	for i, l := range raw {
		l = cleanLine(l)
		if strings.Contains(l, "的答案") || strings.Contains(l, "考生答案") || strings.Contains(l, "得分") {
			// Exports of online exams carry the examinee's answer and
			// score beside the key: "正确答案：B 您的答案：C 得分：0".
			l = strings.TrimSpace(reExamNoise.ReplaceAllString(l, ""))
		}
		if isChrome(l) {
			l = ""
		}
		p.lines[i] = l
		if l != "" && utf8.RuneCountInString(l) <= 40 {
			count[l]++
		}
	}
	// A short line repeated on every page is a running header or footer
	// (the document's title, the site's name). Questions, options, answers
	// and headings repeat legitimately and are kept.
	for i, l := range p.lines {
		if l != "" && count[l] >= 3 && !structural(l) {
			p.lines[i] = ""
		}
	}
	return p
}

// structural reports a line that means something to the parser.
func structural(l string) bool {
	if _, _, _, ok := questionNumber(l); ok {
		return true
	}
	if optionStart(l) || reLabel.MatchString(l) || reLeadAnswer.MatchString(l) || reLeadAnalysis.MatchString(l) {
		return true
	}
	if _, ok := parseHeading(l); ok {
		return true
	}
	if _, ok, _ := keyPairs(l); ok {
		return true
	}
	_, ok := parseJudgement(l)
	return ok
}

func (p *parser) run() {
	for i, line := range p.lines {
		if line == "" {
			continue
		}
		if p.key.on {
			if p.keyLine(i, line) {
				continue
			}
			p.key.on = false
			p.key.next = p.key.sec + 1
		}
		p.line(i, line)
	}
}

// reExamNoise is what an online exam's export adds to each question.
var reExamNoise = regexp.MustCompile(`(?:您的|你的|我的|考生|用户)答案\s*[:：]?\s*[A-H√×对错]*|(?:本题)?得分\s*[:：]?\s*[\d.]+\s*分?|(?:回答|答题)(?:正确|错误)`)

// reTag is a type tag before a question: "【单选题】", "[多选]", "（判断题）".
var reTag = regexp.MustCompile(`^[【\[（(]\s*(单项选择|多项选择|不定项选择|单选|多选|判断|是非|填空|简答|问答|论述|案例分析)题?\s*[】\]）)]\s*`)

// stripTag removes a type tag from the start of s.
func stripTag(s string) (Type, string, string) {
	m := reTag.FindStringSubmatchIndex(s)
	if m == nil {
		return "", "", s
	}
	t, _ := typeFromWords(s[m[2]:m[3]])
	return t, s[m[2]:m[3]], s[m[1]:]
}

func (p *parser) line(i int, line string) {
	tag, word, rest := stripTag(line)
	if tag != "" && rest == "" && !p.nextIsFirstQuestion(i) {
		p.pendTag, p.pendWord = tag, word // the tag sits on its own line
		return
	}
	if tag == "" || rest == "" {
		if p.startKey(i, line) {
			return
		}
		if h, ok := parseHeading(line); ok && p.acceptHeading(i, h) {
			p.startSection(h)
			return
		}
		if p.awaitDecl && reDeclLine.MatchString(line) {
			var h heading
			h.parseDecl(line)
			if h.declared {
				s := &p.bank.Sections[p.sec]
				s.DeclaredCount, s.DeclaredPoints, s.PointsEach = h.count, h.points(), h.each
				p.awaitDecl = false
				return
			}
		}
	}
	if n, style, body, ok := questionNumber(rest); ok && p.isNewQuestion(i, n, style, body) {
		p.startQuestion(n, style)
		if tag == "" {
			tag, word = p.pendTag, p.pendWord
		}
		if t2, w2, b2 := stripTag(body); t2 != "" {
			tag, word, body = t2, w2, b2
		}
		p.cur.tag, p.cur.tagWord = tag, word
		p.pendTag, p.pendWord = "", ""
		p.body(body)
		return
	}
	p.body(line)
}

// acceptHeading decides whether a line that reads like a heading is one.
// One that names a kind of question ("…题") or declares a count or points
// is; any other ("一、宪法部分", but also "一、坚持党的领导" in a reference
// answer) only if a question numbered 1 follows it.
func (p *parser) acceptHeading(i int, h heading) bool {
	if reKeyLabel.MatchString(h.title) {
		return false
	}
	if h.declared || strings.HasSuffix(h.title, "题") || strings.HasSuffix(h.title, "题部分") || strings.HasSuffix(h.title, "题型") {
		return true
	}
	return p.nextIsFirstQuestion(i)
}

// nextContent returns the index of the next non-empty line after i, or -1.
func (p *parser) nextContent(i int) int {
	for j := i + 1; j < len(p.lines); j++ {
		if p.lines[j] != "" {
			return j
		}
	}
	return -1
}

// nextIsFirstQuestion reports whether the next content line after i, or
// the one after a declaration line, is question number 1.
func (p *parser) nextIsFirstQuestion(i int) bool {
	j := p.nextContent(i)
	if j >= 0 && reDeclLine.MatchString(p.lines[j]) {
		j = p.nextContent(j)
	}
	if j < 0 {
		return false
	}
	_, _, rest := stripTag(p.lines[j])
	n, _, _, ok := questionNumber(rest)
	return ok && n == 1
}

func (p *parser) startSection(h heading) {
	p.bank.Sections = append(p.bank.Sections, Section{
		Title: h.title, DeclaredCount: h.count, DeclaredPoints: h.points(), Type: h.t, PointsEach: h.each,
	})
	p.secs = append(p.secs, secInfo{generic: h.generic})
	p.sec = len(p.bank.Sections) - 1
	p.cur, p.last, p.field = nil, nil, fieldNone
	p.awaitDecl = !h.declared
}

// isNewQuestion decides whether a numbered line starts a question or
// continues the current one (a sub-item "（1）" in a stem, a numbered point
// of a reference answer).
func (p *parser) isNewQuestion(i, n int, style numStyle, body string) bool {
	if p.cur == nil || p.cur.sec != p.sec {
		return style != styleBare || n == 1
	}
	last := p.cur.n
	if style.group() != p.secs[p.sec].style.group() {
		return false
	}
	essayish := len(p.cur.opts) == 0
	if p.field == fieldAnalysis || (p.field == fieldAnswer && essayish) {
		if n == p.inner {
			if (n == last+1 || n == 1) && p.questionAhead(i, body) {
				return true
			}
			p.inner++
			return false
		}
	}
	if n == last+1 {
		return true
	}
	if style == styleBare {
		return false
	}
	closed := len(p.cur.opts) > 0 || p.cur.labelled || p.cur.keyAnswer != ""
	if (n > last && n-last <= 20) || n == 1 {
		return closed || p.questionAhead(i, body)
	}
	return false
}

// questionAhead reports whether the numbered line at i, whose text after
// the number is body, looks like a question: it has a blank, a bracketed
// answer, options or a question mark, or options or an answer follow it.
func (p *parser) questionAhead(i int, body string) bool {
	if reBlank.MatchString(body) || reBracketLetters.MatchString(body) || reBracketJudge.MatchString(body) || looksEssay(body) {
		return true
	}
	if _, opts := splitOptions(body, false); len(opts) >= 2 {
		return true
	}
	j := p.nextContent(i)
	if j < 0 {
		return false
	}
	next := p.lines[j]
	return optionStart(next) || reLeadAnswer.MatchString(next) || strings.Index(next, "答案") == 0 || strings.HasPrefix(next, "【答案】")
}

func (p *parser) startQuestion(n int, style numStyle) {
	switch {
	case p.sec < 0:
		p.startSection(heading{})
	case p.last != nil:
		last := p.last.n
		switch {
		case n <= last && n == 1:
			// Numbering restarts without a heading: a new part.
			p.startSection(heading{})
		case n > last+1:
			p.warn(p.sec, n, "题号不连续：第%d题之后是第%d题", last, n)
		case n <= last:
			p.warn(p.sec, n, "题号重复或倒退：第%d题之后又是第%d题", last, n)
		}
	}
	p.awaitDecl = false
	if p.secs[p.sec].style == 0 {
		p.secs[p.sec].style = style
	}
	d := &draft{sec: p.sec, n: n}
	p.addDraft(d)
	p.cur, p.last, p.field, p.inner = d, d, fieldStem, 1
}

func (p *parser) addDraft(d *draft) {
	p.drafts = append(p.drafts, d)
	p.secs[d.sec].drafts++
	k := [2]int{d.sec, d.n}
	if _, dup := p.byNum[k]; !dup {
		p.byNum[k] = d
	}
}

// body reads a line, or the rest of one after its number, into the
// current question.
func (p *parser) body(text string) {
	if p.cur == nil || text == "" {
		return // a title, instructions under a heading, a preface
	}
	d := p.cur
	for _, seg := range splitLabels(text) {
		switch seg.kind {
		case segBody:
			p.bodyText(seg.text)
		case segAnswer:
			if p.field == fieldAnalysis && d.labelled {
				// "…故本题答案：C" inside an analysis.
				d.analysis = append(d.analysis, "答案："+seg.text)
				continue
			}
			d.labelled = true
			p.field, p.inner = fieldAnswer, 1
			if seg.text != "" {
				d.answer = append(d.answer, seg.text)
			}
		case segAnalysis:
			p.field, p.inner = fieldAnalysis, 1
			if seg.text != "" {
				d.analysis = append(d.analysis, seg.text)
			}
		}
		if seg.text != "" {
			d.tail = seg.text
		}
	}
}

func (p *parser) bodyText(t string) {
	if t == "" {
		return
	}
	d := p.cur
	switch p.field {
	case fieldStem, fieldOptions:
		if p.field == fieldStem && len(d.stem) > 0 && unclosed(d.stem[len(d.stem)-1]) {
			// "…是（" broken by a page break before "A）。": the bracket
			// holds the answer, not an option.
			d.stem[len(d.stem)-1] += t
			return
		}
		if optionStart(t) {
			// "1.（A）我国的…": a stem starting with its bracketed answer is
			// not an option; options come at least two to a first line.
			if _, opts := splitOptions(t, true); len(opts) > 1 || (len(opts) == 1 && (len(d.stem) > 0 || len(d.opts) > 0)) {
				d.opts = append(d.opts, opts...)
				p.field = fieldOptions
				return
			}
		}
		if p.field == fieldStem {
			if prefix, opts := splitOptions(t, false); len(opts) >= 2 {
				if prefix != "" {
					d.stem = append(d.stem, prefix)
				}
				d.opts = append(d.opts, opts...)
				p.field = fieldOptions
				return
			}
			d.stem = append(d.stem, t)
			return
		}
		if len(d.opts) > 0 {
			o := &d.opts[len(d.opts)-1]
			o.Text = joinText([]string{o.Text, t})
		}
	case fieldAnswer:
		if len(d.opts) == 0 && optionStart(t) {
			// "答案：A" printed before the options.
			if _, ok := parseLetters(joinText(d.answer)); ok {
				if _, opts := splitOptions(t, true); len(opts) > 0 {
					d.opts = append(d.opts, opts...)
					p.field = fieldOptions
					return
				}
			}
		}
		d.answer = append(d.answer, t)
	case fieldAnalysis:
		d.analysis = append(d.analysis, t)
	}
}

// reKeyLabel is the heading of an answer key: "参考答案", "【参考答案】",
// "附：答案", "答案及解析："; group 1 is what follows on the line.
var reKeyLabel = regexp.MustCompile(`^[【\[]?\s*(?:附\s*[:：]?\s*)?(?:[一二三四五六七八九十]+\s*[、.．]\s*)?(?:参考答案|标准答案|试题答案|答案)(?:及解析|与解析|和解析|及评分标准)?\s*[】\]]?\s*[:：]?\s*(.*)$`)

// startKey enters an answer key: a label line followed by key lines, or a
// line that is nothing but key ("1-5 ABCDA 6-10 BCDAB").
func (p *parser) startKey(i int, line string) bool {
	if len(p.drafts) == 0 {
		return false
	}
	if m := reKeyLabel.FindStringSubmatch(line); m != nil {
		rest := strings.TrimSpace(m[1])
		if rest == "" {
			if !p.keyAhead(i) {
				return false
			}
			p.enterKey()
			return true
		}
		if pairs, ok, strong := keyPairs(rest); ok && strong {
			p.enterKey()
			p.applyPairs(pairs)
			return true
		}
		return false
	}
	if pairs, ok, strong := keyPairs(line); ok && strong {
		p.enterKey()
		p.applyPairs(pairs)
		return true
	}
	return false
}

// keyAhead reports whether key lines follow line i, possibly under a
// heading naming a section already read.
func (p *parser) keyAhead(i int) bool {
	j := p.nextContent(i)
	if j < 0 {
		return false
	}
	if _, ok, _ := keyPairs(p.lines[j]); ok {
		return true
	}
	if h, ok := parseHeading(p.lines[j]); ok {
		if k := p.nextContent(j); k >= 0 {
			if _, ok, _ := keyPairs(p.lines[k]); ok {
				return true
			}
		}
		return p.sectionByTitle(h.title) >= 0
	}
	return false
}

func (p *parser) enterKey() {
	sec := min(p.key.next, len(p.secs)-1)
	p.key = keyState{on: true, sec: sec, next: p.key.next}
	p.keyAt = len(p.drafts)
	p.cur, p.field = nil, fieldNone
}

// keyLine reads a line inside an answer key; false ends the key.
func (p *parser) keyLine(i int, line string) bool {
	if h, ok := parseHeading(line); ok {
		idx := p.sectionByTitle(h.title)
		if idx < 0 && h.t != "" {
			if j := p.nextContent(i); j >= 0 {
				if _, ok, _ := keyPairs(p.lines[j]); ok {
					idx = p.sectionByType(h.t)
				}
			}
		}
		if idx < 0 {
			return false
		}
		p.key.sec, p.key.last, p.key.d = idx, 0, nil
		return true
	}
	if pairs, ok, _ := keyPairs(line); ok {
		p.applyPairs(pairs)
		return true
	}
	if n, _, body, ok := questionNumber(line); ok {
		sec := p.key.sec
		if p.key.last > 0 && n <= p.key.last && sec+1 < len(p.secs) {
			sec++
		}
		d := p.byNum[[2]int{sec, n}]
		if d == nil || len(d.opts) > 0 || body == "" {
			return false
		}
		// "3. 宪法；法律": a fill-in or essay answer.
		p.key.sec, p.key.last, p.key.d = sec, n, d
		p.secs[sec].keyed = true
		d.keyAnswer = ""
		p.keyText(d, body)
		return true
	}
	if d := p.key.d; d != nil {
		p.keyText(d, line)
	}
	return true // a note inside the key ("多选题少选不得分")
}

// keyText adds a line of an answer key to question d: its answer text, or
// its analysis after a label.
func (p *parser) keyText(d *draft, text string) {
	for _, seg := range splitLabels(text) {
		switch {
		case seg.text == "":
		case seg.kind == segAnalysis:
			d.keyAnalysis = append(d.keyAnalysis, seg.text)
		case len(d.keyAnalysis) > 0:
			d.keyAnalysis = append(d.keyAnalysis, seg.text)
		case len(d.opts) == 0:
			d.keyAnswer = joinText([]string{d.keyAnswer, seg.text})
		}
	}
}

func (p *parser) applyPairs(pairs []keyPair) {
	for _, kp := range pairs {
		if p.key.last > 0 && kp.n <= p.key.last && p.key.sec+1 < len(p.secs) {
			p.key.sec++ // the key's numbering restarts with the next part
		}
		p.key.last = kp.n
		d := p.byNum[[2]int{p.key.sec, kp.n}]
		if d == nil {
			m := p.keyMissing[p.key.sec]
			if len(m.first) < 10 {
				m.first = append(m.first, strconv.Itoa(kp.n))
			}
			m.count++
			p.keyMissing[p.key.sec] = m
			p.key.d = nil
			continue
		}
		p.secs[p.key.sec].keyed = true
		d.keyAnswer = kp.ans
		p.key.d = d
	}
}

// sectionByTitle finds a section read before, not yet given a key, whose
// title is title.
func (p *parser) sectionByTitle(title string) int {
	for i, s := range p.bank.Sections {
		if s.Title == title && title != "" && !p.secs[i].keyed && p.secs[i].drafts > 0 {
			return i
		}
	}
	return -1
}

// sectionByType finds the first section not yet given a key of type t.
func (p *parser) sectionByType(t Type) int {
	for i, s := range p.bank.Sections {
		if s.Type == t && !p.secs[i].keyed && p.secs[i].drafts > 0 {
			return i
		}
	}
	return -1
}

// unclosed reports a line that opens a bracket it does not close.
func unclosed(s string) bool {
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '（':
			depth++
		case ')', '）':
			depth--
		}
	}
	return depth > 0
}
