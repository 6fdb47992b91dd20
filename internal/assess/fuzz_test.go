package assess

import (
	"encoding/binary"
	"math"
	"testing"

	"pufa/internal/app"
)

// FuzzScore scores arbitrary sheets against random schemes: seed picks the
// scheme (seed 0 is demoScheme), data the entries, nine bytes each: which
// code (the scheme's, or one it lacks), whether to set a value or mark it
// not applicable, and eight bytes read as points (any float64, NaN and
// infinities included), a count, a yes/no, a tier and a veto mark. Score
// must not panic; it either refuses with an EINVALID error or returns a
// result that keeps every invariant.
func FuzzScore(f *testing.F) {
	f.Add(uint64(0), []byte{})
	f.Add(uint64(0), []byte{1, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x40})
	f.Add(uint64(1), []byte{0xff, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf8, 0x7f})
	f.Add(uint64(7), []byte("scores, counts and tiers from text"))
	f.Fuzz(func(t *testing.T, seed uint64, data []byte) {
		var s *Scheme
		if seed == 0 {
			s = demoScheme()
		} else {
			s = genScheme(newRand(seed))
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("scheme: %v", err)
		}
		var inds []*Indicator
		s.Walk(func(ind, _ *Indicator, _ int) { inds = append(inds, ind) })
		sh := Sheet{Values: map[string]Input{}, NotApplicable: map[string]bool{}}
		for len(data) >= 10 {
			which, op, word := int(data[0]), data[1], data[2:10]
			data = data[10:]
			code := "未知"
			var ind *Indicator
			if which < len(inds) {
				ind = inds[which]
				code = ind.Code
			}
			if op&1 == 1 {
				sh.NotApplicable[code] = op&2 == 2
				continue
			}
			bits := binary.LittleEndian.Uint64(word)
			in := Input{
				Points: math.Float64frombits(bits),
				Count:  int(int32(bits)),
				Yes:    bits&1 == 1,
				Failed: bits&2 == 2,
			}
			if ind != nil {
				if tr, ok := deref(ind.Rule).(Tiered); ok && int(word[0]) < len(tr.Levels) {
					in.Tier = tr.Levels[word[0]].Label
				}
				if d, ok := deref(ind.Rule).(Direct); ok && op&4 == 4 {
					// A value the rule takes, so sheets get past the
					// first entry often enough to reach the totals.
					in.Points = math.Mod(math.Abs(float64(int32(bits))), ind.Max+1)
					if d.Step > 0 {
						in.Points = math.Floor(in.Points/d.Step) * d.Step
					}
				}
			}
			sh.Values[code] = in
		}
		res, err := Score(s, sh)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		checkResult(t, s, sh, res)
	})
}
