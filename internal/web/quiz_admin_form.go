package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/question"
	"pufa/internal/quiz"
)

// The form that makes a literacy quiz: its title and intro, when it takes
// responses and from whom (anyone with the link, or an invited sample),
// which profile questions it asks, and its questions, drawn once from the
// office's question bank by rules per dimension of the literacy scheme
// (quiz.DrawQuestions, as the demo draws its quiz). A quiz is not edited
// once made: its responses' scores refer to its questions as they stood.

// quizPickRow is one rule of the questions as typed.
type quizPickRow struct {
	Dimension, Type, Tag, Count, Points string
}

// quizNewForm is the new-quiz form as typed, and what it offers.
type quizNewForm struct {
	Title, Intro      string
	OpensAt, ClosesAt string
	Mode              string
	// Profile holds the profile questions asked: "age", "occupation",
	// "place".
	Profile        []string
	Picks          []quizPickRow
	ShuffleOptions bool
	Threshold      string
	MinGroup       string
	Population     string

	// What the form offers.
	Dimensions []quiz.Dimension
	Types      []question.Type
	Tags       []string
	Bank       []bankType
	BankTotal  int
	// BankJSON maps "type|tag" to the usable questions, for the live
	// check beside each rule (exam_admin.js).
	BankJSON string
	// Places are the place question's choices from the org tree.
	Places []quiz.Choice
}

// PlaceSample names a few of the places, for the hint under the choice.
func (f *quizNewForm) PlaceSample() string {
	var names []string
	for _, p := range f.Places[:min(3, len(f.Places))] {
		names = append(names, p.Label)
	}
	if len(f.Places) > 3 {
		return strings.Join(names, "、") + " 等"
	}
	return strings.Join(names, "、")
}

// newQuizForm is the form of a new quiz: open to anyone for thirty days,
// the three standard profile questions, fifteen questions over the three
// dimensions of the literacy scheme at two points each, 60 to reach, and
// groups of fewer than five withheld.
func newQuizForm(orgName string, now time.Time) *quizNewForm {
	local := now.In(app.Shanghai)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, app.Shanghai)
	return &quizNewForm{
		Title: fmt.Sprintf("%d年%s公民法治素养测评", local.Year(), orgName),
		Intro: "为了解群众的法治素养，更好地开展普法工作，" + orgName + "普法办组织本次测评。\n" +
			"测评匿名进行，答完即可看到得分、正确答案和解析。感谢您的参与！",
		ClosesAt: localInput(day.AddDate(0, 0, 30).Add(18 * time.Hour)),
		Mode:     string(quiz.Open),
		Profile:  []string{"age", "occupation", "place"},
		Picks: []quizPickRow{
			{Dimension: "A", Type: string(question.Single), Count: "5", Points: "2"},
			{Dimension: "B", Type: string(question.TrueFalse), Count: "5", Points: "2"},
			{Dimension: "C", Type: string(question.Single), Count: "3", Points: "2"},
			{Dimension: "C", Type: string(question.Multiple), Count: "2", Points: "2"},
		},
		ShuffleOptions: true,
		Threshold:      strconv.Itoa(quiz.DefaultThreshold),
		MinGroup:       strconv.Itoa(quiz.DefaultMinGroup),
	}
}

// quizFormData fills in what the form offers: the dimensions, the bank's
// types, tags and counts, and the places of the office's region. It pads
// the rules with blank rows for a browser without the script.
func (s *Server) quizFormData(ctx context.Context, officePath string, f *quizNewForm) error {
	dims, err := quiz.DimensionsFromScheme(quiz.LiteracyScheme())
	if err != nil {
		return err
	}
	f.Dimensions, f.Types = dims, quiz.PickTypes
	bank, err := s.db.FindBank(ctx, org.PathsUp(officePath))
	if err != nil {
		return err
	}
	sum := summarizeBank(bank, quiz.PickTypes)
	f.Bank, f.BankTotal, f.Tags, f.BankJSON = sum.Types, sum.Total, sum.Tags, sum.JSON
	if f.Places, err = s.quizPlaces(ctx, officePath); err != nil {
		return err
	}
	for range max(2, 6-len(f.Picks)) {
		f.Picks = append(f.Picks, quizPickRow{})
	}
	return nil
}

