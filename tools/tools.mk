# Documentation, examples, lint, vulnerability scan and the Terraform /
# OpenTofu CLI matrix. Included from GNUmakefile (`include tools/tools.mk`).
#
# Each tool is pinned in a module of its own, tools/<tool>/go.mod (a `tool`
# directive and the dependencies that tool needs), so that none of their
# dependencies enters the provider's go.mod and no tool holds another back:
# golangci-lint and actionlint, for example, need different versions of the
# same libraries. tools/README.md lists the pinned versions; Dependabot
# (.github/dependabot.yml) proposes updates for every module. The tools are
# built on first use into ./bin/<toolchain>: golangci-lint and govulncheck
# type-check the code with the standard library of the Go they were built
# with, so they are rebuilt when GO_TOOLCHAIN changes. The Go build cache makes
# later builds instant. Nothing here downloads anything at run time except Go
# modules through the module proxy.

TOOLS_BIN     := $(CURDIR)/bin
GO_TOOLS_BIN  := $(TOOLS_BIN)/$(GO_TOOLCHAIN)
TOOL_NAMES    := tfplugindocs golangci-lint govulncheck goreleaser actionlint
TFPLUGINDOCS  := $(GO_TOOLS_BIN)/tfplugindocs
GOLANGCI_LINT := $(GO_TOOLS_BIN)/golangci-lint
GOVULNCHECK   := $(GO_TOOLS_BIN)/govulncheck
GORELEASER    := $(GO_TOOLS_BIN)/goreleaser
ACTIONLINT    := $(GO_TOOLS_BIN)/actionlint

# The package each tool is built from: the `tool` line of tools/<tool>/go.mod.
TOOL_PACKAGE_tfplugindocs  := github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs
TOOL_PACKAGE_golangci-lint := github.com/golangci/golangci-lint/v2/cmd/golangci-lint
TOOL_PACKAGE_govulncheck   := golang.org/x/vuln/cmd/govulncheck
TOOL_PACKAGE_goreleaser    := github.com/goreleaser/goreleaser/v2
TOOL_PACKAGE_actionlint    := github.com/rhysd/actionlint/cmd/actionlint

# Provider name and the title used in the generated documentation.
DOCS_PROVIDER_NAME          := alicloudrd
DOCS_RENDERED_PROVIDER_NAME := Alibaba Cloud Resource Directory

# Vulnerability database: the OSV entries shipped in the golang.org/x/vulndb
# module at this pinned snapshot, fetched through the module proxy, so that
# govulncheck never reaches vuln.go.dev. Bump the version to refresh it.
VULNDB_MODULE  := golang.org/x/vulndb
VULNDB_VERSION ?= v0.0.0-20261105234957-e22db6528018

# CLI versions of the acceptance-test matrix, built from source into ./bin the
# first time (about 6 minutes each on 2 cores with a cold module cache) and
# reused after that. They are test tools, not shipped, and are built with the
# installed Go (GOTOOLCHAIN=local). Terraform 1.5.7 and OpenTofu 1.6.3 with
# `go install`; Terraform 1.16.0 and OpenTofu 1.12.6 from the module proxy's
# source zip by scripts/build-cli-from-zip.sh, since go install refuses a
# go.mod with replace directives.
TF_MATRIX_TERRAFORM_VERSION     ?= 1.5.7
TF_MATRIX_TOFU_VERSION          ?= 1.6.3
TF_MATRIX_TERRAFORM_116_VERSION ?= 1.16.0
TF_MATRIX_TOFU_112_VERSION      ?= 1.12.6
TF_MATRIX_TERRAFORM     := $(TOOLS_BIN)/tf-$(TF_MATRIX_TERRAFORM_VERSION)/terraform
TF_MATRIX_TOFU          := $(TOOLS_BIN)/tofu-$(TF_MATRIX_TOFU_VERSION)/tofu
TF_MATRIX_TERRAFORM_116 := $(TOOLS_BIN)/tf-$(TF_MATRIX_TERRAFORM_116_VERSION)/terraform
TF_MATRIX_TOFU_112      := $(TOOLS_BIN)/tofu-$(TF_MATRIX_TOFU_112_VERSION)/tofu
TF_MATRIX_TEST_FLAGS ?= -count=1 -timeout 30m
# Where the acceptance tests' API traffic goes (internal/acctest). The matrix
# runs them live against the emulator: the committed cassettes hold the API
# calls made under the CLI they were recorded with, and older CLIs refresh a
# different number of times, which replay rightly reports as unexpected calls.
# `make test` replays them with the pinned CLI. Terraform 1.16 makes the same
# calls as the CLI the cassettes were recorded with, so its leg replays them:
# the exact API calls, both read modes, and the emulator as shadow. The
# OpenTofu 1.12.6 leg runs live, as the 1.6.3 one: live exercises the provider
# against the emulator whatever calls the CLI makes
# (TF_MATRIX_TOFU_112_ACC_MODE=replay replays the cassettes instead).
TF_MATRIX_ACC_MODE ?= live
TF_MATRIX_TERRAFORM_116_ACC_MODE ?= replay
TF_MATRIX_TOFU_112_ACC_MODE ?= $(TF_MATRIX_ACC_MODE)

