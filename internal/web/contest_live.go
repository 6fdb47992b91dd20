package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"pufa/internal/app"
	"pufa/internal/contest"
	"pufa/internal/question"
)

// The knowledge contest's live final. The host's console opens one
// question at a time and reveals its answer; finalists answer on their
// phones; the large screen shows the question, its timer and the
// leaderboard. Screens and phones follow by server-sent events, with a
// page that still works by reloading (no JS: the phone's answer is a
// plain form). The same board, computed from the stored steps and answers
// as they stood at a moment, replays a finished final.
//
// Every change (a step opened or revealed, an answer stored) wakes the
// streams of that contest on this node at once; each stream also looks
// again every second, which catches a window's time running out and the
// changes other nodes make.

// liveHub wakes a contest's streams and keeps its live state for them, so
// fifty phones woken by one answer read the database once, not fifty times.
// It keeps two layers: the contest with its steps, which only the host's
// buttons change and which an answer needs; and the answers on top, which
// every answer changes and only the boards read.
type liveHub struct {
	mu      sync.Mutex
	wake    map[app.ID]chan struct{}
	entries map[app.ID]*liveEntry
	bases   map[app.ID]*liveEntry
	// gens counts each contest's changes, so a read that raced a change
	// is not kept.
	gens map[app.ID]uint64
	// loading lets one request read a contest while the others it woke
	// wait for that read instead of making their own; one lock per
	// contest, so one final's readers do not queue behind another's.
	loading map[app.ID]*sync.Mutex
	// closing is closed when the server shuts down: streams end, so the
	// shutdown does not wait on screens that never hang up.
	closing  chan struct{}
	stopOnce sync.Once
}

// liveEntry is a contest with its final's steps and (on a full entry) its
// answers, as read at.
type liveEntry struct {
	gen     uint64
	at      time.Time
	c       *contest.Contest
	steps   []contest.Step
	answers []contest.LiveAnswer
}

// liveGap is the least time between two events of one stream.
const liveGap = 200 * time.Millisecond

// liveFresh bounds how stale a cached live state may be: what another node
// wrote shows within it.
const liveFresh = time.Second

func newLiveHub() *liveHub {
	return &liveHub{wake: map[app.ID]chan struct{}{}, entries: map[app.ID]*liveEntry{}, bases: map[app.ID]*liveEntry{},
		gens: map[app.ID]uint64{}, loading: map[app.ID]*sync.Mutex{}, closing: make(chan struct{})}
}

// loadLock returns the contest's load lock.
func (h *liveHub) loadLock(id app.ID) *sync.Mutex {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.loading[id]
	if m == nil {
		m = &sync.Mutex{}
		h.loading[id] = m
	}
	return m
}

// StopStreams ends every live stream; serve calls it when it shuts down.
// The browsers' EventSource reconnects to the next server.
func (s *Server) StopStreams() { s.liveHub.stopOnce.Do(func() { close(s.liveHub.closing) }) }

// waiter returns a channel closed at the contest's next change.
func (h *liveHub) waiter(id app.ID) <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := h.wake[id]
	if ch == nil {
		ch = make(chan struct{})
		h.wake[id] = ch
	}
	return ch
}

// changed drops the contest's cached answers (and with steps true its
// steps) and wakes its streams.
func (h *liveHub) changed(id app.ID, steps bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.entries, id)
	if steps {
		delete(h.bases, id)
	}
	h.gens[id]++
	if ch := h.wake[id]; ch != nil {
		close(ch)
		delete(h.wake, id)
	}
}

// cached returns a fresh entry from m.
func (h *liveHub) cached(m map[app.ID]*liveEntry, id app.ID, now time.Time) (*liveEntry, uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := m[id]
	if e != nil && now.Sub(e.at) >= liveFresh {
		e = nil
	}
	return e, h.gens[id]
}

// keep stores e in m unless the contest changed since gen.
func (h *liveHub) keep(m map[app.ID]*liveEntry, id app.ID, e *liveEntry) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gens[id] == e.gen {
		m[id] = e
	}
}

