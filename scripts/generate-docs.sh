#!/usr/bin/env bash
# Generates docs/ with tfplugindocs and formats examples/ (`make generate`).
#
# tfplugindocs builds the provider and reads its schema through
# `terraform providers schema -json`. It takes the first `terraform` on PATH:
# this script puts the CLI that scripts/find-terraform.sh resolves first on
# PATH (as `terraform`, whatever its file is called), with a CLI configuration
# of its own, so nothing is downloaded and ~/.terraformrc plays no part.
# Provider functions appear in the schema from Terraform 1.8 on, so an older
# CLI would silently drop the function pages: that is an error here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

: "${TFPLUGINDOCS:=$root/bin/tfplugindocs}"
: "${DOCS_PROVIDER_NAME:=alicloudrd}"
: "${DOCS_RENDERED_PROVIDER_NAME:=Alibaba Cloud Resource Directory}"

tf="$(scripts/find-terraform.sh)"
work="$(mktemp -d "${TMPDIR:-/tmp}/alicloudrd-docs.XXXXXX")"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/path"
ln -s "$tf" "$work/path/terraform"
: >"$work/terraformrc"
export PATH="$work/path:$PATH"
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export CHECKPOINT_DISABLE=1
unset TF_PLUGIN_CACHE_DIR

version="$(terraform version -json | sed -n 's/^[[:space:]]*"terraform_version": "\([^"]*\)".*/\1/p')"
echo "==> Using $(terraform version | sed -n 1p) ($tf)"
IFS=. read -r major minor _ <<<"${version%%-*}"
if [[ -z "$version" ]] || (( major < 1 || (major == 1 && minor < 8) )); then
  echo "make generate needs Terraform 1.8 or newer: provider functions are missing from the schema of older" >&2
  echo "CLIs. Found ${version:-an unknown version} at $tf; set TF_ACC_TERRAFORM_PATH to a newer Terraform." >&2
  exit 1
fi

"$TFPLUGINDOCS" generate \
  --provider-name "$DOCS_PROVIDER_NAME" \
  --rendered-provider-name "$DOCS_RENDERED_PROVIDER_NAME"

echo "==> terraform fmt -recursive examples/"
terraform fmt -recursive examples/