.PHONY: tools tools-versions generate docs-check docs-validate examples-check lint vuln \
	tf-matrix tf-matrix-terraform tf-matrix-tofu tf-matrix-terraform-1.16 tf-matrix-tofu-1.12 tf-matrix-clis

tools: $(TFPLUGINDOCS) $(GOLANGCI_LINT) $(GOVULNCHECK) $(GORELEASER) $(ACTIONLINT) ## Build the pinned tools into ./bin/<toolchain>

# Each tool from its own module, rebuilt when that module changes.
$(addprefix $(GO_TOOLS_BIN)/,$(TOOL_NAMES)): $(GO_TOOLS_BIN)/%: tools/%/go.mod tools/%/go.sum
	cd tools/$* && go build -o $@ $(TOOL_PACKAGE_$*)

tools-versions: ## Print the version of each pinned tool (tools/<tool>/go.mod)
	@for t in $(TOOL_NAMES); do \
	  (cd tools/$$t && printf '%-14s %s\n' "$$t" "$$(go list -m -f '{{.Path}} {{.Version}}' $$(sed -n 's/^tool \(.*\)/\1/p' go.mod | head -n 1 | xargs go list -f '{{.Module.Path}}'))"); \
	done

# Docs are rendered with Terraform 1.16.0: resource identities (Terraform
# 1.12+), list resources and actions (1.14+) are in the provider schema only
# for a CLI that knows them, so an older one would render other pages.
DOCS_TERRAFORM ?= $(TF_MATRIX_TERRAFORM_116)

generate: $(TFPLUGINDOCS) $(DOCS_TERRAFORM) ## Generate the phone numbering plans, and docs/ from templates/, examples/ and the provider schema; format examples/
	go generate ./internal/validators
	TF_ACC_TERRAFORM_PATH="$(DOCS_TERRAFORM)" \
	TFPLUGINDOCS="$(TFPLUGINDOCS)" \
	DOCS_PROVIDER_NAME="$(DOCS_PROVIDER_NAME)" \
	DOCS_RENDERED_PROVIDER_NAME="$(DOCS_RENDERED_PROVIDER_NAME)" \
	scripts/generate-docs.sh

docs-check: generate ## Fail when the committed docs/ or examples/ differ from what generate produces
	@git diff --exit-code -- docs examples internal/validators/phone_plan_data.go || { \
	  echo "docs/, examples/ or the phone numbering plans are out of date: run 'make generate' and commit the result" >&2; exit 1; }
	@untracked="$$(git ls-files --others --exclude-standard -- docs examples)"; \
	if [[ -n "$$untracked" ]]; then \
	  printf 'generated files not committed:\n%s\n' "$$untracked" >&2; exit 1; fi

docs-validate: $(TFPLUGINDOCS) ## Check docs/ against the Terraform registry's rules
	$(TFPLUGINDOCS) validate --provider-name $(DOCS_PROVIDER_NAME)

examples-check: ## terraform fmt -check and terraform validate (dev_overrides) for every example
	scripts/check-examples.sh

lint: $(GOLANGCI_LINT) ## golangci-lint with .golangci.yml
	$(GOLANGCI_LINT) run --config .golangci.yml ./...

vuln: $(GOVULNCHECK) ## govulncheck against the pinned offline vulnerability database
	@dir="$$(go mod download -json $(VULNDB_MODULE)@$(VULNDB_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p')"; \
	test -d "$$dir/data/osv" || { echo "no data/osv in $(VULNDB_MODULE)@$(VULNDB_VERSION)" >&2; exit 1; }; \
	echo "==> vulnerability database: $(VULNDB_MODULE)@$(VULNDB_VERSION); $$(go version)"; \
	$(GOVULNCHECK) -db "file://$$dir/data/osv" ./...

$(TF_MATRIX_TERRAFORM):
	@echo "==> Building Terraform $(TF_MATRIX_TERRAFORM_VERSION) from source into $(@D) (once)"
	GOTOOLCHAIN=local GOBIN="$(@D)" go install github.com/hashicorp/terraform@v$(TF_MATRIX_TERRAFORM_VERSION)

# OpenTofu marks binaries not built by its release pipeline as -dev unless the
# linker says otherwise; the flag makes the binary report its real version.
$(TF_MATRIX_TOFU):
	@echo "==> Building OpenTofu $(TF_MATRIX_TOFU_VERSION) from source into $(@D) (once)"
	GOTOOLCHAIN=local GOBIN="$(@D)" go install -ldflags "-X github.com/opentofu/opentofu/version.dev=no" \
	  github.com/opentofu/opentofu/cmd/tofu@v$(TF_MATRIX_TOFU_VERSION)