// liveBase returns the contest and its final's steps, without answers:
// what an answer is checked against.
func (s *Server) liveBase(ctx context.Context, id app.ID) (*liveEntry, error) {
	return s.liveLoad(ctx, id, false)
}

// live returns the contest with its final's steps and answers.
func (s *Server) live(ctx context.Context, id app.ID) (*liveEntry, error) {
	return s.liveLoad(ctx, id, true)
}

// liveLoad returns the contest's live state from the hub while fresh, else
// reads it (with its answers when answers is true) and keeps it.
func (s *Server) liveLoad(ctx context.Context, id app.ID, answers bool) (*liveEntry, error) {
	h := s.liveHub
	m := h.bases
	if answers {
		m = h.entries
	}
	now := time.Now()
	if e, _ := h.cached(m, id, now); e != nil {
		return e, nil
	}
	lock := h.loadLock(id)
	lock.Lock()
	defer lock.Unlock()
	e, gen := h.cached(m, id, now)
	if e != nil {
		return e, nil
	}
	c, err := s.db.FindContestByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Final == nil {
		return nil, app.Errorf(app.ENOTFOUND, "本竞赛没有现场决赛")
	}
	// The answer path's entry needs the steps only; the answers grow with
	// every question and are read for the boards alone.
	e = &liveEntry{gen: gen, at: now, c: c}
	if answers {
		e.steps, e.answers, err = s.db.FindLive(ctx, id)
	} else {
		e.steps, err = s.db.FindSteps(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	h.keep(m, id, e)
	return e, nil
}

// liveID is the contest of the request.
func liveID(r *http.Request) (app.ID, error) { return pathID(r, "id", "竞赛") }

// liveOption is an option as a screen or phone shows it.
type liveOption struct {
	// Label is what an answer gives: an option's letter, or true/false.
	Label string `json:"label"`
	// Letter is shown before the text: the letter, none for 正确/错误.
	Letter string `json:"letter,omitempty"`
	Text   string `json:"text"`
}

// liveQuestionJSON is the current question. Answer and Analysis are set
// only once it is revealed.
type liveQuestionJSON struct {
	No       int          `json:"no"`
	Type     string       `json:"type"`
	TypeName string       `json:"type_name"`
	Stem     string       `json:"stem"`
	Options  []liveOption `json:"options"`
	Points   float64      `json:"points"`
	Seconds  int          `json:"seconds"`
	Answer   []string     `json:"answer,omitempty"`
	Analysis string       `json:"analysis,omitempty"`
}

// liveHead is what every view of the final shows: where it stands and the
// question now.
type liveHead struct {
	Title      string `json:"title"`
	Final      string `json:"final"`
	Phase      string `json:"phase"`
	PhaseLabel string `json:"phase_label"`
	// Now is the server's time (Unix ms) the board was taken at; ClosesAt
	// ends the answer window. The screen counts down from the difference,
	// so a wrong clock on the screen's computer does not matter.
	Now      int64             `json:"now"`
	ClosesAt int64             `json:"closes_at,omitempty"`
	No       int               `json:"no"`
	Total    int               `json:"total"`
	Question *liveQuestionJSON `json:"question,omitempty"`
}

// headAt is the head of board b taken at t.
func (s *Server) headAt(ctx context.Context, c *contest.Contest, b contest.Board, t time.Time) (liveHead, error) {
	h := liveHead{Title: c.Title, Final: finalTitle(c), Phase: string(b.Phase), PhaseLabel: b.Phase.Label(), Now: t.UnixMilli(),
		No: b.Step.No, Total: b.Total}
	if b.Phase == contest.Asking {
		h.ClosesAt = b.Step.ClosesAt.UnixMilli()
	}
	q, err := s.liveQuestion(ctx, c, b.Step, b.Step.Revealed(t))
	h.Question = q
	return h, err
}

// boardJSON is the large screen's state.
type boardJSON struct {
	liveHead
	Answered  int               `json:"answered"`
	Finalists int               `json:"finalists"`
	Teams     []boardTeamJSON   `json:"teams"`
	People    []boardPersonJSON `json:"people"`
	// Replay spans the stored final (Unix ms) on a replay request.
	Replay *replaySpan `json:"replay,omitempty"`
}

type boardTeamJSON struct {
	Rank    int     `json:"rank"`
	Name    string  `json:"name"`
	Points  float64 `json:"points"`
	Correct int     `json:"correct"`
	Award   string  `json:"award,omitempty"`
}

type boardPersonJSON struct {
	Rank    int     `json:"rank"`
	Name    string  `json:"name"`
	Team    string  `json:"team"`
	Points  float64 `json:"points"`
	Correct int     `json:"correct"`
}

type replaySpan struct {
	Start int64 `json:"start"`
	End   int64 `json:"end"`
}

// liveQuestion renders step's question; keys and analysis only once
// revealed.
func (s *Server) liveQuestion(ctx context.Context, c *contest.Contest, st contest.Step, revealed bool) (*liveQuestionJSON, error) {
	if st.No == 0 || st.No > len(c.Final.Questions) {
		return nil, nil
	}
	cq, err := s.question(ctx, st.QuestionID)
	if err != nil {
		return nil, err
	}
	q := cq.q
	lq := c.Final.Questions[st.No-1]
	out := &liveQuestionJSON{No: st.No, Type: string(q.Type), TypeName: q.Type.Label(), Stem: q.Stem, Points: lq.Points, Seconds: lq.Seconds, Options: liveOptions(&q.Question)}
	if revealed {
		out.Answer, out.Analysis = slices.Clone(q.Answer), q.Analysis
	}
	return out, nil
}

// liveOptions are the choices a finalist taps: the options, or 对/错.
func liveOptions(q *question.Question) []liveOption {
	if q.Type == question.TrueFalse {
		return []liveOption{{Label: question.True, Text: "正确"}, {Label: question.False, Text: "错误"}}
	}
	out := make([]liveOption, len(q.Options))
	for i, o := range q.Options {
		out[i] = liveOption{Label: o.Label, Letter: o.Label, Text: o.Text}
	}
	return out
}

// boardAt builds the screen's state at t.
func (s *Server) boardAt(ctx context.Context, e *liveEntry, t time.Time) (*boardJSON, error) {
	c := e.c
	b := c.Final.BoardAt(e.steps, e.answers, t, c.Awards.Team)
	head, err := s.headAt(ctx, c, b, t)
	if err != nil {
		return nil, err
	}
	out := &boardJSON{liveHead: head, Answered: b.Answered, Finalists: b.Finalists, Teams: []boardTeamJSON{}, People: []boardPersonJSON{}}
	for _, tm := range b.Teams {
		out.Teams = append(out.Teams, boardTeamJSON{Rank: tm.Rank, Name: tm.Name, Points: tm.Points, Correct: tm.Correct, Award: tm.Award})
	}
	for _, p := range b.People {
		out.People = append(out.People, boardPersonJSON{Rank: p.Rank, Name: p.Name, Team: p.TeamName, Points: p.Points, Correct: p.Correct})
	}
	return out, nil
}

func finalTitle(c *contest.Contest) string {
	if t := strings.TrimSpace(c.Final.Title); t != "" {
		return t
	}
	return "现场决赛"
}

// span is the stored final's first opening and last reveal; ok false when
// nothing was asked.
func span(steps []contest.Step) (replaySpan, bool) {
	if len(steps) == 0 {
		return replaySpan{}, false
	}
	sp := replaySpan{Start: steps[0].OpenedAt.UnixMilli(), End: steps[len(steps)-1].OpenedAt.UnixMilli()}
	for _, st := range steps {
		sp.End = max(sp.End, st.ClosesAt.UnixMilli(), st.RevealedAt.UnixMilli())
	}
	return sp, true
}

// liveState answers the screen's state as JSON: now, or with ?at= (Unix
// ms, not in the future) as the final stood then, for the replay.
func (s *Server) liveState(w http.ResponseWriter, r *http.Request) error {
	id, err := liveID(r)
	if err != nil {
		return err
	}
	e, err := s.live(r.Context(), id)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	t := now
	if v := r.URL.Query().Get("at"); v != "" {
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return app.Invalid("at", "回放时间“%s”无效", v)
		}
		if at := time.UnixMilli(ms); at.Before(now) {
			t = at
		}
	}
	b, err := s.boardAt(r.Context(), e, t)
	if err != nil {
		return err
	}
	if sp, ok := span(e.steps); ok && r.URL.Query().Has("replay") {
		b.Replay = &sp
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, b)
	return nil
}

// stream serves server-sent events: state(now) whenever it changes, and a
// comment every 15 s so proxies keep the connection. It ends when the
// client goes.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, id app.ID, state func(e *liveEntry, now time.Time) (any, error)) error {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no") // nginx: pass each event on at once
	w.WriteHeader(http.StatusOK)
	var last []byte
	lastWrite := time.Now()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	ctx := r.Context()
	var lastSend time.Time
	lastAuth := time.Now()
	for {
		// A burst of answers is one update, not one per answer: nobody
		// reads a screen faster, and two hundred phones would otherwise
		// cost two hundred boards per screen.
		if gap := time.Until(lastSend.Add(liveGap)); gap > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(gap):
			}
		}
		wake := s.liveHub.waiter(id)
		e, err := s.live(ctx, id)
		if err != nil {
			return nil // the headers are out; the client's EventSource retries
		}
		v, err := state(e, s.clock.Now())
		if err != nil {
			return nil
		}
		body, err := json.Marshal(v)
		if err != nil {
			return err
		}
		// The board carries its time; compare without it, so an unchanged
		// board is not sent every second.
		if key := stripNow(body); !slices.Equal(key, last) {
			last = key
			if err := writeEvent(rc, w, body); err != nil {
				return nil
			}
			lastWrite, lastSend = time.Now(), time.Now()
		} else if time.Since(lastWrite) > 15*time.Second {
			rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil || rc.Flush() != nil {
				return nil
			}
			lastWrite = time.Now()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.liveHub.closing:
			return nil
		case <-wake:
		case <-tick.C:
		}
		// A screen left open through a long final keeps its session, as
		// any page in use does; a session ended meanwhile (signed out,
		// password changed, account closed) ends the stream.
		if time.Since(lastAuth) > streamAuthEvery {
			if !s.streamStillSignedIn(r) {
				return nil
			}
			lastAuth = time.Now()
		}
	}
}

