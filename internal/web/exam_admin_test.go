package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/question"
	"pufa/internal/store"
	"pufa/internal/store/storetest"
)

// eaForm is the settings form as an office fills it: eight single-choice
// and eight true/false questions worth 5 each, one essay worth 20.
func eaForm(title string, opens, closes time.Time, sitterOrg app.ID) url.Values {
	local := func(t time.Time) string { return t.In(app.Shanghai).Format("2006-01-02T15:04") }
	return url.Values{
		"title": {title}, "year": {"2026"}, "opens": {local(opens)}, "closes": {local(closes)},
		"duration": {"60"}, "grace": {"60"}, "max_attempts": {"3"}, "counts": {"highest"},
		"pass": {"60"}, "excellent": {"90"}, "good": {"80"}, "qualified": {"60"}, "review": {"after_submit"},
		"sitter_org": {sitterOrg.String()}, "roles": {account.RoleExaminee}, "rank": {""},
		"pick_type":   {"single", "truefalse", "essay", "single"},
		"pick_tag":    {"", "", "", ""},
		"pick_count":  {"8", "8", "1", ""},
		"pick_points": {"5", "5", "20", ""},
		"one_paper":   {"0"}, "shuffle_questions": {"1"}, // options keep their letters: the test answers by key
		"makeup_of": {""}, "slot_org": {""}, "slot_opens": {""}, "slot_closes": {""},
	}
}

// eaSitter is an examinee of the JSON API.
type eaSitter struct {
	t     *testing.T
	e     *env
	token string
}

func eaSignIn(t *testing.T, e *env, login string) *eaSitter {
	t.Helper()
	return &eaSitter{t: t, e: e, token: apiToken(t, e, login, e.accounts[login].Password)}
}

func (s *eaSitter) call(method, path string, in, out any) int {
	s.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.e.srv.URL+path, body)
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			s.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode
}

// sit starts an attempt, answers right the questions right says (by
// position on the paper; essays get prose when right), and submits.
func (s *eaSitter) sit(examID app.ID, right func(i int, t string) bool) (app.ID, map[string]any) {
	s.t.Helper()
	var start struct {
		AttemptID string `json:"attempt_id"`
		Questions []struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		} `json:"questions"`
	}
	if st := s.call("POST", "/api/v1/exams/"+examID.String()+"/attempts", nil, &start); st != http.StatusCreated {
		s.t.Fatalf("start: %d", st)
	}
	ctx := context.Background()
	for i, q := range start.Questions {
		id, _ := app.ParseID("q", q.ID)
		stored, err := s.e.db.FindQuestionByID(ctx, id)
		if err != nil {
			s.t.Fatal(err)
		}
		var given []string
		switch {
		case q.Type == string(question.Essay):
			if !right(i, q.Type) {
				continue
			}
			given = []string{"依法行政要求合法行政、合理行政、程序正当、高效便民、诚实守信、权责统一。"}
		case right(i, q.Type):
			given = stored.Answer
		case q.Type == string(question.TrueFalse):
			given = []string{map[string]string{question.True: question.False, question.False: question.True}[stored.Answer[0]]}
		default:
			for _, o := range stored.Options {
				if !slices.Contains(stored.Answer, o.Label) {
					given = []string{o.Label}
					break
				}
			}
		}
		if st := s.call("PUT", "/api/v1/attempts/"+start.AttemptID+"/answers/"+q.ID, map[string]any{"answer": given, "seq": 1}, nil); st != http.StatusNoContent {
			s.t.Fatalf("save %s: %d", q.ID, st)
		}
	}
	var res map[string]any
	if st := s.call("POST", "/api/v1/attempts/"+start.AttemptID+"/submit", nil, &res); st != http.StatusOK {
		s.t.Fatalf("submit: %d %v", st, res)
	}
	id, _ := app.ParseID("attempt", start.AttemptID)
	return id, res
}

