package quiz

import "slices"

// Response is one accepted response as the store keeps it and Tally reads
// it: who answered, in the profile's closed codes, and how they scored.
type Response struct {
	// Profile maps a profile question's code to the choice's code; a
	// missing, empty or unknown choice counts as Declined.
	Profile map[string]string
	// Scores maps a dimension's code to the score out of 100; a dimension
	// missing here (a response stored before a dimension was added) is
	// left out of that dimension's figures only.
	Scores map[string]Hundredths
	Total  Hundredths
}

// Figure is one published figure: a mean score and the share reaching the
// threshold over N responses. Mean, Reached and Share are nil when the
// figure is withheld: N is below the quiz's MinGroup, or, in a breakdown,
// the group is the one withheld beside a single small group so that the
// small group cannot be worked out from the overall figure. N is always
// published.
type Figure struct {
	N int
	// Mean is the mean score out of 100, rounded to hundredths.
	Mean *Hundredths
	// Reached counts the responses scoring the threshold or more.
	Reached *int
	// Share is Reached / N as a percentage, rounded to hundredths
	// (6667 is 66.67%).
	Share *Hundredths
}

// Withheld reports whether the figure's mean and share are withheld.
func (f Figure) Withheld() bool { return f.Mean == nil }

// Row is the figures of one set of responses: the total and each
// dimension.
type Row struct {
	Total Figure
	// Dimensions are aligned with the quiz's Dimensions.
	Dimensions []Figure
}

// Group is one profile choice's responses.
type Group struct {
	Choice, Label string
	Row
}

// Breakdown is the figures per choice of one profile question. The groups'
// N add up to the overall N in each column, since a response that skipped
// the question counts as 不愿透露.
type Breakdown struct {
	Code, Label string
	// Groups are in the order of ProfileQuestion.Options: the choices,
	// then 不愿透露. A choice nobody picked has N = 0.
	Groups []Group
}

// Report is a quiz's published figures.
type Report struct {
	// Threshold is the score that counts in Reached, ThresholdLabel what
	// it means, MinGroup the smallest group with a published mean.
	Threshold      Hundredths
	ThresholdLabel string
	MinGroup       int
	Overall        Row
	// Profile has a breakdown per profile question, in the quiz's order.
	Profile []Breakdown
}

// acc accumulates one figure.
type acc struct {
	n, reached int
	sum        int64
}

func (a *acc) add(score, threshold Hundredths) {
	a.n++
	a.sum += int64(score)
	if score >= threshold {
		a.reached++
	}
}

// figure returns the figure, published or withheld.
func (a acc) figure(publish bool) Figure {
	f := Figure{N: a.n}
	if publish && a.n > 0 {
		mean := Hundredths(divRound(a.sum, int64(a.n)))
		share := Hundredths(divRound(int64(a.reached)*int64(Full), int64(a.n)))
		reached := a.reached
		f.Mean, f.Reached, f.Share = &mean, &reached, &share
	}
	return f
}

// rowAcc accumulates a row: the total, then each dimension.
type rowAcc []acc

func (q *Quiz) newRow() rowAcc { return make(rowAcc, 1+len(q.Dimensions)) }

func (q *Quiz) addTo(r rowAcc, resp *Response, threshold Hundredths) {
	r[0].add(resp.Total, threshold)
	for i, d := range q.Dimensions {
		if s, ok := resp.Scores[d.Code]; ok {
			r[1+i].add(s, threshold)
		}
	}
}

// row returns the figures of r; publish[k] says whether column k (0 the
// total, 1+i dimension i) is published.
func (r rowAcc) row(publish []bool) Row {
	out := Row{Total: r[0].figure(publish[0]), Dimensions: make([]Figure, len(r)-1)}
	for k := 1; k < len(r); k++ {
		out.Dimensions[k-1] = r[k].figure(publish[k])
	}
	return out
}

// Tally computes a quiz's figures from its accepted responses (excluded
// ones left out by the caller). Every figure is computed in integers from
// the responses' scores, so a test recomputing them gets the same numbers.
//
// A figure over fewer than MinGroup responses is withheld, its N shown. In
// a breakdown, when exactly one group with responses is withheld in a
// column, the smallest other group with responses is withheld too (the
// first in order on a tie): otherwise the overall figure minus the
// published ones would give the small group's away. Only one profile
// question is broken down at a time; crossing two (age × village) is not
// offered, and must not be without the same care.
func (q *Quiz) Tally(rs []Response) Report {
	threshold, minGroup := q.threshold(), q.minGroup()
	rep := Report{Threshold: threshold, ThresholdLabel: q.thresholdLabel(), MinGroup: minGroup}
	overall := q.newRow()
	groups := make([][]rowAcc, len(q.Profile))
	for p, pq := range q.Profile {
		groups[p] = make([]rowAcc, len(pq.Choices)+1)
		for g := range groups[p] {
			groups[p][g] = q.newRow()
		}
	}
	for i := range rs {
		resp := &rs[i]
		q.addTo(overall, resp, threshold)
		for p, pq := range q.Profile {
			g := slices.IndexFunc(pq.Choices, func(c Choice) bool { return c.Code == resp.Profile[pq.Code] })
			if g < 0 {
				g = len(pq.Choices) // 不愿透露
			}
			q.addTo(groups[p][g], resp, threshold)
		}
	}

	cols := 1 + len(q.Dimensions)
	publish := make([]bool, cols)
	for k := range publish {
		publish[k] = overall[k].n >= minGroup
	}
	rep.Overall = overall.row(publish)

	for p, pq := range q.Profile {
		b := Breakdown{Code: pq.Code, Label: pq.Label}
		pub := make([][]bool, len(groups[p])) // [group][column]
		for g := range pub {
			pub[g] = make([]bool, cols)
		}
		for k := range cols {
			small := 0
			for g, r := range groups[p] {
				pub[g][k] = r[k].n >= minGroup
				if r[k].n > 0 && !pub[g][k] {
					small++
				}
			}
			if small == 1 {
				other := -1
				for g, r := range groups[p] {
					if pub[g][k] && (other < 0 || r[k].n < groups[p][other][k].n) {
						other = g
					}
				}
				if other >= 0 {
					pub[other][k] = false
				}
			}
		}
		for g, c := range pq.Options() {
			b.Groups = append(b.Groups, Group{Choice: c.Code, Label: c.Label, Row: groups[p][g].row(pub[g])})
		}
		rep.Profile = append(rep.Profile, b)
	}
	return rep
}
