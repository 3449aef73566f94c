package acctest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// A test that skips after starting its server (TF_ACC unset, a CLI too old)
// made no API calls: in replay that is not a missing call, and in record mode
// its committed cassette stays as it is.
func TestNewServer_skippedTestKeepsItsCassette(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv(UpstreamEnv, "")
	if err := os.Mkdir(CassetteDir, 0o755); err != nil {
		t.Fatal(err)
	}
	cassetteOf := func(t *testing.T) string {
		return filepath.Join(CassetteDir, CassetteName(t.Name())+".yaml")
	}

	t.Run("record", func(t *testing.T) {
		t.Setenv("ALICLOUDRD_ACC_MODE", string(ModeRecord))
		srv := NewServer(t, Options{})
		client, err := rdclient.New(rdclient.Config{
			Endpoint:   srv.URL,
			RegionID:   "cn-shanghai",
			Credential: credentials.NewAccessKeyCredential(AccessKeyID, AccessKeySecret),
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.ListMessageContacts(context.Background(), rdclient.ListMessageContactsInput{PageNumber: 1, PageSize: 10}); err != nil {
			t.Fatal(err)
		}
	})
	recorded, err := os.ReadFile(filepath.Join(CassetteDir, CassetteName(t.Name()+"/record")+".yaml"))
	if err != nil {
		t.Fatalf("the recording subtest saved no cassette: %v", err)
	}
	if !bytes.Contains(recorded, []byte("ListMessageContacts")) {
		t.Fatalf("the recorded cassette holds no ListMessageContacts call:\n%s", recorded)
	}

	for _, mode := range []Mode{ModeReplay, ModeRecord} {
		ok := t.Run("skipped_"+string(mode), func(t *testing.T) {
			if err := os.WriteFile(cassetteOf(t), recorded, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Setenv("ALICLOUDRD_ACC_MODE", string(mode))
			// Registered first, so it runs after the server's cleanup.
			t.Cleanup(func() {
				got, err := os.ReadFile(cassetteOf(t))
				if err != nil || !bytes.Equal(got, recorded) {
					t.Errorf("%s mode: the skipped test changed its cassette (err %v):\n%s", mode, err, got)
				}
			})
			NewServer(t, Options{})
			t.Skip("skipped after starting its server, as an acceptance test without TF_ACC does")
		})
		if !ok {
			t.Errorf("%s mode: a skipped test failed", mode)
		}
	}
}
