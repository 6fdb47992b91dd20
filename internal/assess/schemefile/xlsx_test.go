package schemefile

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/upload"
	"pufa/internal/xlsx"
)

func TestXLSX_roundTrip(t *testing.T) {
	for i, s := range schemes(t, 40) {
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, Meta{}, s); err != nil {
			t.Fatalf("scheme %d: WriteXLSX: %v", i, err)
		}
		m, rows, warns, err := ReadXLSX(buf.Bytes(), upload.DefaultSpreadsheet())
		if err != nil {
			t.Fatalf("scheme %d: ReadXLSX: %v", i, err)
		}
		if len(warns) > 0 {
			t.Errorf("scheme %d: warnings %v", i, warns)
		}
		if m != MetaOf(s) {
			t.Errorf("scheme %d: meta %+v, want %+v", i, m, MetaOf(s))
		}
		for j, r := range rows {
			if r.Line != j+2 {
				t.Fatalf("scheme %d: row %d has line %d, want the spreadsheet's %d", i, j, r.Line, j+2)
			}
		}
		back, errs := Build(m, rows)
		if len(errs) > 0 {
			t.Fatalf("scheme %d: Build: %v", i, errs)
		}
		if want, got := encode(t, s), encode(t, back); !bytes.Equal(want, got) {
			t.Fatalf("scheme %d changed in the round trip:\n%s\n%s", i, want, got)
		}
	}
}

func TestWriteXLSX_template(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, Meta{}, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{"指标", "体系", "说明"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	head, err := f.GetRows("指标")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(indicatorHeaders, head[0]); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}

	// The template imports as it is: one example row per rule kind.
	m, rows, warns, err := ReadXLSX(buf.Bytes(), upload.DefaultSpreadsheet())
	if err != nil || len(warns) > 0 {
		t.Fatalf("ReadXLSX: %v %v", err, warns)
	}
	kinds := map[string]bool{}
	for _, r := range rows {
		if r.Rule != "" {
			kinds[r.Rule] = true
		}
	}
	for _, k := range RuleKinds() {
		if !kinds[k] {
			t.Errorf("the template has no example of %s", k)
		}
	}
	s, errs := Build(m, rows)
	if len(errs) > 0 {
		t.Fatalf("the template does not build: %v", errs)
	}
	if s.FullMarks != 100 || s.BonusCap != 3 || !strings.HasPrefix(s.Name, "示例") {
		t.Errorf("template meta: %+v", m)
	}

	// A Meta given overrides the example's, field by field.
	buf.Reset()
	if err := WriteXLSX(&buf, Meta{Name: "2025年度考核", VetoZero: true}, nil); err != nil {
		t.Fatal(err)
	}
	m, rows, _, err = ReadXLSX(buf.Bytes(), upload.DefaultSpreadsheet())
	if err != nil || m != (Meta{Name: "2025年度考核", FullMarks: 100, BonusCap: 3, VetoZero: true}) {
		t.Errorf("meta %+v, %v", m, err)
	}
	if _, errs := Build(m, rows); len(errs) > 0 {
		t.Errorf("Build: %v", errs)
	}

	// A scheme's export with a Meta given writes that Meta.
	buf.Reset()
	if err := WriteXLSX(&buf, Meta{Name: "另存", FullMarks: 100}, assess.DutyReviewScheme()); err != nil {
		t.Fatal(err)
	}
	if m, _, _, err = ReadXLSX(buf.Bytes(), upload.DefaultSpreadsheet()); err != nil || m != (Meta{Name: "另存", FullMarks: 100}) {
		t.Errorf("meta %+v, %v", m, err)
	}
}

