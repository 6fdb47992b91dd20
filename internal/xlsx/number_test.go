package xlsx

import (
	"bytes"
	"math"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestWriter_numberFormats(t *testing.T) {
	data := export(t, "统计", []string{"单位", "参考率", "平均分", "空"},
		[]any{"公安局", Number{Value: 0.9651, Format: Percent}, Number{Value: 86.5, Format: Hundredths}, Number{Value: math.NaN(), Format: Percent}},
		[]any{"教育局", Number{Value: 1, Format: Percent}, Number{Value: 70, Format: Hundredths}, Number{Value: 3}},
	)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range []struct{ cell, shown, raw string }{
		{"B2", "96.5%", "0.9651"}, {"C2", "86.50", "86.5"}, {"D2", "", ""},
		{"B3", "100.0%", "1"}, {"C3", "70.00", "70"}, {"D3", "3", "3"},
	} {
		shown, _ := f.GetCellValue("统计", c.cell)
		raw, _ := f.GetCellValue("统计", c.cell, excelize.Options{RawCellValue: true})
		if shown != c.shown || raw != c.raw {
			t.Errorf("%s shows %q (raw %q), want %q (raw %q)", c.cell, shown, raw, c.shown, c.raw)
		}
		if typ, _ := f.GetCellType("统计", c.cell); c.raw != "" && typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s is of type %v, want a number", c.cell, typ)
		}
	}
}
