#!/usr/bin/env bash
# make registry-test: installs the provider the way `terraform init` installs
# it from a registry, signature and all, offline:
#
#   1. two throwaway GPG keys (RSA 4096, no passphrase) in a temporary
#      GNUPGHOME: the release key and another one;
#   2. a release snapshot signed with the release key the way the release
#      workflow signs (scripts/release-snapshot.sh, goreleaser's `signs` of
#      .goreleaser.yml fed GPG_FINGERPRINT), into a directory of its own
#      (dist/ is left alone): a detached, binary SHA256SUMS.sig that gpg
#      verifies;
#   3. scripts/registry serves it over HTTPS on loopback as a provider
#      registry (service discovery, protocol v1, the release key's public
#      half) and as a provider network mirror, with a certificate authority
#      of its own that the CLIs trust through SSL_CERT_FILE;
#   4. for each CLI of REGISTRY_TEST_CLIS (Terraform 1.16.0 and OpenTofu
#      1.12.6 from `make tf-matrix-clis`):
#      - `init` of a configuration whose provider source is on that host
#        (localhost:<port>/alicloudrd/alicloudrd) installs it, names the key
#        that signed SHA256SUMS, and writes a lock file with the h1: hash of
#        this machine's zip and the zh: hash of every line of SHA256SUMS, no
#        other (scripts/mirror lock -signed);
#      - `init` refuses, with the lock file unchanged byte for byte (and
#        writes none where there was none): a signature by the other key, a
#        SHA256SUMS changed after signing, a zip that is not the one
#        SHA256SUMS lists, a registry that gives no key;
#      - the same host standing in for the CLI's own registry
#        (registry.terraform.io, registry.opentofu.org) through a `host`
#        block of the CLI configuration: OpenTofu installs from its own
#        registry without checking signatures when the registry gives no key
#        (and still records every zh: hash), unless
#        OPENTOFU_ENFORCE_GPG_VALIDATION=true; Terraform refuses;
#      - with a network_mirror as the only installation method, `init`
#        installs, `providers lock -net-mirror=... -platform=...` records the
#        h1: hash of each of LOCK_PLATFORMS, and a mirror that serves another
#        zip (with its own h1:) is refused against that lock file.
#
# Every request to anything but loopback goes to a closed port (HTTP(S)
# proxies on 127.0.0.1:9). Each init output, each lock file and each refusal's
# error is printed. Needs gpg (installed with apt-get when missing and
# possible) and Linux or another Unix but macOS (SSL_CERT_FILE).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

die() { echo "registry-test: FAILED: $*" >&2; exit 1; }
step() { printf '==> %s\n' "$*"; }
indent() { sed 's/^/    /'; }

: "${GORELEASER:?set GORELEASER to the goreleaser binary (make registry-test does)}"
read -r -a clis <<<"${REGISTRY_TEST_CLIS:?set REGISTRY_TEST_CLIS to the CLIs to test (make registry-test does)}"
read -r -a lock_platforms <<<"${LOCK_PLATFORMS:-linux_amd64 darwin_arm64 windows_amd64}"
for cli in "${clis[@]}"; do
  [[ -x "$cli" ]] || die "expected a Terraform or OpenTofu CLI at $cli, found none: make tf-matrix-clis builds Terraform 1.16.0 and OpenTofu 1.12.6 into ./bin"
done
start=$SECONDS

if ! command -v gpg >/dev/null; then
  if command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
    step "gpg is missing: apt-get install -y gnupg"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnupg; } >/dev/null ||
      die "apt-get install -y gnupg failed; install GnuPG (gpg) and run again"
  else
    die "gpg (GnuPG) is needed to sign the snapshot, and it is not on PATH: install gnupg"
  fi
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/alicloudrd-registry-test.XXXXXX")"
server_pid=
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  gpgconf --homedir "$work/gnupg" --kill all 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_PLUGIN_CACHE_DIR TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_providers_lock OPENTOFU_ENFORCE_GPG_VALIDATION

go build -o "$work/mirror" ./scripts/mirror
go build -o "$work/registry" ./scripts/registry
mirror() { "$work/mirror" "$@"; }
here="$(go env GOOS)_$(go env GOARCH)"

