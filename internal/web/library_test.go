package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"pufa/internal/app"
	"pufa/internal/law"
	"pufa/internal/question"
)

const testLaw = `中华人民共和国测试条例
（2024年1月1日国务院令第1号公布　自2024年3月1日起施行）
第一章　总则
第一条　为了规范测试工作，制定本条例。
第二条　测试应当遵循公开、公平、公正的原则。
第二章　附则
第三条　本条例自2024年3月1日起施行。
`

const testBank = `一、单项选择题（共2题，每题1分）
1. 测试应当遵循公开、公平、（ ）的原则。
A. 公正  B. 效率  C. 便民  D. 诚信
答案：A
解析：依据《测试条例》第二条：“测试应当遵循公开、公平、公正的原则。”
2. 本条例自（ ）起施行。
A. 2024年1月1日  B. 2024年3月1日  C. 2024年5月1日  D. 2024年7月1日
答案：B
解析：依据《测试条例》第三条。
二、判断题（共2题，每题1分）
1. 测试可以不公开进行。（ ）
答案：×
解析：依据《测试条例》第二条，测试应当公开。
2. 本条例由国务院制定。（ ）
`

var keyInput = regexp.MustCompile(`name="key" value="([^"]+)"`)

// TestLibraryFlow: the office imports a law with a preview and a bank of
// questions with a preview that shows the missing answer and links each
// question to the article it cites; a list is made from article ranges;
// an official reads, practises, gets one wrong into the mistake book and
// out of it, and the office sees the unit's progress.
func TestLibraryFlow(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	office := e.client()
	office.login("office1", e.accounts["office1"].Password)

	resp, body := office.upload("/laws/preview", "测试条例.txt", []byte(testLaw))
	if resp.StatusCode != 200 || !strings.Contains(body, "共 3 条") {
		t.Fatalf("law preview = %d: %s", resp.StatusCode, firstError(body))
	}
	key := keyInput.FindStringSubmatch(body)[1]
	resp, body = office.post("/laws", url.Values{"key": {key}, "title": {"中华人民共和国测试条例"}, "category": {string(law.CategoryAdministrativeRegulation)},
		"status": {string(law.StatusInForce)}, "issuer": {"国务院"}, "promulgated": {"2024-01-01"}, "effective": {"2024-03-01"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save law = %d: %s", resp.StatusCode, firstError(body))
	}
	lawPath := resp.Header.Get("Location")
	lawID, _ := app.ParseID("id", strings.TrimPrefix(lawPath, "/laws/"))
	stored, err := e.db.FindLawByID(ctx, lawID)
	if err != nil || len(stored.Articles) != 3 || stored.Issuer != "国务院" || stored.Effective.IsZero() {
		t.Fatalf("stored law %+v %v", stored, err)
	}
	if resp, body = office.get("/laws?q=" + url.QueryEscape("公平 公正")); !strings.Contains(body, "第二条") {
		t.Fatalf("article search missed (%d)", resp.StatusCode)
	}

	// The bank: preview with warnings (the last question, without an answer
	// at the very end of the file, reads as cut off and is skipped),
	// links by citation, then import; importing again adds nothing.
	resp, body = office.upload("/questions/import", "测试题库.txt", []byte(testBank))
	if resp.StatusCode != 200 || !strings.Contains(body, "将新增 <strong>3</strong> 题") || !strings.Contains(body, "1 题不完整（跳过）") || !strings.Contains(body, "题目在文本末尾被截断") || !strings.Contains(body, "3 题已按解析关联到法条") {
		t.Fatalf("bank preview = %d: %s", resp.StatusCode, firstError(body))
	}
	bkey := keyInput.FindStringSubmatch(body)[1]
	if resp, body = office.post("/questions/import/commit", url.Values{"key": {bkey}, "name": {"测试题库.txt"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("commit = %d: %s", resp.StatusCode, firstError(body))
	}
	qs, _, _ := e.db.FindQuestions(ctx, question.Filter{OrgPath: "/", LawID: lawID})
	if len(qs) != 3 {
		t.Fatalf("%d questions linked to the law", len(qs))
	}
	resp, body = office.upload("/questions/import", "测试题库.txt", []byte(testBank))
	if !strings.Contains(body, "将新增 <strong>0</strong> 题") {
		t.Fatalf("re-import preview does not see the duplicates: %s", regexp.MustCompile(`(?s)<p class="summary">.*?</p>`).FindString(body))
	}

	// The template the page offers imports as it is, one question a type.
	resp, tmpl := office.get("/questions/template.xlsx")
	if resp.StatusCode != 200 {
		t.Fatalf("template = %d", resp.StatusCode)
	}
	if resp, body = office.upload("/questions/import", "题库导入模板.xlsx", []byte(tmpl)); resp.StatusCode != 200 || !strings.Contains(body, "将新增 <strong>5</strong> 题") {
		t.Fatalf("template import = %d: %s", resp.StatusCode, regexp.MustCompile(`(?s)<p class="summary">.*?</p>`).FindString(body)+firstError(body))
	}

	// A list from an article range.
	resp, body = office.post("/lists", url.Values{"title": {"测试清单"}, "audience": {"state_employees"}, "year": {"2024"},
		"law_": {lawID.String(), ""}, "articles_": {"第一条至第二条", ""}, "material_": {"重点掌握原则", ""}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("list = %d: %s", resp.StatusCode, firstError(body))
	}
	listPath := resp.Header.Get("Location")
	if resp, body = office.post("/lists", url.Values{"title": {"坏清单"}, "audience": {"state_employees"}, "law_": {lawID.String()}, "articles_": {"第九条"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(firstError(body), "第九条") {
		t.Fatalf("missing article = %d: %s", resp.StatusCode, firstError(body))
	}

	// An official reads article 2, practises from the list.
	zw := e.client()
	zw.login("zhangwei", e.accounts["zhangwei"].Password)
	art2, _ := e.db.FindArticleByLabel(ctx, lawID, "第二条")
	if resp, _ = zw.post("/articles/"+art2.ID.String()+"/read", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("read = %d", resp.StatusCode)
	}
	if _, body = zw.get(listPath); !strings.Contains(body, "已学 1 / 2 条") {
		t.Fatalf("list progress not shown: %s", firstError(body))
	}
	listID := strings.TrimPrefix(listPath, "/lists/")
	before, _ := e.db.FindMistakes(ctx, mustUser(t, e, "zhangwei"))
	// The list's questions are the two that test articles 1–2.
	seen := map[string]bool{}
	var wrongQ string
	for range 20 {
		resp, body = zw.get("/practice/next?list=" + listID)
		m := regexp.MustCompile(`action="/practice/(\d+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no question (%d): %s", resp.StatusCode, firstError(body))
		}
		seen[m[1]] = true
		if wrongQ == "" {
			wrongQ = m[1]
		}
		if len(seen) == 2 {
			break
		}
	}
	if len(seen) != 2 {
		t.Fatalf("practice from the list drew %d distinct questions, want 2", len(seen))
	}
	qid, _ := app.ParseID("id", wrongQ)
	q, _ := e.db.FindQuestionByID(ctx, qid)
	wrong := "B"
	if q.Type == question.TrueFalse {
		wrong = "true"
	}
	resp, body = zw.post("/practice/"+wrongQ, url.Values{"answer": {wrong}, "list": {listID}})
	if resp.StatusCode != 200 || !strings.Contains(body, "回答错误") || !strings.Contains(body, "解析") {
		t.Fatalf("wrong answer = %d: %s", resp.StatusCode, firstError(body))
	}
	after, _ := e.db.FindMistakes(ctx, mustUser(t, e, "zhangwei"))
	if len(after) != len(before)+1 {
		t.Fatalf("mistake book %d → %d", len(before), len(after))
	}
	if _, body = zw.get("/mistakes"); !strings.Contains(body, q.Stem) {
		t.Fatal("the mistake book does not show the question")
	}
	for range 2 {
		if _, body = zw.post("/practice/"+wrongQ, url.Values{"answer": q.Answer, "mistakes": {"1"}}); !strings.Contains(body, "回答正确") {
			t.Fatalf("right answer not marked right: %s", firstError(body))
		}
	}
	if ms, _ := e.db.FindMistakes(ctx, mustUser(t, e, "zhangwei")); len(ms) != len(before) {
		t.Fatalf("two right answers did not clear the mistake: %d", len(ms))
	}
	// The office sees the unit's progress on the list.
	if _, body = office.get(listPath); !strings.Contains(body, "各单位学习情况") || !strings.Contains(body, "区公安分局") {
		t.Fatal("the office sees no per-unit progress")
	}
	// A question from another region's bank cannot be answered.
	if resp, _ = zw.post("/practice/12345", url.Values{"answer": {"A"}}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown question = %d", resp.StatusCode)
	}
}

func mustUser(t *testing.T, e *env, login string) app.ID {
	t.Helper()
	u, err := e.db.FindUserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
