package schemefile

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/upload"
	"pufa/internal/xlsx"
)

// The workbook layout. The template is what WriteXLSX writes and ReadXLSX
// reads back unchanged:
//
//	指标  one row per indicator, in tree order, under the headers below
//	体系  two columns, 项目 and 内容: 名称, 满分, 附加分总上限, 一票否决时总分计零
//	说明  how to fill the template in, one instruction a row
//
// Keeping the scheme's own fields on a sheet of their own leaves 指标 a
// plain table that sorts, filters and pastes like any other.
const (
	sheetIndicators = "指标"
	sheetMeta       = "体系"
	sheetHelp       = "说明"
)

// The headers of the 指标 sheet, in order.
var indicatorHeaders = []string{"层级", "编号", "指标名称", "分值", "权重", "计分方式", "计分参数", "评分标准", "需佐证"}

// Header names read besides the template's own, from the tables offices
// already keep. The first of each list is the template's.
var (
	hLevel    = []string{"层级", "级别"}
	hCode     = []string{"编号", "指标编号", "代码"}
	hName     = []string{"指标名称", "名称", "指标", "指标内容", "考评内容"}
	hMax      = []string{"分值", "分值(分)", "分数", "标准分", "满分"}
	hWeight   = []string{"权重", "权重(%)"}
	hKind     = []string{"计分方式", "评分方式", "计分规则"}
	hParams   = []string{"计分参数", "参数"}
	hGuidance = []string{"评分标准", "评分细则", "考评标准", "考核标准", "考评方法", "评分方法", "评分标准及方法"}
	hEvidence = []string{"需佐证", "需佐证材料", "佐证材料", "需要佐证"}
)

// cnDigits name the level columns of the multi-column layout: 一级指标,
// 二级指标 …
var cnDigits = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// maxProblems is how many cell problems an import error lists; past that
// the file is likely the wrong one and a longer list does not help.
const maxProblems = 20

// headerScan is how many rows above the header a user's sheet may hold (a
// title, a note on who fills it in).
const headerScan = 10

// WriteXLSX writes the scheme as the import template (see the layout
// above), so that a scheme can be edited in Excel and imported back as the
// same scheme. A zero m means s's own name, full marks and caps.
//
// A nil s writes the blank template: a small example worth 100 points with
// one row for each rule kind, which imports as it is, so a user learns the
// params syntax from rows that work. m's zero fields then take the
// example's values.
func WriteXLSX(w io.Writer, m Meta, s *assess.Scheme) error {
	switch {
	case s == nil:
		s = exampleScheme()
		ex := MetaOf(s)
		m.Name = cmp.Or(m.Name, ex.Name)
		m.FullMarks = cmp.Or(m.FullMarks, ex.FullMarks)
		m.BonusCap = cmp.Or(m.BonusCap, ex.BonusCap)
	case m == (Meta{}):
		m = MetaOf(s)
	}
	xw, err := xlsx.NewWriter(app.Shanghai)
	if err != nil {
		return err
	}
	defer xw.Close()

	if err := xw.AddSheet(sheetIndicators, indicatorHeaders); err != nil {
		return err
	}
	for _, r := range Rows(s) {
		evidence := "否"
		if r.Evidence {
			evidence = "是"
		}
		if err := xw.WriteRow(r.Level, r.Code, r.Name, figure(r.Max), figure(r.Weight), r.Rule, r.Params, r.Guidance, evidence); err != nil {
			return err
		}
	}

	if err := xw.AddSheet(sheetMeta, []string{"项目", "内容", "说明"}); err != nil {
		return err
	}
	vetoZero := "否"
	if m.VetoZero {
		vetoZero = "是"
	}
	for _, r := range [][]any{
		{"名称", m.Name, "考评指标体系的名称"},
		{"满分", figure(m.FullMarks), "一级指标分值之和，加分、减分不计入；留空则取一级指标分值之和"},
		{"附加分总上限", figure(m.BonusCap), "加分、减分相抵后最多计入几分；留空表示只按各项自己的上限"},
		{"一票否决时总分计零", vetoZero, "填“是”则一票否决项未通过时总分计为 0；填“否”只影响等次和排名"},
	} {
		if err := xw.WriteRow(r...); err != nil {
			return err
		}
	}

	if err := xw.AddSheet(sheetHelp, []string{"填写说明"}); err != nil {
		return err
	}
	for _, line := range instructions() {
		if err := xw.WriteRow(line); err != nil {
			return err
		}
	}
	return xw.Finish(w)
}

