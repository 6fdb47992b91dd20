package web_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/question"
	"pufa/internal/quiz"
	"pufa/internal/store"
	"pufa/internal/store/storetest"
)

// demoQuiz returns the demo's literacy quiz and its questions by ID.
func demoQuiz(t *testing.T, e *env) (*quiz.Stored, map[app.ID]question.Question) {
	t.Helper()
	ctx := context.Background()
	root, err := e.db.FindRootOrg(ctx)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := e.db.FindQuizzes(ctx, root.Path)
	if err != nil || len(qs) == 0 {
		t.Fatalf("demo quizzes: %v, %d", err, len(qs))
	}
	return qs[0], quizBank(t, e, qs[0])
}

func quizBank(t *testing.T, e *env, q *quiz.Stored) map[app.ID]question.Question {
	t.Helper()
	bank := map[app.ID]question.Question{}
	for _, qq := range q.Questions {
		bq, err := e.db.FindQuestionByID(context.Background(), qq.QuestionID)
		if err != nil {
			t.Fatal(err)
		}
		bank[qq.QuestionID] = bq.Question
	}
	return bank
}

var (
	seedField = regexp.MustCompile(`name="seed" value="(\d+)"`)
	sigField  = regexp.MustCompile(`name="sig" value="([0-9a-f]+)"`)
	qField    = regexp.MustCompile(`<fieldset class="qz-q[^"]*" id="f-q(\d+)"`)
)

// quizQuestionsPage opens the question step with the profile given and
// returns the form the page carries: seed, signature and profile.
func (c *client) quizQuestionsPage(t *testing.T, key, query string) (url.Values, []string, string) {
	t.Helper()
	resp, body := c.get("/p/quiz/" + key + "?step=questions&" + query)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("questions page: %d %s", resp.StatusCode, firstError(body))
	}
	seed, sig := seedField.FindStringSubmatch(body), sigField.FindStringSubmatch(body)
	if seed == nil || sig == nil {
		t.Fatalf("questions page carries no signed seed:\n%s", body)
	}
	form := url.Values{"seed": {seed[1]}, "sig": {sig[1]}}
	q, _ := url.ParseQuery(query)
	for k, v := range q {
		if strings.HasPrefix(k, "p_") || k == "t" {
			form[k] = v
		}
	}
	var ids []string
	for _, m := range qField.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return form, ids, body
}

// answerAll fills form with the right answer to every question, or the
// wrong one where wrong says so, in the letters of the form's seed.
func answerAll(t *testing.T, q *quiz.Stored, bank map[app.ID]question.Question, form url.Values, wrong func(i int) bool) {
	t.Helper()
	seed, err := strconv.ParseUint(form.Get("seed"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	paper := q.Paper(bank, seed)
	for i, it := range paper.Items {
		bq := bank[it.QuestionID]
		ans := bq.Answer
		if wrong != nil && wrong(i) {
			switch {
			case bq.Type == question.TrueFalse && ans[0] == question.True:
				ans = []string{question.False}
			case bq.Type == question.TrueFalse:
				ans = []string{question.True}
			default:
				for _, o := range bq.Options {
					if o.Label != ans[0] {
						ans = []string{o.Label}
						break
					}
				}
			}
		}
		form["q"+it.QuestionID.String()] = exam.FromOriginal(bq, it, ans)
	}
}

func TestQuiz(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) { testQuiz(t, d) })
	}
}

