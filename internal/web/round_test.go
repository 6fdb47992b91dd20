package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/upload"
	"pufa/internal/xlsx"
)

var locationID = regexp.MustCompile(`/(schemes|rounds)/(\d+)`)

// idFrom returns the id a redirect points at.
func idFrom(t *testing.T, resp *http.Response) string {
	t.Helper()
	m := locationID.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		t.Fatalf("redirect to %q names no id", resp.Header.Get("Location"))
	}
	return m[2]
}

// sheetForm fills a score sheet form: full marks everywhere, except the
// points given in off taken off direct items, and a note on every item that
// asks for evidence.
func sheetForm(s *assess.Scheme, off map[string]float64) url.Values {
	f := url.Values{"action": {"submit"}, "note": {"工作扎实"}}
	s.Walk(func(ind, _ *assess.Indicator, _ int) {
		c := ind.Code
		switch r := ind.Rule.(type) {
		case assess.Direct:
			f.Set("v_"+c, fmt.Sprint(ind.Max-off[c]))
		case assess.YesNo:
			f.Set("v_"+c, "1")
		case assess.Tiered:
			f.Set("v_"+c, r.Levels[0].Label)
		case assess.Deduction:
			f.Set("v_"+c, "0")
		}
		if ind.EvidenceRequired {
			f.Set("n_"+c, "查阅了台账和活动照片")
		}
	})
	return f
}