// figure is a number cell, empty for zero so that an unfilled cell and a
// zero read the same.
func figure(x float64) any {
	if x == 0 {
		return nil
	}
	return x
}

// exampleScheme is the blank template's content: indicators from real
// duty review schemes, for 100 points, using every rule kind.
func exampleScheme() *assess.Scheme {
	return &assess.Scheme{Name: "示例：普法责任制履职评议指标", FullMarks: 100, BonusCap: 3, Roots: []*assess.Indicator{
		{Code: "A", Name: "普法责任制机制建设", Max: 40, Children: []*assess.Indicator{
			{Code: "A1", Name: "制定并公布年度普法责任清单", Max: 15,
				Rule:     assess.Tiered{Levels: []assess.Tier{{Label: "清单内容具体并已公示", Points: 15}, {Label: "已制定未公示或内容笼统", Points: 8}, {Label: "未制定", Points: 0}}},
				Guidance: "查看清单及公示情况：内容、措施、标准、责任是否明确", EvidenceRequired: true},
			{Code: "A2", Name: "党组（党委）专题研究普法工作", Max: 10, Rule: assess.Deduction{PerOccurrence: 5, Cap: 10},
				Guidance: "每年至少专题研究 2 次，每少一次扣 5 分"},
			{Code: "A3", Name: "明确普法工作机构和人员", Max: 15, Rule: assess.YesNo{}},
		}},
		{Code: "B", Name: "社会普法宣传", Max: 60, Children: []*assess.Indicator{
			{Code: "B1", Name: "重要节点主题宣传", Max: 30, Rule: assess.Direct{Step: 0.5},
				Guidance: "宪法宣传周、民法典宣传月、全民国家安全教育日等主题宣传的开展情况"},
			{Code: "B2", Name: "以案释法", Max: 30, Rule: assess.Direct{}, Guidance: "发布典型案例及释法说理的数量和质量"},
		}},
		{Code: "C", Name: "附加分", Children: []*assess.Indicator{
			{Code: "C1", Name: "经验做法获上级推广或表彰", Rule: assess.Bonus{Cap: 3}},
			{Code: "C2", Name: "普法工作被通报批评", Rule: assess.Penalty{Cap: 3}},
			{Code: "C3", Name: "因未履行普法职责造成重大不良影响", Rule: assess.Veto{By: assess.VetoByOffice}},
		}},
	}}
}

// instructions are the 说明 sheet's lines.
func instructions() []string {
	return []string{
		"1. 每行填写一个指标。“层级”填 1、2、3……：1 为一级指标；某行的上级指标是它上方最近的、层级小 1 的那一行。",
		"2. “编号”可以留空，导入时按位置自动编为 A、A1、A1.1……；填写的编号不能重复。",
		"3. “分值”：末级指标必须填写。上级指标可以留空，自动取下级指标分值之和；填写了就要与下级指标分值之和一致。",
		"4. “权重”可不填。同一级指标都不填分值、只填权重时，按权重分配上级指标的分值（一级指标分配满分），精确到 0.01 分。",
		"5. “计分方式”：末级指标必须选择，上级指标留空。可选：" + strings.Join(RuleKinds(), "、") + "。",
		"6. “计分参数”写法：直接评分——留空，或“步长0.5”（只能按 0.5 分一档给分）。",
		"   扣分——“每次扣0.3分，最多扣1.2分”；扣到 0 分为止的写“每次扣2分，扣完为止”。",
		"   是否——留空（达到得满分，未达到不得分）。",
		"   分档——“完全达到:3；部分达到:2；未达到:0”，各档之间用分号隔开。",
		"   加分、减分——“上限3”（最多加或减 3 分）。这类指标不计入满分，分值留空。",
		"   一票否决——“普法办核查”，或“评议团过半数”（由评议团过半数认定）。分值留空。",
		"7. “评分标准”写给评分人看的考评方法；“需佐证”填“是”或“否”。",
		"8. 指标体系的名称、满分、附加分总上限在“体系”工作表中填写。",
		"9. 也可以直接导入按“一级指标、二级指标、三级指标、分值、评分标准”分列填写的表格：每行填到最末一级，上级指标单元格合并或留空表示与上一行相同；计分方式从评分标准中识别，识别不了的导入后提示。",
		fmt.Sprintf("10. 一个表格最多 %d 行指标。", MaxRows),
	}
}

