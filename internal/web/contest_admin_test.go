package web_test

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/contest"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/password"
	"pufa/internal/question"
	"pufa/internal/store"
	"pufa/internal/store/storetest"
)

// The office's contest pages, checked against rankings this test works
// out on its own from the scores it seeds: who sat which round, with what
// score and in how long.

// ctPrize is one prize as the test gives it.
type ctPrize struct {
	name string
	n    int
}

// ctAward is the prize of a rank: places go down the prizes in order.
func ctAward(ps []ctPrize, rank int) string {
	upTo := 0
	for _, p := range ps {
		upTo += p.n
		if rank <= upTo {
			return p.name
		}
	}
	return ""
}

func ctPrizesText(ps []ctPrize) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%s %d\n", p.name, p.n)
	}
	return b.String()
}

// ctPerson is a person of the test's own ranking.
type ctPerson struct {
	id               app.ID
	login, name, org string
	orgPath          string
	team             *ctTeam
	scores           []float64 // -1: not sat
	total            float64
	took             time.Duration
	rank             int
	award            string
}

// ctTeam is a unit of the test's own ranking.
type ctTeam struct {
	key, name       string
	expected        int
	members         []*ctPerson
	score, best     float64
	rank            int
	award           string
	finalPts        float64
	finalRight      int
	finalTime       time.Duration
	finalRank       int
	finalAward      string
	finalistsByName []string
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func ctNum(x float64) string { return strconv.FormatFloat(round2(x), 'f', -1, 64) }

func ctRate(a, b int) string {
	if b == 0 {
		return "—"
	}
	return strconv.FormatFloat(math.Round(float64(a)/float64(b)*1000)/10, 'f', 1, 64) + "%"
}

func ctDur(d time.Duration) string {
	s := int(d / time.Second)
	if s >= 60 {
		return fmt.Sprintf("%d分%02d秒", s/60, s%60)
	}
	return fmt.Sprintf("%d秒", s)
}

// ctWorld is the seeded contest world and the rankings it must give.
type ctWorld struct {
	people map[string]*ctPerson // by login
	teams  map[string]*ctTeam   // by key
	rounds int
}

// rank ranks the people and, by rule (n > 0: the best n; 0: turnout),
// the teams, giving prizes as the contest's pages must.
func (w *ctWorld) rank(n int, individual, team []ctPrize, teamPrizes bool) ([]*ctPerson, []*ctTeam) {
	var people []*ctPerson
	for _, p := range w.people {
		if p.total >= 0 && slices.ContainsFunc(p.scores, func(x float64) bool { return x >= 0 }) {
			people = append(people, p)
		}
	}
	slices.SortFunc(people, func(a, b *ctPerson) int {
		return cmp.Or(cmp.Compare(b.total, a.total), cmp.Compare(a.took, b.took), cmp.Compare(a.orgPath, b.orgPath), cmp.Compare(a.id, b.id))
	})
	for i, p := range people {
		p.rank = i + 1
		if i > 0 && p.total == people[i-1].total && p.took == people[i-1].took {
			p.rank = people[i-1].rank
		}
		p.award = ctAward(individual, p.rank)
	}
	var teams []*ctTeam
	for _, t := range w.teams {
		var scaled []float64
		for _, m := range t.members {
			if slices.Contains(people, m) {
				scaled = append(scaled, m.total/float64(w.rounds))
			}
		}
		slices.SortFunc(scaled, func(a, b float64) int { return cmp.Compare(b, a) })
		var sum float64
		t.best = 0
		if len(scaled) > 0 {
			t.best = round2(scaled[0])
		}
		if n > 0 {
			for _, x := range scaled[:min(n, len(scaled))] {
				sum += x
			}
			t.score = round2(sum / float64(n))
		} else {
			for _, x := range scaled {
				sum += x
			}
			t.score = 0
			if len(scaled) > 0 {
				t.score = round2(sum / float64(max(t.expected, len(scaled))))
			}
		}
		teams = append(teams, t)
	}
	// A unit nobody from took part is listed last, unranked (0), with no
	// prize.
	none := func(t *ctTeam) int {
		if t.took() == 0 {
			return 1
		}
		return 0
	}
	slices.SortFunc(teams, func(a, b *ctTeam) int {
		return cmp.Or(cmp.Compare(none(a), none(b)), cmp.Compare(b.score, a.score), cmp.Compare(b.best, a.best), cmp.Compare(a.key, b.key))
	})
	for i, t := range teams {
		t.award = ""
		if t.took() == 0 {
			t.rank = 0
			continue
		}
		t.rank = i + 1
		if i > 0 && t.score == teams[i-1].score && t.best == teams[i-1].best {
			t.rank = teams[i-1].rank
		}
		if teamPrizes {
			t.award = ctAward(team, t.rank)
		}
	}
	return people, teams
}

// took counts the members who sat at least one round.
func (t *ctTeam) took() int {
	n := 0
	for _, m := range t.members {
		if slices.ContainsFunc(m.scores, func(x float64) bool { return x >= 0 }) {
			n++
		}
	}
	return n
}

// ctTable reads a table of the page by its class: each row's cells as
// text.
func ctTable(t *testing.T, body, class string) [][]string {
	t.Helper()
	i := strings.Index(body, `class="data `+class+`"`)
	if i < 0 {
		t.Fatalf("no table %s", class)
	}
	table := body[i : i+strings.Index(body[i:], "</table>")]
	var out [][]string
	for _, m := range eaRow.FindAllStringSubmatch(table, -1) {
		var cells []string
		for _, c := range eaCell.FindAllStringSubmatch(m[1], -1) {
			cells = append(cells, strings.Join(strings.Fields(eaTag.ReplaceAllString(strings.ReplaceAll(c[1], "<br>", " "), "")), " "))
		}
		if len(cells) > 0 {
			out = append(out, cells)
		}
	}
	return out
}

// ctForm is the settings form as the office fills it in.
func ctForm(title string, rounds map[app.ID]string, bestN int, individual, team []ctPrize, final bool) url.Values {
	f := url.Values{
		"title": {title}, "year": {"2026"}, "intro": {"面向全区国家工作人员。\n初赛两轮，决赛现场进行。"},
		"individual_awards": {ctPrizesText(individual)}, "team_awards": {ctPrizesText(team)},
		"final_title": {"现场决赛"}, "final_single": {"2"}, "final_truefalse": {"1"}, "final_points": {"10"}, "final_seconds": {"20"},
	}
	for id, title := range rounds {
		f.Add("round", id.String())
		f.Set("round_title_"+id.String(), title)
	}
	if bestN > 0 {
		f.Set("team_rule", string(contest.BestN))
		f.Set("team_n", strconv.Itoa(bestN))
	} else {
		f.Set("team_rule", string(contest.Participation))
	}
	if final {
		f.Set("final_on", "1")
	}
	return f
}

func TestContestAdmin(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) { testContestAdmin(t, d) })
	}
}

