package web

import (
	"net/http"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/exam"
	"pufa/internal/learn"
	"pufa/internal/org"
)

// The learning record (学法档案): one person's exams and study, for them
// to keep and print, and for the office of their region to check.

// recordExam is one exam on a record: the attempt that counts.
type recordExam struct {
	Exam    *exam.Exam
	Counted *exam.Sitting
	// Attempts counts the attempts made; Open says one is in progress.
	Attempts int
	Open     bool
	// Certificate says a certificate may be printed: the counted attempt
	// passed and is fully marked, and the record is the reader's own.
	Certificate bool
}

// recordList is a must-know list with the person's progress.
type recordList struct {
	List     *learn.List
	Progress learn.Progress
}

type recordData struct {
	Person *account.User
	Org    *org.Org
	Own    bool
	Exams  []recordExam
	Lists  []recordList
	// Practised counts the questions answered in practice; Mistakes those
	// in the mistake book.
	Practised, Mistakes int
	Printed             time.Time
}

// learningRecord shows the caller's record, or with ?user= a person's
// record to an office that manages exams where they are. Anyone else's
// record is not found, whoever asks.
func (s *Server) learningRecord(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	id := a.UserID
	if v := r.URL.Query().Get("user"); v != "" {
		var err error
		if id, err = app.ParseID("user", v); err != nil {
			return app.Errorf(app.ENOTFOUND, "人员不存在")
		}
	}
	person, err := s.db.FindUserByID(ctx, id)
	if err != nil {
		return app.Errorf(app.ENOTFOUND, "人员不存在")
	}
	o, err := s.db.FindOrgByID(ctx, person.OrgID)
	if err != nil {
		return err
	}
	own := person.ID == a.UserID
	if !own && !authz.Can(a, authz.ExamManage, authz.AtOrg(o.Path)) {
		return app.Errorf(app.ENOTFOUND, "人员不存在")
	}
	d := recordData{Person: person, Org: o, Own: own, Printed: s.clock.Now()}

	sittings, err := s.db.FindUserSittings(ctx, person.ID)
	if err != nil {
		return err
	}
	byExam := map[app.ID][]*exam.Sitting{}
	var order []app.ID
	for _, st := range sittings { // newest first
		if _, seen := byExam[st.ExamID]; !seen {
			order = append(order, st.ExamID)
		}
		byExam[st.ExamID] = append(byExam[st.ExamID], st)
	}
	for _, examID := range order {
		e, err := s.db.FindExamByID(ctx, examID)
		if err != nil {
			return err
		}
		re := recordExam{Exam: e, Attempts: len(byExam[examID])}
		var done []*exam.Sitting
		var attempts []exam.Attempt
		for _, st := range byExam[examID] {
			if st.State != exam.Submitted {
				re.Open = true
				continue
			}
			done = append(done, st)
			attempts = append(attempts, exam.Attempt{ID: st.ID, Submitted: st.SubmittedAt, Score: st.Score})
		}
		if i := exam.Best(attempts, e.Counts); i >= 0 {
			re.Counted = done[i]
			re.Certificate = own && re.Counted.Passed && !re.Counted.PendingManual
		}
		d.Exams = append(d.Exams, re)
	}

	lists, err := s.db.FindLists(ctx, org.PathsUp(o.Path))
	if err != nil {
		return err
	}
	for _, l := range lists {
		p, err := s.db.FindListProgress(ctx, l.ID, []app.ID{person.ID})
		if err != nil {
			return err
		}
		d.Lists = append(d.Lists, recordList{List: l, Progress: p[person.ID]})
	}
	practised, err := s.db.PractisedQuestions(ctx, person.ID)
	if err != nil {
		return err
	}
	mistakes, err := s.db.FindMistakes(ctx, person.ID)
	if err != nil {
		return err
	}
	d.Practised, d.Mistakes = len(practised), len(mistakes)

	title := "学法档案"
	if !own {
		title = person.Name + "的学法档案"
	}
	v := s.newView(r, title, d)
	if !own {
		v.Active = "exams"
	}
	return s.render(w, r, http.StatusOK, "record", v)
}
