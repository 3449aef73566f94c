package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
)

const (
	testRoleARN     = "acs:ram::1234567890123456:role/deploy"
	testOIDCARN     = "acs:ram::1234567890123456:oidc-provider/ci"
	testExternalID  = "ext-0001"
	testOIDCSubject = "repo:example/infra:ref:refs/heads/main"
)

func newSTSEnv(t *testing.T, cfg Config) *testEnv {
	t.Helper()
	cfg.Roles = []string{testRoleARN}
	cfg.OIDCProviderARN = testOIDCARN
	cfg.STSDuration = 10 * time.Minute
	return newEnv(t, cfg)
}

// assumeRole calls AssumeRole with client and returns the answer.
func (v *testEnv) assumeRole(client *sdk.Client, form map[string]string) (map[string]any, error) {
	return v.callWith(client, http.MethodPost, "AssumeRole", nil, form)
}

// assumeRoleWithOIDC posts an unsigned AssumeRoleWithOIDC, as the SDK's
// OIDC credential provider does, and returns status and answer.
func (v *testEnv) assumeRoleWithOIDC(t *testing.T, form map[string]string) (int, map[string]any) {
	t.Helper()
	vals := url.Values{"Action": {"AssumeRoleWithOIDC"}, "Version": {STSVersion}, "Format": {"JSON"}}
	for k, val := range form {
		vals.Set(k, val)
	}
	return rawPost(t, v.srv.URL, vals)
}

