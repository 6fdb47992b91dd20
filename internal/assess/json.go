package assess

import (
	"bytes"
	"encoding/json"
	"fmt"

	"pufa/internal/app"
)

// The stored form of a scheme: the tree as JSON, each rule tagged with its
// kind. A published scheme version is stored once and never changed, so
// this form is what results refer to for good; it must decode to the same
// scheme it was encoded from.

type schemeJSON struct {
	Name      string          `json:"name"`
	Version   int             `json:"version"`
	FullMarks float64         `json:"full_marks"`
	BonusCap  float64         `json:"bonus_cap,omitempty"`
	VetoZero  bool            `json:"veto_zero,omitempty"`
	Roots     []indicatorJSON `json:"indicators"`
}

type indicatorJSON struct {
	Code             string          `json:"code"`
	Name             string          `json:"name"`
	Max              float64         `json:"max"`
	Weight           float64         `json:"weight,omitempty"`
	Guidance         string          `json:"guidance,omitempty"`
	EvidenceRequired bool            `json:"evidence_required,omitempty"`
	Rule             *ruleJSON       `json:"rule,omitempty"`
	Children         []indicatorJSON `json:"children,omitempty"`
}

type ruleJSON struct {
	Kind          RuleKind  `json:"kind"`
	Step          float64   `json:"step,omitempty"`
	PerOccurrence float64   `json:"per_occurrence,omitempty"`
	Cap           float64   `json:"cap,omitempty"`
	Levels        []Tier    `json:"levels,omitempty"`
	By            VetoBy    `json:"by,omitempty"`
	Stage         StageKind `json:"stage,omitempty"`
}

// EncodeScheme returns the stored form of s.
func EncodeScheme(s *Scheme) ([]byte, error) {
	out := schemeJSON{Name: s.Name, Version: s.Version, FullMarks: s.FullMarks, BonusCap: s.BonusCap, VetoZero: s.VetoZero}
	var enc func(list []*Indicator) ([]indicatorJSON, error)
	enc = func(list []*Indicator) ([]indicatorJSON, error) {
		var res []indicatorJSON
		for _, ind := range list {
			j := indicatorJSON{Code: ind.Code, Name: ind.Name, Max: ind.Max, Weight: ind.Weight, Guidance: ind.Guidance, EvidenceRequired: ind.EvidenceRequired}
			if ind.Rule != nil {
				r := &ruleJSON{Kind: ind.Rule.Kind()}
				switch v := ind.Rule.(type) {
				case Direct:
					r.Step = v.Step
				case Deduction:
					r.PerOccurrence, r.Cap = v.PerOccurrence, v.Cap
				case YesNo:
				case Tiered:
					r.Levels = v.Levels
				case Bonus:
					r.Cap = v.Cap
				case Penalty:
					r.Cap = v.Cap
				case Veto:
					r.By, r.Stage = v.By, v.Stage
				default:
					return nil, fmt.Errorf("assess: cannot encode rule %T", v)
				}
				j.Rule = r
			}
			children, err := enc(ind.Children)
			if err != nil {
				return nil, err
			}
			j.Children = children
			res = append(res, j)
		}
		return res, nil
	}
	roots, err := enc(s.Roots)
	if err != nil {
		return nil, err
	}
	out.Roots = roots
	return json.Marshal(out)
}

// DecodeScheme reads a stored scheme and validates it; an unknown rule kind
// or field is an error, not a silent default.
func DecodeScheme(data []byte) (*Scheme, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var in schemeJSON
	if err := dec.Decode(&in); err != nil {
		return nil, app.Errorf(app.EINVALID, "指标体系数据无法读取：%v", err)
	}
	s := &Scheme{Name: in.Name, Version: in.Version, FullMarks: in.FullMarks, BonusCap: in.BonusCap, VetoZero: in.VetoZero}
	var dec2 func(list []indicatorJSON, depth int) ([]*Indicator, error)
	dec2 = func(list []indicatorJSON, depth int) ([]*Indicator, error) {
		if depth > MaxDepth {
			return nil, app.Errorf(app.EINVALID, "指标层级超过 %d 级", MaxDepth)
		}
		var res []*Indicator
		for _, j := range list {
			ind := &Indicator{Code: j.Code, Name: j.Name, Max: j.Max, Weight: j.Weight, Guidance: j.Guidance, EvidenceRequired: j.EvidenceRequired}
			if r := j.Rule; r != nil {
				switch r.Kind {
				case KindDirect:
					ind.Rule = Direct{Step: r.Step}
				case KindDeduction:
					ind.Rule = Deduction{PerOccurrence: r.PerOccurrence, Cap: r.Cap}
				case KindYesNo:
					ind.Rule = YesNo{}
				case KindTiered:
					ind.Rule = Tiered{Levels: r.Levels}
				case KindBonus:
					ind.Rule = Bonus{Cap: r.Cap}
				case KindPenalty:
					ind.Rule = Penalty{Cap: r.Cap}
				case KindVeto:
					ind.Rule = Veto{By: r.By, Stage: r.Stage}
				default:
					return nil, app.Invalid(j.Code, "指标 %s 的计分规则“%s”无法识别", j.Code, r.Kind)
				}
			}
			children, err := dec2(j.Children, depth+1)
			if err != nil {
				return nil, err
			}
			ind.Children = children
			res = append(res, ind)
		}
		return res, nil
	}
	roots, err := dec2(in.Roots, 1)
	if err != nil {
		return nil, err
	}
	s.Roots = roots
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}