var (
	eaRow  = regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`)
	eaCell = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
	eaTag  = regexp.MustCompile(`<[^>]+>`)
)

// eaFigures reads the per-unit table of the results page: each row's
// cells as text, by the unit's name (with 待阅卷 notes removed).
func eaFigures(t *testing.T, body string) map[string][]string {
	t.Helper()
	i := strings.Index(body, `class="data ea-figures"`)
	if i < 0 {
		t.Fatal("no figures table")
	}
	table := body[i : i+strings.Index(body[i:], "</table>")]
	out := map[string][]string{}
	for _, m := range eaRow.FindAllStringSubmatch(table, -1) {
		var cells []string
		for _, c := range eaCell.FindAllStringSubmatch(m[1], -1) {
			cells = append(cells, strings.TrimSpace(eaTag.ReplaceAllString(c[1], "")))
		}
		if len(cells) > 0 {
			name, _, _ := strings.Cut(cells[0], " 待阅卷")
			out[name] = cells
		}
	}
	return out
}

// want is a unit's figures recomputed by the test.
type eaWant struct {
	expected, sat, passed int
	scores                []float64
	grades                map[string]int
}

func (w eaWant) rate(a, b int) string {
	if b == 0 {
		return "—"
	}
	return strconv.FormatFloat(math.Round(float64(a)/float64(b)*1000)/10, 'f', 1, 64) + "%"
}

func (w eaWant) mean() float64 {
	var s float64
	for _, x := range w.scores {
		s += x
	}
	return math.Round(s/float64(len(w.scores))*100) / 100
}

func (w eaWant) row() []string {
	r := []string{strconv.Itoa(w.expected), strconv.Itoa(w.sat), w.rate(w.sat, w.expected), strconv.Itoa(w.passed), w.rate(w.passed, w.sat)}
	if w.sat == 0 {
		r = append(r, "—", "—", "—")
	} else {
		r = append(r, eaNum(w.mean()), eaNum(slices.Max(w.scores)), eaNum(slices.Min(w.scores)))
	}
	for _, g := range []string{exam.Excellent, exam.Good, exam.Qualified, exam.Failed} {
		r = append(r, strconv.Itoa(w.grades[g]))
	}
	return r
}

func eaNum(x float64) string { return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64) }

func TestExamAdmin(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) { testExamAdmin(t, d) })
	}
}

func testExamAdmin(t *testing.T, d store.Dialect) {
	e := newEnv(t, envOptions{demo: true, dialect: d})
	ctx := context.Background()
	root, err := e.db.FindRootOrg(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The demo bank has no essays: the office imports two.
	essays := []*question.Stored{
		{Question: question.Question{Type: question.Essay, Stem: "简述依法行政的基本要求。", Answer: []string{"合法行政、合理行政、程序正当、高效便民、诚实守信、权责统一"}, Analysis: "依据《全面推进依法行政实施纲要》。"}, Tags: []string{"简答"}},
		{Question: question.Question{Type: question.Essay, Stem: "简述宪法的地位和作用。", Answer: []string{"宪法是国家的根本法，具有最高的法律地位、法律权威、法律效力"}}, Tags: []string{"简答"}},
	}
	if _, err := e.db.ImportQuestions(ctx, root.ID, essays); err != nil {
		t.Fatal(err)
	}
	office := e.client()
	office.login("office1", e.accounts["office1"].Password)

	resp, body := office.get("/exams/new")
	if resp.StatusCode != 200 || !strings.Contains(body, "新建考试") || !strings.Contains(body, "简答") || !strings.Contains(body, `name="pick_count"`) {
		t.Fatalf("new form: %d %s", resp.StatusCode, firstError(body))
	}

	_, before, err := e.db.FindExams(ctx, exam.ExamFilter{OrgPath: root.Path})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	title := fmt.Sprintf("%d年度学法用法考试（测试）", 2026)
	// Refused: more single-choice questions than the bank holds. The form
	// comes back with everything typed and the message names the rule.
	bad := eaForm(title, now.Add(-time.Hour), now.Add(48*time.Hour), root.ID)
	bad["pick_count"][0] = "400"
	bad["pick_points"][0] = "0.1"
	resp, body = office.post("/exams", bad)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "单选题需要 400 题，题库只有") || !strings.Contains(body, `href="#f-picks"`) {
		t.Fatalf("impossible rule: %d %s", resp.StatusCode, firstError(body))
	}
	for _, kept := range []string{`value="` + title + `"`, `value="400"`, `value="0.1"`, `value="after_submit" checked`} {
		if !strings.Contains(body, kept) {
			t.Errorf("refused form lost %s", kept)
		}
	}
	// Refused: no title; a slot without times, a pass mark of 0.
	bad = eaForm("", now.Add(-time.Hour), now.Add(48*time.Hour), root.ID)
	resp, body = office.post("/exams", bad)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "请填写考试名称") || !strings.Contains(body, `value="8"`) {
		t.Fatalf("no title: %d %s", resp.StatusCode, firstError(body))
	}
	bad = eaForm(title, now.Add(-time.Hour), now.Add(48*time.Hour), root.ID)
	bad.Set("closes", bad.Get("opens"))
	if resp, body = office.post("/exams", bad); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "考试结束时间应晚于开始时间") {
		t.Fatalf("closes before opens: %d %s", resp.StatusCode, firstError(body))
	}
	if _, n, _ := e.db.FindExams(ctx, exam.ExamFilter{OrgPath: root.Path}); n != before {
		t.Fatalf("refused forms stored %d exams", n-before)
	}

	resp, body = office.post("/exams", eaForm(title, now.Add(-time.Hour), now.Add(48*time.Hour), root.ID))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", resp.StatusCode, firstError(body))
	}
	exams, _, err := e.db.FindExams(ctx, exam.ExamFilter{OrgPath: root.Path})
	if err != nil {
		t.Fatal(err)
	}
	var ex *exam.Exam
	for _, x := range exams {
		if x.Title == title {
			ex = x
		}
	}
	if ex == nil {
		t.Fatalf("no exam %q among %d", title, len(exams))
	}
	if ex.Title != title || ex.MaxAttempts != 3 || ex.Rules.Total() != 100 || len(ex.Rules.Picks) != 3 || ex.Rules.ShuffleOptions || !ex.Rules.ShuffleQuestions ||
		ex.Review != exam.ReviewAfterSubmit || ex.Window.Grace != time.Minute || ex.Sitters.OrgPath != root.Path || ex.Window.Duration != time.Hour {
		t.Fatalf("stored %+v", ex)
	}
	if _, body := office.get("/exams/manage"); !strings.Contains(body, title) || !strings.Contains(body, "进行中") {
		t.Fatalf("list lacks the exam: %s", body)
	}

	// Examinees sit it through the API. 张伟 answers everything, his
	// essay waits for marking; 王芳 fails, then passes; 李娜 gets half the
	// choices; 罗明 (江滨街道) answers all but the essay.
	all := func(int, string) bool { return true }
	zw, zwRes := eaSignIn(t, e, "zhangwei").sit(ex.ID, all)
	if zwRes["pending_manual"] != true || zwRes["score"].(float64) != 80 {
		t.Fatalf("zhangwei %v", zwRes)
	}
	wf := eaSignIn(t, e, "wangfang")
	_, r1 := wf.sit(ex.ID, func(int, string) bool { return false })
	_, r2 := wf.sit(ex.ID, func(_ int, typ string) bool { return typ != string(question.Essay) })
	if r1["score"].(float64) != 0 || r2["score"].(float64) != 80 {
		t.Fatalf("wangfang %v %v", r1, r2)
	}
	n := 0
	_, ln := eaSignIn(t, e, "lina").sit(ex.ID, func(_ int, typ string) bool {
		n++
		return typ == string(question.TrueFalse) || (typ == string(question.Single) && n%2 == 0)
	})
	_, lm := eaSignIn(t, e, "luoming").sit(ex.ID, func(_ int, typ string) bool { return typ != string(question.Essay) })

	// The figures, recomputed here from who sits and what they scored.
	examinee, active := account.RoleExaminee, true
	people, _, err := e.db.FindUsers(ctx, account.Filter{UnderPath: &root.Path, Role: &examinee, Active: &active, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	orgs, _, _ := e.db.FindOrgs(ctx, org.Filter{UnderPath: &root.Path})
	unitOf := map[app.ID]*org.Org{} // each org's unit directly under the root
	for _, o := range orgs {
		for _, u := range orgs {
			if u.ParentID == root.ID && strings.HasPrefix(o.Path, u.Path) {
				unitOf[o.ID] = u
			}
		}
		if o.ID == root.ID {
			unitOf[o.ID] = o
		}
	}
	unitName := func(orgID app.ID) string {
		if u := unitOf[orgID]; u.ID != root.ID {
			return u.Name
		}
		return root.Name + "（本级）" // the region's own people
	}
	want := map[string]*eaWant{}
	total := &eaWant{grades: map[string]int{}}
	for _, p := range people {
		u := unitName(p.OrgID)
		if want[u] == nil {
			want[u] = &eaWant{grades: map[string]int{}}
		}
		want[u].expected++
		total.expected++
	}
	counted := map[string]map[string]any{"zhangwei": zwRes, "wangfang": r2, "lina": ln, "luoming": lm}
	for login, res := range counted {
		u, _ := e.db.FindUserByLogin(ctx, login)
		for _, w := range []*eaWant{want[unitName(u.OrgID)], total} {
			w.sat++
			w.scores = append(w.scores, res["score"].(float64))
			w.grades[res["grade"].(string)]++
			if res["passed"] == true {
				w.passed++
			}
		}
	}
	checkFigures := func(stage string) {
		t.Helper()
		resp, body := office.get("/exams/" + ex.ID.String() + "/results")
		if resp.StatusCode != 200 {
			t.Fatalf("%s: results %d %s", stage, resp.StatusCode, firstError(body))
		}
		got := eaFigures(t, body)
		for name, w := range map[string]*eaWant{"区公安分局": want["区公安分局"], "区教育局": want["区教育局"], "江滨街道": want["江滨街道"], "合计": total} {
			if g := got[name]; len(g) < 2 || strings.Join(g[1:], " ") != strings.Join(w.row(), " ") {
				t.Errorf("%s: %s row\n got %v\nwant %v", stage, name, g, w.row())
			}
		}
		if len(got) != len(want)+1 {
			t.Errorf("%s: %d rows, want %d units and the total", stage, len(got), len(want))
		}
	}
	checkFigures("before marking")
	resp, body = office.get("/exams/" + ex.ID.String() + "/results")
	for _, s := range []string{"1 份答卷待阅卷", "王芳", "/exams/" + ex.ID.String() + "/marking?attempt=" + zw.String(), "按直属单位汇总"} {
		if !strings.Contains(body, s) {
			t.Errorf("results page lacks %q", s)
		}
	}
	// Filtered to one unit; the list of those who have not sat.
	gaj, _ := e.db.FindUserByLogin(ctx, "zhangwei")
	_, body = office.get("/exams/" + ex.ID.String() + "/results?unit=" + url.QueryEscape(unitOf[gaj.OrgID].Path))
	if !strings.Contains(body, "共 2 人已交卷") || strings.Contains(body, "李娜") {
		t.Errorf("filtered to 区公安分局: %s", body[strings.Index(body, `id="people"`):])
	}
	_, body = office.get("/exams/" + ex.ID.String() + "/results?show=absent")
	if !strings.Contains(body, fmt.Sprintf("共 %d 人尚未交卷", total.expected-total.sat)) || !strings.Contains(body, "刘洋") || strings.Contains(body, ">张伟<") {
		t.Errorf("absent list wrong")
	}

	// The export: the same figures, numbers as numbers.
	checkExport := func(stage string) {
		t.Helper()
		resp, raw := office.post("/exams/"+ex.ID.String()+"/results/export", nil)
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("%s: export %d %s", stage, resp.StatusCode, firstError(raw))
		}
		f, err := excelize.OpenReader(strings.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if sheets := f.GetSheetList(); strings.Join(sheets, ",") != "各单位统计,人员成绩" {
			t.Fatalf("sheets %v", sheets)
		}
		rows, _ := f.GetRows("各单位统计", excelize.Options{RawCellValue: true})
		if strings.Join(rows[0][:9], ",") != "单位,应考人数,实考人数,参考率,合格人数,合格率,平均分,最高分,最低分" {
			t.Fatalf("%s: head %v", stage, rows[0])
		}
		last := rows[len(rows)-1]
		if last[0] != "合计" || last[1] != strconv.Itoa(total.expected) || last[2] != strconv.Itoa(total.sat) || last[4] != strconv.Itoa(total.passed) {
			t.Errorf("%s: total row %v", stage, last)
		}
		turnout, _ := strconv.ParseFloat(last[3], 64)
		if math.Abs(turnout-float64(total.sat)/float64(total.expected)) > 1e-9 {
			t.Errorf("%s: turnout cell %s", stage, last[3])
		}
		if mean, _ := strconv.ParseFloat(last[6], 64); mean != total.mean() {
			t.Errorf("%s: mean cell %s, want %v", stage, last[6], total.mean())
		}
		shown, _ := f.GetCellValue("各单位统计", fmt.Sprintf("D%d", len(rows)))
		if shown != total.rate(total.sat, total.expected) {
			t.Errorf("%s: turnout shows %q, want %q", stage, shown, total.rate(total.sat, total.expected))
		}
		for _, r := range rows[1 : len(rows)-1] {
			if w := want[r[0]]; w == nil || r[1] != strconv.Itoa(w.expected) || r[2] != strconv.Itoa(w.sat) {
				t.Errorf("%s: unit row %v, want %+v", stage, r, w)
			}
		}
		people, _ := f.GetRows("人员成绩")
		if len(people) != 1+total.sat {
			t.Fatalf("%s: %d people rows, want %d", stage, len(people)-1, total.sat)
		}
		for _, p := range people[1:] {
			login := p[3]
			if sc, _ := strconv.ParseFloat(p[4], 64); sc != counted[login]["score"].(float64) {
				t.Errorf("%s: %s scored %s, want %v", stage, login, p[4], counted[login]["score"])
			}
		}
	}
	checkExport("before marking")

	// Hand marking: too many points are refused and named; then 15 of 20.
	resp, body = office.get("/exams/" + ex.ID.String() + "/marking")
	field := ""
	if m := regexp.MustCompile(`name="(p_` + zw.String() + `_\d+)"`).FindStringSubmatch(body); m != nil {
		field = m[1]
	}
	if resp.StatusCode != 200 || field == "" || !strings.Contains(body, "依法行政要求合法行政") || !strings.Contains(body, "参考答案") {
		t.Fatalf("marking page: %d %s", resp.StatusCode, firstError(body))
	}
	resp, body = office.post("/exams/"+ex.ID.String()+"/marking", url.Values{field: {"25"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "超过了本题的分值 20 分") || !strings.Contains(body, `href="#f-`+field+`"`) || !strings.Contains(body, `value="25"`) {
		t.Fatalf("25 of 20: %d %s", resp.StatusCode, firstError(body))
	}
	if resp, body = office.post("/exams/"+ex.ID.String()+"/marking", url.Values{field: {"15"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("award: %d %s", resp.StatusCode, firstError(body))
	}
	st, err := e.db.FindSitting(ctx, zw)
	if err != nil || st.Score != 95 || st.PendingManual || st.Grade != exam.Excellent || !st.Passed {
		t.Fatalf("after marking %+v %v", st, err)
	}
	// The figures follow: 张伟 moves from 良好 to 优秀.
	for _, w := range []*eaWant{want["区公安分局"], total} {
		w.grades[exam.Good]--
		w.grades[exam.Excellent]++
		w.scores[slices.Index(w.scores, 80)] = 95
	}
	counted["zhangwei"] = map[string]any{"score": 95.0}
	checkFigures("after marking")
	checkExport("after marking")
	if _, body := office.get("/exams/" + ex.ID.String() + "/marking"); !strings.Contains(body, "没有待阅卷的答卷") {
		t.Error("marked answer still waiting")
	}

	// The learning record: 张伟's own, with the certificate; the office's view of it.
	zc := e.client()
	zc.login("zhangwei", e.accounts["zhangwei"].Password)
	resp, body = zc.get("/record")
	if resp.StatusCode != 200 || !strings.Contains(body, title) || !strings.Contains(body, "<strong>95</strong>") || !strings.Contains(body, "/attempts/"+zw.String()+"/certificate") ||
		!strings.Contains(body, "应知应会清单") {
		t.Fatalf("own record: %d %s", resp.StatusCode, firstError(body))
	}
	resp, body = office.get("/record?user=" + gaj.ID.String())
	if resp.StatusCode != 200 || !strings.Contains(body, "张伟的学法档案") || !strings.Contains(body, title) || strings.Contains(body, "/certificate") {
		t.Fatalf("office's view of the record: %d", resp.StatusCode)
	}
	// An examinee cannot open someone else's record or the office pages.
	if resp, _ := zc.get("/record?user=" + e.mustUser("wangfang").ID.String()); resp.StatusCode != http.StatusNotFound {
		t.Errorf("examinee opens another's record: %d", resp.StatusCode)
	}
	if resp, _ := zc.get("/exams/" + ex.ID.String() + "/results"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("examinee opens the results: %d", resp.StatusCode)
	}

	// The office of another region (江滨街道's own) sees none of it.
	jb := unitOf[e.mustUser("luoming").OrgID]
	// The same password as 罗明's, so the test knows it.
	other := &account.User{Login: "office.jb", Name: "街道普法办", OrgID: jb.ID, Roles: []string{account.RoleOffice}, PasswordHash: e.mustUser("luoming").PasswordHash}
	if err := e.db.CreateUser(ctx, other); err != nil {
		t.Fatal(err)
	}
	oc := e.client()
	oc.login("office.jb", e.accounts["luoming"].Password)
	for _, p := range []string{"/results", "/edit", "/marking"} {
		if resp, _ := oc.get("/exams/" + ex.ID.String() + p); resp.StatusCode != http.StatusForbidden {
			t.Errorf("another region's office: GET %s = %d, want 403", p, resp.StatusCode)
		}
	}
	if resp, _ := oc.post("/exams/"+ex.ID.String()+"/results/export", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another region's office exports: %d", resp.StatusCode)
	}
	if resp, _ := oc.get("/record?user=" + gaj.ID.String()); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another region's office reads a record outside it: %d", resp.StatusCode)
	}
	if resp, _ := oc.get("/record?user=" + e.mustUser("luoming").ID.String()); resp.StatusCode != http.StatusOK {
		t.Errorf("the subdistrict's office reads its own examinee's record: %d", resp.StatusCode)
	}
	if _, body := oc.get("/exams/manage"); strings.Contains(body, title) {
		t.Error("another region's office lists the district's exam")
	}

	// Editing after the window opened: the form says what it changes;
	// attempts already made keep their papers.
	resp, body = office.get("/exams/" + ex.ID.String() + "/edit")
	if resp.StatusCode != 200 || !strings.Contains(body, "考试已经开始") || !strings.Contains(body, `value="`+title+`"`) {
		t.Fatalf("edit form: %d %s", resp.StatusCode, firstError(body))
	}
	upd := eaForm(title+"（修订）", ex.Window.Opens, ex.Window.Closes.Add(24*time.Hour), root.ID)
	upd["pick_count"] = []string{"10", "6", "1", ""}
	if resp, body = office.post("/exams/"+ex.ID.String(), upd); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d %s", resp.StatusCode, firstError(body))
	}
	got, _ := e.db.FindExamByID(ctx, ex.ID)
	if got.Title != title+"（修订）" || got.Rules.Picks[0].Count != 10 {
		t.Fatalf("updated %+v", got)
	}
	if st2, _ := e.db.FindSitting(ctx, zw); len(st2.Paper.Items) != 17 || st2.Score != 95 {
		t.Fatalf("an attempt changed with the settings: %d items, %v", len(st2.Paper.Items), st2.Score)
	}
}

// mustUser finds a demo account.
func (e *env) mustUser(login string) *account.User {
	e.t.Helper()
	u, err := e.db.FindUserByLogin(context.Background(), login)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}