// clientOf returns an SDK client signing with the credentials of an STS answer.
func clientOf(t *testing.T, answer map[string]any) *sdk.Client {
	t.Helper()
	c, err := newSTSClient(at[string](t, answer, "Credentials", "AccessKeyId"),
		at[string](t, answer, "Credentials", "AccessKeySecret"), at[string](t, answer, "Credentials", "SecurityToken"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (v *testEnv) oidcToken(c OIDCClaims) string {
	if c.Issuer == "" {
		c.Issuer = DefaultOIDCIssuer
	}
	if c.Audiences == nil {
		c.Audiences = []string{DefaultOIDCAudience}
	}
	if c.Expiry == 0 {
		c.Expiry = v.clock.Now().Add(time.Hour).Unix()
	}
	if c.Subject == "" {
		c.Subject = testOIDCSubject
	}
	return NewOIDCToken(c)
}

func TestAssumeRole(t *testing.T) {
	v := newSTSEnv(t, Config{STSExternalID: testExternalID})
	answer, err := v.assumeRole(v.client, map[string]string{
		"RoleArn": testRoleARN, "RoleSessionName": "terraform", "ExternalId": testExternalID, "DurationSeconds": "3600",
	})
	if err != nil {
		t.Fatal(err)
	}
	creds := at[map[string]any](t, answer, "Credentials")
	if id := at[string](t, creds, "AccessKeyId"); !strings.HasPrefix(id, "STS.") {
		t.Errorf("AccessKeyId %q", id)
	}
	if !strings.HasPrefix(at[string](t, creds, "AccessKeySecret"), IssuedSecretPrefix) ||
		!strings.HasPrefix(at[string](t, creds, "SecurityToken"), IssuedTokenPrefix) {
		t.Errorf("credentials %v", creds)
	}
	if want := v.clock.Now().Add(10 * time.Minute).UTC().Format(timestampLayout); creds["Expiration"] != want {
		t.Errorf("Expiration %v, want %s (STSDuration, whatever DurationSeconds asks)", creds["Expiration"], want)
	}
	if arn := at[string](t, answer, "AssumedRoleUser", "Arn"); arn != testRoleARN+"/terraform" {
		t.Errorf("AssumedRoleUser.Arn %q", arn)
	}

	role := clientOf(t, answer)
	if _, err := v.callWith(role, http.MethodPost, "ListMessageContacts", nil, nil); err != nil {
		t.Fatal(err)
	}
	// Assumed credentials assume a role again (chaining).
	if _, err := v.assumeRole(role, map[string]string{"RoleArn": testRoleARN, "RoleSessionName": "chained", "ExternalId": testExternalID}); err != nil {
		t.Fatal(err)
	}
	calls := v.emu.Calls()
	got := []string{}
	for _, c := range calls {
		got = append(got, c.Action+" by "+c.Principal)
	}
	want := []string{"AssumeRole by static", "ListMessageContacts by " + testRoleARN, "AssumeRole by " + testRoleARN}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("calls %v, want %v", got, want)
	}
	if calls[0].Params["RoleArn"] != testRoleARN {
		t.Errorf("params %v", calls[0].Params)
	}

	// Expired at STSDuration: the API refuses them.
	v.clock.Advance(10 * time.Minute)
	_, err = v.callWith(role, http.MethodPost, "ListMessageContacts", nil, nil)
	serverError(t, err, 400, "InvalidSecurityToken.Expired")
}

func TestAssumeRoleErrors(t *testing.T) {
	v := newSTSEnv(t, Config{STSExternalID: testExternalID})
	ok := map[string]string{"RoleArn": testRoleARN, "RoleSessionName": "terraform", "ExternalId": testExternalID}
	with := func(k, val string) map[string]string {
		out := map[string]string{}
		for key, v := range ok {
			out[key] = v
		}
		out[k] = val
		return out
	}
	tests := []struct {
		name   string
		form   map[string]string
		status int
		code   string
	}{
		{"no role", with("RoleArn", ""), 400, "MissingParameter.RoleArn"},
		{"malformed role", with("RoleArn", "acs:ram::123:user/x"), 400, "InvalidParameter.RoleArn"},
		{"role not assumable", with("RoleArn", "acs:ram::1234567890123456:role/other"), 403, "NoPermission.Role"},
		{"wrong external id", with("ExternalId", "ext-other"), 403, "NoPermission.Role"},
		{"no external id", with("ExternalId", ""), 403, "NoPermission.Role"},
		{"no session name", with("RoleSessionName", ""), 400, "MissingParameter.RoleSessionName"},
		{"bad session name", with("RoleSessionName", "a b"), 400, "InvalidParameter.RoleSessionName"},
		{"bad duration", with("DurationSeconds", "60"), 400, "InvalidParameter.DurationSeconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.assumeRole(v.client, tt.form)
			se := mustServerError(t, err, tt.status, tt.code)
			if tt.name == "wrong external id" && !strings.Contains(se.Message(), "ExternalId") {
				t.Errorf("message %q does not name the ExternalId", se.Message())
			}
		})
	}
	// The Version of the API is not that of STS.
	req := v.newRequest(http.MethodPost, "AssumeRole")
	for k, val := range ok {
		req.FormParams[k] = val
	}
	_, err := v.client.ProcessCommonRequest(req)
	serverError(t, err, 400, "InvalidParameter")
	// AssumeRole is signed like any call.
	bad, _ := newKeyClient(testKeyID, "not-the-secret")
	_, err = v.assumeRole(bad, ok)
	serverError(t, err, 400, "SignatureDoesNotMatch")
}

func TestAssumeRoleWithOIDC(t *testing.T) {
	v := newSTSEnv(t, Config{})
	token := v.oidcToken(OIDCClaims{Audiences: []string{"other", DefaultOIDCAudience}})
	status, answer := v.assumeRoleWithOIDC(t, map[string]string{
		"RoleArn": testRoleARN, "OIDCProviderArn": testOIDCARN, "OIDCToken": token + "\n", "RoleSessionName": "ci",
	})
	if status != 200 {
		t.Fatalf("status %d: %v", status, answer)
	}
	if sub := at[string](t, answer, "OIDCTokenInfo", "Subject"); sub != testOIDCSubject {
		t.Errorf("OIDCTokenInfo.Subject %q", sub)
	}
	if _, err := v.callWith(clientOf(t, answer), http.MethodPost, "ListMessageContacts", nil, nil); err != nil {
		t.Fatal(err)
	}
	calls := v.emu.Calls()
	if calls[0].Principal != "oidc:"+testOIDCSubject || calls[1].Principal != testRoleARN {
		t.Errorf("principals %q, %q", calls[0].Principal, calls[1].Principal)
	}
	if _, ok := calls[0].Params["OIDCToken"]; ok {
		t.Error("the OIDC token was recorded with the call")
	}
	if calls[0].Params["OIDCProviderArn"] != testOIDCARN {
		t.Errorf("params %v", calls[0].Params)
	}
}

func TestAssumeRoleWithOIDCErrors(t *testing.T) {
	v := newSTSEnv(t, Config{})
	form := func(token, provider string) map[string]string {
		return map[string]string{"RoleArn": testRoleARN, "OIDCProviderArn": provider, "OIDCToken": token}
	}
	good := v.oidcToken(OIDCClaims{})
	tests := []struct {
		name   string
		form   map[string]string
		status int
		code   string
	}{
		{"no token", form("", testOIDCARN), 400, "MissingParameter.OIDCToken"},
		{"unknown provider", form(good, "acs:ram::1234567890123456:oidc-provider/other"), 401, "AuthenticationFail.NoPermission"},
		{"not a JWT", form("not-a-jwt", testOIDCARN), 401, "AuthenticationFail.OIDCToken.Invalid"},
		{"undecodable", form("e30.@@@.sig", testOIDCARN), 401, "AuthenticationFail.OIDCToken.Invalid"},
		{"no exp", form(OIDCTokenPrefix+"eyJpc3MiOiJ4In0.sig", testOIDCARN), 401, "AuthenticationFail.OIDCToken.Invalid"},
		{"other issuer", form(v.oidcToken(OIDCClaims{Issuer: "https://elsewhere.example"}), testOIDCARN), 401, "AuthenticationFail.OIDCToken.IssuerNotMatch"},
		{"other audience", form(v.oidcToken(OIDCClaims{Audiences: []string{"other"}}), testOIDCARN), 401, "AuthenticationFail.OIDCToken.AudienceNotMatch"},
		{"expired", form(v.oidcToken(OIDCClaims{Expiry: v.clock.Now().Add(-time.Second).Unix()}), testOIDCARN), 401, "AuthenticationFail.OIDCToken.Expired"},
		{"role not assumable", map[string]string{"RoleArn": "acs:ram::1234567890123456:role/other", "OIDCProviderArn": testOIDCARN, "OIDCToken": good}, 403, "NoPermission.Role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, answer := v.assumeRoleWithOIDC(t, tt.form)
			if status != tt.status || answer["Code"] != tt.code || answer["RequestId"] == "" {
				t.Errorf("got %d %v, want %d %s", status, answer, tt.status, tt.code)
			}
		})
	}
	for _, c := range v.emu.Calls() {
		if c.Code == "" || c.Principal == "" {
			t.Errorf("call %+v", c)
		}
	}
}

