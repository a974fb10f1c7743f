package http

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// asset is one static file, served under a name that carries a hash of its
// content, so that browsers may cache it for a year and still see changes.
type asset struct {
	name        string // as in static/, e.g. app.css
	hashedName  string // e.g. app.3f9a1c0b2d.css
	hash        string
	contentType string
	body        []byte
}

// assetIndex indexes the embedded static files by plain and by hashed name.
type assetIndex struct {
	byName   map[string]*asset
	byHashed map[string]*asset
}

var assets = loadAssets()

func loadAssets() *assetIndex {
	idx := &assetIndex{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hash := hex.EncodeToString(sum[:5])
		a := &asset{
			name:        name,
			hash:        hash,
			hashedName:  strings.TrimSuffix(name, ext) + "." + hash + ext,
			contentType: mime.TypeByExtension(ext),
			body:        body,
		}
		if a.contentType == "" {
			a.contentType = "application/octet-stream"
		}
		idx.byName[a.name] = a
		idx.byHashed[a.hashedName] = a
		return nil
	})
	if err != nil {
		panic("http: load static assets: " + err.Error())
	}
	return idx
}

// assetURL returns the content-hashed URL of the static file name.
func assetURL(name string) string {
	a, ok := assets.byName[name]
	if !ok {
		panic("http: no static asset " + name)
	}
	return "/static/" + a.hashedName
}

// handleStatic serves a static file. Hashed names never change content and
// are cached for a year; plain names (for tools and bookmarks) are revalidated.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request, _ *request) error {
	name := r.PathValue("file")
	a, hashed := assets.byHashed[name]
	if !hashed {
		a = assets.byName[name]
	}
	if a == nil {
		http.NotFound(w, r)
		return nil
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	if hashed {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	etag := `"` + a.hash + `"`
	h.Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.Write(a.body)
	return nil
}
