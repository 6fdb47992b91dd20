package plan

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/outline"
)

// Row is one line of a plan under review: an item and its depth (1 for the
// top level). The review page edits a flat list of rows, which is what
// people can handle in a form; BuildTree turns it back into a tree.
type Row struct {
	Level int
	Item  Item
	// Units are the unit names the document states for the item, for the
	// office to match to orgs.
	LeadNames, CoNames []string
}

// FromOutline flattens an outlined document into review rows. Speech-style
// points (一是…) are part of their paragraph's text, not tasks.
func FromOutline(doc *outline.Document) []Row {
	var rows []Row
	var walk func(nodes []*outline.Node, level int)
	walk = func(nodes []*outline.Node, level int) {
		for _, n := range nodes {
			if n.Kind == outline.KindPoint {
				continue
			}
			title := n.Title
			if title == "" {
				title = firstRunes(n.Text, 60)
			}
			r := Row{Level: level, Item: Item{Label: n.Label, Title: title, Text: n.Text, DeadlineText: n.Deadline}}
			r.LeadNames = append(append(r.LeadNames, n.LeadUnits...), n.Units...)
			r.CoNames = n.CoUnits
			rows = append(rows, r)
			walk(n.Children, level+1)
		}
	}
	walk(doc.Nodes, 1)
	return rows
}

func firstRunes(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return string(r)
}

// BuildTree turns reviewed rows back into a tree. A row may go at most one
// level deeper than the row before it; the first row is at level 1.
func BuildTree(rows []Row) ([]*Node, error) {
	var roots []*Node
	var stack []*Node // stack[i] is the open node at level i+1
	for i, r := range rows {
		if r.Level < 1 || r.Level > len(stack)+1 {
			return nil, app.Invalid("level", "第 %d 行的层级 %d 不对：每一行最多比上一行深一级，第一行必须是第 1 级", i+1, r.Level)
		}
		n := &Node{Item: r.Item}
		stack = stack[:r.Level-1]
		if r.Level == 1 {
			roots = append(roots, n)
		} else {
			parent := stack[len(stack)-1]
			parent.Children = append(parent.Children, n)
		}
		stack = append(stack, n)
	}
	return roots, nil
}

var (
	deadlineFull  = regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|(底|末|中旬|上旬|下旬))?`)
	deadlineMonth = regexp.MustCompile(`^\D*?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|(底|末|中旬|上旬|下旬))?`)
	deadlineHalf  = regexp.MustCompile(`(?:(\d{4})\s*年)?\s*(上半年|年中|年底|年末|全年|第([一二三四1-4])季度)`)
)

// ParseDeadline reads a deadline as documents write it ("2023年6月底前",
// "6月15日前", "年底前", "第三季度") into the end of that day in Shanghai.
// A text without a year takes year. It returns the zero time when the
// text states no date (长期坚持, 持续推进).
func ParseDeadline(text string, year int) time.Time {
	text = strings.TrimSpace(text)
	endOfDay := func(y, m, d int) time.Time {
		return time.Date(y, time.Month(m), d, 23, 59, 59, 0, app.Shanghai).UTC()
	}
	lastDay := func(y, m int) int { return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() }
	dayFor := func(y, m int, d, part string) time.Time {
		switch {
		case d != "":
			n, _ := strconv.Atoi(d)
			if n < 1 || n > lastDay(y, m) {
				return time.Time{}
			}
			return endOfDay(y, m, n)
		case part == "上旬":
			return endOfDay(y, m, 10)
		case part == "中旬":
			return endOfDay(y, m, 20)
		}
		return endOfDay(y, m, lastDay(y, m))
	}
	if m := deadlineFull.FindStringSubmatch(text); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if mo >= 1 && mo <= 12 {
			return dayFor(y, mo, m[3], m[4])
		}
	}
	if m := deadlineMonth.FindStringSubmatch(text); m != nil {
		mo, _ := strconv.Atoi(m[1])
		if mo >= 1 && mo <= 12 {
			return dayFor(year, mo, m[2], m[3])
		}
	}
	if m := deadlineHalf.FindStringSubmatch(text); m != nil {
		y := year
		if m[1] != "" {
			y, _ = strconv.Atoi(m[1])
		}
		switch m[2] {
		case "上半年", "年中":
			return endOfDay(y, 6, 30)
		case "年底", "年末", "全年":
			return endOfDay(y, 12, 31)
		}
		q := strings.Index("一二三四", m[3])/3 + 1
		if n, err := strconv.Atoi(m[3]); err == nil {
			q = n
		}
		return endOfDay(y, q*3, lastDay(y, q*3))
	}
	return time.Time{}
}
