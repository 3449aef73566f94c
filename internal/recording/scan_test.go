package recording

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/google/go-cmp/cmp"
)

const testToken = "CAISsecurityTokenValueForRecordingTests0001"

// recordSTS records one call made with temporary (STS) credentials.
func recordSTS(t *testing.T, path string) {
	t.Helper()
	rec := NewRecorder(newFakeUpstream())
	srv := httptest.NewServer(rec)
	defer srv.Close()
	client, err := sdk.NewClientWithOptions("cn-shanghai", sdk.NewConfig(), credentials.NewStsTokenCredential(testKeyID, testSecret, testToken))
	if err != nil {
		t.Fatal(err)
	}
	req := requests.NewCommonRequest()
	req.Method = requests.POST
	req.Scheme = "http"
	req.Domain = strings.TrimPrefix(srv.URL, "http://")
	req.Product = "ResourceDirectoryMaster"
	req.Version = "2022-04-19"
	req.ApiName = "GetMessageContact"
	req.FormParams["ContactId"] = "c-1"
	resp, err := client.ProcessCommonRequest(req)
	if err != nil || resp.GetHttpStatus() != 200 {
		t.Fatalf("STS call: %v", err)
	}
	// A rejected call: its error message echoes the string to sign.
	if status, body, err := call(t, srv.URL, testKeyID, "wrong-secret", "GetMessageContact", "ContactId", "c-2"); err != nil || status != 400 {
		t.Fatalf("rejected call: %d %q %v", status, body, err)
	}
	if err := rec.Save(path); err != nil {
		t.Fatal(err)
	}
}

func TestScanForSecretsCleanRecording(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "TestSTS.yaml")
	recordSTS(t, path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "server string to sign is:SCRUBBED") {
		t.Errorf("string to sign not scrubbed:\n%s", data)
	}
	if err := ScanForSecrets(dir, []string{testSecret, testKeyID, testToken}); err != nil {
		t.Error(err)
	}
	// The STS recording replays with the same key pair.
	p, url := replayServer(t, path)
	if status, _, err := call(t, url, testKeyID, "wrong-secret", "GetMessageContact", "ContactId", "c-2"); err != nil || status != 400 {
		t.Errorf("replayed rejection: %d %v", status, err)
	}
	if p.Err() == nil || len(p.Unused()) != 1 {
		t.Errorf("STS interaction should be the one left: %v", p.Err())
	}
}

func TestScanForSecretsFindsLeaks(t *testing.T) {
	const cassetteText = `---
version: 2
interactions:
    - id: 0
      request:
        body: Action=GetMessageContact&ContactId=c-1&Signature=SCRUBBED
        form:
            Action:
                - GetMessageContact
            Signature:
                - SCRUBBED
            Timestamp: []
        url: http://rd.test/
      response:
        body: |
            {"Code":"SignatureDoesNotMatch","Message":"server string to sign is:SCRUBBED"}
        code: 400
`
	const leaks = `---
version: 2
interactions:
    - id: 0
      request:
        body: Action=GetMessageContact&ContactId=c-1&Signature=abcDEF%2B123%3D
        form:
            AccessKeyId:
                - LTAI5tPlanted
            SignatureNonce: [0f8a9c1e-5e4b]
        url: http://rd.test/?Timestamp=2025-01-01T00%3A00%3A00Z
      response:
        body: |
            {"Message":"server string to sign is:POST&%2F&AccessKeyId%3DLTAI5tPlanted%26Action%3DGet"}
        headers:
            X-Echo:
                - "the secret is recordingTestSecretValue0001"
        other: '{\"SecurityToken\":\"CAISplanted\"}'
        sts: '{"Credentials":{"AccessKeySecret":"emu-sts-secret-planted"}}'
        oidc: Action=AssumeRoleWithOIDC&OIDCToken=eyJhbGciOiJSUzI1NiJ9.e30.sig
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "clean.yaml"), []byte(cassetteText), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("Signature=abc "+testSecret), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ScanForSecrets(dir, []string{testSecret}); err != nil {
		t.Fatalf("clean files: %v", err)
	}

	leaky := filepath.Join(dir, "deep", "leaky.yaml")
	if err := os.MkdirAll(filepath.Dir(leaky), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(leaky, []byte(leaks), 0o644); err != nil {
		t.Fatal(err)
	}
	err := ScanForSecrets(dir, []string{"", testSecret})
	if err == nil {
		t.Fatal("ScanForSecrets found nothing")
	}
	want := "cassettes hold secrets or unscrubbed values (fix the scrubbing, then run `make record`):\n  " + strings.Join([]string{
		leaky + ":6: unscrubbed Signature value",
		leaky + ":9: unscrubbed AccessKeyId value",
		leaky + ":10: unscrubbed SignatureNonce value",
		leaky + ":11: unscrubbed Timestamp value",
		leaky + ":14: unscrubbed AccessKeyId value",
		leaky + ":14: unscrubbed server string to sign",
		leaky + ":17: holds secret #2 of the list checked",
		leaky + ":18: unscrubbed SecurityToken value",
		leaky + ":19: unscrubbed AccessKeySecret value",
		leaky + ":20: unscrubbed OIDCToken value",
	}, "\n  ")
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if strings.Contains(err.Error(), testSecret) || strings.Contains(err.Error(), "LTAI5tPlanted") {
		t.Error("the error repeats a found value")
	}
}

func TestScanForSecretsMissingDir(t *testing.T) {
	if err := ScanForSecrets(filepath.Join(t.TempDir(), "nope"), nil); err == nil {
		t.Error("missing directory accepted")
	}
}
