package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/upload"
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

// parseUpload parses a multipart form (or an ordinary one), keeping up to
// 1 MiB in memory; the body limit has already capped the whole request.
// The caller removes the temporary files with r.MultipartForm.RemoveAll.
func (s *Server) parseUpload(r *http.Request) error {
	err := r.ParseMultipartForm(1 << 20)
	if err == nil || errors.Is(err, http.ErrNotMultipart) {
		return nil
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return app.Errorf(app.ETOOLARGE, "文件超过 %s 上限", humanSize(s.opts.MaxUploadBytes))
	}
	return app.Invalid("file", "无法读取上传的文件")
}

// fileOrText returns the uploaded file (form field "file") or, without
// one, the pasted text (field "text") under pastedName; both empty is
// ok == false. The file is read within the upload limit before anything
// parses it.
func (s *Server) fileOrText(r *http.Request, pastedName string) (data []byte, name string, ok bool, err error) {
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if f, hdr, ferr := r.FormFile("file"); ferr == nil {
		defer f.Close()
		data, err = upload.ReadLimited(f, s.opts.MaxUploadBytes)
		return data, hdr.Filename, err == nil, err
	}
	if text := r.FormValue("text"); strings.TrimSpace(text) != "" {
		return []byte(text), pastedName, true, nil
	}
	return nil, "", false, nil
}
