package schemefile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pufa/internal/app"
	"pufa/internal/assess"
)

// tier is a tier of a tiered rule.
func tier(label string, points float64) assess.Tier { return assess.Tier{Label: label, Points: points} }

func TestRuleKinds(t *testing.T) {
	want := []string{"直接评分", "扣分", "是否", "分档", "加分", "减分", "一票否决"}
	if diff := cmp.Diff(want, RuleKinds()); diff != "" {
		t.Fatalf("RuleKinds (-want +got):\n%s", diff)
	}
	for _, label := range want {
		if _, err := ParseRule(label, "", 0); err != nil && !strings.Contains(app.ErrorMessage(err), "需要") {
			t.Errorf("ParseRule(%q, \"\") = %v", label, err)
		}
	}
}

func TestFormatParseRule_roundTrip(t *testing.T) {
	tests := []struct {
		rule       assess.Rule
		max        float64
		wantKind   string
		wantParams string
	}{
		{assess.Direct{}, 6, "直接评分", ""},
		{assess.Direct{Step: 0.5}, 6, "直接评分", "步长0.5"},
		{assess.Direct{Step: 0.1}, 0.3, "直接评分", "步长0.1"},
		{assess.Deduction{PerOccurrence: 0.3, Cap: 1.2}, 2, "扣分", "每次扣0.3分，最多扣1.2分"},
		{assess.Deduction{PerOccurrence: 2, Cap: 4}, 4, "扣分", "每次扣2分，扣完为止"},
		{assess.Deduction{PerOccurrence: 1}, 8, "扣分", "每次扣1分"},
		{assess.YesNo{}, 4, "是否", ""},
		{assess.Tiered{Levels: []assess.Tier{tier("完全达到", 3), tier("部分达到", 2), tier("未达到", 0)}}, 3, "分档", "完全达到:3；部分达到:2；未达到:0"},
		{assess.Tiered{Levels: []assess.Tier{tier("第1档", 0.3), tier("已制定（未公示）", 1.25)}}, 2, "分档", "第1档:0.3；已制定（未公示）:1.25"},
		{assess.Bonus{Cap: 3}, 0, "加分", "上限3"},
		{assess.Penalty{Cap: 0.5}, 0, "减分", "上限0.5"},
		{assess.Veto{By: assess.VetoByOffice}, 0, "一票否决", "普法办核查"},
		{assess.Veto{By: assess.VetoByMajority}, 0, "一票否决", "评议过半数"},
		{assess.Veto{By: assess.VetoByMajority, Stage: assess.StagePanel}, 0, "一票否决", "评议团过半数"},
		{assess.Veto{By: assess.VetoByMajority, Stage: assess.StageSite}, 0, "一票否决", "实地考察过半数"},
		{assess.Veto{By: assess.VetoByMajority, Stage: assess.StageOffice}, 0, "一票否决", "普法办核查过半数"},
	}
	for _, tt := range tests {
		t.Run(tt.wantKind+" "+tt.wantParams, func(t *testing.T) {
			kind, params := FormatRule(tt.rule, tt.max)
			if kind != tt.wantKind || params != tt.wantParams {
				t.Fatalf("FormatRule = %q, %q; want %q, %q", kind, params, tt.wantKind, tt.wantParams)
			}
			back, err := ParseRule(kind, params, tt.max)
			if err != nil {
				t.Fatalf("ParseRule(%q, %q): %v", kind, params, err)
			}
			if diff := cmp.Diff(tt.rule, back); diff != "" {
				t.Fatalf("round trip (-want +got):\n%s", diff)
			}
		})
	}
	if k, p := FormatRule(nil, 10); k != "" || p != "" {
		t.Errorf("FormatRule(nil) = %q, %q", k, p)
	}
	if k, p := FormatRule(&assess.Deduction{PerOccurrence: 1}, 3); k != "扣分" || p != "每次扣1分" {
		t.Errorf("FormatRule(pointer) = %q, %q", k, p)
	}
}

