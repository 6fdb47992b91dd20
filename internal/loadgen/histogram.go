package loadgen

import (
	"math"
	"math/bits"
	"sync"
	"time"
)

// A histogram counts latencies in log-linear buckets of nanoseconds, the
// way an HDR histogram does: below 2·subCount ns every nanosecond has its
// own bucket, and each power of two above is split into subCount equal
// buckets. A bucket is then at most 1/subCount of its lowest value wide,
// and a percentile read at a bucket's midpoint is off by at most
// 1/(2·subCount) ≈ 0.4%. Memory is fixed (numBuckets counters, about
// 58 KiB) however many requests are recorded, so one histogram per
// operation serves 5,000 examinees for as long as the run lasts, where
// a slice of every latency would grow with it.
const (
	subBits    = 7
	subCount   = 1 << subBits
	numBuckets = subCount + (64-subBits)*subCount
)

// Histogram records latencies from many goroutines and summarizes them.
// The zero value is ready to use.
type Histogram struct {
	mu       sync.Mutex
	counts   [numBuckets]uint64
	n        uint64
	sum      time.Duration
	min, max time.Duration
}

// Record adds one latency; a negative one counts as zero.
func (h *Histogram) Record(d time.Duration) {
	d = max(d, 0)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counts[bucketOf(uint64(d))]++
	if h.n == 0 || d < h.min {
		h.min = d
	}
	h.max = max(h.max, d)
	h.n++
	h.sum += d
}

// Quantile returns the latency at quantile q (0.5 for the median) by the
// nearest-rank method: the smallest recorded value with at least q of
// the values at or below it, read at its bucket's midpoint and kept
// within the recorded minimum and maximum, so Quantile(1) is the exact
// maximum. It returns 0 when nothing was recorded.
func (h *Histogram) Quantile(q float64) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.quantile(q)
}

func (h *Histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	if q >= 1 {
		return h.max
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	rank = max(rank, 1)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			low, width := bucketRange(i)
			mid := time.Duration(low + width/2)
			return min(max(mid, h.min), h.max)
		}
	}
	return h.max
}

// Summary returns the count, mean and percentiles of what was recorded.
func (h *Histogram) Summary() Latency {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == 0 {
		return Latency{}
	}
	return Latency{
		Count: int64(h.n),
		Mean:  ms(h.sum / time.Duration(h.n)),
		P50:   ms(h.quantile(0.50)),
		P90:   ms(h.quantile(0.90)),
		P95:   ms(h.quantile(0.95)),
		P99:   ms(h.quantile(0.99)),
		Max:   ms(h.max),
	}
}

// bucketOf returns the bucket of v nanoseconds.
func bucketOf(v uint64) int {
	if v < subCount {
		return int(v)
	}
	// Keep the top subBits+1 bits of v: top is in [subCount, 2·subCount).
	shift := bits.Len64(v) - subBits - 1
	top := v >> shift
	return subCount + shift*subCount + int(top-subCount)
}

// bucketRange returns the lowest value of bucket i and its width.
func bucketRange(i int) (low, width uint64) {
	if i < subCount {
		return uint64(i), 1
	}
	shift := (i - subCount) / subCount
	top := uint64((i-subCount)%subCount + subCount)
	return top << shift, 1 << shift
}

// ms converts d to milliseconds.
func ms(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}
