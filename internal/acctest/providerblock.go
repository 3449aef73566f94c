package acctest

import "fmt"

// ProviderBlock is a provider configuration block pointing at endpoint and
// signing with keyID and secret; extra holds further attribute lines (for
// example "  max_retries = 0" or a security_token line), or is empty. Every
// provider block the harness builds comes from here: Server's and
// FaultProxy's, and those of tests that need other credentials.
func ProviderBlock(endpoint, keyID, secret, extra string) string {
	return fmt.Sprintf(`
provider "alicloudrd" {
  endpoint   = %q
  access_key = %q
  secret_key = %q
%s
}
`, endpoint, keyID, secret, extra)
}