// The forms real rubrics and spreadsheets use.
func TestParseRule_lenient(t *testing.T) {
	tests := []struct {
		kind, params string
		max          float64
		want         assess.Rule
	}{
		{"直接评分", "按0.5分一档", 6, assess.Direct{Step: 0.5}},
		{"直接评分", "０．５分为一档", 6, assess.Direct{Step: 0.5}},
		{"直接评分", "步长：0.5分", 6, assess.Direct{Step: 0.5}},
		{"直接评分", "0.5", 6, assess.Direct{Step: 0.5}},
		{"直接评分", "直接评分，0–6 分，按 0.5 分一档", 6, assess.Direct{Step: 0.5}},
		{"直接打分", "", 6, assess.Direct{}},
		{" 扣 分 ", "每少一次扣0.3分,累计不超过1.2分", 2, assess.Deduction{PerOccurrence: 0.3, Cap: 1.2}},
		{"扣分", "每缺一项扣2分，扣完为止", 10, assess.Deduction{PerOccurrence: 2, Cap: 10}},
		{"扣分", "每发现一处扣1分", 8, assess.Deduction{PerOccurrence: 1}},
		{"扣分", "每次扣 0.5 分，累计扣分以 2 分为限", 6, assess.Deduction{PerOccurrence: 0.5, Cap: 2}},
		{"扣分", "少报一次扣０.３分；扣分上限1.2分", 2, assess.Deduction{PerOccurrence: 0.3, Cap: 1.2}},
		{"扣分", "每年至少专题研究2次，每少一次扣一分", 4, assess.Deduction{PerOccurrence: 1}},
		{"扣分", "每次减0.5分，最多减2分", 4, assess.Deduction{PerOccurrence: 0.5, Cap: 2}},
		{"是否", "达到得满分，未达到不得分", 4, assess.YesNo{}},
		{"是否达到", "", 4, assess.YesNo{}},
		{"分档", "完全达到得3分,部分达到得2分,未达到不得分", 3, assess.Tiered{Levels: []assess.Tier{tier("完全达到", 3), tier("部分达到", 2), tier("未达到", 0)}}},
		{"分档评分", "完全达到：3分；部分达到：2分；未达到：0分", 3, assess.Tiered{Levels: []assess.Tier{tier("完全达到", 3), tier("部分达到", 2), tier("未达到", 0)}}},
		{"分档", "清单具体并已公示的得6分；已制定未公示的得3分；未制定的不得分", 6, assess.Tiered{Levels: []assess.Tier{tier("清单具体并已公示", 6), tier("已制定未公示", 3), tier("未制定", 0)}}},
		{"分档", "优秀5分，良好3分，一般1分", 5, assess.Tiered{Levels: []assess.Tier{tier("优秀", 5), tier("良好", 3), tier("一般", 1)}}},
		{"分档", "全部完成得满分；部分完成得2分", 4, assess.Tiered{Levels: []assess.Tier{tier("全部完成", 4), tier("部分完成", 2)}}},
		{"加分", "最多加3分", 0, assess.Bonus{Cap: 3}},
		{"加分", "每项加1分，最多加3分", 0, assess.Bonus{Cap: 3}},
		{"加分", "3分", 0, assess.Bonus{Cap: 3}},
		{"减分", "最多扣3分", 0, assess.Penalty{Cap: 3}},
		{"减分", "上限 ３", 0, assess.Penalty{Cap: 3}},
		{"一票否决", "", 0, assess.Veto{By: assess.VetoByOffice}},
		{"一票否决", "由普法办核查认定", 0, assess.Veto{By: assess.VetoByOffice}},
		{"一票否决", "评议团评议过半数", 0, assess.Veto{By: assess.VetoByMajority, Stage: assess.StagePanel}},
		{"一票否决", "互评 过半数", 0, assess.Veto{By: assess.VetoByMajority, Stage: assess.StagePeer}},
		{"veto", "过半数", 0, assess.Veto{By: assess.VetoByMajority}},
	}
	for _, tt := range tests {
		t.Run(tt.kind+" "+tt.params, func(t *testing.T) {
			got, err := ParseRule(tt.kind, tt.params, tt.max)
			if err != nil {
				t.Fatalf("ParseRule: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRule_refuses(t *testing.T) {
	tests := []struct {
		kind, params string
		max          float64
		want         string // in the message
	}{
		{"打钩", "", 3, "计分方式“打钩”无法识别"},
		{"扣分", "", 3, "每次扣几分"},
		{"扣分", "酌情扣分", 3, "应写成“每次扣0.5分，最多扣2分”"},
		{"扣分", "每少一次扣0.5分，未开展的扣2分", 3, "不止一种扣分标准"},
		{"扣分", "每次扣1分，最多扣5分", 3, "扣分上限 5 分超过了指标分值 3 分"},
		{"分档", "好坏", 3, "应写成“完全达到:3；部分达到:2；未达到:0”"},
		{"分档", "好:4；坏:0", 3, "档次“好”的分数 4 应在 0 到 3 分之间"},
		{"分档", "好:3；好:0", 3, "档次“好”重复"},
		{"是否", "每次扣1分", 3, "计分参数应留空"},
		{"直接评分", "步长0.5", 3.2, "不是评分步长 0.5 的整数倍"},
		{"直接评分", "酌情", 3, "应写成“步长0.5”"},
		{"加分", "", 0, "最多加几分"},
		{"减分", "看情况", 0, "应写成“上限3”"},
		{"一票否决", "社会评议过半数", 0, "不能由社会评议过半数认定"},
		{"一票否决", "群众过半数", 0, "认定环节“群众”无法识别"},
		{"一票否决", "看情况", 0, "应写成“普法办核查”或“评议团过半数”"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+" "+tt.params, func(t *testing.T) {
			_, err := ParseRule(tt.kind, tt.params, tt.max)
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("got %v, want an EINVALID error", err)
			}
			if msg := app.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Fatalf("message %q does not contain %q", msg, tt.want)
			}
		})
	}
}

func TestInferRule(t *testing.T) {
	tests := []struct {
		name       string
		sents      []string
		max        float64
		points     bool
		wantKind   string
		wantParams string
		wantUnused []string
		wantProb   string
	}{
		{name: "deduction", sents: []string{"每少一次扣0.5分，累计不超过2分"}, max: 2, points: true,
			wantKind: "扣分", wantParams: "每次扣0.5分，扣完为止"},
		{name: "tiers across sentences", sents: []string{"清单内容具体并已公示得5分", "已制定未公示得3分", "未制定不得分"}, max: 5, points: true,
			wantKind: "分档", wantParams: "清单内容具体并已公示:5；已制定未公示:3；未制定:0"},
		{name: "a lone zero is yes/no", sents: []string{"未制定的不得分"}, max: 3, points: true, wantKind: "是否"},
		{name: "deduction beside a zero", sents: []string{"未建立清单的不得分", "每少一次扣0.5分，累计不超过2分"}, max: 10, points: true,
			wantKind: "扣分", wantParams: "每次扣0.5分，最多扣2分", wantUnused: []string{"未建立清单的不得分"}},
		{name: "bonus", sents: []string{"经验做法被省级以上推广的，每项加1分，最多加3分"}, wantKind: "加分", wantParams: "上限3"},
		{name: "penalty", sents: []string{"被上级通报批评的，每次减1分，最多减2分"}, wantKind: "减分", wantParams: "上限2"},
		{name: "veto", sents: []string{"发生重大违法违纪案件的，实行一票否决"}, wantKind: "一票否决", wantParams: "普法办核查"},
		{name: "veto by the panel", sents: []string{"经评议团过半数认定的，一票否决"}, wantKind: "一票否决", wantParams: "评议团过半数"},
		{name: "bonus without cap", sents: []string{"每获一项表彰加1分"}, wantProb: "上限"},
		{name: "veto with points", sents: []string{"一票否决"}, max: 5, points: true, wantProb: "一票否决项不计分值"},
		{name: "unreadable", sents: []string{"参考率100%且合格率≥95%得满分，按比例计分"}, max: 8, points: true, wantProb: "未能从"},
		{name: "nothing stated", sents: nil, max: 8, points: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inf := inferRule(tt.sents, tt.max, tt.points)
			if inf.kind != tt.wantKind || inf.params != tt.wantParams {
				t.Errorf("rule = %q, %q; want %q, %q (problem %q)", inf.kind, inf.params, tt.wantKind, tt.wantParams, inf.problem)
			}
			if diff := cmp.Diff(tt.wantUnused, inf.unused); diff != "" {
				t.Errorf("unused (-want +got):\n%s", diff)
			}
			if !strings.Contains(inf.problem, tt.wantProb) || (tt.wantProb == "" && inf.problem != "") {
				t.Errorf("problem %q, want %q", inf.problem, tt.wantProb)
			}
			if inf.stated != (len(tt.sents) > 0) {
				t.Errorf("stated = %v", inf.stated)
			}
		})
	}
}