func TestAdminCredentials(t *testing.T) {
	v := newSTSEnv(t, Config{})
	get := func(role string) (int, map[string]any) {
		resp, err := http.Get(v.srv.URL + AdminPrefix + "credentials?RoleArn=" + url.QueryEscape(role))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		return resp.StatusCode, out
	}
	status, creds := get(testRoleARN)
	if status != 200 || creds["Code"] != "Success" || creds["Expiration"] == "" {
		t.Fatalf("%d %v", status, creds)
	}
	if _, err := v.callWith(clientOf(t, map[string]any{"Credentials": creds}), http.MethodPost, "ListMessageContacts", nil, nil); err != nil {
		t.Fatal(err)
	}
	if c := v.emu.Calls(); len(c) != 1 || c[0].Principal != testRoleARN {
		t.Errorf("calls %+v", c)
	}
	if status, out := get("acs:ram::1234567890123456:role/other"); status != 403 || out["Code"] != "NoPermission.Role" {
		t.Errorf("%d %v", status, out)
	}
}

func TestNewTLSCertificate(t *testing.T) {
	cert, pemBytes, err := NewTLSCertificate()
	if err != nil || len(cert.Certificate) != 1 || !strings.HasPrefix(string(pemBytes), "-----BEGIN CERTIFICATE-----") {
		t.Fatalf("%v %d %q", err, len(cert.Certificate), pemBytes)
	}
}
