#!/usr/bin/env bash
# Prints the path of the Terraform CLI to use:
#   1. $TF_ACC_TERRAFORM_PATH when set,
#   2. `terraform` on PATH,
#   3. otherwise Terraform 1.5.7 (MPL) built from source into ./bin.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]]; then
  echo "$TF_ACC_TERRAFORM_PATH"
  exit 0
fi
if command -v terraform >/dev/null 2>&1; then
  command -v terraform
  exit 0
fi
if [[ ! -x "$root/bin/terraform" ]]; then
  echo "==> No terraform on PATH: building Terraform 1.5.7 from source into $root/bin (a few minutes, once)" >&2
  GOTOOLCHAIN=local GOBIN="$root/bin" go install github.com/hashicorp/terraform@v1.5.7 >&2
fi
echo "$root/bin/terraform"
