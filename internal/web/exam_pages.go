package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/contest"
	"pufa/internal/exam"
	"pufa/internal/question"
)

// The examinee's exam pages: their exams, one exam's rules and start, the
// take page with its save endpoint and submit, the result with its review,
// and the certificate. Who sits, the window, the attempts, saving and
// marking are all decided in exam_core.go, which the JSON API shares.

// myExamRow is one exam on the examinee's list.
type myExamRow struct {
	Exam   *exam.Exam
	Window exam.Window
	// Narrowed says a time slot narrows the window for the person's unit.
	Narrowed bool
	// AttemptsLeft is -1 when unlimited.
	AttemptsLeft int
	Sittings     []*exam.Sitting
	Open         *exam.Sitting
	// Counted is the submitted attempt that counts, if any.
	Counted *exam.Sitting
	// CanStart says a new attempt may start now.
	CanStart bool
}

// DurationText says how long one attempt lasts.
func (r myExamRow) DurationText() string { return durationText(r.Exam.Window.Duration) }

// AttemptsText says how many attempts are left.
func (r myExamRow) AttemptsText() string {
	switch {
	case r.AttemptsLeft < 0:
		return "不限次数"
	case r.AttemptsLeft == 0:
		return "考试次数已用完"
	}
	return fmt.Sprintf("还可考 %d 次（共 %d 次）", r.AttemptsLeft, r.Exam.MaxAttempts)
}

// WindowText says when the person may sit.
func (r myExamRow) WindowText() string { return windowText(r.Window) }

// windowText writes a window compactly: "2026-11-01 08:00 至 11-30 22:00",
// the closing year left out when it is the opening's and the date when it
// is the same day.
func windowText(w exam.Window) string {
	o, c := w.Opens.In(app.Shanghai), w.Closes.In(app.Shanghai)
	end := c.Format("2006-01-02 15:04")
	switch {
	case o.Year() == c.Year() && o.YearDay() == c.YearDay():
		end = c.Format("15:04")
	case o.Year() == c.Year():
		end = c.Format("01-02 15:04")
	}
	return o.Format("2006-01-02 15:04") + " 至 " + end
}

func durationText(d time.Duration) string {
	if d <= 0 {
		return "不限时，考试结束前交卷即可"
	}
	return fmt.Sprintf("%d 分钟", int(d/time.Minute))
}

func newExamRow(oe openExam, now time.Time) myExamRow {
	row := myExamRow{Exam: oe.Exam, Window: oe.Window, AttemptsLeft: oe.AttemptsLeft, Sittings: oe.Sittings, Open: oe.Open,
		Narrowed: !oe.Window.Opens.Equal(oe.Exam.Window.Opens) || !oe.Window.Closes.Equal(oe.Exam.Window.Closes)}
	row.Counted = countedSitting(oe.Exam, oe.Sittings)
	row.CanStart = oe.Open == nil && !oe.MakeUpBlocked && oe.AttemptsLeft != 0 && oe.Window.CanStart(now)
	return row
}

// countedSitting returns the submitted attempt that counts under the
// exam's rule, or nil.
func countedSitting(e *exam.Exam, sts []*exam.Sitting) *exam.Sitting {
	var done []*exam.Sitting
	var as []exam.Attempt
	for _, st := range sts {
		if st.State == exam.Submitted {
			done = append(done, st)
			as = append(as, exam.Attempt{ID: st.ID, Submitted: st.SubmittedAt, Score: st.Score})
		}
	}
	if i := exam.Best(as, e.Counts); i >= 0 {
		return done[i]
	}
	return nil
}

type myExamsData struct {
	Open, Upcoming, Finished []myExamRow
	// CanManage shows the way to the office's side.
	CanManage bool
	// Finals are the contests whose live final has the caller on stage.
	Finals []*contest.Contest
}

