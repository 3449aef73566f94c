#!/usr/bin/env bash
# Builds a Terraform CLI from the source zip that the Go module proxy serves,
# for versions that `go install github.com/hashicorp/terraform@vX` refuses
# because their go.mod has replace directives (1.6 and later).
#
#   scripts/build-terraform-from-zip.sh VERSION [DEST]
#
# DEST defaults to ./bin/tf-VERSION/terraform. Does nothing when DEST exists and
# reports VERSION. Otherwise (about 6 minutes on 2 cores with a cold cache):
#   1. `go mod download` fetches the source zip through the module proxy;
#   2. the source is copied to a temporary directory. The zip leaves out the
#      nested modules that go.mod replaces with local paths (the remote-state
#      backends azurerm, consul, cos, gcs, kubernetes, oci, oss, pg and s3, and
#      internal/legacy), so their require and replace lines are dropped from
#      go.mod and their registrations from internal/backend/init/init.go. The
#      binary works with every other backend (local, remote, http, cloud...);
#      the acceptance tests use local;
#   3. go build with the installed Go (GOTOOLCHAIN=local) and version.dev=no,
#      without which the binary reports VERSION-dev, which sorts below VERSION.
# It is a test tool: not shipped, and ./bin is not committed.
set -euo pipefail

die() { echo "build-terraform-from-zip: $*" >&2; exit 1; }

[[ $# -ge 1 && $# -le 2 ]] || die "usage: $0 VERSION [DEST] (e.g. $0 1.16.0)"
version="${1#v}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "VERSION must look like 1.16.0, got '$1'"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${2:-$root/bin/tf-$version/terraform}"
module="github.com/hashicorp/terraform"

export GOTOOLCHAIN=local GOWORK=off
export CHECKPOINT_DISABLE=1

# Prints the version the binary at $1 reports ("1.16.0", "1.16.0-dev"...).
reported_version() {
  TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null |
    sed -n 's/^[[:space:]]*"terraform_version": *"\([^"]*\)".*/\1/p'
}

if [[ -x "$dest" ]]; then
  have="$(reported_version "$dest" || true)"
  if [[ "$have" == "$version" ]]; then
    echo "==> Terraform $version already built: $dest"
    exit 0
  fi
  echo "==> $dest reports '${have:-nothing}', not $version: rebuilding"
fi

command -v go >/dev/null 2>&1 || die "no go command on PATH"
echo "==> Building Terraform $version from the module proxy's source zip into $(dirname "$dest") (once, about 6 minutes on 2 cores)"
start=$SECONDS

work="$(mktemp -d "${TMPDIR:-/tmp}/terraform-$version.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# 1. The source, through the module proxy (outside any module: GOWORK=off and
#    the temporary directory keep the project's go.mod out of it).
json="$(cd "$work" && go mod download -json "$module@v$version" 2>&1)" ||
  die "go mod download $module@v$version failed:
$json"
src="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json")"
[[ -n "$src" && -f "$src/go.mod" ]] || die "no source directory for $module@v$version in:
$json"

# 2. A writable copy without the modules the zip leaves out.
tree="$work/terraform"
cp -R "$src" "$tree"
chmod -R u+w "$tree"

missing=()
while read -r path dir; do
  [[ -e "$tree/${dir#./}/go.mod" ]] || missing+=("$path")
done < <(sed -n "s|^replace \($module/[^ ]*\) => \(\./[^ ]*\)$|\1 \2|p" "$tree/go.mod")
[[ ${#missing[@]} -gt 0 ]] || die "go.mod of $module@v$version replaces no missing local module: nothing to do; try go install"
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

# 3. The build, with the installed Go. -mod=mod: go.mod was edited above, and
#    go.sum may then want entries that only the edited graph needs.
mkdir -p "$(dirname "$dest")"
(cd "$tree" && GOFLAGS="${GOFLAGS:-} -mod=mod" go build -trimpath -ldflags "-X $module/version.dev=no" -o "$work/bin/terraform" .) ||
  die "go build of $module@v$version failed (with $(go version))"
have="$(reported_version "$work/bin/terraform" || true)"
[[ "$have" == "$version" ]] || die "the built binary reports '${have:-nothing}', not $version"
mv -f "$work/bin/terraform" "$dest"
echo "==> $(TF_CLI_CONFIG_FILE=/dev/null "$dest" version | sed -n 1p) in $dest ($((SECONDS - start))s, $(go version | cut -d' ' -f3))"
