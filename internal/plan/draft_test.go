package plan

import (
	"testing"
	"time"

	"pufa/internal/app"
	"pufa/internal/outline"
)

func TestParseDeadline(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 23, 59, 59, 0, app.Shanghai).UTC() }
	for _, c := range []struct {
		text string
		want time.Time
	}{
		{"2023年6月底前", day(2023, 6, 30)},
		{"2023年2月底", day(2023, 2, 28)},
		{"2024年2月底前", day(2024, 2, 29)},
		{"2023年5月15日前", day(2023, 5, 15)},
		{"6月底前完成", day(2025, 6, 30)},
		{"9月中旬", day(2025, 9, 20)},
		{"年底前", day(2025, 12, 31)},
		{"2023年上半年", day(2023, 6, 30)},
		{"第三季度", day(2025, 9, 30)},
		{"第4季度", day(2025, 12, 31)},
		{"长期坚持", time.Time{}},
		{"2023年13月", time.Time{}},
		{"2023年2月30日", time.Time{}},
		{"", time.Time{}},
	} {
		if got := ParseDeadline(c.text, 2025); !got.Equal(c.want) {
			t.Errorf("%q: %v, want %v", c.text, got, c.want)
		}
	}
}

func TestBuildTree(t *testing.T) {
	rows := []Row{
		{Level: 1, Item: Item{Title: "一"}},
		{Level: 2, Item: Item{Title: "1"}},
		{Level: 2, Item: Item{Title: "2"}},
		{Level: 3, Item: Item{Title: "(1)"}},
		{Level: 1, Item: Item{Title: "二"}},
		{Level: 2, Item: Item{Title: "3"}},
	}
	tree, err := BuildTree(rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(tree) != 2 || len(tree[0].Children) != 2 || len(tree[0].Children[1].Children) != 1 || tree[1].Children[0].Item.Title != "3" {
		t.Fatalf("tree shape wrong")
	}
	if s, n := Count(tree); s != 3 || n != 3 {
		t.Fatalf("sections %d tasks %d", s, n)
	}
	for _, bad := range [][]Row{{{Level: 2}}, {{Level: 1}, {Level: 3}}, {{Level: 0}}} {
		if _, err := BuildTree(bad); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("levels %v accepted", bad)
		}
	}
}

func TestFromOutline(t *testing.T) {
	doc := &outline.Document{Nodes: []*outline.Node{
		{Kind: outline.KindSection, Label: "一", Title: "加强领导", Text: "加强领导。一是……二是……", Children: []*outline.Node{
			{Kind: outline.KindPoint, Label: "一", Title: "统一思想"},
			{Kind: outline.KindItem, Label: "1", Title: "建立清单制度", Text: "建立清单制度。牵头单位:区司法局", LeadUnits: []string{"区司法局"}, CoUnits: []string{"区教育局"}, Deadline: "2023年6月底前"},
		}},
	}}
	rows := FromOutline(doc)
	if len(rows) != 2 || rows[1].Level != 2 || rows[1].LeadNames[0] != "区司法局" || rows[1].CoNames[0] != "区教育局" || rows[1].Item.DeadlineText != "2023年6月底前" {
		t.Fatalf("rows %+v", rows)
	}
}
