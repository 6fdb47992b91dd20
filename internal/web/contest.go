package web

import (
	"context"
	"net/http"

	"pufa/internal/authz"
	"pufa/internal/contest"
	"pufa/internal/exam"
)

// What the knowledge contest's pages share: who may manage a contest, and
// its preliminaries' standings, read from each round's exam through the
// same figures the exam's own results page shows (people count in the
// unit directly under the sitters' org, which is their team).

// contestTarget targets the office that runs contest {id}.
func contestTarget(s *Server, r *http.Request) (authz.Target, error) {
	c, err := s.managedContest(r)
	if err != nil {
		return authz.Target{}, err
	}
	return authz.AtOrg(c.OrgPath), nil
}

// managedContest loads contest {id}.
func (s *Server) managedContest(r *http.Request) (*contest.Contest, error) {
	id, err := pathID(r, "id", "竞赛")
	if err != nil {
		return nil, err
	}
	return once(r, "contest:"+id.String(), func() (*contest.Contest, error) { return s.db.FindContestByID(r.Context(), id) })
}

// contestRounds reads each round's exam and figures, aligned with the
// contest's rounds.
func (s *Server) contestRounds(ctx context.Context, c *contest.Contest) ([]*exam.Exam, []exam.Figures, error) {
	exams := make([]*exam.Exam, len(c.Rounds))
	figures := make([]exam.Figures, len(c.Rounds))
	for i, rd := range c.Rounds {
		e, err := s.db.FindExamByID(ctx, rd.ExamID)
		if err != nil {
			return nil, nil, err
		}
		res, err := s.examResults(ctx, e, false)
		if err != nil {
			return nil, nil, err
		}
		exams[i], figures[i] = e, res.Figures
	}
	return exams, figures, nil
}

// contestStandings ranks the contest's preliminaries.
func (s *Server) contestStandings(ctx context.Context, c *contest.Contest) (contest.Standings, []*exam.Exam, error) {
	exams, figures, err := s.contestRounds(ctx, c)
	if err != nil {
		return contest.Standings{}, nil, err
	}
	return contest.Rank(c, figures), exams, nil
}
