#!/usr/bin/env bash
# make release-snapshot: the release that a tag would publish, built locally
# into dist/ and checked, without publishing anything.
#
#   1. `goreleaser check` validates .goreleaser.yml;
#   2. `goreleaser release --snapshot --clean` builds every platform's zip
#      and the SHA256SUMS file into dist/, and the registry manifest is put
#      beside them. goreleaser signs SHA256SUMS only when GPG_FINGERPRINT
#      names a key (as the release workflow does); otherwise signing is
#      skipped;
#   3. scripts/mirror checks dist/: every zip and the manifest listed in
#      SHA256SUMS with the right hash, every zip holding the binary of the
#      version built, and the binary for this machine reporting that version.
#
# RELEASE_TARGETS restricts the build to some goreleaser targets, e.g.
# "linux_amd64_v1 darwin_arm64_v8.0 windows_amd64_v1" (CI builds those three);
# empty (the default) builds every platform of .goreleaser.yml.
# GORELEASER is the goreleaser binary (tools/tools.mk builds the pinned one).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

die() { echo "release-snapshot: $*" >&2; exit 1; }

: "${GORELEASER:?set GORELEASER to the goreleaser binary (make release-snapshot does)}"
start=$SECONDS

echo "==> goreleaser check"
"$GORELEASER" check

config=.goreleaser.yml
if [[ -n "${RELEASE_TARGETS:-}" ]]; then
  # A copy of the configuration whose build lists the targets: goreleaser
  # builds the targets it is given instead of its goos x goarch matrix.
  mkdir -p .tmp
  config=.tmp/goreleaser-targets.yml
  read -r -a targets <<<"$RELEASE_TARGETS"
  list="$(printf '"%s", ' "${targets[@]}")"
  sed "/^  - id: terraform-provider-alicloudrd$/a\\
    targets: [${list%, }]" .goreleaser.yml >"$config"
  grep -q '^    targets: \[' "$config" ||
    die "no build with 'id: terraform-provider-alicloudrd' in .goreleaser.yml to restrict to $RELEASE_TARGETS"
  echo "==> only the targets $RELEASE_TARGETS"
fi

# goreleaser reads the commit (its date dates the files in the zips) only
# when `git ls-remote --get-url` answers: a clone without a remote (a
# worktree, a copy) is given the project's URL through the environment.
if [[ -z "$(git remote)" ]]; then
  export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=remote.origin.url
  export GIT_CONFIG_VALUE_0=https://github.com/alicloudrd/terraform-provider-alicloudrd.git
fi

skip=()
if [[ -z "${GPG_FINGERPRINT:-}" ]]; then
  echo "==> GPG_FINGERPRINT is not set: SHA256SUMS is not signed"
  skip=(--skip=sign)
fi

echo "==> goreleaser release --snapshot --clean ${skip[*]}"
"$GORELEASER" release --snapshot --clean "${skip[@]}" --config "$config"

# The release uploads terraform-registry-manifest.json under the name that
# SHA256SUMS lists (release.extra_files); a snapshot publishes nothing, so it
# is put into dist/ here, beside the zips.
version="$(go run ./scripts/mirror version -dist dist)"
cp terraform-registry-manifest.json "dist/terraform-provider-alicloudrd_${version}_manifest.json"

echo "==> Checking dist/"
go run ./scripts/mirror check -dist dist
echo "==> release-snapshot: dist/ built and checked in $((SECONDS - start))s"
