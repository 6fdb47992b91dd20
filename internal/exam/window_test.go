package exam

import (
	"testing"
	"time"

	"pufa/internal/app"
)

var (
	opens  = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	closes = time.Date(2026, 3, 31, 16, 0, 0, 0, time.UTC)
)

func TestWindow_Deadline(t *testing.T) {
	w := Window{Opens: opens, Closes: closes, Duration: 90 * time.Minute}
	tests := []struct {
		name  string
		w     Window
		start time.Time
		want  time.Time
	}{
		{"duration ends first", w, opens.Add(time.Hour), opens.Add(150 * time.Minute)},
		{"window closes first", w, closes.Add(-30 * time.Minute), closes},
		{"both at once", w, closes.Add(-90 * time.Minute), closes},
		{"no duration", Window{Opens: opens, Closes: closes}, opens, closes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.w.Deadline(tt.start); !got.Equal(tt.want) {
				t.Fatalf("Deadline() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWindow_Boundaries(t *testing.T) {
	start := opens.Add(time.Hour)
	for _, tt := range []struct {
		name  string
		w     Window
		limit time.Time // deadline + grace
	}{
		{"default grace", Window{Opens: opens, Closes: closes, Duration: time.Hour}, start.Add(time.Hour + 60*time.Second)},
		{"own grace", Window{Opens: opens, Closes: closes, Duration: time.Hour, Grace: 5 * time.Second}, start.Add(time.Hour + 5*time.Second)},
		{"window close", Window{Opens: opens, Closes: start.Add(time.Minute), Duration: time.Hour}, start.Add(2 * time.Minute)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range []struct {
				now    time.Time
				accept bool
			}{
				{start, true},
				{tt.w.Deadline(start), true},
				{tt.limit.Add(-time.Nanosecond), true},
				{tt.limit, false},
				{tt.limit.Add(time.Hour), false},
			} {
				if got := tt.w.AcceptSave(start, c.now); got != c.accept {
					t.Errorf("AcceptSave(%v) = %v, want %v", c.now, got, c.accept)
				}
				if got := tt.w.AutoSubmitDue(start, c.now); got != !c.accept {
					t.Errorf("AutoSubmitDue(%v) = %v, want %v", c.now, got, !c.accept)
				}
			}
		})
	}
}

func TestWindow_CanStartAndValidate(t *testing.T) {
	w := Window{Opens: opens, Closes: closes, Duration: time.Hour}
	for now, want := range map[time.Time]bool{opens.Add(-time.Nanosecond): false, opens: true, closes.Add(-time.Nanosecond): true, closes: false} {
		if got := w.CanStart(now); got != want {
			t.Errorf("CanStart(%v) = %v, want %v", now, got, want)
		}
	}
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []Window{{Opens: closes, Closes: opens}, {Opens: opens, Closes: opens}, {Opens: opens, Closes: closes, Duration: -1}, {Opens: opens, Closes: closes, Grace: -1}} {
		if app.ErrorCode(bad.Validate()) != app.EINVALID {
			t.Errorf("Validate(%+v) accepted", bad)
		}
	}
}

func TestNewer(t *testing.T) {
	for _, tt := range []struct {
		stored, seq int64
		want        bool
	}{{0, 1, true}, {5, 6, true}, {5, 5, false}, {5, 4, false}, {0, 0, false}, {-1, 0, true}} {
		if got := Newer(tt.stored, tt.seq); got != tt.want {
			t.Errorf("Newer(%d, %d) = %v, want %v", tt.stored, tt.seq, got, tt.want)
		}
	}
}

func TestBest(t *testing.T) {
	at := func(h int) time.Time { return opens.Add(time.Duration(h) * time.Hour) }
	attempts := []Attempt{{1, at(1), 72}, {2, at(2), 95}, {3, at(3), 95}, {4, at(4), 60}}
	tests := []struct {
		name     string
		attempts []Attempt
		rule     BestRule
		want     int
	}{
		{"none", nil, Highest, -1},
		{"highest, tie to earliest", attempts, Highest, 1},
		{"default is highest", attempts, "", 1},
		{"earliest by time, not slice order", []Attempt{{3, at(3), 95}, {2, at(2), 95}}, Highest, 1},
		{"last", attempts, Last, 3},
		{"last by time, not slice order", []Attempt{{4, at(4), 60}, {1, at(1), 72}}, Last, 0},
		{"last, same time: later in slice", []Attempt{{1, at(1), 60}, {2, at(1), 70}}, Last, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Best(tt.attempts, tt.rule); got != tt.want {
				t.Fatalf("Best() = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestGraceEnd: the grace end is where AcceptSave stops and AutoSubmitDue
// starts, for the default grace and a set one.
func TestGraceEnd(t *testing.T) {
	start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for _, w := range []Window{
		{Opens: start, Closes: start.Add(2 * time.Hour), Duration: time.Hour},
		{Opens: start, Closes: start.Add(2 * time.Hour), Duration: time.Hour, Grace: 30 * time.Second},
		{Opens: start, Closes: start.Add(30 * time.Minute), Duration: time.Hour},
	} {
		end := w.GraceEnd(start)
		if !w.AcceptSave(start, end.Add(-time.Nanosecond)) || w.AcceptSave(start, end) || !w.AutoSubmitDue(start, end) {
			t.Errorf("%+v: grace end %v disagrees with AcceptSave", w, end)
		}
		if want := w.Deadline(start).Add(w.grace()); !end.Equal(want) {
			t.Errorf("%+v: grace end %v, want %v", w, end, want)
		}
	}
}
