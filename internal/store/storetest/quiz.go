package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/org"
	"pufa/internal/question"
	"pufa/internal/quiz"
	"pufa/internal/store"
)

// testQuizzes covers the public legal-literacy quiz: quizzes by key and
// by subtree, one response per invitation token or per device, the rate
// limits, concurrent submissions, and the responses as stored.
func testQuizzes(t *testing.T, open Opener) {
	t.Run("CreateFind", func(t *testing.T) { testQuizCreateFind(t, open) })
	t.Run("Invited", func(t *testing.T) { testQuizInvited(t, open) })
	t.Run("Open", func(t *testing.T) { testQuizOpen(t, open) })
	t.Run("Concurrent", func(t *testing.T) { testQuizConcurrent(t, open) })
	t.Run("Responses", func(t *testing.T) { testQuizResponses(t, open) })
	t.Run("ResponseResult", func(t *testing.T) { testQuizResponseResult(t, open) })
	t.Run("Backdated", func(t *testing.T) { testQuizBackdated(t, open) })
	t.Run("OpenQuizzes", func(t *testing.T) { testOpenQuizzes(t, open) })
}

// quizFixture is a seeded database with a question bank and what a quiz
// test needs around it.
type quizFixture struct {
	db                  *store.DB
	clock               *app.ManualClock
	office              context.Context
	root, street, unit  *org.Org
	bank                map[app.ID]question.Question
	single, judge, many app.ID
}

func newQuizFixture(t *testing.T, open Opener) *quizFixture {
	t.Helper()
	ctx := context.Background()
	f := &quizFixture{clock: &app.ManualClock{T: time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC)}}
	f.db = open(t, f.clock)
	f.root, f.street, _, f.unit = Seed(t, f.db)
	f.office = app.WithActor(ctx, &app.Actor{UserID: 1, Login: "office", Roles: []string{account.RoleOffice}, OrgID: f.root.ID, OrgPath: f.root.Path})
	opts := func(texts ...string) []question.Option {
		var out []question.Option
		for i, s := range texts {
			out = append(out, question.Option{Label: string(rune('A' + i)), Text: s})
		}
		return out
	}
	qs := []*question.Stored{
		{Question: question.Question{Type: question.Single, Stem: "我国的根本大法是（ ）", Options: opts("宪法", "刑法", "民法典", "行政法"), Answer: []string{"A"}}},
		{Question: question.Question{Type: question.TrueFalse, Stem: "遇到纠纷时，可以向人民调解委员会申请调解。", Answer: []string{question.True}}},
		{Question: question.Question{Type: question.Multiple, Stem: "下列属于依法维权途径的是（ ）", Options: opts("申请仲裁", "提起诉讼", "聚众闹事", "申请法律援助"), Answer: []string{"A", "B", "D"}}},
	}
	_, err := f.db.ImportQuestions(f.office, f.root.ID, qs)
	must(t, err)
	f.single, f.judge, f.many = qs[0].ID, qs[1].ID, qs[2].ID
	f.bank = map[app.ID]question.Question{}
	for _, q := range qs {
		f.bank[q.ID] = q.Question
	}
	return f
}

// quiz returns a valid, unsaved quiz of the office at orgID on the
// literacy scheme's three dimensions, one bank question each.
func (f *quizFixture) quiz(t *testing.T, orgID app.ID, mode quiz.Mode, title string) *quiz.Stored {
	t.Helper()
	dims, err := quiz.DimensionsFromScheme(quiz.LiteracyScheme())
	must(t, err)
	return &quiz.Stored{Quiz: quiz.Quiz{
		OrgID: orgID, Title: title, Intro: "本测评匿名进行，约需 5 分钟。", Mode: mode,
		Dimensions: dims,
		Questions: []quiz.Question{
			{QuestionID: f.single, Dimension: dims[0].Code, Points: 2},
			{QuestionID: f.judge, Dimension: dims[1].Code, Points: 1.5},
			{QuestionID: f.many, Dimension: dims[2].Code, Points: 3},
		},
		Profile:        []quiz.ProfileQuestion{quiz.StandardAge(), quiz.StandardOccupation()},
		ShuffleOptions: true,
		Threshold:      62.5,
		MinGroup:       3,
		Alarm:          quiz.AlarmSettings{Population: 500},
	}}
}

