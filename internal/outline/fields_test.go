package outline

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func ptr(v float64) *float64 { return &v }

func TestFillNode(t *testing.T) {
	tests := []struct {
		name string
		own  string
		want Node
	}{
		{
			name: "title up to the first full stop",
			own:  " 常态化长效化开展宪法宣传教育。深入贯彻落实。",
			want: Node{Title: "常态化长效化开展宪法宣传教育", Text: "常态化长效化开展宪法宣传教育。深入贯彻落实。"},
		},
		{
			name: "a heading line",
			own:  "总体要求：\n坚持依法治区。",
			want: Node{Title: "总体要求", Text: "总体要求：\n坚持依法治区。"},
		},
		{
			name: "points and rules",
			own:  "普法责任清单制度（10分）。未建立清单的不得分；每少一次扣0.5分,累计不超过2分。（少报一次扣0.3分）",
			want: Node{Title: "普法责任清单制度", Points: ptr(10),
				Rules: []string{"未建立清单的不得分", "每少一次扣0.5分,累计不超过2分", "少报一次扣0.3分"}},
		},
		{
			name: "fractional points",
			own:  "新媒体账号运营(2.5 分)",
			want: Node{Title: "新媒体账号运营", Points: ptr(2.5)},
		},
		{
			name: "units and deadline by label",
			own:  "开展宪法宣传周活动。牵头单位：区司法局、区委宣传部；配合单位：区教育局，区文旅局；完成时限：2023年12月底前",
			want: Node{Title: "开展宪法宣传周活动",
				LeadUnits: []string{"区司法局", "区委宣传部"}, CoUnits: []string{"区教育局", "区文旅局"}, Deadline: "2023年12月底前"},
		},
		{
			name: "units in brackets",
			own:  "组织法律明白人培训（牵头：区司法局（区普法办）；协办单位：各街道）。",
			want: Node{Title: "组织法律明白人培训（牵头：区司法局（区普法办）；协办单位：各街道）",
				LeadUnits: []string{"区司法局（区普法办）"}, CoUnits: []string{"各街道"}},
		},
		{
			name: "responsible units",
			own:  "落实普法责任制。责任单位：区法院、区检察院等",
			want: Node{Title: "落实普法责任制", Units: []string{"区法院", "区检察院"}},
		},
		{
			name: "a deadline in the text",
			own:  "2023年6月底前完成普法责任清单编制。",
			want: Node{Title: "2023年6月底前完成普法责任清单编制", Deadline: "2023年6月底前"},
		},
		{
			name: "责任单位 without a colon names no units",
			own:  "全面推行“谁执法谁普法”责任单位年度履职报告评议制度。",
			want: Node{Title: "全面推行“谁执法谁普法”责任单位年度履职报告评议制度"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Node
			fillNode(&got, []rune(tt.own))
			if tt.want.Text == "" {
				tt.want.Text = got.Text // checked in the first cases only
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("fillNode(%q) mismatch (-want +got):\n%s", tt.own, diff)
			}
		})
	}
}