// streamAuthEvery is how often a stream checks and refreshes its session.
const streamAuthEvery = 5 * time.Minute

// streamStillSignedIn authenticates the stream's request again, which
// refreshes the session's last-seen time.
func (s *Server) streamStillSignedIn(r *http.Request) bool {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return false
	}
	_, _, _, err = s.auth.Authenticate(r.Context(), c.Value)
	return err == nil
}

func writeEvent(rc *http.ResponseController, w http.ResponseWriter, body []byte) error {
	// The server's write timeout is for ordinary pages; a stream extends
	// its deadline per event instead.
	rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
	if _, err := fmt.Fprintf(w, "data: %s\n\n", body); err != nil {
		return err
	}
	return rc.Flush()
}

// stripNow removes the leading "now" field's value from a marshalled state,
// which is the only part that changes every second.
func stripNow(body []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return body
	}
	delete(m, "now")
	out, _ := json.Marshal(m)
	return out
}

// liveStream streams the large screen's board.
func (s *Server) liveStream(w http.ResponseWriter, r *http.Request) error {
	id, err := liveID(r)
	if err != nil {
		return err
	}
	if _, err := s.live(r.Context(), id); err != nil {
		return err
	}
	return s.stream(w, r, id, func(e *liveEntry, now time.Time) (any, error) { return s.boardAt(r.Context(), e, now) })
}

