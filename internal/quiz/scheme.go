package quiz

import (
	"pufa/internal/app"
	"pufa/internal/assess"
)

// LiteracyScheme is the built-in literacy indicator scheme (公民法治素养测评
// 指标): three dimensions for 100 points, each a leaf scored directly, so a
// respondent's score sheet is their dimension scores scaled to the points
// (see Quiz.Sheet). The office copies and edits it with the assessment
// engine's scheme editor, splitting a dimension into sub-indicators if it
// wants finer figures.
func LiteracyScheme() *assess.Scheme {
	return &assess.Scheme{Name: "公民法治素养测评指标", Version: 1, FullMarks: 100, Roots: []*assess.Indicator{
		{Code: "A", Name: "法治认知", Max: 40, Rule: assess.Direct{},
			Guidance: "宪法、民法典和与日常生活密切相关的法律知识：知道有哪些权利和义务"},
		{Code: "B", Name: "法治意识", Max: 30, Rule: assess.Direct{},
			Guidance: "对法律的认同和信任：规则意识、权利义务相统一、程序正当"},
		{Code: "C", Name: "法治行为", Max: 30, Rule: assess.Direct{},
			Guidance: "遇事找法、解决问题靠法：依法维权、化解纠纷、守法履约"},
	}}
}

// DimensionsFromScheme returns the dimensions of a quiz built on an
// assessment scheme: one per leaf indicator, in tree order, weighted by
// the leaf's points, so a two-level scheme (法治认知 → 宪法知识, 民法典知识…)
// reports on its finest indicators and rolls them up with assess.Score.
// The scheme must validate and its leaves must be scored directly without
// a step, with points of at most two decimals; bonus, penalty and veto
// items have no place in a quiz. The error is an app.Invalid error whose
// field is the indicator's code.
func DimensionsFromScheme(s *assess.Scheme) ([]Dimension, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var dims []Dimension
	var bad error
	s.Walk(func(ind, _ *assess.Indicator, _ int) {
		if bad != nil || len(ind.Children) > 0 {
			return
		}
		if ind.Extra() {
			bad = app.Invalid(ind.Code, "指标“%s”是%s项，公众测评不设加分、减分或一票否决", ind.Name, ind.Rule.Kind().Label())
			return
		}
		if d, ok := ind.Rule.(assess.Direct); !ok || d.Step != 0 {
			bad = app.Invalid(ind.Code, "指标“%s”应为直接评分且不设步长，才能由测评得分换算", ind.Name)
			return
		}
		if w, ok := hundredths(ind.Max); !ok || w <= 0 {
			bad = app.Invalid(ind.Code, "指标“%s”的分值应大于 0，最多两位小数", ind.Name)
			return
		}
		dims = append(dims, Dimension{Code: ind.Code, Name: ind.Name, Weight: ind.Max})
	})
	if bad != nil {
		return nil, bad
	}
	if len(dims) > MaxDimensions {
		return nil, app.Invalid("dimensions", "测评维度不能超过 %d 个", MaxDimensions)
	}
	return dims, nil
}

// Sheet turns a marked response into a score sheet of the scheme the
// quiz's dimensions came from (DimensionsFromScheme): each leaf gets the
// dimension's score out of 100 scaled to its points. assess.Score then
// rolls the leaves up to their parents, and its total is Result.Total
// scaled to the scheme's full marks (the leaves' points add up to them), to
// within the rounding of hundredths.
func (q *Quiz) Sheet(r Result) assess.Sheet {
	sh := assess.Sheet{Values: make(map[string]assess.Input, len(r.Dimensions))}
	for _, d := range r.Dimensions {
		i := q.dimension(d.Code)
		if i < 0 {
			continue
		}
		sh.Values[d.Code] = assess.Input{Points: d.Score.Float() * q.Dimensions[i].Weight / 100}
	}
	return sh
}
