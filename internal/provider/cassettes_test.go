package provider

import (
	"testing"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/recording"
)

// TestCassettesHoldNoSecrets fails when a committed cassette contains the
// test secret, the test AccessKey ID, a security token or an unscrubbed
// signature, nonce or timestamp.
func TestCassettesHoldNoSecrets(t *testing.T) {
	if err := recording.ScanForSecrets(acctest.CassetteDir, []string{acctest.AccessKeySecret, acctest.AccessKeyID}); err != nil {
		t.Fatal(err)
	}
}