// sheet writes one sheet with pufa's own writer, as a user returning a
// filled-in template would have it.
func sheet(t *testing.T, name string, headers []string, rows ...[]any) []byte {
	t.Helper()
	w, err := xlsx.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.AddSheet(name, headers); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.WriteRow(r...); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := w.Finish(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSX_lenientCells(t *testing.T) {
	data := sheet(t, "指标", []string{"层级", "编号", "指标名称*", "分值（分）", "权重", "计分方式", "计分参数", "评分标准", "需佐证"},
		[]any{"一级", "", "组织领导", "１０分", "", "", "", "", ""},
		[]any{"2级", "", "专题研究", "4", "", "", "", "每年至少2次，每少一次扣2分，扣完为止", "√"},
		[]any{2, "", "工作机构", "6分", "", " 是 否 ", "", "", "否"},
	)
	m, rows, warns, err := ReadXLSX(data, upload.DefaultSpreadsheet())
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Level: 1, Name: "组织领导", Max: 10, Line: 2},
		{Level: 2, Name: "专题研究", Max: 4, Rule: "扣分", Params: "每次扣2分，扣完为止", Guidance: "每年至少2次，每少一次扣2分，扣完为止", Evidence: true, Line: 3},
		{Level: 2, Name: "工作机构", Max: 6, Rule: "是 否", Line: 4},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// The rule read from the standard is reported, for the user to check.
	if len(warns) != 1 || warns[0].Line != 3 || !strings.Contains(warns[0].Message, "第3行：未填写计分方式，已按评分标准读作扣分（每次扣2分，扣完为止）") {
		t.Errorf("warnings %v", warns)
	}
	// No 体系 sheet: the name is the editor's to fill in.
	m.Name = "考核"
	if _, errs := Build(m, rows); len(errs) != 0 {
		t.Errorf("Build: %v", errs)
	}
}

// Errors name the spreadsheet's row, the one the user opens.
func TestReadXLSX_errorsNameRows(t *testing.T) {
	headers := indicatorHeaders
	t.Run("cells that are not numbers", func(t *testing.T) {
		data := sheet(t, "指标", headers,
			[]any{1, "A", "组织领导", 10},
			[]any{2, "A1", "专题研究", "待定", "", "直接评分"},
			[]any{"高", "A2", "工作机构", 6, "三成", "直接评分", "", "", "也许"},
		)
		_, _, _, err := ReadXLSX(data, upload.DefaultSpreadsheet())
		if app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("got %v", err)
		}
		msg := app.ErrorMessage(err)
		for _, want := range []string{"第3行分值“待定”不是数字", "第4行层级“高”应为 1 到 10 的整数", "第4行权重“三成”不是数字", "第4行需佐证应填“是”或“否”，不能是“也许”"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%q does not contain %q", msg, want)
			}
		}
	})
	t.Run("structure, through Build", func(t *testing.T) {
		data := sheet(t, "指标", headers,
			[]any{1, "A", "组织领导", 10},
			[]any{2, "A1", "专题研究", 4, "", "扣分", "每次扣1分"},
			[]any{2, "A2", "工作机构", 5, "", "打分表"},
			[]any{4, "A3", "会前学法", 1, "", "是否"},
			[]any{2, "A1", "领导小组", 1, "", "是否"},
		)
		m, rows, _, err := ReadXLSX(data, upload.DefaultSpreadsheet())
		if err != nil {
			t.Fatal(err)
		}
		m.Name = "考核"
		_, errs := Build(m, rows)
		var got []string
		for _, e := range errs {
			got = append(got, app.ErrorMessage(e))
		}
		if len(got) != 3 {
			t.Errorf("got %d errors, want 3: %q", len(got), got)
		}
		for i, w := range []string{
			"第4行：计分方式“打分表”无法识别",
			"第5行：层级从 2 跳到了 4",
			"第6行：编号“A1”与第3行重复",
		} {
			if i >= len(got) || !strings.HasPrefix(got[i], w) {
				t.Errorf("error %d: want %q, got %q", i, w, got)
			}
		}
	})
}

func TestReadXLSX_refuses(t *testing.T) {
	good := sheet(t, "指标", indicatorHeaders, []any{1, "A", "甲", 10, "", "是否"})
	tooMany := make([][]any, MaxRows+1)
	for i := range tooMany {
		tooMany[i] = []any{1, "", "甲", 1, "", "是否"}
	}
	tests := []struct {
		name   string
		data   []byte
		limits upload.Limits
		code   string
		want   string
	}{
		{"garbage", []byte("这不是表格，只是一段文字"), upload.DefaultSpreadsheet(), app.EINVALID, "不是有效的"},
		{"a zip that is not a workbook", zipOf(t, "word/document.xml", "<w:document/>"), upload.DefaultSpreadsheet(), app.EINVALID, ""},
		{"over the size limit", good, upload.Limits{MaxBytes: 1000, MaxEntries: 100, MaxUncompressed: 1 << 20, MaxRatio: 100}, app.ETOOLARGE, "文件超过 1000 字节 上限"},
		{"over the row limit", sheet(t, "指标", indicatorHeaders, tooMany...), upload.DefaultSpreadsheet(), app.ETOOLARGE, "表格超过 5000 行上限"},
		{"no header", sheet(t, "Sheet1", []string{"单位", "联系人"}, []any{"区司法局", "张三"}), upload.DefaultSpreadsheet(), app.EINVALID, "没有找到表头"},
		{"no rows", sheet(t, "指标", indicatorHeaders), upload.DefaultSpreadsheet(), app.EINVALID, "没有指标"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := ReadXLSX(tt.data, tt.limits)
			var e *app.Error
			if !errors.As(err, &e) || e.Code != tt.code {
				t.Fatalf("got %v, want code %s", err, tt.code)
			}
			if !strings.Contains(e.Message, tt.want) || !hasHan(e.Message) {
				t.Fatalf("message %q, want Chinese containing %q", e.Message, tt.want)
			}
		})
	}
}

// hasHan reports whether s holds Chinese text.
func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}

