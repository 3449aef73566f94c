#!/usr/bin/env bash
# The quickstart, end to end, against the local emulator, as a user lives it:
# build the provider, install it the way `terraform init` installs a release
# (a zip in a filesystem mirror, recorded in .terraform.lock.hcl), then apply,
# show, plan (must be empty), verify one change outside Terraform, refresh,
# destroy. Everything happens in bin/demo/, which the next run starts afresh;
# the lock file stays there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# The version being developed: the first entry of CHANGELOG.md. A plain
# version, not a prerelease, so that a configuration without a version
# constraint installs it.
version="$(sed -n 's/^## \([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\) .*/\1/p' CHANGELOG.md | head -1)"
version="${version:-0.0.1}"

step "Building the provider ($version), the emulator and the mirror tool into ./bin"
mkdir -p bin
# -s -w as in release builds: a smaller binary, which Terraform hashes
# against the lock file at every command.
go build -ldflags "-s -w -X main.version=$version" -o bin/terraform-provider-alicloudrd .
go build -o bin/alicloudrd-emulator ./cmd/alicloudrd-emulator
go build -o bin/alicloudrd-mirror ./scripts/mirror

step "Finding a Terraform CLI"
TF="$(scripts/find-terraform.sh)"
banner="$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$TF" version | sed -n 1p)"
echo "$banner"
hostname=registry.terraform.io
[[ "$banner" == OpenTofu* ]] && hostname=registry.opentofu.org

work="$root/bin/demo"
rm -rf "$work"
mkdir -p "$work"
emu_pid=""
cleanup() {
  if [[ -n "$emu_pid" ]]; then kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

step "Starting the emulator on a free loopback port (seeded with the existing contact OpsTeam)"
export ALIBABA_CLOUD_ACCESS_KEY_ID="LTAI5tDemoKey000001"
export ALIBABA_CLOUD_ACCESS_KEY_SECRET="demo-secret-$RANDOM$RANDOM"
bin/alicloudrd-emulator -listen 127.0.0.1:0 \
  -access-key-id "$ALIBABA_CLOUD_ACCESS_KEY_ID" -access-key-secret "$ALIBABA_CLOUD_ACCESS_KEY_SECRET" \
  -seed examples/quickstart/contacts.json -delete-delay 1s >"$work/emulator.log" 2>"$work/emulator.err" &
emu_pid=$!
endpoint=""
for _ in $(seq 1 100); do
  endpoint="$(sed -n 's/^endpoint=//p' "$work/emulator.log" | head -1)"
  [[ -n "$endpoint" ]] && break
  kill -0 "$emu_pid" 2>/dev/null || { cat "$work/emulator.err" >&2; echo "the emulator exited" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$endpoint" ]] || { echo "the emulator did not print its endpoint" >&2; exit 1; }
echo "emulator at $endpoint"
export ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER="$endpoint"

step "Packing the provider as a release zip into a filesystem mirror (bin/demo/mirror)"
bin/alicloudrd-mirror pack -binary bin/terraform-provider-alicloudrd -version "$version" \
  -dir "$work/mirror" -hostname "$hostname" | sed "s|^$root/||"

step "Writing a CLI configuration for the demo: alicloudrd/alicloudrd from that mirror, other providers from their registry"
cat >"$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["$hostname/alicloudrd/alicloudrd"]
  }
  direct {
    exclude = ["$hostname/alicloudrd/alicloudrd"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1
unset TF_PLUGIN_CACHE_DIR
cp examples/quickstart/*.tf "$work/"
tf() { "$TF" -chdir="$work" "$@"; }

# Terraform warns that the lock file holds the checksum of this platform only:
# a filesystem mirror has no signed SHA256SUMS to take the other platforms'
# from (a registry install records them all), and this one holds one zip.
step "terraform init: installs alicloudrd/alicloudrd $version from the mirror and writes .terraform.lock.hcl"
tf init -input=false

step "terraform apply: create a contact and request a new phone and email for OpsTeam"
tf apply -auto-approve -input=false

step "terraform output: the changes are pending until their owners verify them"
tf output

step "terraform plan: nothing to change while the changes wait (exit code 0 = empty plan)"
tf plan -input=false -detailed-exitcode

contact_id="$(tf output -raw ops_contact_id)"
new_phone="$(tf output -raw requested_phone)"
step "The owner of $new_phone verifies it (emulator hook, outside Terraform)"
curl -fsS -X POST "$endpoint/_emulator/verify?ContactId=$contact_id&Target=$new_phone"; echo

step "terraform apply -refresh-only: refresh reports the phone change as verified"
tf apply -refresh-only -auto-approve -input=false
tf output phone_change_status

step "terraform plan: still nothing to change"
tf plan -input=false -detailed-exitcode

step "terraform destroy: cancels the pending email change, forgets the verified phone change, deletes the contact"
tf destroy -auto-approve -input=false

step "API calls the emulator served, and the User-Agent they came with"
calls="$(curl -fsS "$endpoint/_emulator/calls")"
sed -n 's/.*"action":"\([A-Za-z]*\)".*/\1/p' <<<"$calls" | sort | uniq -c
sed -n 's/.*"user_agent":"\([^"]*\)".*/\1/p' <<<"$calls" | sort | uniq -c
if ! grep -q '"action":"CancelMessageContactUpdate","code":"","status":200' <<<"$calls"; then
  echo "expected destroy to cancel the pending email change" >&2
  exit 1
fi
if grep -v -q "\"user_agent\":\"Terraform/[^ ]* (+https://www.terraform.io) terraform-provider-alicloudrd/$version " <<<"$calls"; then
  echo "expected every call's User-Agent to name Terraform and terraform-provider-alicloudrd/$version" >&2
  exit 1
fi

step "The dependency lock file terraform init wrote: bin/demo/.terraform.lock.hcl"
cat "$work/.terraform.lock.hcl"
step "Done: the demo installed the provider from a mirror, applied, verified, refreshed and destroyed against the emulator"
