package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"pufa/internal/app"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded assets under checksum URLs
// (/static/<hash>/<name>), so they can be cached forever and a new release
// is never served a stale stylesheet.
type staticFiles struct {
	files map[string]staticFile
}

type staticFile struct {
	data        []byte
	hash        string
	contentType string
}

func loadStatic() (*staticFiles, error) {
	sf := &staticFiles{files: map[string]staticFile{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		name := strings.TrimPrefix(p, "static/")
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		sf.files[name] = staticFile{data: data, hash: hex.EncodeToString(sum[:])[:12], contentType: ct}
		return nil
	})
	return sf, err
}

// url is the checksum URL of an asset; templates call it as .Static.
func (sf *staticFiles) url(name string) string {
	f, ok := sf.files[name]
	if !ok {
		panic("web: no static file " + name) // a template bug, caught at first render in tests
	}
	return "/static/" + f.hash + "/" + name
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) error {
	hash, name, ok := strings.Cut(r.PathValue("file"), "/")
	f, found := s.static.files[name]
	if !ok || !found {
		return app.Errorf(app.ENOTFOUND, "文件不存在")
	}
	if hash == f.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Write(f.data)
	return nil
}

// favicon answers browsers that ask for /favicon.ico whatever the page
// says, so they log no 404.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, s.static.url("favicon.svg"), http.StatusMovedPermanently)
	return nil
}
