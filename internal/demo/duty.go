package demo

import (
	"context"
	"fmt"

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
