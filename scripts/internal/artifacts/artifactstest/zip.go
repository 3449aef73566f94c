// Package artifactstest holds what the tests of the release tooling share.
package artifactstest

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// WriteZip writes a zip of files ({name, content}), in the given order, into
// dir and returns its path.
func WriteZip(t testing.TB, dir, name string, files [][2]string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, file := range files {
		w, err := zw.Create(file[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, file[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
