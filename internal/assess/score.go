package assess

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"pufa/internal/app"
)

// Sheet is one rater's score sheet for one subject: an entry per leaf
// indicator, keyed by code, and the indicators that do not apply to the
// subject. Marking a parent not applicable marks its whole subtree.
//
// Every applicable direct, yes/no and tiered leaf needs an entry; a missing
// deduction entry means no occurrence, a missing bonus or penalty entry
// means zero, a missing veto entry means passed.
type Sheet struct {
	Values        map[string]Input
	NotApplicable map[string]bool
}

// Result is one sheet scored.
type Result struct {
	// Scores holds every applicable indicator's score by code, parents
	// included; bonus items are positive and penalty items negative. Veto
	// items and indicators not applicable are absent.
	Scores map[string]float64
	// Base is the sum of the applicable indicators' scores, out of
	// ApplicableMax.
	Base          float64
	ApplicableMax float64
	// Normalized is Base scaled to the scheme's full marks when some
	// indicators do not apply (50 applicable points scored 45 → 90 of 100);
	// it equals Base when all apply.
	Normalized float64
	// Bonus is the net of the bonus and penalty items, each clamped to its
	// cap and the net to the scheme's BonusCap. It is added after
	// normalization and never scaled.
	Bonus float64
	// Total is Normalized + Bonus, within 0 and full marks plus the bonus
	// cap.
	Total float64
	// Vetoed lists the veto items this rater marked failed, in tree order.
	// Whether the subject is vetoed is decided when the stage's raters are
	// combined (CombineStage), by the rule each item states.
	Vetoed []string
	// Explanation says in Chinese how the figures came about, one line
	// each: deductions, clamps, normalization, bonus, vetoes, total.
	Explanation []string
}

// VetoFailed reports whether this rater marked any veto item failed.
func (r Result) VetoFailed() bool { return len(r.Vetoed) > 0 }

// Score scores one rater's sheet for one subject against a validated
// scheme. A leaf's score follows its rule; a parent's is the sum of its
// children's, never above its own max. Entries the scheme cannot take (a
// direct score above the max or off its step, a negative count, an unknown
// tier, an entry for an unknown code, for a parent, or for an indicator
// marked not applicable, a missing entry) are refused with an app.Invalid
// error naming the indicator; nothing is silently clamped except bonus and
// penalty items, whose caps are part of their rule.
func Score(s *Scheme, sh Sheet) (Result, error) {
	if s == nil || len(s.Roots) == 0 || !finite(s.FullMarks) || s.FullMarks <= 0 {
		return Result{}, app.Invalid("scheme", "考评指标体系不完整，无法计分")
	}
	sc := scorer{sh: sh, res: Result{Scores: make(map[string]float64, 2*len(sh.Values)+8)}}
	var sum, appMax float64
	for _, root := range s.Roots {
		v, m, _, err := sc.node(root, false, 1)
		if err != nil {
			return Result{}, err
		}
		sum += v
		appMax += m
	}
	if sc.values != len(sh.Values) || sc.na != len(sh.NotApplicable) {
		return Result{}, unknownCode(s, sh)
	}
	if appMax <= tolerance {
		return Result{}, app.Invalid("not_applicable", "所有计分指标都标为不适用，无法计分")
	}
	res := &sc.res
	res.Base = math.Min(round(sum), s.FullMarks)
	res.ApplicableMax = round(appMax)
	res.Normalized = res.Base
	ex := sc.notes
	if len(sc.naCodes) > 0 {
		ex = append(ex, fmt.Sprintf("不适用指标：%s，不计入适用分值", strings.Join(sc.naCodes, "、")))
	}
	// Normalize only when the applicable points really fall short, so a
	// fully applicable subject's figures are exactly what was scored.
	if !same(appMax, s.FullMarks) {
		res.Normalized = math.Min(round(res.Base*s.FullMarks/appMax), s.FullMarks)
		ex = append(ex, fmt.Sprintf("适用分值 %s 分，得 %s 分，折算为 %s 分（满分 %s）",
			pts(res.ApplicableMax), pts(res.Base), pts(res.Normalized), pts(s.FullMarks)))
	}
	bonus, ceiling := round(sc.bonus), sc.bonusCap
	if s.BonusCap > 0 {
		ceiling = s.BonusCap
		if math.Abs(bonus) > s.BonusCap {
			bonus = math.Copysign(s.BonusCap, bonus)
			ex = append(ex, fmt.Sprintf("附加分合计 %s 分，超过总上限 ±%s 分，按 %s 分计", signed(sc.bonus), pts(s.BonusCap), signed(bonus)))
		}
	}
	res.Bonus = bonus
	res.Total = math.Max(0, math.Min(round(res.Normalized+bonus), s.FullMarks+ceiling))
	for _, code := range res.Vetoed {
		ex = append(ex, fmt.Sprintf("一票否决指标 %s：评为未通过", code))
	}
	if res.Bonus != 0 {
		ex = append(ex, fmt.Sprintf("总分 %s 分（基本分 %s，附加分 %s，附加分在折算后计入）", pts(res.Total), pts(res.Normalized), signed(res.Bonus)))
	} else {
		ex = append(ex, fmt.Sprintf("总分 %s 分", pts(res.Total)))
	}
	res.Explanation = ex
	return sc.res, nil
}

