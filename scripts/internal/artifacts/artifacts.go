// Package artifacts reads the release artifacts that goreleaser writes into
// dist/ (the SHA256SUMS file, the provider zips it lists and the registry
// manifest) and computes the hashes Terraform records for them. The test
// tools scripts/mirror and scripts/registry use it.
package artifacts

import (
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// ProviderName is the provider's project name: the prefix of every artifact.
const ProviderName = "terraform-provider-alicloudrd"

var (
	sumsPattern = regexp.MustCompile(`^` + ProviderName + `_(.+)_SHA256SUMS$`)
	// ZipPattern matches a provider zip's name: version, then platform.
	ZipPattern = regexp.MustCompile(`^` + ProviderName + `_(.+)_([a-z0-9]+_[a-z0-9]+)\.zip$`)
)

// Line is one line of a SHA256SUMS file.
type Line struct {
	SHA256   string // hex
	Name     string
	Platform string // os_arch for a provider zip of the version, empty otherwise
}

// Sums is the SHA256SUMS file of one version in a directory.
type Sums struct {
	Dir     string
	File    string // the file's name, terraform-provider-alicloudrd_<version>_SHA256SUMS
	Version string
	Lines   []Line // in the file's order
}

// Signature is the name of the detached signature of the SHA256SUMS file.
func (s *Sums) Signature() string { return s.File + ".sig" }

// Manifest is the name of the registry manifest of the version.
func (s *Sums) Manifest() string { return ProviderName + "_" + s.Version + "_manifest.json" }

// Zips returns the lines of the provider zips, in the file's order.
func (s *Sums) Zips() []Line {
	var zips []Line
	for _, l := range s.Lines {
		if l.Platform != "" {
			zips = append(zips, l)
		}
	}
	return zips
}

// Zip returns the line of the zip for platform (os_arch), if listed.
func (s *Sums) Zip(platform string) (Line, bool) {
	for _, l := range s.Lines {
		if l.Platform == platform {
			return l, true
		}
	}
	return Line{}, false
}

// ReadSums finds the one SHA256SUMS file in dir and parses it.
func ReadSums(dir string) (*Sums, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%w (run make release-snapshot first)", err)
	}
	s := &Sums{Dir: dir}
	for _, e := range entries {
		if m := sumsPattern.FindStringSubmatch(e.Name()); m != nil {
			if s.File != "" {
				return nil, fmt.Errorf("%s holds two SHA256SUMS files, %s and %s: run make release-snapshot again", dir, s.File, e.Name())
			}
			s.File, s.Version = e.Name(), m[1]
		}
	}
	if s.File == "" {
		return nil, fmt.Errorf("no %s_<version>_SHA256SUMS in %s (run make release-snapshot first)", ProviderName, dir)
	}
	b, err := os.ReadFile(filepath.Join(dir, s.File))
	if err != nil {
		return nil, err
	}
	if s.Lines, err = ParseSums(b, s.Version); err != nil {
		return nil, fmt.Errorf("%s: %w", s.File, err)
	}
	return s, nil
}

// ParseSums parses the content of a SHA256SUMS file ("<sha256 hex>  <name>"
// per line); lines naming a provider zip of version get its platform.
func ParseSums(b []byte, version string) ([]Line, error) {
	var lines []Line
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if _, err := hex.DecodeString(sum); !ok || len(sum) != 64 || err != nil || name == "" {
			return nil, fmt.Errorf("malformed line %q: want \"<sha256 hex>  <file name>\"", sc.Text())
		}
		l := Line{SHA256: sum, Name: name}
		if m := ZipPattern.FindStringSubmatch(name); m != nil && m[1] == version {
			l.Platform = m[2]
		}
		lines = append(lines, l)
	}
	return lines, sc.Err()
}

// Manifest is the registry manifest (terraform-registry-manifest.json).
type Manifest struct {
	Version  int `json:"version"`
	Metadata struct {
		ProtocolVersions []string `json:"protocol_versions"`
	} `json:"metadata"`
}

// ReadManifest reads a registry manifest and checks that it is version 1
// and names at least one protocol version.
func ReadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m.Version != 1 || len(m.Metadata.ProtocolVersions) == 0 {
		return nil, fmt.Errorf("%s: want version 1 and protocol versions, got %s", path, b)
	}
	return &m, nil
}

// BinaryName is the binary's name in a release zip, as goreleaser names it.
func BinaryName(version, platform string) string {
	name := ProviderName + "_v" + version
	if strings.HasPrefix(platform, "windows_") {
		name += ".exe"
	}
	return name
}

// HashZip is Terraform's h1: hash of a provider package (the "dirhash" of
// golang.org/x/mod, scheme Hash1): the SHA-256 of the list of the package's
// files, sorted by name, each as "<sha256 hex>  <name>\n".
func HashZip(path string) (string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	files := slices.Clone(zr.File)
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	summary := sha256.New()
	for _, f := range files {
		if strings.Contains(f.Name, "\n") {
			return "", fmt.Errorf("%s: a file name with a newline", path)
		}
		content, err := readZipFile(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(summary, "%x  %s\n", sha256.Sum256(content), f.Name)
	}
	return "h1:" + base64.StdEncoding.EncodeToString(summary.Sum(nil)), nil
}

// ZipEntry returns the content of the file name in the zip at path.
func ZipEntry(path, name string) ([]byte, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			return readZipFile(f)
		}
	}
	return nil, fmt.Errorf("%s holds no %s", path, name)
}

func readZipFile(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// SHA256File is the hex SHA-256 of a file.
func SHA256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
