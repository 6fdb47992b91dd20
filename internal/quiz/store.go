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
}

// StoredResponse is a stored response with what the office's page and the
// alarms read.
type StoredResponse struct {
	ID       app.ID
	At       time.Time
	Excluded bool
	Response
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
	// Accept's ECONFLICT.
	SubmitResponse(ctx context.Context, q *Stored, s *Submission) (app.ID, error)
	// FindResponses lists a quiz's responses, oldest first, excluded ones
	// included (Tally wants those not excluded; the alarms want all).
	FindResponses(ctx context.Context, quizID app.ID) ([]StoredResponse, error)
	// ExcludeResponses marks responses excluded (a burst the office judged
	// not genuine), audited.
	ExcludeResponses(ctx context.Context, quizID app.ID, ids []app.ID) error
}
