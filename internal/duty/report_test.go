package duty

import (
	"strings"
	"testing"
)

func TestDraftReport(t *testing.T) {
	f := Facts{OrgName: "区公安分局", Year: 2023, ListItems: 2, Laws: []string{"中华人民共和国治安管理处罚法", "中华人民共和国反电信网络诈骗法"},
		Tasks: 5, TasksDone: 3, TasksOverdue: 1, ListLink: "/duty/lists/1", TaskLink: "/plans"}
	sections, src := DraftReport(f)
	if len(sections) != len(Headings) {
		t.Fatalf("%d sections", len(sections))
	}
	text := strings.Join(sections, "\n")
	for _, want := range []string{"共 2 项", "承担年度普法工作要点任务 5 项，已完成 3 项，逾期未完成 1 项", "反电信网络诈骗法"} {
		if !strings.Contains(text, want) {
			t.Errorf("draft lacks %q:\n%s", want, text)
		}
	}
	// Every figure the draft states has its source, and the draft's own
	// numbers agree with the ledger.
	if len(src) != 3 || src[0].Link != "/duty/lists/1" || src[2].Link != "/plans" {
		t.Fatalf("sources %+v", src)
	}
	if flags := CheckNumbers(text, f); len(flags) != 0 {
		t.Fatalf("the draft contradicts its own facts: %+v", flags)
	}
}

func TestCheckNumbers(t *testing.T) {
	f := Facts{ListItems: 6, Tasks: 5, TasksDone: 3}
	for _, tt := range []struct {
		text  string
		flags int
	}{
		{"本单位承担年度普法工作要点任务 5 项，已完成 3 项。", 0},
		{"本单位承担任务8项，已完成8项。", 2},
		{"制定普法责任清单，共 6 项。", 0},
		{"制定普法责任清单，共计10项。", 1},
		{"开展讲座12场，发放资料3000份。", 0},
	} {
		if got := CheckNumbers(tt.text, f); len(got) != tt.flags {
			t.Errorf("%q: %d flags %+v, want %d", tt.text, len(got), got, tt.flags)
		}
	}
}