// create stores q and fails the test on an error.
func (f *quizFixture) create(t *testing.T, q *quiz.Stored) *quiz.Stored {
	t.Helper()
	must(t, f.db.CreateQuiz(f.office, q))
	return q
}

// submission marks answers (in the letters the respondent saw) and returns
// the submission with its profile read as the page would.
func (f *quizFixture) submission(t *testing.T, q *quiz.Stored, seed uint64, answers map[app.ID][]string, profile map[string]string) *quiz.Submission {
	t.Helper()
	res, err := q.Mark(f.bank, seed, answers)
	must(t, err)
	p, err := q.ReadProfile(profile)
	must(t, err)
	return &quiz.Submission{Seed: seed, Profile: p, Result: res}
}

// wantRefusal checks err is Accept's refusal of arrival a: same code,
// same message.
func wantRefusal(t *testing.T, q *quiz.Stored, err error, a quiz.Arrival) {
	t.Helper()
	want := q.Accept(a)
	if want == nil {
		t.Fatalf("test bug: Accept allows %+v", a)
	}
	if app.ErrorCode(err) != app.ErrorCode(want) || app.ErrorMessage(err) != app.ErrorMessage(want) {
		t.Fatalf("error = %v (%s), want %v (%s)", err, app.ErrorCode(err), want, app.ErrorCode(want))
	}
}

func testQuizCreateFind(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newQuizFixture(t, open)

	// Validate's error passes through; an unknown office is refused.
	bad := f.quiz(t, f.root.ID, quiz.Open, " ")
	wantCode(t, f.db.CreateQuiz(f.office, bad), app.EINVALID)
	if app.ErrorMessage(f.db.CreateQuiz(f.office, bad)) != "请填写测评的标题" {
		t.Fatal("Validate's message did not pass through")
	}
	wantCode(t, f.db.CreateQuiz(f.office, f.quiz(t, 424242, quiz.Open, "无主测评")), app.EINVALID)

	district := f.quiz(t, f.root.ID, quiz.Open, " 2026 年公民法治素养测评 ")
	district.OpensAt, district.ClosesAt = f.clock.Now().Add(time.Hour), f.clock.Now().Add(30*24*time.Hour)
	district.Limits = quiz.Limits{PerHour: 50, PerDay: 300}
	district.ThresholdLabel = "达标"
	f.create(t, district)
	if district.ID == 0 || len(district.Key) < 20 || district.OrgPath != f.root.Path || district.CreatedBy != 1 || !district.CreatedAt.Equal(f.clock.Now()) || district.Title != "2026 年公民法治素养测评" {
		t.Fatalf("created %+v", district)
	}
	f.clock.Advance(time.Minute)
	street := f.create(t, f.quiz(t, f.street.ID, quiz.Invited, "街道居民抽样测评"))
	if street.Key == district.Key {
		t.Fatal("two quizzes share a key")
	}

	got, err := f.db.FindQuizByKey(ctx, district.Key)
	must(t, err)
	if d := cmp.Diff(district, got); d != "" {
		t.Fatalf("FindQuizByKey differs from what was created (-want +got):\n%s", d)
	}
	got, err = f.db.FindQuizByID(ctx, street.ID)
	must(t, err)
	if d := cmp.Diff(street, got); d != "" {
		t.Fatalf("FindQuizByID differs (-want +got):\n%s", d)
	}
	_, err = f.db.FindQuizByKey(ctx, "no-such-key")
	wantCode(t, err, app.ENOTFOUND)
	_, err = f.db.FindQuizByID(ctx, 12345)
	wantCode(t, err, app.ENOTFOUND)

	list := func(path string) string {
		t.Helper()
		qs, err := f.db.FindQuizzes(ctx, path)
		must(t, err)
		var titles []string
		for _, q := range qs {
			if q.OrgPath == "" || q.Key == "" || len(q.Questions) != 3 {
				t.Fatalf("listed %+v", q)
			}
			titles = append(titles, q.Title)
		}
		return strings.Join(titles, ",")
	}
	if got := list(f.root.Path); got != "街道居民抽样测评,2026 年公民法治素养测评" {
		t.Fatalf("district's quizzes, newest first: %q", got)
	}
	if got := list(f.street.Path); got != "街道居民抽样测评" {
		t.Fatalf("street's quizzes: %q", got)
	}
	if got := list(f.unit.Path); got != "" {
		t.Fatalf("unit's quizzes: %q", got)
	}
	if n := countWhere(t, f.db, "audit_log", "action = 'quiz.create'"); n != 2 {
		t.Fatalf("%d quiz.create audit rows, want 2", n)
	}
}

