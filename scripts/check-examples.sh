#!/usr/bin/env bash
# Checks every example under examples/ (`make examples-check`):
#   1. every .tf file is `terraform fmt` clean;
#   2. every directory holding .tf files passes `terraform validate` with the
#      provider built from this tree, through a temporary CLI configuration
#      with dev_overrides (no `terraform init`, no registry, ~/.terraformrc
#      untouched); its import-by-*.tf files, alternatives to one another, are
#      validated one at a time with the directory's other files;
#   3. every directory of .tfquery.hcl files (list blocks) passes
#      `terraform validate -query` (Terraform 1.14 and later).
# Directories with action blocks need Terraform 1.14 too; with an older CLI, or
# OpenTofu (which has neither list blocks nor actions), they are reported as
# skipped. Import blocks with identity need Terraform or OpenTofu 1.12.
# The CLI is the one scripts/find-terraform.sh resolves (TF_ACC_TERRAFORM_PATH,
# else terraform on PATH, else Terraform 1.5.7 built into ./bin). Examples
# that call provider functions need Terraform 1.8 or OpenTofu 1.7; with an
# older CLI they are reported as skipped.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

tf="$(scripts/find-terraform.sh)"
work="$(mktemp -d "${TMPDIR:-/tmp}/alicloudrd-examples.XXXXXX")"
trap 'rm -rf "$work"' EXIT

export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
unset TF_PLUGIN_CACHE_DIR TF_CLI_ARGS TF_CLI_ARGS_validate TF_CLI_ARGS_fmt

echo "==> Building the provider"
mkdir -p "$work/plugins"
go build -o "$work/plugins/terraform-provider-alicloudrd" .

# Examples name the provider either through required_providers
# (alicloudrd/alicloudrd) or implicitly (hashicorp/alicloudrd); OpenTofu
# resolves both on its own registry host.
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/alicloudrd/alicloudrd" = "$work/plugins"
    "registry.terraform.io/hashicorp/alicloudrd"  = "$work/plugins"
    "registry.opentofu.org/alicloudrd/alicloudrd" = "$work/plugins"
    "registry.opentofu.org/hashicorp/alicloudrd"  = "$work/plugins"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"

banner="$("$tf" version | sed -n 1p)"
version="$("$tf" version -json | sed -n 's/^[[:space:]]*"terraform_version": "\([^"]*\)".*/\1/p')"
IFS=. read -r major minor _ <<<"${version%%-*}"
functions_min=8
[[ "$banner" == OpenTofu* ]] && functions_min=7
functions=yes
if [[ -z "$version" ]] || (( major < 1 || (major == 1 && minor < functions_min) )); then
  functions=no
fi
# Import blocks with identity need Terraform or OpenTofu 1.12; list blocks
# (.tfquery.hcl) and action blocks Terraform 1.14, and OpenTofu has neither.
identity=yes
if [[ -z "$version" ]] || (( major < 1 || (major == 1 && minor < 12) )); then
  identity=no
fi
tf114=yes
if [[ "$banner" == OpenTofu* || -z "$version" ]] || (( major < 1 || (major == 1 && minor < 14) )); then
  tf114=no
fi
echo "==> Using $banner ($tf)"

failed=()
passed=0
skipped=()

# validate LABEL DIR [ARGS...] runs terraform validate in DIR and records the
# outcome under LABEL.
validate() {
  local label="$1" dir="$2" out
  shift 2
  echo "==> terraform validate $label"
  if out="$("$tf" -chdir="$dir" validate "$@" -no-color 2>&1)"; then
    passed=$((passed + 1))
  else
    printf '%s\n' "$out" | grep -v -e '^$' | sed 's/^/    /' >&2
    failed+=("validate: $label")
  fi
}

echo "==> terraform fmt -check examples/"
if [[ "$functions" == yes ]]; then
  if ! "$tf" fmt -check -diff -recursive -no-color examples/; then
    failed+=("fmt: the files listed above are not formatted (run 'make generate' or 'terraform fmt -recursive examples/')")
  fi
else
  # An older CLI cannot parse provider function calls: check the other files.
  while IFS= read -r f; do
    if grep -q 'provider::' "$f"; then
      skipped+=("fmt of $f (calls a provider function; $banner cannot parse it)")
    elif ! "$tf" fmt -check -diff -no-color "$f"; then
      failed+=("fmt: $f is not formatted (run 'make generate' or 'terraform fmt -recursive examples/')")
    fi
  done < <(find examples -type f -name '*.tf' -not -path '*/.terraform/*' | LC_ALL=C sort)
fi

# Validate a copy of examples/ so that nothing (.terraform/, lock files) is
# written into the tree and no state or lock file left there plays a part.
mkdir -p "$work/validate"
cp -R examples "$work/validate/"
find "$work/validate" \( -name .terraform -o -name '.terraform.lock.hcl' -o -name '*.tfstate' -o -name '*.tfstate.*' \) \
  -prune -exec rm -rf {} +

mapfile -t dirs < <(find examples -type f -name '*.tf' -not -path '*/.terraform/*' -printf '%h\n' | LC_ALL=C sort -u)
for dir in "${dirs[@]}"; do
  if [[ "$functions" == no ]] && grep -q 'provider::' "$dir"/*.tf; then
    skipped+=("$dir (calls a provider function; $banner has none)")
    continue
  fi
  if [[ "$tf114" == no ]] && grep -q '^action "' "$dir"/*.tf; then
    skipped+=("$dir (action blocks; $banner has no actions)")
    continue
  fi
  copy="$work/validate/$dir"
  # import-by-*.tf (for the docs) are alternatives to one another: each is
  # validated on its own with the directory's other files.
  shopt -s nullglob
  imports=("$copy"/import-by-*.tf)
  shopt -u nullglob
  mkdir -p "$copy.imports"
  for f in "${imports[@]}"; do mv "$f" "$copy.imports/"; done
  validate "$dir" "$copy"
  for f in "${imports[@]}"; do
    name="$(basename "$f")"
    if [[ "$name" == import-by-identity.tf && "$identity" == no ]]; then
      skipped+=("$dir/$name (an import block with identity; $banner has none)")
      continue
    fi
    cp "$copy.imports/$name" "$copy/$name"
    validate "$dir with $name" "$copy"
    rm "$copy/$name"
  done
done

# List blocks: each directory of .tfquery.hcl files is validated with
# `terraform validate -query`, beside an empty provider configuration.
mapfile -t qdirs < <(find examples -type f -name '*.tfquery.hcl' -printf '%h\n' | LC_ALL=C sort -u)
for dir in "${qdirs[@]}"; do
  if [[ "$tf114" == no ]]; then
    skipped+=("$dir (list blocks; $banner has no terraform query)")
    continue
  fi
  copy="$work/validate/$dir"
  [[ -n "$(find "$copy" -maxdepth 1 -name '*.tf' -print -quit)" ]] || echo 'provider "alicloudrd" {}' >"$copy/provider.tf"
  validate "-query $dir" "$copy" -query
done

echo
echo "==> examples: ${#dirs[@]} directories, $passed valid (import examples counted apart), ${#skipped[@]} skipped, ${#failed[@]} failed"
for s in "${skipped[@]}"; do echo "    skipped: $s"; done
if ((${#failed[@]} > 0)); then
  for f in "${failed[@]}"; do echo "    FAILED $f" >&2; done
  exit 1
fi
