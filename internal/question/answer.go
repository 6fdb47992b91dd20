package question

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// judgement words: what banks write for "correct" and "wrong".
var (
	trueWords  = []string{"√", "✓", "✔", "☑", "对", "正确", "是", "T", "TRUE", "True", "true", "Y", "R"}
	falseWords = []string{"×", "✗", "✘", "╳", "X", "x", "错", "错误", "否", "不正确", "不对", "F", "FALSE", "False", "false", "N"}
)

// parseJudgement reads a whole true/false answer: "√", "（×）", "正确", "错误。".
func parseJudgement(s string) (string, bool) {
	s = trimAnswer(s)
	if slices.Contains(trueWords, s) {
		return True, true
	}
	if slices.Contains(falseWords, s) {
		return False, true
	}
	return "", false
}

// leadingJudgement reads a judgement at the start of s ("√ 宪法是…", "错误，
// 因为…") and returns what follows it, for the analysis.
func leadingJudgement(s string) (ans, rest string, ok bool) {
	s = strings.TrimSpace(s)
	if a, ok := parseJudgement(s); ok {
		return a, "", true
	}
	for _, w := range []string{"不正确", "不对", "正确", "错误", "√", "✓", "✔", "×", "✗", "✘", "对", "错"} {
		if strings.HasPrefix(s, w) {
			rest := strings.TrimLeft(s[len(w):], " 。．.,，;；")
			if r, _ := utf8.DecodeRuneInString(s[len(w):]); w == "对" || w == "错" {
				// "对于…" and "错过…" are words, not answers.
				if unicode.Is(unicode.Han, r) {
					return "", "", false
				}
			}
			a, _ := parseJudgement(w)
			return a, rest, true
		}
	}
	return "", "", false
}

// trimAnswer removes white space, brackets and final punctuation around
// an answer: "（ B ）。" is "B".
func trimAnswer(s string) string {
	return strings.Trim(s, " \t（）()【】[]。．.,，;；:：")
}

// parseLetters reads a whole choice answer: "AB", "A、B", "A,B", "a b".
func parseLetters(s string) ([]string, bool) {
	s = trimAnswer(s)
	var out []string
	lower := false
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'H':
		case r >= 'a' && r <= 'h':
			r -= 'a' - 'A'
			lower = true
		case r == ' ' || r == '、' || r == ',' || r == '，' || r == '和' || r == '/':
			continue
		default:
			return nil, false
		}
		if l := string(r); !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	if len(out) == 0 || (lower && len(out) > 4) {
		return nil, false
	}
	slices.Sort(out)
	return out, true
}

// leadingLetters reads a choice answer at the start of s ("C 本题考查…",
// "AB。根据…") and returns what follows, for the analysis.
func leadingLetters(s string) (letters []string, rest string, ok bool) {
	s = strings.TrimSpace(s)
	if l, ok := parseLetters(s); ok {
		return l, "", true
	}
	end := 0
	for i, r := range s {
		if (r >= 'A' && r <= 'H') || r == '、' || r == ',' || r == '，' || r == ' ' {
			end = i + utf8.RuneLen(r)
			continue
		}
		break
	}
	if end == 0 {
		return nil, "", false
	}
	next, _ := utf8.DecodeRuneInString(s[end:])
	if next < utf8.RuneSelf && (unicode.IsLetter(next) || unicode.IsDigit(next)) {
		return nil, "", false
	}
	// "A项正确" names an option; it is not an answer followed by text.
	if strings.HasPrefix(s[end:], "项") || strings.HasPrefix(s[end:], "选项") {
		return nil, "", false
	}
	l, ok := parseLetters(s[:end])
	if !ok {
		return nil, "", false
	}
	return l, strings.TrimLeft(s[end:], " 。．.,，;；"), true
}

// splitFill splits a fill-in answer into one answer per blank. With one
// blank (or none counted) the whole text is one answer unless it is
// separated by semicolons; with several it tries semicolons, then 、 and
// commas, then spaces, and takes the first split that matches the count.
func splitFill(s string, blanks int) []string {
	s = strings.Trim(strings.TrimSpace(s), "。．")
	if s == "" {
		return nil
	}
	semis := splitOn(s, "；;")
	if blanks <= 1 {
		if blanks == 0 && len(semis) > 1 {
			return semis
		}
		return []string{s}
	}
	tries := [][]string{semis, splitOn(s, "；;、"), splitOn(s, "；;、,，"), splitOn(s, "；;、,， ")}
	for _, t := range tries {
		if len(t) == blanks {
			return t
		}
	}
	return semis
}