// zipOf returns a zip holding one file.
func zipOf(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err == nil {
		_, err = w.Write([]byte(content))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The layout offices already keep: one column per level, a title above
// the header, parents in merged cells, points in the parents' names,
// rules only in the standard.
func TestReadXLSX_levelColumns(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Sheet1"
	set := func(cell string, v any) {
		t.Helper()
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	merge := func(from, to string) {
		t.Helper()
		if err := f.MergeCell(sh, from, to); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "2024年度普法依法治理工作考核评分表")
	merge("A1", "E1")
	for i, h := range []string{"一级指标", "二级指标", "三级指标", "分值", "评分标准"} {
		set(fmt.Sprintf("%c2", 'A'+i), h)
	}
	rows := [][]any{
		{"组织领导（20分）", "领导责任（10分）", "听取法治建设汇报", 4, "每年不少于2次，每少一次扣2分，扣完为止。"},
		{"", "", "年度述法", 3, "完全达到得3分，部分达到得2分，未达到不得分。"},
		{"", "", "法治建设工作要点", 3, "未制定的不得分。"},
		{"", "普法责任制（10分）", "普法责任清单", 5, "清单具体并公示得5分；已制定未公示得3分；未制定不得分。"},
		{"", "", "以案释法", 5, "按发布案例的数量和质量评分。"},
		{"社会普法（10分）", "主题宣传", "", 6, "每缺一项主题活动扣2分。"},
		{"", "", "", "", "主题活动包括宪法宣传周、民法典宣传月。"},
		{"社会普法（10分）", "学法考试", "", 4, "参考率100%且合格率95%以上得满分，按比例计分。"},
		{"加分项", "经验做法获推广", "", "", "每项加1分，最多加3分。"},
	}
	for i, r := range rows {
		if err := f.SetSheetRow(sh, fmt.Sprintf("A%d", i+3), &r); err != nil {
			t.Fatal(err)
		}
	}
	merge("A3", "A7") // 组织领导 over its rows
	merge("B3", "B5") // 领导责任
	merge("B6", "B7") // 普法责任制
	merge("B8", "B9") // 主题宣传, over the row continuing its standard
	merge("C8", "C9")
	merge("D8", "D9")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}

	m, got, warns, err := ReadXLSX(buf.Bytes(), upload.DefaultSpreadsheet())
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "2024年度普法依法治理工作考核评分表" {
		t.Errorf("name %q, want the title above the header", m.Name)
	}
	want := []Row{
		{Level: 1, Name: "组织领导", Max: 20, Line: 3},
		{Level: 2, Name: "领导责任", Max: 10, Line: 3},
		{Level: 3, Name: "听取法治建设汇报", Max: 4, Rule: "扣分", Params: "每次扣2分，扣完为止", Guidance: "每年不少于2次，每少一次扣2分，扣完为止。", Line: 3},
		{Level: 3, Name: "年度述法", Max: 3, Rule: "分档", Params: "完全达到:3；部分达到:2；未达到:0", Guidance: "完全达到得3分，部分达到得2分，未达到不得分。", Line: 4},
		{Level: 3, Name: "法治建设工作要点", Max: 3, Rule: "是否", Guidance: "未制定的不得分。", Line: 5},
		{Level: 2, Name: "普法责任制", Max: 10, Line: 6},
		{Level: 3, Name: "普法责任清单", Max: 5, Rule: "分档", Params: "清单具体并公示:5；已制定未公示:3；未制定:0", Guidance: "清单具体并公示得5分；已制定未公示得3分；未制定不得分。", Line: 6},
		{Level: 3, Name: "以案释法", Max: 5, Rule: "直接评分", Guidance: "按发布案例的数量和质量评分。", Line: 7},
		{Level: 1, Name: "社会普法", Max: 10, Line: 8},
		{Level: 2, Name: "主题宣传", Max: 6, Rule: "扣分", Params: "每次扣2分", Guidance: "每缺一项主题活动扣2分。\n主题活动包括宪法宣传周、民法典宣传月。", Line: 8},
		{Level: 2, Name: "学法考试", Max: 4, Guidance: "参考率100%且合格率95%以上得满分，按比例计分。", Line: 10},
		{Level: 1, Name: "加分项", Line: 11},
		{Level: 2, Name: "经验做法获推广", Rule: "加分", Params: "上限3", Guidance: "每项加1分，最多加3分。", Line: 11},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// The standard that states no rule it can read is left for the user,
	// named by its row; nothing is guessed.
	if len(warns) != 1 || warns[0].Line != 10 || !strings.Contains(warns[0].Message, "计分方式未能从评分标准读出") {
		t.Errorf("warnings %v", warns)
	}

	got[10].Rule = "直接评分"
	m.FullMarks = 30
	s, errs := Build(m, got)
	if len(errs) > 0 {
		t.Fatalf("Build: %v", errs)
	}
	if s.Roots[0].Code != "A" || s.Roots[0].Children[1].Children[0].Code != "A2.1" {
		t.Errorf("codes not generated from position: %s, %s", s.Roots[0].Code, s.Roots[0].Children[1].Children[0].Code)
	}
}

func TestReadXLSX_levelColumnsErrors(t *testing.T) {
	data := sheet(t, "考核表", []string{"一级指标", "二级指标", "分值", "评分标准"},
		[]any{"", "无主指标", 5, ""},
		[]any{"甲", "", "五分半", ""},
	)
	_, _, _, err := ReadXLSX(data, upload.DefaultSpreadsheet())
	msg := app.ErrorMessage(err)
	for _, want := range []string{"第2行一级指标为空，上方也没有可归属的一级指标", "第3行分值“五分半”不是数字"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q does not contain %q", msg, want)
		}
	}
}
