// Package similar is the copy-paste check for duty reports (履职报告): it
// compares a submitted report with other units' reports of the year, with
// the unit's own report of last year and with the work plan, and returns
// for each a similarity figure and the passages they share, located in the
// report as written so the office can highlight them.
//
// It is a pure engine: no files, no database, no network.
//
// # Method
//
// Both texts are normalized (see Normalize) and cut into overlapping
// shingles of K characters; a shingle is hashed and compared exactly, not
// sampled: the checked report is small, so every shingle is kept and the
// passages come out exact (winnowing would pay off only for a standing
// index over many years of reports).
//
// K is 10. A Chinese word averages under two characters, so ten characters
// are five or six words, about a clause. Two honest reports seldom share a
// ten-character string except set phrases, and those are boilerplate (see
// below); yet a copier who changes one word in each clause of twenty or
// thirty characters destroys at most K+len(word)-1 shingles per change and
// leaves most of the rest. On the test fixtures (testdata: four honest
// reports, and a copy of one with 32 edits: unit name, numbers, a few
// phrases), checked against the year's corpus, K = 8, 10 and 13 give the
// copy 0.75, 0.70 and 0.65 against its original, and the most similar
// honest pair 0.025, 0.022 and 0.019 (0.076, 0.064 and 0.050 with no
// corpus at all). K = 10 keeps a copy clear of the flag even when it is
// edited more heavily, while set phrases shorter than K cannot match alone.
//
// # Boilerplate and quotes
//
// Honest reports of one year share a lot of wording: the five headings,
// 习近平法治思想, 谁执法谁普法, 宪法宣传周, 民法典宣传月, 以案释法, 八五普法,
// and whole stock sentences around them. Check ignores a shingle of the
// report when comparing it with another document O if
//
//   - it occurs in at least Options.BoilerplateDocs documents of the corpus
//     besides the report itself and O (so two units copying from each other
//     do not make their shared text boilerplate, nor do a few more), or
//   - it occurs in a Reference document other than O: the work plan or a
//     list of stock phrases. Quoting the plan is legitimate, so two reports
//     quoting the same sentence of it have not copied each other.
//
// Ignored shingles count neither for nor against the similarity. A shared
// run still spans them, so a copied paragraph shows as one passage with its
// stock phrases inside, but a run is shown only if it holds as many
// non-boilerplate shingles as the shortest passage has (MinPassage-K+1), so
// a stock sentence with a character or two of context is not.
//
// A stock phrase list is read like any text, its lines run together, so
// its entries should be at least K characters long (“现将履职情况报告如下：
// 一、普法责任制机制建设” rather than “普法实效”): a shorter phrase cannot
// make up a shingle on its own, and the report's shingles around it are
// left to document frequency.
//
// A match against a Reference document lists the quotes: only other
// Reference documents make a shingle boilerplate there, so a plan sentence
// that every unit quotes is still shown as a quote of the plan. It is never
// flagged.
//
// # Cost
//
// Check normalizes and hashes every document once, looking each shingle up
// in a hash table of the report's shingles, so its cost is linear in the
// total length. BenchmarkCheck (an 8,000-character report against 300
// reports of 6,000 characters, each both compared and in the corpus) runs
// in about 40 ms/op (35–44 ms; 4.8 MB, 3,700 allocations) on a 2-core AMD
// EPYC virtual machine; building a full Index of the same corpus takes
// about 300 ms.
package similar

import (
	"cmp"
	"slices"
)

// Doc is one document to compare with or to count boilerplate in.
type Doc struct {
	ID   string
	Text string
	// Reference marks a source text reports may quote: the year's work
	// plan, a notice, a list of stock phrases. Text found in a reference
	// does not count as shared between two reports, and a match against a
	// reference lists the quotes but is never flagged.
	Reference bool
}

// Passage is one stretch of text the checked report shares with another
// document. Offsets count runes in the texts as given, with their
// punctuation and spaces; the passage starts at its first shared character
// and ends after its last, so Text is the checked text's runes
// [Start, End).
type Passage struct {
	Text       string
	Start, End int
	OtherID    string
	OtherStart int
	OtherEnd   int
}