// quizPlaces are the place question's choices: the villages and
// communities of the office's region (quiz.PlacesFromOrgs).
func (s *Server) quizPlaces(ctx context.Context, officePath string) ([]quiz.Choice, error) {
	orgs, _, err := s.db.FindOrgs(ctx, org.Filter{UnderPath: &officePath, Active: ptr(true)})
	if err != nil {
		return nil, err
	}
	return quiz.PlacesFromOrgs(orgs), nil
}

// readQuizForm reads the posted form into f and q, the questions left
// for the draw. It keeps reading past the first mistake so that
// everything typed is shown again, and returns that mistake.
func readQuizForm(r *http.Request, f *quizNewForm, q *quiz.Quiz) ([]quiz.Pick, error) {
	var first error
	fail := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	pf := r.PostFormValue
	f.Title, f.Intro = strings.TrimSpace(pf("title")), strings.TrimSpace(strings.ReplaceAll(pf("intro"), "\r\n", "\n"))
	f.OpensAt, f.ClosesAt, f.Mode = pf("opens_at"), pf("closes_at"), pf("mode")
	f.Profile = r.PostForm["profile"]
	f.ShuffleOptions = pf("shuffle_options") == "1"
	f.Threshold, f.MinGroup, f.Population = pf("threshold"), pf("min_group"), pf("population")

	q.Title, q.Intro, q.Mode, q.ShuffleOptions = f.Title, f.Intro, quiz.Mode(f.Mode), f.ShuffleOptions
	if q.Title == "" {
		fail(app.Invalid("title", "请填写测评的标题"))
	}
	if q.Mode != quiz.Open && q.Mode != quiz.Invited {
		fail(app.Invalid("mode", "请选择作答方式：公开作答或定向邀请"))
	}
	var err error
	q.OpensAt, err = parseLocalTime("opens_at", "开始时间", f.OpensAt)
	fail(err)
	q.ClosesAt, err = parseLocalTime("closes_at", "截止时间", f.ClosesAt)
	fail(err)
	if err == nil && q.ClosesAt.IsZero() {
		// A quiz without an end keeps taking responses after the office
		// has published its figures.
		fail(app.Invalid("closes_at", "请填写截止时间"))
	}
	threshold, err := strconv.ParseFloat(strings.TrimSpace(f.Threshold), 64)
	if err != nil || !(threshold > 0) || threshold > 100 {
		fail(app.Invalid("threshold", "达标分数线应为大于 0、不超过 100 的数"))
	}
	q.Threshold = threshold
	q.MinGroup, err = parseInt("min_group", "公布结果的最小样本量", f.MinGroup, 1, 1000, quiz.DefaultMinGroup)
	fail(err)
	q.Alarm.Population, err = parseInt("population", "预计参加人数", f.Population, 0, 100_000_000, 0)
	fail(err)

	dims, tys, tags, counts, points := r.PostForm["pick_dim"], r.PostForm["pick_type"], r.PostForm["pick_tag"], r.PostForm["pick_count"], r.PostForm["pick_points"]
	at := func(xs []string, i int) string {
		if i < len(xs) {
			return strings.TrimSpace(xs[i])
		}
		return ""
	}
	f.Picks = nil
	var picks []quiz.Pick
	for i := range max(len(dims), len(tys), len(counts)) {
		row := quizPickRow{Dimension: at(dims, i), Type: at(tys, i), Tag: at(tags, i), Count: at(counts, i), Points: at(points, i)}
		if row.Count == "" && row.Points == "" {
			continue
		}
		f.Picks = append(f.Picks, row)
		n := len(f.Picks)
		count, err := strconv.Atoi(row.Count)
		if err != nil || count < 1 || count > quiz.MaxQuestions {
			fail(app.Invalid("picks", "第 %d 条抽题规则：题数应为 1 到 %d 之间的整数", n, quiz.MaxQuestions))
			continue
		}
		pts, err := strconv.ParseFloat(row.Points, 64)
		if err != nil || !(pts > 0) || pts > quiz.MaxPoints {
			fail(app.Invalid("picks", "第 %d 条抽题规则：每题分值应大于 0、不超过 %d", n, quiz.MaxPoints))
			continue
		}
		picks = append(picks, quiz.Pick{Dimension: row.Dimension, Type: question.Type(row.Type), Tag: row.Tag, Count: count, Points: pts})
	}
	if first == nil && len(picks) == 0 {
		first = app.Invalid("picks", "请填写抽题规则：为每个维度选择题型，填写题数和每题分值")
	}
	return picks, first
}