// TestRoundFlow runs a duty review through the web: the office builds the
// scheme from the built-in one and publishes it, starts a round with a
// panel, a public rating and an office check, reviewers fill their sheets,
// the public votes once per phone, the office locks and publishes, each
// unit sees only its own result and only after publication, the export
// opens, and a correction needs a second person.
func TestRoundFlow(t *testing.T) {
	e := newEnv(t, envOptions{demo: true, manual: true})
	ctx := context.Background()
	office := e.client()
	office.login("office1", e.accounts["office1"].Password)

	resp, body := office.post("/schemes", url.Values{"template": {"duty"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create scheme = %d: %s", resp.StatusCode, firstError(body))
	}
	schemeID := idFrom(t, resp)
	if resp, body = office.get("/schemes/" + schemeID); resp.StatusCode != 200 || !strings.Contains(body, "普法责任制机制建设") {
		t.Fatalf("scheme page = %d", resp.StatusCode)
	}
	// A round cannot use a draft.
	unit := func(login string) app.ID {
		u, err := e.db.FindUserByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		return u.OrgID
	}
	gaj, jyj, sfj := unit("liaison.gaj"), unit("liaison.jyj"), unit("liaison.sfj")
	roundForm := url.Values{"title": {"2023年度履职评议"}, "period": {"2023年度"}, "scheme": {schemeID},
		"subjects": {gaj.String(), jyj.String(), sfj.String()},
		"on_panel": {"1"}, "weight_panel": {"70"}, "min_panel": {"2"}, "trim_panel": {"1"},
		"on_public": {"1"}, "weight_public": {"30"}, "min_public": {"1"}, "mode_public": {"phone"}, "population_public": {"1000"},
		"on_office": {"1"}, "weight_office": {"0"},
		"excellent": {"90"}, "good": {"80"}, "fair": {"60"}, "quota": {"0"}, "ranked": {"1"}}
	resp, body = office.post("/rounds", roundForm)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "尚未发布") {
		t.Fatalf("round on a draft scheme = %d: %s", resp.StatusCode, firstError(body))
	}
	if resp, body = office.post("/schemes/"+schemeID+"/publish", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish scheme = %d: %s", resp.StatusCode, firstError(body))
	}
	bad := url.Values{}
	for k, v := range roundForm {
		bad[k] = v
	}
	bad.Set("weight_panel", "60") // 60 + 30 ≠ 100
	if resp, body = office.post("/rounds", bad); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "权重合计") {
		t.Fatalf("bad weights = %d: %s", resp.StatusCode, firstError(body))
	}
	resp, body = office.post("/rounds", roundForm)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create round = %d: %s", resp.StatusCode, firstError(body))
	}
	roundID := idFrom(t, resp)
	rid, _ := app.ParseID("id", roundID)
	rd, err := e.db.FindRoundByID(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	panel, public, check := rd.Stages[0], rd.Stages[1], rd.Stages[2]
	sc, _ := e.db.FindSchemeByID(ctx, rd.SchemeID)
	user := func(login string) string {
		u, _ := e.db.FindUserByLogin(ctx, login)
		return u.ID.String()
	}
	for _, f := range []url.Values{
		{"stage": {panel.ID.String()}, "raters": {user("reviewer1"), user("reviewer2")}},
		{"stage": {check.ID.String()}, "raters": {user("office2")}},
	} {
		if resp, body = office.post("/rounds/"+roundID+"/raters", f); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("assign = %d: %s", resp.StatusCode, firstError(body))
		}
	}
	// A liaison cannot be put on the panel by a forged form.
	if resp, _ = office.post("/rounds/"+roundID+"/raters", url.Values{"stage": {panel.ID.String()}, "raters": {user("liaison.gaj")}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("assigning a liaison to the panel = %d", resp.StatusCode)
	}
	if resp, body = office.post("/rounds/"+roundID+"/status", url.Values{"to": {"open"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("open = %d: %s", resp.StatusCode, firstError(body))
	}

	sheetPath := func(st *assess.RoundStage, subject app.ID) string {
		return fmt.Sprintf("/rounds/%s/sheets/%s/%s", roundID, st.ID, subject)
	}
	r1 := e.client()
	r1.login("reviewer1", e.accounts["reviewer1"].Password)
	if resp, body = r1.get("/sheets"); resp.StatusCode != 200 || strings.Count(body, "/sheets/"+panel.ID.String()+"/") != 3 {
		t.Fatalf("reviewer's inbox = %d, want 3 subjects", resp.StatusCode)
	}
	// A draft keeps what was typed; a submit with an item missing is
	// refused naming it, and keeps the draft.
	partial := url.Values{"action": {"save"}, "v_A4": {"5.5"}}
	if resp, body = r1.post(sheetPath(panel, gaj), partial); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save draft = %d: %s", resp.StatusCode, firstError(body))
	}
	if _, body = r1.get(sheetPath(panel, gaj)); !strings.Contains(body, `name="v_A4" id="f-v_A4" value="5.5"`) {
		t.Fatal("the draft's value is not shown again")
	}
	incomplete := sheetForm(sc.Scheme, nil)
	incomplete.Del("v_B2")
	if resp, body = r1.post(sheetPath(panel, gaj), incomplete); resp.StatusCode != http.StatusBadRequest || !strings.Contains(firstError(body), "B2") {
		t.Fatalf("incomplete submit = %d: %s", resp.StatusCode, firstError(body))
	}
	offStep := sheetForm(sc.Scheme, map[string]float64{"A4": 0.3}) // A4 is scored in steps of 0.5
	if resp, body = r1.post(sheetPath(panel, gaj), offStep); resp.StatusCode != http.StatusBadRequest || !strings.Contains(firstError(body), "0.5") {
		t.Fatalf("off-step submit = %d: %s", resp.StatusCode, firstError(body))
	}
	noEvidence := sheetForm(sc.Scheme, nil)
	noEvidence.Del("n_A1")
	if resp, body = r1.post(sheetPath(panel, gaj), noEvidence); resp.StatusCode != http.StatusBadRequest || !strings.Contains(firstError(body), "佐证") {
		t.Fatalf("submit without evidence note = %d: %s", resp.StatusCode, firstError(body))
	}
	r2 := e.client()
	r2.login("reviewer2", e.accounts["reviewer2"].Password)
	// reviewer1 and reviewer2 score gaj 95 and 91, jyj 86 and 84, sfj 78 and 76.
	offs := map[app.ID][2]float64{gaj: {5, 9}, jyj: {14, 16}, sfj: {22, 24}}
	for subject, off := range offs {
		for i, c := range []*client{r1, r2} {
			f := sheetForm(sc.Scheme, map[string]float64{"C2": min(off[i], 8), "C3": min(max(off[i]-8, 0), 8), "E1": max(off[i]-16, 0)})
			if resp, body = c.post(sheetPath(panel, subject), f); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("submit = %d: %s", resp.StatusCode, firstError(body))
			}
		}
	}
	if resp, _ = r1.post(sheetPath(panel, gaj), sheetForm(sc.Scheme, nil)); resp.StatusCode != http.StatusConflict {
		t.Fatalf("changing a submitted sheet = %d, want 409", resp.StatusCode)
	}
	// A rater sees only the subjects assigned to them: a liaison has no
	// sheet, and the reviewer none in the office's check.
	liaison := e.client()
	liaison.login("liaison.gaj", e.accounts["liaison.gaj"].Password)
	if resp, _ = liaison.get(sheetPath(panel, gaj)); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("liaison opening a panel sheet = %d", resp.StatusCode)
	}
	if resp, _ = r1.get(sheetPath(check, gaj)); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("reviewer opening the office's check = %d", resp.StatusCode)
	}
	// No result before publication, own included.
	if resp, _ = liaison.get("/results/" + roundID); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("liaison's result before publication = %d", resp.StatusCode)
	}

	// Public rating: a code per phone, one vote per phone per subject.
	anon := e.client()
	ratePath := "/p/rate/" + public.Public.Key
	if resp, body = anon.get(ratePath); resp.StatusCode != 200 || !strings.Contains(body, "区公安分局") && !strings.Contains(body, "r_"+gaj.String()) {
		t.Fatalf("rating page = %d", resp.StatusCode)
	}
	vote := func(phone string, ratings map[app.ID]string) string {
		t.Helper()
		if resp, body := anon.post(ratePath+"/code", url.Values{"phone": {phone}}); resp.StatusCode != 200 {
			t.Fatalf("code = %d: %s", resp.StatusCode, firstError(body))
		}
		f := url.Values{"phone": {phone}, "code": {e.codes.code(phone)}}
		for id, r := range ratings {
			f.Set("r_"+id.String(), r)
		}
		resp, body := anon.post(ratePath, f)
		if resp.StatusCode != 200 {
			t.Fatalf("vote = %d: %s", resp.StatusCode, firstError(body))
		}
		return body
	}
	if resp, body = anon.post(ratePath+"/code", url.Values{"phone": {"12345"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad phone = %d", resp.StatusCode)
	}
	if body = vote("13812340001", map[app.ID]string{gaj: "5", jyj: "4", sfj: "2"}); !strings.Contains(body, "感谢") {
		t.Fatal("no thanks after voting")
	}
	vote("13812340002", map[app.ID]string{gaj: "5", sfj: "5"})
	e.clock.Advance(2 * time.Minute) // a new code may be asked for after a minute
	if body = vote("13812340001", map[app.ID]string{gaj: "1"}); !strings.Contains(body, "未重复计入") {
		t.Fatal("a second vote from one phone was not refused")
	}
	if resp, body = anon.post(ratePath, url.Values{"phone": {"13812340003"}, "code": {"000000"}, "r_" + gaj.String(): {"5"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(firstError(body), "验证码") {
		t.Fatalf("vote without a code = %d", resp.StatusCode)
	}

	// Lock, preview, publish.
	if resp, _ = office.post("/rounds/"+roundID+"/publish", nil); resp.StatusCode != http.StatusConflict {
		t.Fatalf("publish while open = %d", resp.StatusCode)
	}
	if resp, body = office.post("/rounds/"+roundID+"/status", url.Values{"to": {"locked"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("lock = %d: %s", resp.StatusCode, firstError(body))
	}
	if resp, body = office.get("/rounds/" + roundID + "/results"); resp.StatusCode != 200 || !strings.Contains(body, "结果预览") {
		t.Fatalf("preview = %d", resp.StatusCode)
	}
	if resp, body = office.post("/rounds/"+roundID+"/publish", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish = %d: %s", resp.StatusCode, firstError(body))
	}
	results, err := e.db.FindResults(ctx, rid, 0)
	if err != nil {
		t.Fatal(err)
	}
	// gaj: panel (95+91)/2 = 93, public 2 of 2 satisfied → 100:
	// 93 × 70% + 100 × 30% = 95.1. sfj: panel 77, public 1 of 2 → 50:
	// 77 × 70% + 50 × 30% = 68.9.
	byID := map[app.ID]assess.SubjectResult{}
	for _, r := range results {
		byID[r.SubjectID] = r
	}
	if g := byID[gaj]; g.Total != 95.1 || g.Grade != assess.Excellent || g.Rank != 1 {
		t.Fatalf("gaj result %+v", g)
	}
	if s := byID[sfj]; s.Total != 68.9 || s.Grade != assess.Fair || s.Rank != 3 {
		t.Fatalf("sfj result %+v", s)
	}
	// Each unit sees its own result, and nothing of the others.
	resp, body = liaison.get("/results/" + roundID)
	if resp.StatusCode != 200 || !strings.Contains(body, "95.1") || strings.Contains(body, "68.9") || strings.Contains(body, "孙丽华") {
		t.Fatalf("liaison's own result = %d (must show 95.1, no other unit's total, no rater names)", resp.StatusCode)
	}
	outsider := e.client()
	outsider.login("liaison.scj", e.accounts["liaison.scj"].Password)
	if resp, _ = outsider.get("/results/" + roundID); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a unit not in the round sees results: %d", resp.StatusCode)
	}
	if resp, _ = liaison.get("/rounds/" + roundID + "/results"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a liaison sees the ranking table: %d", resp.StatusCode)
	}

	// The export opens and holds the results and every sheet.
	resp, body = office.get("/rounds/" + roundID + "/export")
	if resp.StatusCode != 200 {
		t.Fatalf("export = %d", resp.StatusCode)
	}
	sheet, err := xlsx.ReadSheetNamed([]byte(body), upload.DefaultSpreadsheet(), 100, "结果")
	if err != nil {
		t.Fatal(err)
	}
	if sheet.Len() != 3 {
		t.Fatalf("export has %d result rows", sheet.Len())
	}
	if row, _ := sheet.Row(0); row[1] == "" || row[2] != "95.1" {
		t.Fatalf("first exported row %v", row)
	}
	sheets, err := xlsx.ReadSheetNamed([]byte(body), upload.DefaultSpreadsheet(), 100, "评分表")
	if err != nil || sheets.Len() != 6 {
		t.Fatalf("exported sheets: %v, %d rows", err, sheets.Len())
	}

	// A correction needs a second person.
	if resp, body = office.post("/rounds/"+roundID+"/corrections", url.Values{"subject": {sfj.String()}, "total": {"72"}, "reason": {"申诉复核：社会评议样本有误"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("propose correction = %d: %s", resp.StatusCode, firstError(body))
	}
	cs, _ := e.db.FindCorrections(ctx, rid)
	if resp, _ = office.post(fmt.Sprintf("/rounds/%s/corrections/%s", roundID, cs[0].ID), url.Values{"decision": {"approve"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("self-approval = %d", resp.StatusCode)
	}
	office2 := e.client()
	office2.login("office2", e.accounts["office2"].Password)
	if resp, body = office2.post(fmt.Sprintf("/rounds/%s/corrections/%s", roundID, cs[0].ID), url.Values{"decision": {"approve"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approval = %d: %s", resp.StatusCode, firstError(body))
	}
	results, _ = e.db.FindResults(ctx, rid, 0)
	first, _ := e.db.FindResults(ctx, rid, 1)
	if results[2].SubjectID != sfj || results[2].Total != 72 || !results[2].Corrected || first[2].Total != 68.9 {
		t.Fatalf("after correction: latest %+v, first %+v", results[2], first[2])
	}
}

// TestRoundSettingsAndVotes: a draft's settings change from its own form
// and keep its raters; a panel split into two groups; once open, weights
// are refused but dates move; invitation links vote once each; a burst of
// votes is flagged and excluded from the office's page.
func TestRoundSettingsAndVotes(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	office := e.client()
	office.login("office1", e.accounts["office1"].Password)
	root, _ := e.db.FindRootOrg(ctx)
	schemes, _ := e.db.FindSchemes(ctx, root.Path)
	unit := func(login string) app.ID {
		u, _ := e.db.FindUserByLogin(ctx, login)
		return u.OrgID
	}
	user := func(login string) string {
		u, _ := e.db.FindUserByLogin(ctx, login)
		return u.ID.String()
	}
	gaj, jyj, sfj, scj := unit("liaison.gaj"), unit("liaison.jyj"), unit("liaison.sfj"), unit("liaison.scj")
	form := url.Values{"title": {"分组评议"}, "scheme": {schemes[0].ID.String()},
		"subjects": {gaj.String(), jyj.String(), sfj.String(), scj.String()},
		"on_panel": {"1"}, "weight_panel": {"70"}, "min_panel": {"2"},
		"on_public": {"1"}, "weight_public": {"30"}, "min_public": {"1"}, "mode_public": {"token"}, "population_public": {"3"},
		"excellent": {"90"}, "good": {"80"}, "fair": {"60"}, "quota": {"0"}}
	resp, body := office.post("/rounds", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d: %s", resp.StatusCode, firstError(body))
	}
	roundID := idFrom(t, resp)
	rid, _ := app.ParseID("id", roundID)
	rd, _ := e.db.FindRoundByID(ctx, rid)
	panel, public := rd.Stages[0], rd.Stages[1]

	// Two groups: reviewers 1 and 2 score gaj and jyj, 3 and 4 the others.
	for _, g := range []url.Values{
		{"stage": {panel.ID.String()}, "raters": {user("reviewer1"), user("reviewer2")}, "subjects": {gaj.String(), jyj.String()}},
		{"stage": {panel.ID.String()}, "raters": {user("reviewer3"), user("reviewer4")}, "subjects": {sfj.String(), scj.String()}},
	} {
		if resp, body = office.post("/rounds/"+roundID+"/raters", g); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("assign group = %d: %s", resp.StatusCode, firstError(body))
		}
	}
	as, _ := e.db.FindAssignments(ctx, rid)
	groups := map[string]int{}
	for _, a := range as {
		groups[a.RaterID.String()+"/"+map[bool]string{true: "A", false: "B"}[a.SubjectID == gaj || a.SubjectID == jyj]]++
	}
	if len(as) != 8 || groups[user("reviewer1")+"/A"] != 2 || groups[user("reviewer3")+"/B"] != 2 {
		t.Fatalf("assignments %v", groups)
	}

	// Draft: the edit form comes back filled; a new weight split saves and
	// the panel keeps its raters and the public stage its address.
	resp, body = office.get("/rounds/" + roundID + "/edit")
	if resp.StatusCode != 200 || !strings.Contains(body, `name="weight_panel" value="70"`) {
		t.Fatalf("edit form = %d", resp.StatusCode)
	}
	form.Set("weight_panel", "60")
	form.Set("weight_public", "40")
	form.Set("title", "分组评议（调整权重）")
	if resp, body = office.post("/rounds/"+roundID, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("update draft = %d: %s", resp.StatusCode, firstError(body))
	}
	rd, _ = e.db.FindRoundByID(ctx, rid)
	if as2, _ := e.db.FindAssignments(ctx, rid); rd.Stages[0].Weight != 60 || rd.Stages[0].ID != panel.ID || rd.Stages[1].Public.Key != public.Public.Key || len(as2) != 8 {
		t.Fatalf("after update: %+v, %d assignments", rd.Stages[0], len(as2))
	}
	if resp, _ = office.post("/rounds/"+roundID+"/status", url.Values{"to": {"open"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("open = %d", resp.StatusCode)
	}
	// Open: weights are fixed, dates are not.
	form.Set("weight_panel", "50")
	form.Set("weight_public", "50")
	if resp, body = office.post("/rounds/"+roundID, form); resp.StatusCode != http.StatusConflict || !strings.Contains(firstError(body), "权重") {
		t.Fatalf("weights while open = %d: %s", resp.StatusCode, firstError(body))
	}
	form.Set("weight_panel", "60")
	form.Set("weight_public", "40")
	form.Set("closes_panel", "2099-12-31T17:00")
	if resp, body = office.post("/rounds/"+roundID, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dates while open = %d: %s", resp.StatusCode, firstError(body))
	}
	if rd, _ = e.db.FindRoundByID(ctx, rid); rd.Stages[0].ClosesAt.In(app.Shanghai).Format("2006-01-02 15:04") != "2099-12-31 17:00" {
		t.Fatalf("closing time %v", rd.Stages[0].ClosesAt)
	}

	// Invitation links: an .xlsx of links, each good for one vote per unit.
	resp, body = office.post("/rounds/"+roundID+"/tokens", url.Values{"stage": {public.ID.String()}, "count": {"25"}, "label": {"窗口服务对象"}})
	if resp.StatusCode != 200 {
		t.Fatalf("tokens = %d: %s", resp.StatusCode, firstError(body))
	}
	links, err := xlsx.ReadSheet([]byte(body), upload.DefaultSpreadsheet(), 100)
	if err != nil || links.Len() != 25 {
		t.Fatalf("links: %v", err)
	}
	anon := e.client()
	var paths []string
	for i := range links.Len() {
		row, _ := links.Row(i)
		u, _ := url.Parse(row[2])
		paths = append(paths, u.RequestURI())
	}
	if resp, body = anon.get(strings.Split(paths[0], "?")[0]); !strings.Contains(body, "凭邀请链接") {
		t.Fatalf("without a token the page must say links are needed: %d", resp.StatusCode)
	}
	vote := func(path string, rating string) string {
		t.Helper()
		u, _ := url.Parse(path)
		resp, body := anon.post(u.Path, url.Values{"t": {u.Query().Get("t")}, "r_" + gaj.String(): {rating}})
		if resp.StatusCode != 200 {
			t.Fatalf("vote = %d: %s", resp.StatusCode, firstError(body))
		}
		return body
	}
	if resp, body = anon.post(strings.Split(paths[0], "?")[0], url.Values{"t": {"forged"}, "r_" + gaj.String(): {"5"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("forged token = %d", resp.StatusCode)
	}
	for _, p := range paths {
		vote(p, "5") // 25 votes at once: above the population of 3, and a burst
	}
	if body = vote(paths[0], "1"); !strings.Contains(body, "未重复计入") {
		t.Fatal("a link voted twice")
	}
	resp, body = office.get("/rounds/" + roundID)
	if resp.StatusCode != 200 || !strings.Contains(body, "超过设定的人口数 3") || !strings.Contains(body, "集中出现") {
		t.Fatalf("round page shows no alarm (%d)", resp.StatusCode)
	}
	votesPath := fmt.Sprintf("/rounds/%s/votes?stage=%s&subject=%s", roundID, public.ID, gaj)
	if resp, body = office.get(votesPath); resp.StatusCode != 200 || strings.Count(body, "可疑") < 25 {
		t.Fatalf("votes page = %d, %d marked", resp.StatusCode, strings.Count(body, "可疑"))
	}
	resp, body = office.post("/rounds/"+roundID+"/votes", url.Values{"stage": {public.ID.String()}, "subject": {gaj.String()}, "suspicious": {"1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("exclude = %d: %s", resp.StatusCode, firstError(body))
	}
	if c, _ := e.db.VoteCounts(ctx, public.ID); c[gaj] != [2]int{0, 25} {
		t.Fatalf("after excluding: %v", c[gaj])
	}
	// Another subject's votes cannot be reached through this subject.
	if resp, _ = office.post("/rounds/"+roundID+"/votes", url.Values{"stage": {public.ID.String()}, "subject": {jyj.String()}, "votes": {"12345"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("excluding an unknown vote = %d", resp.StatusCode)
	}
}

// TestPortalListsOpenRatings: the public portal links the public ratings
// taking votes by phone, and nothing else.
func TestPortalListsOpenRatings(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	root, _ := e.db.FindRootOrg(context.Background())
	rounds, _ := e.db.FindRounds(context.Background(), root.Path)
	var open, closed string
	for _, r := range rounds {
		full, _ := e.db.FindRoundByID(context.Background(), r.ID)
		for _, st := range full.Stages {
			if st.Kind == assess.StagePublic {
				if full.Status == assess.RoundOpen {
					open = st.Public.Key
				} else {
					closed = st.Public.Key
				}
			}
		}
	}
	_, body := e.client().get("/p")
	if !strings.Contains(body, "/p/rate/"+open) || strings.Contains(body, "/p/rate/"+closed) {
		t.Fatalf("portal links: open %v, closed %v", strings.Contains(body, open), strings.Contains(body, closed))
	}
}

// TestCircular: after publication the office saves the circular and
// downloads it as a .docx whose text holds every subject's grade; the
// public results page lists the grades; before publication there is none.
func TestCircular(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	root, _ := e.db.FindRootOrg(ctx)
	rounds, _ := e.db.FindRounds(ctx, root.Path)
	var published, open *assess.Round
	for _, r := range rounds {
		if r.Status == assess.RoundPublished {
			published = r
		} else {
			open = r
		}
	}
	office := e.client()
	office.login("office1", e.accounts["office1"].Password)
	if resp, _ := office.get("/rounds/" + open.ID.String() + "/circular"); resp.StatusCode != http.StatusConflict {
		t.Fatalf("circular of an open round = %d", resp.StatusCode)
	}
	base := "/rounds/" + published.ID.String() + "/circular"
	resp, body := office.get(base)
	if resp.StatusCode != 200 || !strings.Contains(body, "现将结果通报如下") {
		t.Fatalf("circular draft = %d", resp.StatusCode)
	}
	form := editorForm(strings.Replace(body, `class="panel no-print"`, `class="scheme-editor"`, 1))
	form.Set("doc_number", "临普法办〔2024〕3号")
	form.Set("body", "经评议，现将结果通报如下：")
	form.Set("after", "希望各单位认真整改。")
	if resp, body = office.post(base, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d: %s", resp.StatusCode, firstError(body))
	}
	resp, docx := office.get(base + ".docx")
	if resp.StatusCode != 200 || !strings.HasPrefix(docx, "PK") {
		t.Fatalf("docx = %d", resp.StatusCode)
	}
	text := docxText(t, []byte(docx))
	results, _ := e.db.FindResults(ctx, published.ID, 0)
	for _, r := range results {
		if !strings.Contains(text, r.Name) || !strings.Contains(text, r.Grade) {
			t.Fatalf("the circular lacks %s %s", r.Name, r.Grade)
		}
	}
	if !strings.Contains(text, "临普法办〔2024〕3号") || !strings.Contains(text, "希望各单位认真整改") {
		t.Fatal("the circular lacks its number")
	}
	_, body = e.client().get("/p/results/" + published.ID.String())
	if !strings.Contains(body, results[0].Name) || !strings.Contains(body, "临普法办〔2024〕3号") {
		t.Fatal("the public results page")
	}
	if resp, _ = e.client().get("/p/results/" + open.ID.String()); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("public results of an open round = %d", resp.StatusCode)
	}
}

// docxText is the text of a .docx's document part.
func docxText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		var b strings.Builder
		dec := xml.NewDecoder(rc)
		inText := false
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			switch v := tok.(type) {
			case xml.StartElement:
				inText = v.Name.Local == "t"
			case xml.EndElement:
				inText = false
			case xml.CharData:
				if inText {
					b.Write(v)
				}
			}
		}
		return b.String()
	}
	t.Fatal("no word/document.xml")
	return ""
}

// TestWorkbenchTimeline: the timeline of a review under way shows on the
// workbench of its raters and of its subjects' liaisons, with the phase
// under way marked; a unit not in it sees none.
func TestWorkbenchTimeline(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	for login, want := range map[string]bool{"reviewer1": true, "liaison.gaj": true, "liaison.qsc": false} {
		c := e.client()
		c.login(login, e.accounts[login].Password)
		_, body := c.get("/")
		has := strings.Contains(body, "考评日程") && strings.Contains(body, `class="current"`) && strings.Contains(body, "履职报告会")
		if has != want {
			t.Errorf("%s's workbench shows the timeline: %v, want %v", login, has, want)
		}
	}
}

// TestRoster: the office keeps who each reviewer is; the round page shows
// the panel's kinds; a person who is not a reviewer cannot be entered.
func TestRoster(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	office := e.client()
	office.login("office1", e.accounts["office1"].Password)
	_, body := office.get("/rounds/roster")
	if !strings.Contains(body, "区人大常委会") {
		t.Fatal("the demo roster is not shown")
	}
	r1, _ := e.db.FindUserByLogin(ctx, "reviewer1")
	if resp, body := office.post("/rounds/roster", url.Values{"user": {r1.ID.String()}, "kind": {"媒体代表"}, "affiliation": {"临江日报社"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d: %s", resp.StatusCode, firstError(body))
	}
	if got, _ := e.db.FindReviewers(ctx, []app.ID{r1.ID}); got[r1.ID].Kind != "媒体代表" || got[r1.ID].Affiliation != "临江日报社" {
		t.Fatalf("roster %+v", got)
	}
	liaison, _ := e.db.FindUserByLogin(ctx, "liaison.gaj")
	if resp, _ := office.post("/rounds/roster", url.Values{"user": {liaison.ID.String()}, "kind": {"律师"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a liaison entered on the roster: %d", resp.StatusCode)
	}
	root, _ := e.db.FindRootOrg(ctx)
	rounds, _ := e.db.FindRounds(ctx, root.Path)
	if _, body = office.get("/rounds/" + rounds[0].ID.String()); !strings.Contains(body, "（媒体代表）") {
		t.Fatal("the round page does not show the panel's kinds")
	}
}

// TestSiteVisit: the site visit's rater records the checklist for a
// subject; the panel sees it on its sheet; a panel member cannot record it.
func TestSiteVisit(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	root, _ := e.db.FindRootOrg(ctx)
	schemes, _ := e.db.FindSchemes(ctx, root.Path)
	r1, _ := e.db.FindUserByLogin(ctx, "reviewer1")
	r2, _ := e.db.FindUserByLogin(ctx, "reviewer2")
	gaj, _ := e.db.FindUserByLogin(ctx, "liaison.gaj")
	rd := &assess.Round{OrgID: root.ID, SchemeID: schemes[0].ID, Title: "实地考察测试", Subjects: []assess.Subject{{OrgID: gaj.OrgID}},
		Stages: []*assess.RoundStage{{Stage: assess.Stage{Kind: assess.StageSite}}, {Stage: assess.Stage{Kind: assess.StagePanel, Weight: 100}}}}
	if err := e.db.CreateRound(ctx, rd); err != nil {
		t.Fatal(err)
	}
	site, panel := rd.Stages[0], rd.Stages[1]
	if err := e.db.SetAssignments(ctx, site.ID, []assess.Assignment{{StageID: site.ID, RaterID: r1.ID, SubjectID: gaj.OrgID}}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetAssignments(ctx, panel.ID, []assess.Assignment{{StageID: panel.ID, RaterID: r2.ID, SubjectID: gaj.OrgID}}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetRoundStatus(ctx, rd.ID, assess.RoundDraft, assess.RoundOpen); err != nil {
		t.Fatal(err)
	}
	c1 := e.client()
	c1.login("reviewer1", e.accounts["reviewer1"].Password)
	sitePath := fmt.Sprintf("/rounds/%s/sheets/%s/%s", rd.ID, site.ID, gaj.OrgID)
	if _, body := c1.get(sitePath); !strings.Contains(body, "保存考察记录") {
		t.Fatal("the site rater has no checklist")
	}
	form := func() url.Values {
		return url.Values{"done_座谈": {"1"}, "note_座谈": {"与法制大队座谈，普法台账齐全"}, "done_窗口暗访": {"1"}, "note_窗口暗访": {"户籍窗口未摆放反诈宣传资料"}}
	}
	// The checklist with a photo, as the phone's form sends it.
	var img bytes.Buffer
	png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 4, 3)))
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	for k, v := range form() {
		mw.WriteField(k, v[0])
	}
	fw, _ := mw.CreateFormFile("photos", "座谈.png")
	fw.Write(img.Bytes())
	mw.Close()
	resp, body := c1.doBody("POST", sitePath+"/site?csrf="+url.QueryEscape(c1.csrfCookie()), &mp, false, map[string]string{"Content-Type": mw.FormDataContentType()})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("record = %d: %s", resp.StatusCode, firstError(body))
	}
	if photos, _ := e.db.FindSitePhotos(ctx, rd.ID, gaj.OrgID); len(photos) != 1 || photos[0].ContentType != "image/png" {
		t.Fatalf("photos %+v", photos)
	}
	c2 := e.client()
	c2.login("reviewer2", e.accounts["reviewer2"].Password)
	panelPath := fmt.Sprintf("/rounds/%s/sheets/%s/%s", rd.ID, panel.ID, gaj.OrgID)
	if _, body := c2.get(panelPath); !strings.Contains(body, "户籍窗口未摆放反诈宣传资料") || strings.Contains(body, "保存考察记录") {
		t.Fatal("the panel does not see the visit, or may edit it")
	}
	if resp, data := c2.get(panelPath + "/photos/0"); resp.StatusCode != 200 || !strings.HasPrefix(data, "\x89PNG") {
		t.Fatalf("the panel cannot see the photo: %d", resp.StatusCode)
	}
	outsider := e.client()
	outsider.login("reviewer3", e.accounts["reviewer3"].Password)
	if resp, _ := outsider.get(panelPath + "/photos/0"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a reviewer not on the subject sees the photo: %d", resp.StatusCode)
	}
	if resp, _ := c2.post(panelPath+"/site", form()); resp.StatusCode != http.StatusConflict {
		t.Fatalf("a panel member records the visit: %d", resp.StatusCode)
	}
	if resp, _ := c2.post(sitePath+"/site", form()); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a panel member reaches the site sheet: %d", resp.StatusCode)
	}
}
