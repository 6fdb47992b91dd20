// Package learn is what people do with the law library: must-know lists
// (应知应会清单) per audience, each person's progress through them, practice
// over a list or tags with immediate feedback, and the mistake book (错题本)
// that practice draws from again.
package learn

import (
	"context"
	"strings"
	"time"

	"pufa/internal/app"
)

// Audience is who a must-know list is for.
type Audience string

// Audiences the national plan names, and a unit's own list.
const (
	Leaders          Audience = "leaders"           // 领导干部
	StateEmployees   Audience = "state_employees"   // 国家工作人员
	LawUnderstanders Audience = "law_understanders" // 法律明白人
	UnitOwn          Audience = "unit"              // 本单位清单
)

// Audiences lists them in form order.
var Audiences = []Audience{Leaders, StateEmployees, LawUnderstanders, UnitOwn}

// Label is the audience in Chinese.
func (a Audience) Label() string {
	switch a {
	case Leaders:
		return "领导干部"
	case StateEmployees:
		return "国家工作人员"
	case LawUnderstanders:
		return "法律明白人"
	case UnitOwn:
		return "本单位"
	}
	return string(a)
}

// Valid reports whether a is known.
func (a Audience) Valid() bool {
	for _, x := range Audiences {
		if x == a {
			return true
		}
	}
	return false
}

// Item is one entry of a list: a whole law (ArticleID 0) or one article,
// with study material (a note, a reading, a link inside pufa).
type Item struct {
	LawID     app.ID
	ArticleID app.ID
	Material  string
	// Filled in when read: the law's title and the article's label.
	LawTitle     string
	ArticleLabel string
}

// List is a must-know list.
type List struct {
	ID        app.ID
	OrgID     app.ID
	Title     string
	Audience  Audience
	Year      int
	Items     []Item
	CreatedBy app.ID
	CreatedAt time.Time
}

// Validate checks a list before it is saved.
func (l *List) Validate() error {
	l.Title = strings.TrimSpace(l.Title)
	if l.Title == "" {
		return app.Invalid("title", "请填写清单名称")
	}
	if len([]rune(l.Title)) > 100 {
		return app.Invalid("title", "清单名称不能超过 100 个字")
	}
	if !l.Audience.Valid() {
		return app.Invalid("audience", "请选择清单的适用对象")
	}
	if len(l.Items) > 2000 {
		return app.Invalid("items", "一份清单最多 2000 项")
	}
	for i, it := range l.Items {
		if it.LawID == 0 {
			return app.Invalid("items", "第 %d 项没有选择法律法规", i+1)
		}
		if len([]rune(it.Material)) > 2000 {
			return app.Invalid("items", "第 %d 项的学习材料不能超过 2000 字", i+1)
		}
	}
	return nil
}

// Progress is one person's (or, summed, one unit's) way through a list:
// articles read of those the list covers, and questions practised of
// those that test them.
type Progress struct {
	Articles, Read       int
	Questions, Practised int
	People               int // for a unit: how many people the sums cover
}

// Percent is the share of articles read, 0–100.
func (p Progress) Percent() int {
	if p.Articles == 0 {
		return 0
	}
	return p.Read * 100 / p.Articles
}

// Mistake is a question in a person's mistake book.
type Mistake struct {
	QuestionID  app.ID
	WrongCount  int
	RightStreak int
	LastWrongAt time.Time
}

// ClearAfter is how many right answers in a row take a question out of the
// mistake book: one lucky guess is not enough.
const ClearAfter = 2

// Store keeps lists, reading, practice and mistakes.
type Store interface {
	CreateList(ctx context.Context, l *List) error
	UpdateList(ctx context.Context, l *List) error
	FindListByID(ctx context.Context, id app.ID) (*List, error)
	// FindLists lists the lists of the regions above and at orgPath's
	// subtree root, newest first, without items.
	FindLists(ctx context.Context, orgPaths []string) ([]*List, error)
	// ListArticles returns the article ids a list covers, whole laws
	// expanded to their articles.
	ListArticles(ctx context.Context, listID app.ID) ([]app.ID, error)
	MarkRead(ctx context.Context, userID, articleID app.ID) error
	// FindProgress sums reading and practice over a list for each user
	// given (or, with orgPath set, for every user in the subtree, summed
	// per org).
	FindListProgress(ctx context.Context, listID app.ID, userIDs []app.ID) (map[app.ID]Progress, error)
	FindUnitListProgress(ctx context.Context, listID app.ID, orgPath string) (map[app.ID]Progress, error)
	// RecordPractice stores an answer and updates the mistake book: a
	// wrong answer enters or stays, ClearAfter right ones in a row leave.
	RecordPractice(ctx context.Context, userID, questionID app.ID, answer []string, correct bool) error
	FindMistakes(ctx context.Context, userID app.ID) ([]Mistake, error)
}
