package rdclient_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// The emulator's STS is reached over HTTPS: the process trusts the
// certificate it serves it with (acctest.TrustTLS).
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rdclient-test-")
	if err == nil {
		err = acctest.TrustTLS(dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const (
	stsRole        = "acs:ram::1234567890123456:role/deploy"
	stsOIDCARN     = "acs:ram::1234567890123456:oidc-provider/ci"
	stsExternalID  = "ext-rdclient-0001"
	stsOIDCSubject = "ci-job"
)

// stsEmulator serves the API and STS over HTTPS; it returns the emulator
// and the endpoint.
func stsEmulator(t *testing.T, duration time.Duration) (*emulator.Emulator, string) {
	t.Helper()
	emu := emulator.New(emulator.Config{
		KeyPairs: []emulator.KeyPair{{AccessKeyID: rejKeyID, AccessKeySecret: rejSecret}},
		Roles:    []string{stsRole}, STSExternalID: stsExternalID, OIDCProviderARN: stsOIDCARN, STSDuration: duration,
	})
	return emu, acctest.NewTLSServer(t, emu).URL
}

// Temporary credentials sign the calls and are renewed before they expire;
// each failure of STS names the setting to fix and carries STS's answer;
// neither errors nor logs hold a secret or token, issued or given.
func TestSTSCredentials(t *testing.T) {
	token := emulator.NewOIDCToken(emulator.OIDCClaims{Issuer: emulator.DefaultOIDCIssuer, Subject: stsOIDCSubject,
		Audiences: []string{emulator.DefaultOIDCAudience}, Expiry: time.Now().Add(time.Hour).Unix()})
	keys := rdclient.CredentialConfig{AccessKey: rejKeyID, SecretKey: rejSecret}
	withRole := func(cc rdclient.CredentialConfig, r rdclient.Role) rdclient.CredentialConfig {
		cc.AssumeRole = &r
		return cc
	}
	oidc := func(providerARN string) rdclient.CredentialConfig {
		return rdclient.CredentialConfig{OIDC: &rdclient.OIDCRole{Role: rdclient.Role{ARN: stsRole}, ProviderARN: providerARN, Token: token}}
	}
	tests := []struct {
		name          string
		cc            rdclient.CredentialConfig
		setting, code string
		stsCalls      string
	}{
		{name: "assume_role", cc: withRole(keys, rdclient.Role{ARN: stsRole, ExternalID: stsExternalID}), stsCalls: "AssumeRole by static"},
		{name: "OIDC", cc: oidc(stsOIDCARN), stsCalls: "AssumeRoleWithOIDC by oidc:" + stsOIDCSubject},
		{name: "wrong role", cc: withRole(keys, rdclient.Role{ARN: "acs:ram::1234567890123456:role/other", ExternalID: stsExternalID}),
			setting: "assume_role", code: "NoPermission.Role"},
		{name: "wrong external id", cc: withRole(keys, rdclient.Role{ARN: stsRole, ExternalID: "other"}), setting: "assume_role", code: "NoPermission.Role"},
		{name: "unknown OIDC provider", cc: withRole(oidc("acs:ram::1234567890123456:oidc-provider/x"), rdclient.Role{ARN: stsRole}),
			setting: "assume_role_with_oidc", code: "AuthenticationFail.NoPermission"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emu, endpoint := stsEmulator(t, 5*time.Second)
			tt.cc.STSEndpoint = strings.TrimPrefix(endpoint, "https://")
			cred, err := rdclient.NewCredential(tt.cc)
			if err != nil {
				t.Fatal(err)
			}
			c := rejClient(t, endpoint, cred)
			var logs bytes.Buffer
			ctx := tflogtest.RootLogger(context.Background(), &logs)
			for range 2 {
				_, err = c.ListMessageContacts(ctx, rdclient.ListMessageContactsInput{})
			}
			var got []string
			for _, call := range emu.Calls() {
				got = append(got, call.Action+" by "+call.Principal)
			}
			if tt.code == "" {
				// Renewed before each call: the credentials last 5 seconds.
				want := tt.stsCalls + ", ListMessageContacts by " + stsRole
				if err != nil || strings.Join(got, ", ") != want+", "+want {
					t.Fatalf("err %v, calls %v", err, got)
				}
			} else {
				var se *rdclient.SettingError
				apiErr, ok := rdclient.AsAPIError(err)
				if !errors.As(err, &se) || se.Setting != tt.setting || !ok || apiErr.Code != tt.code || apiErr.RequestID == "" {
					t.Fatalf("want %s: %s, got %v", tt.setting, tt.code, err)
				}
				rejCheckNoSecrets(t, "the error", err.Error())
			}
			rejCheckNoSecrets(t, "the logs", logs.String())
			for _, s := range []string{token, emulator.IssuedSecretPrefix, emulator.IssuedTokenPrefix} {
				if strings.Contains(logs.String(), s) || err != nil && strings.Contains(err.Error(), s) {
					t.Errorf("the logs or the error hold an issued secret or the OIDC token")
				}
			}
		})
	}
}

// A credentials server whose answer lacks a field: the SDK's error quotes
// the answer, whose secrets never reach the error.
func TestCredentialsURIAnswerIsScrubbed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"AccessKeyId": "STS.uri", "AccessKeySecret": %q, "SecurityToken": %q}`, rejSTSSecret, rejSTSToken)
	}))
	t.Cleanup(srv.Close)
	cred, err := rdclient.NewCredential(rdclient.CredentialConfig{CredentialsURI: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = rejClient(t, "http://127.0.0.1:1", cred).ListMessageContacts(context.Background(), rdclient.ListMessageContactsInput{})
	var se *rdclient.SettingError
	if !errors.As(err, &se) || se.Setting != "credentials_uri" {
		t.Fatalf("err = %v", err)
	}
	rejCheckNoSecrets(t, "the error", err.Error())
}