func testQuizInvited(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newQuizFixture(t, open)
	q := f.create(t, f.quiz(t, f.street.ID, quiz.Invited, "街道居民抽样测评"))
	openQuiz := f.create(t, f.quiz(t, f.root.ID, quiz.Open, "公开测评"))

	for _, n := range []int{0, -1, store.MaxQuizTokens + 1} {
		_, err := f.db.IssueQuizTokens(f.office, q.ID, n)
		wantCode(t, err, app.EINVALID)
	}
	_, err := f.db.IssueQuizTokens(f.office, openQuiz.ID, 3)
	wantCode(t, err, app.EINVALID)
	_, err = f.db.IssueQuizTokens(f.office, 12345, 3)
	wantCode(t, err, app.ENOTFOUND)

	tokens, err := f.db.IssueQuizTokens(f.office, q.ID, 300) // more than one statement's rows
	must(t, err)
	seen := map[string]bool{}
	for _, tok := range tokens {
		if len(tok) < 20 || seen[tok] {
			t.Fatalf("token %q: short or repeated", tok)
		}
		seen[tok] = true
	}
	if len(tokens) != 300 || countWhere(t, f.db, "quiz_tokens", fmt.Sprintf("quiz_id = %d", q.ID)) != 300 {
		t.Fatalf("%d tokens returned", len(tokens))
	}
	if n := countWhere(t, f.db, "audit_log", "action = 'quiz.tokens'"); n != 1 {
		t.Fatalf("%d quiz.tokens audit rows, want 1", n)
	}

	tok := tokens[7]
	a, err := f.db.ArrivalFor(ctx, q, tok, "", "c1", f.clock.Now())
	must(t, err)
	if !a.TokenIssued || a.TokenUsed || a.Token != tok || !a.At.Equal(f.clock.Now()) {
		t.Fatalf("arrival before answering %+v", a)
	}
	if a, _ := f.db.ArrivalFor(ctx, openQuiz, tok, "", "c1", f.clock.Now()); a.TokenIssued {
		t.Fatal("a token of one quiz is issued for another")
	}

	s := f.submission(t, q, 1, map[app.ID][]string{f.judge: {question.True}}, nil)
	s.Token, s.Device, s.Client = tok, "phone-1", "c1"
	id, err := f.db.SubmitResponse(ctx, q, s)
	must(t, err)
	if id == 0 {
		t.Fatal("no id")
	}
	a, err = f.db.ArrivalFor(ctx, q, tok, "", "c1", f.clock.Now())
	must(t, err)
	if !a.TokenIssued || !a.TokenUsed {
		t.Fatalf("arrival after answering %+v", a)
	}

	// The same token again is Accept's second response; a token not
	// issued is not found; another token from the same phone is a
	// different person of the sample.
	_, err = f.db.SubmitResponse(ctx, q, s)
	wantRefusal(t, q, err, quiz.Arrival{At: f.clock.Now(), Token: tok, TokenIssued: true, TokenUsed: true})
	s2 := *s
	s2.Token = "not-a-token"
	_, err = f.db.SubmitResponse(ctx, q, &s2)
	wantCode(t, err, app.ENOTFOUND)
	s2.Token = ""
	_, err = f.db.SubmitResponse(ctx, q, &s2)
	wantCode(t, err, app.ENOTFOUND)
	s2.Token = tokens[8]
	_, err = f.db.SubmitResponse(ctx, q, &s2)
	must(t, err)
	if n := countWhere(t, f.db, "quiz_responses", fmt.Sprintf("quiz_id = %d", q.ID)); n != 2 {
		t.Fatalf("%d responses stored, want 2", n)
	}
	// Responses are not audited.
	if n := countWhere(t, f.db, "audit_log", "action LIKE 'quiz.%'"); n != 3 {
		t.Fatalf("%d quiz audit rows, want 3 (two creations, one issue)", n)
	}
}