// ReadXLSX reads a scheme's rows from an uploaded workbook for review:
// the template WriteXLSX writes, or a table laid out the way offices
// already keep them, with one column per level (一级指标, 二级指标 …,
// 分值, 评分标准), where a row fills its deepest level and a blank level
// cell (a merged cell's lower part) means the same parent as above.
//
// The workbook passes the upload checks of internal/xlsx under limits
// before anything is parsed. Cells that cannot be read (a 分值 of “十分”,
// a 层级 of “高”) fail the import with one error listing them by row;
// whatever concerns the scheme's structure is left to Build, so the user
// sees those problems in the editor. Warnings say what was read from text
// rather than from a column (a rule from the 评分标准) and what could not
// be.
//
// Errors for the uploader are *upload.TooLargeError, *upload.InvalidError
// or *app.Error, each with a Chinese message.
func ReadXLSX(data []byte, limits upload.Limits) (Meta, []Row, []Warning, error) {
	sheet, err := xlsx.ReadSheetNamed(data, limits, MaxRows, sheetIndicators)
	var inv *upload.InvalidError
	if errors.As(err, &inv) {
		// No 指标 sheet: a workbook of the user's own; take its first
		// sheet. A file that is no workbook fails here again.
		sheet, err = xlsx.ReadSheet(data, limits, MaxRows)
	}
	if err != nil {
		return Meta{}, nil, nil, tooManyRows(err)
	}
	sheet, title := locateHeader(sheet)

	var rd reader
	switch {
	case col(sheet, hLevel) >= 0:
		rd.template(sheet)
	case levelCol(sheet, 0) >= 0:
		rd.columns(sheet)
	default:
		return Meta{}, nil, nil, app.Invalid("file", "工作表“%s”中没有找到表头：应有“%s”等列（导出的模板），或“一级指标、二级指标、分值、评分标准”等列",
			sheet.Name, strings.Join(indicatorHeaders, "、"))
	}
	if len(rd.rows) == 0 && len(rd.problems) == 0 {
		return Meta{}, nil, nil, app.Invalid("file", "工作表“%s”中没有指标", sheet.Name)
	}

	var m Meta
	if sheet.Name != sheetMeta {
		m = rd.meta(data, limits)
	}
	if m.Name == "" {
		m.Name = title
	}
	if len(rd.problems) > 0 {
		msg := strings.Join(rd.problems[:min(len(rd.problems), maxProblems)], "；")
		if len(rd.problems) > maxProblems {
			msg += fmt.Sprintf("……共 %d 处", len(rd.problems))
		}
		return Meta{}, nil, nil, app.Invalid("file", "表格中有无法读取的内容：%s", msg)
	}
	rd.inferRules()
	return m, rd.rows, rd.warns, nil
}

// tooManyRows rewords the sheet reader's row limit for this import, where
// a sheet that long is almost surely the wrong file.
func tooManyRows(err error) error {
	var e *app.Error
	if errors.As(err, &e) && e.Code == app.ETOOLARGE && strings.HasSuffix(e.Message, "行上限") {
		return app.Errorf(app.ETOOLARGE, "表格超过 %d 行上限：一个考评指标体系不会有这么多指标，请检查是否选错了文件", MaxRows)
	}
	return err
}