// buildQuiz makes the quiz the form describes, or says what is wrong: the
// profile questions (the places from the org tree), the questions drawn
// from the bank, and the whole checked by Validate and CheckBank, so
// nothing is stored half-made.
func (s *Server) buildQuiz(ctx context.Context, a *app.Actor, f *quizNewForm, q *quiz.Stored, picks []quiz.Pick) error {
	dims, err := quiz.DimensionsFromScheme(quiz.LiteracyScheme())
	if err != nil {
		return err
	}
	q.Dimensions = dims
	for _, code := range f.Profile {
		switch code {
		case "age":
			q.Profile = append(q.Profile, quiz.StandardAge())
		case "occupation":
			q.Profile = append(q.Profile, quiz.StandardOccupation())
		case "place":
			places, err := s.quizPlaces(ctx, a.OrgPath)
			if err != nil {
				return err
			}
			if len(places) < 2 {
				return app.Invalid("profile", "本区域的组织机构中村（社区）或街道（乡镇）不足两个，不能询问所在地；请先在组织机构中添加，或不选这一项")
			}
			q.Profile = append(q.Profile, quiz.PlaceQuestion(places))
		default:
			return app.Invalid("profile", "基本情况问题“%s”无效", code)
		}
	}
	stored, err := s.db.FindBank(ctx, org.PathsUp(a.OrgPath))
	if err != nil {
		return err
	}
	cands := make([]exam.Candidate, len(stored))
	bank := make(map[app.ID]question.Question, len(stored))
	for i, bq := range stored {
		cands[i] = exam.Candidate{ID: bq.ID, Q: bq.Question, Tags: bq.Tags}
		bank[bq.ID] = bq.Question
	}
	if q.Questions, err = quiz.DrawQuestions(cands, dims, picks, newSeed()); err != nil {
		return err
	}
	if err := q.Validate(); err != nil {
		return err
	}
	return q.CheckBank(bank)
}

func (s *Server) quizNew(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	o, err := s.db.FindOrgByID(ctx, a.OrgID)
	if err != nil {
		return err
	}
	f := newQuizForm(o.Name, s.clock.Now())
	if err := s.quizFormData(ctx, a.OrgPath, f); err != nil {
		return err
	}
	v := s.newView(r, "新建测评", f)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "quiz_form", v)
}

func (s *Server) quizCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	f := &quizNewForm{}
	q := &quiz.Stored{Quiz: quiz.Quiz{OrgID: a.OrgID}}
	picks, err := readQuizForm(r, f, &q.Quiz)
	if err == nil {
		err = s.buildQuiz(ctx, a, f, q, picks)
	}
	if err == nil {
		err = s.db.CreateQuiz(ctx, q)
	}
	if err != nil {
		errs, internal := formErrors(err)
		if internal != nil {
			return internal
		}
		// The questions' problems are the rules' to fix on this form.
		for i := range errs {
			if errs[i].Field == "questions" {
				errs[i].Field = "picks"
			}
		}
		if derr := s.quizFormData(ctx, a.OrgPath, f); derr != nil {
			return derr
		}
		v := s.newView(r, "新建测评", f)
		v.Active = "exams"
		v.Errors = errs
		return s.render(w, r, statusOf(app.ErrorCode(err)), "quiz_form", v)
	}
	msg := fmt.Sprintf("测评已建立：%s，共 %d 道题", q.Title, len(q.Questions))
	if q.Mode == quiz.Invited {
		msg += "。请在本页生成邀请链接，发给抽样的群众"
	}
	return s.redirect(w, r, "/quizzes/"+q.ID.String(), msg)
}
