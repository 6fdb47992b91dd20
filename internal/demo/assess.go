package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/store"
)

// demoScheme is the built-in duty-review scheme with one indicator taken
// to a third level, so the demo shows every rule kind on three levels:
// C1's campaign days become three items scored yes/no, by tiers and by
// deductions.
func demoScheme(year int) *assess.Scheme {
	s := assess.DutyReviewScheme()
	s.Name = fmt.Sprintf("%d年度谁执法谁普法履职评议指标", year)
	for _, root := range s.Roots {
		for i, ind := range root.Children {
			if ind.Code != "C1" {
				continue
			}
			root.Children[i] = &assess.Indicator{Code: "C1", Name: "重要节点主题宣传", Max: 10, Children: []*assess.Indicator{
				{Code: "C1.1", Name: "宪法宣传周集中宣传", Max: 4, Rule: assess.YesNo{}, EvidenceRequired: true,
					Guidance: "12月4日前后开展集中宣传并有活动记录"},
				{Code: "C1.2", Name: "民法典宣传月", Max: 3, Rule: assess.Tiered{Levels: []assess.Tier{{Label: "系列活动覆盖服务对象", Points: 3}, {Label: "开展一次以上活动", Points: 1.5}, {Label: "未开展", Points: 0}}}},
				{Code: "C1.3", Name: "4·15 全民国家安全教育日等节点宣传", Max: 3, Rule: assess.Deduction{PerOccurrence: 1, Cap: 3},
					Guidance: "每缺一个节点活动扣 1 分"},
			}}
		}
	}
	return s
}

// demoSheet fills a sheet the way a rater who finds a unit of the given
// quality (0–1) would, with the rater's own leniency added.
func demoSheet(s *assess.Scheme, quality float64, rng *rand.Rand) (assess.Sheet, map[string]string) {
	sh := assess.Sheet{Values: map[string]assess.Input{}}
	notes := map[string]string{}
	s.Walk(func(ind, _ *assess.Indicator, _ int) {
		q := math.Max(0, math.Min(1, quality+rng.NormFloat64()*0.06))
		switch r := ind.Rule.(type) {
		case assess.Direct:
			step := r.Step
			if step == 0 {
				step = 0.5
			}
			sh.Values[ind.Code] = assess.Input{Points: math.Min(ind.Max, math.Round(ind.Max*q/step)*step)}
		case assess.Deduction:
			sh.Values[ind.Code] = assess.Input{Count: int(math.Round((1 - q) * r.Cap / r.PerOccurrence))}
		case assess.YesNo:
			sh.Values[ind.Code] = assess.Input{Yes: q > 0.7}
		case assess.Tiered:
			level := 0
			if q < 0.85 {
				level = 1
			}
			if q < 0.6 {
				level = len(r.Levels) - 1
			}
			sh.Values[ind.Code] = assess.Input{Tier: r.Levels[level].Label}
		}
		if ind.EvidenceRequired {
			notes[ind.Code] = "查阅年度台账、活动照片和新闻报道"
		}
	})
	return sh, notes
}

