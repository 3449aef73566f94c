#!/usr/bin/env bash
# Tests of scripts/release-notes.sh on made-up changelogs, then on the real
# CHANGELOG.md: its first section must give non-empty notes. Run by
# `make release-notes-check`.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
script="$here/release-notes.sh"
work="$(mktemp -d "${TMPDIR:-/tmp}/release-notes-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect_notes NAME VERSION WANT: the script prints exactly WANT.
expect_notes() {
  local got
  if ! got="$("$script" "$2" "$work/CHANGELOG.md" 2>"$work/err")"; then
    fail "$1: exited non-zero: $(cat "$work/err")"
    return
  fi
  [[ "$got" == "$3" ]] || fail "$1: got
---
$got
---
want
---
$3
---"
}

# expect_error NAME VERSION PHRASE: the script fails and says PHRASE.
expect_error() {
  if "$script" "$2" "$work/CHANGELOG.md" >"$work/out" 2>"$work/err"; then
    fail "$1: succeeded, printing $(cat "$work/out")"
  elif ! grep -qF -- "$3" "$work/err"; then
    fail "$1: error lacks \"$3\": $(cat "$work/err")"
  fi
}

cat >"$work/CHANGELOG.md" <<'EOF'
## 0.3.0 (Unreleased)

FEATURES:

* Something new.

## 0.2.1 (July 3, 2026)

## 0.2.0-rc1 (June 30, 2026)

* A release candidate.

## 0.2.0 (July 1, 2026)


BUG FIXES:

* A fix.

* Another fix, after a blank line.


## 0.1.0 (June 2, 2026)

FEATURES:

* **New Resource:** `alicloudrd_message_contact`.
  A second line of the same item.
EOF

expect_notes "a middle section, blank lines around it trimmed" v0.2.0 "BUG FIXES:

* A fix.

* Another fix, after a blank line."
expect_notes "the version without v" 0.2.0 "BUG FIXES:

* A fix.

* Another fix, after a blank line."
expect_notes "the last section" v0.1.0 "FEATURES:

* **New Resource:** \`alicloudrd_message_contact\`.
  A second line of the same item."
expect_notes "a prerelease is its own section" v0.2.0-rc1 "* A release candidate."
expect_error "no such section" v0.4.0 "has no section for 0.4.0"
expect_error "a prefix of another version is not it" v0.2 "VERSION must look like"
expect_error "an empty section" v0.2.1 "the section of 0.2.1 is empty"
expect_error "an unreleased section" v0.3.0 "still \"## 0.3.0 (Unreleased)\""
if got="$(RELEASE_NOTES_ALLOW_UNRELEASED=1 "$script" v0.3.0 "$work/CHANGELOG.md")"; then
  [[ "$got" == $'FEATURES:\n\n* Something new.' ]] || fail "unreleased section allowed: got $got"
else
  fail "RELEASE_NOTES_ALLOW_UNRELEASED=1 did not accept the unreleased section"
fi
expect_error "not a version" main "VERSION must look like"

# The real CHANGELOG.md: its first section gives notes.
changelog="$here/../CHANGELOG.md"
first="$(sed -n 's/^## \([0-9][^ ]*\).*/\1/p' "$changelog" | head -n 1)"
if [[ -z "$first" ]]; then
  fail "CHANGELOG.md has no \"## VERSION\" section"
elif ! notes="$(RELEASE_NOTES_ALLOW_UNRELEASED=1 "$script" "v$first" "$changelog")"; then
  fail "CHANGELOG.md: no release notes for $first"
else
  echo "==> release notes of $first from CHANGELOG.md: $(wc -l <<<"$notes") lines, starting \"$(head -n 1 <<<"$notes")\""
fi

if [[ $failures -gt 0 ]]; then
  echo "release-notes: $failures failure(s)" >&2
  exit 1
fi
echo "==> scripts/release-notes.sh: all cases passed"
