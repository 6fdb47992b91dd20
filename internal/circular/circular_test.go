package circular

import (
	"fmt"
	"math"
	"os/exec"
	"strings"
	"testing"
	"time"

	"pufa/internal/app"
)

// sample is a circular of 20 rows whose names carry XML specials, an emoji
// and a control character.
func sample() *Circular {
	c := &Circular{
		Issuer:     "临江区全面依法治区委员会守法普法协调小组办公室",
		Mark:       "临江区普法办文件",
		DocNumber:  "临普法办〔2024〕3号",
		Title:      "关于2023年度“谁执法谁普法”履职评议结果的通报",
		Addressees: "各街道办事处、镇人民政府，区级各部门：",
		Body: []string{
			"为深入落实“谁执法谁普法”普法责任制，区普法办组织开展了2023年度履职评议。现将评议结果通报如下。",
			"  ",
			"评议采用“部门自评＋现场评议＋群众评价”的方式，满分100分。",
		},
		TableTitle: "2023年度履职评议结果",
		Ranked:     true,
		After: []string{
			"一、主要亮点。各单位普遍建立了普法责任清单<与>执法“同步普法”机制。",
			"二、存在问题。个别单位以案释法&案例发布不及时。",
			"三、工作要求。请各单位于2024年2月底前报送整改情况。",
		},
		Date: time.Date(2024, 1, 15, 0, 0, 0, 0, app.Shanghai),
	}
	grades := []string{"优秀", "良好", "合格"}
	for i := range 20 {
		c.Rows = append(c.Rows, Row{
			Rank:  i + 1,
			Name:  fmt.Sprintf("区第%d局", i+1),
			Grade: grades[min(i/7, 2)],
			Total: 98.5 - float64(i)*1.25,
		})
	}
	c.Rows[2].Name = `区<司法>&"局"`
	c.Rows[5].Name = "区文旅局😀"
	c.Rows[7].Name = "区市场\x01监管局"
	c.Rows[19].Rank = 0 // not ranked
	return c
}

func TestDateText(t *testing.T) {
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 1, 15, 0, 0, 0, 0, app.Shanghai), "2024年1月15日"},
		{time.Date(2024, 1, 14, 16, 0, 0, 0, time.UTC), "2024年1月15日"},     // midnight in Shanghai
		{time.Date(2023, 12, 31, 15, 59, 59, 0, time.UTC), "2023年12月31日"}, // still the 31st there
		{time.Date(2024, 10, 1, 8, 0, 0, 0, time.UTC), "2024年10月1日"},
		{time.Time{}, ""},
	} {
		if got := DateText(tc.in); got != tc.want {
			t.Errorf("DateText(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCircular_Validate(t *testing.T) {
	if err := sample().Validate(); err != nil {
		t.Fatalf("sample: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(c *Circular)
		field string
		msg   string
	}{
		{"no title", func(c *Circular) { c.Title = " \x02 " }, "title", "请填写通报标题"},
		{"long title", func(c *Circular) { c.Title = strings.Repeat("通", MaxTitle+1) }, "title", "通报标题不能超过"},
		{"no issuer", func(c *Circular) { c.Issuer = "" }, "issuer", "请填写发文机关"},
		{"long mark", func(c *Circular) { c.Mark = strings.Repeat("文", MaxMark+1) }, "mark", "发文机关标志不能超过"},
		{"long doc number", func(c *Circular) { c.DocNumber = strings.Repeat("号", MaxDocNumber+1) }, "doc_number", "文号不能超过"},
		{"long addressees", func(c *Circular) { c.Addressees = strings.Repeat("各", MaxAddressees+1) }, "addressees", "主送机关不能超过"},
		{"long body", func(c *Circular) { c.Body[1] = strings.Repeat("字", MaxParagraph+1) }, "body", "表前正文第2段"},
		{"long after", func(c *Circular) { c.After[0] = strings.Repeat("字", MaxParagraph+1) }, "after", "表后正文第1段"},
		{"many paragraphs", func(c *Circular) { c.After = make([]string, MaxParagraphs) }, "body", "正文不能超过"},
		{"long table title", func(c *Circular) { c.TableTitle = strings.Repeat("表", MaxTableTitle+1) }, "table_title", "表格标题不能超过"},
		{"many rows", func(c *Circular) { c.Rows = make([]Row, MaxRows+1) }, "rows", "结果表不能超过"},
		{"empty name", func(c *Circular) { c.Rows[3].Name = "\x00\t" }, "rows", "结果表第4行的单位名称为空"},
		{"long name", func(c *Circular) { c.Rows[0].Name = strings.Repeat("局", MaxName+1) }, "rows", "结果表第1行的单位名称不能超过"},
		{"long grade", func(c *Circular) { c.Rows[0].Grade = strings.Repeat("优", MaxGrade+1) }, "rows", "等次不能超过"},
		{"NaN", func(c *Circular) { c.Rows[1].Total = math.NaN() }, "rows", "结果表第2行的得分无效"},
		{"infinite", func(c *Circular) { c.Rows[1].Total = math.Inf(-1) }, "rows", "结果表第2行的得分无效"},
		{"negative rank", func(c *Circular) { c.Rows[1].Rank = -1 }, "rows", "结果表第2行的名次无效"},
		{"no date", func(c *Circular) { c.Date = time.Time{} }, "date", "请填写成文日期"},
		{"odd date", func(c *Circular) { c.Date = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC) }, "date", "成文日期无效"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := sample()
			tc.edit(c)
			err := c.Validate()
			e, ok := err.(*app.Error)
			if !ok {
				t.Fatalf("Validate() = %v, want an *app.Error", err)
			}
			if e.Code != app.EINVALID || e.Field != tc.field || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("Validate() = %+v, want field %q and a message containing %q", e, tc.field, tc.msg)
			}
		})
	}
	var nilC *Circular
	if app.ErrorCode(nilC.Validate()) != app.EINVALID {
		t.Error("nil circular was accepted")
	}
}