// splitOn splits s at any of seps and drops empty parts.
func splitOn(s, seps string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Answers inside the stem's brackets.
var (
	reBracketLetters = regexp.MustCompile(`([（(])[ ]*([A-H](?:[ 、,，]*[A-H]){0,7})[ ]*([）)])`)
	reBracketJudge   = regexp.MustCompile(`([（(])[ ]*(√|×|✓|✗|✔|✘|╳|对|错|正确|错误)[ ]*([）)])`)
	reTrailingJudge  = regexp.MustCompile(`[ ]*([√×✓✗✔✘])[ 。.]*$`)
	reBracketText    = regexp.MustCompile(`([（(])([^（()）]{1,30})([）)])`)
)

// takeBracket removes the last bracket match of re from stem, leaving an
// empty "（ ）", and returns what it held.
func takeBracket(stem string, re *regexp.Regexp) (newStem, inside string, ok bool) {
	all := re.FindAllStringSubmatchIndex(stem, -1)
	if len(all) == 0 {
		return stem, "", false
	}
	m := all[len(all)-1]
	open, close := stem[m[2]:m[3]], stem[m[6]:m[7]]
	return stem[:m[0]] + open + " " + close + stem[m[1]:], stem[m[4]:m[5]], true
}

// Verdicts in analyses: the phrases that say which answer is right.
var (
	letterRun   = `([A-H](?:[ 、,，和]*[A-H]){0,7})`
	reVerdicts  = regexp.MustCompile(`(?:(?:故|所以|因此|因而|综上所述|综上|则)[ ，,]*(?:本题|此题|该题)?[ ]*(?:应当|应该|应)?[ ]*(?:选|选择)|(?:本题|此题|该题)[ ]*(?:应当|应该|应)?[ ]*(?:选|选择)|(?:应当|应该|应)[ ]*(?:选|选择)|(?:正确|参考|标准)?答案[ ]*(?:为|是|应为|应是|选)[ ]*[:：]?|正确(?:的)?(?:选项|答案|项)[ ]*(?:为|是|应为)[ ]*[:：]?)[ ]*` + letterRun)
	reVerdictOn = regexp.MustCompile(`([A-H](?:[ 、,，和]*[A-H]){0,7})[ ]*(?:项|选项)?[ ]*(?:当选|为正确答案|是正确答案|为正确选项|是正确选项)`)
	subjects    = `(?:说法|表述|题干|命题|观点|叙述|陈述|本题|此题|该题|这种说法|此说法|该说法)`
	reJudgeNeg  = regexp.MustCompile(subjects + `[ ]*(?:是|为|明显|显然)?[ ]*(?:错误|错的|不正确|不对|有误)|(?:答案|判断)[ ]*(?:为|是|应为)?[ ]*[:：]?[ ]*(?:×|✗|错误|错)|故[ ]*(?:本题)?[ ]*(?:错误|错|×)`)
	reJudgePos  = regexp.MustCompile(subjects + `[ ]*(?:是|为)?[ ]*(?:正确|对的)|(?:答案|判断)[ ]*(?:为|是|应为)?[ ]*[:：]?[ ]*(?:√|✓|正确|对)|故[ ]*(?:本题)?[ ]*(?:正确|对|√)`)
)

// choiceVerdict finds the last "故选C", "答案为C", "本题选C", "C项当选" in an
// analysis and returns its letters and the phrase, or ok false.
func choiceVerdict(analysis string) (letters []string, phrase string, ok bool) {
	if !strings.Contains(analysis, "选") && !strings.Contains(analysis, "答案") {
		return nil, "", false
	}
	best := -1
	for _, re := range []*regexp.Regexp{reVerdicts, reVerdictOn} {
		for _, m := range re.FindAllStringSubmatchIndex(analysis, -1) {
			end := m[1]
			if next, _ := utf8.DecodeRuneInString(analysis[end:]); next < utf8.RuneSelf && unicode.IsLetter(next) {
				continue // "选ABC公司" is not a verdict
			}
			if negated(analysis[:m[0]]) {
				continue
			}
			l, lok := parseLetters(analysis[m[2]:m[3]])
			if lok && m[0] >= best {
				best, letters, phrase, ok = m[0], l, analysis[m[0]:m[1]], true
			}
		}
	}
	return letters, phrase, ok
}

// negated reports a verdict introduced by "不", "不能", "排除", as in "故不选C".
func negated(before string) bool {
	tail := before
	if n := utf8.RuneCountInString(tail); n > 3 {
		r := []rune(tail)
		tail = string(r[n-3:])
	}
	return strings.Contains(tail, "不") || strings.Contains(tail, "排除") || strings.Contains(tail, "勿") || strings.Contains(tail, "非")
}

// judgeVerdict finds the last phrase in an analysis that calls the
// statement right or wrong.
func judgeVerdict(analysis string) (ans, phrase string, ok bool) {
	best := -1
	for _, c := range []struct {
		re  *regexp.Regexp
		ans string
	}{{reJudgeNeg, False}, {reJudgePos, True}} {
		for _, m := range c.re.FindAllStringIndex(analysis, -1) {
			after := analysis[m[1]:]
			// "本题正确答案为×" is about the answer, not a verdict of 正确.
			if c.ans == True && (strings.HasPrefix(after, "答案") || strings.HasPrefix(after, "选项") || strings.HasPrefix(after, "与否")) {
				continue
			}
			if m[0] > best {
				best, ans, phrase, ok = m[0], c.ans, analysis[m[0]:m[1]], true
			}
		}
	}
	return ans, phrase, ok
}

// keyPair is one entry of an answer key: question n's answer.
type keyPair struct {
	n   int
	ans string
}

// keyPairs reads an answer-key line: "1.A 2.C 3.BD", "1-5 ABCDA 6-10 …",
// "1～5：√×√√×", "11、对". ok is false unless the whole line is key;
// strong is true for two or more pairs or a range, which no question
// line looks like.
func keyPairs(s string) (pairs []keyPair, ok, strong bool) {
	i := 0
	skip := func(set string) {
		for i < len(s) {
			r, w := utf8.DecodeRuneInString(s[i:])
			if !strings.ContainsRune(set, r) {
				return
			}
			i += w
		}
	}
	num := func() int {
		j := i
		for j < len(s) && j-i < 5 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i || j-i > 4 {
			return 0
		}
		n := 0
		for _, c := range s[i:j] {
			n = n*10 + int(c-'0')
		}
		i = j
		return n
	}
	// token reads one answer: a run of letters, or one judgement.
	token := func(maxLetters int) string {
		j := i
		for j < len(s) && j-i < maxLetters && s[j] >= 'A' && s[j] <= 'H' {
			j++
		}
		if j > i {
			if j < len(s) && ((s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= 'a' && s[j] <= 'z')) {
				return ""
			}
			t := s[i:j]
			i = j
			return t
		}
		for _, w := range []string{"正确", "错误", "√", "×", "✓", "✗", "✔", "✘", "对", "错"} {
			if strings.HasPrefix(s[i:], w) {
				i += len(w)
				return w
			}
		}
		return ""
	}
	for {
		skip(" ，,；;、。")
		if i >= len(s) {
			break
		}
		n := num()
		if n == 0 {
			return nil, false, false
		}
		skip(" ")
		m := 0
		if i < len(s) {
			if r, w := utf8.DecodeRuneInString(s[i:]); strings.ContainsRune("-~～—－–至到", r) {
				i += w
				skip("-~～—－– ")
				if m = num(); m < n || m-n > 99 {
					return nil, false, false
				}
				skip(" ")
			}
		}
		if i < len(s) {
			if r, w := utf8.DecodeRuneInString(s[i:]); strings.ContainsRune(".．、:：)）", r) {
				i += w
			}
		}
		skip(" ")
		if m == 0 {
			t := token(8)
			if t == "" {
				return nil, false, false
			}
			pairs = append(pairs, keyPair{n, t})
			continue
		}
		var toks []string
		for {
			skip(" ，,、")
			t := token(100)
			if t == "" {
				break
			}
			toks = append(toks, t)
		}
		want := m - n + 1
		if len(toks) != want {
			// "ABCDA" for 1-5: one letter each.
			joined := strings.Join(toks, "")
			if utf8.RuneCountInString(joined) != want || !isSingles(toks) {
				return nil, false, false
			}
			toks = toks[:0]
			for _, r := range joined {
				toks = append(toks, string(r))
			}
		}
		for k, t := range toks {
			pairs = append(pairs, keyPair{n + k, t})
		}
		strong = true
	}
	if len(pairs) == 0 {
		return nil, false, false
	}
	return pairs, true, strong || len(pairs) >= 2
}

// isSingles reports tokens that are letter runs or one-rune judgements, so
// their runes can be dealt out one per question.
func isSingles(toks []string) bool {
	for _, t := range toks {
		if t == "正确" || t == "错误" {
			return false
		}
	}
	return true
}

// essayWords mark a question to answer in prose.
var essayWords = []string{"简述", "论述", "试述", "阐述", "谈谈", "说明理由", "为什么", "如何", "怎样", "什么是", "请分析", "试分析", "请结合", "结合材料", "简要回答"}

// looksEssay reports a stem that asks for prose.
func looksEssay(stem string) bool {
	if containsAny(stem, essayWords...) {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(stem))
	return last == '？' || last == '?'
}
