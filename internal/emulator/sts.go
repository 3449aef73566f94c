package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The STS the emulator serves on its endpoint (internal/emulator/README.md
// "STS"): AssumeRole, signed by the caller, and AssumeRoleWithOIDC, unsigned.
// Both issue temporary credentials that the API accepts until they expire.

// STSVersion is the Version of the STS actions.
const STSVersion = "2015-04-01"

// STS defaults and the principals of Call.Principal.
const (
	DefaultSTSDuration  = time.Hour
	DefaultOIDCIssuer   = "https://oidc.emulator.example"
	DefaultOIDCAudience = "sts.aliyuncs.com"

	PrincipalStatic    = "static"
	PrincipalAnonymous = "anonymous"

	// Every AccessKeySecret and SecurityToken the emulator issues starts
	// with these, so that tests can scan logs and files for any of them.
	IssuedSecretPrefix = "emu-sts-secret-"
	IssuedTokenPrefix  = "CAISemu-sts-token-"
)

const actionAssumeRoleWithOIDC = "AssumeRoleWithOIDC"

var stsActions = map[string]handler{
	"AssumeRole":             (*Emulator).assumeRole,
	actionAssumeRoleWithOIDC: (*Emulator).assumeRoleWithOIDC,
}

// handlerOf returns the handler of an API or STS action, nil for an unknown one.
func handlerOf(action string) handler {
	if h, ok := actions[action]; ok {
		return h
	}
	return stsActions[action]
}

var (
	roleARNPattern     = regexp.MustCompile(`^acs:ram::[0-9]{16}:role/[A-Za-z0-9._-]{1,64}$`)
	sessionNamePattern = regexp.MustCompile(`^[A-Za-z0-9.@_-]{2,64}$`)
)

type stsCredentialsJSON struct {
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
	SecurityToken   string `json:"SecurityToken"`
	Expiration      string `json:"Expiration"`
}

type assumedRoleUserJSON struct {
	AssumedRoleID string `json:"AssumedRoleId"`
	Arn           string `json:"Arn"`
}

type oidcTokenInfoJSON struct {
	Subject   string `json:"Subject"`
	Issuer    string `json:"Issuer"`
	ClientIDs string `json:"ClientIds"`
}

type assumeRoleResponse struct {
	RequestID       string              `json:"RequestId"`
	AssumedRoleUser assumedRoleUserJSON `json:"AssumedRoleUser"`
	Credentials     stsCredentialsJSON  `json:"Credentials"`
	OIDCTokenInfo   *oidcTokenInfoJSON  `json:"OIDCTokenInfo,omitempty"`
}

func errNoPermissionRole(msg string) *apiError {
	return &apiError{status: http.StatusForbidden, code: "NoPermission.Role", msg: "No permission perform sts:AssumeRole on this Role." + msg}
}

// checkRole checks the parameters both STS actions share: RoleArn,
// RoleSessionName and DurationSeconds.
func (e *Emulator) checkRole(r *apiRequest) *apiError {
	arn := r.get("RoleArn")
	switch {
	case arn == "":
		return errMissing("RoleArn")
	case !roleARNPattern.MatchString(arn):
		return errInvalid("RoleArn")
	case len(e.cfg.Roles) > 0 && !slices.Contains(e.cfg.Roles, arn):
		return errNoPermissionRole("")
	}
	if n := r.get("RoleSessionName"); n != "" && !sessionNamePattern.MatchString(n) {
		return errInvalid("RoleSessionName")
	}
	if d := r.get("DurationSeconds"); d != "" {
		if n, err := strconv.Atoi(d); err != nil || n < 900 || n > 43200 {
			return errInvalid("DurationSeconds")
		}
	}
	return nil
}

func (e *Emulator) assumeRole(r *apiRequest) (any, *apiError) {
	if err := e.checkRole(r); err != nil {
		return nil, err
	}
	if r.get("RoleSessionName") == "" {
		return nil, errMissing("RoleSessionName")
	}
	if e.cfg.STSExternalID != "" && r.get("ExternalId") != e.cfg.STSExternalID {
		return nil, errNoPermissionRole(" The ExternalId does not match the trust policy of the role.")
	}
	return e.assumed(r, nil), nil
}

func (e *Emulator) assumeRoleWithOIDC(r *apiRequest) (any, *apiError) {
	if err := e.checkRole(r); err != nil {
		return nil, err
	}
	for _, name := range []string{"OIDCProviderArn", "OIDCToken"} {
		if r.get(name) == "" {
			return nil, errMissing(name)
		}
	}
	if e.cfg.OIDCProviderARN == "" || r.get("OIDCProviderArn") != e.cfg.OIDCProviderARN {
		return nil, &apiError{status: http.StatusUnauthorized, code: "AuthenticationFail.NoPermission", msg: "No such OIDC Provider registered."}
	}
	claims, ok := parseOIDCToken(r.get("OIDCToken"))
	if !ok {
		// Alibaba's STS answers a token it cannot read as a JWT with 401, as
		// for the other faults of the token, not with 400 InvalidParameter.
		return nil, &apiError{status: http.StatusUnauthorized, code: "AuthenticationFail.OIDCToken.Invalid", msg: "The OIDC token is invalid."}
	}
	r.principal = "oidc:" + claims.Subject
	switch {
	case claims.Issuer != e.cfg.OIDCIssuer:
		return nil, &apiError{status: http.StatusUnauthorized, code: "AuthenticationFail.OIDCToken.IssuerNotMatch", msg: "Invalid issuer."}
	case !slices.Contains(claims.Audiences, e.cfg.OIDCAudience):
		return nil, &apiError{status: http.StatusUnauthorized, code: "AuthenticationFail.OIDCToken.AudienceNotMatch", msg: "Invalid audience."}
	case !r.now.Before(time.Unix(claims.Expiry, 0)):
		return nil, &apiError{status: http.StatusUnauthorized, code: "AuthenticationFail.OIDCToken.Expired", msg: "This JsonWebToken is expired."}
	}
	return e.assumed(r, &oidcTokenInfoJSON{Subject: claims.Subject, Issuer: claims.Issuer, ClientIDs: e.cfg.OIDCAudience}), nil
}

// assumed issues credentials for the request's role; e.mu must be held.
func (e *Emulator) assumed(r *apiRequest, info *oidcTokenInfoJSON) assumeRoleResponse {
	arn, session := r.get("RoleArn"), r.get("RoleSessionName")
	if session == "" {
		session = "oidc-session"
	}
	tok := e.issue(arn, r.now)
	return assumeRoleResponse{
		RequestID:       r.requestID,
		AssumedRoleUser: assumedRoleUserJSON{AssumedRoleID: strings.TrimPrefix(tok.AccessKeyID, "STS.") + ":" + session, Arn: arn + "/" + session},
		Credentials:     credentialsJSON(tok),
		OIDCTokenInfo:   info,
	}
}

func credentialsJSON(tok STSToken) stsCredentialsJSON {
	return stsCredentialsJSON{AccessKeyID: tok.AccessKeyID, AccessKeySecret: tok.AccessKeySecret,
		SecurityToken: tok.SecurityToken, Expiration: tok.Expiration.UTC().Format(timestampLayout)}
}

// issue makes and remembers temporary credentials of role, valid for
// STSDuration from now (to the second, as the answer says); e.mu must be
// held. Issued credentials are forgotten once expired for longer than the
// timestamp window.
func (e *Emulator) issue(role string, now time.Time) STSToken {
	for id, toks := range e.sts {
		toks = slices.DeleteFunc(toks, func(t STSToken) bool { return t.role != "" && now.Sub(t.Expiration) > timestampWindow })
		if len(toks) == 0 {
			delete(e.sts, id)
		} else {
			e.sts[id] = toks
		}
	}
	tok := STSToken{
		AccessKeyID:     "STS." + rand.Text(),
		AccessKeySecret: IssuedSecretPrefix + rand.Text(),
		SecurityToken:   IssuedTokenPrefix + rand.Text() + rand.Text(),
		Expiration:      now.Add(e.cfg.STSDuration).Truncate(time.Second),
		role:            role,
	}
	e.sts[tok.AccessKeyID] = []STSToken{tok}
	return tok
}

// IssueCredentials issues temporary credentials of role, as AssumeRole
// would, for a credentials server (the admin path /_emulator/credentials).
func (e *Emulator) IssueCredentials(role string) (STSToken, error) {
	if !roleARNPattern.MatchString(role) || len(e.cfg.Roles) > 0 && !slices.Contains(e.cfg.Roles, role) {
		return STSToken{}, fmt.Errorf("RoleArn %q is not a role that may be assumed", role)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.issue(role, e.now()), nil
}

// OIDCClaims are the claims of an OIDC token that the emulator checks.
type OIDCClaims struct {
	Issuer  string `json:"iss"`
	Subject string `json:"sub"`
	// Audiences is sent as "aud": one string when there is one.
	Audiences []string `json:"-"`
	Expiry    int64    `json:"exp"`
}

// oidcTokenHeader is the header of the tokens NewOIDCToken makes.
const oidcTokenHeader = `{"alg":"RS256","kid":"alicloudrd-emulator","typ":"JWT"}`

// OIDCTokenPrefix starts every token NewOIDCToken makes (the encoded
// header and its dot), so that tests can scan for any of them.
var OIDCTokenPrefix = base64.RawURLEncoding.EncodeToString([]byte(oidcTokenHeader)) + "."

// NewOIDCToken returns a JWT carrying claims, as an identity provider of a
// CI system issues them. Its signature is a placeholder: the emulator does
// not check signatures (it cannot fetch the provider's keys).
func NewOIDCToken(c OIDCClaims) string {
	var aud any = c.Audiences
	if len(c.Audiences) == 1 {
		aud = c.Audiences[0]
	}
	payload, _ := json.Marshal(map[string]any{"iss": c.Issuer, "sub": c.Subject, "aud": aud, "exp": c.Expiry})
	enc := base64.RawURLEncoding.EncodeToString
	return OIDCTokenPrefix + enc(payload) + "." + enc([]byte("unsigned"))
}

// parseOIDCToken reads the claims of a JWT; ok is false when it is not one
// (three dot-separated base64url parts, a JSON header with "alg", a JSON
// payload with "exp").
func parseOIDCToken(token string) (c OIDCClaims, ok bool) {
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 || parts[2] == "" {
		return c, false
	}
	var header struct {
		Alg string `json:"alg"`
	}
	var payload struct {
		OIDCClaims
		Aud json.RawMessage `json:"aud"`
	}
	for i, v := range []any{&header, &payload} {
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[i], "="))
		if err != nil || json.Unmarshal(raw, v) != nil {
			return c, false
		}
	}
	var one string
	if json.Unmarshal(payload.Aud, &one) == nil {
		payload.Audiences = []string{one}
	} else if json.Unmarshal(payload.Aud, &payload.Audiences) != nil {
		return c, false
	}
	return payload.OIDCClaims, header.Alg != "" && payload.Expiry != 0
}
