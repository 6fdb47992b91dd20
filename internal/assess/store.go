package assess

import (
	"context"
	"time"

	"pufa/internal/app"
)

// SchemeStatus says whether a scheme version may still change.
type SchemeStatus string

// Scheme statuses: a draft is edited in place; a published version is
// immutable, and editing it starts the next version as a draft.
const (
	Draft     SchemeStatus = "draft"
	Published SchemeStatus = "published"
)

// StoredScheme is one stored version of a scheme.
type StoredScheme struct {
	ID app.ID
	// FamilyID ties the versions of one scheme together; it is the id of
	// the first version.
	FamilyID    app.ID
	OrgID       app.ID // the region whose office owns it
	Status      SchemeStatus
	Scheme      *Scheme
	CreatedBy   app.ID
	CreatedAt   time.Time
	PublishedAt time.Time
}

// Store keeps schemes. Changing methods audit in the same transaction.
type Store interface {
	// CreateScheme stores s as a new draft: the first version of a new
	// scheme when family is 0, else the next version of that family.
	// EINVALID when s does not validate.
	CreateScheme(ctx context.Context, orgID, family app.ID, s *Scheme) (*StoredScheme, error)
	// UpdateScheme replaces a draft's tree; ECONFLICT for a published one.
	UpdateScheme(ctx context.Context, id app.ID, s *Scheme) error
	// PublishScheme freezes a draft; ECONFLICT when already published.
	PublishScheme(ctx context.Context, id app.ID) error
	// FindSchemeByID returns ENOTFOUND.
	FindSchemeByID(ctx context.Context, id app.ID) (*StoredScheme, error)
	// FindSchemes returns the latest version of each scheme of the regions
	// in a subtree.
	FindSchemes(ctx context.Context, orgPath string) ([]*StoredScheme, error)
}

// RaterTask is one subject a rater is to score in one stage, with the
// state of their sheet.
type RaterTask struct {
	RoundID    app.ID
	RoundTitle string
	Status     RoundStatus
	StageID    app.ID
	StageKind  StageKind
	StageName  string
	ClosesAt   time.Time
	Subject    Subject
	Sheet      SheetStatus // "" when not started
}

// RoundProgress is a round's sheets counted per rater and per subject,
// assigned against submitted.
type RoundProgress struct {
	ByRater   map[app.ID]*Progress
	BySubject map[app.ID]*Progress
	// ByStage counts per stage id; a public stage counts votes in
	// Submitted.
	ByStage map[app.ID]*Progress
}

// StoredCorrection is a proposed or decided correction of a published
// total.
type StoredCorrection struct {
	ID        app.ID
	RoundID   app.ID
	SubjectID app.ID
	Total     float64
	Reason    string
	Status    string // pending, approved, rejected
	EnteredBy app.ID
	EnteredAt time.Time
	DecidedBy app.ID
	DecidedAt time.Time
	Revision  int
}

// Correction statuses.
const (
	CorrectionPending  = "pending"
	CorrectionApproved = "approved"
	CorrectionRejected = "rejected"
)

// Revision is one published revision of a round's results.
type Revision struct {
	Revision   int
	Reason     string
	EnteredBy  app.ID
	ApprovedBy app.ID
	CreatedAt  time.Time
}

// Vote is one public rating.
type Vote struct {
	ID        app.ID
	StageID   app.ID
	SubjectID app.ID
	Rating    int
	Comment   string
	Client    string // a keyed hash of the client address, for bursts from one place
	Excluded  bool
	CreatedAt time.Time
}

