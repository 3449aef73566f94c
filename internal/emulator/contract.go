// Package emulator is a local, concurrency-safe implementation of the
// Resource Directory message-contact API (ResourceDirectoryMaster 2022-04-19)
// for tests and demos: signature v1 checking, the documented errors, the
// pending-update state machine, both read modes and fault injection. Its
// contract, including the project decisions where the public API reference
// is silent, is internal/emulator/README.md.
package emulator

import (
	"net/http"
	"time"
)

// Read modes: what Get/List show for a field whose change is pending
// (internal/emulator/README.md "Pending updates and read modes").
const (
	ReadModeRequested = "requested" // the requested (pending) value
	ReadModeEffective = "effective" // the last verified value
)

// Sites decide which phone country codes are accepted
// (internal/emulator/README.md "Field rules").
const (
	SiteChina         = "china"
	SiteInternational = "international"
)

// KeyPair is an AccessKey the emulator accepts.
type KeyPair struct {
	AccessKeyID     string
	AccessKeySecret string
}

// STSToken is a temporary credential the emulator accepts.
type STSToken struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
	Expiration      time.Time
	role            string // the assumed role of a credential the emulator issued; "" for Config.STSTokens
}

// Config configures an Emulator. Zero values take the defaults noted.
type Config struct {
	KeyPairs    []KeyPair
	STSTokens   []STSToken
	Site        string        // default SiteChina
	ReadMode    string        // default ReadModeRequested
	MaxContacts int           // default 20
	DeleteDelay time.Duration // asynchronous deletion delay; default 1s
	// DeleteAfterPolls, when > 0, ends an asynchronous deletion at the
	// DeleteAfterPolls-th GetMessageContactDeletionStatus call on its contact
	// (that call already answers with the outcome) instead of after
	// DeleteDelay, whatever the clock says: how many polls a client sees
	// then does not depend on timing, so recordings are reproducible.
	DeleteAfterPolls int
	// PageSizeCap, when > 0, caps every page at that many items whatever
	// PageSize the client asks for (to exercise pagination with few items).
	PageSizeCap int
	// Seed makes contact IDs and RequestIds deterministic: the same
	// sequence of requests gives the same IDs.
	Seed int64
	// Now replaces the clock (tests); default time.Now.
	Now func() time.Time
	// DateNow, when set, is the clock for dates stored in contacts
	// (CreateDate, ModifyDate), so recordings are reproducible; request
	// timestamps are still checked against Now.
	DateNow func() time.Time
	// HostID is reported in error bodies; default the request's Host.
	HostID string

	// STS (internal/emulator/README.md "STS"). STSDuration is the lifetime
	// of the credentials AssumeRole and AssumeRoleWithOIDC issue (default
	// DefaultSTSDuration), whatever DurationSeconds asks for.
	STSDuration time.Duration
	// Roles, when set, are the only role ARNs that may be assumed; by
	// default any well-formed role ARN may.
	Roles []string
	// STSExternalID, when set, is the ExternalId every AssumeRole must carry.
	STSExternalID string
	// OIDCProviderARN is the OIDC identity provider AssumeRoleWithOIDC
	// accepts (none when empty); OIDCIssuer and OIDCAudience are the iss and
	// aud its tokens must carry (defaults DefaultOIDCIssuer and
	// DefaultOIDCAudience).
	OIDCProviderARN, OIDCIssuer, OIDCAudience string
	// Logf, when set, is called once per API request with a line of the
	// form "action=... status=... code=...". It never receives credentials.
	Logf func(format string, args ...any)
	// AfterCall, when set, is called once per API call (admin paths
	// excluded) once the call has been handled and appears in Calls: outside
	// the emulator's lock, so it may call the Emulator's methods, and before
	// the response is written, so the client sees neither the answer nor can
	// send its next request on that connection until it returns. Tests use
	// it to act at an exact point of a client's call sequence (for example
	// verify a change right after the second poll). Concurrent calls run it
	// concurrently. It receives its own copy of the Call.
	AfterCall func(c Call)
}

// Faults are injected per server and can be changed at any time
// (internal/emulator/README.md "Fault injection").
type Faults struct {
	ThrottleRate  float64       // share of API calls answered 400 Throttling.User
	ErrorRate     float64       // share answered 503 ServiceUnavailable (or 500 InternalError)
	Latency       time.Duration // added before answering
	LatencyJitter time.Duration // random extra latency in [0, LatencyJitter)
	// DropRate is the share of successful calls whose change is applied
	// but whose response is dropped (the connection is closed).
	DropRate float64
	// Actions, when non-empty, limits the faults to these Actions.
	Actions []string
}

// Call is one API call as served, for counting and assertions.
type Call struct {
	Action string            `json:"action"`
	Code   string            `json:"code"`             // empty on success
	Status int               `json:"status"`           // HTTP status
	Params map[string]string `json:"params,omitempty"` // business parameters only (no signature/common params)
	// Principal is who made the call: PrincipalStatic for a key pair or
	// STS token of Config, the role ARN for credentials the emulator's STS
	// issued, "oidc:<subject>" for AssumeRoleWithOIDC (PrincipalAnonymous
	// when its token cannot be read), "" when authentication failed.
	Principal string `json:"principal"`
	// Dropped is true when the change was applied but the response was
	// dropped by fault injection (the client saw a transport error).
	Dropped bool `json:"dropped,omitempty"`
	// UserAgent is the request's User-Agent header.
	UserAgent string `json:"user_agent,omitempty"`
}

// String is the call's Action, followed by its error Code in parentheses
// when it failed: "UpdateMessageContact(Throttling.User)".
func (c Call) String() string {
	if c.Code == "" {
		return c.Action
	}
	return c.Action + "(" + c.Code + ")"
}

// SeedContact is a contact loaded at start (seeded contacts are Active with
// nothing pending; internal/emulator/README.md "Seeding").
type SeedContact struct {
	ContactID    string   `json:"ContactId"`
	Name         string   `json:"Name"`
	EmailAddress string   `json:"EmailAddress"`
	PhoneNumber  string   `json:"PhoneNumber"`
	Title        string   `json:"Title"`
	MessageTypes []string `json:"MessageTypes"`
	Members      []string `json:"Members"`
}

// ContactSnapshot is a copy of a contact's stored state, for test assertions.
type ContactSnapshot struct {
	ContactID string
	Name      string
	// Effective (verified) values.
	EmailAddress string
	PhoneNumber  string
	// Pending values, empty when nothing is pending.
	PendingEmailAddress string
	PendingPhoneNumber  string
	Title               string
	MessageTypes        []string
	Members             []string
	Status              string
	CreateDate          string
}

var _ http.Handler = (*Emulator)(nil)
