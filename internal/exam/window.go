package exam

import (
	"cmp"
	"slices"
	"time"

	"pufa/internal/app"
)

// DefaultGrace is the grace a zero Window.Grace stands for.
const DefaultGrace = 60 * time.Second

// Window is when an exam may be sat and for how long.
type Window struct {
	// Opens and Closes bound the window: an attempt starts at or after
	// Opens and before Closes, and must end by Closes.
	Opens, Closes time.Time
	// Duration is the time one attempt allows; zero means until Closes.
	Duration time.Duration
	// Grace is how long after the deadline saves are still stored, to
	// cover the network and a busy server at the deadline rush; zero means
	// DefaultGrace.
	Grace time.Duration
}

// Validate checks the window.
func (w Window) Validate() error {
	if !w.Opens.Before(w.Closes) {
		return app.Invalid("closes", "考试结束时间应晚于开始时间")
	}
	if w.Duration < 0 {
		return app.Invalid("duration", "考试时长不能为负")
	}
	if w.Grace < 0 {
		return app.Invalid("grace", "宽限时间不能为负")
	}
	return nil
}

// grace returns the grace in force.
func (w Window) grace() time.Duration {
	if w.Grace <= 0 {
		return DefaultGrace
	}
	return w.Grace
}

// CanStart reports whether an attempt may start at now.
func (w Window) CanStart(now time.Time) bool {
	return !now.Before(w.Opens) && now.Before(w.Closes)
}

// Deadline is the earlier of start + Duration and Closes: the time the
// examinee is shown.
func (w Window) Deadline(start time.Time) time.Time {
	if w.Duration <= 0 {
		return w.Closes
	}
	if d := start.Add(w.Duration); d.Before(w.Closes) {
		return d
	}
	return w.Closes
}

// GraceEnd is when saves stop being stored for an attempt started at
// start, and the server submits it: the deadline plus the grace.
func (w Window) GraceEnd(start time.Time) time.Time {
	return w.Deadline(start).Add(w.grace())
}

// AcceptSave reports whether a save (or a submission) arriving at now may
// be stored: strictly before the deadline plus the grace.
func (w Window) AcceptSave(start, now time.Time) bool {
	return now.Before(w.GraceEnd(start))
}

// AutoSubmitDue reports whether the server must submit the attempt: at or
// after the deadline plus the grace. It is AcceptSave's complement, so no
// save is both refused and left out of the submission.
func (w Window) AutoSubmitDue(start, now time.Time) bool {
	return !w.AcceptSave(start, now)
}

// Newer reports whether a save numbered seq replaces the stored one
// numbered stored. An equal or lower seq is a retry or a reordered
// request: the caller accepts it and ignores it, so the client is not told
// to retry forever.
func Newer(stored, seq int64) bool { return seq > stored }

// Attempt is a submitted attempt, as Best reads it.
type Attempt struct {
	ID        app.ID
	Submitted time.Time
	Score     float64
}

// BestRule says which attempt counts.
type BestRule string

// Best rules.
const (
	Highest BestRule = "highest" // the highest score; the default
	Last    BestRule = "last"    // the last submitted
)

// Best returns the index of the attempt that counts, or -1 when there is
// none. Under Highest (or "") ties go to the earliest submitted; under
// Last the latest submitted wins. Equal times fall back to slice order.
func Best(attempts []Attempt, rule BestRule) int {
	if len(attempts) == 0 {
		return -1
	}
	idx := make([]int, len(attempts))
	for i := range idx {
		idx[i] = i
	}
	byTime := func(a, b int) int { return attempts[a].Submitted.Compare(attempts[b].Submitted) }
	if rule == Last {
		return slices.MaxFunc(idx, func(a, b int) int { return cmp.Or(byTime(a, b), cmp.Compare(a, b)) })
	}
	// MinFunc returns the first minimum, so ties keep the earliest.
	return slices.MinFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(attempts[b].Score, attempts[a].Score), byTime(a, b), cmp.Compare(a, b))
	})
}