// locateHeader finds the header row of a sheet whose first rows are a
// title ("2024年度普法工作考核评分表"), returning the sheet from the
// header on and the title.
func locateHeader(s *xlsx.Sheet) (*xlsx.Sheet, string) {
	if isHeader(s.Header) {
		return s, ""
	}
	for i := 0; i < min(len(s.Rows), headerScan); i++ {
		if isHeader(s.Rows[i]) {
			title := ""
			for _, c := range s.Header {
				if c != "" {
					title = c
					break
				}
			}
			return &xlsx.Sheet{Name: s.Name, Header: s.Rows[i], Rows: s.Rows[i+1:], RowNumbers: s.RowNumbers[i+1:]}, title
		}
	}
	return s, ""
}

// isHeader reports a row naming the columns of either layout.
func isHeader(row []string) bool {
	h := &xlsx.Sheet{Header: row}
	return col(h, hLevel) >= 0 && col(h, hName) >= 0 || levelCol(h, 0) >= 0
}

// levelCol returns the column of level d+1 in the multi-column layout
// (一级指标 for d = 0), or -1.
func levelCol(s *xlsx.Sheet, d int) int {
	if d >= len(cnDigits) {
		return -1
	}
	n := cnDigits[d]
	return col(s, []string{n + "级指标", n + "级", n + "级指标名称"})
}

// col returns the column of the first of names the sheet has, or -1.
func col(s *xlsx.Sheet, names []string) int {
	for _, n := range names {
		if i := s.Index(n); i >= 0 {
			return i
		}
	}
	return -1
}

// cell returns row's cell in column i, "" when the column is missing.
func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

// reader collects what an import read.
type reader struct {
	rows     []Row
	problems []string // cells that could not be read, each naming its row
	warns    []Warning
	// kindColumn is whether the sheet has a 计分方式 column: without one a
	// leaf's rule is read from its 评分标准, and a leaf whose standard
	// states no rule is scored directly.
	kindColumn bool
}

func (rd *reader) problem(line int, format string, args ...any) {
	rd.problems = append(rd.problems, fmt.Sprintf("第%d行", line)+fmt.Sprintf(format, args...))
}

// columns of the fields common to both layouts.
type fieldCols struct{ code, max, weight, kind, params, guidance, evidence int }

func fieldsOf(s *xlsx.Sheet) fieldCols {
	return fieldCols{code: col(s, hCode), max: col(s, hMax), weight: col(s, hWeight), kind: col(s, hKind),
		params: col(s, hParams), guidance: col(s, hGuidance), evidence: col(s, hEvidence)}
}

// fill reads the fields common to both layouts into r.
func (rd *reader) fill(r *Row, row []string, fc fieldCols) {
	r.Code = cell(row, fc.code)
	if c := cell(row, fc.max); c != "" {
		v, ok := parseFigure(c)
		if !ok {
			rd.problem(r.Line, "分值“%s”不是数字", c)
		}
		r.Max = v
	}
	if c := cell(row, fc.weight); c != "" {
		v, ok := parseFigure(c)
		if !ok {
			rd.problem(r.Line, "权重“%s”不是数字", c)
		}
		r.Weight = v
	}
	r.Rule = cell(row, fc.kind)
	r.Params = cell(row, fc.params)
	r.Guidance = cell(row, fc.guidance)
	if c := cell(row, fc.evidence); c != "" {
		v, ok := parseYes(c)
		if !ok {
			rd.problem(r.Line, "需佐证应填“是”或“否”，不能是“%s”", c)
		}
		r.Evidence = v
	}
}