func testQuizOpen(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newQuizFixture(t, open)
	q := f.quiz(t, f.root.ID, quiz.Open, "公开测评")
	q.Limits = quiz.Limits{PerHour: 2, PerDay: 3}
	q.OpensAt = f.clock.Now().Add(time.Hour)
	f.create(t, q)
	other := f.create(t, f.quiz(t, f.root.ID, quiz.Open, "另一测评"))

	submit := func(q *quiz.Stored, device, client string) error {
		t.Helper()
		s := f.submission(t, q, 7, nil, map[string]string{"age": "30-44"})
		s.Device, s.Client = device, client
		_, err := f.db.SubmitResponse(ctx, q, s)
		return err
	}
	// Before it opens, Accept's refusal; then a device answers once.
	wantCode(t, submit(q, "d1", "c1"), app.EFORBIDDEN)
	f.clock.Advance(time.Hour)
	wantCode(t, submit(q, "", "c1"), app.EINVALID)
	must(t, submit(q, "d1", "c1"))
	a, err := f.db.ArrivalFor(ctx, q, "", "d1", "c1", f.clock.Now())
	must(t, err)
	if !a.DeviceSeen || len(a.ClientTimes) != 1 || !a.ClientTimes[0].Equal(f.clock.Now()) {
		t.Fatalf("arrival after answering %+v", a)
	}
	err = submit(q, "d1", "c2")
	wantRefusal(t, q, err, quiz.Arrival{At: f.clock.Now(), Device: "d1", DeviceSeen: true})
	// The device is new to another quiz.
	must(t, submit(other, "d1", "c1"))

	// Two from c1 in an hour, three in a day; other clients are not held.
	f.clock.Advance(time.Minute)
	must(t, submit(q, "d2", "c1"))
	f.clock.Advance(time.Minute)
	err = submit(q, "d3", "c1")
	wantCode(t, err, app.ERATELIMITED)
	if !strings.Contains(app.ErrorMessage(err), "一小时内提交的答卷已达 2 份") {
		t.Fatalf("hour limit: %v", err)
	}
	must(t, submit(q, "d3", "c2"))
	f.clock.Advance(time.Hour)
	must(t, submit(q, "d4", "c1"))
	f.clock.Advance(2 * time.Hour)
	err = submit(q, "d5", "c1")
	wantCode(t, err, app.ERATELIMITED)
	if !strings.Contains(app.ErrorMessage(err), "一天内提交的答卷已达 3 份") {
		t.Fatalf("day limit: %v", err)
	}
	a, err = f.db.ArrivalFor(ctx, q, "", "d5", "c1", f.clock.Now())
	must(t, err)
	if a.DeviceSeen || len(a.ClientTimes) != 3 {
		t.Fatalf("c1's arrival %+v", a)
	}
	// The day after the first, the window has moved on.
	f.clock.Advance(21*time.Hour - time.Minute)
	must(t, submit(q, "d5", "c1"))
	if n := countWhere(t, f.db, "quiz_responses", fmt.Sprintf("quiz_id = %d", q.ID)); n != 5 {
		t.Fatalf("%d responses stored, want 5", n)
	}
}

