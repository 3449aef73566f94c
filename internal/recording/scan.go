package recording

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

var (
	// The volatile parameters, and the secrets of STS: an answer's
	// AccessKeySecret, an AssumeRoleWithOIDC's OIDCToken.
	volatileAlt = `(AccessKeyId|Signature|SecurityToken|SignatureNonce|Timestamp|AccessKeySecret|OIDCToken)`
	// Name=value in a URL, a form body or a (percent-encoded) string to sign.
	assignRe = regexp.MustCompile(`(?:^|[^A-Za-z0-9_.]|%26|%2526)` + volatileAlt + `(?:=|%3D|%253D)`)
	// A YAML mapping key such as the cassette's form entries.
	yamlKeyRe = regexp.MustCompile(`^\s*(?:-\s+)?["']?` + volatileAlt + `["']?\s*:(?:\s+(.*?))?\s*$`)
	// A YAML sequence item.
	yamlItemRe = regexp.MustCompile(`^\s*-\s*(.*?)\s*$`)
	// A JSON member, possibly with escaped quotes inside a YAML string.
	jsonRe = regexp.MustCompile(`\\?"` + volatileAlt + `\\?"\s*:\s*\\?"([^"\\]*)`)
)

// ScanForSecrets checks every cassette (*.yaml, *.yml) under dir and returns an
// error naming file and line for each place that holds one of secrets (also
// percent-encoded), a SecurityToken, AccessKeySecret or OIDCToken value, or a
// Signature, AccessKeyId, SignatureNonce or Timestamp value that was not
// scrubbed, or an unscrubbed "server string to sign". The error never repeats the values it found.
func ScanForSecrets(dir string, secrets []string) error {
	var findings []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if ext := strings.ToLower(filepath.Ext(path)); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		findings = append(findings, scanFile(path, string(data), secrets)...)
		return nil
	})
	if err != nil {
		return fmt.Errorf("scanning cassettes under %s: %w", dir, err)
	}
	if len(findings) == 0 {
		return nil
	}
	return errors.New("cassettes hold secrets or unscrubbed values (fix the scrubbing, then run `make record`):\n  " +
		strings.Join(findings, "\n  "))
}

func scanFile(path, text string, secrets []string) []string {
	var findings []string
	report := func(line int, format string, args ...any) {
		findings = append(findings, fmt.Sprintf("%s:%d: ", path, line)+fmt.Sprintf(format, args...))
	}

	var secretForms [][]string
	for _, s := range secrets {
		if s == "" {
			secretForms = append(secretForms, nil)
			continue
		}
		secretForms = append(secretForms, encodings(s))
	}

	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		line, n := lines[i], i+1

		for si, forms := range secretForms {
			for _, f := range forms {
				if strings.Contains(line, f) {
					report(n, "holds secret #%d of the list checked", si+1)
					break
				}
			}
		}

		for _, m := range assignRe.FindAllStringSubmatchIndex(line, -1) {
			name := line[m[2]:m[3]]
			if v := assignedValue(line[m[1]:]); v != "" && v != Scrubbed {
				report(n, "unscrubbed %s value", name)
			}
		}

		for _, m := range jsonRe.FindAllStringSubmatch(line, -1) {
			if m[2] != "" && m[2] != Scrubbed {
				report(n, "unscrubbed %s value", m[1])
			}
		}

		if idx := strings.Index(line, stringToSignMarker); idx >= 0 {
			rest := line[idx+len(stringToSignMarker):]
			if !strings.HasPrefix(rest, Scrubbed) && assignedValue(rest) != "" {
				report(n, "unscrubbed server string to sign")
			}
		}

		if m := yamlKeyRe.FindStringSubmatch(line); m != nil {
			if v := strings.Trim(m[2], `[]"' `); m[2] != "" {
				if v != "" && v != Scrubbed {
					report(n, "unscrubbed %s value", m[1])
				}
				continue
			}
			// A block sequence of values follows.
			for j := i + 1; j < len(lines); j++ {
				item := yamlItemRe.FindStringSubmatch(lines[j])
				if item == nil {
					break
				}
				if v := strings.Trim(item[1], `"' `); v != "" && v != Scrubbed {
					report(j+1, "unscrubbed %s value", m[1])
				}
			}
		}
	}
	return findings
}

// assignedValue returns the value that starts s, up to the next separator
// (plain or percent-encoded "&", quote, backslash or space).
func assignedValue(s string) string {
	end := strings.IndexAny(s, "&\"' \t\\,]}")
	if end < 0 {
		end = len(s)
	}
	v := s[:end]
	for _, sep := range []string{"%26", "%2526"} {
		if k := strings.Index(v, sep); k >= 0 {
			v = v[:k]
		}
	}
	return v
}
