package contest

import (
	"strings"
	"unicode/utf8"

	"pufa/internal/app"
)

// Prize is one prize and how many places it covers: 一等奖 × 1.
type Prize struct {
	Name  string
	Count int
}

// Prizes go down a ranking in order: the first Count places get the first
// prize, the next the second, and so on. Everyone tied at a place gets its
// prize, so ties at a boundary take the better one.
type Prizes []Prize

// Awards are the contest's prizes for people and for teams.
type Awards struct {
	Individual Prizes
	Team       Prizes
}

// Validate checks the prizes.
func (a Awards) Validate() error {
	for _, p := range []struct {
		prizes Prizes
		field  string
		label  string
	}{{a.Individual, "individual_awards", "个人奖项"}, {a.Team, "team_awards", "团体奖项"}} {
		if len(p.prizes) > 10 {
			return app.Invalid(p.field, "%s最多 10 个等次", p.label)
		}
		for i, z := range p.prizes {
			n := utf8.RuneCountInString(strings.TrimSpace(z.Name))
			if n == 0 || n > 20 {
				return app.Invalid(p.field, "%s第 %d 项的名称应为 1 到 20 个字", p.label, i+1)
			}
			if z.Count < 1 || z.Count > 10000 {
				return app.Invalid(p.field, "%s“%s”的名额应在 1 到 10000 之间", p.label, z.Name)
			}
		}
	}
	return nil
}

// For returns the prize of a rank (1-based), or "" below the last.
func (ps Prizes) For(rank int) string {
	upTo := 0
	for _, p := range ps {
		upTo += p.Count
		if rank <= upTo {
			return p.Name
		}
	}
	return ""
}

// give sets the prize of each of n ranked lines.
func (ps Prizes) give(n int, rank func(i int) int, set func(i int, prize string)) {
	for i := range n {
		set(i, ps.For(rank(i)))
	}
}

// ParsePrizes reads prizes as a form gives them, one per line: 一等奖 1.
func ParsePrizes(field, text string) (Prizes, error) {
	var out Prizes
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		// 名 only as the count's unit at the end: prize names such as
		// 第一名 and 提名奖 hold it too.
		f := strings.Fields(strings.NewReplacer("×", " ", "x", " ", "：", " ", ":", " ").Replace(strings.TrimSuffix(line, "名")))
		if len(f) != 2 {
			return nil, app.Invalid(field, "第 %d 行“%s”应为“奖项名称 名额”，如“一等奖 1”", i+1, line)
		}
		n, ok := atoi(f[1])
		if !ok {
			return nil, app.Invalid(field, "第 %d 行的名额“%s”不是整数", i+1, f[1])
		}
		out = append(out, Prize{Name: f[0], Count: n})
	}
	return out, nil
}

// String writes prizes back as ParsePrizes reads them.
func (ps Prizes) String() string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Name + " " + itoa(p.Count) + "\n")
	}
	return b.String()
}
