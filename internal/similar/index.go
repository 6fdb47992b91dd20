package similar

// The shingle hash is a Rabin–Karp polynomial over the normalized runes,
// modulo 2^64, so the next shingle's hash costs one multiply-add rather
// than re-reading K runes (FNV over each shingle would do K times the
// work), then a SplitMix64 finalizer spreads the bits. For natural text
// and K around 10 collisions are negligible: two different shingles
// collide only if their rune difference polynomial vanishes mod 2^64.
const hashBase = 0x100000001b3 // odd, so multiplication is invertible

// pow returns hashBase^(k-1), the weight of the rune leaving the window.
func pow(k int) uint64 {
	p := uint64(1)
	for i := 1; i < k; i++ {
		p *= hashBase
	}
	return p
}

// mix is the SplitMix64 finalizer.
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// eachShingle calls fn with the start and hash of every k-rune shingle of r.
func eachShingle(r []rune, k int, fn func(j int, h uint64)) {
	if k <= 0 || len(r) < k {
		return
	}
	p := pow(k)
	var h uint64
	for i := 0; i < k; i++ {
		h = h*hashBase + uint64(r[i])
	}
	fn(0, mix(h))
	for j := 1; j+k <= len(r); j++ {
		h = (h-uint64(r[j-1])*p)*hashBase + uint64(r[j+k-1])
		fn(j, mix(h))
	}
}

// Shingles returns the hashes of the k-rune shingles of Normalize(text), in
// order: the values Index and Common speak of.
func Shingles(k int, text string) []uint64 {
	var hs []uint64
	eachShingle(Normalize(text), k, func(_ int, h uint64) { hs = append(hs, h) })
	return hs
}

// Index counts, for every shingle of a set of documents, how many of the
// documents contain it. Build it once for a year's reports to list the
// year's boilerplate (Common) or look up a shingle's document frequency.
//
// Check does not need one: only the checked report's shingles matter, so it
// counts document frequency for those alone in one pass over the corpus,
// several times faster than building the full Index.
type Index struct {
	k    int
	docs int
	// df packs, per shingle hash, the document count (low 32 bits) and the
	// number of the last document that counted it (high 32 bits), so a
	// shingle repeated inside one document counts once.
	df map[uint64]uint64
}

// NewIndex indexes the k-rune shingles of docs. Documents with the same ID
// count once (the first is used).
func NewIndex(k int, docs []Doc) *Index {
	ix := &Index{k: k, df: make(map[uint64]uint64)}
	seen := make(map[string]bool, len(docs))
	var r []rune
	var at []int32
	for _, d := range docs {
		if seen[d.ID] {
			continue
		}
		seen[d.ID] = true
		ix.docs++
		doc := uint64(ix.docs)
		r, at = normalize(d.Text, r, at)
		eachShingle(r, k, func(_ int, h uint64) {
			v := ix.df[h]
			if v>>32 != doc {
				ix.df[h] = doc<<32 | (v&0xffffffff + 1)
			}
		})
	}
	return ix
}

// K returns the shingle length the index was built with.
func (ix *Index) K() int { return ix.k }

// Len returns the number of documents indexed.
func (ix *Index) Len() int { return ix.docs }

// DocFreq returns the number of indexed documents that contain shingle h.
func (ix *Index) DocFreq(h uint64) int { return int(ix.df[h] & 0xffffffff) }

// Common returns the shingle hashes that appear in at least minDocs
// different documents of the index: the boilerplate to ignore.
func (ix *Index) Common(minDocs int) map[uint64]struct{} {
	c := make(map[uint64]struct{})
	for h, v := range ix.df {
		if int(v&0xffffffff) >= minDocs {
			c[h] = struct{}{}
		}
	}
	return c
}
