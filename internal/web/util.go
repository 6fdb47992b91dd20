package web

import (
	"net/http"
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

// pageParams reads ?page= (1-based) into a limit and offset.
func pageParams(r *http.Request, size int) (page, offset int) {
	page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 || page > 100000 {
		page = 1
	}
	return page, (page - 1) * size
}

// pager is what the pagination partial shows.
type pager struct {
	Page, Pages, Total int
	Prev, Next         int
	// Query is the current filter, to keep in page links.
	Query string
}

func newPager(page, size, total int, query string) pager {
	pages := max(1, (total+size-1)/size)
	p := pager{Page: page, Pages: pages, Total: total, Query: query}
	if page > 1 {
		p.Prev = page - 1
	}
	if page < pages {
		p.Next = page + 1
	}
	return p
}