func testQuizConcurrent(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newQuizFixture(t, open)
	q := f.create(t, f.quiz(t, f.root.ID, quiz.Open, "公开测评"))
	const n = 10
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		s := f.submission(t, q, uint64(i), nil, nil)
		s.Device, s.Client = "same-phone", fmt.Sprintf("c%d", i)
		wg.Go(func() {
			<-start
			_, errs[i] = f.db.SubmitResponse(ctx, q, s)
		})
	}
	close(start)
	wg.Wait()
	stored := 0
	for _, err := range errs {
		if err == nil {
			stored++
			continue
		}
		wantRefusal(t, q, err, quiz.Arrival{At: f.clock.Now(), Device: "same-phone", DeviceSeen: true})
	}
	if stored != 1 {
		t.Fatalf("%d submissions accepted, want 1", stored)
	}
	if n := countWhere(t, f.db, "quiz_responses", fmt.Sprintf("quiz_id = %d", q.ID)); n != 1 {
		t.Fatalf("%d responses stored, want 1", n)
	}
	if n := countWhere(t, f.db, "quiz_response_scores", "1 = 1"); n != 3 {
		t.Fatalf("%d score rows stored, want 3", n)
	}
}

func testQuizResponses(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newQuizFixture(t, open)
	q := f.create(t, f.quiz(t, f.root.ID, quiz.Open, "公开测评"))
	other := f.create(t, f.quiz(t, f.root.ID, quiz.Open, "另一测评"))

	list, err := f.db.FindResponses(ctx, q.ID)
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("responses of a new quiz: %v", list)
	}

	// Seeds with the top bit set survive as their int64 bits; answers,
	// profiles and scores differ from one response to the next.
	seeds := []uint64{0, 1 << 63, 0xfedcba9876543210, 42}
	answers := []map[app.ID][]string{
		nil,
		{f.single: {"A"}, f.judge: {question.True}, f.many: {"A", "B"}},
		{f.judge: {question.False}, f.many: {"A", "B", "C"}},
		{f.single: {"B"}, f.judge: {question.True}},
	}
	profiles := []map[string]string{
		nil,
		{"age": "18-29", "occupation": "farmer"},
		{"age": quiz.Declined, "occupation": "retired"},
		{"occupation": "student"},
	}
	var want []quiz.StoredResponse
	for i, seed := range seeds {
		s := f.submission(t, q, seed, answers[i], profiles[i])
		s.Device, s.Client = fmt.Sprintf("d%d", i), "c"
		id, err := f.db.SubmitResponse(ctx, q, s)
		must(t, err)
		want = append(want, quiz.StoredResponse{ID: id, At: f.clock.Now(), Response: s.Result.Response(s.Profile)})
		n, err := f.db.CountRaw(ctx, `SELECT COUNT(*) FROM quiz_responses WHERE id = ? AND seed = ? AND answers LIKE ?`,
			id, int64(seed), fmt.Sprintf(`%%"question_id":%d,%%`, f.many))
		must(t, err)
		if n != 1 {
			t.Fatalf("response %d: seed %d or its answers not stored as given", i, seed)
		}
		f.clock.Advance(time.Second)
	}
	// Another quiz's response stays out of the list.
	s := f.submission(t, other, 9, nil, nil)
	s.Device, s.Client = "d0", "c"
	otherID, err := f.db.SubmitResponse(ctx, other, s)
	must(t, err)

	list, err = f.db.FindResponses(ctx, q.ID)
	must(t, err)
	if d := cmp.Diff(want, list); d != "" {
		t.Fatalf("FindResponses differs from what was submitted (-want +got):\n%s", d)
	}
	if want[1].Total == 0 || len(want[1].Scores) != 3 {
		t.Fatalf("test bug: response 1 scores %+v", want[1].Response)
	}

	// Excluding: ids of another quiz fail the call and change nothing.
	wantCode(t, f.db.ExcludeResponses(f.office, q.ID, []app.ID{want[1].ID, otherID}), app.ENOTFOUND)
	wantCode(t, f.db.ExcludeResponses(f.office, 12345, []app.ID{want[1].ID}), app.ENOTFOUND)
	must(t, f.db.ExcludeResponses(f.office, q.ID, nil))
	if n := countWhere(t, f.db, "quiz_responses", "excluded = TRUE"); n != 0 {
		t.Fatalf("%d responses excluded by failed calls", n)
	}
	must(t, f.db.ExcludeResponses(f.office, q.ID, []app.ID{want[3].ID, want[1].ID, want[1].ID}))
	want[1].Excluded, want[3].Excluded = true, true
	list, err = f.db.FindResponses(ctx, q.ID)
	must(t, err)
	if d := cmp.Diff(want, list); d != "" {
		t.Fatalf("after excluding (-want +got):\n%s", d)
	}
	if n := countWhere(t, f.db, "audit_log", "action = 'quiz.exclude'"); n != 1 {
		t.Fatalf("%d quiz.exclude audit rows, want 1", n)
	}
	// Excluded responses still count as seen: the device cannot answer again.
	s = f.submission(t, q, 5, nil, nil)
	s.Device, s.Client = "d1", "c9"
	_, err = f.db.SubmitResponse(ctx, q, s)
	wantCode(t, err, app.ECONFLICT)
}

