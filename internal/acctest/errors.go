package acctest

import (
	"regexp"
	"strings"
)

// ErrorMatching returns a regular expression for a test step's ExpectError
// that matches the given phrases in this order, with anything between them.
// The words of a phrase are matched literally, but may be separated by any
// white space and by the │ border the CLI draws around a diagnostic, so a
// phrase still matches where the CLI wraps a long line inside it.
func ErrorMatching(phrases ...string) *regexp.Regexp {
	quoted := make([]string, len(phrases))
	for i, p := range phrases {
		quoted[i] = PhrasePattern(p)
	}
	return regexp.MustCompile(strings.Join(quoted, `[\s\S]*`))
}

// PhrasePattern is the regular expression ErrorMatching uses for one phrase:
// its words quoted, separated by white space or the CLI's │ border. It is
// for building an expression ErrorMatching cannot express, such as one with
// a generated value between two phrases.
func PhrasePattern(phrase string) string {
	words := strings.Fields(phrase)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(words, `[\s│]+`)
}
