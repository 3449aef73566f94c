#!/usr/bin/env bash
# The quickstart, end to end, against the local emulator: build, apply, show,
# plan (must be empty), verify one change outside Terraform, refresh, destroy.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Building the provider and the emulator into ./bin"
mkdir -p bin
go build -o bin/terraform-provider-alicloudrd .
go build -o bin/alicloudrd-emulator ./cmd/alicloudrd-emulator

step "Finding a Terraform CLI"
TF="$(scripts/find-terraform.sh)"
CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$TF" version | sed -n 1p

work="$(mktemp -d "${TMPDIR:-/tmp}/alicloudrd-demo.XXXXXX")"
emu_pid=""
cleanup() {
  if [[ -n "$emu_pid" ]]; then kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; fi
  rm -rf "$work"
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

step "Writing a temporary CLI configuration that uses ./bin/terraform-provider-alicloudrd (dev_overrides)"
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/alicloudrd/alicloudrd" = "$root/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1
cp examples/quickstart/*.tf "$work/"
tf() { "$TF" -chdir="$work" "$@"; }

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

step "API calls the emulator served"
curl -fsS "$endpoint/_emulator/calls" | sed -n 's/.*"action":"\([A-Za-z]*\)".*/\1/p' | sort | uniq -c
calls="$(curl -fsS "$endpoint/_emulator/calls")"
if ! grep -q '"action":"CancelMessageContactUpdate","code":"","status":200' <<<"$calls"; then
  echo "expected destroy to cancel the pending email change" >&2
  exit 1
fi
step "Done: the demo applied, verified, refreshed and destroyed against the emulator"
