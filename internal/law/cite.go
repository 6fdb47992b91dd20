package law

import (
	"context"
	"regexp"
	"strings"

	"pufa/internal/app"
)

// citation finds 《宪法》第三十三条 or 依据《民法典》第一千一百六十五条之一.
var citation = regexp.MustCompile(`《([^》]{1,40})》(?:的)?(第[零〇一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?)`)

// FindCitation returns the first law and article a text cites: the title
// as written inside 《》 (often short: 宪法 for 中华人民共和国宪法) and the
// article's label. Question banks cite the article a question tests this
// way in its analysis.
func FindCitation(s string) (title, label string, ok bool) {
	m := citation.FindStringSubmatch(s)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// Resolver finds the article a text cites among the laws of a library.
type Resolver struct {
	st   Store
	laws []Summary
}

// NewResolver reads the laws kept by the orgs on paths.
func NewResolver(ctx context.Context, st Store, paths []string) (*Resolver, error) {
	laws, err := st.FindLaws(ctx, Filter{InPaths: paths})
	if err != nil {
		return nil, err
	}
	return &Resolver{st: st, laws: laws}, nil
}

// Resolve returns the law and article the first of texts that cites one
// cites. A short title matches a law whose full title contains it
// (《宪法》 → 中华人民共和国宪法).
func (r *Resolver) Resolve(ctx context.Context, texts ...string) (lawID, articleID app.ID, ok bool) {
	for _, text := range texts {
		title, label, found := FindCitation(text)
		if !found {
			continue
		}
		for _, l := range r.laws {
			if !strings.Contains(l.Law.Title, title) {
				continue
			}
			if art, err := r.st.FindArticleByLabel(ctx, l.Law.ID, label); err == nil {
				return l.Law.ID, art.ID, true
			}
		}
	}
	return 0, 0, false
}