func testContestAdmin(t *testing.T, d store.Dialect) {
	e := newEnv(t, envOptions{demo: true, dialect: d, manual: true})
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	root, err := e.db.FindRootOrg(ctx)
	must(err)
	officeUser := e.mustUser("office1")
	office := app.WithActor(ctx, &app.Actor{UserID: officeUser.ID, Login: officeUser.Login, Roles: officeUser.Roles, OrgID: root.ID, OrgPath: root.Path})
	bank, err := e.db.FindBank(ctx, org.PathsUp(root.Path))
	must(err)

	// Two rounds, each an exam of the district office for its examinees.
	now := e.clock.Now()
	mkExam := func(title string, opens time.Time) *exam.Exam {
		ex := &exam.Exam{OrgID: root.ID, Title: title, Year: 2026,
			Window:  exam.Window{Opens: opens, Closes: now.Add(48 * time.Hour), Duration: time.Hour},
			Rules:   exam.Rules{Picks: []exam.Pick{{Type: question.Single, Count: 1, Points: 100}}},
			Sitters: exam.Sitters{OrgPath: root.Path, Roles: []string{account.RoleExaminee}}}
		must(e.db.CreateExam(office, ex))
		return ex
	}
	r1 := mkExam("知识竞赛初赛（第一轮）", now.Add(-2*time.Hour))
	r2 := mkExam("知识竞赛初赛（第二轮）", now.Add(-time.Hour))

	// The world as the test sees it: each examinee's unit directly under
	// the district, and how many each unit expects.
	w := &ctWorld{people: map[string]*ctPerson{}, teams: map[string]*ctTeam{}, rounds: 2}
	orgs, _, err := e.db.FindOrgs(ctx, org.Filter{UnderPath: &root.Path})
	must(err)
	byID := map[app.ID]*org.Org{}
	for _, o := range orgs {
		byID[o.ID] = o
	}
	teamOf := func(o *org.Org) *ctTeam {
		unit := o
		for unit.ParentID != root.ID && unit.ID != root.ID {
			unit = byID[unit.ParentID]
		}
		key, name := unit.Path, unit.Name
		if unit.ID == root.ID {
			name = root.Name + "（本级）"
		}
		if w.teams[key] == nil {
			w.teams[key] = &ctTeam{key: key, name: name}
		}
		return w.teams[key]
	}
	// One examinee of a community, who counts for its subdistrict.
	for _, o := range orgs {
		if o.Name == "江滨社区" {
			must(e.db.CreateUser(ctx, &account.User{Login: "zhoumin", Name: "周敏", OrgID: o.ID, Roles: []string{account.RoleExaminee}, PasswordHash: "x"}))
		}
	}
	examinee, active := account.RoleExaminee, true
	users, _, err := e.db.FindUsers(ctx, account.Filter{UnderPath: &root.Path, Role: &examinee, Active: &active, Limit: 1000})
	must(err)
	for _, u := range users {
		o := byID[u.OrgID]
		p := &ctPerson{id: u.ID, login: u.Login, name: u.Name, org: o.Name, orgPath: o.Path, team: teamOf(o), scores: []float64{-1, -1}}
		p.team.expected++
		p.team.members = append(p.team.members, p)
		w.people[u.Login] = p
	}

	// The scores: 张伟 and 李娜 tie on score and time; 陈静 and 杨丽 tie
	// on score, 陈静 faster; 刘洋 and 宋佳 sat one round each.
	sit := func(ex *exam.Exam, round int, login string, score float64, took time.Duration) {
		t.Helper()
		u := e.mustUser(login)
		st, _, err := e.db.StartAttempt(ctx, ex, u.ID, u.OrgID, 0, func(int) (exam.Sitting, error) {
			at := e.clock.Now()
			return exam.Sitting{Paper: exam.Paper{Items: []exam.Item{{QuestionID: bank[0].ID, Points: 100}}}, Started: at, Deadline: at.Add(time.Hour), GraceEnd: at.Add(time.Hour + time.Minute)}, nil
		})
		must(err)
		e.clock.Advance(took)
		grade := exam.Failed
		switch {
		case score >= 90:
			grade = exam.Excellent
		case score >= 80:
			grade = exam.Good
		case score >= 60:
			grade = exam.Qualified
		}
		_, err = e.db.SubmitAttempt(ctx, st.ID, false, func(map[app.ID]exam.Answer) exam.Result {
			return exam.Result{Score: score, Raw: score, Max: 100, Grade: grade, Passed: score >= 60}
		})
		must(err)
		p := w.people[login]
		p.scores[round] = score
		p.total = round2(p.total + score)
		p.took += took
	}
	m := time.Minute
	for _, s := range []struct {
		login  string
		s1, s2 float64
		t1, t2 time.Duration
	}{
		{"zhangwei", 90, 95, 10 * m, 8*m + 20*time.Second},
		{"lina", 95, 90, 9 * m, 9*m + 20*time.Second},
		{"chenjing", 88, 92, 8 * m, 7 * m},
		{"yangli", 88, 92, 8 * m, 8 * m},
		{"wangfang", 80, 85, 12 * m, 10 * m},
		{"luoming", 60, 75, 15 * m, 11 * m},
		{"zhoumin", 72, 64, 13 * m, 12 * m},
		{"liuyang", 70, -1, 14 * m, 0},
		{"songjia", -1, 100, 0, 5 * m},
		{"office1", 50, -1, 20 * m, 0},
	} {
		if s.s1 >= 0 {
			sit(r1, 0, s.login, s.s1, s.t1)
		}
		if s.s2 >= 0 {
			sit(r2, 1, s.login, s.s2, s.t2)
		}
	}

	oc := e.client()
	oc.login("office1", e.accounts["office1"].Password)
	// The demo's contests are there already.
	before, err := e.db.FindContests(ctx, root.Path)
	must(err)
	if resp, body := oc.get("/contests"); resp.StatusCode != 200 || !strings.Contains(body, fmt.Sprintf("共 %d 项竞赛", len(before))) {
		t.Fatalf("list: %d %s", resp.StatusCode, firstError(body))
	}
	if _, body := oc.get("/exams/manage"); !strings.Contains(body, `href="/contests"`) {
		t.Error("the exam office's list does not link the contests")
	}
	resp, body := oc.get("/contests/new")
	if resp.StatusCode != 200 || !strings.Contains(body, r1.Title) || !strings.Contains(body, r2.Title) || !strings.Contains(body, `name="team_n"`) ||
		!strings.Contains(body, "单选题 100 道") {
		t.Fatalf("new form: %d %s", resp.StatusCode, firstError(body))
	}

	individual := []ctPrize{{"一等奖", 1}, {"二等奖", 2}, {"三等奖", 3}}
	teamPrizes := []ctPrize{{"一等奖", 1}, {"二等奖", 1}, {"三等奖", 2}}
	rounds := map[app.ID]string{r2.ID: "", r1.ID: "初赛第一轮"}
	title := "2026年度学法用法知识竞赛"

	// Refused forms come back with what was typed, the message naming the
	// field; none stores anything.
	for _, tc := range []struct {
		name  string
		edit  func(url.Values)
		field string
		msg   string
	}{
		{"no title", func(f url.Values) { f.Set("title", " ") }, "title", "请填写竞赛名称"},
		{"no rounds", func(f url.Values) { f.Del("round") }, "rounds", "请至少选择一场线上初赛"},
		{"exam elsewhere", func(f url.Values) { f.Add("round", "987654321") }, "rounds", "所选的考试不在本区域"},
		{"bad prize", func(f url.Values) { f.Set("individual_awards", "一等奖\n二等奖 2") }, "individual_awards", "第 1 行“一等奖”应为“奖项名称 名额”"},
		{"bad count", func(f url.Values) { f.Set("team_awards", "一等奖 两") }, "team_awards", "第 1 行的名额“两”不是整数"},
		{"best 0", func(f url.Values) { f.Set("team_n", "0") }, "team_n", "“取前 N 名”的 N应为 1 到 100 之间的整数"},
		{"no rule", func(f url.Values) { f.Del("team_rule") }, "team_rule", "请选择团体计分方式"},
		{"no questions", func(f url.Values) { f.Set("final_single", "0"); f.Set("final_truefalse", "") }, "final_questions", "单选题和判断题至少一道"},
		{"too long", func(f url.Values) { f.Set("final_seconds", "3") }, "final_questions", "决赛每题作答时间（秒）应为 5 到 600 之间的整数"},
		{"no points", func(f url.Values) { f.Set("final_points", "0") }, "final_questions", "决赛每题分值应大于 0、不超过 100"},
		{"too many", func(f url.Values) { f.Set("final_single", "80"); f.Set("final_truefalse", "80") }, "final_questions", "决赛题目最多 100 道"},
	} {
		f := ctForm(title, rounds, 2, individual, teamPrizes, true)
		tc.edit(f)
		resp, body := oc.post("/contests", f)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tc.msg) || !strings.Contains(body, `href="#f-`+tc.field+`"`) || !strings.Contains(body, `id="f-`+tc.field+`"`) {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, firstError(body))
			continue
		}
		if tc.name != "no rounds" && (!strings.Contains(body, `value="初赛第一轮"`) || !strings.Contains(body, `value="`+r1.ID.String()+`" checked`)) {
			t.Errorf("%s: the form lost the rounds typed", tc.name)
		}
		if !strings.Contains(body, "面向全区国家工作人员。") {
			t.Errorf("%s: the form lost the intro", tc.name)
		}
	}
	if cs, _ := e.db.FindContests(ctx, root.Path); len(cs) != len(before) {
		t.Fatalf("refused forms stored %d contests", len(cs)-len(before))
	}

	// Created: the rounds in the order their exams open, three questions
	// of the bank's single-choice and true/false ones for the final.
	resp, body = oc.post("/contests", ctForm(title, rounds, 2, individual, teamPrizes, true))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", resp.StatusCode, firstError(body))
	}
	cs, err := e.db.FindContests(ctx, root.Path)
	must(err)
	if len(cs) != len(before)+1 || cs[0].Title != title {
		t.Fatalf("%d contests, the newest %q", len(cs), cs[0].Title)
	}
	c := cs[0]
	if loc := resp.Header.Get("Location"); loc != "/contests/"+c.ID.String() {
		t.Errorf("created, sent to %s", loc)
	}
	if c.Title != title || c.Year != 2026 || len(c.Rounds) != 2 || c.Rounds[0] != (contest.Round{Title: "初赛第一轮", ExamID: r1.ID}) || c.Rounds[1] != (contest.Round{ExamID: r2.ID}) ||
		c.Team != (contest.TeamRule{Kind: contest.BestN, N: 2}) || len(c.Awards.Individual) != 3 || c.Awards.Team[1] != (contest.Prize{Name: "二等奖", Count: 1}) ||
		c.Final == nil || c.Final.Title != "现场决赛" || len(c.Final.Questions) != 3 || len(c.Final.Finalists) != 0 {
		t.Fatalf("stored %+v final %+v", c, c.Final)
	}
	drawn := func(c *contest.Contest) []app.ID {
		t.Helper()
		var ids []app.ID
		for i, q := range c.Final.Questions {
			stored, err := e.db.FindQuestionByID(ctx, q.QuestionID)
			must(err)
			want := question.Single
			if i == 2 {
				want = question.TrueFalse
			}
			if stored.Type != want || q.Points != 10 || q.Seconds != 20 || slices.Contains(ids, q.QuestionID) {
				t.Fatalf("final question %d: %s %+v", i+1, stored.Type, q)
			}
			ids = append(ids, q.QuestionID)
		}
		return ids
	}
	firstDraw := drawn(c)
	cid := c.ID.String()
	if _, body := oc.get("/contests"); !strings.Contains(body, title) || !strings.Contains(body, "初赛进行中") || !strings.Contains(body, "3 题 · 0 名选手") {
		t.Errorf("list lacks the contest: %s", body)
	}

	// The overview against the test's own rankings.
	check := func(stage string, n int, teamPrizesHere bool, texts ...string) ([]*ctPerson, []*ctTeam) {
		t.Helper()
		people, teams := w.rank(n, individual, teamPrizes, teamPrizesHere)
		resp, body := oc.get("/contests/" + cid)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: overview %d %s", stage, resp.StatusCode, firstError(body))
		}
		got := map[string][]string{}
		for _, row := range ctTable(t, body, "ct-teams") {
			got[row[1]] = row
		}
		if len(got) != len(teams) {
			t.Errorf("%s: %d teams, want %d", stage, len(got), len(teams))
		}
		for _, tm := range teams {
			rank := strconv.Itoa(tm.rank)
			if tm.rank == 0 {
				rank = "—"
			}
			want := []string{rank, tm.name, ctNum(tm.score), fmt.Sprintf("%d / %d", tm.took(), tm.expected), ctRate(tm.took(), tm.expected)}
			if teamPrizesHere {
				want = append(want, tm.award)
			}
			if g := got[tm.name]; strings.Join(g, "|") != strings.Join(want, "|") {
				t.Errorf("%s: team %s\n got %q\nwant %q", stage, tm.name, g, want)
			}
		}
		rows := ctTable(t, body, "ct-people")
		if len(rows) != len(people) {
			t.Fatalf("%s: %d people, want %d", stage, len(rows), len(people))
		}
		byName := map[string][]string{}
		for _, row := range rows {
			byName[row[1]] = row
		}
		for _, p := range people {
			unit := p.team.name
			if p.orgPath != p.team.key { // a community under its subdistrict
				unit += " " + p.org
			}
			want := []string{strconv.Itoa(p.rank), p.name, unit}
			for _, x := range p.scores {
				if x < 0 {
					want = append(want, "—")
				} else {
					want = append(want, ctNum(x))
				}
			}
			want = append(want, ctNum(p.total), ctDur(p.took), p.award)
			if p.award != "" {
				want = append(want, "证书")
			} else {
				want = append(want, "")
			}
			if g := byName[p.name]; strings.Join(g, "|") != strings.Join(want, "|") {
				t.Errorf("%s: %s\n got %q\nwant %q", stage, p.name, g, want)
			}
		}
		for _, s := range append(texts, "共 10 人参赛", "第 2 轮", "/exams/"+r1.ID.String()+"/results", "/exams/"+r2.ID.String()+"/results") {
			if !strings.Contains(body, s) {
				t.Errorf("%s: overview lacks %q", stage, s)
			}
		}
		return people, teams
	}
	people, _ := check("best 2", 2, false, contest.TeamRule{Kind: contest.BestN, N: 2}.Label(), "初赛第一轮", "团体奖项（一等奖 1 名、二等奖 1 名、三等奖 2 名）按决赛排名评定")
	if people[0].rank != 1 || people[1].rank != 1 || people[0].award != "一等奖" || people[1].award != "一等奖" || w.people["chenjing"].rank != 3 || w.people["yangli"].rank != 4 {
		t.Fatalf("the test's own ranking is not what the scores say: %+v %+v", people[0], people[1])
	}
	// With a final, team prizes wait for it.
	if resp, body := oc.get("/contests/" + cid + "/certificates?kind=team"); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "决赛结束后才能打印团体证书") {
		t.Errorf("team certificates before the final: %d", resp.StatusCode)
	}

	// Editing: the drawn questions stay unless a redraw is asked for; a
	// new count without one is refused; the rule changes the ranking.
	resp, body = oc.get("/contests/" + cid + "/edit")
	if resp.StatusCode != 200 || !strings.Contains(body, `value="`+title+`"`) || !strings.Contains(body, `value="`+r1.ID.String()+`" checked`) ||
		!strings.Contains(body, "查看已抽取的 3 道题") || !strings.Contains(body, `name="final_single" value="2"`) {
		t.Fatalf("edit form: %d %s", resp.StatusCode, firstError(body))
	}
	upd := ctForm(title, rounds, 0, individual, teamPrizes, true)
	upd.Set("revision", ctRevision(t, e, ctParseID(t, cid)))
	if resp, body := oc.post("/contests/"+cid, upd); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d %s", resp.StatusCode, firstError(body))
	}
	c, err = e.db.FindContestByID(ctx, c.ID)
	must(err)
	if c.Team.Kind != contest.Participation || !slices.Equal(drawn(c), firstDraw) {
		t.Fatalf("after update: %+v", c)
	}
	// A form opened before that save (another tab, another person) is
	// refused whole, with what it typed kept on the form.
	stale := ctForm(title+"（旧页面）", rounds, 2, individual, teamPrizes, true)
	stale.Set("revision", strconv.Itoa(c.Revision-1))
	if resp, body := oc.post("/contests/"+cid, stale); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "已被他人修改") || !strings.Contains(body, `value="`+title+`（旧页面）"`) {
		t.Fatalf("a stale form: %d %s", resp.StatusCode, firstError(body))
	}
	if got, _ := e.db.FindContestByID(ctx, c.ID); got.Title != title || got.Revision != c.Revision || got.Team.Kind != contest.Participation {
		t.Fatalf("a stale form changed the contest: %+v", got)
	}
	upd.Set("final_single", "4")
	upd.Set("revision", ctRevision(t, e, ctParseID(t, cid)))
	if resp, body := oc.post("/contests/"+cid, upd); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "请勾选“重新抽题”") {
		t.Fatalf("new count without a redraw: %d %s", resp.StatusCode, firstError(body))
	}
	upd.Set("final_single", "2")
	upd.Set("final_redraw", "1")
	upd.Set("revision", ctRevision(t, e, ctParseID(t, cid)))
	if resp, body := oc.post("/contests/"+cid, upd); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("redraw: %d %s", resp.StatusCode, firstError(body))
	}
	c, err = e.db.FindContestByID(ctx, c.ID)
	must(err)
	drawn(c)
	_, teams := check("participation", 0, false, contest.TeamRule{Kind: contest.Participation}.Label())

	// Finalists: the best two units by the ranking, two members each.
	if resp, body := oc.post("/contests/"+cid+"/finalists", url.Values{"teams": {""}, "per_team": {"2"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "请填写进入决赛的代表队数") ||
		!strings.Contains(body, `href="#f-finalists"`) {
		t.Fatalf("no team count: %d %s", resp.StatusCode, firstError(body))
	}
	if resp, body := oc.post("/contests/"+cid+"/finalists", url.Values{"teams": {"2"}, "per_team": {"2"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("finalists: %d %s", resp.StatusCode, firstError(body))
	}
	var want []contest.Finalist
	for _, tm := range teams[:2] {
		n := 0
		for _, p := range people {
			if p.team == tm && n < 2 {
				want = append(want, contest.Finalist{UserID: p.id, Name: p.name, Team: tm.key, TeamName: tm.name})
				tm.finalistsByName = append(tm.finalistsByName, p.name)
				n++
			}
		}
	}
	c, err = e.db.FindContestByID(ctx, c.ID)
	must(err)
	if !slices.Equal(c.Final.Finalists, want) {
		t.Fatalf("finalists\n got %+v\nwant %+v", c.Final.Finalists, want)
	}
	_, body = oc.get("/contests/" + cid)
	for _, s := range []string{"/contests/" + cid + "/live/host", "/contests/" + cid + "/live/screen", fmt.Sprintf("2 支代表队，共 %d 人", len(want)), teams[0].name, "陈静、杨丽", "重新选出决赛选手"} {
		if !strings.Contains(body, s) {
			t.Errorf("final section lacks %q", s)
		}
	}

	// The final, run through the store as the host's console does: 罗明
	// answers all three right, 陈静 the first and 杨丽 the second.
	right := map[string][]int{"luoming": {1, 2, 3}, "chenjing": {1}, "yangli": {2}}
	for range c.Final.Questions {
		steps, _, err := e.db.FindLive(ctx, c.ID)
		must(err)
		st, err := c.Final.Next(steps, e.clock.Now())
		must(err)
		must(e.db.OpenStep(office, c.ID, st))
		for _, f := range c.Final.Finalists {
			p := w.people[e.accountLogin(f.UserID)]
			ok := slices.Contains(right[p.login], st.No)
			a := contest.LiveAnswer{No: st.No, UserID: f.UserID, Given: []string{"A"}, At: st.OpenedAt.Add(3 * time.Second), Correct: ok}
			if ok {
				a.Points = 10
				p.team.finalPts += 10
				p.team.finalRight++
				p.team.finalTime += 3 * time.Second
			}
			must(e.db.SaveLiveAnswer(ctx, c.ID, a))
		}
		e.clock.Advance(25 * time.Second)
		steps, _, err = e.db.FindLive(ctx, c.ID)
		must(err)
		rv, err := contest.Reveal(steps, e.clock.Now())
		must(err)
		must(e.db.RevealStep(office, c.ID, rv.No, rv.RevealedAt))
	}
	finalists := []*ctTeam{teams[0], teams[1]}
	slices.SortFunc(finalists, func(a, b *ctTeam) int { return cmp.Compare(b.finalPts, a.finalPts) })
	for i, tm := range finalists {
		tm.finalRank, tm.finalAward = i+1, ctAward(teamPrizes, i+1)
	}
	resp, body = oc.get("/contests/" + cid)
	if resp.StatusCode != 200 || !strings.Contains(body, "决赛结束") || !strings.Contains(body, "/live/screen?replay=1") || strings.Contains(body, `action="/contests/`+cid+`/finalists"`) {
		t.Fatalf("after the final: %d %s", resp.StatusCode, firstError(body))
	}
	board := ctTable(t, body, "ct-board")
	if len(board) != 2 {
		t.Fatalf("final board %v", board)
	}
	for i, tm := range finalists {
		want := []string{strconv.Itoa(tm.finalRank), tm.name, ctNum(tm.finalPts), strconv.Itoa(tm.finalRight), ctDur(tm.finalTime), tm.finalAward, "证书"}
		if strings.Join(board[i], "|") != strings.Join(want, "|") {
			t.Errorf("final line %d\n got %q\nwant %q", i+1, board[i], want)
		}
	}
	// Once the final has begun its finalists and questions stay.
	if resp, body := oc.post("/contests/"+cid+"/finalists", url.Values{"teams": {"1"}, "per_team": {"1"}}); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "决赛已经开始，不能再修改决赛题目和选手") {
		t.Errorf("finalists after the final began: %d %s", resp.StatusCode, firstError(body))
	}
	upd.Set("title", title+"（修订）")
	upd.Set("revision", ctRevision(t, e, ctParseID(t, cid)))
	if resp, body := oc.post("/contests/"+cid, upd); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "决赛已经开始，不能重新抽题") {
		t.Errorf("redraw after the final began: %d %s", resp.StatusCode, firstError(body))
	}
	upd.Del("final_redraw")
	upd.Set("revision", ctRevision(t, e, ctParseID(t, cid)))
	if resp, body := oc.post("/contests/"+cid, upd); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("retitled after the final: %d %s", resp.StatusCode, firstError(body))
	}
	if got, _ := e.db.FindContestByID(ctx, c.ID); got.Title != title+"（修订）" || !slices.Equal(got.Final.Finalists, want) {
		t.Errorf("retitled %+v", got)
	}

	// The export: the page's rankings, everyone, numbers as numbers.
	resp, raw := oc.post("/contests/"+cid+"/export", nil)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("export: %d %s", resp.StatusCode, firstError(raw))
	}
	xf, err := excelize.OpenReader(strings.NewReader(raw))
	must(err)
	defer xf.Close()
	if sheets := strings.Join(xf.GetSheetList(), ","); sheets != "个人排名,团体排名,决赛" {
		t.Fatalf("sheets %s", sheets)
	}
	rows, _ := xf.GetRows("个人排名", excelize.Options{RawCellValue: true})
	if strings.Join(rows[0], ",") != "名次,姓名,账号,代表单位,所在组织,初赛第一轮,第 2 轮,总分,参赛轮数,用时（秒）,奖项" || len(rows) != 1+len(people) {
		t.Fatalf("个人排名: %v, %d rows", rows[0], len(rows))
	}
	num := func(s string) float64 { x, _ := strconv.ParseFloat(s, 64); return x }
	for _, r := range rows[1:] {
		for len(r) < 11 {
			r = append(r, "")
		}
		p := w.people[r[2]]
		if p == nil {
			t.Errorf("个人排名: unknown %v", r)
			continue
		}
		sat := 0
		for i, x := range p.scores {
			if (x < 0 && r[5+i] != "") || (x >= 0 && num(r[5+i]) != x) {
				t.Errorf("个人排名 %s round %d: %q, want %v", p.name, i+1, r[5+i], x)
			}
			if x >= 0 {
				sat++
			}
		}
		if r[0] != strconv.Itoa(p.rank) || r[1] != p.name || r[3] != p.team.name || r[4] != p.org || num(r[7]) != p.total || r[8] != strconv.Itoa(sat) ||
			r[9] != strconv.Itoa(int(p.took/time.Second)) || r[10] != p.award {
			t.Errorf("个人排名 %v, want %+v", r, p)
		}
	}
	rows, _ = xf.GetRows("团体排名", excelize.Options{RawCellValue: true})
	if len(rows) != 1+len(teams) {
		t.Fatalf("团体排名 %d rows", len(rows))
	}
	for i, r := range rows[1:] {
		for len(r) < 8 {
			r = append(r, "")
		}
		tm := teams[i]
		rank := strconv.Itoa(tm.rank)
		if tm.rank == 0 {
			rank = "无人参赛"
		}
		if r[0] != rank || r[1] != tm.name || num(r[2]) != tm.score || r[3] != strconv.Itoa(tm.took()) || r[4] != strconv.Itoa(tm.expected) ||
			math.Abs(num(r[5])-float64(tm.took())/float64(max(1, tm.expected))) > 1e-9 || num(r[6]) != tm.best || r[7] != "" {
			t.Errorf("团体排名 line %d: %v, want %+v", i+1, r, tm)
		}
	}
	rows, _ = xf.GetRows("决赛", excelize.Options{RawCellValue: true})
	if len(rows) != 3 {
		t.Fatalf("决赛 %v", rows)
	}
	for i, tm := range finalists {
		r := rows[i+1]
		if r[0] != strconv.Itoa(tm.finalRank) || r[1] != tm.name || num(r[2]) != tm.finalPts || r[3] != strconv.Itoa(tm.finalRight) ||
			r[4] != strconv.Itoa(int(tm.finalTime/time.Second)) || r[5] != tm.finalAward || r[6] != strings.Join(tm.finalistsByName, "、") {
			t.Errorf("决赛 line %d: %v, want %+v", i+1, r, tm)
		}
	}

	// Certificates: everyone with a prize, one per page; one alone.
	resp, body = oc.get("/contests/" + cid + "/certificates?kind=person&date=2026-12-04")
	var awarded []*ctPerson
	for _, p := range people {
		if p.award != "" {
			awarded = append(awarded, p)
		}
	}
	if resp.StatusCode != 200 || strings.Count(body, `<p class="cert-title">荣誉证书</p>`) != len(awarded) || !strings.Contains(body, "2026年12月4日") ||
		!strings.Contains(body, "临江区全面依法治区委员会守法普法协调小组办公室") {
		t.Fatalf("person certificates: %d, %d of %d", resp.StatusCode, strings.Count(body, `class="cert-title"`), len(awarded))
	}
	for _, p := range awarded {
		if !strings.Contains(body, `<span class="cert-name">`+p.name+`</span>同志：`) || !strings.Contains(body, "荣获个人<strong>"+p.award+"</strong>") {
			t.Errorf("no certificate for %s (%s)", p.name, p.award)
		}
	}
	resp, body = oc.get("/contests/" + cid + "/certificates?kind=person&user=" + w.people["chenjing"].id.String())
	if resp.StatusCode != 200 || strings.Count(body, `class="cert-title"`) != 1 || !strings.Contains(body, "陈静") || !strings.Contains(body, "工作单位：区司法局") {
		t.Errorf("one certificate: %d", resp.StatusCode)
	}
	resp, body = oc.get("/contests/" + cid + "/certificates?kind=team")
	if resp.StatusCode != 200 || strings.Count(body, `class="cert-title"`) != 2 || !strings.Contains(body, finalists[0].name+"</span>：") || !strings.Contains(body, "荣获团体<strong>一等奖</strong>") {
		t.Errorf("team certificates after the final: %d %s", resp.StatusCode, firstError(body))
	}

	// A contest without a final gives the team prizes by the
	// preliminaries.
	resp, body = oc.post("/contests", ctForm("2026年度民法典知识竞赛", map[app.ID]string{r1.ID: "", r2.ID: ""}, 2, individual, teamPrizes, false))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create without a final: %d %s", resp.StatusCode, firstError(body))
	}
	cid = strings.TrimPrefix(resp.Header.Get("Location"), "/contests/")
	c, err = e.db.FindContestByID(ctx, ctParseID(t, cid))
	must(err)
	if c.Final != nil {
		t.Fatalf("final %+v", c.Final)
	}
	_, teams = check("no final", 2, true, "第 1 轮", "团体奖项：一等奖 1 名")
	resp, body = oc.get("/contests/" + cid + "/certificates?kind=team")
	if n := slices.IndexFunc(teams, func(t *ctTeam) bool { return t.award == "" }); resp.StatusCode != 200 || strings.Count(body, `class="cert-title"`) != n || !strings.Contains(body, teams[0].name) {
		t.Errorf("team certificates without a final: %d, want %d", strings.Count(body, `class="cert-title"`), n)
	}
	if _, body := oc.get("/contests/" + cid); !strings.Contains(body, "本竞赛不设现场决赛") {
		t.Error("the overview of a contest without a final")
	}
	if resp, _ := oc.post("/contests/"+cid+"/finalists", url.Values{"teams": {"2"}, "per_team": {"2"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("finalists without a final: %d", resp.StatusCode)
	}

	// Who else may look: a unit's liaison may not; another region's office
	// neither, and does not list it; an unknown contest is not found.
	lc := e.client()
	lc.login("liaison.gaj", e.accounts["liaison.gaj"].Password)
	for _, p := range []string{"/contests", "/contests/new", "/contests/" + cid, "/contests/" + cid + "/edit", "/contests/" + cid + "/certificates"} {
		if resp, _ := lc.get(p); resp.StatusCode != http.StatusForbidden {
			t.Errorf("liaison GET %s = %d, want 403", p, resp.StatusCode)
		}
	}
	if resp, _ := lc.post("/contests/"+cid+"/export", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("liaison exports: %d", resp.StatusCode)
	}
	jb := e.mustUser("luoming")
	other := &account.User{Login: "office.jb", Name: "街道普法办", OrgID: jb.OrgID, Roles: []string{account.RoleOffice}, PasswordHash: jb.PasswordHash}
	must(e.db.CreateUser(ctx, other))
	xc := e.client()
	xc.login("office.jb", e.accounts["luoming"].Password)
	for _, p := range []string{"/contests/" + cid, "/contests/" + cid + "/edit", "/contests/" + cid + "/certificates?kind=person"} {
		if resp, _ := xc.get(p); resp.StatusCode != http.StatusForbidden {
			t.Errorf("another region's office GET %s = %d, want 403", p, resp.StatusCode)
		}
	}
	if resp, _ := xc.post("/contests/"+cid, ctForm("改名", rounds, 2, nil, nil, false)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another region's office edits: %d", resp.StatusCode)
	}
	if resp, body := xc.get("/contests"); resp.StatusCode != 200 || strings.Contains(body, "民法典知识竞赛") {
		t.Errorf("another region's office lists the district's contests: %d", resp.StatusCode)
	}
	// Its own contest may not take the district's exams as rounds.
	if resp, body := xc.post("/contests", ctForm("街道知识竞赛", rounds, 2, nil, nil, false)); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "所选的考试不在本区域") {
		t.Errorf("another region's office takes the district's exams: %d %s", resp.StatusCode, firstError(body))
	}
	if resp, _ := oc.get("/contests/987654321"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown contest: %d", resp.StatusCode)
	}
}

