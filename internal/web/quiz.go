package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/crypt"
	"pufa/internal/exam"
	"pufa/internal/question"
	"pufa/internal/quiz"
)

// The public legal-literacy quiz (公民法治素养测评) as a citizen meets it:
// no account, a link or a QR code, three steps on one URL (the intro, the
// optional profile questions, the questions) and the result with the right
// answers. What is accepted and how it is marked is package quiz's; this
// file keeps the device cookie, the keyed hash of the client address, the
// signed seed of the respondent's option order, and the 大字 preference.

const (
	// quizDeviceCookie tells one browser from another in an open quiz:
	// random, long-lived, HttpOnly. Only its keyed hash is stored.
	quizDeviceCookie = "pufa_qdev"
	// quizBigCookie keeps the 大字 (large text) choice; the page's script
	// sets it too, so it is not HttpOnly. It holds nothing but "1".
	quizBigCookie = "pufa_big"
)

// quizStep is one of the public quiz's steps.
type quizStep string

const (
	stepIntro     quizStep = "intro"
	stepProfile   quizStep = "profile"
	stepQuestions quizStep = "questions"
	stepResult    quizStep = "result"
)

// quizPage is what the public quiz template shows.
type quizPage struct {
	Quiz *quiz.Stored
	Step quizStep
	// Token is the invitation token of an invited quiz, carried from the
	// link through every step.
	Token string
	// Big says the page is in large text; BigLink switches it.
	Big     bool
	BigLink string
	// Refused says why no response can be taken from this person now
	// (submitted already, quiz closed, link invalid); the page shows it
	// instead of the questions.
	Refused string
	// ResultLink, set with Refused, opens the result of the response this
	// device or token already gave.
	ResultLink string
	// Minutes estimates the time the quiz takes.
	Minutes int
	// Profile are the profile questions with what was chosen; Carried is
	// the same choices as hidden fields of the question form.
	Profile []quizProfileField
	Carried []quizCarried
	// ProfileLink goes back to the profile step with the choices kept.
	ProfileLink string
	// StartLink is the intro's way on.
	StartLink string
	Seed, Sig string
	Questions []quizQuestion
	Result    *quizResultView
}

// quizProfileField is one profile question on the profile step.
type quizProfileField struct {
	Code, Label string
	Options     []quiz.Choice
	Chosen      string
	// Select shows a long list (the streets and villages) as a drop-down.
	Select bool
}

// quizCarried is one profile answer carried as a hidden field.
type quizCarried struct{ Name, Value string }

// quizQuestion is one question as the respondent sees it, and on the
// result page with its marking.
type quizQuestion struct {
	N    int
	ID   app.ID
	Type question.Type
	Stem string
	// Options are in the respondent's display order and letters.
	Options []question.Option
	// Given is what the respondent chose or wrote, in display letters.
	Given  []string
	Blanks []string
	// Missing marks a question left unanswered on a refused submission.
	Missing bool

	// The result's.
	Dimension string
	Key       []string
	Verdict   question.Verdict
	Analysis  string
	Article   *quizArticle
}

// Multiple reports a multiple-choice question, for the checkbox inputs.
func (q quizQuestion) Multiple() bool { return q.Type == question.Multiple }

// Choice reports a question with options.
func (q quizQuestion) Choice() bool { return q.Type.HasOptions() }

// TrueFalse reports a true/false question.
func (q quizQuestion) TrueFalse() bool { return q.Type == question.TrueFalse }

// Right reports a right answer.
func (q quizQuestion) Right() bool { return q.Verdict == question.Right }

// Answered reports whether anything was given.
func (q quizQuestion) Answered() bool { return !blankAnswer(q.Given) }

// TypeLabel names the question's type.
func (q quizQuestion) TypeLabel() string { return q.Type.Label() }

// quizArticle is the article a question tests, shown under its analysis.
type quizArticle struct {
	LawID, ArticleID app.ID
	LawTitle, Label  string
	Text             string
}

