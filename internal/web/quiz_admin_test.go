package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pufa/internal/app"
	"pufa/internal/quiz"
	"pufa/internal/store"
	"pufa/internal/store/storetest"
)

// quizForm is a valid new-quiz form over the demo bank: fifteen questions,
// the three profile questions.
func quizForm(title, mode string) url.Values {
	closes := time.Now().In(app.Shanghai).AddDate(0, 0, 14).Format("2006-01-02T15:04")
	return url.Values{
		"title": {title}, "intro": {"测评匿名进行。\r\n感谢参与！"}, "closes_at": {closes}, "mode": {mode},
		"profile":         {"age", "occupation", "place"},
		"pick_dim":        {"A", "A", "B", "C", "C", ""},
		"pick_type":       {"single", "single", "truefalse", "single", "multiple", "single"},
		"pick_tag":        {"宪法", "", "", "民法典", "", ""},
		"pick_count":      {"3", "2", "5", "3", "2", ""},
		"pick_points":     {"2", "2", "2", "2", "3", ""},
		"shuffle_options": {"1"}, "threshold": {"60"}, "min_group": {"5"}, "population": {""},
	}
}

func TestQuizAdmin(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) { testQuizAdmin(t, d) })
	}
}

func testQuizAdmin(t *testing.T, d store.Dialect) {
	e := newEnv(t, envOptions{demo: true, dialect: d})
	ctx := context.Background()
	root, err := e.db.FindRootOrg(ctx)
	if err != nil {
		t.Fatal(err)
	}
	office := e.client()
	office.login("office1", e.accounts["office1"].Password)
	count := func() int {
		t.Helper()
		qs, err := e.db.FindQuizzes(ctx, root.Path)
		if err != nil {
			t.Fatal(err)
		}
		return len(qs)
	}

	t.Run("the form", func(t *testing.T) {
		_, body := office.get("/quizzes")
		if !strings.Contains(body, `href="/quizzes/new"`) || !strings.Contains(body, "新建测评") {
			t.Error("the quiz list has no way to a new quiz")
		}
		resp, body := office.get("/quizzes/new")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("form: %d %s", resp.StatusCode, firstError(body))
		}
		for _, want := range []string{"公民法治素养测评", `name="pick_dim"`, "法治认知", "法治意识", "法治行为", "宪法", "共 10 个", `value="invited"`, "题库可用"} {
			if !strings.Contains(body, want) {
				t.Errorf("form lacks %q", want)
			}
		}
	})

	t.Run("bad input names the field and stores nothing", func(t *testing.T) {
		before := count()
		closes := time.Now().In(app.Shanghai).AddDate(0, 0, 7)
		tests := []struct {
			name  string
			edit  func(url.Values)
			field string
			msg   string
		}{
			{"no title", func(f url.Values) { f.Set("title", " ") }, "title", "请填写测评的标题"},
			{"no mode", func(f url.Values) { f.Del("mode") }, "mode", "请选择作答方式"},
			{"no end", func(f url.Values) { f.Set("closes_at", "") }, "closes_at", "请填写截止时间"},
			{"a bad date", func(f url.Values) { f.Set("opens_at", "明天") }, "opens_at", "开始时间“明天”不是有效的日期时间"},
			{"ends before it begins", func(f url.Values) {
				f.Set("opens_at", closes.Format("2006-01-02T15:04"))
				f.Set("closes_at", closes.Add(-time.Hour).Format("2006-01-02T15:04"))
			}, "closes_at", "截止时间应晚于开始时间"},
			{"a threshold over 100", func(f url.Values) { f.Set("threshold", "120") }, "threshold", "达标分数线"},
			{"no rules", func(f url.Values) {
				f["pick_count"] = []string{"", "", "", "", "", ""}
				f["pick_points"] = f["pick_count"]
			}, "picks", "请填写抽题规则"},
			{"a count of nothing", func(f url.Values) { f["pick_count"][2] = "0" }, "picks", "第 3 条抽题规则：题数应为 1 到 200 之间的整数"},
			{"a dimension left out", func(f url.Values) { f["pick_dim"][2] = "A" }, "picks", "维度“法治意识”还没有抽题规则"},
			{"more than the bank holds", func(f url.Values) { f["pick_count"][2] = "150" }, "picks", "第 3 条抽题规则（法治意识）：判断题需要 150 题，题库只有"},
			{"a profile question not offered", func(f url.Values) { f.Add("profile", "income") }, "profile", "基本情况问题“income”无效"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				form := quizForm("测评 "+tt.name, "open")
				tt.edit(form)
				resp, body := office.post("/quizzes", form)
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("status %d, want 400: %s", resp.StatusCode, firstError(body))
				}
				if !strings.Contains(body, `<a href="#f-`+tt.field+`">`) || !strings.Contains(firstError(body), tt.msg) {
					t.Errorf("error summary %s, want %q at %s", firstError(body), tt.msg, tt.field)
				}
				if !strings.Contains(body, `id="f-`+tt.field+`"`) {
					t.Errorf("the form has no field %s for the error to point at", tt.field)
				}
				// What was typed comes back.
				if tt.field != "title" && !strings.Contains(body, `value="测评 `+tt.name+`"`) {
					t.Error("the title typed is lost")
				}
			})
		}
		if n := count(); n != before {
			t.Errorf("%d quizzes stored by refused forms", n-before)
		}
	})

	t.Run("an open quiz: created, listed, poster", func(t *testing.T) {
		resp, body := office.post("/quizzes", quizForm("街道居民法治素养测评", "open"))
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/quizzes/") {
			t.Fatalf("create: %d %s", resp.StatusCode, firstError(body))
		}
		id, err := app.ParseID("id", strings.TrimPrefix(loc, "/quizzes/"))
		if err != nil {
			t.Fatal(err)
		}
		q, err := e.db.FindQuizByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if q.Mode != quiz.Open || len(q.Questions) != 15 || len(q.Profile) != 3 || q.Intro != "测评匿名进行。\n感谢参与！" || q.Threshold != 60 || !q.ShuffleOptions {
			t.Fatalf("stored %+v", q.Quiz)
		}
		if len(q.Profile[2].Choices) != 10 || q.ClosesAt.IsZero() || !q.OpensAt.IsZero() {
			t.Errorf("places %d, window %s – %s", len(q.Profile[2].Choices), q.OpensAt, q.ClosesAt)
		}
		per := map[string]int{}
		for _, qq := range q.Questions {
			per[qq.Dimension]++
		}
		if per["A"] != 5 || per["B"] != 5 || per["C"] != 5 {
			t.Errorf("questions per dimension %v", per)
		}
		_, body = office.get(loc)
		if !strings.Contains(body, "测评已建立：街道居民法治素养测评，共 15 道题") || !strings.Contains(body, "测评题目（15 道）") {
			t.Errorf("results page after creating:\n%s", firstError(body))
		}

		// The poster: title, QR code of the link, the link, instructions.
		resp, body = office.get(loc + "/poster")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("poster: %d %s", resp.StatusCode, firstError(body))
		}
		for _, want := range []string{q.Title, `src="/qr.svg?path=%2fp%2fquiz%2f` + q.Key + `"`, e.srv.URL + "/p/quiz/" + q.Key, "用手机扫描上方二维码", "共 15 道题", "临江区普法办", "data-print"} {
			if !strings.Contains(body, want) {
				t.Errorf("poster lacks %q", want)
			}
		}
		// An open quiz has no invitation links.
		if resp, _ := office.post(loc+"/tokens", url.Values{"count": {"10"}}); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("tokens of an open quiz: %d, want 400", resp.StatusCode)
		}

		// It is on the public home page while open.
		_, body = e.client().get("/p")
		if !strings.Contains(body, q.Title) || !strings.Contains(body, `href="/p/quiz/`+q.Key+`"`) || !strings.Contains(body, "参加测评") {
			t.Errorf("public home lacks the open quiz:\n%s", body)
		}
	})

	t.Run("an invited quiz: links to mail-merge", func(t *testing.T) {
		form := quizForm("抽样法治素养测评", "invited")
		form["profile"] = []string{"age"}
		resp, body := office.post("/quizzes", form)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d %s", resp.StatusCode, firstError(body))
		}
		_, body = office.get(loc)
		if !strings.Contains(body, `action="`+loc+`/tokens"`) || !strings.Contains(body, "生成邀请链接") {
			t.Fatalf("no way to issue links on the invited quiz's page:\n%s", firstError(body))
		}
		id, _ := app.ParseID("id", strings.TrimPrefix(loc, "/quizzes/"))
		q, _ := e.db.FindQuizByID(ctx, id)

		for _, bad := range []string{"", "0", "5001", "十"} {
			if resp, _ := office.post(loc+"/tokens", url.Values{"count": {bad}}); resp.StatusCode != http.StatusBadRequest {
				t.Errorf("count %q: %d, want 400", bad, resp.StatusCode)
			}
		}
		resp, raw := office.post(loc+"/tokens", url.Values{"count": {"25"}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("tokens: %d %s", resp.StatusCode, firstError(raw))
		}
		f, err := excelize.OpenReader(strings.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, _ := f.GetRows("邀请链接")
		if len(rows) != 26 || strings.Join(rows[0], ",") != "序号,邀请链接" {
			t.Fatalf("%d rows, head %v", len(rows), rows[0])
		}
		seen := map[string]bool{}
		prefix := e.srv.URL + "/p/quiz/" + q.Key + "?t="
		for i, r := range rows[1:] {
			if r[0] != strconv.Itoa(i+1) || !strings.HasPrefix(r[1], prefix) || seen[r[1]] {
				t.Fatalf("row %d: %v", i+1, r)
			}
			seen[r[1]] = true
		}
		// A link from the sheet opens the quiz; a made-up token does not.
		c := e.client()
		if _, body := c.get(strings.TrimPrefix(rows[7][1], e.srv.URL)); !strings.Contains(body, "开始测评") {
			t.Errorf("an issued link does not open the quiz:\n%s", firstError(body))
		}
		if resp, _ := c.get("/p/quiz/" + q.Key + "?t=madeup"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a made-up token: %d, want 404", resp.StatusCode)
		}
		// No poster of an invited quiz, and not on the public home page.
		if resp, _ := office.get(loc + "/poster"); resp.StatusCode != http.StatusConflict {
			t.Errorf("poster of an invited quiz: %d, want 409", resp.StatusCode)
		}
		if _, body := e.client().get("/p"); strings.Contains(body, q.Title) {
			t.Error("the invited quiz is on the public home page")
		}
	})

	t.Run("the export holds the page's figures", func(t *testing.T) {
		var q *quiz.Stored // the demo's, with its 320 responses
		for _, qq := range mustQuizzes(t, e, root.Path) {
			if strings.HasSuffix(qq.Title, "临江区公民法治素养测评") {
				q = qq
			}
		}
		if q == nil {
			t.Fatal("no demo quiz")
		}
		_, page := office.get("/quizzes/" + q.ID.String())
		checkExport(t, office, q, page)
	})
}

