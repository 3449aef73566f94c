#!/usr/bin/env bash
# make mirror-test: installs the release artifacts in dist/ (make
# release-snapshot) as a Terraform user would, offline:
#
#   1. scripts/mirror lays the zips out as a filesystem mirror (packed layout),
#      after checking each against SHA256SUMS; a zip altered in dist/ must be
#      refused;
#   2. with a CLI configuration whose only installation method is that
#      filesystem_mirror, and HTTP(S) proxies on a closed port so that any
#      network access fails, `terraform init` installs the provider version
#      built and writes .terraform.lock.hcl; `terraform version` names it and
#      `terraform validate` runs it;
#   3. `terraform providers lock -fs-mirror=... -platform=...` for each of
#      LOCK_PLATFORMS (default linux_amd64 darwin_arm64 windows_amd64), then
#      scripts/mirror checks the lock file: the version built, the h1: hash
#      of each platform's zip (computed independently of Terraform) and no
#      other, and only zh: hashes that SHA256SUMS lists;
#   4. a mirror whose zip for this machine was altered (one byte appended to
#      the binary: still a valid package) must make `terraform init` fail
#      against that lock file.
#
# The CLI is the one scripts/find-terraform.sh resolves (TF_ACC_TERRAFORM_PATH,
# else terraform on PATH, else Terraform 1.5.7 built into ./bin); OpenTofu
# works too (its registry host is registry.opentofu.org).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

die() { echo "mirror-test: FAILED: $*" >&2; exit 1; }
step() { printf '==> %s\n' "$*"; }

read -r -a lock_platforms <<<"${LOCK_PLATFORMS:-linux_amd64 darwin_arm64 windows_amd64}"
tf="$(scripts/find-terraform.sh)"
work="$(mktemp -d "${TMPDIR:-/tmp}/alicloudrd-mirror-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$SECONDS

export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
unset TF_PLUGIN_CACHE_DIR TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_providers_lock

go build -o "$work/mirror" ./scripts/mirror
mirror() { "$work/mirror" "$@"; }

banner="$(TF_CLI_CONFIG_FILE=/dev/null "$tf" version | sed -n 1p)"
hostname=registry.terraform.io
[[ "$banner" == OpenTofu* ]] && hostname=registry.opentofu.org
here="$(go env GOOS)_$(go env GOARCH)"
step "Using $banner ($tf); this machine is $here"

step "Checking dist/"
mirror check -dist dist -platform "$here" "${lock_platforms[@]/#/-platform=}"
version="$(mirror version -dist dist)"

step "A zip that does not match SHA256SUMS is not installed"
cp -R dist "$work/dist-altered"
mirror tamper -zip "$work/dist-altered/terraform-provider-alicloudrd_${version}_${here}.zip" >/dev/null
if out="$(mirror install -dist "$work/dist-altered" -dir "$work/refused" 2>&1)"; then
  die "mirror install accepted a zip that does not match SHA256SUMS"
fi
grep -q "SHA-256 .*, but .*SHA256SUMS lists" <<<"$out" || die "unexpected error from mirror install: $out"
echo "    refused: ${out#mirror install: }"

step "Installing dist/ as a filesystem mirror (make install-mirror)"
mirror install -dist dist -dir "$work/mirror-dir" -hostname "$hostname" | sed "s|^$work/|    |"

# The only way to install the provider is the mirror; nothing else can be
# installed at all. A prerelease (a snapshot) is installed only when the
# configuration asks for exactly it.
write_cli_config() {
  cat >"$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$1"
    include = ["$hostname/alicloudrd/alicloudrd"]
  }
}
RC
}
write_cli_config "$work/mirror-dir"
export TF_CLI_CONFIG_FILE="$work/terraformrc"
mkdir -p "$work/config"
cat >"$work/config/main.tf" <<TF
terraform {
  required_providers {
    alicloudrd = {
      source  = "alicloudrd/alicloudrd"
      version = "$version"
    }
  }
}

provider "alicloudrd" {}

data "alicloudrd_message_contacts" "all" {}
TF
tf() { "$tf" -chdir="$work/config" "$@"; }

# Offline: a request to any registry or release host would go to a closed
# port and fail.
offline() { HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY= no_proxy= "$@"; }

step "terraform init (offline, filesystem_mirror only)"
out="$(offline tf init -input=false -no-color 2>&1)" || { echo "$out" >&2; die "terraform init failed"; }
echo "$out" | grep -iE "alicloudrd|lock file" | sed 's/^/    /'
grep -q "Installed alicloudrd/alicloudrd v$version" <<<"$out" || die "terraform init did not install v$version"
[[ -f "$work/config/.terraform.lock.hcl" ]] || die "terraform init wrote no .terraform.lock.hcl"

step "terraform version and terraform validate run the installed provider"
tf version | grep -q "provider $hostname/alicloudrd/alicloudrd v$version" || die "terraform version does not list v$version"
tf validate -no-color | sed 's/^/    /'

step "terraform providers lock -fs-mirror=... ${lock_platforms[*]/#/-platform=}"
offline tf providers lock -no-color -fs-mirror="$work/mirror-dir" "${lock_platforms[@]/#/-platform=}" |
  grep -v '^$' | sed 's/^/    /'

step "The lock file's hashes against the artifacts"
mirror lock -lock "$work/config/.terraform.lock.hcl" -dist dist -hostname "$hostname" "${lock_platforms[@]/#/-platform=}"
sed 's/^/    /' "$work/config/.terraform.lock.hcl"
cp "$work/config/.terraform.lock.hcl" "$work/lock.hcl"

step "A mirror whose $here zip was altered: terraform init must fail against the lock file"
cp -R "$work/mirror-dir" "$work/mirror-altered"
mirror tamper -zip "$work/mirror-altered/$hostname/alicloudrd/alicloudrd/terraform-provider-alicloudrd_${version}_${here}.zip" |
  sed "s|^$work/|    |"
write_cli_config "$work/mirror-altered"
rm -rf "$work/config/.terraform"
if out="$(offline tf init -input=false -no-color 2>&1)"; then
  echo "$out" >&2
  die "terraform init installed an altered zip"
fi
grep -q "checksums recorded in the dependency lock file\|doesn't match any of the checksums" <<<"$out" ||
  { echo "$out" >&2; die "terraform init failed, but not on the checksum"; }
sed -n '/Error while installing/,/dependency lock file/p' <<<"$out" | sed 's/^[│ ]*/    /'
cmp -s "$work/config/.terraform.lock.hcl" "$work/lock.hcl" || die "the failed terraform init changed the lock file"

echo "==> mirror-test: passed (v$version, ${#lock_platforms[@]} platforms locked, altered zips refused; $((SECONDS - start))s)"