// quizResultView is a marked response as the respondent sees it.
type quizResultView struct {
	Total          string
	Reached        bool
	ThresholdText  string
	ThresholdLabel string
	Right, Count   int
	Dimensions     []quizDimScore
	// SignedIn says the reader has an account, so the law library's
	// article pages open for them.
	SignedIn bool
	// At is when the response was submitted; Link the page's full
	// address, for the respondent to keep.
	At   time.Time
	Link string
}

// quizDimScore is one dimension's score on the result page.
type quizDimScore struct {
	Code, Name string
	Score      string
	// Width is the bar's width in percent of the track.
	Width int
	Right bool
}

// quizKey is a keyed hash: the database never holds a device cookie or a
// client address, yet the same browser or address maps to the same value.
func (s *Server) quizKey(kind, secret string) string {
	if secret == "" {
		return ""
	}
	return kind + ":" + hex.EncodeToString(s.opts.Crypto.MAC(crypt.PurposeLookup, []byte("quiz-"+kind+"\x00"+secret)))[:40]
}

// seedSig signs a respondent's seed for their quiz, so the seed the form
// brings back is one the server drew.
func (s *Server) seedSig(quizID app.ID, seed string) string {
	return hex.EncodeToString(s.opts.Crypto.MAC(crypt.PurposeToken, []byte("quiz-seed\x00"+quizID.String()+"\x00"+seed)))[:32]
}

// resultRef is the reference a respondent's result page carries: the
// response's ID and a signature over it and the quiz, so only the server
// makes one and a guessed ID opens nothing. It is the respondent's to keep
// (bookmarked, or reached again from the same device or token).
func (s *Server) resultRef(quizID, responseID app.ID) string {
	return responseID.String() + "-" + s.resultSig(quizID, responseID.String())
}

func (s *Server) resultSig(quizID app.ID, responseID string) string {
	return hex.EncodeToString(s.opts.Crypto.MAC(crypt.PurposeToken, []byte("quiz-result\x00"+quizID.String()+"\x00"+responseID)))[:32]
}

// readResultRef checks a result reference and returns its response ID; a
// reference the server did not sign is ENOTFOUND, as an unknown one is.
func (s *Server) readResultRef(quizID app.ID, ref string) (app.ID, error) {
	idText, sig, ok := strings.Cut(ref, "-")
	id, err := app.ParseID("ref", idText)
	if !ok || err != nil || subtle.ConstantTimeCompare([]byte(sig), []byte(s.resultSig(quizID, idText))) != 1 {
		return 0, app.Errorf(app.ENOTFOUND, "测评结果不存在或链接有误，请使用提交答卷后页面的完整链接")
	}
	return id, nil
}

// quizResultPath is the address of a response's result page.
func (s *Server) quizResultPath(q *quiz.Stored, responseID app.ID) string {
	return quizPublicPath(q) + "/result/" + s.resultRef(q.ID, responseID)
}

// newSeed draws a respondent's seed.
func newSeed() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}

// quizDevice returns the browser's device cookie, setting a new one when
// it has none. fresh says the cookie was set by this response, so
// whether the browser keeps cookies is not known yet.
func (s *Server) quizDevice(w http.ResponseWriter, r *http.Request) (device string, fresh bool) {
	if c, err := r.Cookie(quizDeviceCookie); err == nil && len(c.Value) >= 22 && len(c.Value) <= 64 {
		return c.Value, false
	}
	v := randomToken(24)
	http.SetCookie(w, &http.Cookie{Name: quizDeviceCookie, Value: v, Path: "/p/quiz/", HttpOnly: true, Secure: s.opts.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: 3 * 365 * 24 * 3600})
	return v, true
}

