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
TF_MATRIX_TOFU_112_VERSION ?= 1.12.6
TF_MATRIX_TOFU_112 ?= $(TOOLS_BIN)/tofu-$(TF_MATRIX_TOFU_112_VERSION)/tofu
REGISTRY_TEST_CLIS ?= $(TF_MATRIX_TERRAFORM_116) $(TF_MATRIX_TOFU_112)
# actionlint runs shellcheck and pyflakes on run: steps when they are on PATH;
# they are left out by default so that every machine gives the same answer.
ACTIONLINT_FLAGS ?= -shellcheck= -pyflakes=

.PHONY: release-check release-snapshot install-mirror mirror-test registry-test actionlint

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

# Also fails when release.yml runs another goreleaser than tools/go.mod pins.
actionlint: $(ACTIONLINT) ## Lint the workflow files under .github/workflows
	$(ACTIONLINT) $(ACTIONLINT_FLAGS)
	@pinned="$$(cd tools && go list -m -f '{{.Version}}' github.com/goreleaser/goreleaser/v2)"; \
	grep -qE "^ +version: $$pinned$$" .github/workflows/release.yml || { \
	  echo ".github/workflows/release.yml does not run goreleaser $$pinned, the version tools/go.mod pins" >&2; exit 1; }; \
	echo "==> actionlint: .github/workflows/*.yml passed; release.yml runs goreleaser $$pinned as tools/go.mod pins"