func mustQuizzes(t *testing.T, e *env, path string) []*quiz.Stored {
	t.Helper()
	qs, err := e.db.FindQuizzes(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// checkExport downloads a quiz's .xlsx and compares each of its figures
// with the one the results page shows (its data-fig attributes): n beside
// every figure, the means and the share to the hundredth, and a figure
// the page withholds withheld in the sheet too, with its reason.
func checkExport(t *testing.T, c *client, q *quiz.Stored, page string) {
	t.Helper()
	shown := map[string]string{}
	for _, m := range figAttr.FindAllStringSubmatch(page, -1) {
		shown[m[1]] = strings.TrimSpace(m[2])
	}
	resp, raw := c.post("/quizzes/"+q.ID.String()+"/export", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("export: %d %s", resp.StatusCode, firstError(raw))
	}
	f, err := excelize.OpenReader(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := strings.Join(f.GetSheetList(), ","); sheets != "测评结果,说明" {
		t.Fatalf("sheets %s", sheets)
	}
	rows, _ := f.GetRows("测评结果", excelize.Options{RawCellValue: true})
	head := rows[0]
	wantHead := []string{"分组问题", "分组", "答卷数 n", "总分均值", "达标人数", "达标率"}
	for _, d := range q.Dimensions {
		wantHead = append(wantHead, d.Name+"均值", d.Name+" n")
	}
	if strings.Join(head, ",") != strings.Join(wantHead, ",") {
		t.Fatalf("head %v, want %v", head, wantHead)
	}
	// The rows name their groups by label; the page by code.
	keys := map[string]string{"全部|全部答卷": "overall"}
	groups := 1
	for _, p := range q.Profile {
		for _, o := range p.Options() {
			keys[p.Label+"|"+o.Label] = p.Code + "." + o.Code
			groups++
		}
	}
	if len(rows)-1 != groups {
		t.Fatalf("%d rows of figures, want %d", len(rows)-1, groups)
	}
	cell := func(r []string, i int) string {
		if i < len(r) {
			return r[i]
		}
		return ""
	}
	compared, withheld := 0, 0
	figure := func(key, col, got string) {
		t.Helper()
		want, ok := shown[key+"."+col]
		if !ok {
			// Withheld on the page: withheld in the sheet, with the reason.
			if !strings.HasPrefix(got, "不公布（") && got != "无答卷" {
				t.Errorf("%s.%s: sheet shows %q, the page withholds it", key, col, got)
			}
			withheld++
			return
		}
		x, err := strconv.ParseFloat(got, 64)
		if err != nil || fmt.Sprintf("%.2f", x) != want {
			t.Errorf("%s.%s: sheet %q, page %s", key, col, got, want)
		}
		compared++
	}
	for _, r := range rows[1:] {
		key, ok := keys[cell(r, 0)+"|"+cell(r, 1)]
		if !ok {
			t.Fatalf("row of an unknown group %v", r)
		}
		if cell(r, 2) != shown[key+".n"] {
			t.Errorf("%s: n %s in the sheet, %s on the page", key, cell(r, 2), shown[key+".n"])
		}
		figure(key, "total", cell(r, 3))
		for i, d := range q.Dimensions {
			figure(key, d.Code, cell(r, 6+2*i))
			// Every figure has its n beside it.
			if _, err := strconv.Atoi(cell(r, 7+2*i)); err != nil {
				t.Errorf("%s: no n beside %s: %v", key, d.Name, r)
			}
		}
		if key == "overall" {
			share, _ := strconv.ParseFloat(cell(r, 5), 64)
			if got := fmt.Sprintf("%.2f%%", share*100); got != shown["overall.share"] {
				t.Errorf("overall share: sheet %s, page %s", got, shown["overall.share"])
			}
			if shownShare, _ := f.GetCellValue("测评结果", "F2"); shownShare != shown["overall.share"] {
				t.Errorf("overall share reads %q in Excel, %q on the page", shownShare, shown["overall.share"])
			}
		}
	}
	if compared < 20 || withheld == 0 {
		t.Errorf("compared %d figures, %d withheld: the demo quiz has both", compared, withheld)
	}
	t.Logf("%d figures of the sheet match the page, %d withheld in both", compared, withheld)
}
