# Release artifacts, installing them as Terraform does, and the workflow
# files. Included from GNUmakefile (`include scripts/release.mk`); the pinned
# goreleaser and actionlint are built by tools/tools.mk.

# goreleaser targets to build, e.g. "linux_amd64_v1 darwin_arm64_v8.0
# windows_amd64_v1" (what .ci/run builds); empty builds every platform.
RELEASE_TARGETS ?=
# Where `make install-mirror` lays out the filesystem mirror.
MIRROR_DIR ?= $(CURDIR)/bin/mirror
# The platforms `make mirror-test` locks (terraform providers lock -platform).
LOCK_PLATFORMS ?= linux_amd64 darwin_arm64 windows_amd64
# The CLIs `make registry-test` installs with: Terraform 1.16.0 and OpenTofu
# 1.12.6 (make tf-matrix-clis builds them; tools/tools.mk names them).
REGISTRY_TEST_CLIS ?= $(TF_MATRIX_TERRAFORM_116) $(TF_MATRIX_TOFU_112)
# actionlint runs shellcheck and pyflakes on run: steps when they are on PATH;
# they are left out by default so that every machine gives the same answer.
ACTIONLINT_FLAGS ?= -shellcheck= -pyflakes=

.PHONY: release-check release-snapshot install-mirror mirror-test registry-test actionlint release-notes-check

release-check: $(GORELEASER) ## goreleaser check of .goreleaser.yml
	$(GORELEASER) check

release-snapshot: $(GORELEASER) ## Build and check every platform's zip, SHA256SUMS and the manifest into dist/ (signed only with GPG_FINGERPRINT)
	GORELEASER="$(GORELEASER)" RELEASE_TARGETS="$(RELEASE_TARGETS)" scripts/release-snapshot.sh

install-mirror: ## Lay out dist/'s zips as a filesystem mirror in MIRROR_DIR (default bin/mirror)
	go run ./scripts/mirror install -dist dist -dir "$(MIRROR_DIR)"

mirror-test: ## Offline terraform init from dist/ through a filesystem mirror; lock-file hashes; a tampered zip fails init
	LOCK_PLATFORMS="$(LOCK_PLATFORMS)" scripts/mirror-test.sh

registry-test: $(GORELEASER) ## Sign a snapshot with a throwaway GPG key as release.yml does; terraform/tofu init from it over an HTTPS registry and network mirror; bad signatures and files refused
	GORELEASER="$(GORELEASER)" RELEASE_TARGETS="$(RELEASE_TARGETS)" LOCK_PLATFORMS="$(LOCK_PLATFORMS)" \
	  REGISTRY_TEST_CLIS="$(REGISTRY_TEST_CLIS)" scripts/registry-test.sh

release-notes-check: ## Test scripts/release-notes.sh, and that CHANGELOG.md's first section gives release notes
	scripts/release-notes_test.sh

# Also fails when release.yml runs another goreleaser than tools/goreleaser
# pins, when a step uses an action by anything but the full commit SHA of a
# release, named in a comment ("uses: owner/repo@<40 hex> # vX.Y.Z"), and when
# .github/dependabot.yml misses the directory of a Go module.
actionlint: $(ACTIONLINT) ## Lint the workflow files under .github/workflows; check that actions are pinned by commit SHA
	$(ACTIONLINT) $(ACTIONLINT_FLAGS)
	@pinned="$$(cd tools/goreleaser && go list -m -f '{{.Version}}' github.com/goreleaser/goreleaser/v2)"; \
	grep -qE "^ +version: $$pinned$$" .github/workflows/release.yml || { \
	  echo ".github/workflows/release.yml does not run goreleaser $$pinned, the version tools/goreleaser/go.mod pins" >&2; exit 1; }; \
	unpinned="$$(grep -nE '^[[:space:]-]*uses:' .github/workflows/*.yml | \
	  grep -vE 'uses:[[:space:]]+[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}[[:space:]]+#[[:space:]]+v[0-9]+(\.[0-9]+)*[[:space:]]*$$' || true)"; \
	if [[ -n "$$unpinned" ]]; then \
	  printf 'actions not pinned by full commit SHA with the release in a comment (uses: owner/repo@<sha> # vX.Y.Z):\n%s\n' "$$unpinned" >&2; exit 1; fi; \
	for mod in go.mod tools/*/go.mod; do \
	  dir="/$$(dirname "$$mod")"; dir="$${dir%/.}"; [[ -n "$$dir" ]] || dir=/; \
	  grep -qE "^ +- \"$$dir\"$$" .github/dependabot.yml || { \
	    echo ".github/dependabot.yml does not list $$dir, the directory of $$mod" >&2; exit 1; }; \
	done; \
	echo "==> actionlint: .github/workflows/*.yml passed; every action pinned by commit SHA; release.yml runs goreleaser $$pinned as tools/goreleaser/go.mod pins; dependabot.yml lists every Go module"
