package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"

	"github.com/alicloudrd/terraform-provider-alicloudrd/scripts/internal/artifacts"
)

// server serves the release in dist as a provider registry and as a
// network mirror. It reads dist and keys at every request.
type server struct {
	dist      string // SHA256SUMS, its .sig, the zips and the manifest
	keys      string // ASCII-armored public keys, one block each
	namespace string
	typ       string
	log       io.Writer

	mu sync.Mutex
	h1 map[string]h1Entry // by zip path
}

// h1Entry is a zip's h1: hash, valid while the file keeps its size and time.
type h1Entry struct {
	size    int64
	modTime time.Time
	h1      string
}

// release is what dist holds now.
type release struct {
	sums      *artifacts.Sums
	protocols []string // the manifest's protocol_versions
}

func (s *server) release() (*release, error) {
	sums, err := artifacts.ReadSums(s.dist)
	if err != nil {
		return nil, err
	}
	if len(sums.Zips()) == 0 {
		return nil, fmt.Errorf("%s lists no provider zip of version %s", sums.File, sums.Version)
	}
	m, err := artifacts.ReadManifest(filepath.Join(s.dist, sums.Manifest()))
	if err != nil {
		return nil, err
	}
	return &release{sums: sums, protocols: m.Metadata.ProtocolVersions}, nil
}

func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/terraform.json", s.discovery)
	mux.HandleFunc("GET /v1/providers/{namespace}/{type}/versions", s.versions)
	mux.HandleFunc("GET /v1/providers/{namespace}/{type}/{version}/download/{os}/{arch}", s.download)
	mux.HandleFunc("GET /files/{name}", s.file)
	mux.HandleFunc("GET /mirror/{hostname}/{namespace}/{type}/{name}", s.mirror)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: %s %s", r.Method, r.URL.Path)
	})
	return s.logged(mux)
}

// discovery is the service discovery document: where the provider
// registry protocol is served on this host.
func (s *server) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]string{"providers.v1": "/v1/providers/"})
}

type platform struct {
	OS   string `json:"os"`
	Arch string `json:"arch"`
}

type versionEntry struct {
	Version   string     `json:"version"`
	Protocols []string   `json:"protocols"`
	Platforms []platform `json:"platforms"`
}

// versions lists the one version in dist, its protocols and platforms.
func (s *server) versions(w http.ResponseWriter, r *http.Request) {
	rel, ok := s.provider(w, r)
	if !ok {
		return
	}
	v := versionEntry{Version: rel.sums.Version, Protocols: rel.protocols}
	for _, z := range rel.sums.Zips() {
		v.Platforms = append(v.Platforms, splitPlatform(z.Platform))
	}
	writeJSON(w, map[string][]versionEntry{"versions": {v}})
}

type gpgPublicKey struct {
	KeyID          string  `json:"key_id"`
	ASCIIArmor     string  `json:"ascii_armor"`
	TrustSignature string  `json:"trust_signature"`
	Source         string  `json:"source"`
	SourceURL      *string `json:"source_url"`
}

type downloadResponse struct {
	Protocols           []string `json:"protocols"`
	OS                  string   `json:"os"`
	Arch                string   `json:"arch"`
	Filename            string   `json:"filename"`
	DownloadURL         string   `json:"download_url"`
	SHASumsURL          string   `json:"shasums_url"`
	SHASumsSignatureURL string   `json:"shasums_signature_url"`
	SHASum              string   `json:"shasum"`
	SigningKeys         struct {
		GPGPublicKeys []gpgPublicKey `json:"gpg_public_keys"`
	} `json:"signing_keys"`
}

// download describes the package of a version for a platform: its zip,
// the zip's SHA-256 as SHA256SUMS lists it (as a registry records it at
// publication: the zip served may differ), where SHA256SUMS and its
// signature are, and the namespace's public keys.
func (s *server) download(w http.ResponseWriter, r *http.Request) {
	rel, ok := s.provider(w, r)
	if !ok {
		return
	}
	version, target := r.PathValue("version"), r.PathValue("os")+"_"+r.PathValue("arch")
	if version != rel.sums.Version {
		writeError(w, http.StatusNotFound, "no version %s of %s/%s (there is %s)", version, s.namespace, s.typ, rel.sums.Version)
		return
	}
	zip, found := rel.sums.Zip(target)
	if !found {
		writeError(w, http.StatusNotFound, "no package of %s/%s %s for %s", s.namespace, s.typ, version, target)
		return
	}
	keys, err := readKeys(s.keys)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	base := "https://" + r.Host + "/files/"
	resp := downloadResponse{
		Protocols:           rel.protocols,
		OS:                  r.PathValue("os"),
		Arch:                r.PathValue("arch"),
		Filename:            zip.Name,
		DownloadURL:         base + zip.Name,
		SHASumsURL:          base + rel.sums.File,
		SHASumsSignatureURL: base + rel.sums.Signature(),
		SHASum:              zip.SHA256,
	}
	resp.SigningKeys.GPGPublicKeys = keys
	writeJSON(w, resp)
}

// file serves SHA256SUMS, its signature and the files it lists.
func (s *server) file(w http.ResponseWriter, r *http.Request) {
	rel, err := s.release()
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	name := r.PathValue("name")
	listed := name == rel.sums.File || name == rel.sums.Signature()
	for _, l := range rel.sums.Lines {
		listed = listed || name == l.Name
	}
	if !listed {
		writeError(w, http.StatusNotFound, "%s is neither %s, its signature nor a file it lists", name, rel.sums.File)
		return
	}
	serveFile(w, r, filepath.Join(s.dist, name))
}

