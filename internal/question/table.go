package question

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"pufa/internal/app"
)

// TemplateColumns returns the header of pufa's import template, in order:
// 题型, 题目, 选项A to 选项F, 答案, 解析. 题型 takes 单选/多选/判断/填空/简答
// (or the identifiers); 答案 takes letters ("A", "ABD"), 正确/错误 (or √/×),
// fill-in answers separated by "；", or an essay's reference answer.
func TemplateColumns() []string {
	return []string{"题型", "题目", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "解析"}
}

// Column names FromTable recognizes besides the template's, as the
// spreadsheets people already keep name them.
var (
	stemHeaders     = []string{"题目", "题干", "试题", "试题内容", "题目内容", "问题", "内容", "题目名称", "试题题干", "题目描述", "试题名称"}
	typeHeaders     = []string{"题型", "题目类型", "试题类型", "类型", "题类", "题型名称"}
	answerHeaders   = []string{"答案", "正确答案", "参考答案", "标准答案", "答案选项"}
	analysisHeaders = []string{"解析", "答案解析", "试题解析", "题目解析", "解题思路", "分析", "说明"}
	numberHeaders   = []string{"序号", "题号", "编号"}
	optionsHeaders  = []string{"选项", "备选项", "选项内容", "备选答案", "所有选项"}
)

// headerRowsSearched is how many rows FromTable looks through for the
// header, since sheets often start with a title row.
const headerRowsSearched = 5

// Table is one worksheet's cells, as a spreadsheet reader returns them.
type Table struct {
	// Name is the sheet's name; with several sheets it titles the section.
	Name string
	// Header is the first non-empty row.
	Header []string
	// Rows are the rows after it; RowNumbers their numbers as the
	// spreadsheet shows them, for messages.
	Rows       [][]string
	RowNumbers []int
}