// livePageData is what the host's console and the screen render.
type livePageData struct {
	Contest *contest.Contest
	Board   *boardJSON
	Replay  bool
	// CanNext and CanReveal say which of the host's buttons act now.
	CanNext, CanReveal bool
	Started            bool
	Remaining          string
}

func (s *Server) livePage(r *http.Request) (*livePageData, error) {
	id, err := liveID(r)
	if err != nil {
		return nil, err
	}
	e, err := s.live(r.Context(), id)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	b, err := s.boardAt(r.Context(), e, now)
	if err != nil {
		return nil, err
	}
	d := &livePageData{Contest: e.c, Board: b, Replay: r.URL.Query().Has("replay"), Started: len(e.steps) > 0}
	_, nextErr := e.c.Final.Next(e.steps, now)
	_, revealErr := contest.Reveal(e.steps, now)
	d.CanNext, d.CanReveal = nextErr == nil, revealErr == nil
	if b.ClosesAt > 0 {
		d.Remaining = strconv.FormatInt(max(0, (b.ClosesAt-b.Now+999)/1000), 10)
	}
	return d, nil
}

// liveHost is the host's console.
func (s *Server) liveHost(w http.ResponseWriter, r *http.Request) error {
	d, err := s.livePage(r)
	if err != nil {
		return err
	}
	v := s.newView(r, "主持人控制台 · "+d.Contest.Title, d)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "contest_live_host", v)
}