// testQuizResponseResult reads a response back for its result page: the
// markings and scores as submitted, and the Arrival naming the response a
// device or token already stored.
func testQuizResponseResult(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newQuizFixture(t, open)
	q := f.create(t, f.quiz(t, f.root.ID, quiz.Open, "公开测评"))
	inv := f.create(t, f.quiz(t, f.root.ID, quiz.Invited, "抽样测评"))
	tokens, err := f.db.IssueQuizTokens(f.office, inv.ID, 2)
	must(t, err)

	a, err := f.db.ArrivalFor(ctx, q, "", "d1", "c", f.clock.Now())
	must(t, err)
	if a.Previous != 0 {
		t.Fatalf("a new device has a previous response: %+v", a)
	}
	const seed = 0xfedcba9876543210 // the top bit set
	s := f.submission(t, q, seed, map[app.ID][]string{f.judge: {question.True}, f.many: {"A"}}, map[string]string{"age": "18-29"})
	s.Device, s.Client = "d1", "c"
	id, err := f.db.SubmitResponse(ctx, q, s)
	must(t, err)
	f.clock.Advance(time.Minute)

	got, err := f.db.FindResponseResult(ctx, q.ID, id)
	must(t, err)
	want := &quiz.StoredResult{ID: id, At: f.clock.Now().Add(-time.Minute), Seed: seed, Total: s.Result.Total, Scores: map[string]quiz.Hundredths{}}
	for _, m := range s.Result.Questions {
		m.Dimension = ""
		want.Questions = append(want.Questions, m)
	}
	for _, d := range s.Result.Dimensions {
		want.Scores[d.Code] = d.Score
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("FindResponseResult differs from what was submitted (-want +got):\n%s", d)
	}
	bank := f.bank
	if d := cmp.Diff(s.Result, q.Restore(bank, *got)); d != "" {
		t.Fatalf("the restored result differs from the marked one (-marked +restored):\n%s", d)
	}
	// Another quiz's id, or an unknown one, is not found.
	_, err = f.db.FindResponseResult(ctx, inv.ID, id)
	wantCode(t, err, app.ENOTFOUND)
	_, err = f.db.FindResponseResult(ctx, q.ID, 12345)
	wantCode(t, err, app.ENOTFOUND)

	// The device's response is its previous one, in this quiz only; an
	// excluded response still is.
	must(t, f.db.ExcludeResponses(f.office, q.ID, []app.ID{id}))
	a, err = f.db.ArrivalFor(ctx, q, "", "d1", "c", f.clock.Now())
	must(t, err)
	if !a.DeviceSeen || a.Previous != id {
		t.Fatalf("arrival of the device that answered: %+v, want previous %s", a, id)
	}
	if got, _ := f.db.FindResponseResult(ctx, q.ID, id); got == nil || !got.Excluded {
		t.Fatalf("excluded response read back as %+v", got)
	}
	// An invited quiz's previous response is the token's, whatever the
	// device.
	s = f.submission(t, inv, 3, nil, nil)
	s.Token, s.Device, s.Client = tokens[0], "d1", "c"
	invID, err := f.db.SubmitResponse(ctx, inv, s)
	must(t, err)
	a, err = f.db.ArrivalFor(ctx, inv, tokens[0], "other-phone", "c", f.clock.Now())
	must(t, err)
	if a.Previous != invID {
		t.Fatalf("arrival of the used token: %+v, want previous %s", a, invID)
	}
	a, err = f.db.ArrivalFor(ctx, inv, tokens[1], "d1", "c", f.clock.Now())
	must(t, err)
	if a.Previous != 0 {
		t.Fatalf("an unused token on the same phone has a previous response: %+v", a)
	}
}

