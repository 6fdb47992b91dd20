package schemefile

import (
	"regexp"
	"strings"

	"pufa/internal/assess"
)

// ruleLikeRe marks a sentence that states how points are given or taken,
// as the outline engine marks them: a spreadsheet's 评分标准 cell is read
// with the same eye as a rubric document.
var ruleLikeRe = regexp.MustCompile(`(?:扣|减|加|得|计|给)\s*` + numPat + `\s*分|不得分|不计分|一票否决|扣完为止|得满分`)

// bonusRe finds points given per occurrence of a bonus: 加1分.
var bonusRe = regexp.MustCompile(`加\s*` + numPat + `\s*分`)

// inference is what inferRule made of the rule sentences of an indicator.
type inference struct {
	kind, params string // the rule in canonical form; empty when none was read
	// stated is true when the sentences state a rule at all, read or not.
	stated bool
	// unused are sentences that state something the rule read does not
	// hold ("未建立清单的不得分" beside a deduction): an indicator has one
	// rule, and the user must decide.
	unused []string
	// problem says why no rule was read, for a warning.
	problem string
}

// ruleSentences returns the sentences of a free text (a 评分标准 cell)
// that state scoring rules.
func ruleSentences(text string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(text, func(r rune) bool {
		return r == '。' || r == '；' || r == ';' || r == '\n' || r == '！' || r == '？'
	}) {
		if s = strings.Trim(s, " \u3000\t，,"); s != "" && ruleLikeRe.MatchString(s) {
			out = append(out, s)
		}
	}
	return out
}

// inferRule reads one rule from the rule sentences of a rubric, or says
// why it cannot. It reads only what the text states: a deduction (扣…分),
// tiers (…得3分，…不得分), a bonus or penalty item with its cap, a veto, or
// a lone "未…不得分" as 是否. hasPoints tells an item that carries points
// from one outside the base total, which decides whether "减1分" is a
// deduction or a penalty item. Nothing is made up: a text that fits no
// rule gives a problem, never a default.
func inferRule(sents []string, max float64, hasPoints bool) inference {
	if len(sents) == 0 {
		return inference{}
	}
	inf := inference{stated: true}
	read := func(kind, params string, used func(string) bool) inference {
		r, err := ParseRule(kind, params, max)
		if err != nil {
			inf.problem = messageOf(err)
			return inf
		}
		inf.kind, inf.params = FormatRule(r, max)
		for _, s := range sents {
			if !used(s) {
				inf.unused = append(inf.unused, s)
			}
		}
		return inf
	}

	for _, s := range sents {
		if strings.Contains(s, "否决") {
			if hasPoints {
				inf.problem = "写明了分值，又写了一票否决；一票否决项不计分值，请拆分为两个指标"
				return inf
			}
			return read("一票否决", vetoParams(s), func(x string) bool { return strings.Contains(x, "否决") })
		}
	}
	// A deduction, bonus or penalty is read from the first sentence that
	// states one; the clauses of it stating another rule, and the other
	// sentences, are reported as unused.
	readClauses := func(kind, s string) inference {
		kept, left := splitClauses(s)
		res := read(kind, kept, func(x string) bool { return x == s })
		if res.kind != "" {
			res.unused = append(left, res.unused...)
		}
		return res
	}
	for _, s := range sents {
		if perRe.MatchString(s) && !bonusRe.MatchString(s) {
			if hasPoints {
				return readClauses("扣分", s)
			}
			return readClauses("减分", s)
		}
	}
	for _, s := range sents {
		if bonusRe.MatchString(s) {
			if hasPoints {
				inf.problem = "写明了分值，又写了加分；加分项不计入基本分，请拆分为两个指标"
				return inf
			}
			return readClauses("加分", s)
		}
	}
	joined := strings.Join(sents, "；")
	if levels, ok := tiers(joined, max); ok {
		switch {
		case len(levels) >= 2:
			return read("分档", joined, func(string) bool { return true })
		case levels[0].Points == 0 || levels[0].Points == max:
			// "未制定的不得分" alone: the item is worth its points or none.
			return read("是否", "", func(string) bool { return true })
		}
	}
	inf.problem = "未能从“" + joined + "”读出计分方式"
	return inf
}

// vetoParams returns the params of a veto sentence: the stage whose
// majority decides, when the sentence names one, else the office.
func vetoParams(s string) string {
	if !strings.Contains(s, "过半数") {
		return ""
	}
	for _, k := range assess.StageKinds {
		for _, name := range []string{k.Label(), stageName(k)} {
			if strings.Contains(s, name+"过半数") {
				return name + "过半数"
			}
		}
	}
	return "评议过半数"
}
