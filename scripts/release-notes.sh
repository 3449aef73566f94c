#!/usr/bin/env bash
# Prints the release notes of a version: its section of CHANGELOG.md, the
# lines between its "## VERSION ..." heading and the next "## " heading,
# without the heading and without leading or trailing blank lines.
#
#   scripts/release-notes.sh VERSION [CHANGELOG]
#
# VERSION may carry the tag's "v" (v0.1.0 and 0.1.0 are the same). CHANGELOG
# defaults to ./CHANGELOG.md. .github/workflows/release.yml passes the output
# to goreleaser (--release-notes), so a tag's GitHub release says what its
# CHANGELOG section says.
#
# Fails, saying why, when the file has no section for VERSION, when the
# section is empty, or when its heading still says "(Unreleased)": a tag is
# pushed after its section has been dated. RELEASE_NOTES_ALLOW_UNRELEASED=1
# accepts an unreleased section (`make release-notes-check` does, to check the
# current CHANGELOG.md before any tag).
set -euo pipefail

die() { echo "release-notes: $*" >&2; exit 1; }

[[ $# -ge 1 && $# -le 2 ]] || die "usage: $0 VERSION [CHANGELOG] (e.g. $0 v0.1.0)"
version="${1#v}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] ||
  die "VERSION must look like 0.1.0 or v0.1.0, got '$1'"
changelog="${2:-$(cd "$(dirname "$0")/.." && pwd)/CHANGELOG.md}"
[[ -f "$changelog" ]] || die "$changelog: no such file"

# The heading is "## VERSION" alone or followed by a space ("## 0.1.0
# (June 2, 2026)"): 0.1.0 does not match "## 0.1.0-rc1" or "## 0.1.01".
heading="$(awk -v v="$version" '
  index($0, "## " v) == 1 && (length($0) == length(v) + 3 || substr($0, length(v) + 4, 1) == " ") { print; exit }
' "$changelog")"
[[ -n "$heading" ]] || die "$changelog has no section for $version (a line \"## $version ...\")"
if [[ "$heading" == *"(Unreleased)"* && "${RELEASE_NOTES_ALLOW_UNRELEASED:-}" != 1 ]]; then
  die "$changelog: the section of $version is still \"$heading\"; date it before tagging v$version"
fi

# The section's lines, then without leading and trailing blank lines.
notes="$(awk -v h="$heading" '
  found && /^## / { exit }
  found { print }
  $0 == h { found = 1 }
' "$changelog" | sed -e '/[^[:space:]]/,$!d' | awk '
  /[^[:space:]]/ { for (; blank > 0; blank--) print ""; print; next }
  { blank++ }
')"
[[ -n "$notes" ]] || die "$changelog: the section of $version is empty"
printf '%s\n' "$notes"