// dutyReview runs the last year's duty review to its published result — a
// three-level scheme, self-assessment, a panel of five with the highest and
// lowest dropped, a public rating by QR code with a burst of votes the
// office excluded, peer rating and the office's check, which vetoes one
// unit — and opens this year's, with sheets half done and the public
// rating taking votes.
func (l *loader) dutyReview(ctx context.Context) error {
	now := time.Now()
	year := now.In(app.Shanghai).Year()
	// The published review is the 2023 cycle, like the demo's work plan,
	// duty lists and reports; this year's is under way.
	const cycle = 2023
	root := l.org("root")
	ctx = app.WithActor(ctx, &app.Actor{UserID: l.user("office1").ID, Login: "office1", OrgID: root.ID, OrgPath: root.Path})
	scheme := demoScheme(cycle)
	stored, err := l.db.CreateScheme(ctx, root.ID, 0, scheme)
	if err != nil {
		return err
	}
	if err := l.db.PublishScheme(ctx, stored.ID); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2023, 1204))
	quality := map[string]float64{"sfj": 0.95, "gaj": 0.9, "jyj": 0.88, "scj": 0.83, "wjw": 0.8, "wlj": 0.76, "rsj": 0.72, "mzj": 0.7}
	keys := []string{"sfj", "gaj", "jyj", "scj", "wjw", "wlj", "rsj", "mzj"}

	var lastTimeline []assess.Phase
	for i, md := range [][2]int{{11, 20}, {12, 1}, {12, 10}, {12, 15}, {12, 28}, {12, 28}} {
		lastTimeline = append(lastTimeline, assess.Phase{Name: assess.DefaultPhases[i], Date: time.Date(cycle, time.Month(md[0]), md[1], 0, 0, 0, 0, app.Shanghai)})
	}
	last := &assess.Round{OrgID: root.ID, SchemeID: stored.ID, Title: fmt.Sprintf("%d年度谁执法谁普法履职评议", cycle), Period: fmt.Sprintf("%d年度", cycle), Timeline: lastTimeline,
		Grading: assess.Grading{Quota: assess.Quota{Share: 0.25}, Ranked: true},
		Stages: []*assess.RoundStage{
			{Stage: assess.Stage{Kind: assess.StageSelf}},
			{Stage: assess.Stage{Kind: assess.StagePanel, Weight: 50, MinRaters: 3, Combine: assess.TrimmedMean}},
			{Stage: assess.Stage{Kind: assess.StagePublic, Weight: 30, MinRaters: 30}, Public: assess.PublicSettings{Mode: assess.VoteByPhone, Population: 2000}},
			{Stage: assess.Stage{Kind: assess.StagePeer, Weight: 20, MinRaters: 3}},
			{Stage: assess.Stage{Kind: assess.StageOffice}},
		}}
	for _, k := range keys {
		last.Subjects = append(last.Subjects, assess.Subject{OrgID: l.org(k).ID})
	}
	if err := l.db.CreateRound(ctx, last); err != nil {
		return err
	}
	self, panel, public, peer, check := last.Stages[0], last.Stages[1], last.Stages[2], last.Stages[3], last.Stages[4]
	panelists := []string{"reviewer1", "reviewer2", "reviewer3", "reviewer4", "reviewer5"}
	liaisonOf := map[string]string{"gaj": "liaison.gaj", "jyj": "liaison.jyj", "sfj": "liaison.sfj", "scj": "liaison.scj", "wjw": "liaison.wjw"}
	assign := map[*assess.RoundStage][]assess.Assignment{}
	for _, k := range keys {
		sub := l.org(k).ID
		for _, p := range panelists {
			assign[panel] = append(assign[panel], assess.Assignment{StageID: panel.ID, RaterID: l.user(p).ID, SubjectID: sub})
		}
		assign[check] = append(assign[check], assess.Assignment{StageID: check.ID, RaterID: l.user("office2").ID, SubjectID: sub})
		for other, login := range liaisonOf {
			stage := peer
			if other == k {
				stage = self
			}
			assign[stage] = append(assign[stage], assess.Assignment{StageID: stage.ID, RaterID: l.user(login).ID, SubjectID: sub})
		}
	}
	for st, as := range assign {
		if err := l.db.SetAssignments(ctx, st.ID, as); err != nil {
			return err
		}
	}
	if err := l.db.SetRoundStatus(ctx, last.ID, assess.RoundDraft, assess.RoundOpen); err != nil {
		return err
	}
	codes := scheme.Codes()
	submit := func(st *assess.RoundStage, k string, rater string, q float64, edit func(*assess.Sheet)) error {
		sheet, notes := demoSheet(scheme, q, rng)
		if edit != nil {
			edit(&sheet)
		}
		res, err := assess.Score(scheme, sheet)
		if err != nil {
			return fmt.Errorf("%s/%s: %w", k, rater, err)
		}
		sh := &assess.StoredSheet{StageID: st.ID, SubjectID: l.org(k).ID, RaterID: l.user(rater).ID, Sheet: sheet, Notes: notes}
		return l.db.SubmitSheet(ctx, sh, res, codes)
	}
	for _, k := range keys {
		q := quality[k]
		for i, p := range panelists {
			// The third panelist is strict, the fifth lenient: the trimmed
			// mean drops them.
			lean := []float64{0, 0.02, -0.12, -0.01, 0.08}[i]
			if err := submit(panel, k, p, q+lean, nil); err != nil {
				return err
			}
		}
		for other, login := range liaisonOf {
			st, lean := peer, -0.02
			if other == k {
				st, lean = self, 0.06 // units rate themselves kindly
			}
			if err := submit(st, k, login, q+lean, nil); err != nil {
				return err
			}
		}
		err := submit(check, k, "office2", q, func(sh *assess.Sheet) {
			switch k {
			case "sfj":
				sh.Values["F1"] = assess.Input{Points: 2} // 经验做法获市级推广
			case "rsj":
				sh.Values["F2"] = assess.Input{Points: 1} // 被通报批评一次
			case "mzj":
				sh.Values["F3"] = assess.Input{Failed: true} // 重大不良影响
			}
		})
		if err != nil {
			return err
		}
	}
	if err := l.publicVotes(ctx, last, public, keys, quality, now, rng); err != nil {
		return err
	}
	if err := l.db.SetRoundStatus(ctx, last.ID, assess.RoundOpen, assess.RoundLocked); err != nil {
		return err
	}
	stored2, err := l.db.FindRoundByID(ctx, last.ID)
	if err != nil {
		return err
	}
	results, err := assess.ComputeResults(ctx, l.db, scheme, stored2, nil)
	if err != nil {
		return err
	}
	office1 := l.user("office1").ID
	if err := l.db.PublishResults(ctx, last.ID, results, assess.Revision{EnteredBy: office1, ApprovedBy: office1}, nil); err != nil {
		return err
	}
	excellent := 0
	for _, r := range results {
		if r.Grade == assess.Excellent {
			excellent++
		}
	}
	if err := l.db.SaveCircular(ctx, last.ID, &store.CircularText{
		Issuer:     root.Name + "全面依法治区委员会守法普法协调小组办公室",
		DocNumber:  fmt.Sprintf("临普法办〔%d〕2号", cycle+1),
		Title:      "关于" + last.Title + "结果的通报",
		Addressees: "各街道办事处、镇人民政府，区级各部门：",
		Body: fmt.Sprintf("为深入贯彻落实“谁执法谁普法”普法责任制，%d年12月至%d年1月，区普法办组织开展了%d年度履职评议。经单位自评、实地考察、社会评议、评议团评议和单位互评，共评议单位 %d 个，其中优秀 %d 个。现将结果通报如下：",
			cycle, cycle+1, cycle, len(results), excellent),
		After:    "评议中，区司法局“法律明白人”培育工程、区公安分局反诈“进校园”等做法成效明显。也发现部分单位普法措施笼统、以案释法不够经常等问题，区民政局因履职不力造成重大不良影响，实行一票否决。\n希望各单位对照评议意见认真整改，切实把普法责任落到实处。",
		IssuedOn: time.Date(cycle+1, 1, 20, 0, 0, 0, 0, app.Shanghai),
	}); err != nil {
		return err
	}
	return l.currentReview(ctx, stored.ID, year, rng)
}

