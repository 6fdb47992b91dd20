package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/duty"
)

// dutyLists gives the demo units their 2023 duty lists (普法责任清单):
// approved and published for most, one submitted and waiting, one
// returned; each linked to a work-plan task the unit carries.
func (l *loader) dutyLists(ctx context.Context) error {
	root := l.org("root")
	office := app.WithActor(ctx, &app.Actor{UserID: l.user("office1").ID, Login: "office1", OrgID: root.ID, OrgPath: root.Path})
	year := 2023
	lists := []struct {
		unit   string
		status duty.Status
		items  []duty.Item
	}{
		{"gaj", duty.Approved, []duty.Item{
			{Laws: []string{"中华人民共和国治安管理处罚法", "中华人民共和国反电信网络诈骗法"}, Audience: []string{"服务对象", "青少年"}, Measures: "在派出所户籍窗口和辖区学校开展反诈宣传，发布典型案例", Forms: []string{"窗口宣传", "进校园", "以案释法"}, Timing: "全年", Office: "法制大队", Person: "王磊", Phone: "13705710201", Standard: "进校园不少于4次，发布案例不少于12篇"},
			{Laws: []string{"中华人民共和国道路交通安全法"}, Audience: []string{"社区居民", "企业"}, Measures: "结合交通事故典型案例开展“一盔一带”宣传", Forms: []string{"新媒体", "进社区"}, Timing: "每季度", Office: "交警大队", Person: "刘强", Standard: "每季度至少一次集中宣传"},
		}},
		{"jyj", duty.Approved, []duty.Item{
			{Laws: []string{"中华人民共和国未成年人保护法", "中华人民共和国预防未成年人犯罪法"}, Audience: []string{"青少年", "本系统工作人员"}, Measures: "开展“法治进校园”巡讲，配齐法治副校长", Forms: []string{"进校园", "讲座"}, Timing: "每学期", Office: "政策法规科", Person: "李秀英", Phone: "13705710202", Standard: "全区中小学法治副校长配备率100%"},
			{Laws: []string{"中华人民共和国宪法"}, Audience: []string{"青少年"}, Measures: "组织宪法晨读和学生“学宪法讲宪法”活动", Forms: []string{"知识竞赛"}, Timing: "12月4日前后", Office: "德育科", Person: "陈敏", Standard: "覆盖全部中小学"},
		}},
		{"sfj", duty.Approved, []duty.Item{
			{Laws: []string{"中华人民共和国宪法", "中华人民共和国民法典"}, Audience: []string{"社区居民", "农村群众"}, Measures: "宪法宣传周、民法典宣传月集中宣传，培育“法律明白人”", Forms: []string{"进社区", "进农村", "法律咨询"}, Timing: "5月、12月", Office: "普法与依法治理科", Person: "张丽", Phone: "13705710203", Standard: "每个村（社区）至少培育3名法律明白人"},
		}},
		{"scj", duty.Submitted, []duty.Item{
			{Laws: []string{"中华人民共和国食品安全法"}, Audience: []string{"企业", "服务对象"}, Measures: "在食品生产经营者许可办理中开展告知承诺和以案释法", Forms: []string{"窗口宣传", "以案释法"}, Timing: "全年", Office: "法规科", Person: "赵军", Standard: "新办许可告知率100%"},
		}},
		{"wjw", duty.Returned, []duty.Item{
			{Laws: []string{"中华人民共和国基本医疗卫生与健康促进法"}, Audience: []string{"服务对象"}, Measures: "宣传", Forms: []string{"新媒体"}, Timing: "全年"},
		}},
	}
	for _, x := range lists {
		org := l.org(x.unit)
		tasks, err := l.db.FindUnitTasks(ctx, org.ID)
		if err != nil {
			return err
		}
		if len(tasks) > 0 {
			x.items[0].TaskIDs = []app.ID{tasks[0].ID}
		}
		dl := &duty.List{OrgID: org.ID, Year: year, Items: x.items}
		if err := l.db.SaveDutyList(ctx, dl); err != nil {
			return fmt.Errorf("%s: %w", org.Name, err)
		}
		if x.status == duty.Draft {
			continue
		}
		if err := l.db.SubmitDutyList(ctx, dl.ID); err != nil {
			return err
		}
		switch x.status {
		case duty.Approved:
			err = l.db.ReviewDutyList(office, dl.ID, true, "")
		case duty.Returned:
			err = l.db.ReviewDutyList(office, dl.ID, false, "措施过于笼统，请写明宣传的具体内容、次数和完成标准")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// dutyReports has the units with lists submit their 2023 reports, drafted
// from their lists and the ledger and written out; 区卫生健康委员会's is
// largely copied from 区教育局's, which the copy check flags for the office.
func (l *loader) dutyReports(ctx context.Context) error {
	year := 2023
	own := map[string][5]string{
		"gaj": {"局党委将普法工作纳入年度工作要点，明确法制大队牵头、各警种分工负责，每季度专题研究一次普法工作。",
			"坚持党委理论学习中心组会前学法，全年学法12次；组织全体民警参加学法用法考试，参考率100%，合格率98.6%。",
			"围绕反电信网络诈骗开展“进校园、进社区、进企业”宣传，走进全区中小学42所，发布以案释法案例26篇。",
			"打造“警民说法”短视频栏目，全年发布普法短视频58条，累计播放量超过120万次。",
			"全区电信网络诈骗立案数同比下降21%，群众安全感满意度达到97.3%。"},
		"jyj": {"局党组把青少年法治教育作为全局普法工作的重点，与教育中心工作同部署、同推进、同检查、同考核，成立了以局党组书记为组长的普法工作领导小组。",
			"健全局党组理论学习中心组学法制度，全年集中学法10次；组织全系统教职工参加学法用法考试，参考率100%，合格率99.1%。",
			"全区中小学法治副校长配备率达到100%，开展“法治进校园”巡讲186场，覆盖学生5.2万人次；组织宪法晨读、“学宪法讲宪法”等活动。",
			"建成青少年法治教育实践基地3个，开发校本法治课程12门，开展模拟法庭活动45场。",
			"全区未成年人违法犯罪案件数量连续三年下降，学生法治素养测评优良率达到91%。"},
		"sfj": {"局党组每半年专题研究普法工作，制定年度普法责任清单并向社会公示，建立普法工作联席会议制度。",
			"落实领导干部会前学法制度，全年学法11次；组织开展执法人员行政执法资格培训和考试。",
			"组织宪法宣传周、民法典宣传月集中宣传，开展“法律明白人”培育工程，全区培育法律明白人1260名。",
			"创办“临江说法”普法栏目，推出方言普法节目24期，建设村（社区）法治文化阵地38个。",
			"全区民主法治示范村（社区）创建率达到85%，矛盾纠纷调解成功率达到98%。"},
	}
	copyOf := "jyj"
	var submitted []duty.Other
	for _, key := range []string{"sfj", "gaj", "jyj", "wjw"} {
		org := l.org(key)
		facts, err := duty.GatherFacts(ctx, l.db, org.ID, org.Name, year, time.Now(), 10*24*time.Hour)
		if err != nil {
			return err
		}
		draft, _ := duty.DraftReport(facts)
		text, ok := own[key]
		if !ok {
			// 区卫生健康委员会 copies 区教育局, changing the nouns.
			r := strings.NewReplacer("青少年法治教育", "健康法治宣传", "教育中心工作", "卫生健康中心工作", "中小学", "医疗机构", "学生", "患者", "教职工", "医务人员", "法治进校园", "法治进医院", "校本法治课程", "健康法治课程")
			src := own[copyOf]
			for i := range text {
				text[i] = r.Replace(src[i])
			}
		}
		rep := &duty.Report{OrgID: org.ID, Year: year, Sections: make([]string, len(duty.Headings))}
		for i := range rep.Sections {
			rep.Sections[i] = strings.TrimSpace(text[i])
			if i == 0 && facts.ListItems > 0 {
				rep.Sections[i] = draft[0] + rep.Sections[i]
			}
		}
		if err := l.db.SaveDutyReport(ctx, rep); err != nil {
			return err
		}
		check := duty.Check(rep, submitted, facts)
		if err := l.db.SubmitDutyReport(ctx, rep.ID, check); err != nil {
			return err
		}
		submitted = append(submitted, duty.Other{Name: fmt.Sprintf("%s%d年度履职报告", org.Name, year), Text: rep.Text()})
	}
	return nil
}