// TestContestAdmin_drawShort refuses a final the bank cannot fill, with
// what the bank holds.
func TestContestAdmin_drawShort(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	root := &org.Org{Kind: org.KindRegion, Name: "小区县", Code: "330199"}
	must(e.db.CreateOrg(ctx, root))
	hash, err := password.FastForTests().Hash(ctx, "Contest-Pass-42")
	must(err)
	u := &account.User{Login: "office.small", Name: "普法办", OrgID: root.ID, Roles: []string{account.RoleOffice}, PasswordHash: hash}
	must(e.db.CreateUser(ctx, u))
	office := app.WithActor(ctx, &app.Actor{UserID: u.ID, Login: u.Login, Roles: u.Roles, OrgID: root.ID, OrgPath: root.Path})
	_, err = e.db.ImportQuestions(office, root.ID, []*question.Stored{
		{Question: question.Question{Type: question.Single, Stem: "我国的根本大法是（ ）", Options: []question.Option{{Label: "A", Text: "宪法"}, {Label: "B", Text: "刑法"}}, Answer: []string{"A"}}},
		{Question: question.Question{Type: question.TrueFalse, Stem: "宪法是国家的根本法。", Answer: []string{question.True}}},
	})
	must(err)
	ex := &exam.Exam{OrgID: root.ID, Title: "初赛", Year: 2026,
		Window:  exam.Window{Opens: time.Now().Add(-time.Hour), Closes: time.Now().Add(time.Hour), Duration: time.Hour},
		Rules:   exam.Rules{Picks: []exam.Pick{{Type: question.Single, Count: 1, Points: 100}}},
		Sitters: exam.Sitters{OrgPath: root.Path, Roles: []string{account.RoleExaminee}}}
	must(e.db.CreateExam(office, ex))
	c := e.client()
	c.login("office.small", "Contest-Pass-42")
	f := ctForm("小竞赛", map[app.ID]string{ex.ID: ""}, 2, nil, nil, true)
	resp, body := c.post("/contests", f)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "决赛抽题：单选题需要 2 题，题库只有 1 题") || !strings.Contains(body, `href="#f-final_questions"`) {
		t.Fatalf("short bank: %d %s", resp.StatusCode, firstError(body))
	}
	f.Set("final_single", "1")
	if resp, body := c.post("/contests", f); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a bank that fills it: %d %s", resp.StatusCode, firstError(body))
	}
}

func ctParseID(t *testing.T, s string) app.ID {
	t.Helper()
	id, err := app.ParseID("id", s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// accountLogin finds the login of a user.
func (e *env) accountLogin(id app.ID) string {
	e.t.Helper()
	u, err := e.db.FindUserByID(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.Login
}

// ctRevision is the contest's stored revision, as its edit form carries it.
func ctRevision(t *testing.T, e *env, id app.ID) string {
	c, err := e.db.FindContestByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(c.Revision)
}
