package loadgen

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestBucketOf(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 255, 256, 257, 1000, 1 << 20, 123456789, 1<<40 + 12345, math.MaxInt64, math.MaxUint64} {
		i := bucketOf(v)
		if i < 0 || i >= numBuckets {
			t.Fatalf("bucketOf(%d) = %d, outside [0, %d)", v, i, numBuckets)
		}
		low, width := bucketRange(i)
		if v < low || v-low >= width {
			t.Errorf("bucketOf(%d) = %d, whose range is [%d, %d+%d)", v, i, low, low, width)
		}
		if v < 2*subCount && width != 1 {
			t.Errorf("bucket of %d has width %d, want 1 below %d", v, width, 2*subCount)
		}
		if width > 1 && float64(width)/float64(low) > 1.0/subCount {
			t.Errorf("bucket of %d is %d wide from %d: more than 1/%d", v, width, low, subCount)
		}
	}
	// Buckets follow each other without gaps.
	for i := 1; i < numBuckets; i++ {
		prevLow, prevWidth := bucketRange(i - 1)
		if low, _ := bucketRange(i); low != prevLow+prevWidth {
			t.Fatalf("bucket %d starts at %d, bucket %d ends at %d", i, low, i-1, prevLow+prevWidth)
		}
	}
}

func TestHistogram_Quantile(t *testing.T) {
	ns := func(vs ...int) []time.Duration {
		out := make([]time.Duration, len(vs))
		for i, v := range vs {
			out[i] = time.Duration(v)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		values []time.Duration
		q      float64
		want   time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one", ns(100), 0.5, 100},
		{"one, max", ns(100), 1, 100},
		{"median of odd", ns(1, 2, 3, 4, 5), 0.5, 3},
		{"median of even is the lower", ns(1, 2, 3, 4), 0.5, 2},
		{"p90 of ten", ns(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), 0.9, 90},
		{"p99 of ten is the max", ns(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), 0.99, 100},
		{"zero quantile is the min", ns(7, 9, 200), 0, 7},
		{"negative counts as zero", ns(-5, 10), 0.5, 0},
		{"max is exact", []time.Duration{time.Millisecond, 1234567 * time.Microsecond}, 1, 1234567 * time.Microsecond},
		{"midpoint kept within max", []time.Duration{1000003}, 0.5, 1000003},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h Histogram
			for _, v := range tc.values {
				h.Record(v)
			}
			if got := h.Quantile(tc.q); got != tc.want {
				t.Errorf("Quantile(%v) = %v, want %v", tc.q, got, tc.want)
			}
		})
	}
}

// TestHistogram_Error checks the percentiles against the exact ones of
// the same samples, from distributions shaped like request latencies.
func TestHistogram_Error(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		draw func() time.Duration
	}{
		{"uniform 1ms-50ms", func() time.Duration { return time.Millisecond + time.Duration(r.Int64N(int64(49*time.Millisecond))) }},
		{"log-normal around 2ms", func() time.Duration { return time.Duration(2e6 * math.Exp(r.NormFloat64())) }},
		{"bimodal 200µs and 3s", func() time.Duration {
			if r.IntN(10) == 0 {
				return 3*time.Second + time.Duration(r.Int64N(int64(time.Second)))
			}
			return 200*time.Microsecond + time.Duration(r.Int64N(int64(50*time.Microsecond)))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h Histogram
			exact := make([]time.Duration, 20000)
			for i := range exact {
				exact[i] = tc.draw()
				h.Record(exact[i])
			}
			slices.Sort(exact)
			for _, q := range []float64{0.5, 0.9, 0.95, 0.99, 0.999, 1} {
				want := exact[int(math.Ceil(q*float64(len(exact))))-1]
				got := h.Quantile(q)
				if e := math.Abs(float64(got-want)) / float64(want); e > 0.01 {
					t.Errorf("q %v: got %v, exact %v: error %.2f%% over 1%%", q, got, want, 100*e)
				}
			}
		})
	}
}

func TestHistogram_Summary(t *testing.T) {
	var h Histogram
	if got := h.Summary(); got != (Latency{}) {
		t.Errorf("empty summary = %+v", got)
	}
	for i := 1; i <= 100; i++ {
		h.Record(time.Duration(i) * time.Millisecond)
	}
	got := h.Summary()
	want := Latency{Count: 100, Mean: 50.5, P50: 50, P90: 90, P95: 95, P99: 99, Max: 100}
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"mean", got.Mean, want.Mean}, {"p50", got.P50, want.P50}, {"p90", got.P90, want.P90},
		{"p95", got.P95, want.P95}, {"p99", got.P99, want.P99}, {"max", got.Max, want.Max},
	} {
		if math.Abs(f.got-f.want)/f.want > 0.004 {
			t.Errorf("%s = %vms, want %vms within 0.4%%", f.name, f.got, f.want)
		}
	}
	if got.Count != 100 || got.Max != 100 {
		t.Errorf("count %d, max %v; want 100 and exactly 100ms", got.Count, got.Max)
	}
}
