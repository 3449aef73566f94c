package provider

import (
	"path/filepath"
	"testing"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/recording"
)

// TestCassettesHoldNoSecrets fails when a committed cassette contains the
// test secret, the test AccessKey ID, the test STS secrets and tokens, a
// secret or token the emulator's STS issued, an OIDC token, a security token
// or an unscrubbed signature, nonce, timestamp, AccessKeySecret or OIDCToken.
func TestCassettesHoldNoSecrets(t *testing.T) {
	cassettes, err := filepath.Glob(filepath.Join(acctest.CassetteDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cassettes) == 0 {
		t.Fatalf("no cassette (*.yaml) in %s: there is nothing to scan", acctest.CassetteDir)
	}
	if err := recording.ScanForSecrets(acctest.CassetteDir, append([]string{acctest.AccessKeyID}, testAccSecrets...)); err != nil {
		t.Fatal(err)
	}
}