# 1. Keys.
export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
new_key() { # name email: prints the fingerprint
  local err
  err="$(gpg --batch --quiet --passphrase '' --quick-gen-key "$1 <$2>" rsa4096 sign never 2>&1)" ||
    die "expected gpg --quick-gen-key to make the key $1 <$2>; it failed: $err"
  gpg --batch --with-colons --list-keys "$2" 2>/dev/null | awk -F: '/^fpr/ { print $10; exit }'
}
step "Two throwaway signing keys (RSA 4096, no passphrase) in a temporary GNUPGHOME"
release_fpr="$(new_key "alicloudrd release test key" release-test@alicloudrd.invalid)"
other_fpr="$(new_key "another key" another-key@alicloudrd.invalid)"
[[ ${#release_fpr} == 40 && ${#other_fpr} == 40 ]] ||
  die "expected two 40-digit key fingerprints from gpg --list-keys; seen '$release_fpr' and '$other_fpr'"
key_id="${release_fpr: -16}"
echo "    release key $release_fpr (key ID $key_id)"
echo "    other key   $other_fpr (key ID ${other_fpr: -16})"
mkdir "$work/keys"
gpg --batch --armor --export "$release_fpr" >"$work/keys/release.asc"
head -1 "$work/keys/release.asc" | grep -q -- '-----BEGIN PGP PUBLIC KEY BLOCK-----' ||
  die "expected gpg --armor --export to write an ASCII-armored public key; seen: $(head -c 200 "$work/keys/release.asc")"

# 2. The signed snapshot.
step "A release snapshot signed as the release workflow signs it: GPG_FINGERPRINT=$release_fpr scripts/release-snapshot.sh"
dist="$work/dist"
if ! GPG_FINGERPRINT="$release_fpr" RELEASE_DIST="$dist" scripts/release-snapshot.sh >"$work/snapshot.log" 2>&1; then
  indent <"$work/snapshot.log" >&2
  die "scripts/release-snapshot.sh failed; expected a signed snapshot in $dist"
fi
grep -E 'only the targets|signing +cmd=|release succeeded|verifies:|lists [0-9]+ zips' "$work/snapshot.log" |
  sed -E 's/^ +//; s/ {2,}/ /g' | indent
mirror check -dist "$dist" -platform "$here" "${lock_platforms[@]/#/-platform=}" >/dev/null ||
  die "expected the snapshot to hold a zip for this machine ($here) and for LOCK_PLATFORMS (${lock_platforms[*]}), built from RELEASE_TARGETS (${RELEASE_TARGETS:-every platform}); see above"
version="$(mirror version -dist "$dist")"
sums="terraform-provider-alicloudrd_${version}_SHA256SUMS"
[[ -f "$dist/$sums.sig" ]] || die "expected $sums.sig beside $sums; seen: $(ls "$dist")"
# A binary OpenPGP packet starts with a byte whose high bit is set; ASCII
# armor starts with "-----BEGIN PGP SIGNATURE-----".
first="$(od -An -tx1 -N1 "$dist/$sums.sig" | tr -d ' ')"
((0x${first:-0} & 0x80)) ||
  die "expected a binary detached signature in $sums.sig, as the registry wants; seen: $(head -c 40 "$dist/$sums.sig" | tr -cd '[:print:]')..."
status="$(gpg --batch --status-fd 1 --verify "$dist/$sums.sig" "$dist/$sums" 2>/dev/null)" || true
grep -q "^\[GNUPG:\] VALIDSIG $release_fpr " <<<"$status" ||
  die "expected gpg --verify to find $sums.sig a valid signature by $release_fpr; seen: $status"
echo "    $sums.sig: a binary detached signature (first byte 0x$first), valid, by $release_fpr"
indent <"$dist/$sums"

# 3. The registry.
served="$work/served"
mkdir "$served"
restore() { # the signed release, as published
  rm -f "$served"/*
  cp "$dist/terraform-provider-alicloudrd_${version}_"* "$served/"
  cp "$work/keys/release.asc" "$work/served-keys.asc"
}
restore
step "scripts/registry: the snapshot as a provider registry and a network mirror over HTTPS"
"$work/registry" serve -dist "$served" -keys "$work/served-keys.asc" -tls-dir "$work/tls" \
  -addr-file "$work/addr" >"$work/registry.out" 2>"$work/registry.log" &
server_pid=$!
for _ in $(seq 100); do
  [[ -s "$work/addr" ]] && break
  kill -0 "$server_pid" 2>/dev/null || die "expected scripts/registry to start; it exited: $(cat "$work/registry.out" "$work/registry.log")"
  sleep 0.1
done
[[ -s "$work/addr" ]] || die "expected scripts/registry to listen within 10s; it wrote no address"
addr="$(cat "$work/addr")"
indent <"$work/registry.out"

export SSL_CERT_FILE="$work/tls/ca.pem"
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9
export NO_PROXY=localhost,127.0.0.1 no_proxy=localhost,127.0.0.1

write_config() { # dir source
  mkdir -p "$1"
  cat >"$1/main.tf" <<TF
terraform {
  required_providers {
    alicloudrd = {
      source  = "$2"
      version = "$version"
    }
  }
}
TF
}
cat >"$work/rc-direct" <<RC
provider_installation {
  direct {}
}
RC
cat >"$work/rc-mirror" <<RC
provider_installation {
  network_mirror {
    url = "https://$addr/mirror/"
  }
}
RC

# run DIR ARGS...: the CLI in DIR; sets out and rc.
run() {
  local dir=$1
  shift
  set +e
  out="$("$cli" -chdir="$dir" "$@" 2>&1)"
  rc=$?
  set -e
}
# The "Error while installing ..." paragraph of out, on one line.
error_of() {
  local e
  e="$(sed -n '/^Error while installing/,/^$/p' <<<"$out" | tr '\n' ' ' | tr -s ' ')"
  [[ -n "$e" ]] || e="$(grep -m1 -A3 '^Error' <<<"$out" | tr '\n' ' ' | tr -s ' ')"
  echo "${e% }"
}
log_lines=0
requests() { # the requests served since the last call
  local n
  n="$(wc -l <"$work/registry.log")"
  sed -n "$((log_lines + 1)),${n}p" "$work/registry.log" | sed 's/^registry: /    served: /'
  log_lines=$n
}

# init_ok DIR WHAT WANT_LINE: init must install, printing what it says.
init_ok() {
  rm -rf "$1/.terraform"
  requests >/dev/null
  run "$1" init -input=false -no-color
  if ((rc != 0)); then
    indent <<<"$out" >&2
    die "$name init $2: expected it to install v$version; it failed (exit $rc): $(error_of)"
  fi
  cat -s <<<"$out" | indent
  requests
  grep -qxF -- "$3" <<<"$out" ||
    die "$name init $2: expected the line '$3'; seen: $(grep -- '- Installed' <<<"$out" || echo 'no Installed line')"
}

# refused WHAT WANT LOCKED FRESH: init must fail with an error holding WANT,
# in LOCKED (a lock file, kept as LOCKED/lock.good) without changing the lock
# file, and in FRESH (no lock file) without writing one.
refused() {
  local what=$1 want=$2 locked=$3 fresh=$4 msg
  rm -rf "$locked/.terraform"
  run "$locked" init -input=false -no-color
  if ((rc == 0)); then
    indent <<<"$out" >&2
    die "$name init with $what: expected it to refuse with \"$want\"; it installed the provider"
  fi
  msg="$(error_of)"
  [[ "$msg" == *"$want"* ]] || {
    indent <<<"$out" >&2
    die "$name init with $what: expected an error holding \"$want\"; seen: $msg"
  }
  cmp -s "$locked/.terraform.lock.hcl" "$locked/lock.good" || die "$name init with $what: expected the lock file unchanged; seen:
$(diff "$locked/lock.good" "$locked/.terraform.lock.hcl")"
  rm -rf "$fresh/.terraform" "$fresh/.terraform.lock.hcl"
  run "$fresh" init -input=false -no-color
  ((rc != 0)) || die "$name init with $what and no lock file: expected it to refuse with \"$want\"; it installed the provider"
  [[ "$(error_of)" == *"$want"* ]] ||
    die "$name init with $what and no lock file: expected an error holding \"$want\"; seen: $(error_of)"
  [[ ! -e "$fresh/.terraform.lock.hcl" ]] ||
    die "$name init with $what and no lock file: expected no lock file; seen: $(cat "$fresh/.terraform.lock.hcl")"
  echo "    refused; the lock file unchanged (none written where there was none):"
  error_block
}
# The error as the CLI shows it.
error_block() { sed -n '/^Error while installing/,/^$/p' <<<"$out" | grep -v '^$' | sed 's/^/      /'; }

# check_lock DIR HOSTNAME FLAGS...: the lock file against the artifacts.
check_lock() {
  local dir=$1 hostname=$2
  shift 2
  echo "    $dir/.terraform.lock.hcl:" | sed "s|$work/||"
  sed 's/^/      /' "$dir/.terraform.lock.hcl"
  mirror lock -lock "$dir/.terraform.lock.hcl" -dist "$dist" -hostname "$hostname" "$@" | indent ||
    die "the lock file in $dir does not hold the hashes expected (above)"
}
# The platform whose SHA256SUMS line is changed after signing: another
# platform than this machine's, whose hash is checked against the zip.
other_platform=
for p in "${lock_platforms[@]}"; do
  [[ "$p" != "$here" ]] && other_platform=$p && break
done
[[ -n "$other_platform" ]] || die "expected LOCK_PLATFORMS to name a platform besides $here; seen: ${lock_platforms[*]}"
zip_here="terraform-provider-alicloudrd_${version}_${here}.zip"
sum_here="$(awk -v z="$zip_here" '$2 == z { print $1 }' "$dist/$sums")"

# The changes a refusal is tested with, each on the restored release.
sign_with_other_key() {
  gpg --batch --yes --local-user "$other_fpr" --output "$served/$sums.sig" --detach-sign "$served/$sums" ||
    die "expected gpg to sign $sums with the other key $other_fpr; it failed"
}
change_sums() {
  local z="terraform-provider-alicloudrd_${version}_${other_platform}.zip" forged
  forged="$(printf 'not the release' | sha256sum | cut -d' ' -f1)"
  awk -v z="$z" -v f="$forged" '$2 == z { $1 = f; print $1 "  " $2; next } { print }' "$dist/$sums" >"$served/$sums"
  ! cmp -s "$dist/$sums" "$served/$sums" || die "expected the $other_platform line of $sums to change"
}
alter_zip() { mirror tamper -zip "$served/$zip_here" >/dev/null || die "expected mirror tamper to alter $zip_here; it failed"; }
no_key() { : >"$work/served-keys.asc"; }

passed=()
for cli in "${clis[@]}"; do
  banner="$(TF_CLI_CONFIG_FILE=/dev/null "$cli" version | sed -n 1p)"
  case "$banner" in
    OpenTofu*) kind=tofu name=tofu default_host=registry.opentofu.org signed_as=signed ;;
    Terraform*) kind=terraform name=terraform default_host=registry.terraform.io signed_as=self-signed ;;
    *) die "expected $cli to be Terraform or OpenTofu; it says: $banner" ;;
  esac
  d="$work/$kind"
  step "$banner ($cli), provider source $addr/alicloudrd/alicloudrd"
  restore

  # The registry.
  export TF_CLI_CONFIG_FILE="$work/rc-direct"
  write_config "$d/registry" "$addr/alicloudrd/alicloudrd"
  write_config "$d/registry-fresh" "$addr/alicloudrd/alicloudrd"
  step "$name init: installs from the registry, checking SHA256SUMS and its signature"
  init_ok "$d/registry" "from $addr" "- Installed $addr/alicloudrd/alicloudrd v$version ($signed_as, key ID $key_id)"
  check_lock "$d/registry" "$addr" -signed -platform "$here"
  cp "$d/registry/.terraform.lock.hcl" "$d/registry/lock.good"

  if [[ $kind == tofu ]]; then
    refusal="the provider is not signed with a valid signing key; please contact the provider author ("
  else
    refusal=
  fi
  step "$name init refuses a SHA256SUMS signed by another key (${other_fpr: -16})"
  restore && sign_with_other_key
  refused "a signature by another key" "${refusal}authentication signature from unknown issuer" "$d/registry" "$d/registry-fresh"
  step "$name init refuses a SHA256SUMS changed after signing (the $other_platform line lists another hash)"
  restore && change_sums
  refused "a SHA256SUMS changed after signing" "${refusal}error checking signature: openpgp: invalid signature" "$d/registry" "$d/registry-fresh"
  step "$name init refuses a $here zip that is not the one SHA256SUMS lists (one byte appended to the binary)"
  restore && alter_zip
  refused "an altered zip" "archive has incorrect checksum zh:$(sha256sum "$served/$zip_here" | cut -d' ' -f1) (expected zh:$sum_here)" \
    "$d/registry" "$d/registry-fresh"
  step "$name init refuses a package when the registry gives no signing key"
  restore && no_key
  refused "no signing key" "${refusal}authentication signature from unknown issuer" "$d/registry" "$d/registry-fresh"

  # The same host as the CLI's own registry.
  cat >"$work/rc-default" <<RC
host "$default_host" {
  services = {
    "providers.v1" = "https://$addr/v1/providers/"
  }
}
provider_installation {
  direct {}
}
RC
  export TF_CLI_CONFIG_FILE="$work/rc-default"
  write_config "$d/default" alicloudrd/alicloudrd
  write_config "$d/default-fresh" alicloudrd/alicloudrd
  restore
  step "$name init: the registry standing in for $default_host (a host block of the CLI configuration)"
  init_ok "$d/default" "from $default_host" "- Installed alicloudrd/alicloudrd v$version ($signed_as, key ID $key_id)"
  check_lock "$d/default" "$default_host" -signed -platform "$here"
  cp "$d/default/.terraform.lock.hcl" "$d/default/lock.good"
  step "$name init from $default_host refuses a SHA256SUMS signed by another key"
  restore && sign_with_other_key
  refused "a signature by another key on $default_host" "${refusal}authentication signature from unknown issuer" "$d/default" "$d/default-fresh"
  restore && no_key
  if [[ $kind == tofu ]]; then
    step "tofu init from registry.opentofu.org when the registry gives no key: installs without checking the signature"
    rm -rf "$d/default-fresh/.terraform" "$d/default-fresh/.terraform.lock.hcl"
    init_ok "$d/default-fresh" "from registry.opentofu.org, no key" \
      "- Installed alicloudrd/alicloudrd v$version. Signature validation was skipped due to the registry not containing GPG keys for this provider"
    echo "    (the zh: hashes of every line of SHA256SUMS are recorded though no signature was checked: tofu trusts its registry's TLS)"
    check_lock "$d/default-fresh" "$default_host" -signed -platform "$here"
    step "... and refuses it with OPENTOFU_ENFORCE_GPG_VALIDATION=true"
    OPENTOFU_ENFORCE_GPG_VALIDATION=true refused "no signing key and OPENTOFU_ENFORCE_GPG_VALIDATION=true" \
      "${refusal}authentication signature from unknown issuer" "$d/default" "$d/default-fresh"
  else
    step "terraform init from registry.terraform.io refuses a package when the registry gives no key"
    refused "no signing key on registry.terraform.io" "authentication signature from unknown issuer" "$d/default" "$d/default-fresh"
  fi

  # The network mirror.
  restore
  export TF_CLI_CONFIG_FILE="$work/rc-mirror"
  write_config "$d/mirror" alicloudrd/alicloudrd
  step "$name init with network_mirror { url = \"https://$addr/mirror/\" } as the only installation method"
  init_ok "$d/mirror" "from the network mirror" "- Installed alicloudrd/alicloudrd v$version (verified checksum)"
  check_lock "$d/mirror" "$default_host" -platform "$here"
  step "$name providers lock -net-mirror=https://$addr/mirror/ ${lock_platforms[*]/#/-platform=}"
  run "$d/mirror" providers lock -no-color -net-mirror="https://$addr/mirror/" "${lock_platforms[@]/#/-platform=}"
  ((rc == 0)) || { indent <<<"$out" >&2; die "$name providers lock: expected it to lock ${lock_platforms[*]}; it failed (exit $rc)"; }
  grep -v '^$' <<<"$out" | indent
  check_lock "$d/mirror" "$default_host" "${lock_platforms[@]/#/-platform=}"
  cp "$d/mirror/.terraform.lock.hcl" "$d/mirror/lock.good"
  step "$name init refuses a mirror that serves another $here zip (and its h1:) against that lock file"
  alter_zip
  rm -rf "$d/mirror/.terraform"
  run "$d/mirror" init -input=false -no-color
  ((rc != 0)) || { indent <<<"$out" >&2; die "$name init installed a zip that matches no hash of the lock file; expected a refusal"; }
  [[ "$(error_of)" == *"doesn't match any of the checksums previously recorded in the dependency lock file"* ]] || {
    indent <<<"$out" >&2
    die "$name init failed, but not on the checksum: expected \"doesn't match any of the checksums previously recorded in the dependency lock file\"; seen: $(error_of)"
  }
  cmp -s "$d/mirror/.terraform.lock.hcl" "$d/mirror/lock.good" || die "$name init with an altered mirror changed the lock file; expected it unchanged"
  echo "    refused; the lock file unchanged:"
  error_block
  passed+=("$banner")
done

printf -v clis_passed '%s, ' "${passed[@]}"
echo "==> registry-test: passed (${clis_passed%, }; v$version signed by key ID $key_id; $((SECONDS - start))s)"