// liveScreen is the large screen, and with ?replay the replay.
func (s *Server) liveScreen(w http.ResponseWriter, r *http.Request) error {
	d, err := s.livePage(r)
	if err != nil {
		return err
	}
	if d.Replay && !d.Started {
		return app.Errorf(app.ENOTFOUND, "决赛还没有开始，没有可回放的内容")
	}
	v := s.newView(r, finalTitle(d.Contest)+" · "+d.Contest.Title, d)
	v.Bare = true
	return s.render(w, r, http.StatusOK, "contest_live_screen", v)
}

// liveNext opens the next question.
func (s *Server) liveNext(w http.ResponseWriter, r *http.Request) error {
	return s.hostAction(w, r, func(ctx context.Context, c *contest.Contest, steps []contest.Step, now time.Time) (string, error) {
		st, err := c.Final.Next(steps, now)
		if err != nil {
			return "", err
		}
		if err := s.db.OpenStep(ctx, c.ID, st); err != nil {
			return "", err
		}
		return fmt.Sprintf("第 %d 题已出题，作答 %d 秒", st.No, c.Final.Questions[st.No-1].Seconds), nil
	})
}

// liveReveal shows the current question's answer, closing its window.
func (s *Server) liveReveal(w http.ResponseWriter, r *http.Request) error {
	return s.hostAction(w, r, func(ctx context.Context, c *contest.Contest, steps []contest.Step, now time.Time) (string, error) {
		st, err := contest.Reveal(steps, now)
		if err != nil {
			return "", err
		}
		if err := s.db.RevealStep(ctx, c.ID, st.No, now); err != nil {
			return "", err
		}
		return fmt.Sprintf("第 %d 题已公布答案", st.No), nil
	})
}

// liveReset clears a rehearsal.
func (s *Server) liveReset(w http.ResponseWriter, r *http.Request) error {
	return s.hostAction(w, r, func(ctx context.Context, c *contest.Contest, _ []contest.Step, _ time.Time) (string, error) {
		if r.PostFormValue("confirm") != "yes" {
			return "", app.Invalid("confirm", "请勾选确认：重置将删除决赛的全部出题和作答记录")
		}
		return "决赛记录已清空，可以重新开始", s.db.ResetLive(ctx, c.ID)
	})
}

