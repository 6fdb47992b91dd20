package outline

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseDateLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2023年3月1日", "2023-03-01"},
		{"（2023年12月4日）", "2023-12-04"},
		{"二〇二三年三月一日", "2023-03-01"},
		{"二○二三年十二月三十一日", "2023-12-31"},
		{"２０２３年３月１日", "2023-03-01"},
		{"2023 年 3 月 1 日", "2023-03-01"},
		{"2023年2月30日", ""},
		{"2023年6月底前", ""},
		{"于2023年3月1日印发", ""},
	}
	for _, tt := range tests {
		if got := parseDateLine(tt.in); got != tt.want {
			t.Errorf("parseDateLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDocumentMetadata(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Document
	}{
		{
			name: "a red-header notice",
			in: "临江区人民政府办公室文件\nX政办〔2020〕20号\n临江区人民政府办公室关于印发临江区普法依法治理工作要点的通知\n" +
				"各街道办事处：\n现将工作要点印发给你们，请认真贯彻落实。\n一、总体要求\n坚持依法治区。\n二、主要任务\n开展宪法宣传。\n" +
				"临江区人民政府办公室\n二〇二三年三月一日\n（此件公开发布）",
			want: []Document{{
				Title: "临江区人民政府办公室关于印发临江区普法依法治理工作要点的通知", Issuer: "临江区人民政府办公室",
				DocNumber: "X政办〔2020〕20号", Date: "2023-03-01",
				Preamble: "各街道办事处：\n现将工作要点印发给你们，请认真贯彻落实。",
			}},
		},
		{
			name: "a speech dated under its title",
			in:   "在全区普法工作会议上的讲话\n（2023年3月1日）\n同志们：\n一、提高站位\n二、狠抓落实",
			want: []Document{{Title: "在全区普法工作会议上的讲话", Date: "2023-03-01", Preamble: "同志们："}},
		},
		{
			name: "a covering notice passes its metadata to the plan",
			in: "区司法局关于印发2023年普法工作要点的通知\n区司法发〔2023〕5号\n各单位：\n现将《2023年普法工作要点》印发给你们。\n" +
				"区司法局\n2023年3月1日\n2023年普法工作要点\n一、学习宣传\n二、依法治理",
			want: []Document{
				{Title: "区司法局关于印发2023年普法工作要点的通知", Issuer: "区司法局", DocNumber: "区司法发〔2023〕5号", Date: "2023-03-01",
					Preamble: "各单位：\n现将《2023年普法工作要点》印发给你们。"},
				{Title: "2023年普法工作要点", Issuer: "区司法局", DocNumber: "区司法发〔2023〕5号", Date: "2023-03-01"},
			},
		},
		{
			name: "a 文号 cited in the text is not the document's",
			in:   "普法工作方案\n根据《实施意见》（国发〔2021〕5号）要求，制定本方案。\n一、目标",
			want: []Document{{Title: "普法工作方案", Preamble: "根据《实施意见》（国发〔2021〕5号）要求，制定本方案。"}},
		},
	}
	ignore := cmpopts.IgnoreFields(Document{}, "Nodes", "At")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Document
			for _, d := range ParseText(tt.in).Documents {
				got = append(got, *d)
			}
			if diff := cmp.Diff(tt.want, got, ignore); diff != "" {
				t.Errorf("documents mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSignatureLeavesTheLastItem(t *testing.T) {
	res := ParseText("一、总体要求\n坚持依法治区。\n二、保障措施\n加强组织领导。\n区司法局\n2023年3月1日")
	doc := res.Documents[0]
	last := doc.Nodes[len(doc.Nodes)-1]
	if last.Text != "保障措施\n加强组织领导。" {
		t.Errorf("last node text = %q: the signature should not be part of it", last.Text)
	}
	if doc.Issuer != "区司法局" || doc.Date != "2023-03-01" {
		t.Errorf("issuer %q, date %q", doc.Issuer, doc.Date)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings: %+v", res.Warnings)
	}
}