func testQuiz(t *testing.T, d store.Dialect) {
	e := newEnv(t, envOptions{demo: true, dialect: d})
	ctx := context.Background()
	q, bank := demoQuiz(t, e)

	t.Run("anonymous respondent answers once", func(t *testing.T) {
		c := e.client()
		resp, body := c.get("/p/quiz/" + q.Key)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "开始测评") || !strings.Contains(body, q.Title) {
			t.Fatalf("intro: %d %s", resp.StatusCode, firstError(body))
		}
		var device *http.Cookie
		for _, ck := range resp.Cookies() {
			if ck.Name == "pufa_qdev" {
				device = ck
			}
		}
		if device == nil || !device.HttpOnly || device.MaxAge < 365*24*3600 {
			t.Fatalf("device cookie: %+v", device)
		}
		_, body = c.get("/p/quiz/" + q.Key + "?step=profile")
		for _, want := range []string{"年龄段", "职业", "桃源村", "不愿透露"} {
			if !strings.Contains(body, want) {
				t.Errorf("profile step lacks %q", want)
			}
		}
		form, ids, _ := c.quizQuestionsPage(t, q.Key, "p_age=30-44&p_occupation=farmer")
		if len(ids) != len(q.Questions) {
			t.Fatalf("questions page shows %d questions, want %d", len(ids), len(q.Questions))
		}

		// One question left out: the form comes back with what was given.
		answerAll(t, q, bank, form, nil)
		missing := form["q"+ids[3]]
		delete(form, "q"+ids[3])
		resp, body = c.post("/p/quiz/"+q.Key, form)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "第 4 题还没有作答") {
			t.Fatalf("missing answer: %d %s", resp.StatusCode, firstError(body))
		}
		if !strings.Contains(body, `value="`+form.Get("seed")+`"`) {
			t.Error("the form shown again lost its seed")
		}
		form["q"+ids[3]] = missing

		// A seed the server did not sign is refused.
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("seed", "12345")
		if resp, _ := c.post("/p/quiz/"+q.Key, bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("unsigned seed: %d, want 400", resp.StatusCode)
		}

		// Submitting leads to the result page, whose address carries the
		// signed reference to the response.
		resp, body = c.post("/p/quiz/"+q.Key, form)
		resultPath := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !resultRef.MatchString(resultPath) || !strings.HasPrefix(resultPath, "/p/quiz/"+q.Key+"/result/") {
			t.Fatalf("submit: %d %q %s", resp.StatusCode, resultPath, firstError(body))
		}
		resp, body = c.get(resultPath)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="qz-total">100<`) {
			t.Fatalf("result page: %d %s", resp.StatusCode, firstError(body))
		}
		for _, want := range []string{"答案与解析", "法治认知", "正确答案", "解析：", "法条原文：《", "保存本页", e.srv.URL + resultPath} {
			if !strings.Contains(body, want) {
				t.Errorf("result page lacks %q", want)
			}
		}
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("result page Cache-Control %q", resp.Header.Get("Cache-Control"))
		}
		// Anyone with the link sees the same page again, later; a
		// reference the server did not sign opens nothing.
		if resp, again := e.client().get(resultPath); resp.StatusCode != http.StatusOK || !strings.Contains(again, `id="qz-total">100<`) {
			t.Errorf("result page from another browser: %d", resp.StatusCode)
		}
		id, sig, _ := strings.Cut(resultPath[strings.LastIndex(resultPath, "/")+1:], "-")
		for _, bad := range []string{id + "-" + strings.Repeat("0", len(sig)), id, sig, "12345-" + sig, id + "-" + sig + "0"} {
			if resp, _ := c.get("/p/quiz/" + q.Key + "/result/" + bad); resp.StatusCode != http.StatusNotFound {
				t.Errorf("result ref %q: %d, want 404", bad, resp.StatusCode)
			}
		}
		rs, err := e.db.FindResponses(ctx, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := rs[len(rs)-1]
		if last.Total != quiz.Full || last.Profile["age"] != "30-44" || last.Profile["place"] != quiz.Declined {
			t.Errorf("stored response: %+v", last.Response)
		}

		// The same browser again: refused at once, and on submitting, and
		// shown the way to its result.
		resp, body = c.post("/p/quiz/"+q.Key, form)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "您已经提交过") || !strings.Contains(body, `href="`+resultPath+`"`) {
			t.Errorf("second submission: %d %s", resp.StatusCode, firstError(body))
		}
		_, body = c.get("/p/quiz/" + q.Key)
		if !strings.Contains(body, "您已参加过本次测评") || !strings.Contains(body, `href="`+resultPath+`"`) || strings.Contains(body, "开始测评") {
			t.Errorf("intro after submitting does not lead to the result:\n%s", body)
		}
		// Another browser is not shown this one's result.
		if _, body := e.client().get("/p/quiz/" + q.Key); strings.Contains(body, resultPath) || !strings.Contains(body, "开始测评") {
			t.Error("a new browser is refused or shown someone's result")
		}
		if n, _ := e.db.FindResponses(ctx, q.ID); len(n) != len(rs) {
			t.Errorf("responses after refusals: %d, want %d", len(n), len(rs))
		}
	})

	t.Run("a browser that keeps no cookie is told so", func(t *testing.T) {
		c := e.client()
		form, _, _ := c.quizQuestionsPage(t, q.Key, "")
		answerAll(t, q, bank, form, nil)
		u, _ := url.Parse(e.srv.URL + "/p/quiz/")
		c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "pufa_qdev", Value: "", Path: "/p/quiz/", MaxAge: -1}})
		resp, body := c.post("/p/quiz/"+q.Key, form)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Cookie") {
			t.Errorf("no device cookie: %d %s", resp.StatusCode, firstError(body))
		}
	})

	t.Run("large text", func(t *testing.T) {
		c := e.client()
		resp, body := c.get("/p/quiz/" + q.Key + "?big=1")
		if !strings.Contains(body, `class="qz qz-big"`) {
			t.Error("?big=1 does not enlarge the page")
		}
		kept := false
		for _, ck := range resp.Cookies() {
			kept = kept || (ck.Name == "pufa_big" && ck.Value == "1")
		}
		if !kept {
			t.Error("?big=1 sets no cookie")
		}
		if _, body = c.get("/p/quiz/" + q.Key + "?step=profile"); !strings.Contains(body, `class="qz qz-big"`) {
			t.Error("the next page forgot 大字")
		}
	})

	t.Run("invited", func(t *testing.T) {
		inv := &quiz.Stored{Quiz: q.Quiz}
		inv.ID, inv.Title, inv.Mode = 0, "定向邀请测评", quiz.Invited
		inv.Alarm = quiz.AlarmSettings{}
		if err := e.db.CreateQuiz(ctx, inv); err != nil {
			t.Fatal(err)
		}
		tokens, err := e.db.IssueQuizTokens(ctx, inv.ID, 30)
		if err != nil {
			t.Fatal(err)
		}
		c := e.client()
		if resp, body := c.get("/p/quiz/" + inv.Key); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "邀请链接无效") {
			t.Errorf("invited quiz without a token: %d %s", resp.StatusCode, firstError(body))
		}
		_, body := c.get("/p/quiz/" + inv.Key + "?t=" + tokens[0])
		if !strings.Contains(body, "开始测评") || !strings.Contains(body, "t="+tokens[0]) {
			t.Fatalf("invited intro does not carry the token:\n%s", body)
		}
		form, _, _ := c.quizQuestionsPage(t, inv.Key, "t="+tokens[0]+"&p_age=60plus")
		answerAll(t, inv, bank, form, func(i int) bool { return i%3 == 0 })
		resp, body := c.post("/p/quiz/"+inv.Key, form)
		invResult := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !resultRef.MatchString(invResult) {
			t.Fatalf("invited submit: %d %s", resp.StatusCode, firstError(body))
		}
		if _, body := c.get(invResult); !strings.Contains(body, "答错了") {
			t.Fatalf("invited result:\n%s", firstError(body))
		}
		// A result's reference opens nothing under another quiz.
		if resp, _ := c.get("/p/quiz/" + q.Key + "/result/" + invResult[strings.LastIndex(invResult, "/")+1:]); resp.StatusCode != http.StatusNotFound {
			t.Errorf("invited result under the open quiz: %d, want 404", resp.StatusCode)
		}
		// The token is the person: another browser with it is refused.
		other := e.client()
		form2, _, _ := other.quizQuestionsPage(t, inv.Key, "t="+tokens[1])
		answerAll(t, inv, bank, form2, nil)
		form2.Set("t", tokens[0])
		if resp, body := other.post("/p/quiz/"+inv.Key, form2); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "这个邀请链接已经提交过") {
			t.Errorf("used token: %d %s", resp.StatusCode, firstError(body))
		}
		if _, body := other.get("/p/quiz/" + inv.Key + "?t=" + tokens[0]); !strings.Contains(body, "这个邀请链接已经提交过") || !strings.Contains(body, `href="`+invResult+`"`) {
			t.Error("the intro of a used token does not say so, or lead to its result")
		}

		// A burst: 24 responses within a few seconds raise the alarm, and
		// the office excludes them.
		office := e.client()
		office.login("office1", e.accounts["office1"].Password)
		for i := 2; i < 26; i++ {
			seed := uint64(1000 + i)
			answers := map[app.ID][]string{}
			paper := inv.Paper(bank, seed)
			for _, it := range paper.Items {
				answers[it.QuestionID] = exam.FromOriginal(bank[it.QuestionID], it, bank[it.QuestionID].Answer)
			}
			res, err := inv.Mark(bank, seed, answers)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.db.SubmitResponse(ctx, inv, &quiz.Submission{Seed: seed, Token: tokens[i], Client: "burst", Profile: map[string]string{}, Result: res}); err != nil {
				t.Fatal(err)
			}
		}
		_, body = office.get("/quizzes/" + inv.ID.String())
		if !strings.Contains(body, "集中提交") || !strings.Contains(body, `action="/quizzes/`+inv.ID.String()+`/exclude"`) {
			t.Fatalf("results page shows no burst alarm:\n%s", firstError(body))
		}
		if resp, _ := office.post("/quizzes/"+inv.ID.String()+"/exclude", url.Values{}); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("exclude nothing: %d, want 400", resp.StatusCode)
		}
		resp, _ = office.post("/quizzes/"+inv.ID.String()+"/exclude", url.Values{"burst": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("exclude burst: %d", resp.StatusCode)
		}
		rs, _ := e.db.FindResponses(ctx, inv.ID)
		excluded := 0
		for _, r := range rs {
			if r.Excluded {
				excluded++
			}
		}
		if excluded < 20 || excluded > len(rs) {
			t.Errorf("excluded %d of %d responses", excluded, len(rs))
		}
		_, body = office.get("/quizzes/" + inv.ID.String())
		if !strings.Contains(body, "已全部排除") || !strings.Contains(body, fmt.Sprintf("排除 %d 份", excluded)) {
			t.Errorf("results page after excluding:\n%s", body)
		}
		checkFigures(t, e, inv, body)
	})

	t.Run("office figures recomputed from the raw responses", func(t *testing.T) {
		office := e.client()
		office.login("office1", e.accounts["office1"].Password)
		_, body := office.get("/quizzes")
		if !strings.Contains(body, q.Title) || !strings.Contains(body, "/qr.svg?path=%2fp%2fquiz%2f"+q.Key) {
			t.Errorf("quiz list lacks the quiz or its QR code:\n%s", body)
		}
		resp, body := office.get("/quizzes/" + q.ID.String())
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("results: %d %s", resp.StatusCode, firstError(body))
		}
		checkFigures(t, e, q, body)
		if !strings.Contains(body, "样本不足") {
			t.Error("no group is withheld for its size (桃源村 has three responses)")
		}
		// A liaison is not the office.
		liaison := e.client()
		liaison.login("liaison.gaj", e.accounts["liaison.gaj"].Password)
		if resp, _ := liaison.get("/quizzes/" + q.ID.String()); resp.StatusCode != http.StatusForbidden {
			t.Errorf("liaison on results: %d, want 403", resp.StatusCode)
		}
	})
}

// resultRef matches a result page's address: a response ID and its
// signature.
var resultRef = regexp.MustCompile(`^/p/quiz/[^/]+/result/\d+-[0-9a-f]{32}$`)

var figAttr = regexp.MustCompile(`data-fig="([^"]+)"[^>]*>([^<]*)<`)

