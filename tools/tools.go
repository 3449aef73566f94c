//go:build tools

// Package tools pins the development tools of the provider: documentation
// generation, linting, vulnerability scanning, release builds and the linting
// of the workflow files. It is a separate module so
// that their dependencies never enter the provider's go.mod.
package tools

import (
	// Documentation generation.
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"

	// Linting.
	_ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"

	// Vulnerability scanning.
	_ "golang.org/x/vuln/cmd/govulncheck"

	// Release builds (.goreleaser.yml).
	_ "github.com/goreleaser/goreleaser/v2"

	// Linting of the workflow files under .github/workflows.
	_ "github.com/rhysd/actionlint/cmd/actionlint"
)
