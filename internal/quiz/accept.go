package quiz

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/assess"
)

// Limits are the rate limits of an open quiz, per client address (the web
// layer's keyed hash of it). A household, an office or a village hall's
// Wi-Fi shares one address, so the limits are per hour and per day, not
// per person: the device cookie is what keeps a person to one response.
type Limits struct {
	// PerHour and PerDay bound the responses from one client address in
	// the last hour and the last 24 hours; zero means DefaultPerHour and
	// DefaultPerDay.
	PerHour, PerDay int
}

// Default limits: a village meeting answering on the hall's Wi-Fi stays
// under them; a script does not.
const (
	DefaultPerHour = 30
	DefaultPerDay  = 200
)

func (l Limits) validate() error {
	if l.PerHour < 0 || l.PerDay < 0 {
		return app.Invalid("limits", "同一网络的提交上限不能为负数")
	}
	return nil
}

// limit is one rate limit: fewer than n responses within window.
type limit struct {
	n      int
	window time.Duration
	what   string // the window in a message
}

// rules returns the limits in force, the longest window last.
func (l Limits) rules() []limit {
	h, d := l.PerHour, l.PerDay
	if h == 0 {
		h = DefaultPerHour
	}
	if d == 0 {
		d = DefaultPerDay
	}
	return []limit{{h, time.Hour, "一小时"}, {d, 24 * time.Hour, "一天"}}
}

// Since returns how far back the store must read a client's responses for
// Accept to decide at now: the longest window.
func (l Limits) Since(now time.Time) time.Time {
	r := l.rules()
	return now.Add(-r[len(r)-1].window)
}

// Arrival is what Accept decides on: the facts the store reads about one
// response about to be stored, in the transaction that stores it.
type Arrival struct {
	// At is the time of the response, from the injected clock.
	At time.Time
	// Token is the invitation token of an invited quiz. TokenIssued says
	// it is one of this quiz's tokens and TokenUsed that a response with
	// it is already stored.
	Token                  string
	TokenIssued, TokenUsed bool
	// Device is the device cookie's value in an open quiz; DeviceSeen
	// says a response of this quiz already carries it.
	Device     string
	DeviceSeen bool
	// Previous is the response already stored with this token (invited
	// quizzes) or device (open ones), 0 if none: the respondent's own,
	// whose result page they may open again instead of answering twice.
	Previous app.ID
	// ClientTimes are the times of this quiz's stored responses from the
	// same client address since Limits.Since(At); older ones are ignored.
	ClientTimes []time.Time
}

// Accept decides whether a response may be stored: the quiz is open at
// a.At; in an invited quiz the token is the quiz's and unused; in an open
// quiz the device carries a cookie not seen in this quiz's responses and
// the client address is within the limits. The same call before showing
// the questions spares a person answering in vain; the one in the storing
// transaction decides.
//
// A refusal is an *app.Error whose Chinese message the page shows: code
// EFORBIDDEN for a quiz not open, ENOTFOUND for a token that is not the
// quiz's, ECONFLICT for a second response (token used, device seen),
// EINVALID for a browser that keeps no cookie, ERATELIMITED over a limit.
func (q *Quiz) Accept(a Arrival) error {
	if !q.OpensAt.IsZero() && a.At.Before(q.OpensAt) {
		return app.Errorf(app.EFORBIDDEN, "测评尚未开始，开始时间为 %s", q.OpensAt.In(app.Shanghai).Format("2006年1月2日 15:04"))
	}
	if !q.ClosesAt.IsZero() && !a.At.Before(q.ClosesAt) {
		return app.Errorf(app.EFORBIDDEN, "测评已于 %s 结束，感谢您的关注", q.ClosesAt.In(app.Shanghai).Format("2006年1月2日 15:04"))
	}
	switch q.Mode {
	case Invited:
		if strings.TrimSpace(a.Token) == "" || !a.TokenIssued {
			return app.Errorf(app.ENOTFOUND, "邀请链接无效，请使用您收到的完整链接或二维码")
		}
		if a.TokenUsed {
			return app.Errorf(app.ECONFLICT, "这个邀请链接已经提交过答卷，每人只能作答一次")
		}
		return nil
	case Open:
		if strings.TrimSpace(a.Device) == "" {
			return app.Invalid("device", "请允许浏览器保存 Cookie 后重新打开本页，以便确认每人只作答一次")
		}
		if a.DeviceSeen {
			return app.Errorf(app.ECONFLICT, "您已经提交过本次测评的答卷，每人只能作答一次")
		}
		for _, r := range q.Limits.rules() {
			from := a.At.Add(-r.window)
			n := 0
			for _, t := range a.ClientTimes {
				if t.After(from) && !t.After(a.At) {
					n++
				}
			}
			if n >= r.n {
				return app.Errorf(app.ERATELIMITED, "同一网络%s内提交的答卷已达 %d 份，请稍后再试", r.what, r.n)
			}
		}
		return nil
	}
	return fmt.Errorf("quiz.Accept: unknown mode %q", q.Mode)
}

// AlarmSettings say when a quiz's responses raise an alarm, as a public
// rating stage's votes do (assess.PublicSettings).
type AlarmSettings struct {
	// Population is the most responses the quiz can plausibly get (the
	// residents asked, the sample invited); more raise an alarm. Zero:
	// no limit.
	Population int
	// BurstResponses responses within BurstSeconds raise an alarm and mark
	// the responses of that window suspicious. Zero: 20 in 60 s, as public
	// rating.
	BurstResponses, BurstSeconds int
}

func (s AlarmSettings) validate() error {
	if s.Population < 0 || s.BurstResponses < 0 || s.BurstSeconds < 0 {
		return app.Invalid("alarm", "预警设置不能为负数")
	}
	return nil
}

// public returns the settings as a public rating stage's.
func (s AlarmSettings) public() assess.PublicSettings {
	return assess.PublicSettings{Population: s.Population, BurstVotes: s.BurstResponses, BurstSeconds: s.BurstSeconds}
}

// Stamp is what the alarms read of one stored response.
type Stamp struct {
	ID app.ID
	At time.Time
	// Excluded says the office has excluded the response: it no longer
	// counts towards the population, but still shows in a burst.
	Excluded bool
}

// Check runs public rating's alarms (assess.VoteAlarm) over a quiz's
// responses, in any order: the population alarm over those not excluded,
// and the burst alarm, whose Suspicious lists the responses that arrived
// in bursts. The office decides what to exclude; the engine only points.
// The Message is in a quiz's words (答卷, not 票). A caller may check a
// subset, such as one village's responses against its population.
func (s AlarmSettings) Check(stamps []Stamp) assess.Alarm {
	sorted := slices.Clone(stamps)
	slices.SortStableFunc(sorted, func(a, b Stamp) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID)) })
	votes := make([]assess.Vote, len(sorted))
	counted := 0
	for i, st := range sorted {
		votes[i] = assess.Vote{ID: st.ID, CreatedAt: st.At, Excluded: st.Excluded}
		if !st.Excluded {
			counted++
		}
	}
	p := s.public()
	a := assess.VoteAlarm(p, votes)
	var msgs []string
	if a.OverPopulation {
		msgs = append(msgs, fmt.Sprintf("计入 %d 份答卷，超过设定的人数 %d", counted, p.Population))
	}
	if len(a.Suspicious) > 0 {
		n, window := p.Burst()
		msgs = append(msgs, fmt.Sprintf("%d 份答卷集中提交（%d 秒内达到 %d 份以上）", len(a.Suspicious), int(window.Seconds()), n))
	}
	a.Message = strings.Join(msgs, "；")
	return a
}