// myExamList shows the exams the caller sits: open now, upcoming and
// finished.
func (s *Server) myExamList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	list, err := s.myExams(ctx)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	a := app.ActorFrom(ctx)
	d := myExamsData{CanManage: authz.Can(a, authz.ExamManage, authz.AtOrg(a.OrgPath))}
	for _, oe := range list {
		if oe.MakeUpBlocked && oe.Open == nil {
			continue // a make-up of an exam they passed is not theirs
		}
		row := newExamRow(oe, now)
		switch {
		case row.Open != nil || row.CanStart:
			d.Open = append(d.Open, row)
		case now.Before(row.Window.Opens) && row.AttemptsLeft != 0:
			d.Upcoming = append(d.Upcoming, row)
		default:
			d.Finished = append(d.Finished, row)
		}
	}
	// Upcoming soonest first; the store lists newest windows first.
	slices.Reverse(d.Upcoming)
	// A finalist of a contest's live final finds the stage here.
	if d.Finals, err = s.db.FindContestsFor(ctx, a.UserID); err != nil {
		return err
	}
	v := s.newView(r, "我的考试", d)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "exam_mine", v)
}

// examRulesData is one exam as its examinee sees it before starting.
type examRulesData struct {
	Row       myExamRow
	Questions int
	Full      float64
	Pass      float64
	BandsText string
	CountText string
	// ReviewText says when the keys are published.
	ReviewText string
	// Blocked says why no attempt can start now; "" when one can.
	Blocked string
}

func (s *Server) examRules(r *http.Request, e *exam.Exam) (*examRulesData, error) {
	ctx := r.Context()
	p := examineeFrom(ctx)
	oe, err := s.examState(ctx, e, p)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	d := &examRulesData{Row: newExamRow(oe, now), Pass: passMark(e), BandsText: bandsText(e), ReviewText: reviewRule(e)}
	if len(e.Fixed) > 0 {
		d.Questions = len(e.Fixed)
		for _, it := range e.Fixed {
			d.Full += it.Points
		}
	} else {
		rules := e.RulesFor(p.user.Rank)
		for _, pk := range rules.Picks {
			d.Questions += pk.Count
		}
		d.Full = rules.Total()
	}
	switch {
	case e.MaxAttempts == 1:
		d.CountText = "只能考一次，以这次交卷的成绩为准"
	case e.Counts == exam.Last:
		d.CountText = "可以多次参加，以最后一次交卷的成绩为准"
	default:
		d.CountText = "可以多次参加，取最高一次的成绩"
	}
	w := oe.Window
	switch {
	case oe.Open != nil:
	case oe.MakeUpBlocked:
		d.Blocked = "您已通过本次补考对应的考试，无需补考。"
	case oe.AttemptsLeft == 0:
		d.Blocked = "您的考试次数已用完。"
	case now.Before(w.Opens):
		d.Blocked = "考试尚未开始，请在 " + fmtTime(w.Opens) + " 之后再来。"
	case !now.Before(w.Closes):
		d.Blocked = "考试已于 " + fmtTime(w.Closes) + " 结束。"
	}
	return d, nil
}

func passMark(e *exam.Exam) float64 {
	if e.Grading.Pass > 0 {
		return e.Grading.Pass
	}
	return exam.DefaultPass
}

// bandsText says the grades in words: "90 分及以上为优秀，…，其余为不合格".
func bandsText(e *exam.Exam) string {
	bands := e.Grading.Bands
	if len(bands) == 0 {
		bands = exam.DefaultBands()
	}
	var parts []string
	for i, b := range bands {
		if i == len(bands)-1 && b.Min <= 0 {
			parts = append(parts, "其余为"+b.Grade)
			continue
		}
		parts = append(parts, fmt.Sprintf("%s 分及以上为%s", strconv.FormatFloat(b.Min, 'f', -1, 64), b.Grade))
	}
	return strings.Join(parts, "，")
}

// reviewRule says when the keys and analysis are published.
func reviewRule(e *exam.Exam) string {
	switch e.Review {
	case exam.ReviewNever:
		return "本场考试不公布答案和解析。"
	case exam.ReviewAfterSubmit:
		return "交卷后即可查看答案和解析。"
	}
	return "答案和解析在考试结束（" + fmtTime(e.Window.Closes) + "）后公布，届时在成绩页查看。"
}

// myExamShow shows one exam's rules, the caller's attempts and the start
// button.
func (s *Server) myExamShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "考试")
	if err != nil {
		return err
	}
	e, err := s.examFor(r.Context(), id)
	if err != nil {
		return err
	}
	return s.renderExamRules(w, r, e, nil)
}

