package web

import (
	"net/http"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/exam"
)

// The office's side of the annual law exam: the list of a region's exams
// (this file), the settings form (exam_admin_form.go), the results and
// their export (exam_admin_results.go) and hand marking
// (exam_admin_marking.go). Examinees reach their exams through the exam
// pages, by who sits, never through these.

// examTarget targets the region whose office runs exam {id}.
func examTarget(s *Server, r *http.Request) (authz.Target, error) {
	e, err := s.managedExam(r)
	if err != nil {
		return authz.Target{}, err
	}
	return authz.AtOrg(e.OrgPath), nil
}

// managedExam loads exam {id}; the route has checked the right to manage it.
func (s *Server) managedExam(r *http.Request) (*exam.Exam, error) {
	id, err := pathID(r, "id", "考试")
	if err != nil {
		return nil, err
	}
	return once(r, "exam:"+id.String(), func() (*exam.Exam, error) { return s.db.FindExamByID(r.Context(), id) })
}

// examState is where an exam's window stands at now, in words and as a
// tag colour.
type examState struct {
	Label, Class string
	Open         bool
	Started      bool // the window has opened, whether or not it is over
}

func stateOf(e *exam.Exam, now time.Time) examState {
	switch {
	case now.Before(e.Window.Opens):
		return examState{Label: "未开始", Class: "tag-amber"}
	case now.Before(e.Window.Closes):
		return examState{Label: "进行中", Class: "tag-green", Open: true, Started: true}
	}
	return examState{Label: "已结束", Class: "", Started: true}
}

// examRow is one exam on the office's list.
type examRow struct {
	Exam     *exam.Exam
	State    examState
	Sat      int
	Expected int
	MakeUpOf string
}

type examManageData struct {
	Rows  []examRow
	Total int
	Pager pager
	// Examinee says the office worker sits exams too: the list links to
	// their own.
	Examinee bool
}

const examPageSize = 20

// examManageList lists the exams the offices of the actor's region run.
func (s *Server) examManageList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	page, offset := pageParams(r, examPageSize)
	exams, total, err := s.db.FindExams(ctx, exam.ExamFilter{OrgPath: a.OrgPath, Offset: offset, Limit: examPageSize})
	if err != nil {
		return err
	}
	ids := make([]app.ID, len(exams))
	for i, e := range exams {
		ids[i] = e.ID
	}
	sat, err := s.db.CountTakers(ctx, ids)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	d := examManageData{Total: total, Pager: newPager(page, examPageSize, total, ""), Examinee: a.HasRole(account.RoleExaminee)}
	titles := map[app.ID]string{}
	for _, e := range exams {
		titles[e.ID] = e.Title
	}
	for _, e := range exams {
		counts, _, err := s.expected(ctx, e, false)
		if err != nil {
			return err
		}
		row := examRow{Exam: e, State: stateOf(e, now), Sat: sat[e.ID]}
		for _, c := range counts {
			row.Expected += c.N
		}
		if e.MakeUpOf != 0 {
			row.MakeUpOf = titles[e.MakeUpOf]
			if row.MakeUpOf == "" {
				if m, err := s.db.FindExamByID(ctx, e.MakeUpOf); err == nil {
					row.MakeUpOf = m.Title
				}
			}
		}
		d.Rows = append(d.Rows, row)
	}
	v := s.newView(r, "考试管理", d)
	v.Active = "exams"
	return s.render(w, r, http.StatusOK, "exam_admin", v)
}