// scorer carries one Score call's state through the tree.
type scorer struct {
	sh  Sheet
	res Result
	// values and na count the sheet's entries met in the tree, so entries
	// for codes the scheme lacks are caught without indexing the scheme.
	values, na int
	naCodes    []string // the indicators marked not applicable, top-most only
	notes      []string
	bonus      float64 // net of bonus and penalty items
	bonusCap   float64 // sum of the bonus items' caps
}

// node scores ind and its subtree. It returns the score, the applicable
// points, and whether the whole subtree applies.
func (sc *scorer) node(ind *Indicator, inheritedNA bool, depth int) (float64, float64, bool, error) {
	if ind == nil || depth > MaxDepth {
		return 0, 0, false, app.Invalid("scheme", "考评指标体系未通过校验，无法计分")
	}
	marked, listed := sc.sh.NotApplicable[ind.Code]
	if listed {
		sc.na++
	}
	na := inheritedNA || marked
	if marked && !inheritedNA {
		sc.naCodes = append(sc.naCodes, ind.Code)
	}
	in, hasValue := sc.sh.Values[ind.Code]
	if hasValue {
		sc.values++
		if len(ind.Children) > 0 {
			return 0, 0, false, invalidf(ind, "上级指标的得分由下级指标相加，不能直接评分")
		}
		if na {
			return 0, 0, false, invalidf(ind, "已标为不适用，不能评分")
		}
	}

	if len(ind.Children) > 0 {
		var sum, appMax float64
		full := true
		for _, c := range ind.Children {
			v, m, f, err := sc.node(c, na, depth+1)
			if err != nil {
				return 0, 0, false, err
			}
			sum += v
			appMax += m
			full = full && f
		}
		if na || (!full && appMax == 0) {
			// Not applicable itself, or all its scored children are.
			return 0, 0, false, nil
		}
		if full {
			appMax = ind.Max
		}
		v := math.Min(round(sum), ind.Max)
		sc.res.Scores[ind.Code] = v
		return v, appMax, full, nil
	}

	r := deref(ind.Rule)
	if r == nil {
		return 0, 0, false, invalidf(ind, "末级指标没有评分规则，无法计分")
	}
	switch r.Kind() {
	case KindBonus, KindPenalty:
		if b, ok := r.(Bonus); ok {
			sc.bonusCap += b.Cap
		}
		if na {
			return 0, 0, true, nil
		}
		v, note, err := r.score(ind, in)
		if err != nil {
			return 0, 0, false, err
		}
		sc.res.Scores[ind.Code] = v
		sc.bonus += v
		if note != "" {
			sc.notes = append(sc.notes, note)
		}
		return 0, 0, true, nil
	case KindVeto:
		if !na && in.Failed {
			sc.res.Vetoed = append(sc.res.Vetoed, ind.Code)
		}
		return 0, 0, true, nil
	}
	if na {
		return 0, 0, false, nil
	}
	if !hasValue && r.Kind() != KindDeduction {
		return 0, 0, false, invalidf(ind, "尚未评分")
	}
	v, note, err := r.score(ind, in)
	if err != nil {
		return 0, 0, false, err
	}
	if note != "" {
		sc.notes = append(sc.notes, note)
	}
	sc.res.Scores[ind.Code] = v
	return v, ind.Max, true, nil
}

// unknownCode finds the sheet entry whose code the scheme lacks. It is the
// slow path, taken only when the counts in Score disagree.
func unknownCode(s *Scheme, sh Sheet) error {
	codes := make(map[string]bool)
	s.Walk(func(ind, _ *Indicator, _ int) { codes[ind.Code] = true })
	var unknown []string
	for c := range sh.Values {
		if !codes[c] {
			unknown = append(unknown, c)
		}
	}
	for c := range sh.NotApplicable {
		if !codes[c] {
			unknown = append(unknown, c)
		}
	}
	if len(unknown) == 0 {
		return app.Invalid("scheme", "考评指标体系未通过校验，无法计分")
	}
	slices.Sort(unknown) // the same message for the same sheet
	return app.Invalid(unknown[0], "指标编号“%s”不在考评指标体系中", unknown[0])
}