// template reads the template layout: one row per indicator with its
// level in the 层级 column.
func (rd *reader) template(s *xlsx.Sheet) {
	level, name := col(s, hLevel), col(s, hName)
	fc := fieldsOf(s)
	rd.kindColumn = fc.kind >= 0
	for i := range s.Rows {
		row, line := s.Row(i)
		r := Row{Line: line, Name: cell(row, name)}
		c := cell(row, level)
		if c == "" {
			rd.problem(line, "未填写层级")
		} else if v, ok := parseLevel(c); ok {
			r.Level = v
		} else {
			rd.problem(line, "层级“%s”应为 1 到 %d 的整数", c, assess.MaxDepth)
		}
		rd.fill(&r, row, fc)
		rd.rows = append(rd.rows, r)
	}
}

// columns reads the multi-column layout. Each level column holds the name
// of the indicator at that level; a row describes the indicator in its
// deepest filled level column. A filled cell in a shallower column that
// differs from the indicator open at that level starts a new parent there
// (named as written, its points taken from a "（20分）" in the name); a
// blank one, as under a merged cell, keeps the parent above.
func (rd *reader) columns(s *xlsx.Sheet) {
	var levels []int
	for d := 0; levelCol(s, d) >= 0; d++ {
		levels = append(levels, levelCol(s, d))
	}
	fc := fieldsOf(s)
	rd.kindColumn = fc.kind >= 0
	var open []int // open[d] is the index in rd.rows of the indicator open at level d+1
	for i := range s.Rows {
		row, line := s.Row(i)
		deepest := -1
		for d, c := range levels {
			if cell(row, c) != "" {
				deepest = d
			}
		}
		if deepest < 0 {
			// A row continuing the one above, its level cells merged: only
			// more standard text for the same indicator.
			if g := cell(row, fc.guidance); g != "" && len(rd.rows) > 0 && cell(row, fc.max) == "" {
				last := &rd.rows[len(rd.rows)-1]
				last.Guidance = strings.TrimSpace(last.Guidance + "\n" + g)
				continue
			}
			rd.problem(line, "没有填写指标名称（%s）", levelNames(len(levels)))
			continue
		}
		for d := 0; d < deepest; d++ {
			c := cell(row, levels[d])
			if c == "" {
				if d >= len(open) {
					rd.problem(line, "%s级指标为空，上方也没有可归属的%s级指标", cnDigits[d], cnDigits[d])
					break
				}
				continue
			}
			nm, pts := splitPoints(c)
			if d < len(open) && rd.rows[open[d]].Name == nm {
				continue
			}
			open = open[:d]
			rd.rows = append(rd.rows, Row{Level: d + 1, Name: nm, Max: pts, Line: line})
			open = append(open, len(rd.rows)-1)
		}
		if deepest > len(open) {
			continue
		}
		nm, pts := splitPoints(cell(row, levels[deepest]))
		r := Row{Level: deepest + 1, Name: nm, Line: line}
		rd.fill(&r, row, fc)
		if r.Max == 0 {
			r.Max = pts
		}
		open = append(open[:deepest], len(rd.rows))
		rd.rows = append(rd.rows, r)
	}
}

// levelNames lists the level columns of a sheet: 一级指标、二级指标.
func levelNames(n int) string {
	names := make([]string, n)
	for i := range names {
		names[i] = cnDigits[i] + "级指标"
	}
	return strings.Join(names, "、")
}

// inferRules reads the rule of each leaf left without one from its
// 评分标准, as FromOutline does with a rubric's sentences. In the template
// a missing 计分方式 is an omission: a rule read is reported so the user
// checks it, and a leaf with nothing to read is left for Build to refuse.
// In a sheet without a 计分方式 column the standard is the only place
// rules are written, and a leaf whose standard states none is scored
// directly.
func (rd *reader) inferRules() {
	for i := range rd.rows {
		r := &rd.rows[i]
		leaf := i+1 == len(rd.rows) || rd.rows[i+1].Level <= r.Level
		if !leaf || r.Rule != "" {
			continue
		}
		inf := inferRule(ruleSentences(r.Guidance), r.Max, r.Max > 0)
		switch {
		case inf.kind != "":
			r.Rule, r.Params = inf.kind, inf.params
			if rd.kindColumn {
				rd.warns = append(rd.warns, warnf(r.Line, "未填写计分方式，已按评分标准读作%s，请核对", describe(inf.kind, inf.params)))
			}
			for _, s := range inf.unused {
				rd.warns = append(rd.warns, warnf(r.Line, "评分标准中的“%s”未计入计分规则（一个指标只能有一种计分方式：%s），请核对", s, describe(inf.kind, inf.params)))
			}
		case inf.stated:
			rd.warns = append(rd.warns, warnf(r.Line, "计分方式未能从评分标准读出（%s），请选择计分方式", inf.problem))
		case !rd.kindColumn:
			r.Rule = kindLabel(assess.KindDirect)
		}
	}
}

