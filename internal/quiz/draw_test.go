package quiz

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/question"
)

// drawBank is a bank of 6 宪法 and 6 民法典 single-choice questions (IDs
// 1–12), 5 judgements (20–24), 3 multiple-choice 民法典 questions
// (30–32), an essay (40) and a judgement without a key (41).
func drawBank() []exam.Candidate {
	var out []exam.Candidate
	for i := range 12 {
		tag := "宪法"
		if i >= 6 {
			tag = "民法典"
		}
		out = append(out, exam.Candidate{ID: app.ID(1 + i), Q: choiceQ(question.Single, 4, "A"), Tags: []string{tag}})
	}
	for i := range 5 {
		out = append(out, exam.Candidate{ID: app.ID(20 + i), Q: judgeQ(question.True)})
	}
	for i := range 3 {
		out = append(out, exam.Candidate{ID: app.ID(30 + i), Q: choiceQ(question.Multiple, 4, "A", "B"), Tags: []string{"民法典"}})
	}
	out = append(out,
		exam.Candidate{ID: 40, Q: question.Question{Type: question.Essay, Stem: "谈谈你对法治的理解。"}},
		exam.Candidate{ID: 41, Q: question.Question{Type: question.TrueFalse, Stem: "没有答案的判断题。"}},
	)
	return out
}

var literacyDims = []Dimension{{"A", "法治认知", 40}, {"B", "法治意识", 30}, {"C", "法治行为", 30}}

func TestDrawQuestions(t *testing.T) {
	picks := []Pick{
		{Dimension: "A", Type: question.Single, Tag: "宪法", Count: 3, Points: 2},
		{Dimension: "A", Type: question.Single, Tag: "民法典", Count: 2, Points: 2},
		{Dimension: "B", Type: question.TrueFalse, Count: 5, Points: 1.5},
		{Dimension: "C", Type: question.Single, Tag: "民法典", Count: 4, Points: 2},
		{Dimension: "C", Type: question.Multiple, Count: 2, Points: 3},
	}
	bank := drawBank()
	got, err := DrawQuestions(bank, literacyDims, picks, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 16 {
		t.Fatalf("%d questions drawn, want 16", len(got))
	}
	seen := map[app.ID]bool{}
	tags := map[app.ID][]string{}
	types := map[app.ID]question.Type{}
	for _, c := range bank {
		tags[c.ID], types[c.ID] = c.Tags, c.Q.Type
	}
	k := 0
	for _, p := range picks {
		for range p.Count {
			q := got[k]
			k++
			if seen[q.QuestionID] {
				t.Fatalf("question %s drawn twice", q.QuestionID)
			}
			seen[q.QuestionID] = true
			if q.Dimension != p.Dimension || q.Points != p.Points || types[q.QuestionID] != p.Type {
				t.Errorf("question %+v does not follow pick %+v", q, p)
			}
			if p.Tag != "" && (len(tags[q.QuestionID]) == 0 || tags[q.QuestionID][0] != p.Tag) {
				t.Errorf("question %s lacks tag %s", q.QuestionID, p.Tag)
			}
		}
	}
	if seen[40] || seen[41] {
		t.Error("an essay or an unanswerable question was drawn")
	}

	// The same seed draws the same, whatever the bank's order; the drawn
	// quiz validates.
	reversed := make([]exam.Candidate, len(bank))
	for i, c := range bank {
		reversed[len(bank)-1-i] = c
	}
	again, err := DrawQuestions(reversed, literacyDims, picks, 7)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(got, again); d != "" {
		t.Errorf("the bank's order changed the draw:\n%s", d)
	}
	q := &Quiz{Title: "测评", Mode: Open, Dimensions: literacyDims, Questions: got}
	if err := q.Validate(); err != nil {
		t.Errorf("drawn quiz does not validate: %v", err)
	}

	bad := []struct {
		name  string
		picks []Pick
		msg   string
	}{
		{"none", nil, "请填写抽题规则"},
		{"unknown dimension", []Pick{{Dimension: "Z", Type: question.Single, Count: 1, Points: 1}}, "第 1 条抽题规则：请选择所属维度"},
		{"essay", []Pick{{Dimension: "A", Type: question.Essay, Count: 1, Points: 1}}, "不能使用简答题"},
		{"no count", []Pick{{Dimension: "A", Type: question.Single, Count: 0, Points: 1}}, "题数应为 1 到 200"},
		{"thirds", []Pick{{Dimension: "A", Type: question.Single, Count: 1, Points: 1.0 / 3}}, "最多两位小数"},
		{"dimension left out", []Pick{{Dimension: "A", Type: question.Single, Count: 1, Points: 1}, {Dimension: "B", Type: question.TrueFalse, Count: 1, Points: 1}}, "维度“法治行为”还没有抽题规则"},
		{"bank too small", []Pick{
			{Dimension: "A", Type: question.Single, Count: 1, Points: 1},
			{Dimension: "B", Type: question.TrueFalse, Count: 6, Points: 1},
			{Dimension: "C", Type: question.Single, Count: 1, Points: 1},
		}, "第 2 条抽题规则（法治意识）：判断题需要 6 题，题库只有 5 题"},
		{"earlier picks took them", []Pick{
			{Dimension: "A", Type: question.Multiple, Count: 2, Points: 1},
			{Dimension: "B", Type: question.TrueFalse, Count: 1, Points: 1},
			{Dimension: "C", Type: question.Multiple, Tag: "民法典", Count: 2, Points: 1},
		}, "第 3 条抽题规则（法治行为）：多选题（民法典）需要 2 题，题库只有 1 题"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DrawQuestions(bank, literacyDims, tt.picks, 1)
			wantErr(t, err, app.EINVALID, "picks", tt.msg)
		})
	}
}

