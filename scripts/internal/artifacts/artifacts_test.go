package artifacts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alicloudrd/terraform-provider-alicloudrd/scripts/internal/artifacts/artifactstest"
)

// The expected hash was computed apart from this code: SHA-256 over
// "<sha256 hex>  <name>\n" of each file, sorted by name, in base64.
func TestHashZip(t *testing.T) {
	dir := t.TempDir()
	path := artifactstest.WriteZip(t, dir, "p.zip", [][2]string{
		{"terraform-provider-x_v1.0.0", "\x7fELF-binary\n"},
		{"README.md", "# readme\n"},
	})
	got, err := HashZip(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := "h1:FA9L55EM9iHqeIVV0A390WTmy1hlDe4lmsl8o3QbVCY="; got != want {
		t.Errorf("HashZip = %s, want %s", got, want)
	}
}

func TestReadSums(t *testing.T) {
	dir := t.TempDir()
	a := strings.Repeat("a", 64)
	b := strings.Repeat("b", 64)
	c := strings.Repeat("c", 64)
	sums := a + "  " + ProviderName + "_0.1.0_darwin_arm64.zip\n" +
		b + "  " + ProviderName + "_0.1.0_manifest.json\n" +
		c + "  " + ProviderName + "_0.1.0_linux_amd64.zip\n"
	if err := os.WriteFile(filepath.Join(dir, ProviderName+"_0.1.0_SHA256SUMS"), []byte(sums), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := ReadSums(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Version != "0.1.0" || len(s.Lines) != 3 || s.Signature() != ProviderName+"_0.1.0_SHA256SUMS.sig" {
		t.Fatalf("ReadSums = %+v", s)
	}
	zips := s.Zips()
	if len(zips) != 2 || zips[0].Platform != "darwin_arm64" || zips[1].Platform != "linux_amd64" || zips[1].SHA256 != c {
		t.Errorf("Zips = %+v", zips)
	}
	if l, ok := s.Zip("linux_amd64"); !ok || l.Name != ProviderName+"_0.1.0_linux_amd64.zip" {
		t.Errorf("Zip(linux_amd64) = %+v, %v", l, ok)
	}
	if s.Lines[1].Name != s.Manifest() || s.Lines[1].Platform != "" {
		t.Errorf("the manifest's line = %+v", s.Lines[1])
	}
}

func TestParseSumsMalformed(t *testing.T) {
	for _, line := range []string{
		"abc  file.zip",
		strings.Repeat("g", 64) + "  file.zip",
		strings.Repeat("a", 64) + " file.zip",
		strings.Repeat("a", 64) + "  ",
	} {
		if _, err := ParseSums([]byte(line+"\n"), "0.1.0"); err == nil || !strings.Contains(err.Error(), "malformed line") {
			t.Errorf("ParseSums(%q) = %v, want a malformed line error", line, err)
		}
	}
}
