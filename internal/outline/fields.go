package outline

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	// pointsRe matches the points of an indicator: (10分), （2.5 分）.
	pointsRe = regexp.MustCompile(`[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]`)
	// trailingPointsRe matches points at the end of a title.
	trailingPointsRe = regexp.MustCompile(`\s*[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$`)
	// ruleRe marks a sentence that states how points are given or taken.
	ruleRe = regexp.MustCompile(`(?:扣|减|加|得|计|给)\s*\d+(?:\.\d+)?\s*分|不得分|不计分|一票否决|扣完为止`)
	// unitLabelRe matches the labels that name units; longer labels first
	// so 牵头单位 is not read as 牵头.
	unitLabelRe = regexp.MustCompile(`(牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|协办单位|协办部门|参与单位|牵头|配合|协办)\s*[:：]`)
	// deadlineLabelRe matches the label of a deadline.
	deadlineLabelRe = regexp.MustCompile(`(?:完成时限|完成时间|办结时限|时间节点|时限要求)\s*[:：]`)
	// deadlineRe matches a deadline stated in the text.
	deadlineRe = regexp.MustCompile(`(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日|底|末|中旬|上旬|下旬)?(?:前|之前)|\d{4}年(?:底|末)(?:前|之前)?|\d{4}年\d{1,2}月\d{1,2}日前|年底前`)
)

// fillNode sets a node's title, text and the fields its own text states.
func fillNode(n *Node, own []rune) {
	own = trimSpace(own)
	// Punctuation a number's writer put after the number's own delimiter.
	for len(own) > 0 && (own[0] == '、' || own[0] == '．' || own[0] == '.') {
		own = trimSpace(own[1:])
	}
	n.Text = string(own)
	n.Title = titleOf(own)
	if n.Kind != KindArticle && statuteStyle(n.Style) {
		// Statutes space out short headings: 第一编　总　　则.
		n.Title = closeHanSpaces(n.Title)
		n.Text = closeHanSpaces(n.Text)
	}
	s := n.Text
	// Most texts state none of the fields: a literal each pattern needs
	// spares running it.
	hasColon := strings.ContainsAny(s, ":：")
	scored := numberedScore(s)
	if scored {
		if m := pointsRe.FindStringSubmatch(s); m != nil {
			if v, err := strconv.ParseFloat(m[1], 64); err == nil {
				n.Points = &v
			}
		}
	}
	if scored || strings.Contains(s, "否决") || strings.Contains(s, "不得分") || strings.Contains(s, "不计分") {
		n.Rules = rulesOf(s)
	}
	if hasColon {
		n.LeadUnits, n.CoUnits, n.Units = unitsOf(s)
	}
	if hasColon || strings.Contains(s, "前") || strings.Contains(s, "年底") || strings.Contains(s, "年末") {
		n.Deadline = deadlineOf(s)
	}
}

// numberedScore reports whether s writes a number of points: a digit,
// maybe a space, then 分. It is the cheap test before the points and rule
// patterns, since 分 alone is common (充分, 部分).
func numberedScore(s string) bool {
	prevDigit := false
	for _, c := range s {
		switch {
		case c == '分' && prevDigit:
			return true
		case c >= '0' && c <= '9':
			prevDigit = true
		case c == ' ' && prevDigit:
		default:
			prevDigit = false
		}
	}
	return false
}

// titleOf returns the text up to the first 。 or line end, without a
// trailing colon or points mark.
func titleOf(own []rune) string {
	end := len(own)
	for i, c := range own {
		if c == '。' || c == '\n' {
			end = i
			break
		}
	}
	t := strings.TrimSpace(string(trimSpace(own[:end])))
	t = trailingPointsRe.ReplaceAllString(t, "")
	t = strings.TrimRight(t, "：:；;，,、 \u3000")
	return t
}

// splitSentences splits s at sentence ends (。！？；) and line ends.
func splitSentences(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool {
		return c == '。' || c == '！' || c == '？' || c == '；' || c == ';' || c == '\n'
	})
}

// rulesOf returns the sentences that state scoring rules, as written:
// "每少一次扣0.5分,累计不超过2分" is one rule, "…扣1分；…扣0.5分" two.
func rulesOf(s string) []string {
	var rules []string
	for _, sent := range splitSentences(s) {
		probe := pointsRe.ReplaceAllString(sent, "")
		if !ruleRe.MatchString(probe) {
			continue
		}
		sent = strings.TrimSpace(sent)
		// A rule wrapped whole in brackets: （每少一次扣0.5分）.
		if r := []rune(sent); len(r) > 2 && (r[0] == '（' || r[0] == '(') && (r[len(r)-1] == '）' || r[len(r)-1] == ')') {
			sent = string(r[1 : len(r)-1])
		}
		sent = strings.Trim(sent, "，, \u3000")
		if sent != "" {
			rules = append(rules, sent)
		}
	}
	return rules
}

// unitsOf reads the units after 牵头单位:, 配合单位:/协办单位: and
// 责任单位:, each list split on 、 and commas.
func unitsOf(s string) (lead, co, units []string) {
	locs := unitLabelRe.FindAllStringSubmatchIndex(s, -1)
	for i, m := range locs {
		end := len(s)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		names := splitUnits(valueUntil(s[m[1]:end]))
		switch label := s[m[2]:m[3]]; {
		case strings.HasPrefix(label, "牵头"):
			lead = appendNew(lead, names...)
		case strings.HasPrefix(label, "责任"):
			units = appendNew(units, names...)
		default:
			co = appendNew(co, names...)
		}
	}
	return lead, co, units
}

// valueUntil cuts a labelled value at the end of its sentence, or at a
// closing bracket it did not open: "（牵头单位：区司法局（区普法办））".
func valueUntil(s string) string {
	depth := 0
	for i, c := range s {
		switch c {
		case '。', '；', ';', '\n':
			return s[:i]
		case '（', '(':
			depth++
		case '）', ')':
			if depth == 0 {
				return s[:i]
			}
			depth--
		}
	}
	return s
}

// splitUnits splits a list of unit names.
func splitUnits(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(c rune) bool { return c == '、' || c == ',' || c == '，' }) {
		f = strings.TrimSpace(strings.Trim(f, " \u3000\t"))
		f = strings.TrimSuffix(f, "等")
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// appendNew appends the names not yet in list.
func appendNew(list []string, names ...string) []string {
	for _, n := range names {
		dup := false
		for _, x := range list {
			dup = dup || x == n
		}
		if !dup {
			list = append(list, n)
		}
	}
	return list
}

// deadlineOf returns the deadline as written: the value of a 完成时限:
// label, or else the first "2023年6月底前" phrase.
func deadlineOf(s string) string {
	if m := deadlineLabelRe.FindStringIndex(s); m != nil {
		v := valueUntil(s[m[1]:])
		if l := unitLabelRe.FindStringIndex(v); l != nil {
			v = v[:l[0]]
		}
		if i := strings.IndexAny(v, "，,"); i >= 0 {
			v = v[:i]
		}
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return deadlineRe.FindString(s)
}

// closeHanSpaces removes the spaces between two Chinese characters, which
// typesetting puts into short headings ("总　　则") and which are no part
// of the words.
func closeHanSpaces(s string) string {
	r := []rune(s)
	out := r[:0:0]
	for i := 0; i < len(r); i++ {
		if isSpace(r[i]) && len(out) > 0 && isHan(out[len(out)-1]) {
			j := i
			for j < len(r) && isSpace(r[j]) {
				j++
			}
			if j < len(r) && isHan(r[j]) {
				i = j - 1
				continue
			}
		}
		out = append(out, r[i])
	}
	return string(out)
}