// testQuizBackdated stores responses with their own times, as the demo
// and an import of paper answers do: the rules are checked as at that
// time, and a time ahead of the clock is refused.
func testQuizBackdated(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newQuizFixture(t, open)
	q := f.quiz(t, f.root.ID, quiz.Open, "公开测评")
	q.OpensAt = f.clock.Now().Add(-10 * 24 * time.Hour)
	q.Limits = quiz.Limits{PerHour: 1}
	f.create(t, q)

	submit := func(device string, at time.Time) (app.ID, error) {
		t.Helper()
		s := f.submission(t, q, 1, nil, nil)
		s.Device, s.Client, s.At = device, "c", at
		return f.db.SubmitResponse(ctx, q, s)
	}
	_, err := submit("d0", f.clock.Now().Add(time.Second))
	wantCode(t, err, app.EINVALID)
	_, err = submit("d0", q.OpensAt.Add(-time.Hour))
	wantCode(t, err, app.EFORBIDDEN)

	days := []time.Time{q.OpensAt.Add(time.Hour), q.OpensAt.Add(49 * time.Hour), f.clock.Now().Add(-time.Hour)}
	for i, at := range days {
		_, err := submit(fmt.Sprintf("d%d", i+1), at)
		must(t, err)
	}
	// The limit of one an hour holds around the backdated time.
	_, err = submit("d9", days[1].Add(time.Minute))
	wantCode(t, err, app.ERATELIMITED)
	rs, err := f.db.FindResponses(ctx, q.ID)
	must(t, err)
	if len(rs) != 3 {
		t.Fatalf("%d responses stored, want 3", len(rs))
	}
	for i, r := range rs {
		if !r.At.Equal(days[i]) {
			t.Errorf("response %d at %s, want %s", i, r.At, days[i])
		}
	}
	// Without At, the store's clock.
	_, err = submit("d10", time.Time{})
	must(t, err)
	rs, _ = f.db.FindResponses(ctx, q.ID)
	if last := rs[len(rs)-1]; !last.At.Equal(f.clock.Now()) {
		t.Errorf("a response without At stamped %s, want %s", last.At, f.clock.Now())
	}
}

// testOpenQuizzes lists the open-mode quizzes taking responses now.
func testOpenQuizzes(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newQuizFixture(t, open)
	now := f.clock.Now()
	mk := func(title string, mode quiz.Mode, opens, closes time.Duration) {
		t.Helper()
		q := f.quiz(t, f.street.ID, mode, title)
		if opens != 0 {
			q.OpensAt = now.Add(opens)
		}
		if closes != 0 {
			q.ClosesAt = now.Add(closes)
		}
		f.create(t, q)
		f.clock.Advance(time.Second)
	}
	mk("不限时间", quiz.Open, 0, 0)
	mk("下月截止", quiz.Open, -time.Hour, 30*24*time.Hour)
	mk("明天截止", quiz.Open, 0, 24*time.Hour)
	mk("尚未开始", quiz.Open, time.Hour, 48*time.Hour)
	mk("已经结束", quiz.Open, -48*time.Hour, -time.Minute)
	mk("定向邀请", quiz.Invited, 0, 24*time.Hour)
	qs, err := f.db.FindOpenQuizzes(ctx, now)
	must(t, err)
	var titles []string
	for _, q := range qs {
		if q.Key == "" || q.OrgPath != f.street.Path {
			t.Fatalf("listed %+v", q)
		}
		titles = append(titles, q.Title)
	}
	if got := strings.Join(titles, ","); got != "明天截止,下月截止,不限时间" {
		t.Fatalf("open quizzes: %q", got)
	}
	// An hour later the one not begun is open too.
	qs, err = f.db.FindOpenQuizzes(ctx, now.Add(time.Hour))
	must(t, err)
	if len(qs) != 4 {
		t.Fatalf("%d open quizzes an hour later, want 4", len(qs))
	}
}
