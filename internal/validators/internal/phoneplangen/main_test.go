package main

import (
	"bytes"
	"os"
	"testing"
)

// The committed phone_plan_data.go is what the generator writes from the
// library version in go.mod: after a version change, `go generate
// ./internal/validators` (make generate) brings it up to date.
func TestGeneratedFileIsCurrent(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../phone_plan_data.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("internal/validators/phone_plan_data.go is not what phoneplangen generates from the library in go.mod: run `go generate ./internal/validators` (make generate) and commit the result")
	}
}
