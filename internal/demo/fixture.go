package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/exam"
	"pufa/internal/org"
	"pufa/internal/password"
	"pufa/internal/question"
	"pufa/internal/store"
)

// Fixture is what ExamFixture made, as `pufa loadtest-fixture` prints it.
type Fixture struct {
	ExamID   string   `json:"exam_id"`
	Logins   []string `json:"logins"`
	Password string   `json:"password"`
}

// ExamFixture makes a load-test exam under root: questions single-choice
// questions, an exam of all of them open from now for 24 hours with a
// 600-minute duration and unlimited attempts, and examinees accounts that
// share one password and need no password change. Each call makes a new
// exam and new logins, so it can run again on the same database.
func ExamFixture(ctx context.Context, db *store.DB, hasher password.Hasher, root *org.Org, examinees, questions int) (*Fixture, error) {
	if examinees < 1 || questions < 1 {
		return nil, app.Errorf(app.EINVALID, "考生人数和题目数都应至少为 1")
	}
	pw, err := password.Generate()
	if err != nil {
		return nil, err
	}
	// One hash for every account: the accounts share the password, and
	// hashing thousands of times would take minutes for nothing.
	hash, err := hasher.Hash(ctx, pw)
	if err != nil {
		return nil, err
	}
	// A batch tag keeps logins and question texts unique across runs.
	batch := strings.ToLower(db.NewID().String())
	batch = batch[len(batch)-6:]

	qs := make([]*question.Stored, questions)
	for i := range qs {
		qs[i] = &question.Stored{Question: question.Question{
			Type:    question.Single,
			Stem:    fmt.Sprintf("压测题 %s-%d：依照宪法，下列说法正确的是（ ）。", batch, i+1),
			Options: []question.Option{{Label: "A", Text: "选项甲"}, {Label: "B", Text: "选项乙"}, {Label: "C", Text: "选项丙"}, {Label: "D", Text: "选项丁"}},
			Answer:  []string{string(rune('A' + i%4))},
		}, Tags: []string{"压测"}, Source: "loadtest-fixture"}
	}
	if _, err := db.ImportQuestions(ctx, root.ID, qs); err != nil {
		return nil, err
	}
	var fixed []exam.Item
	for _, q := range qs {
		if q.ID != 0 {
			fixed = append(fixed, exam.Item{QuestionID: q.ID, Points: 100 / float64(questions)})
		}
	}
	now := db.Clock().Now()
	e := &exam.Exam{
		OrgID: root.ID, Title: "压测考试 " + batch, Year: now.In(app.Shanghai).Year(),
		Window:  exam.Window{Opens: now.Add(-time.Minute), Closes: now.Add(24 * time.Hour), Duration: 600 * time.Minute},
		Rules:   exam.Rules{Picks: []exam.Pick{{Type: question.Single, Count: questions, Points: 100 / float64(questions)}}, ShuffleOptions: true},
		Fixed:   fixed,
		Sitters: exam.Sitters{Roles: []string{account.RoleExaminee}},
		Review:  exam.ReviewAfterClose,
	}
	if err := db.CreateExam(ctx, e); err != nil {
		return nil, err
	}
	f := &Fixture{ExamID: e.ID.String(), Password: pw}
	users := make([]*account.User, examinees)
	for i := range users {
		login := fmt.Sprintf("lt%s-%d", batch, i+1)
		users[i] = &account.User{Login: login, Name: fmt.Sprintf("压测考生%d", i+1), OrgID: root.ID, Roles: []string{account.RoleExaminee},
			Rank: account.RankStaff, PasswordHash: hash}
		f.Logins = append(f.Logins, login)
	}
	if err := db.CreateUsers(ctx, users); err != nil {
		return nil, err
	}
	return f, nil
}
