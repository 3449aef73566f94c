package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alicloudrd/terraform-provider-alicloudrd/scripts/internal/artifacts/artifactstest"
)

const testLock = `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/random" {
  version = "3.6.0"
  hashes = [
    "h1:other",
  ]
}

provider "registry.terraform.io/alicloudrd/alicloudrd" {
  version     = "0.1.0"
  constraints = "0.1.0"
  hashes = [
    "h1:one=",
    "zh:abc",
  ]
}
`

func TestParseLock(t *testing.T) {
	version, hashes, err := parseLock([]byte(testLock), sourceAddress(defaultHostname))
	if err != nil {
		t.Fatal(err)
	}
	if version != "0.1.0" || strings.Join(hashes, " ") != "h1:one= zh:abc" {
		t.Errorf("parseLock = %q, %q", version, hashes)
	}
	if _, _, err := parseLock([]byte(testLock), sourceAddress("registry.opentofu.org")); err == nil {
		t.Error("parseLock found a provider block for another host")
	}
}

// A dist/ with two platforms, checked against lock files.
func TestCheckLock(t *testing.T) {
	dir := t.TempDir()
	const version = "0.1.0"
	linux := artifactstest.WriteZip(t, dir, providerName+"_0.1.0_linux_amd64.zip", [][2]string{{binaryName(version, "linux_amd64"), "linux"}})
	windows := artifactstest.WriteZip(t, dir, providerName+"_0.1.0_windows_amd64.zip", [][2]string{{binaryName(version, "windows_amd64"), "windows"}})
	manifest := filepath.Join(dir, providerName+"_0.1.0_manifest.json")
	if err := os.WriteFile(manifest, []byte(`{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var sums strings.Builder
	for _, p := range []string{linux, windows, manifest} {
		sum, err := sha256File(p)
		if err != nil {
			t.Fatal(err)
		}
		sums.WriteString(sum + "  " + filepath.Base(p) + "\n")
	}
	if err := os.WriteFile(filepath.Join(dir, providerName+"_0.1.0_SHA256SUMS"), []byte(sums.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := loadDist(dir)
	if err != nil {
		t.Fatal(err)
	}
	linuxH1, _ := hashZip(linux)
	windowsH1, _ := hashZip(windows)
	linuxZH := "zh:" + d.zip("linux_amd64").sha256
	windowsZH := "zh:" + d.zip("windows_amd64").sha256
	manifestZH := "zh:" + d.manifest.sha256

	tests := []struct {
		name    string
		version string
		hashes  []string
		want    []string
		signed  bool
		err     string // empty: passes
	}{
		{"both platforms", version, []string{windowsH1, linuxH1}, []string{"linux_amd64", "windows_amd64"}, false, ""},
		{"zh from SHA256SUMS", version, []string{linuxH1, linuxZH}, []string{"linux_amd64"}, false, ""},
		{"the manifest's zh", version, []string{linuxH1, manifestZH}, []string{"linux_amd64"}, false, ""},
		{"a platform missing", version, []string{linuxH1}, []string{"linux_amd64", "windows_amd64"}, false, "lacks " + windowsH1},
		{"a platform not asked for", version, []string{linuxH1, windowsH1}, []string{"linux_amd64"}, false, "windows_amd64, a platform not asked for"},
		{"an unknown hash", version, []string{linuxH1, "h1:altered="}, []string{"linux_amd64"}, false, "h1:altered=, which matches no artifact"},
		{"an unknown zh", version, []string{linuxH1, "zh:00"}, []string{"linux_amd64"}, false, "zh:00, which matches no artifact"},
		{"another version", "0.2.0", []string{linuxH1}, []string{"linux_amd64"}, false, "records version 0.2.0, the artifacts are 0.1.0"},
		{"signed: every line", version, []string{linuxH1, linuxZH, manifestZH, windowsZH}, []string{"linux_amd64"}, true, ""},
		{"signed: the manifest's line missing", version, []string{linuxH1, linuxZH, windowsZH}, []string{"linux_amd64"}, true,
			"lacks " + manifestZH + ", the line of " + providerName + "_0.1.0_manifest.json"},
		{"signed: a zip's line missing", version, []string{linuxH1, linuxZH, manifestZH}, []string{"linux_amd64"}, true,
			"lacks " + windowsZH + ", the line of " + providerName + "_0.1.0_windows_amd64.zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkLock(io.Discard, d, tt.want, tt.version, tt.hashes, tt.signed)
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("checkLock: %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("checkLock error = %v, want one with %q", err, tt.err)
			}
		})
	}
}

// tamper keeps a valid package whose content, and so h1, differs.
func TestTamper(t *testing.T) {
	dir := t.TempDir()
	path := artifactstest.WriteZip(t, dir, providerName+"_0.1.0_linux_amd64.zip", [][2]string{{binaryName("0.1.0", "linux_amd64"), "binary"}})
	before, _ := hashZip(path)
	if err := runTamper([]string{"-zip", path}); err != nil {
		t.Fatal(err)
	}
	after, err := hashZip(path)
	if err != nil {
		t.Fatal(err)
	}
	if before == after {
		t.Error("the h1 hash did not change")
	}
}
