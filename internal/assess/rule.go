package assess

import (
	"fmt"
	"math"
	"strings"

	"pufa/internal/app"
)

// RuleKind names a scoring rule; it is what storage and the JSON API keep.
type RuleKind string

// Rule kinds.
const (
	KindDirect    RuleKind = "direct"    // points given directly
	KindDeduction RuleKind = "deduction" // 扣分: points off per occurrence, capped
	KindYesNo     RuleKind = "yes_no"    // full or zero
	KindTiered    RuleKind = "tiered"    // one of stated levels
	KindBonus     RuleKind = "bonus"     // 加分 (附加分)
	KindPenalty   RuleKind = "penalty"   // 减分 (附加分)
	KindVeto      RuleKind = "veto"      // 一票否决
)

// Label is the kind's Chinese name.
func (k RuleKind) Label() string {
	switch k {
	case KindDirect:
		return "直接评分"
	case KindDeduction:
		return "扣分"
	case KindYesNo:
		return "是否达到"
	case KindTiered:
		return "分档评分"
	case KindBonus:
		return "加分"
	case KindPenalty:
		return "减分"
	case KindVeto:
		return "一票否决"
	}
	return string(k)
}

// Rule is how a leaf indicator turns a rater's input into points. The set
// of rules is closed: Direct, Deduction, YesNo, Tiered, Bonus, Penalty and
// Veto.
type Rule interface {
	// Kind names the rule.
	Kind() RuleKind
	// Describe states the rule in Chinese for raters and for the formula
	// shown beside a result; max is the indicator's points.
	Describe(max float64) string

	// check validates the rule against its indicator.
	check(ind *Indicator) error
	// score turns an input into points; note is a line for the
	// explanation when the figure needs one (a deduction, a clamp).
	score(ind *Indicator, in Input) (v float64, note string, err error)
}

// Input is one rater's entry for one leaf indicator; each rule reads the
// field it needs and ignores the others. The zero Input is "nothing to
// report": zero points, no occurrences, not achieved, veto passed.
type Input struct {
	Points float64 // Direct, Bonus, Penalty
	Count  int     // Deduction: how many times the fault occurred
	Yes    bool    // YesNo: achieved
	Tier   string  // Tiered: the chosen level's label
	Failed bool    // Veto: the veto item is failed
}

// Direct is points given directly, from 0 to the indicator's max.
type Direct struct {
	// Step, when set (e.g. 0.5), is the only granularity allowed: a score
	// off the step is refused rather than rounded, so a rater's figure is
	// never changed behind their back.
	Step float64
}

// Kind returns KindDirect.
func (Direct) Kind() RuleKind { return KindDirect }

// Describe states the range and step.
func (r Direct) Describe(max float64) string {
	if r.Step > 0 {
		return fmt.Sprintf("直接评分，0–%s 分，按 %s 分一档", pts(max), pts(r.Step))
	}
	return fmt.Sprintf("直接评分，0–%s 分", pts(max))
}

func (r Direct) check(ind *Indicator) error {
	if !finite(r.Step) || r.Step < 0 {
		return invalidf(ind, "评分步长不能为负数")
	}
	if r.Step > 0 && !onStep(ind.Max, r.Step) {
		return invalidf(ind, "分值 %s 不是评分步长 %s 的整数倍", pts(ind.Max), pts(r.Step))
	}
	return nil
}

func (r Direct) score(ind *Indicator, in Input) (float64, string, error) {
	v := in.Points
	if !finite(v) || v < 0 || v > ind.Max+tolerance {
		return 0, "", invalidf(ind, "得分应在 0 到 %s 分之间", pts(ind.Max))
	}
	if r.Step > 0 && !onStep(v, r.Step) {
		return 0, "", invalidf(ind, "得分应按 %s 分一档给出，%s 分不在档上", pts(r.Step), pts(v))
	}
	return math.Min(v, ind.Max), "", nil
}

// onStep reports whether v is a whole number of steps.
func onStep(v, step float64) bool {
	n := v / step
	return math.Abs(n-math.Round(n)) <= 1e-9*math.Max(1, math.Abs(n))
}

// Deduction takes points off the indicator's max per occurrence of a fault
// ("每少一次扣0.3分，累计扣分不超过1.2分"). The score never goes below zero.
type Deduction struct {
	PerOccurrence float64 // points off per occurrence, > 0
	// Cap limits the points taken off in all; zero means the indicator's
	// max (扣完为止).
	Cap float64
}

// Kind returns KindDeduction.
func (Deduction) Kind() RuleKind { return KindDeduction }

// Describe states the deduction and its cap.
func (r Deduction) Describe(max float64) string {
	if r.Cap > 0 && r.Cap < max {
		return fmt.Sprintf("满分 %s 分，每次扣 %s 分，累计扣分不超过 %s 分", pts(max), pts(r.PerOccurrence), pts(r.Cap))
	}
	return fmt.Sprintf("满分 %s 分，每次扣 %s 分，扣完为止", pts(max), pts(r.PerOccurrence))
}

