package outline

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitDocuments(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		titles []string
	}{
		{
			name:   "a speech and a plan glued together",
			in:     "在全区普法会议上的讲话同志们，今天开会。一、提高站位。二、狠抓落实。一分部署，九分落实。2023年全区普法依法治理工作要点2023年是开局之年。一、学习宣传。1.学习宣传宪法。",
			titles: []string{"在全区普法会议上的讲话", "2023年全区普法依法治理工作要点"},
		},
		{
			name:   "titles on their own lines",
			in:     "区普法工作方案\n一、目标\n二、任务\n区法治宣传月活动安排\n一、时间\n二、内容",
			titles: []string{"区普法工作方案", "区法治宣传月活动安排"},
		},
		{
			name:   "a sentence ending in a title word is no title",
			in:     "一、示范创建\n研究制定首批示范创建方案。推动“八五”普法规划全面落实。二、中期评估",
			titles: []string{""},
		},
		{
			name:   "a title-like sentence without a restart is no new document",
			in:     "工作要点\n一、学习\n全面推行“谁执法谁普法”责任单位年度履职报告评议制度，提高质量。\n二、宣传",
			titles: []string{"工作要点"},
		},
		{
			name:   "a covering notice and the plan it issues",
			in:     "区人民政府办公室关于印发2023年普法工作要点的通知\n各街道：\n现将《2023年普法工作要点》印发给你们。\n2023年普法工作要点\n一、学习宣传\n二、依法治理",
			titles: []string{"区人民政府办公室关于印发2023年普法工作要点的通知", "2023年普法工作要点"},
		},
		{
			name:   "a title broken over two lines",
			in:     "关于进一步加强领导干部\n学法用法工作的实施意见\n一、总体要求",
			titles: []string{"关于进一步加强领导干部学法用法工作的实施意见"},
		},
		{
			name:   "an attachment label is no title",
			in:     "附件1\n2023年普法工作要点\n一、学习宣传",
			titles: []string{"2023年普法工作要点"},
		},
		{
			name:   "a salutation is no title",
			in:     "各街道办事处：\n一、总体要求",
			titles: []string{""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var titles []string
			for _, d := range ParseText(tt.in).Documents {
				titles = append(titles, d.Title)
			}
			if diff := cmp.Diff(tt.titles, titles); diff != "" {
				t.Errorf("titles mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