// Match is what the checked report shares with one other document.
type Match struct {
	OtherID string
	// Reference is true when the other document is a Reference: the
	// passages are quotes.
	Reference bool
	// Similarity is the share of the checked report's shingles, boilerplate
	// excluded, that also occur in the other document, from 0 to 1.
	Similarity float64
	// Passages are the maximal runs of text shared with the other
	// document, at least Options.MinPassage normalized characters long,
	// not overlapping in the checked report, longest first.
	Passages []Passage
}

// Options tunes Check.
type Options struct {
	// K is the shingle length in normalized characters.
	K int
	// MinPassage is the length, in normalized characters, below which a
	// shared run is not reported as a passage.
	MinPassage int
	// BoilerplateDocs is the number of corpus documents, besides the
	// checked report and the one compared, a shingle must occur in to be
	// boilerplate.
	BoilerplateDocs int
	// Flag is the similarity at or above which a match is flagged.
	Flag float64
}

// DefaultOptions returns the options pufa uses. MinPassage 20 is a full
// clause: shorter shared runs are mostly a set phrase with a character or
// two of context. BoilerplateDocs 5 suits a district's year of reports
// (dozens to a few hundred): a stock phrase occurs in far more, while a
// ring of copiers would need six members before the text they share hid
// itself. Flag 0.3: honest reports of the test fixtures share at most
// about 2% (6% when nothing is known about boilerplate) and a copy with 32
// edits keeps 70%, so 0.3 leaves room on both sides; a report with a third
// of its own text copied deserves a look.
//
// Observed on the fixtures with these options and the year's corpus: the
// copy 0.70 against its original (22 passages covering 83% of it), honest
// pairs 0.008–0.022 with no passages, the 司法局 report 0.05 against the
// work plan it quotes twice.
func DefaultOptions() Options {
	return Options{K: 10, MinPassage: 20, BoilerplateDocs: 5, Flag: 0.3}
}

// withDefaults fills fields left zero from DefaultOptions.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.K <= 0 {
		o.K = d.K
	}
	if o.MinPassage <= 0 {
		o.MinPassage = d.MinPassage
	}
	if o.MinPassage < o.K {
		o.MinPassage = o.K
	}
	if o.BoilerplateDocs <= 0 {
		o.BoilerplateDocs = d.BoilerplateDocs
	}
	return o
}

// Flagged reports whether the match is high enough to show the office as a
// suspected copy. A match against a Reference document never is.
func (m Match) Flagged(o Options) bool {
	return !m.Reference && m.Similarity >= o.Flag
}

// Check compares text with each of others and returns the matches with a
// similarity above zero, highest first (ties by OtherID). others should
// not hold the checked report itself: it would match at 1.
//
// corpus decides what is boilerplate: typically all reports of the year,
// the work plan and a list of stock phrases. It may contain the checked
// report itself (a corpus document whose normalized text equals the
// report's is not counted) and may overlap others: a document in both,
// with the same ID and text, is read once. Documents in corpus with the
// same ID count once.
func Check(text string, others []Doc, corpus []Doc, o Options) []Match {
	o = o.withDefaults()
	t := newTarget(text, o.K)
	if t.shingles() == 0 {
		return nil
	}
	srcs := sources(others, corpus)

	// One pass over every source: count document frequency and reference
	// occurrences of the report's shingles, and keep the hits of the
	// sources to compare.
	nid := len(t.count)
	df := make([]int32, nid)
	ref := make([]int32, nid)
	stamp := make([]int32, nid)
	hits := make([][]hit, len(srcs))
	var r []rune
	var at []int32
	for si := range srcs {
		s := &srcs[si]
		r, at = normalize(s.doc.Text, r, at)
		if (s.inCorpus || s.countRef) && slices.Equal(r, t.norm) {
			// The report itself: it would make all its own text look
			// common.
			s.inCorpus, s.countRef = false, false
		}
		if !s.inCorpus && !s.countRef && len(s.others) == 0 {
			continue
		}
		no := int32(si + 1)
		var hs []hit
		eachShingle(r, o.K, func(j int, h uint64) {
			if t.seen[h>>50]&(1<<(h>>44&63)) == 0 {
				return
			}
			id, ok := t.idOf[h]
			if !ok {
				return
			}
			if stamp[id] != no {
				stamp[id] = no
				if s.inCorpus {
					df[id]++
				}
				if s.countRef {
					ref[id]++
				}
			}
			if len(s.others) > 0 {
				hs = append(hs, hit{int32(j), id})
			}
		})
		hits[si] = hs
	}

	e := &evaluator{t: t, o: o, df: df, ref: ref, shared: make([]int32, nid)}
	var ms []Match
	for si := range srcs {
		s := &srcs[si]
		if len(hits[si]) == 0 {
			continue
		}
		m, ok := e.compare(s, int32(si+1), hits[si])
		if !ok {
			continue
		}
		for _, oi := range s.others {
			m := m
			m.OtherID = others[oi].ID
			m.Passages = slices.Clone(m.Passages)
			for i := range m.Passages {
				m.Passages[i].OtherID = m.OtherID
			}
			ms = append(ms, m)
		}
	}
	slices.SortStableFunc(ms, func(a, b Match) int {
		if c := cmp.Compare(b.Similarity, a.Similarity); c != 0 {
			return c
		}
		return cmp.Compare(a.OtherID, b.OtherID)
	})
	return ms
}