func (s *Server) renderExamRules(w http.ResponseWriter, r *http.Request, e *exam.Exam, failed error) error {
	d, err := s.examRules(r, e)
	if err != nil {
		return err
	}
	v := s.newView(r, e.Title, d)
	v.Active = "exams"
	status := http.StatusOK
	if failed != nil {
		v.Errors = []fieldError{{Message: app.ErrorMessage(failed)}}
		status = statusOf(app.ErrorCode(failed))
	}
	return s.render(w, r, status, "exam_rules", v)
}

// myExamStart starts (or resumes) the caller's attempt and opens it. A
// refusal (outside the window, no attempts left) is shown on the rules
// page.
func (s *Server) myExamStart(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "考试")
	if err != nil {
		return err
	}
	st, _, _, err := s.startAttempt(r.Context(), id)
	switch app.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/attempts/"+st.ID.String(), http.StatusSeeOther)
		return nil
	case app.EFORBIDDEN, app.ECONFLICT:
		e, ferr := s.examFor(r.Context(), id)
		if ferr != nil {
			return ferr
		}
		return s.renderExamRules(w, r, e, err)
	}
	return err
}

// takeQuestion is one question on the take page or in the review, in the
// examinee's own lettering.
type takeQuestion struct {
	N      int
	ID     app.ID
	Type   question.Type
	Points float64
	Stem   string
	// Options are in display order with display labels.
	Options []question.Option
	// Given is the saved answer: display letters, a judgement, or the
	// texts of the blanks or the essay.
	Given []string
	// Blanks holds one value per blank of a fill-in question.
	Blanks   []string
	Seq      int64
	Answered bool

	// The review, filled only when the keys may be shown.
	Key      []string
	Analysis string
	Verdict  question.Verdict
	Earned   float64
}

// GivenText is the essay's saved text.
func (q takeQuestion) GivenText() string { return strings.Join(q.Given, "\n") }

// Right and ByHand read the verdict for the templates.
func (q takeQuestion) Right() bool  { return q.Verdict == question.Right }
func (q takeQuestion) ByHand() bool { return q.Verdict == question.ByHand }

type takeSection struct {
	Title     string
	Questions []takeQuestion
}

type takeData struct {
	Exam    *exam.Exam
	Attempt *exam.Sitting
	// Remaining is the whole seconds left until the deadline, by the
	// server's clock: the page counts down from it.
	Remaining     int64
	RemainingText string
	MaxSeq        int64
	Sections      []takeSection
	Total         int
	Answered      int
	Full          float64

	// The result page's.
	Review     bool
	ReviewText string
	Right      int
	Pass       float64
	CountText  string
	// Certificate says a certificate may be printed.
	Certificate bool
	// Again says another attempt may start now.
	Again bool
}

// attemptPage shows an attempt: the take page while it is open, the
// result once it is submitted.
func (s *Server) attemptPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, e, err := s.mySittingInPath(r)
	if err != nil {
		return err
	}
	answers, err := s.db.FindAnswers(ctx, st.ID)
	if err != nil {
		return err
	}
	qs, err := s.paperQuestions(ctx, st.Paper)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	d := &takeData{Exam: e, Attempt: st, Remaining: remaining(now, st.Deadline), Full: st.Paper.Max(), Total: len(st.Paper.Items)}
	d.RemainingText = clockText(d.Remaining)
	open := st.State == exam.Open
	d.Review = !open && e.ShowKeys(true, now)
	var res exam.Result
	if d.Review {
		plain := make(map[app.ID]question.Question, len(qs))
		for qid, c := range qs {
			plain[qid] = c.q.Question
		}
		res = exam.Score(st.Paper, plain, answers, e.Grading)
	}
	var sec *takeSection
	for i, it := range st.Paper.Items {
		c := qs[it.QuestionID]
		q := &c.q.Question
		a := answers[it.QuestionID]
		tq := takeQuestion{N: i + 1, ID: it.QuestionID, Type: q.Type, Points: it.Points, Stem: q.Stem, Seq: a.Seq,
			Given: exam.FromOriginal(*q, it, a.Given)}
		labels, orig := exam.Layout(q, it)
		for k := range labels {
			tq.Options = append(tq.Options, question.Option{Label: labels[k], Text: q.Options[orig[k]].Text})
		}
		tq.Answered = !blankAnswer(tq.Given)
		if q.Type == question.Fill {
			n := max(question.CountBlanks(q.Stem), len(q.Answer), len(tq.Given), 1)
			tq.Blanks = make([]string, n)
			copy(tq.Blanks, tq.Given)
		}
		if d.Review {
			tq.Key = exam.FromOriginal(*q, it, q.Answer)
			tq.Analysis = relabel(q.Analysis, q, it)
			tq.Verdict, tq.Earned = res.PerItem[i].Verdict, res.PerItem[i].Points
			if tq.Verdict == question.Right {
				d.Right++
			}
		}
		if tq.Answered {
			d.Answered++
		}
		d.MaxSeq = max(d.MaxSeq, a.Seq)
		if sec == nil || sec.Questions[0].Type != q.Type {
			d.Sections = append(d.Sections, takeSection{})
			sec = &d.Sections[len(d.Sections)-1]
		}
		sec.Questions = append(sec.Questions, tq)
	}
	for i := range d.Sections {
		d.Sections[i].Title = sectionTitle(i, d.Sections[i].Questions)
	}
	if open {
		v := s.newView(r, e.Title, d)
		v.Active = "exams"
		return s.render(w, r, http.StatusOK, "exam_take", v)
	}
	d.Pass = passMark(e)
	d.ReviewText = reviewRule(e)
	d.Certificate = st.Passed && !st.PendingManual
	if rd, err := s.examRules(r, e); err == nil {
		d.CountText, d.Again = rd.CountText, rd.Row.CanStart
	}
	v := s.newView(r, "考试成绩", d)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "exam_score", v)
}