func TestPlainText(t *testing.T) {
	c := sample()
	got := strings.Split(PlainText(c), "\n")
	want := []string{
		"临江区普法办文件",
		"临普法办〔2024〕3号",
		"关于2023年度“谁执法谁普法”履职评议结果的通报",
		"各街道办事处、镇人民政府，区级各部门：",
		c.Body[0],
		c.Body[2], // the blank paragraph is skipped
		"2023年度履职评议结果",
		"名次\t单位名称\t得分\t等次",
		"1\t区第1局\t98.50\t优秀",
		"2\t区第2局\t97.25\t优秀",
		"3\t区<司法>&\"局\"\t96.00\t优秀",
	}
	for i, w := range want {
		if i >= len(got) || got[i] != w {
			t.Fatalf("line %d = %q, want %q\nfull text:\n%s", i, at(got, i), w, PlainText(c))
		}
	}
	if g, w := got[8+7], "8\t区市场监管局\t89.75\t良好"; g != w { // the control character is gone
		t.Errorf("row 8 = %q, want %q", g, w)
	}
	if g := got[8+19]; g != "\t区第20局\t74.75\t合格" {
		t.Errorf("unranked row = %q", g)
	}
	n := len(got)
	if got[n-2] != c.Issuer || got[n-1] != "2024年1月15日" {
		t.Errorf("ends with %q, %q", got[n-2], got[n-1])
	}
	if !strings.Contains(PlainText(c), "区文旅局😀") {
		t.Error("emoji lost")
	}

	c.Ranked = false
	c.Rows = []Row{{Name: "甲", Total: 90}, {Name: "乙", Total: math.Copysign(0, -1)}}
	got = strings.Split(PlainText(c), "\n")
	if !contains(got, "序号\t单位名称\t得分\t等次") || !contains(got, "1\t甲\t90\t") || !contains(got, "2\t乙\t0\t") {
		t.Errorf("unranked table: %q", got)
	}
}

func TestScoreDecimals(t *testing.T) {
	for _, tc := range []struct {
		totals []float64
		want   []string
	}{
		{[]float64{90, 85}, []string{"90", "85"}},
		{[]float64{95.5, 90}, []string{"95.5", "90.0"}},
		{[]float64{95.25, 90.1}, []string{"95.25", "90.10"}},
		{[]float64{95.123, -0.001}, []string{"95.12", "0.00"}},
	} {
		rows := make([]Row, len(tc.totals))
		for i, x := range tc.totals {
			rows[i].Total = x
		}
		d := decimals(rows)
		for i, x := range tc.totals {
			if got := score(x, d); got != tc.want[i] {
				t.Errorf("score(%v) among %v = %q, want %q", x, tc.totals, got, tc.want[i])
			}
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"a\x00b\x1fc\x7fd\u0085e": "abcde",
		" 行一\n行二\t三\r\n ":         "行一 行二 三",
		"x\uFFFEy\uFFFFz":         "xyz",
		"bad\xffutf8":             "bad\uFFFDutf8",
		"😀<&>":                    "😀<&>",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPure keeps the package a capability: no HTTP, no SQL.
func TestPure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "pufa/internal/circular").CombinedOutput()
	if err != nil {
		t.Skipf("go list: %v\n%s", err, out)
	}
	for _, d := range strings.Fields(string(out)) {
		for _, f := range []string{"net/http", "database/sql", "pufa/internal/store", "pufa/internal/web"} {
			if d == f || strings.HasPrefix(d, f+"/") {
				t.Errorf("circular depends on %s", d)
			}
		}
	}
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "<missing>"
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
