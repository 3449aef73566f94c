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
#      SHA256SUMS with the right hash (and nothing else listed), every zip
#      holding the binary of the version built, and the binary for this
#      machine reporting that version; when signed, gpg verifies the signature.
#
# RELEASE_TARGETS restricts the build to some goreleaser targets, e.g.
# "linux_amd64_v1 darwin_arm64_v8.0 windows_amd64_v1" (CI builds those three);
# empty (the default) builds every platform of .goreleaser.yml.
# RELEASE_DIST is the output directory (default dist; scripts/registry-test.sh
# builds a signed snapshot elsewhere). GORELEASER is the goreleaser binary
# (tools/tools.mk builds the pinned one).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

die() { echo "release-snapshot: $*" >&2; exit 1; }

: "${GORELEASER:?set GORELEASER to the goreleaser binary (make release-snapshot does)}"
dist="${RELEASE_DIST:-dist}"
start=$SECONDS

echo "==> goreleaser check"
"$GORELEASER" check

config=.goreleaser.yml
if [[ -n "${RELEASE_TARGETS:-}" || "$dist" != dist ]]; then
  mkdir -p .tmp
  config="$(mktemp .tmp/goreleaser-config.XXXXXX)"
  trap 'rm -f "$config"' EXIT
  cp .goreleaser.yml "$config"
fi
if [[ -n "${RELEASE_TARGETS:-}" ]]; then
  # A copy of the configuration whose build lists the targets: goreleaser
  # builds the targets it is given instead of its goos x goarch matrix.
  read -r -a targets <<<"$RELEASE_TARGETS"
  list="$(printf '"%s", ' "${targets[@]}")"
  sed -i "/^  - id: terraform-provider-alicloudrd$/a\\
    targets: [${list%, }]" "$config"
  grep -q '^    targets: \[' "$config" ||
    die "no build with 'id: terraform-provider-alicloudrd' in .goreleaser.yml to restrict to $RELEASE_TARGETS"
  echo "==> only the targets $RELEASE_TARGETS"
fi
if [[ "$dist" != dist ]]; then
  printf '\ndist: "%s"\n' "$dist" >>"$config"
  echo "==> into $dist"
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
version="$(go run ./scripts/mirror version -dist "$dist")"
cp terraform-registry-manifest.json "$dist/terraform-provider-alicloudrd_${version}_manifest.json"

echo "==> Checking $dist/"
go run ./scripts/mirror check -dist "$dist"
if [[ -n "${GPG_FINGERPRINT:-}" ]]; then
  sums="terraform-provider-alicloudrd_${version}_SHA256SUMS"
  out="$(gpg --batch --verify "$dist/$sums.sig" "$dist/$sums" 2>&1)" ||
    die "$sums.sig does not verify against $sums with key $GPG_FINGERPRINT, as it must; gpg says: $out"
  echo "==> $sums.sig verifies: $(grep -m1 'Good signature' <<<"$out" | sed 's/^gpg: //')"
fi
echo "==> release-snapshot: $dist/ built and checked in $((SECONDS - start))s"
