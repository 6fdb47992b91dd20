package law

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that no input panics the reader and that a draft keeps
// its contract: warnings never nil and on lines of the input, articles in
// positions 1, 2, … with labels ParseLabel reads back.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"civil_code.txt", "criminal_law.gb18030.txt", "constitution.txt"} {
		data, err := os.ReadFile(fixtures + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, in := range []string{
		"", "（）", "（2020年2月30日通过）", "中国共产党章程\n第一条 甲", "附则\n第一条 甲\n第一条 乙",
		"目录\n第一章 总则\n第一章 总则\n第一条 甲", "（（2020年1月1日", "第一千二百五十九条之九十九 甲\n第二条 乙",
	} {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			if d != nil {
				t.Fatal("a draft with an error")
			}
			return
		}
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 1
		if d.Warnings == nil {
			t.Fatal("nil warnings")
		}
		for _, w := range d.Warnings {
			if w.Line < 0 || w.Message == "" || utf8.Valid(data) && w.Line > lines {
				t.Fatalf("warning %+v outside %d lines", w, lines)
			}
		}
		for i, a := range d.Law.Articles {
			n, sub, ok := ParseLabel(a.Label)
			if a.Position != i+1 || !ok || n != a.N || sub != a.Sub {
				t.Fatalf("article %d: %+v", i, a)
			}
		}
	})
}