// hostAction runs one of the host's buttons on fresh steps (never the
// hub's cached ones), wakes the streams, and returns to the console.
func (s *Server) hostAction(w http.ResponseWriter, r *http.Request, act func(ctx context.Context, c *contest.Contest, steps []contest.Step, now time.Time) (string, error)) error {
	c, err := s.managedContest(r)
	if err != nil {
		return err
	}
	if c.Final == nil {
		return app.Errorf(app.ENOTFOUND, "本竞赛没有现场决赛")
	}
	steps, err := s.db.FindSteps(r.Context(), c.ID)
	if err != nil {
		return err
	}
	msg, err := act(r.Context(), c, steps, s.clock.Now())
	s.liveHub.changed(c.ID, true)
	back := "/contests/" + c.ID.String() + "/live/host"
	var ae *app.Error
	if errors.As(err, &ae) && (ae.Code == app.ECONFLICT || ae.Code == app.EINVALID) {
		return s.redirect(w, r, back, ae.Message)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, back, msg)
}

// playJSON is a finalist's phone's state: the question while it is asked
// (no key), their own answer, and once revealed the key, their verdict,
// their points and rank and their team's.
type playJSON struct {
	liveHead
	// Mine is the finalist's answer to the current question, if any;
	// Right says, once revealed, whether it was right.
	Mine   []string `json:"mine"`
	Right  *bool    `json:"right,omitempty"`
	Name   string   `json:"name"`
	Team   string   `json:"team"`
	Points float64  `json:"points"`
	Rank   int      `json:"rank"`
	// TeamPoints and TeamRank are the team's standing.
	TeamPoints float64 `json:"team_points"`
	TeamRank   int     `json:"team_rank"`
	Teams      int     `json:"teams"`
	// Scored says some answer has been revealed: before that every rank
	// is a tie at nought and not worth showing.
	Scored bool `json:"scored"`
}

// Key names what the phone's card shows; the page's script builds the
// same key from each event and fetches the card again when it differs. The
// page carries its own, so a change that lands before the stream connects
// is not mistaken for the starting state.
func (p *playJSON) Key() string {
	return strings.Join([]string{p.Phase, strconv.Itoa(p.No), strings.Join(p.Mine, ","),
		strconv.FormatFloat(p.Points, 'f', -1, 64), strconv.Itoa(p.Rank), strconv.Itoa(p.TeamRank)}, "|")
}

// Verdict is "right" or "wrong" once the finalist's answer is revealed.
func (p *playJSON) Verdict() string {
	switch {
	case p.Right == nil:
		return ""
	case *p.Right:
		return "right"
	}
	return "wrong"
}

// finalistOf returns the signed-in finalist of the contest; ENOTFOUND for
// anyone else, so the stage is not shown to those not on it. With answers
// false the entry holds the steps only (what an answer needs).
func (s *Server) finalistOf(r *http.Request, answers bool) (*liveEntry, contest.Finalist, error) {
	id, err := liveID(r)
	if err != nil {
		return nil, contest.Finalist{}, err
	}
	load := s.live
	if !answers {
		load = s.liveBase
	}
	e, err := load(r.Context(), id)
	if err != nil {
		return nil, contest.Finalist{}, err
	}
	a := app.ActorFrom(r.Context())
	f, ok := e.c.Final.Finalist(a.UserID)
	if !ok {
		return nil, contest.Finalist{}, app.Errorf(app.ENOTFOUND, "您不是本场决赛的选手")
	}
	return e, f, nil
}

// playAt builds the finalist's state at now.
func (s *Server) playAt(ctx context.Context, e *liveEntry, f contest.Finalist, now time.Time) (*playJSON, error) {
	c := e.c
	b := c.Final.BoardAt(e.steps, e.answers, now, nil)
	head, err := s.headAt(ctx, c, b, now)
	if err != nil {
		return nil, err
	}
	out := &playJSON{liveHead: head, Name: f.Name, Team: f.TeamName, Teams: len(b.Teams), Mine: []string{}}
	revealed := b.Step.Revealed(now)
	out.Scored = b.Step.No > 1 || revealed
	for _, a := range e.answers {
		if a.No == b.Step.No && a.UserID == f.UserID {
			out.Mine = a.Given
			if revealed {
				right := a.Correct
				out.Right = &right
			}
		}
	}
	for _, p := range b.People {
		if p.UserID == f.UserID {
			out.Points, out.Rank = p.Points, p.Rank
		}
	}
	for _, t := range b.Teams {
		if t.Key == f.Team {
			out.TeamPoints, out.TeamRank = t.Points, t.Rank
		}
	}
	return out, nil
}