// provider checks that the request names the provider served, and reads
// the release; it has answered the request when it returns false.
func (s *server) provider(w http.ResponseWriter, r *http.Request) (*release, bool) {
	if !strings.EqualFold(r.PathValue("namespace"), s.namespace) || !strings.EqualFold(r.PathValue("type"), s.typ) {
		writeError(w, http.StatusNotFound, "no provider %s/%s here (only %s/%s)", r.PathValue("namespace"), r.PathValue("type"), s.namespace, s.typ)
		return nil, false
	}
	rel, err := s.release()
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return nil, false
	}
	return rel, true
}

type mirrorArchive struct {
	URL    string   `json:"url"`
	Hashes []string `json:"hashes"`
}

// mirror implements the provider network mirror protocol: index.json lists
// the versions, <version>.json each platform's zip (a URL relative to it)
// and the zip's h1: hash, and the zips are served beside them.
func (s *server) mirror(w http.ResponseWriter, r *http.Request) {
	rel, ok := s.provider(w, r)
	if !ok {
		return
	}
	name := r.PathValue("name")
	switch name {
	case "index.json":
		writeJSON(w, map[string]map[string]struct{}{"versions": {rel.sums.Version: {}}})
	case rel.sums.Version + ".json":
		archives := map[string]mirrorArchive{}
		for _, z := range rel.sums.Zips() {
			h1, err := s.hashZip(filepath.Join(s.dist, z.Name))
			if err != nil {
				writeError(w, http.StatusInternalServerError, "%v", err)
				return
			}
			archives[z.Platform] = mirrorArchive{URL: z.Name, Hashes: []string{h1}}
		}
		writeJSON(w, map[string]map[string]mirrorArchive{"archives": archives})
	default:
		if z, found := zipNamed(rel.sums, name); found {
			serveFile(w, r, filepath.Join(s.dist, z.Name))
			return
		}
		writeError(w, http.StatusNotFound, "the mirror has no %s: it serves index.json, %s.json and the zips of %s", name, rel.sums.Version, rel.sums.File)
	}
}

func zipNamed(sums *artifacts.Sums, name string) (artifacts.Line, bool) {
	for _, z := range sums.Zips() {
		if z.Name == name {
			return z, true
		}
	}
	return artifacts.Line{}, false
}

// hashZip is the h1: hash of the zip at path, computed once per version
// of the file.
func (s *server) hashZip(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	e, ok := s.h1[path]
	s.mu.Unlock()
	if ok && e.size == st.Size() && e.modTime.Equal(st.ModTime()) {
		return e.h1, nil
	}
	h1, err := artifacts.HashZip(path)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	if s.h1 == nil {
		s.h1 = map[string]h1Entry{}
	}
	s.h1[path] = h1Entry{size: st.Size(), modTime: st.ModTime(), h1: h1}
	s.mu.Unlock()
	return h1, nil
}

var armorBlock = regexp.MustCompile(`(?s)-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----`)

// readKeys reads the public keys the registry gives for the namespace: one
// ASCII-armored block each, holding one key. A missing or empty file holds
// none.
func readKeys(path string) ([]gpgPublicKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return []gpgPublicKey{}, nil
	}
	if err != nil {
		return nil, err
	}
	blocks := armorBlock.FindAllString(string(b), -1)
	if len(blocks) == 0 && strings.TrimSpace(string(b)) != "" {
		return nil, fmt.Errorf("%s holds no PGP PUBLIC KEY BLOCK", path)
	}
	keys := []gpgPublicKey{}
	for i, block := range blocks {
		entities, err := openpgp.ReadArmoredKeyRing(strings.NewReader(block))
		if err != nil {
			return nil, fmt.Errorf("%s, key block %d: %w", path, i+1, err)
		}
		if len(entities) != 1 {
			return nil, fmt.Errorf("%s, key block %d: want one key, got %d", path, i+1, len(entities))
		}
		keys = append(keys, gpgPublicKey{
			KeyID:      entities[0].PrimaryKey.KeyIdString(),
			ASCIIArmor: block + "\n",
			Source:     "alicloudrd registry test",
		})
	}
	return keys, nil
}

func splitPlatform(p string) platform {
	os, arch, _ := strings.Cut(p, "_")
	return platform{OS: os, Arch: arch}
}

func serveFile(w http.ResponseWriter, r *http.Request, path string) {
	f, err := os.Open(path)
	if err != nil {
		writeError(w, http.StatusNotFound, "%v", err)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, filepath.Base(path), st.ModTime(), f)
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(b, '\n'))
}

// writeError answers as the registry does: {"errors": ["..."]}.
func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	b, _ := json.Marshal(map[string][]string{"errors": {fmt.Sprintf(format, args...)}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// logged logs each request, its status and the size of the answer.
func (s *server) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		fmt.Fprintf(s.log, "registry: %d %s %s (%d B)\n", rec.status, r.Method, r.URL.Path, rec.size)
	})
}

type recorder struct {
	http.ResponseWriter
	status int
	size   int64
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.size += int64(n)
	return n, err
}