// RoundStore keeps rounds, their sheets, votes and results. Changing
// methods audit in the same transaction.
type RoundStore interface {
	// CreateRound stores a draft round with its stages and subjects; the
	// scheme must be a published version. EINVALID names what is wrong.
	CreateRound(ctx context.Context, r *Round) error
	// UpdateRound replaces a draft or open round's title, period, grading,
	// stage dates and public settings; stages and subjects change only in
	// a draft. ECONFLICT once locked.
	UpdateRound(ctx context.Context, r *Round) error
	// SetRoundStatus moves a round from one status to the next:
	// draft→open, open→locked, locked→open. Publishing is
	// PublishResults.
	SetRoundStatus(ctx context.Context, id app.ID, from, to RoundStatus) error
	FindRoundByID(ctx context.Context, id app.ID) (*Round, error)
	// FindRounds lists the rounds run by regions in a subtree, newest
	// first, without stages and subjects.
	FindRounds(ctx context.Context, orgPath string) ([]*Round, error)
	// FindRoundsOfSubject lists published rounds in which org is a subject.
	FindRoundsOfSubject(ctx context.Context, orgID app.ID) ([]*Round, error)
	// FindStageByKey finds a public stage by its public key.
	FindStageByKey(ctx context.Context, key string) (*Round, *RoundStage, error)

	// SetAssignments replaces a stage's raters (draft or open rounds).
	SetAssignments(ctx context.Context, stageID app.ID, as []Assignment) error
	FindAssignments(ctx context.Context, roundID app.ID) ([]Assignment, error)
	IsAssigned(ctx context.Context, stageID, raterID, subjectID app.ID) (bool, error)
	// FindRaterTasks lists what a rater has to score in rounds not yet
	// published.
	FindRaterTasks(ctx context.Context, raterID app.ID) ([]RaterTask, error)

	// SaveSheet stores a draft: the rater must be assigned and the stage
	// open. ECONFLICT when the sheet is already submitted.
	SaveSheet(ctx context.Context, sh *StoredSheet) error
	// SubmitSheet stores the sheet as submitted with its result and
	// every indicator's score (codes: the scheme's tree order).
	SubmitSheet(ctx context.Context, sh *StoredSheet, res Result, codes []string) error
	// ReturnSheet sends a submitted sheet back to its rater with a reason
	// while the round is open; its scores stop counting.
	ReturnSheet(ctx context.Context, sheetID app.ID, reason string) error
	// FindSheet returns ENOTFOUND when the rater has not started it.
	FindSheet(ctx context.Context, stageID, subjectID, raterID app.ID) (*StoredSheet, error)
	FindSheetByID(ctx context.Context, id app.ID) (*StoredSheet, error)
	// FindSubjectSheets returns every sheet of one subject in a round.
	FindSubjectSheets(ctx context.Context, roundID, subjectID app.ID) ([]*StoredSheet, error)
	// RoundSheets streams every sheet of a round, for export.
	RoundSheets(ctx context.Context, roundID app.ID, fn func(*StoredSheet) error) error
	FindProgress(ctx context.Context, roundID app.ID) (*RoundProgress, error)

	// Aggregate streams a round's submitted sheets and counted votes,
	// aggregated per subject in the database, one subject at a time, in
	// subject order. codes is the scheme's tree order.
	Aggregate(ctx context.Context, roundID app.ID, codes []string, fn func(SubjectTallies) error) error

	// PublishResults stores results as the next revision and marks the
	// round published. The first publication needs the round locked; a
	// later revision carries the approved corrections it applies.
	PublishResults(ctx context.Context, roundID app.ID, results []SubjectResult, rev Revision, applied []app.ID) error
	// FindResults returns a revision's results (0: the latest) in rank
	// order, or by subject order when the round does not rank.
	FindResults(ctx context.Context, roundID app.ID, revision int) ([]SubjectResult, error)
	FindRevisions(ctx context.Context, roundID app.ID) ([]Revision, error)

	ProposeCorrection(ctx context.Context, c *StoredCorrection) error
	// RejectCorrection closes a pending correction; approving one is
	// PublishResults with it applied.
	RejectCorrection(ctx context.Context, id app.ID) error
	FindCorrections(ctx context.Context, roundID app.ID) ([]*StoredCorrection, error)

	// Public rating.
	IssueTokens(ctx context.Context, stageID app.ID, hashes []string, labels []string) error
	// UseToken reports whether a token of the stage exists (and marks its
	// first use).
	UseToken(ctx context.Context, stageID app.ID, hash string) (bool, error)
	// SaveVoteCode stores a phone verification code, refusing a new one
	// within a minute of the last (ECONFLICT).
	SaveVoteCode(ctx context.Context, stageID app.ID, phoneKey, codeHash string, expires time.Time) error
	// CheckVoteCode counts an attempt and reports whether the code matches
	// and is in date; after five wrong attempts the code is spent.
	CheckVoteCode(ctx context.Context, stageID app.ID, phoneKey, codeHash string) (bool, error)
	// CastVotes stores one vote per subject for a voter; subjects the
	// voter already rated are skipped and returned.
	CastVotes(ctx context.Context, stageID app.ID, voter string, votes []Vote) (skipped []app.ID, err error)
	// FindVotes returns a stage's votes for a subject in time order.
	FindVotes(ctx context.Context, stageID, subjectID app.ID) ([]Vote, error)
	// VoteCounts returns per subject the number of votes (counted and
	// excluded) of a stage.
	VoteCounts(ctx context.Context, stageID app.ID) (map[app.ID][2]int, error)
	// ExcludeVotes marks votes excluded (or counted again).
	ExcludeVotes(ctx context.Context, stageID app.ID, ids []app.ID, excluded bool) error
}