func (r Deduction) check(ind *Indicator) error {
	if !finite(r.PerOccurrence) || r.PerOccurrence <= 0 {
		return invalidf(ind, "每次扣分应大于 0")
	}
	if !finite(r.Cap) || r.Cap < 0 {
		return invalidf(ind, "扣分上限不能为负数")
	}
	if r.Cap > ind.Max+tolerance {
		return invalidf(ind, "扣分上限 %s 分超过了指标分值 %s 分", pts(r.Cap), pts(ind.Max))
	}
	return nil
}

// cap returns the points that may be taken off in all.
func (r Deduction) cap(max float64) float64 {
	if r.Cap > 0 && r.Cap < max {
		return r.Cap
	}
	return max
}

func (r Deduction) score(ind *Indicator, in Input) (float64, string, error) {
	if in.Count < 0 {
		return 0, "", invalidf(ind, "扣分次数不能为负数")
	}
	if in.Count == 0 {
		return ind.Max, "", nil
	}
	raw := float64(in.Count) * r.PerOccurrence
	off := math.Min(raw, r.cap(ind.Max))
	v := math.Max(0, round(ind.Max-off))
	note := fmt.Sprintf("%s：扣分 %d 次 × %s 分 = %s 分", ind.label(), in.Count, pts(r.PerOccurrence), pts(raw))
	if off < raw {
		note += fmt.Sprintf("，累计扣分以 %s 分为限", pts(off))
	}
	note += fmt.Sprintf("，得 %s 分（满分 %s）", pts(v), pts(ind.Max))
	return v, note, nil
}

// YesNo gives the indicator's max when achieved and zero otherwise.
type YesNo struct{}

// Kind returns KindYesNo.
func (YesNo) Kind() RuleKind { return KindYesNo }

// Describe states the two outcomes.
func (YesNo) Describe(max float64) string {
	return fmt.Sprintf("达到得 %s 分，未达到不得分", pts(max))
}

func (YesNo) check(*Indicator) error { return nil }

func (YesNo) score(ind *Indicator, in Input) (float64, string, error) {
	if in.Yes {
		return ind.Max, "", nil
	}
	return 0, "", nil
}

// Tier is one level of a tiered indicator.
type Tier struct {
	Label  string  // 完全达到
	Points float64 // 3
}

// Tiered gives the points of the level the rater chooses ("完全达到得3分，
// 部分达到得2分，未达到不得分").
type Tiered struct{ Levels []Tier }

// Kind returns KindTiered.
func (Tiered) Kind() RuleKind { return KindTiered }

// Describe lists the levels as the scheme states them.
func (r Tiered) Describe(float64) string {
	parts := make([]string, len(r.Levels))
	for i, l := range r.Levels {
		if l.Points == 0 {
			parts[i] = l.Label + "不得分"
		} else {
			parts[i] = fmt.Sprintf("%s得%s分", l.Label, pts(l.Points))
		}
	}
	return strings.Join(parts, "，")
}

func (r Tiered) check(ind *Indicator) error {
	if len(r.Levels) == 0 {
		return invalidf(ind, "分档评分至少要有一个档次")
	}
	seen := make(map[string]bool, len(r.Levels))
	for _, l := range r.Levels {
		if strings.TrimSpace(l.Label) == "" {
			return invalidf(ind, "档次名称不能为空")
		}
		if seen[l.Label] {
			return invalidf(ind, "档次“%s”重复", l.Label)
		}
		seen[l.Label] = true
		if !finite(l.Points) || l.Points < 0 || l.Points > ind.Max+tolerance {
			return invalidf(ind, "档次“%s”的分数应在 0 到 %s 分之间", l.Label, pts(ind.Max))
		}
	}
	return nil
}

func (r Tiered) score(ind *Indicator, in Input) (float64, string, error) {
	for _, l := range r.Levels {
		if l.Label == in.Tier {
			return math.Min(l.Points, ind.Max), "", nil
		}
	}
	labels := make([]string, len(r.Levels))
	for i, l := range r.Levels {
		labels[i] = "“" + l.Label + "”"
	}
	return 0, "", invalidf(ind, "档次“%s”不存在，应为 %s 之一", in.Tier, strings.Join(labels, "、"))
}

// Bonus is an extra-points item (附加分, 加分): the rater enters the points
// earned and the item counts at most Cap. It sits outside the base total,
// is added after normalization, and its indicator's max is zero.
type Bonus struct{ Cap float64 }

// Kind returns KindBonus.
func (Bonus) Kind() RuleKind { return KindBonus }

// Describe states the cap.
func (r Bonus) Describe(float64) string {
	return fmt.Sprintf("附加加分，最多加 %s 分，在折算后计入总分", pts(r.Cap))
}

func (r Bonus) check(ind *Indicator) error { return checkExtraCap(ind, r.Cap) }

// score clamps rather than refuses: a rater enters what the subject earned
// ("每获一项省级表彰加1分") and the cap is the scheme's business.
func (r Bonus) score(ind *Indicator, in Input) (float64, string, error) {
	if !finite(in.Points) || in.Points < 0 {
		return 0, "", invalidf(ind, "加分应为不小于 0 的数")
	}
	if in.Points > r.Cap {
		return r.Cap, fmt.Sprintf("%s：填报加 %s 分，超过上限，按 %s 分计", ind.label(), pts(in.Points), pts(r.Cap)), nil
	}
	return in.Points, "", nil
}