# The script leaves out the remote-state backends that Terraform's source zip
# lacks (azurerm, consul, cos, gcs, kubernetes, oci, oss, pg, s3); the tests
# use local. OpenTofu's zip lacks none: its go.mod only replaces hcl/v2 with
# OpenTofu's fork, which the module proxy serves.
$(TF_MATRIX_TERRAFORM_116):
	scripts/build-cli-from-zip.sh terraform $(TF_MATRIX_TERRAFORM_116_VERSION) $@

$(TF_MATRIX_TOFU_112):
	scripts/build-cli-from-zip.sh tofu $(TF_MATRIX_TOFU_112_VERSION) $@

tf-matrix-clis: $(TF_MATRIX_TERRAFORM) $(TF_MATRIX_TOFU) $(TF_MATRIX_TERRAFORM_116) $(TF_MATRIX_TOFU_112) ## Build the matrix CLIs into ./bin

# Runs every leg even when one fails, then fails if any did.
tf-matrix: tf-matrix-clis ## Acceptance tests with Terraform 1.5.7 and 1.16.0, OpenTofu 1.6.3 and 1.12.6
	@rc=0; \
	$(MAKE) --no-print-directory tf-matrix-terraform && tf=passed || { tf=FAILED; rc=1; }; \
	$(MAKE) --no-print-directory tf-matrix-tofu && tofu=passed || { tofu=FAILED; rc=1; }; \
	$(MAKE) --no-print-directory tf-matrix-terraform-1.16 && tf116=passed || { tf116=FAILED; rc=1; }; \
	$(MAKE) --no-print-directory tf-matrix-tofu-1.12 && tofu112=passed || { tofu112=FAILED; rc=1; }; \
	echo "==> tf-matrix: Terraform $(TF_MATRIX_TERRAFORM_VERSION) $$tf, OpenTofu $(TF_MATRIX_TOFU_VERSION) $$tofu," \
	  "Terraform $(TF_MATRIX_TERRAFORM_116_VERSION) ($(TF_MATRIX_TERRAFORM_116_ACC_MODE)) $$tf116," \
	  "OpenTofu $(TF_MATRIX_TOFU_112_VERSION) $$tofu112"; \
	exit $$rc

tf-matrix-terraform: $(TF_MATRIX_TERRAFORM)
	@echo "==> Acceptance tests with $$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null $(TF_MATRIX_TERRAFORM) version | sed -n 1p)"
	CHECKPOINT_DISABLE=1 TF_ACC=1 TF_ACC_TERRAFORM_PATH="$(TF_MATRIX_TERRAFORM)" \
	  ALICLOUDRD_ACC_MODE=$(TF_MATRIX_ACC_MODE) \
	  go test $(TF_MATRIX_TEST_FLAGS) ./internal/provider/...

tf-matrix-tofu: $(TF_MATRIX_TOFU)
	@echo "==> Acceptance tests with $$(TF_CLI_CONFIG_FILE=/dev/null $(TF_MATRIX_TOFU) version | sed -n 1p)"
	CHECKPOINT_DISABLE=1 TF_ACC=1 TF_ACC_TERRAFORM_PATH="$(TF_MATRIX_TOFU)" \
	  TF_ACC_PROVIDER_HOST=registry.opentofu.org ALICLOUDRD_ACC_MODE=$(TF_MATRIX_ACC_MODE) \
	  go test $(TF_MATRIX_TEST_FLAGS) ./internal/provider/...

tf-matrix-terraform-1.16: $(TF_MATRIX_TERRAFORM_116)
	@echo "==> Acceptance tests with $$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null $(TF_MATRIX_TERRAFORM_116) version | sed -n 1p) ($(TF_MATRIX_TERRAFORM_116_ACC_MODE))"
	CHECKPOINT_DISABLE=1 TF_ACC=1 TF_ACC_TERRAFORM_PATH="$(TF_MATRIX_TERRAFORM_116)" \
	  ALICLOUDRD_ACC_MODE=$(TF_MATRIX_TERRAFORM_116_ACC_MODE) \
	  go test $(TF_MATRIX_TEST_FLAGS) ./internal/provider/...

# terraform-plugin-testing sees OpenTofu 1.12.6 as version 1.12.6, as if it
# were Terraform 1.12.6. The tests state the feature they need instead
# (internal/acctest, Feature), so what OpenTofu has not got (list resources,
# actions) skips, saying so, and everything else runs.
tf-matrix-tofu-1.12: $(TF_MATRIX_TOFU_112)
	@echo "==> Acceptance tests with $$(TF_CLI_CONFIG_FILE=/dev/null $(TF_MATRIX_TOFU_112) version | sed -n 1p) ($(TF_MATRIX_TOFU_112_ACC_MODE))"
	CHECKPOINT_DISABLE=1 TF_ACC=1 TF_ACC_TERRAFORM_PATH="$(TF_MATRIX_TOFU_112)" \
	  TF_ACC_PROVIDER_HOST=registry.opentofu.org ALICLOUDRD_ACC_MODE=$(TF_MATRIX_TOFU_112_ACC_MODE) \
	  go test $(TF_MATRIX_TEST_FLAGS) ./internal/provider/...