// The analysis of a choice question names options by the bank's letters
// ("故选D", "A项错误"); the examinee saw them re-lettered.
var (
	letterAfter  = regexp.MustCompile(`(选项|故选|应选|选|答案为|答案是|答案[:：])(\s*)([A-H]{1,8})([^A-Za-z]|$)`)
	letterBefore = regexp.MustCompile(`(^|[^A-Za-z])([A-H])(选?项)`)
)

// relabel rewrites the option letters an analysis names into the
// examinee's own lettering, so "故选D" names the option they saw as D. A
// letter that is no option of q is left as written.
func relabel(analysis string, q *question.Question, it exam.Item) string {
	if !q.Type.HasOptions() || analysis == "" {
		return analysis
	}
	shown := func(letters string) (string, bool) {
		var orig []string
		for _, r := range letters {
			orig = append(orig, string(r))
		}
		disp := exam.FromOriginal(*q, it, orig)
		return strings.Join(disp, ""), len(disp) == len(orig)
	}
	analysis = letterAfter.ReplaceAllStringFunc(analysis, func(m string) string {
		sub := letterAfter.FindStringSubmatch(m)
		if d, ok := shown(sub[3]); ok {
			return sub[1] + sub[2] + d + sub[4]
		}
		return m
	})
	return letterBefore.ReplaceAllStringFunc(analysis, func(m string) string {
		sub := letterBefore.FindStringSubmatch(m)
		if d, ok := shown(sub[2]); ok {
			return sub[1] + d + sub[3]
		}
		return m
	})
}

// clockText writes seconds as the countdown shows them: 59:59 or 1:05:00.
func clockText(sec int64) string {
	h, m, s := sec/3600, sec/60%60, sec%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%02d:%02d", m, s)
}

var cnNumerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// sectionTitle names a run of questions of one type: "一、单选题（共 5 题，每题 10 分）".
func sectionTitle(i int, qs []takeQuestion) string {
	n := strconv.Itoa(i + 1)
	if i < len(cnNumerals) {
		n = cnNumerals[i]
	}
	var total float64
	same := true
	for _, q := range qs {
		total += q.Points
		same = same && q.Points == qs[0].Points
	}
	pts := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	if same {
		return fmt.Sprintf("%s、%s（共 %d 题，每题 %s 分）", n, qs[0].Type.Label(), len(qs), pts(qs[0].Points))
	}
	return fmt.Sprintf("%s、%s（共 %d 题，共 %s 分）", n, qs[0].Type.Label(), len(qs), pts(total))
}

func blankAnswer(given []string) bool {
	return !slices.ContainsFunc(given, func(s string) bool { return strings.TrimSpace(s) != "" })
}

