package similar

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// synthetic builds n reports of about size characters in the register of
// the fixtures: sentences of random words taken from the fixtures (so two
// reports share no more than real ones do), one in ten a stock sentence
// shared by all, with numbers and punctuation. The report to check has
// checkSize characters, a third of it copied from report 7.
func synthetic(tb testing.TB, n, size, checkSize int) (string, []Doc) {
	tb.Helper()
	var words []string
	for _, d := range reports(tb) {
		r := Normalize(d.Text)
		for i := 0; i+2 <= len(r); i += 2 {
			words = append(words, string(r[i:i+2]))
		}
	}
	stock := []string{
		"坚持以习近平新时代中国特色社会主义思想为指导，深入学习宣传贯彻习近平法治思想",
		"认真落实“谁执法谁普法”普法责任制",
		"将普法工作纳入年度工作要点，与业务工作同部署、同推进、同检查、同考核",
		"在“宪法宣传周”期间开展宪法宣传",
		"结合“民法典宣传月”开展以案释法",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	gen := func(size int) string {
		var b strings.Builder
		for runes := 0; runes < size; {
			var s string
			if rng.IntN(10) == 0 {
				s = stock[rng.IntN(len(stock))]
			} else {
				var sb strings.Builder
				for w := 8 + rng.IntN(12); w > 0; w-- {
					sb.WriteString(words[rng.IntN(len(words))])
					if rng.IntN(6) == 0 {
						sb.WriteString(strconv.Itoa(rng.IntN(500)))
					}
				}
				s = sb.String()
			}
			b.WriteString(s)
			b.WriteString([]string{"，", "。", "；", "。\n"}[rng.IntN(4)])
			runes += len([]rune(s)) + 1
		}
		return b.String()
	}
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = Doc{ID: "r" + strconv.Itoa(i), Text: gen(size)}
	}
	src := []rune(docs[7].Text)
	text := gen(checkSize*2/3) + string(src[1000:1000+checkSize/3])
	return text, docs
}

// BenchmarkCheck checks an 8,000-character report against 300 reports of
// 6,000 characters that are also the corpus: about 40 ms/op (35–44 ms over
// runs; 4.8 MB and 3,700 allocations per op) on a 2-core AMD EPYC VM.
func BenchmarkCheck(b *testing.B) {
	text, docs := synthetic(b, 300, 6000, 8000)
	o := DefaultOptions()
	ms := Check(text, docs, docs, o)
	if len(ms) == 0 || ms[0].OtherID != "r7" || !ms[0].Flagged(o) {
		b.Fatalf("top match %+v, want r7 flagged", ms[:min(len(ms), 1)])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Check(text, docs, docs, o)
	}
}

// BenchmarkNewIndex indexes the same 300 reports, about 300 ms/op: the
// cost Check avoids by counting only the checked report's shingles.
func BenchmarkNewIndex(b *testing.B) {
	_, docs := synthetic(b, 300, 6000, 8000)
	b.ReportAllocs()
	for b.Loop() {
		NewIndex(10, docs)
	}
}
