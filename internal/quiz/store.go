package quiz

import (
	"context"
	"time"

	"pufa/internal/app"
)

// Stored is a quiz as kept: its definition, the public key of its link
// and QR code (/p/quiz/{key}), and who made it.
type Stored struct {
	Quiz
	Key       string
	CreatedBy app.ID
	CreatedAt time.Time
}

// Submission is one response about to be stored.
type Submission struct {
	// Seed drew the respondent's option order (Quiz.Paper).
	Seed uint64
	// Token is the invitation token (invited quizzes); Device the device
	// cookie (open quizzes); Client a keyed hash of the client address,
	// for the rate limits, never the address itself.
	Token, Device, Client string
	Profile               map[string]string
	Result                Result
	// At backdates the response: zero (as every response from the quiz's
	// pages) stamps it with the store's clock. Only an import of answers
	// collected on paper, or the demo's responses spread over the past
	// weeks, sets it; the rules are checked as at At, which may not lie
	// ahead of the store's clock.
	At time.Time
}

// StoredResponse is a stored response with what the office's page and the
// alarms read.
type StoredResponse struct {
	ID       app.ID
	At       time.Time
	Excluded bool
	Response
}

// StoredResult is a stored response as its respondent's result page
// shows it again (Quiz.Restore).
type StoredResult struct {
	ID       app.ID
	At       time.Time
	Excluded bool
	// Seed drew the respondent's option order.
	Seed uint64
	// Questions are the markings as stored, in the quiz's order: what was
	// given in the question's own labels, the verdict and the points
	// earned. Dimension is left to the quiz.
	Questions []Marked
	// Scores are the scores per dimension and Total the total, out of 100.
	Scores map[string]Hundredths
	Total  Hundredths
}

// Store keeps quizzes, invitation tokens and responses.
type Store interface {
	// CreateQuiz validates and stores q, giving it an ID and a key.
	CreateQuiz(ctx context.Context, q *Stored) error
	FindQuizByID(ctx context.Context, id app.ID) (*Stored, error)
	// FindQuizByKey is ENOTFOUND for an unknown key.
	FindQuizByKey(ctx context.Context, key string) (*Stored, error)
	// FindQuizzes lists the quizzes of the offices in orgPath's subtree,
	// newest first.
	FindQuizzes(ctx context.Context, orgPath string) ([]*Stored, error)
	// FindOpenQuizzes lists the open-mode quizzes taking responses at now,
	// those closing soonest first, for the public home page; invited ones
	// are reached by their links only.
	FindOpenQuizzes(ctx context.Context, now time.Time) ([]*Stored, error)
	// IssueQuizTokens makes n invitation tokens for an invited quiz. (Not
	// IssueTokens: the store's public-rating stages have that method.)
	IssueQuizTokens(ctx context.Context, quizID app.ID, n int) ([]string, error)
	// ArrivalFor reads the facts Accept needs about a response from token,
	// device and client arriving at at (for the check before the questions
	// are shown).
	ArrivalFor(ctx context.Context, q *Stored, token, device, client string, at time.Time) (Arrival, error)
	// SubmitResponse stores a response in one transaction: it reads the
	// Arrival again inside it, calls q.Accept, and stores the response and
	// its dimension scores only when Accept allows; unique indexes on
	// (quiz, token) and (quiz, device) are the last guard, answered as
	// Accept's ECONFLICT. A backdated response (Submission.At) ahead of
	// the store's clock is EINVALID.
	SubmitResponse(ctx context.Context, q *Stored, s *Submission) (app.ID, error)
	// FindResponseResult reads one response of a quiz for its result page
	// shown again; ENOTFOUND when the quiz has no response responseID.
	// Who may see it is the caller's to decide (a signed reference, the
	// respondent's own device or token).
	FindResponseResult(ctx context.Context, quizID, responseID app.ID) (*StoredResult, error)
	// FindResponses lists a quiz's responses, oldest first, excluded ones
	// included (Tally wants those not excluded; the alarms want all).
	FindResponses(ctx context.Context, quizID app.ID) ([]StoredResponse, error)
	// ExcludeResponses marks responses excluded (a burst the office judged
	// not genuine), audited.
	ExcludeResponses(ctx context.Context, quizID app.ID, ids []app.ID) error
}
