#!/usr/bin/env bash
# Builds a Terraform or OpenTofu CLI from the source zip that the Go module
# proxy serves, for versions that `go install` refuses because their go.mod
# has replace directives (Terraform 1.6 and later, OpenTofu 1.12).
#
#   scripts/build-cli-from-zip.sh terraform|tofu VERSION [DEST]
#
# DEST defaults to ./bin/tf-VERSION/terraform or ./bin/tofu-VERSION/tofu. Does
# nothing when DEST exists and reports VERSION. Otherwise (6 to 10 minutes on
# 2 cores with a cold cache):
#   1. `go mod download` fetches the source zip through the module proxy;
#   2. the source is copied to a temporary directory, where go.mod is the main
#      module's and its replace directives apply. Terraform's zip leaves out
#      the nested modules that go.mod replaces with local paths (the
#      remote-state backends azurerm, consul, cos, gcs, kubernetes, oci, oss,
#      pg and s3, and internal/legacy), so their require and replace lines are
#      dropped from go.mod and their registrations from
#      internal/backend/init/init.go. The binary works with every other backend
#      (local, remote, http, cloud...); the acceptance tests use local.
#      OpenTofu's go.mod replaces only github.com/hashicorp/hcl/v2 with
#      OpenTofu's fork, a module the proxy serves: nothing is dropped;
#   3. go build with the installed Go (GOTOOLCHAIN=local) and version.dev=no,
#      without which the binary reports VERSION-dev, which sorts below VERSION.
# It is a test tool: not shipped, and ./bin is not committed.
set -euo pipefail

die() { echo "build-cli-from-zip: $*" >&2; exit 1; }

[[ $# -ge 2 && $# -le 3 ]] || die "usage: $0 terraform|tofu VERSION [DEST] (e.g. $0 terraform 1.16.0, $0 tofu 1.12.6)"
cli="$1"
version="${2#v}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "VERSION must look like 1.16.0, got '$2'"
root="$(cd "$(dirname "$0")/.." && pwd)"
case "$cli" in
terraform)
  name="Terraform" module="github.com/hashicorp/terraform" package="." default="$root/bin/tf-$version/terraform" ;;
tofu)
  name="OpenTofu" module="github.com/opentofu/opentofu" package="./cmd/tofu" default="$root/bin/tofu-$version/tofu" ;;
*) die "CLI must be terraform or tofu, got '$cli'" ;;
esac
dest="${3:-$default}"

export GOTOOLCHAIN=local GOWORK=off
export CHECKPOINT_DISABLE=1

# Prints the version the binary at $1 reports ("1.16.0", "1.16.0-dev"...).
# OpenTofu names the field terraform_version too.
reported_version() {
  TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null |
    sed -n 's/^[[:space:]]*"terraform_version": *"\([^"]*\)".*/\1/p'
}

if [[ -x "$dest" ]]; then
  have="$(reported_version "$dest" || true)"
  if [[ "$have" == "$version" ]]; then
    echo "==> $name $version already built: $dest"
    exit 0
  fi
  echo "==> $dest reports '${have:-nothing}', not $version: rebuilding"
fi

command -v go >/dev/null 2>&1 || die "no go command on PATH"
echo "==> Building $name $version from the module proxy's source zip into $(dirname "$dest") (once, 6 to 10 minutes on 2 cores)"
start=$SECONDS

work="$(mktemp -d "${TMPDIR:-/tmp}/$cli-$version.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# 1. The source, through the module proxy (outside any module: GOWORK=off and
#    the temporary directory keep the project's go.mod out of it).
json="$(cd "$work" && go mod download -json "$module@v$version" 2>&1)" ||
  die "go mod download $module@v$version failed:
$json"
src="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json")"
[[ -n "$src" && -f "$src/go.mod" ]] || die "no source directory for $module@v$version in:
$json"
grep -q '^replace ' "$src/go.mod" || echo "    note: go.mod of $module@v$version has no replace directive; go install would do"

# 2. A writable copy without the modules the zip leaves out.
tree="$work/src"
cp -R "$src" "$tree"
chmod -R u+w "$tree"

missing=()
while read -r path dir; do
  [[ -e "$tree/${dir#./}/go.mod" ]] || missing+=("$path")
done < <(sed -n "s|^replace \($module/[^ ]*\) => \(\./[^ ]*\)$|\1 \2|p" "$tree/go.mod")

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "    dropping the modules the zip leaves out:"
  printf '      %s\n' "${missing[@]#"$module/"}"
  initgo="$tree/internal/backend/init/init.go"
  [[ -f "$initgo" ]] || die "$initgo not found: the layout of $module@v$version is not the one this script knows"
  for path in "${missing[@]}"; do
    # go.mod: the require line (in a block or on its own) and the replace line.
    grep -v -E "^[[:space:]]*(require[[:space:]]+)?${path//./\\.} v|^replace ${path//./\\.} =>" \
      "$tree/go.mod" >"$work/go.mod" && mv "$work/go.mod" "$tree/go.mod"
    # init.go: the import and the map entry that calls the import's New.
    alias="$(sed -n "s|^[[:space:]]*\([A-Za-z0-9_]*\)[[:space:]]*\"${path//./\\.}\"$|\1|p" "$initgo")"
    if [[ -n "$alias" ]]; then
      grep -v -E "\"${path//./\\.}\"$|[^A-Za-z0-9_]${alias}\." "$initgo" >"$work/init.go" && mv "$work/init.go" "$initgo"
    fi
  done

  # Anything else importing a dropped module would fail to compile: name it.
  pattern="$(printf '"%s(/[^"]*)?"|' "${missing[@]}")"
  left="$(cd "$tree" && grep -rlE --include='*.go' --exclude='*_test.go' "${pattern%|}" . || true)"
  [[ -z "$left" ]] || die "these files of $module@v$version still import a module the zip leaves out; extend this script:
$left"
else
  echo "    the zip holds every module go.mod replaces with a local path: nothing to drop"
fi

# 3. The build, with the installed Go. -mod=mod: go.mod may have been edited
#    above, and go.sum may then want entries that only the edited graph needs.
mkdir -p "$(dirname "$dest")"
(cd "$tree" && GOFLAGS="${GOFLAGS:-} -mod=mod" go build -trimpath -ldflags "-X $module/version.dev=no" -o "$work/bin/$cli" "$package") ||
  die "go build of $module@v$version failed (with $(go version))"
have="$(reported_version "$work/bin/$cli" || true)"
[[ "$have" == "$version" ]] || die "the built binary reports '${have:-nothing}', not $version"
mv -f "$work/bin/$cli" "$dest"
echo "==> $(TF_CLI_CONFIG_FILE=/dev/null "$dest" version | sed -n 1p) in $dest ($((SECONDS - start))s, $(go version | cut -d' ' -f3))"
