package contest

import (
	"context"
	"time"

	"pufa/internal/app"
)

// Store keeps contests and their live finals.
type Store interface {
	// CreateContest validates and stores c under a fresh ID, setting its
	// OrgPath, CreatedBy (the actor) and CreatedAt; audited. EINVALID also
	// when a round's exam does not exist or is not run by an office in the
	// contest's subtree (field "rounds").
	CreateContest(ctx context.Context, c *Contest) error
	// UpdateContest stores c's settings (title, intro, rounds, team rule,
	// awards, final) and advances c.Revision; audited. ECONFLICT when
	// c.Revision is not the stored one (someone saved since c was read),
	// and once the final has begun (a step exists) when its questions or
	// finalists would change.
	UpdateContest(ctx context.Context, c *Contest) error
	// FindContestByID is ENOTFOUND for an unknown id.
	FindContestByID(ctx context.Context, id app.ID) (*Contest, error)
	// FindContests lists the contests of the offices in orgPath's subtree,
	// newest first.
	FindContests(ctx context.Context, orgPath string) ([]*Contest, error)
	// FindContestsFor lists the contests whose final has userID among its
	// finalists, newest first: a finalist's way to the stage.
	FindContestsFor(ctx context.Context, userID app.ID) ([]*Contest, error)

	// FindLive reads the final's steps (by No) and answers (by step, then
	// time).
	FindLive(ctx context.Context, contestID app.ID) ([]Step, []LiveAnswer, error)
	// FindSteps reads the final's steps by No, without the answers: what
	// an answer is checked against.
	FindSteps(ctx context.Context, contestID app.ID) ([]Step, error)
	// OpenStep stores a step the host opened; ECONFLICT when a step of that
	// No exists (two hosts clicked) or the previous one is not revealed.
	OpenStep(ctx context.Context, contestID app.ID, s Step) error
	// RevealStep stores step no's reveal time and its ClosesAt (the
	// earlier of the stored one and at); ECONFLICT when it is revealed
	// already or does not exist.
	RevealStep(ctx context.Context, contestID app.ID, no int, at time.Time) error
	// SaveLiveAnswer stores a finalist's first answer to step a.No if the
	// step accepts it at a.At (Step.Accepts, checked in the same statement
	// as the write, so a reveal racing the answer wins or loses whole);
	// ECONFLICT when they have answered that step already or the step no
	// longer accepts answers.
	SaveLiveAnswer(ctx context.Context, contestID app.ID, a LiveAnswer) error
	// ResetLive deletes the final's steps and answers (after a rehearsal,
	// 彩排); audited.
	ResetLive(ctx context.Context, contestID app.ID) error
}