// publicVotes records the public's ratings over ten days, more for better
// units, and one township-style burst for 区文化和旅游局 that the office
// then excluded.
func (l *loader) publicVotes(ctx context.Context, r *assess.Round, st *assess.RoundStage, keys []string, quality map[string]float64, now time.Time, rng *rand.Rand) error {
	start := now.AddDate(0, 0, -40)
	n := 0
	for _, k := range keys {
		var voters []string
		var votes []assess.Vote
		count := 40 + rng.IntN(50)
		for range count {
			n++
			rating := 3 + int(math.Round((quality[k]-0.7)*6+rng.NormFloat64()*0.9))
			rating = max(1, min(5, rating))
			at := start.Add(time.Duration(rng.Int64N(int64(10 * 24 * time.Hour))))
			voters = append(voters, fmt.Sprintf("demo:%d", n))
			votes = append(votes, assess.Vote{SubjectID: l.org(k).ID, Rating: rating, CreatedAt: at, Client: fmt.Sprintf("c%03d", rng.IntN(400))})
		}
		if k == "wlj" {
			burst := start.Add(5 * 24 * time.Hour)
			for i := range 30 {
				n++
				voters = append(voters, fmt.Sprintf("demo:%d", n))
				votes = append(votes, assess.Vote{SubjectID: l.org(k).ID, Rating: 5, CreatedAt: burst.Add(time.Duration(i) * 1500 * time.Millisecond), Client: "c999"})
			}
		}
		if err := l.db.LoadVotes(ctx, st.ID, voters, votes); err != nil {
			return err
		}
		if k == "wlj" {
			all, err := l.db.FindVotes(ctx, st.ID, l.org(k).ID)
			if err != nil {
				return err
			}
			if err := l.db.ExcludeVotes(ctx, st.ID, assess.VoteAlarm(st.Public, all).Suspicious, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// currentReview opens this year's review: the panel is part way through,
// and the public rating is taking votes by QR code.
func (l *loader) currentReview(ctx context.Context, schemeID app.ID, year int, rng *rand.Rand) error {
	keys := []string{"gaj", "jyj", "sfj", "scj", "wjw"}
	now := time.Now()
	var timeline []assess.Phase
	for i, days := range []int{-30, -20, -5, 5, 15, 20} {
		timeline = append(timeline, assess.Phase{Name: assess.DefaultPhases[i], Date: now.AddDate(0, 0, days).Truncate(24 * time.Hour)})
	}
	r := &assess.Round{OrgID: l.org("root").ID, SchemeID: schemeID, Title: fmt.Sprintf("%d年度谁执法谁普法履职评议", year), Period: fmt.Sprintf("%d年度", year), Timeline: timeline,
		Grading: assess.Grading{Quota: assess.Quota{Share: 0.2}},
		Stages: []*assess.RoundStage{
			{Stage: assess.Stage{Kind: assess.StagePanel, Weight: 60, MinRaters: 3, Combine: assess.TrimmedMean}},
			{Stage: assess.Stage{Kind: assess.StagePublic, Weight: 40, MinRaters: 30}, Public: assess.PublicSettings{Mode: assess.VoteByPhone, Population: 2000}},
		}}
	for _, k := range keys {
		r.Subjects = append(r.Subjects, assess.Subject{OrgID: l.org(k).ID})
	}
	if err := l.db.CreateRound(ctx, r); err != nil {
		return err
	}
	panel := r.Stages[0]
	var as []assess.Assignment
	for _, k := range keys {
		for _, p := range []string{"reviewer1", "reviewer2", "reviewer3", "reviewer4", "reviewer5"} {
			as = append(as, assess.Assignment{StageID: panel.ID, RaterID: l.user(p).ID, SubjectID: l.org(k).ID})
		}
	}
	if err := l.db.SetAssignments(ctx, panel.ID, as); err != nil {
		return err
	}
	if err := l.db.SetRoundStatus(ctx, r.ID, assess.RoundDraft, assess.RoundOpen); err != nil {
		return err
	}
	stored, err := l.db.FindSchemeByID(ctx, schemeID)
	if err != nil {
		return err
	}
	// reviewer2 has finished two units; reviewer1 has a draft.
	for i, k := range keys[:2] {
		sheet, notes := demoSheet(stored.Scheme, 0.85-float64(i)*0.05, rng)
		res, err := assess.Score(stored.Scheme, sheet)
		if err != nil {
			return err
		}
		sh := &assess.StoredSheet{StageID: panel.ID, SubjectID: l.org(k).ID, RaterID: l.user("reviewer2").ID, Sheet: sheet, Notes: notes}
		if err := l.db.SubmitSheet(ctx, sh, res, stored.Scheme.Codes()); err != nil {
			return err
		}
	}
	draft, notes := demoSheet(stored.Scheme, 0.9, rng)
	delete(draft.Values, "E1")
	delete(draft.Values, "E2")
	return l.db.SaveSheet(ctx, &assess.StoredSheet{StageID: panel.ID, SubjectID: l.org("gaj").ID, RaterID: l.user("reviewer1").ID, Sheet: draft, Notes: notes})
}