// quizBig reads the 大字 choice: the query's big=1 or big=0 sets it (the
// switch works without script), else the cookie keeps it.
func (s *Server) quizBig(w http.ResponseWriter, r *http.Request) bool {
	switch r.URL.Query().Get("big") {
	case "1":
		http.SetCookie(w, &http.Cookie{Name: quizBigCookie, Value: "1", Path: "/", Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
		return true
	case "0":
		http.SetCookie(w, &http.Cookie{Name: quizBigCookie, Value: "", Path: "/", Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
		return false
	}
	c, err := r.Cookie(quizBigCookie)
	return err == nil && c.Value == "1"
}

// quizForm holds what identifies the respondent to the store.
type quizForm struct {
	token, device, client string
}

// respondent reads who is answering: the invitation token (invited
// quizzes) or the device cookie (open ones), and the client address's
// keyed hash, never the address itself.
func (s *Server) respondent(w http.ResponseWriter, r *http.Request, q *quiz.Stored, token string) quizForm {
	f := quizForm{client: s.quizKey("client", app.RequestMetaFrom(r.Context()).IP)}
	if q.Mode == quiz.Invited {
		f.token = strings.TrimSpace(token)
		return f
	}
	dev, fresh := s.quizDevice(w, r)
	f.device = s.quizKey("device", dev)
	if r.Method == http.MethodPost && fresh {
		// A cookie set only now was not sent with the answers: the browser
		// keeps none, and Accept says so.
		f.device = ""
	}
	return f
}

// refusal asks the store and the engine whether a response from f would
// be accepted now, so a second visit hears at once that it has answered.
// It sets the page's Chinese reason, and the link to the result of the
// response this device or token already gave, and returns the status; a
// reason left empty means it would be accepted.
func (s *Server) refusal(ctx context.Context, d *quizPage, q *quiz.Stored, f quizForm) (int, error) {
	a, err := s.db.ArrivalFor(ctx, q, f.token, f.device, f.client, s.clock.Now())
	if err != nil {
		return 0, err
	}
	if err := q.Accept(a); err != nil {
		if app.ErrorCode(err) == app.EINTERNAL {
			return 0, err
		}
		d.Refused = app.ErrorMessage(err)
		if app.ErrorCode(err) == app.ECONFLICT && a.Previous != 0 {
			d.ResultLink = s.quizResultPath(q, a.Previous)
		}
		return statusOf(app.ErrorCode(err)), nil
	}
	return http.StatusOK, nil
}

// quizBank loads the quiz's questions from the bank, by ID.
func (s *Server) quizBank(ctx context.Context, q *quiz.Stored) (map[app.ID]*question.Stored, map[app.ID]question.Question, error) {
	stored := make(map[app.ID]*question.Stored, len(q.Questions))
	plain := make(map[app.ID]question.Question, len(q.Questions))
	for _, qq := range q.Questions {
		c, err := s.question(ctx, qq.QuestionID)
		if err != nil {
			return nil, nil, err
		}
		stored[qq.QuestionID], plain[qq.QuestionID] = c.q, c.q.Question
	}
	return stored, plain, nil
}

// quizMinutes estimates the minutes a quiz takes: half a minute a
// question, ten seconds a profile question, three minutes at least.
func quizMinutes(q *quiz.Stored) int {
	return max(3, (len(q.Questions)*30+len(q.Profile)*10+59)/60)
}

// quizLink builds a link to the quiz's page with the given query.
func quizLink(q *quiz.Stored, v url.Values) string {
	p := "/p/quiz/" + url.PathEscape(q.Key)
	if enc := v.Encode(); enc != "" {
		p += "?" + enc
	}
	return p
}

// profileGiven reads the profile choices from a query or a form.
func profileGiven(q *quiz.Stored, get func(string) string) map[string]string {
	given := map[string]string{}
	for _, p := range q.Profile {
		if v := strings.TrimSpace(get("p_" + p.Code)); v != "" {
			given[p.Code] = v
		}
	}
	return given
}

// newQuizPage fills what every step shows.
func (s *Server) newQuizPage(w http.ResponseWriter, r *http.Request, q *quiz.Stored, token string) *quizPage {
	d := &quizPage{Quiz: q, Token: token, Big: s.quizBig(w, r)}
	d.Minutes = quizMinutes(q)
	// The switch keeps the step, the token and the profile choices.
	v := url.Values{}
	for k, vs := range r.URL.Query() {
		if k != "big" {
			v[k] = vs
		}
	}
	if r.Method == http.MethodPost {
		v = url.Values{}
		if token != "" {
			v.Set("t", token)
		}
	}
	if d.Big {
		v.Set("big", "0")
	} else {
		v.Set("big", "1")
	}
	d.BigLink = quizLink(q, v)
	if r.Method == http.MethodGet {
		// The result page's switch stays on the result page.
		d.BigLink = r.URL.EscapedPath() + "?" + v.Encode()
	}
	start := url.Values{"step": {string(stepProfile)}}
	if token != "" {
		start.Set("t", token)
	}
	if len(q.Profile) == 0 {
		start.Set("step", string(stepQuestions))
	}
	d.StartLink = quizLink(q, start)
	return d
}

// setProfile fills the profile step's fields and the hidden fields that
// carry the choices on.
func (d *quizPage) setProfile(q *quiz.Stored, given map[string]string) {
	back := url.Values{"step": {string(stepProfile)}}
	if d.Token != "" {
		back.Set("t", d.Token)
	}
	for _, p := range q.Profile {
		f := quizProfileField{Code: p.Code, Label: p.Label, Options: p.Options(), Chosen: given[p.Code], Select: len(p.Choices) > 8}
		d.Profile = append(d.Profile, f)
		if v := given[p.Code]; v != "" {
			d.Carried = append(d.Carried, quizCarried{Name: "p_" + p.Code, Value: v})
			back.Set("p_"+p.Code, v)
		}
	}
	d.ProfileLink = quizLink(q, back)
}

// quizShow serves the public quiz's steps: ?step=profile and
// ?step=questions after the intro; ?t= carries an invitation token.
func (s *Server) quizShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q, err := s.db.FindQuizByKey(ctx, r.PathValue("key"))
	if err != nil {
		return err
	}
	// Each visit draws its own seed and reads whether the person has
	// answered: no page of the quiz is cached.
	w.Header().Set("Cache-Control", "no-store")
	query := r.URL.Query()
	d := s.newQuizPage(w, r, q, strings.TrimSpace(query.Get("t")))
	f := s.respondent(w, r, q, d.Token)
	status, err := s.refusal(ctx, d, q, f)
	if err != nil {
		return err
	}
	d.Step = quizStep(query.Get("step"))
	if d.Step != stepProfile && d.Step != stepQuestions {
		d.Step = stepIntro
	}
	if d.Refused != "" {
		d.Step = stepIntro
		return s.render(w, r, status, "quiz", s.newView(r, q.Title, d))
	}
	given := profileGiven(q, query.Get)
	if _, err := q.ReadProfile(given); err != nil {
		// A link edited by hand: start the profile again.
		given, d.Step = map[string]string{}, stepProfile
	}
	d.setProfile(q, given)
	if d.Step == stepQuestions {
		seed := strconv.FormatUint(newSeed(), 10)
		d.Seed, d.Sig = seed, s.seedSig(q.ID, seed)
		if err := s.fillQuestions(ctx, d, q, nil); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "quiz", s.newView(r, q.Title, d))
}

// fillQuestions lays out the questions for d.Seed, with what was given
// (in display letters) when a submission is shown again.
func (s *Server) fillQuestions(ctx context.Context, d *quizPage, q *quiz.Stored, given map[app.ID][]string) error {
	seed, err := strconv.ParseUint(d.Seed, 10, 64)
	if err != nil {
		return err
	}
	_, plain, err := s.quizBank(ctx, q)
	if err != nil {
		return err
	}
	paper := q.Paper(plain, seed)
	d.Questions = nil
	for i, it := range paper.Items {
		bq := plain[it.QuestionID]
		qq := quizQuestion{N: i + 1, ID: it.QuestionID, Type: bq.Type, Stem: bq.Stem, Given: given[it.QuestionID]}
		labels, orig := exam.Layout(&bq, it)
		for k := range labels {
			qq.Options = append(qq.Options, question.Option{Label: labels[k], Text: bq.Options[orig[k]].Text})
		}
		if bq.Type == question.Fill {
			qq.Blanks = make([]string, max(question.CountBlanks(bq.Stem), len(bq.Answer), len(qq.Given), 1))
			copy(qq.Blanks, qq.Given)
		}
		d.Questions = append(d.Questions, qq)
	}
	return nil
}

// quizSubmit takes a response: it checks the seed's signature, reads the
// profile and the answers, marks them with the seed's paper and stores
// the response, then sends the respondent to their result page, whose
// address carries a signed reference to the response (resultRef) so they
// can open it again later; reloading it submits nothing. A second
// response from the same person is refused in plain words, with the way
// to the result of the first.
func (s *Server) quizSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q, err := s.db.FindQuizByKey(ctx, r.PathValue("key"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	d := s.newQuizPage(w, r, q, strings.TrimSpace(r.PostFormValue("t")))
	d.Step = stepQuestions
	f := s.respondent(w, r, q, d.Token)
	d.Seed = strings.TrimSpace(r.PostFormValue("seed"))
	seed, err := strconv.ParseUint(d.Seed, 10, 64)
	if err != nil || subtle.ConstantTimeCompare([]byte(r.PostFormValue("sig")), []byte(s.seedSig(q.ID, d.Seed))) != 1 {
		return app.Invalid("seed", "答题页面已失效，请重新打开测评链接作答")
	}
	d.Sig = s.seedSig(q.ID, d.Seed)
	given := profileGiven(q, r.PostFormValue)
	profile, err := q.ReadProfile(given)
	if err != nil {
		return err
	}
	d.setProfile(q, given)

	answers := map[app.ID][]string{}
	var missing []string
	var first app.ID
	for i, qq := range q.Questions {
		var a []string
		for _, v := range r.PostForm["q"+qq.QuestionID.String()] {
			a = append(a, strings.TrimSpace(v))
		}
		if blankAnswer(a) {
			if first == 0 {
				first = qq.QuestionID
			}
			missing = append(missing, strconv.Itoa(i+1))
			continue
		}
		answers[qq.QuestionID] = a
	}
	if len(missing) > 0 {
		if err := s.fillQuestions(ctx, d, q, answers); err != nil {
			return err
		}
		for i := range d.Questions {
			d.Questions[i].Missing = answers[d.Questions[i].ID] == nil
		}
		msg := fmt.Sprintf("第 %s 题还没有作答，请答完全部 %d 道题再提交", strings.Join(missing, "、"), len(q.Questions))
		return s.renderForm(w, r, "quiz", q.Title, d, app.Invalid("q"+first.String(), "%s", msg))
	}

	_, plain, err := s.quizBank(ctx, q)
	if err != nil {
		return err
	}
	res, err := q.Mark(plain, seed, answers)
	if err != nil {
		return err
	}
	sub := &quiz.Submission{Seed: seed, Token: f.token, Device: f.device, Client: f.client, Profile: profile, Result: res}
	id, err := s.db.SubmitResponse(ctx, q, sub)
	if err != nil {
		code := app.ErrorCode(err)
		if code == app.EINTERNAL {
			return err
		}
		d.Refused, d.Step = app.ErrorMessage(err), stepIntro
		if code == app.ECONFLICT {
			// The same person again: the way to what they answered first.
			if a, aerr := s.db.ArrivalFor(ctx, q, f.token, f.device, f.client, s.clock.Now()); aerr == nil && a.Previous != 0 {
				d.ResultLink = s.quizResultPath(q, a.Previous)
			}
		}
		return s.render(w, r, statusOf(code), "quiz", s.newView(r, q.Title, d))
	}
	http.Redirect(w, r, s.quizResultPath(q, id), http.StatusSeeOther)
	return nil
}

// quizResultShow shows a response's result page again, by the signed
// reference its address carries: the score, the dimensions, and each
// question with the right answer, as the respondent saw them on
// submitting. The link is the respondent's to keep; whoever holds it sees
// what they answered and nothing of their profile.
func (s *Server) quizResultShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q, err := s.db.FindQuizByKey(ctx, r.PathValue("key"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	id, err := s.readResultRef(q.ID, r.PathValue("ref"))
	if err != nil {
		return err
	}
	sr, err := s.db.FindResponseResult(ctx, q.ID, id)
	if err != nil {
		return err
	}
	stored, plain, err := s.quizBank(ctx, q)
	if err != nil {
		return err
	}
	d := s.newQuizPage(w, r, q, "")
	d.Step = stepResult
	if d.Result, d.Questions, err = s.quizResult(ctx, q, stored, q.Restore(plain, *sr)); err != nil {
		return err
	}
	d.Result.SignedIn = app.ActorFrom(ctx) != nil
	d.Result.At = sr.At
	d.Result.Link = s.publicBase(r) + r.URL.EscapedPath()
	return s.render(w, r, http.StatusOK, "quiz", s.newView(r, "测评结果 · "+q.Title, d))
}

// quizResult builds the result page: the score, the dimensions, and each
// question with the respondent's answer and the right one in the letters
// they saw, the analysis, and the article it tests.
func (s *Server) quizResult(ctx context.Context, q *quiz.Stored, bank map[app.ID]*question.Stored, res quiz.Result) (*quizResultView, []quizQuestion, error) {
	rep := q.Tally(nil) // the threshold in force
	v := &quizResultView{Total: res.Total.String(), Reached: res.Total >= rep.Threshold, ThresholdText: rep.Threshold.String(),
		ThresholdLabel: rep.ThresholdLabel, Count: len(res.Questions)}
	names := map[string]string{}
	for _, dim := range q.Dimensions {
		names[dim.Code] = dim.Name
	}
	for _, ds := range res.Dimensions {
		v.Dimensions = append(v.Dimensions, quizDimScore{Code: ds.Code, Name: names[ds.Code], Score: ds.Score.String(),
			Width: int(ds.Score / 100), Right: ds.Score >= rep.Threshold})
	}
	laws := map[app.ID]string{}
	var qs []quizQuestion
	for i, m := range res.Questions {
		st := bank[m.QuestionID]
		bq := &st.Question
		it := res.Paper.Items[i]
		qq := quizQuestion{N: i + 1, ID: m.QuestionID, Type: bq.Type, Stem: bq.Stem, Dimension: names[m.Dimension],
			Given: exam.FromOriginal(*bq, it, m.Given), Key: exam.FromOriginal(*bq, it, bq.Answer),
			Verdict: m.Verdict, Analysis: relabel(bq.Analysis, bq, it)}
		labels, orig := exam.Layout(bq, it)
		for k := range labels {
			qq.Options = append(qq.Options, question.Option{Label: labels[k], Text: bq.Options[orig[k]].Text})
		}
		if qq.Right() {
			v.Right++
		}
		if st.ArticleID != 0 {
			a, err := s.db.FindArticleByID(ctx, st.ArticleID)
			if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
				return nil, nil, err
			}
			if a != nil {
				title, ok := laws[a.LawID]
				if !ok {
					l, err := s.db.FindLawByID(ctx, a.LawID)
					if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
						return nil, nil, err
					}
					if l != nil {
						title = l.Title
					}
					laws[a.LawID] = title
				}
				qq.Article = &quizArticle{LawID: a.LawID, ArticleID: a.ID, LawTitle: title, Label: a.Label, Text: a.Text}
			}
		}
		qs = append(qs, qq)
	}
	return v, qs, nil
}

// quizWindow says when a quiz takes responses, compactly.
func quizWindow(q *quiz.Stored) string {
	switch {
	case !q.OpensAt.IsZero() && !q.ClosesAt.IsZero():
		return windowText(exam.Window{Opens: q.OpensAt, Closes: q.ClosesAt})
	case !q.OpensAt.IsZero():
		return fmtTime(q.OpensAt) + " 起"
	case !q.ClosesAt.IsZero():
		return fmtTime(q.ClosesAt) + " 止"
	}
	return "不限时间"
}

// quizState says where a quiz's window stands at now, in words and as a
// tag colour.
func quizState(q *quiz.Stored, now time.Time) (label, class string) {
	switch {
	case !q.OpensAt.IsZero() && now.Before(q.OpensAt):
		return "未开始", "tag-amber"
	case !q.ClosesAt.IsZero() && !now.Before(q.ClosesAt):
		return "已结束", ""
	}
	return "进行中", "tag-green"
}