// Penalty is a points-off item outside the base total (附加分, 减分): the
// rater enters the points to take off, and at most Cap come off. The item's
// score is negative.
type Penalty struct{ Cap float64 }

// Kind returns KindPenalty.
func (Penalty) Kind() RuleKind { return KindPenalty }

// Describe states the cap.
func (r Penalty) Describe(float64) string {
	return fmt.Sprintf("附加减分，最多减 %s 分，在折算后计入总分", pts(r.Cap))
}

func (r Penalty) check(ind *Indicator) error { return checkExtraCap(ind, r.Cap) }

// score accepts the amount with either sign: "减 2 分" and "-2" mean the
// same, and refusing one of them would only trip raters up.
func (r Penalty) score(ind *Indicator, in Input) (float64, string, error) {
	if !finite(in.Points) {
		return 0, "", invalidf(ind, "减分应为数字")
	}
	off := math.Abs(in.Points)
	if off > r.Cap {
		return -r.Cap, fmt.Sprintf("%s：填报减 %s 分，超过上限，按 %s 分计", ind.label(), pts(off), pts(r.Cap)), nil
	}
	return -off, "", nil
}

func checkExtraCap(ind *Indicator, cap float64) error {
	if !finite(cap) || cap <= 0 {
		return invalidf(ind, "附加分上限应大于 0")
	}
	return nil
}

// VetoBy says who decides a veto item.
type VetoBy string

// Who decides a veto.
const (
	// VetoByOffice: the office's verification stage; any office verifier
	// marking the item failed fails it, since the office verifies facts
	// (an incident, a violation) rather than opinions.
	VetoByOffice VetoBy = "office"
	// VetoByMajority: more than half of the raters who submitted in the
	// scheme's stage (Veto.Stage); a tie passes.
	VetoByMajority VetoBy = "majority"
)

// Veto is a single-item veto (一票否决): when failed, the subject's grade is
// forced (see Grader) and it ranks after every subject not vetoed, whatever
// it scored. It carries no points; its indicator's max is zero.
type Veto struct {
	By VetoBy
	// Stage is the stage whose majority decides when By is
	// VetoByMajority; empty means the panel.
	Stage StageKind
}

// Kind returns KindVeto.
func (Veto) Kind() RuleKind { return KindVeto }

// Describe states who decides.
func (r Veto) Describe(float64) string {
	if r.By == VetoByMajority {
		return fmt.Sprintf("一票否决，由%s过半数认定", r.stage().Label())
	}
	return "一票否决，由普法办核查认定"
}

// stage returns the deciding stage of a majority veto.
func (r Veto) stage() StageKind {
	if r.Stage == "" {
		return StagePanel
	}
	return r.Stage
}

func (r Veto) check(ind *Indicator) error {
	switch r.By {
	case VetoByOffice:
	case VetoByMajority:
		if !r.stage().valid() || r.stage() == StagePublic {
			return invalidf(ind, "一票否决的认定环节“%s”无效", r.Stage)
		}
	default:
		return invalidf(ind, "一票否决的认定方式“%s”无效，应为 office（普法办核查）或 majority（评议过半数）", r.By)
	}
	return nil
}

func (Veto) score(*Indicator, Input) (float64, string, error) { return 0, "", nil }

// extra reports whether a rule's indicator sits outside the base total.
func extra(r Rule) bool {
	switch r.Kind() {
	case KindBonus, KindPenalty, KindVeto:
		return true
	}
	return false
}

// vetoOf returns the veto rule of r, whether stored as a value or a
// pointer.
func vetoOf(r Rule) (Veto, bool) {
	v, ok := deref(r).(Veto)
	return v, ok
}

// deref returns the rule a pointer points at, and nil for a nil pointer:
// callers may build rules as values or pointers, and a nil *Direct would
// otherwise pass for a rule and panic when used.
func deref(r Rule) Rule {
	switch v := r.(type) {
	case *Direct:
		if v != nil {
			return *v
		}
	case *Deduction:
		if v != nil {
			return *v
		}
	case *YesNo:
		if v != nil {
			return *v
		}
	case *Tiered:
		if v != nil {
			return *v
		}
	case *Bonus:
		if v != nil {
			return *v
		}
	case *Penalty:
		if v != nil {
			return *v
		}
	case *Veto:
		if v != nil {
			return *v
		}
	default:
		return r
	}
	return nil
}

// invalidf returns an EINVALID error about an indicator, naming it.
func invalidf(ind *Indicator, format string, args ...any) error {
	e := app.Invalid(ind.Code, format, args...)
	if ind.Name == "" {
		e.Message = fmt.Sprintf("指标 %s：%s", ind.Code, e.Message)
	} else {
		e.Message = fmt.Sprintf("指标 %s“%s”：%s", ind.Code, ind.Name, e.Message)
	}
	return e
}
