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
