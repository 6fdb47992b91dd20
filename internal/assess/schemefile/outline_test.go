package schemefile

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pufa/internal/outline"
)

// A real-shaped rubric (评分细则): sections with points, rules in the
// phrasing offices use, a bonus and a veto section, and two lines the
// import must not guess at.
func TestFromOutline_rubric(t *testing.T) {
	data, err := os.ReadFile("testdata/rubric.txt")
	if err != nil {
		t.Fatal(err)
	}
	res, err := outline.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	m, rows, warns := FromOutline(res)

	if want := (Meta{Name: "2024年度法治政府建设和普法依法治理工作考核评分细则", FullMarks: 100}); m != want {
		t.Errorf("meta %+v, want %+v", m, want)
	}
	want := []Row{
		{Line: 5, Level: 1, Name: "组织领导", Max: 20},
		{Line: 6, Level: 2, Name: "党政主要负责人履行推进法治建设第一责任人职责", Max: 10},
		{Line: 7, Level: 3, Name: "党委（党组）每年听取法治建设工作汇报不少于2次", Max: 4, Rule: "扣分", Params: "每次扣2分，扣完为止", Guidance: "每少一次扣2分，扣完为止。"},
		{Line: 8, Level: 3, Name: "主要负责人年度述法", Max: 3, Rule: "分档", Params: "完全达到:3；部分达到:2；未达到:0", Guidance: "完全达到得3分，部分达到得2分，未达到不得分。"},
		{Line: 9, Level: 3, Name: "制定年度法治建设工作要点并按时报送", Max: 3, Rule: "是否", Guidance: "未制定的不得分。"},
		{Line: 10, Level: 2, Name: "落实“谁执法谁普法”普法责任制", Max: 10},
		{Line: 11, Level: 3, Name: "制定并公布年度普法责任清单", Max: 5, Rule: "分档", Params: "清单内容具体并已公示:5；已制定未公示:3；未制定:0", Guidance: "清单内容具体并已公示得5分；已制定未公示得3分；未制定不得分。"},
		{Line: 12, Level: 3, Name: "领导班子会前学法", Max: 3, Rule: "扣分", Params: "每次扣0.5分，最多扣2分", Guidance: "每季度至少一次，每少一次扣0.5分，累计不超过2分。"},
		{Line: 13, Level: 3, Name: "执法人员培训", Max: 2, Rule: "直接评分", Guidance: "全员培训并考核。"},
		{Line: 14, Level: 1, Name: "普法宣传教育", Max: 30},
		{Line: 15, Level: 2, Name: "重要节点主题宣传", Max: 15},
		{Line: 16, Level: 3, Name: "宪法宣传周、民法典宣传月、全民国家安全教育日等主题宣传", Max: 10, Rule: "扣分", Params: "每次扣2分", Guidance: "每缺一项主题活动扣2分。"},
		{Line: 17, Level: 3, Name: "以案释法", Max: 5, Rule: "直接评分", Guidance: "发布典型案例并释法说理。"},
		{Line: 18, Level: 2, Name: "新媒体普法", Max: 15},
		{Line: 19, Level: 3, Name: "政务新媒体普法专栏", Max: 8, Rule: "扣分", Params: "每次扣1分", Guidance: "两周无更新的，每发现一次扣1分。"},
		{Line: 20, Level: 3, Name: "普法项目和精品", Max: 7, Rule: "分档", Params: "获评精品项目:7；开展项目化管理:4；其他:0", Guidance: "获评精品项目得7分，开展项目化管理得4分，其他不得分。"},
		{Line: 21, Level: 1, Name: "法治实效", Max: 50},
		{Line: 22, Level: 2, Name: "行政复议和诉讼", Max: 25},
		{Line: 23, Level: 3, Name: "行政诉讼败诉率", Max: 15, Rule: "扣分", Params: "每次扣3分", Guidance: "因执法不当败诉一件扣3分。"},
		{Line: 24, Level: 3, Name: "行政复议纠错率", Max: 10, Rule: "扣分", Params: "每次扣2分", Guidance: "被纠错一件扣2分，未建立复议应诉台账的不得分。"},
		{Line: 25, Level: 2, Name: "群众满意度", Max: 25, Rule: "直接评分", Guidance: "由第三方测评，按满意度比例计分。"},
		{Line: 26, Level: 1, Name: "加分项"},
		{Line: 27, Level: 2, Name: "法治建设经验做法被省级以上推广或表彰的，每项加1分，最多加3分", Rule: "加分", Params: "上限3"},
		{Line: 28, Level: 2, Name: "被上级通报批评的，每次减1分，最多减3分", Rule: "减分", Params: "上限3"},
		{Line: 29, Level: 2, Name: "承办上级普法现场会的，酌情加分"},
		{Line: 30, Level: 1, Name: "一票否决"},
		{Line: 31, Level: 2, Name: "发生重大违法违纪案件、造成严重不良社会影响的，实行一票否决", Rule: "一票否决", Params: "普法办核查"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	wantWarns := []Warning{
		{Line: 24, Message: "第24行：“未建立复议应诉台账的不得分”未计入计分规则（一个指标只能有一种计分方式：扣分（每次扣2分）），已保留在评分标准中，请核对"},
		{Line: 29, Message: "第29行：“承办上级普法现场会的，酌情加分”未写明分值和计分方式，请补上"},
	}
	if diff := cmp.Diff(wantWarns, warns); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}

	// Until the user decides, Build refuses the line it could not read,
	// naming it; once decided, the rubric is a valid scheme.
	_, errs := Build(m, rows)
	if len(errs) != 1 || !strings.HasPrefix(messageOf(errs[0]), "第29行：末级指标") {
		t.Fatalf("Build: %v", errs)
	}
	rows[24].Rule, rows[24].Params = "加分", "上限1"
	s, errs := Build(m, rows)
	if len(errs) > 0 {
		t.Fatalf("Build: %v", errs)
	}
	if s.FullMarks != 100 || len(s.Roots) != 5 || s.Roots[0].Children[1].Children[0].Code != "A2.1" {
		t.Errorf("scheme: full marks %v, %d roots", s.FullMarks, len(s.Roots))
	}
}

func TestFromOutline_doubts(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		wantRows  []Row
		wantWarns []string
		wantMeta  Meta
	}{
		{
			name:      "no numbered nodes",
			text:      "各单位要高度重视普法工作。",
			wantWarns: []string{"文件中没有找到编号的指标"},
		},
		{
			name: "a rule on a parent, a leaf without points, a rule it cannot read",
			text: "考核细则\n一、机制建设（10分）。未建立领导小组的，本项不得分。\n1.领导小组（6分）。参考率100%且合格率95%以上得满分，按比例计分。\n2.每少一次扣1分，最多扣2分。\n",
			wantRows: []Row{
				{Line: 2, Level: 1, Name: "机制建设", Max: 10, Guidance: "未建立领导小组的，本项不得分。"},
				{Line: 3, Level: 2, Name: "领导小组", Max: 6, Guidance: "参考率100%且合格率95%以上得满分，按比例计分。"},
				{Line: 4, Level: 2, Name: "每少一次扣1分，最多扣2分", Rule: "减分", Params: "上限2"},
			},
			wantWarns: []string{
				"第2行：“机制建设”是上级指标，得分由下级指标相加，其中的计分说明“未建立领导小组的，本项不得分”未计入",
				"第3行：“领导小组”的计分方式未能读出（未能从“参考率100%且合格率95%以上得满分，按比例计分”读出计分方式）",
			},
			wantMeta: Meta{Name: "考核细则", FullMarks: 10},
		},
		{
			name: "a heading of bonus items given points",
			text: "考核细则\n一、工作（5分）\n二、加分项（3分）\n1.获表彰的，每项加1分，最多加3分。\n",
			wantRows: []Row{
				{Line: 2, Level: 1, Name: "工作", Max: 5, Rule: "直接评分"},
				{Line: 3, Level: 1, Name: "加分项"},
				{Line: 4, Level: 2, Name: "获表彰的，每项加1分，最多加3分", Rule: "加分", Params: "上限3"},
			},
			wantWarns: []string{"第3行：“加分项”下只有加分、减分或一票否决项，不计入基本分，所写 3 分未计入"},
			wantMeta:  Meta{Name: "考核细则", FullMarks: 5},
		},
		{
			name: "full marks stated and not met",
			text: "考核细则\n考核满分100分。\n一、工作（90分）\n",
			wantRows: []Row{
				{Line: 3, Level: 1, Name: "工作", Max: 90, Rule: "直接评分"},
			},
			wantWarns: []string{"各一级指标分值合计 90 分，与文件所写满分 100 分不一致"},
			wantMeta:  Meta{Name: "考核细则", FullMarks: 100},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, rows, warns := FromOutline(outline.ParseText(tt.text))
			if diff := cmp.Diff(tt.wantRows, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if m != tt.wantMeta {
				t.Errorf("meta %+v, want %+v", m, tt.wantMeta)
			}
			var got []string
			for _, w := range warns {
				got = append(got, w.Message)
			}
			if len(got) != len(tt.wantWarns) {
				t.Fatalf("warnings %q, want %q", got, tt.wantWarns)
			}
			for i, w := range tt.wantWarns {
				if !strings.Contains(got[i], w) {
					t.Errorf("warning %d: %q does not contain %q", i, got[i], w)
				}
			}
		})
	}
	if m, rows, warns := FromOutline(nil); m != (Meta{}) || rows != nil || warns != nil {
		t.Errorf("FromOutline(nil) = %v, %v, %v", m, rows, warns)
	}
}

func TestLineIndex(t *testing.T) {
	l := newLineIndex("一\n二二\n\n三")
	for at, want := range map[int]int{0: 1, 1: 1, 2: 2, 4: 2, 5: 3, 6: 4, 7: 4} {
		if got := l.line(at); got != want {
			t.Errorf("line(%d) = %d, want %d", at, got, want)
		}
	}
}