// hit is a shingle of another document found in the report: its start in
// the other document and the report's shingle id.
type hit struct {
	j  int32
	id int32
}

// source is one distinct document read by Check.
type source struct {
	doc       Doc
	inCorpus  bool  // counts towards document frequency
	countRef  bool  // counts as an occurrence in a reference
	reference bool  // a Reference document, for labelling and boilerplate
	others    []int // indexes in others compared with this document
}

// sources merges others and corpus into the distinct documents to read:
// corpus documents by ID, each of others attached to the corpus document
// with the same ID and text, or read on its own. A reference is counted
// once per ID.
func sources(others, corpus []Doc) []source {
	var srcs []source
	byID := make(map[string]int, len(corpus)+len(others))
	refs := make(map[string]bool)
	for _, d := range corpus {
		if _, ok := byID[d.ID]; ok {
			continue
		}
		byID[d.ID] = len(srcs)
		srcs = append(srcs, source{doc: d, inCorpus: true, countRef: d.Reference, reference: d.Reference})
		refs[d.ID] = refs[d.ID] || d.Reference
	}
	for oi, d := range others {
		if si, ok := byID[d.ID]; ok && srcs[si].doc.Text == d.Text {
			s := &srcs[si]
			s.others = append(s.others, oi)
			if d.Reference && !s.reference {
				s.reference, s.countRef = true, !refs[d.ID]
				refs[d.ID] = true
			}
			continue
		}
		srcs = append(srcs, source{doc: d, countRef: d.Reference && !refs[d.ID], reference: d.Reference, others: []int{oi}})
		refs[d.ID] = refs[d.ID] || d.Reference
	}
	return srcs
}

// target is the checked report, normalized and shingled.
type target struct {
	k    int
	text string
	orig []rune  // text's runes, made when a passage needs them
	norm []rune  // normalized runes
	at   []int32 // at[i] is the offset in text of norm[i]
	ids  []int32 // ids[i] is the id of the shingle starting at norm[i]
	idOf map[uint64]int32
	// seen has bit h>>44 set for every shingle hash h of the report. Most
	// shingles of another document are not the report's, and testing a bit
	// is several times cheaper than the map lookup it saves.
	seen *[1 << 14]uint64
	// first[id] is the first position of shingle id, next[i] the next
	// position with the same shingle as position i, or -1.
	first []int32
	next  []int32
	count []int32 // count[id] is the number of positions of shingle id
}

func newTarget(text string, k int) *target {
	t := &target{k: k, text: text, idOf: make(map[uint64]int32), seen: new([1 << 14]uint64)}
	t.norm, t.at = normalize(text, nil, nil)
	eachShingle(t.norm, k, func(i int, h uint64) {
		id, ok := t.idOf[h]
		if !ok {
			id = int32(len(t.count))
			t.idOf[h] = id
			t.first = append(t.first, -1)
			t.count = append(t.count, 0)
		}
		t.seen[h>>50] |= 1 << (h >> 44 & 63)
		t.ids = append(t.ids, id)
		t.next = append(t.next, -1)
		t.count[id]++
	})
	// Chain the positions of each shingle, first to last.
	last := make([]int32, len(t.count))
	for i, id := range t.ids {
		if t.first[id] < 0 {
			t.first[id] = int32(i)
		} else {
			t.next[last[id]] = int32(i)
		}
		last[id] = int32(i)
	}
	return t
}

// shingles returns the number of shingle positions.
func (t *target) shingles() int { return len(t.ids) }
