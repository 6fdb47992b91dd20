package outline

import (
	"fmt"
	"slices"
)

// ocrSwap is a misreading OCR is known to make in these documents: 地 read
// as 她 after the words it follows in 普法 texts, 已/己 confused.
type ocrSwap struct{ wrong, right []rune }

// ocrSwaps are the swaps reported. Each wrong form is never a correct word
// in an official document, so a hit is worth a warning; the text itself is
// never changed, because the engine cannot be sure.
var ocrSwaps = []ocrSwap{
	{[]rune("阵她"), []rune("阵地")},
	{[]rune("性她"), []rune("性地")}, // 针对性她, 实效性她, 积极性她
	{[]rune("基她"), []rune("基地")},
	{[]rune("场她"), []rune("场地")},
	{[]rune("土她"), []rune("土地")},
	{[]rune("各她"), []rune("各地")},
	{[]rune("当她"), []rune("当地")},
	{[]rune("扎实她"), []rune("扎实地")},
	{[]rune("深入她"), []rune("深入地")},
	{[]rune("自已"), []rune("自己")},
	{[]rune("己经"), []rune("已经")},
	{[]rune("洽理"), []rune("治理")},
	{[]rune("法洽建设"), []rune("法治建设")},
	{[]rune("法洽宣传"), []rune("法治宣传")},
	{[]rune("法洽文化"), []rune("法治文化")},
	{[]rune("法洽思想"), []rune("法治思想")},
}

// ocrByFirst indexes the swaps by their first character.
var ocrByFirst = func() map[rune][]ocrSwap {
	m := map[rune][]ocrSwap{}
	for _, s := range ocrSwaps {
		m[s.wrong[0]] = append(m[s.wrong[0]], s)
	}
	return m
}()

// ocrWarnings reports one warning per suspected OCR swap in the cleaned
// text, at the swap's offset in the source; a swap split by a removed page
// marker is still found.
func ocrWarnings(t *text) []Warning {
	var warns []Warning
	r := t.r
	for i := 0; i < len(r); i++ {
		for _, s := range ocrByFirst[r[i]] {
			if i+len(s.wrong) > len(r) || !slices.Equal(r[i:i+len(s.wrong)], s.wrong) {
				continue
			}
			// Quote the word around a short swap so the user finds it:
			// 针对性她 rather than 性她.
			ctx := i
			for ctx > 0 && i-ctx < 2 && len(s.wrong) == 2 && isHan(r[ctx-1]) {
				ctx--
			}
			before := string(r[ctx:i])
			warns = append(warns, Warning{Kind: WarnOCR, At: t.offset(i),
				Message: fmt.Sprintf("疑似识别错误：“%s%s”应为“%s%s”（原文未改动，请核对）", before, string(s.wrong), before, string(s.right))})
			i += len(s.wrong) - 1
			break
		}
	}
	return warns
}