// checkFigures recomputes a quiz's published figures from its raw
// responses, without package quiz's Tally: each dimension's mean over the
// responses not excluded, overall and per profile group, rounded to
// hundredths, and compares every figure the page shows. A group of fewer
// than five responses must show none.
func checkFigures(t *testing.T, e *env, q *quiz.Stored, body string) {
	t.Helper()
	rs, err := e.db.FindResponses(context.Background(), q.ID)
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]string{}
	for _, m := range figAttr.FindAllStringSubmatch(body, -1) {
		shown[m[1]] = strings.TrimSpace(m[2])
	}
	type sums struct {
		n   int
		sum map[string]int64 // "total" and each dimension
		hit int              // totals of 60 or more
	}
	groups := map[string]*sums{}
	add := func(key string, r quiz.StoredResponse) {
		g := groups[key]
		if g == nil {
			g = &sums{sum: map[string]int64{}}
			groups[key] = g
		}
		g.n++
		g.sum["total"] += int64(r.Total)
		for code, s := range r.Scores {
			g.sum[code] += int64(s)
		}
		if r.Total >= 6000 {
			g.hit++
		}
	}
	for _, r := range rs {
		if r.Excluded {
			continue
		}
		add("overall", r)
		for _, p := range q.Profile {
			choice := r.Profile[p.Code]
			if choice == "" {
				choice = quiz.Declined
			}
			add(p.Code+"."+choice, r)
		}
	}
	hundredths := func(x float64) string { return strconv.FormatFloat(math.Round(x)/100, 'f', 2, 64) }
	compared := 0
	for key, g := range groups {
		if got, ok := shown[key+".n"]; ok && got != strconv.Itoa(g.n) {
			t.Errorf("%s: n shown %s, counted %d", key, got, g.n)
		}
		for _, col := range append([]string{"total"}, dimCodes(q)...) {
			got, ok := shown[key+"."+col]
			if g.n < 5 {
				if ok {
					t.Errorf("%s.%s: %s shown for a group of %d", key, col, got, g.n)
				}
				continue
			}
			if !ok {
				continue // withheld beside a small group, or not on the page
			}
			want := hundredths(float64(g.sum[col]) / float64(g.n))
			if got != want {
				t.Errorf("%s.%s: page shows %s, the raw responses give %s (n = %d)", key, col, got, want, g.n)
			}
			compared++
		}
	}
	if o := groups["overall"]; o != nil && o.n >= 5 {
		for _, code := range dimCodes(q) {
			if _, ok := shown["overall."+code]; !ok {
				t.Errorf("overall figure of %s not shown", code)
			}
		}
		if got, want := shown["overall.share"], hundredths(float64(o.hit)*10000/float64(o.n))+"%"; got != want {
			t.Errorf("overall share: page %s, raw %s", got, want)
		}
		if got := shown["overall.n"]; got != strconv.Itoa(o.n) {
			t.Errorf("overall n: page %s, raw %d", got, o.n)
		}
	}
	if compared == 0 && len(groups) > 0 && groups["overall"].n >= 5 {
		t.Error("no figure compared")
	}
	t.Logf("%d figures of %s match the raw responses", compared, q.Title)
}

func dimCodes(q *quiz.Stored) []string {
	var out []string
	for _, d := range q.Dimensions {
		out = append(out, d.Code)
	}
	return out
}
