package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"pufa/internal/app"
	"pufa/internal/exam"
)

// The exam API for mobile and mini-program clients and load tests: ids as
// strings, times RFC 3339 with +08:00, errors as everywhere in the API.

func (s *Server) apiExams(w http.ResponseWriter, r *http.Request) error {
	list, err := s.myExams(r.Context())
	if err != nil {
		return err
	}
	type body struct {
		ID              string `json:"id"`
		Title           string `json:"title"`
		OpensAt         string `json:"opens_at"`
		ClosesAt        string `json:"closes_at"`
		DurationMinutes int64  `json:"duration_minutes"`
		// AttemptsLeft is null when unlimited.
		AttemptsLeft *int `json:"attempts_left"`
		// AttemptID is the attempt in progress, if any.
		AttemptID string `json:"attempt_id,omitempty"`
	}
	now := s.clock.Now()
	out := []body{}
	for _, oe := range list {
		// Open to the caller: the window holds now (or an attempt is in
		// progress), and a make-up is not closed to them.
		if oe.MakeUpBlocked || (oe.Open == nil && !oe.Window.CanStart(now)) {
			continue
		}
		b := body{ID: oe.Exam.ID.String(), Title: oe.Exam.Title, OpensAt: apiTime(oe.Window.Opens), ClosesAt: apiTime(oe.Window.Closes),
			DurationMinutes: int64(oe.Exam.Window.Duration / time.Minute)}
		if oe.AttemptsLeft >= 0 {
			left := oe.AttemptsLeft
			b.AttemptsLeft = &left
		}
		if oe.Open != nil {
			b.AttemptID = oe.Open.ID.String()
		}
		out = append(out, b)
	}
	writeJSON(w, http.StatusOK, map[string]any{"exams": out})
	return nil
}

func pathID(r *http.Request, name, what string) (app.ID, error) {
	id, err := app.ParseID(name, r.PathValue(name))
	if err != nil {
		return 0, app.Errorf(app.ENOTFOUND, "%s不存在", what)
	}
	return id, nil
}

func (s *Server) apiStartAttempt(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "考试")
	if err != nil {
		return err
	}
	st, _, created, err := s.startAttempt(r.Context(), id)
	if err != nil {
		return err
	}
	answers := map[app.ID]exam.Answer{} // a new attempt has none yet
	if !created {
		if answers, err = s.db.FindAnswers(r.Context(), st.ID); err != nil {
			return err
		}
	}
	body, err := s.composeAttempt(r, st, answers)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
	return nil
}

// composeAttempt writes the start body from the cached question fragments:
// each question's stem and option texts were rendered once; only the
// lettering and order are the examinee's own.
func (s *Server) composeAttempt(r *http.Request, st *exam.Sitting, answers map[app.ID]exam.Answer) ([]byte, error) {
	qs, err := s.paperQuestions(r.Context(), st.Paper)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	var b bytes.Buffer
	b.Grow(256 + 200*len(st.Paper.Items))
	b.WriteString(`{"attempt_id":"`)
	b.WriteString(st.ID.String())
	b.WriteString(`","deadline":"`)
	b.WriteString(apiTime(st.Deadline))
	b.WriteString(`","server_time":"`)
	b.WriteString(apiTime(now))
	b.WriteString(`","remaining_seconds":`)
	b.WriteString(strconv.FormatInt(remaining(now, st.Deadline), 10))
	b.WriteString(`,"questions":[`)
	for i, it := range st.Paper.Items {
		c := qs[it.QuestionID]
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":"`)
		b.WriteString(it.QuestionID.String())
		b.WriteString(`","type":"`)
		b.WriteString(string(c.q.Type))
		b.WriteString(`","points":`)
		b.WriteString(strconv.FormatFloat(it.Points, 'f', -1, 64))
		b.WriteString(`,"stem":`)
		b.Write(c.stem)
		b.WriteString(`,"options":[`)
		labels, orig := exam.Layout(&c.q.Question, it)
		for k := range labels {
			if k > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"label":"`)
			b.WriteString(labels[k])
			b.WriteString(`","text":`)
			b.Write(c.options[orig[k]])
			b.WriteByte('}')
		}
		b.WriteString("]}")
	}
	b.WriteString(`],"answers":`)
	ab, err := json.Marshal(s.shownAnswers(st, qs, answers))
	if err != nil {
		return nil, err
	}
	b.Write(ab)
	b.WriteString("}\n")
	return b.Bytes(), nil
}

type apiAnswer struct {
	Answer []string `json:"answer"`
	Seq    int64    `json:"seq"`
}

// shownAnswers maps saved answers to the examinee's letters.
func (s *Server) shownAnswers(st *exam.Sitting, qs map[app.ID]*cachedQuestion, answers map[app.ID]exam.Answer) map[string]apiAnswer {
	out := make(map[string]apiAnswer, len(answers))
	for _, it := range st.Paper.Items {
		a, ok := answers[it.QuestionID]
		if !ok {
			continue
		}
		out[it.QuestionID.String()] = apiAnswer{Answer: nonNilStrings(exam.FromOriginal(qs[it.QuestionID].q.Question, it, a.Given)), Seq: a.Seq}
	}
	return out
}

func nonNilStrings(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func (s *Server) apiSaveAnswer(w http.ResponseWriter, r *http.Request) error {
	attemptID, err := pathID(r, "id", "答卷")
	if err != nil {
		return err
	}
	qid, err := app.ParseID("question", r.PathValue("question"))
	if err != nil {
		return app.Invalid("question", "本试卷没有这道题")
	}
	var in struct {
		Answer []string `json:"answer"`
		Seq    *int64   `json:"seq"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Seq == nil {
		return app.Invalid("seq", "缺少序号 seq")
	}
	if err := s.saveAnswer(r.Context(), attemptID, qid, in.Answer, *in.Seq); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiSubmit(w http.ResponseWriter, r *http.Request) error {
	st, e, err := s.mySittingInPath(r)
	if err != nil {
		return err
	}
	st, err = s.submitSitting(r.Context(), st, e, false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resultBody(e, st))
	return nil
}

func resultBody(e *exam.Exam, st *exam.Sitting) map[string]any {
	return map[string]any{"score": st.Score, "grade": st.Grade, "grade_code": gradeCode(e, st.Grade), "passed": st.Passed, "pending_manual": st.PendingManual}
}

func (s *Server) apiAttempt(w http.ResponseWriter, r *http.Request) error {
	st, e, err := s.mySittingInPath(r)
	if err != nil {
		return err
	}
	answers, err := s.db.FindAnswers(r.Context(), st.ID)
	if err != nil {
		return err
	}
	qs, err := s.paperQuestions(r.Context(), st.Paper)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	out := map[string]any{"attempt_id": st.ID.String(), "state": string(st.State), "deadline": apiTime(st.Deadline), "server_time": apiTime(now),
		"remaining_seconds": remaining(now, st.Deadline), "answers": s.shownAnswers(st, qs, answers)}
	if st.State == exam.Submitted {
		out["result"] = resultBody(e, st)
		submitted := st.State == exam.Submitted
		if e.ShowKeys(submitted, now) {
			// The review: each question's key in the examinee's letters,
			// with its analysis.
			type keyBody struct {
				Answer   []string `json:"answer"`
				Analysis string   `json:"analysis"`
			}
			keys := map[string]keyBody{}
			for _, it := range st.Paper.Items {
				q := qs[it.QuestionID].q
				keys[it.QuestionID.String()] = keyBody{Answer: nonNilStrings(exam.FromOriginal(q.Question, it, q.Answer)), Analysis: q.Analysis}
			}
			out["keys"] = keys
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