func TestPlacesFromOrgs(t *testing.T) {
	root := &org.Org{ID: 1, Kind: org.KindRegion, Name: "临江区", Active: true}
	street := &org.Org{ID: 2, ParentID: 1, Kind: org.KindSubdistrict, Name: "江滨街道", Active: true}
	town := &org.Org{ID: 3, ParentID: 1, Kind: org.KindTown, Name: "青山镇", Active: true}
	community := &org.Org{ID: 4, ParentID: 2, Kind: org.KindCommunity, Name: "江滨社区", Active: true}
	village := &org.Org{ID: 5, ParentID: 3, Kind: org.KindVillage, Name: "青山村", Active: true}
	closed := &org.Org{ID: 6, ParentID: 3, Kind: org.KindVillage, Name: "撤并村", Active: false}
	unit := &org.Org{ID: 7, ParentID: 1, Kind: org.KindUnit, Name: "司法局", Active: true}
	// A village whose town is outside the list keeps its bare name.
	stray := &org.Org{ID: 8, ParentID: 99, Kind: org.KindVillage, Name: "飞地村", Active: true}

	got := PlacesFromOrgs([]*org.Org{root, street, community, town, village, closed, unit, stray})
	want := []Choice{{"4", "江滨社区（江滨街道）"}, {"5", "青山村（青山镇）"}, {"8", "飞地村"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("villages and communities (-want +got):\n%s", d)
	}
	got = PlacesFromOrgs([]*org.Org{root, street, town, unit})
	want = []Choice{{"2", "江滨街道"}, {"3", "青山镇"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("no villages: subdistricts and towns (-want +got):\n%s", d)
	}
	if got := PlacesFromOrgs([]*org.Org{root, unit}); len(got) != 0 {
		t.Errorf("no places: %v", got)
	}
}

func TestQuiz_Restore(t *testing.T) {
	q := sampleQuiz()
	q.ShuffleOptions = true
	bank := sampleBank()
	answers := map[app.ID][]string{1: {"C"}, 2: {"A", "D"}, 3: {"true"}, 4: {"B"}, 5: {"12", "4"}, 6: {"false"}, 7: {"B"}}
	const seed = 99
	paper := q.Paper(bank, seed)
	shown := map[app.ID][]string{}
	for i, it := range paper.Items {
		shown[it.QuestionID] = exam.FromOriginal(bank[it.QuestionID], paper.Items[i], answers[it.QuestionID])
	}
	res, err := q.Mark(bank, seed, shown)
	if err != nil {
		t.Fatal(err)
	}
	// What the store keeps: the markings without their dimension, the
	// scores by code.
	sr := StoredResult{Seed: seed, Total: res.Total, Scores: map[string]Hundredths{}}
	for _, m := range res.Questions {
		m.Dimension = ""
		sr.Questions = append(sr.Questions, m)
	}
	for _, d := range res.Dimensions {
		sr.Scores[d.Code] = d.Score
	}
	if d := cmp.Diff(res, q.Restore(bank, sr)); d != "" {
		t.Errorf("Restore differs from the marking (-marked +restored):\n%s", d)
	}

	// A marking lost from the stored response shows as unanswered.
	sr.Questions = sr.Questions[1:]
	got := q.Restore(bank, sr)
	if len(got.Questions) != len(q.Questions) || got.Questions[0].QuestionID != 1 || got.Questions[0].Verdict != question.Wrong || got.Dimensions[0].Earned != res.Dimensions[0].Earned-200 {
		t.Errorf("restored with a marking missing: %+v", got)
	}
}
