package assess

// DutyReviewScheme is the built-in scheme of the annual duty review
// (履职报告评议): the five areas such reviews have used since 2017 —
// 机制建设, 系统内学法用法, 社会普法宣传, 创新普法形式, 普法实效 — for 100
// points, with sub-indicators in the rule kinds offices write (direct
// points, deductions per miss with a cap, yes/no, tiers), bonus and penalty
// items worth ±3 for the scheme, and a veto for a unit that caused a grave
// legal incident through failing its duty. The office copies and edits it
// each year; evidence is asked only where an indicator needs it.
func DutyReviewScheme() *Scheme {
	return &Scheme{Name: "谁执法谁普法履职评议指标", Version: 1, FullMarks: 100, BonusCap: 3, Roots: []*Indicator{
		{Code: "A", Name: "普法责任制机制建设", Max: 20, Children: []*Indicator{
			{Code: "A1", Name: "制定并公布年度普法责任清单", Max: 6, Rule: Tiered{Levels: []Tier{{"清单内容具体并已公示", 6}, {"已制定未公示或内容笼统", 3}, {"未制定", 0}}},
				Guidance: "查看清单及公示情况：内容、措施、标准、责任是否明确", EvidenceRequired: true},
			{Code: "A2", Name: "党组（党委）专题研究普法工作", Max: 4, Rule: Deduction{PerOccurrence: 2, Cap: 4},
				Guidance: "每年至少专题研究 2 次，每少一次扣 2 分，扣完为止"},
			{Code: "A3", Name: "明确普法工作机构和人员", Max: 4, Rule: YesNo{}},
			{Code: "A4", Name: "普法工作纳入年度工作要点和绩效考核", Max: 6, Rule: Direct{Step: 0.5}},
		}},
		{Code: "B", Name: "系统内学法用法", Max: 20, Children: []*Indicator{
			{Code: "B1", Name: "领导班子会前学法", Max: 6, Rule: Deduction{PerOccurrence: 0.5, Cap: 6},
				Guidance: "每季度至少一次，每少一次扣 0.5 分"},
			{Code: "B2", Name: "工作人员学法考试参考率和合格率", Max: 8, Rule: Direct{Step: 0.5},
				Guidance: "参考率 100% 且合格率 ≥ 95% 得满分，按比例计分"},
			{Code: "B3", Name: "执法人员培训", Max: 6, Rule: Tiered{Levels: []Tier{{"全员培训并考核", 6}, {"部分培训", 3}, {"未培训", 0}}}},
		}},
		{Code: "C", Name: "社会普法宣传", Max: 30, Children: []*Indicator{
			{Code: "C1", Name: "重要节点主题宣传（宪法宣传周、民法典宣传月、4·15 等）", Max: 10, Rule: Deduction{PerOccurrence: 2, Cap: 10},
				Guidance: "每缺一项主题活动扣 2 分", EvidenceRequired: true},
			{Code: "C2", Name: "以案释法", Max: 8, Rule: Direct{Step: 0.5}, Guidance: "发布典型案例及释法说理的数量和质量"},
			{Code: "C3", Name: "普法“八进”活动", Max: 8, Rule: Direct{Step: 0.5}},
			{Code: "C4", Name: "窗口和执法过程中的普法", Max: 4, Rule: YesNo{}, Guidance: "实地考察窗口暗访情况"},
		}},
		{Code: "D", Name: "创新普法形式", Max: 15, Children: []*Indicator{
			{Code: "D1", Name: "新媒体普法", Max: 8, Rule: Deduction{PerOccurrence: 1, Cap: 8},
				Guidance: "政务新媒体账号两周无更新一次扣 1 分"},
			{Code: "D2", Name: "普法项目和精品", Max: 7, Rule: Tiered{Levels: []Tier{{"获评精品项目", 7}, {"开展项目化管理", 4}, {"无", 0}}}},
		}},
		{Code: "E", Name: "普法实效", Max: 15, Children: []*Indicator{
			{Code: "E1", Name: "服务对象法治意识和满意度", Max: 8, Rule: Direct{Step: 0.5}},
			{Code: "E2", Name: "行政复议、诉讼败诉和投诉情况", Max: 7, Rule: Deduction{PerOccurrence: 1, Cap: 7},
				Guidance: "因执法不当被纠错或败诉一件扣 1 分"},
		}},
		{Code: "F", Name: "附加分", Children: []*Indicator{
			{Code: "F1", Name: "经验做法获上级推广或表彰", Rule: Bonus{Cap: 3}},
			{Code: "F2", Name: "普法工作被通报批评", Rule: Penalty{Cap: 3}},
			{Code: "F3", Name: "因未履行普法职责造成重大不良影响", Rule: Veto{By: VetoByOffice}},
		}},
	}}
}