// attemptSubmit submits the caller's attempt from the take page's form.
// The form carries the answers on the page, so a browser without script
// (or whose last saves were lost) has them stored first. Submitting twice
// submits once: the second finds the attempt submitted.
func (s *Server) attemptSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, e, err := s.mySittingInPath(r)
	if err != nil {
		return err
	}
	if st.State == exam.Open {
		if err := s.saveFormAnswers(r, st); err != nil {
			return err
		}
		if _, err := s.submitSitting(ctx, st, e, false); err != nil {
			return err
		}
	}
	return s.redirect(w, r, "/attempts/"+st.ID.String(), "答卷已提交")
}

// saveFormAnswers stores the answers of the submit form that differ from
// the stored ones, numbered above every stored save. Fields are "shown"
// (a question on the form) and q<ID> (its answer); a shown question
// without a value was left blank.
func (s *Server) saveFormAnswers(r *http.Request, st *exam.Sitting) error {
	ctx := r.Context()
	shown := r.PostForm["shown"]
	if len(shown) == 0 {
		return nil
	}
	stored, err := s.db.FindAnswers(ctx, st.ID)
	if err != nil {
		return err
	}
	var seq int64
	for _, a := range stored {
		seq = max(seq, a.Seq)
	}
	seq++
	for _, it := range st.Paper.Items {
		qid := it.QuestionID.String()
		if !slices.Contains(shown, qid) {
			continue
		}
		given := r.PostForm["q"+qid]
		c, err := s.question(ctx, it.QuestionID)
		if err != nil {
			return err
		}
		orig, err := exam.ToOriginal(c.q.Question, it, given)
		if err != nil {
			return err
		}
		old := stored[it.QuestionID].Given
		if (blankAnswer(orig) && blankAnswer(old)) || slices.Equal(orig, old) {
			continue
		}
		if err := s.saveAnswer(ctx, st.ID, it.QuestionID, given, seq); err != nil {
			if app.ErrorCode(err) == app.ECONFLICT {
				return nil // time is up: the submission takes what was stored
			}
			return err
		}
	}
	return nil
}

type certificateData struct {
	Attempt *exam.Sitting
	Exam    *exam.Exam
	// Unavailable says why there is no certificate; "" when there is one.
	Unavailable string
	Name, Unit  string
	Issuer      string
	Date        string
	Number      string
}

// attemptCertificate shows the printable certificate of a passed attempt.
func (s *Server) attemptCertificate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, e, err := s.mySittingInPath(r)
	if err != nil {
		return err
	}
	d := certificateData{Attempt: st, Exam: e}
	switch {
	case st.State != exam.Submitted:
		d.Unavailable = "这份答卷还没有交卷，交卷且成绩合格后才能打印合格证书。"
	case st.PendingManual:
		d.Unavailable = "这份答卷的主观题还在阅卷，成绩确定且合格后才能打印合格证书。"
	case !st.Passed:
		d.Unavailable = fmt.Sprintf("这份答卷的成绩为 %s 分，未达到及格线（%s 分），没有合格证书。", strconv.FormatFloat(st.Score, 'f', -1, 64), strconv.FormatFloat(passMark(e), 'f', -1, 64))
	}
	status := http.StatusOK
	if d.Unavailable != "" {
		status = http.StatusConflict
	} else {
		if u := examineeFrom(ctx).user; u != nil {
			d.Name = u.Name
		}
		if o, err := s.db.FindOrgByID(ctx, st.OrgID); err == nil {
			d.Unit = o.Name
		}
		if o, err := s.db.FindOrgByID(ctx, e.OrgID); err == nil {
			d.Issuer = issuerName(o.Name)
		}
		d.Date = cnDate(st.SubmittedAt)
		d.Number = fmt.Sprintf("%d-%s", e.Year, st.ID.String())
	}
	v := s.newView(r, "合格证书", d)
	v.Active = "exams"
	return s.render(w, r, status, "exam_certificate", v)
}

// issuerName is the office that signs a certificate, named the way the
// circular names it: "临江区" → "临江区全面依法治区委员会守法普法协调小组办公室".
func issuerName(region string) string {
	kind := "区"
	for _, k := range []string{"市", "县", "区", "州", "旗"} {
		if strings.HasSuffix(region, k) {
			kind = k
		}
	}
	return region + "全面依法治" + kind + "委员会守法普法协调小组办公室"
}

// cnDate writes a date the way documents do: 2026年3月5日.
func cnDate(t time.Time) string {
	t = t.In(app.Shanghai)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}