// meta reads the 体系 sheet, if the workbook has one. Its problems are
// problems of the import like any cell's.
func (rd *reader) meta(data []byte, limits upload.Limits) Meta {
	var m Meta
	s, err := xlsx.ReadSheetNamed(data, limits, headerScan*10, sheetMeta)
	if err != nil {
		// The workbook has been read once already, so the one failure left
		// is a missing sheet: a workbook of the user's own, named in the
		// editor.
		return m
	}
	rows := append([][]string{s.Header}, s.Rows...)
	lines := append([]int{0}, s.RowNumbers...)
	if len(s.RowNumbers) > 0 {
		lines[0] = s.RowNumbers[0] - 1
	}
	for i, row := range rows {
		key, val := fold(cell(row, 0)), cell(row, 1)
		where := fmt.Sprintf("“体系”工作表第%d行", lines[i])
		switch {
		case key == "项目" || key == "":
		case strings.Contains(key, "名称"):
			m.Name = val
		case strings.Contains(key, "否决"): // before 满分: "一票否决时总分计零" names the total too
			if val != "" {
				v, ok := parseYes(val)
				if !ok {
					rd.problems = append(rd.problems, fmt.Sprintf("%s一票否决时总分计零应填“是”或“否”，不能是“%s”", where, val))
				}
				m.VetoZero = v
			}
		case strings.Contains(key, "满分") || strings.Contains(key, "总分"):
			if val != "" {
				v, ok := parseFigure(val)
				if !ok {
					rd.problems = append(rd.problems, fmt.Sprintf("%s满分“%s”不是数字", where, val))
				}
				m.FullMarks = v
			}
		case strings.Contains(key, "附加分"):
			if val != "" {
				v, ok := parseFigure(val)
				if !ok {
					rd.problems = append(rd.problems, fmt.Sprintf("%s附加分总上限“%s”不是数字", where, val))
				}
				m.BonusCap = v
			}
		}
	}
	return m
}

// parseFigure reads a number cell as people type it: 6, 6分, ６, 30%, 十.
func parseFigure(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "%"), "％")
	s = strings.TrimSpace(strings.TrimSuffix(s, "分"))
	v, ok := parseNum(s)
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// parseLevel reads a 层级 cell: 1, 一级, 2级.
func parseLevel(s string) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(s), "指标"), "级")
	v, ok := parseNum(s)
	if !ok || v != math.Trunc(v) || v < 1 || v > assess.MaxDepth {
		return 0, false
	}
	return int(v), true
}

// parseYes reads a yes/no cell.
func parseYes(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "是", "需要", "需", "要", "有", "y", "yes", "true", "1", "√", "✓", "✔":
		return true, true
	case "否", "不需要", "不需", "无", "n", "no", "false", "0", "×", "✗", "-", "—":
		return false, true
	}
	return false, false
}

// splitPoints separates a points mark from a name cell of the
// multi-column layout: "机制建设（20分）" → "机制建设", 20.
func splitPoints(s string) (string, float64) {
	loc := trailingPointsRe.FindStringSubmatchIndex(s)
	if loc == nil {
		return strings.TrimSpace(s), 0
	}
	v, _ := parseNum(s[loc[2]:loc[3]])
	return strings.TrimSpace(s[:loc[0]]), v
}