// FromTables reads questions from the sheets of a workbook. Columns are
// found by name (see TemplateColumns; also 题干/试题内容, 正确答案,
// 答案解析, A/B/C/D, a single 选项 column with one option per line, 序号),
// and a title row above the header is skipped. Sheets without a question
// column (instructions, lists) are skipped. One sheet is one section with
// an empty title; with several, each is a section titled with the sheet's
// name, whose type the name may give ("单选题"). N is the 序号 column or
// the question's position. Warnings name the row.
//
// The error, an *app.Error, says no sheet has a question column.
func FromTables(tables ...Table) (*Bank, error) {
	type layout struct {
		t                                 Table
		stem, typ, ans, ana, num, optsCol int
		optCols                           []int
	}
	var found []layout
	for _, t := range tables {
		header, rows, nums := t.Header, t.Rows, t.RowNumbers
		stemCol := columnOf(header, stemHeaders)
		for k := 0; stemCol < 0 && k < len(rows) && k < headerRowsSearched; k++ {
			if c := columnOf(rows[k], stemHeaders); c >= 0 {
				header, rows, stemCol = rows[k], rows[k+1:], c
				if len(nums) > k {
					nums = nums[k+1:]
				}
			}
		}
		if stemCol < 0 {
			continue
		}
		l := layout{
			t:    Table{Name: t.Name, Header: header, Rows: rows, RowNumbers: nums},
			stem: stemCol, typ: columnOf(header, typeHeaders), ans: columnOf(header, answerHeaders),
			ana: columnOf(header, analysisHeaders), num: columnOf(header, numberHeaders),
			optsCol: columnOf(header, optionsHeaders),
		}
		for _, r := range optionLetters {
			c := columnOf(header, []string{"选项" + string(r), string(r), string(r) + "选项", "选项" + string(r) + "内容"})
			if c < 0 {
				break
			}
			l.optCols = append(l.optCols, c)
		}
		found = append(found, l)
	}
	if len(found) == 0 {
		return nil, app.Invalid("file", "表格中没有“题目”列（也可写作“题干”或“试题内容”），请按导入模板填写")
	}

	p := newParser(nil)
	p.table = true
	for _, l := range found {
		var h heading
		where := "第%d行"
		if len(found) > 1 {
			h.title = l.t.Name
			h.t, h.generic = typeFromWords(l.t.Name)
			where = "“" + strings.ReplaceAll(l.t.Name, "%", "%%") + "”表第%d行"
		}
		p.startSection(h)
		p.secs[p.sec].style = styleDot
		first := len(p.drafts)
		for k, row := range l.t.Rows {
			cell := func(c int) string {
				if c < 0 || c >= len(row) {
					return ""
				}
				return strings.TrimSpace(row[c])
			}
			rowNum := k + 2
			if k < len(l.t.RowNumbers) {
				rowNum = l.t.RowNumbers[k]
			}
			if strings.TrimSpace(strings.Join(row, "")) == "" {
				continue
			}
			stem := cell(l.stem)
			if stem == "" {
				p.warn(p.sec, 0, where+"没有题目，已跳过", rowNum)
				continue
			}
			n := len(p.drafts) - first + 1
			if v, err := strconv.Atoi(strings.TrimSuffix(cell(l.num), ".0")); err == nil && v > 0 {
				n = v
			}
			d := &draft{sec: p.sec, n: n, where: fmt.Sprintf(where+"：", rowNum)}
			if tc := cell(l.typ); tc != "" {
				if t, err := ParseType(tc); err == nil {
					d.tag, d.tagWord = t, strings.TrimSuffix(tc, "题")
				} else {
					p.warn(p.sec, n, where+"：题型“%s”无法识别，已按内容判断", rowNum, clip(tc))
				}
			}
			p.addDraft(d)
			p.cur, p.last, p.field, p.inner = d, d, fieldStem, 1
			// The stem cell may hold the options, and even the answer, as
			// a text bank prints them.
			for _, line := range splitLines(stem) {
				p.body(cleanLine(line))
			}
			var colOpts []Option
			for i, c := range l.optCols {
				if t := cellText(cell(c)); t != "" {
					colOpts = append(colOpts, Option{Label: optionLetters[i : i+1], Text: t})
				}
			}
			if len(colOpts) == 0 && l.optsCol >= 0 {
				colOpts = optionsFromCell(cell(l.optsCol))
			}
			if len(colOpts) > 0 {
				d.opts = colOpts
			}
			if a := cellText(cell(l.ans)); a != "" {
				d.answer, d.labelled = []string{a}, true
			}
			if a := cellText(cell(l.ana)); a != "" {
				d.analysis = append(d.analysis, a)
			}
		}
	}
	return p.finish(), nil
}

// cellText cleans each line of a cell and joins them.
func cellText(s string) string {
	lines := splitLines(s)
	for i, l := range lines {
		lines[i] = cleanLine(l)
	}
	return joinText(lines)
}

// optionsFromCell reads options from one cell: labelled ("A.宪法 B.刑法",
// one per line or on one line), or unlabelled, one per line or separated
// by "|" or "；", labelled A, B, C in order.
func optionsFromCell(s string) []Option {
	var opts []Option
	var plain []string
	for _, l := range splitLines(s) {
		l = cleanLine(l)
		if l == "" {
			continue
		}
		if _, o := splitOptions(l, true); len(o) > 0 {
			opts = append(opts, o...)
			continue
		}
		plain = append(plain, l)
	}
	if len(opts) > 0 {
		return opts
	}
	if len(plain) == 1 {
		plain = splitOn(plain[0], "|｜；;")
	}
	for i, t := range plain {
		if i >= len(optionLetters) {
			break
		}
		opts = append(opts, Option{Label: optionLetters[i : i+1], Text: t})
	}
	return opts
}

// columnOf finds the first column whose header matches one of names,
// compared without spaces, full-width forms, case and the "*" of a
// required column.
func columnOf(header []string, names []string) int {
	for _, name := range names {
		k := normalizeHeader(name)
		for i, h := range header {
			if normalizeHeader(h) == k {
				return i
			}
		}
	}
	return -1
}

func normalizeHeader(h string) string {
	var b strings.Builder
	for _, r := range h {
		switch {
		case unicode.IsSpace(r):
			continue
		case 0xFF01 <= r && r <= 0xFF5E:
			r -= 0xFEE0
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.Trim(b.String(), "*")
}