// play is the finalist's phone page.
func (s *Server) play(w http.ResponseWriter, r *http.Request) error {
	e, f, err := s.finalistOf(r, true)
	if err != nil {
		return err
	}
	p, err := s.playAt(r.Context(), e, f, s.clock.Now())
	if err != nil {
		return err
	}
	v := s.newView(r, finalTitle(e.c)+" · "+e.c.Title, struct {
		Contest *contest.Contest
		Play    *playJSON
	}{e.c, p})
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "contest_live_play", v)
}

// playStream streams the finalist's state.
func (s *Server) playStream(w http.ResponseWriter, r *http.Request) error {
	e, f, err := s.finalistOf(r, false)
	if err != nil {
		return err
	}
	return s.stream(w, r, e.c.ID, func(e *liveEntry, now time.Time) (any, error) { return s.playAt(r.Context(), e, f, now) })
}

// playAnswer stores a finalist's answer to the question now asked: JSON
// {"no": 3, "answer": ["B"]} from the page's script, or the page's plain
// form without it.
func (s *Server) playAnswer(w http.ResponseWriter, r *http.Request) error {
	// The answer is timed when it arrives, before anything it may wait on.
	at := s.clock.Now()
	e, f, err := s.finalistOf(r, false)
	if err != nil {
		return err
	}
	var in struct {
		No     int      `json:"no"`
		Answer []string `json:"answer"`
	}
	form := !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
	if form {
		if in.No, err = strconv.Atoi(r.PostFormValue("no")); err != nil {
			return app.Invalid("no", "题号无效")
		}
		in.Answer = r.PostForm["answer"]
	} else if err := decodeJSON(r, &in); err != nil {
		return err
	}
	err = s.saveLiveAnswer(r.Context(), e, f, in.No, in.Answer, at)
	if err == nil {
		s.liveHub.changed(e.c.ID, false)
	}
	if !form {
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		return nil
	}
	back := "/contests/" + e.c.ID.String() + "/play"
	var ae *app.Error
	if errors.As(err, &ae) && ae.Code != app.EINTERNAL {
		return s.redirect(w, r, back, ae.Message)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, back, "已提交答案")
}

// saveLiveAnswer marks and stores an answer; the store refuses it when the
// window has closed or the finalist has answered already.
func (s *Server) saveLiveAnswer(ctx context.Context, e *liveEntry, f contest.Finalist, no int, given []string, at time.Time) error {
	var st *contest.Step
	for i := range e.steps {
		if e.steps[i].No == no {
			st = &e.steps[i]
		}
	}
	if st == nil {
		return app.Errorf(app.ECONFLICT, "第 %d 题尚未开始", no)
	}
	if len(given) == 0 {
		return app.Invalid("answer", "请选择答案")
	}
	cq, err := s.question(ctx, st.QuestionID)
	if err != nil {
		return err
	}
	q := &cq.q.Question
	valid := liveOptions(q)
	for _, g := range given {
		if !slices.ContainsFunc(valid, func(o liveOption) bool { return o.Label == g }) {
			return app.Invalid("answer", "答案“%.20s”不是本题的选项", g)
		}
	}
	if q.Type != question.Multiple && len(given) > 1 {
		return app.Invalid("answer", "本题只能选一个答案")
	}
	correct := question.Mark(q, given) == question.Right
	var points float64
	if correct {
		points = e.c.Final.Questions[no-1].Points
	}
	return s.db.SaveLiveAnswer(ctx, e.c.ID, contest.LiveAnswer{No: no, UserID: f.UserID, Given: given, At: at, Correct: correct, Points: points})
}
