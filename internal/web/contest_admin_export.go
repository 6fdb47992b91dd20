package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/contest"
	"pufa/internal/xlsx"
)

// A contest's rankings to .xlsx, and its certificates to print.

// contestExport writes the preliminaries' individual and team rankings
// and, once the final has begun, its ranking to .xlsx.
func (s *Server) contestExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.managedContest(r)
	if err != nil {
		return err
	}
	st, _, err := s.contestStandings(ctx, c)
	if err != nil {
		return err
	}
	board, began, err := s.contestBoard(ctx, c)
	if err != nil {
		return err
	}
	xw, err := xlsx.NewWriter(app.Shanghai)
	if err != nil {
		return err
	}
	defer xw.Close()
	score := func(x float64) xlsx.Number { return xlsx.Number{Value: x, Format: xlsx.Hundredths} }
	seconds := func(d time.Duration) any {
		if d <= 0 {
			return nil
		}
		return int64(d.Round(time.Second) / time.Second)
	}

	head := []string{"名次", "姓名", "账号", "代表单位", "所在组织"}
	for i := range c.Rounds {
		head = append(head, c.RoundTitle(i))
	}
	head = append(head, "总分", "参赛轮数", "用时（秒）", "奖项")
	if err := xw.AddSheet("个人排名", head); err != nil {
		return err
	}
	for _, p := range st.People {
		row := []any{p.Rank, p.Name, p.Login, p.TeamName, p.OrgName}
		for _, x := range p.Scores {
			if x < 0 {
				row = append(row, nil)
			} else {
				row = append(row, score(x))
			}
		}
		row = append(row, score(p.Score), p.Rounds, seconds(p.Time), p.Award)
		if err := xw.WriteRow(row...); err != nil {
			return err
		}
	}

	if err := xw.AddSheet("团体排名", []string{"名次", "单位", "团体得分", "参赛人数", "应参赛人数", "参赛率", "个人最高分", "奖项"}); err != nil {
		return err
	}
	for _, t := range st.Teams {
		var turnout any = "—"
		if x, ok := t.Turnout(); ok {
			turnout = xlsx.Number{Value: x, Format: xlsx.Percent}
		}
		var rank any = t.Rank
		if t.Rank == 0 {
			rank = "无人参赛" // listed, not ranked
		}
		if err := xw.WriteRow(rank, t.Name, score(t.Score), t.Took, t.Expected, turnout, score(t.Best), t.Award); err != nil {
			return err
		}
	}

	if began {
		if err := xw.AddSheet("决赛", []string{"名次", "代表队", "得分", "答对题数", "用时（秒）", "奖项", "选手"}); err != nil {
			return err
		}
		names := map[string][]string{}
		for _, p := range c.Final.Finalists {
			names[p.Team] = append(names[p.Team], p.Name)
		}
		for _, t := range board.Teams {
			if err := xw.WriteRow(t.Rank, t.Name, score(t.Points), t.Correct, seconds(t.Time), t.Award, strings.Join(names[t.Key], "、")); err != nil {
				return err
			}
		}
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", attachment(c.Title+"-成绩.xlsx"))
	return xw.Finish(w)
}

// contestCert is one certificate.
type contestCert struct {
	// Name is the person's or the team's; Unit the person's org.
	Name, Unit string
	Prize      string
	Number     string
}

type contestCertData struct {
	Contest *contest.Contest
	// Kind is "person" or "team".
	Kind   string
	Certs  []contestCert
	Issuer string
	// Date is the date printed, as a document writes it; DateISO the
	// same for the form that changes it.
	Date, DateISO string
	// One names the certificate asked for alone (?user= or ?team=).
	One string
	// Unavailable says why there is nothing to print.
	Unavailable string
}

// contestCertificates shows the printable certificates of a contest's
// prizes, one per A4 page: ?kind=person (the default) or team; ?user= or
// ?team= prints one; ?date= sets the date printed (today by default).
func (s *Server) contestCertificates(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.managedContest(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := contestCertData{Contest: c, Kind: q.Get("kind")}
	if d.Kind != "team" {
		d.Kind = "person"
	}
	day := s.clock.Now()
	if v := strings.TrimSpace(q.Get("date")); v != "" {
		t, err := time.ParseInLocation("2006-01-02", v, app.Shanghai)
		if err != nil {
			return app.Invalid("date", "日期“%s”无效，应为 2026-12-04 的形式", v)
		}
		day = t
	}
	d.Date, d.DateISO = cnDate(day), day.In(app.Shanghai).Format("2006-01-02")
	if o, err := s.db.FindOrgByID(ctx, c.OrgID); err == nil {
		d.Issuer = issuerName(o.Name)
	}
	st, _, err := s.contestStandings(ctx, c)
	if err != nil {
		return err
	}
	number := func(kind string, i int) string { return fmt.Sprintf("%d-%s-%s%03d", c.Year, c.ID, kind, i+1) }
	if d.Kind == "person" {
		user := q.Get("user")
		for i, p := range st.People {
			if p.Award == "" || (user != "" && p.UserID.String() != user) {
				continue
			}
			d.Certs = append(d.Certs, contestCert{Name: p.Name, Unit: p.OrgName, Prize: p.Award, Number: number("G", i)})
			d.One = q.Get("user")
		}
		if len(d.Certs) == 0 {
			d.Unavailable = "没有获得个人奖项的人员。奖项按初赛个人排名评定，请在竞赛设置中填写个人奖项。"
			if user != "" {
				d.Unavailable = "这位人员没有获得个人奖项。"
			}
		}
	} else {
		team := q.Get("team")
		teams := st.Teams
		if c.Final != nil {
			board, _, err := s.contestBoard(ctx, c)
			if err != nil {
				return err
			}
			teams = nil
			if board.Phase == contest.Finished {
				for _, t := range board.Teams {
					teams = append(teams, contest.Team{Key: t.Key, Name: t.Name, Rank: t.Rank, Award: t.Award})
				}
			}
		}
		for i, t := range teams {
			if t.Award == "" || (team != "" && t.Key != team) {
				continue
			}
			d.Certs = append(d.Certs, contestCert{Name: t.Name, Prize: t.Award, Number: number("T", i)})
			d.One = team
		}
		switch {
		case len(d.Certs) > 0:
		case c.Final != nil && len(teams) == 0:
			d.Unavailable = "团体奖项按决赛成绩评定，决赛结束后才能打印团体证书。"
		case team != "":
			d.Unavailable = "这个单位没有获得团体奖项。"
		default:
			d.Unavailable = "没有获得团体奖项的单位。请在竞赛设置中填写团体奖项。"
		}
	}
	status := http.StatusOK
	if d.Unavailable != "" {
		status = http.StatusConflict
	}
	v := s.newView(r, c.Title+" · 荣誉证书", d)
	v.Active = "exams"
	return s.render(w, r, status, "contest_certificate", v)
}
