// Package acctest is the acceptance-test harness: it starts an API server per
// test (a live emulator, a recording proxy in front of one or of a real
// endpoint, or a replay of a recorded cassette), builds provider blocks and
// provider factories, and routes steps that change the world outside
// Terraform.
package acctest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/recording"
)

// The key pair every acceptance test signs with. It is a test credential of
// the emulator, not an Alibaba Cloud key.
const (
	AccessKeyID     = "LTAI5tAccTestKey0001"
	AccessKeySecret = "acctest-secret-do-not-use-7d41f0c2"
)

// Mode says where a test's API traffic goes.
type Mode string

// Modes, chosen with ALICLOUDRD_ACC_MODE.
const (
	// ModeReplay (the default) answers from the test's committed cassette:
	// no credentials, no network. An API call the cassette does not hold, a
	// recorded call never made, or a call the emulator (the replay's shadow,
	// see NewServer) now answers differently fails the test.
	ModeReplay Mode = "replay"
	// ModeLive runs against a fresh emulator per test.
	ModeLive Mode = "live"
	// ModeRecord runs against a fresh emulator through a recording proxy
	// and rewrites the test's cassette; with ALICLOUDRD_ACC_UPSTREAM set
	// (UpstreamEnv), the proxy is in front of that real endpoint instead.
	ModeRecord Mode = "record"
)

// CassetteDir is where cassettes live, relative to the test's package.
const CassetteDir = "testdata"

// UpstreamEnv names the environment variable that, in record mode, points the
// recording proxy at a real endpoint instead of an emulator, for example
// https://resourcedirectory.aliyuncs.com. The provider blocks the harness
// builds then sign with the credentials of ALIBABA_CLOUD_ACCESS_KEY_ID and
// ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN, if set);
// tests that need the emulator skip.
const UpstreamEnv = "ALICLOUDRD_ACC_UPSTREAM"

// Environment variables of the real credentials used with UpstreamEnv.
const (
	accessKeyIDEnv     = "ALIBABA_CLOUD_ACCESS_KEY_ID"
	accessKeySecretEnv = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
	securityTokenEnv   = "ALIBABA_CLOUD_SECURITY_TOKEN"
)

// credentialEnvs are every environment variable the provider reads
// credentials from.
var credentialEnvs = []string{accessKeyIDEnv, accessKeySecretEnv, securityTokenEnv,
	"ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"}

// upstreamCredentials are the real credentials of a recording against a real
// endpoint.
type upstreamCredentials struct{ keyID, secret, token string }

var (
	upstreamCredsMu sync.Mutex
	upstreamCreds   *upstreamCredentials // taken from the environment by Setup
)

// realCredentials returns the credentials to record against a real endpoint
// with: those Setup took out of the environment, or else the environment's.
func realCredentials() upstreamCredentials {
	upstreamCredsMu.Lock()
	defer upstreamCredsMu.Unlock()
	if upstreamCreds != nil {
		return *upstreamCreds
	}
	return credentialsFromEnv()
}

// credentialsFromEnv reads the real credentials from the environment.
func credentialsFromEnv() upstreamCredentials {
	return upstreamCredentials{os.Getenv(accessKeyIDEnv), os.Getenv(accessKeySecretEnv), os.Getenv(securityTokenEnv)}
}

// CurrentMode reads ALICLOUDRD_ACC_MODE.
func CurrentMode() Mode {
	switch m := Mode(os.Getenv("ALICLOUDRD_ACC_MODE")); m {
	case "":
		return ModeReplay
	case ModeReplay, ModeLive, ModeRecord:
		return m
	default:
		panic(fmt.Sprintf("ALICLOUDRD_ACC_MODE=%q: use replay, live or record", m))
	}
}

// defaultReadMode is the emulator read mode of tests that do not choose
// one; ALICLOUDRD_ACC_READ_MODE overrides it so the live suite runs in both.
func defaultReadMode() string {
	if m := os.Getenv("ALICLOUDRD_ACC_READ_MODE"); m != "" {
		return m
	}
	return emulator.ReadModeRequested
}

// recordedDate is the emulator's clock for dates stored in contacts while
// recording, so re-recording an unchanged test gives the same cassette.
var recordedDate = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// Options configure a test's server.
type Options struct {
	ReadMode    string // emulator.ReadModeRequested (default) or ReadModeEffective
	Site        string
	MaxContacts int
	PageSizeCap int
	DeleteDelay time.Duration
	Seed        []emulator.SeedContact
	Faults      emulator.Faults
	// DeleteAfterPolls ends asynchronous deletions at that deletion-status
	// poll instead of after DeleteDelay (see emulator.Config), so the number
	// of polls recorded does not depend on timing.
	DeleteAfterPolls int
	// AfterCall runs after each API call the emulator handles, before the
	// client gets the answer (see emulator.Config). It never runs when
	// replaying, and a test that sets it cannot be recorded against a real
	// endpoint.
	AfterCall func(c emulator.Call)
	// STS, when set, serves the emulator's STS too, over HTTPS, and the
	// provider blocks of the Server point sts_endpoint at it. Such a test
	// runs against a live emulator in every mode: the temporary credentials
	// STS issues are fresh secrets that expire, which no cassette replays.
	STS *STSOptions
}

// STSOptions configure the emulator's STS (see emulator.Config).
type STSOptions struct {
	Duration        time.Duration // lifetime of issued credentials; default an hour
	Roles           []string      // the roles that may be assumed; default any
	ExternalID      string
	OIDCProviderARN string
}

// needsEmulator names the options only an emulator can honour, or "".
func (o Options) needsEmulator() string {
	var need []string
	if len(o.Seed) > 0 {
		need = append(need, "seeded contacts")
	}
	if o.Faults.ThrottleRate > 0 || o.Faults.ErrorRate > 0 || o.Faults.DropRate > 0 || o.Faults.Latency > 0 || o.Faults.LatencyJitter > 0 {
		need = append(need, "fault injection")
	}
	if o.PageSizeCap > 0 {
		need = append(need, "a page size cap")
	}
	if o.MaxContacts > 0 {
		need = append(need, "a contact limit")
	}
	if o.AfterCall != nil {
		need = append(need, "a hook on API calls")
	}
	if o.STS != nil {
		need = append(need, "STS")
	}
	return strings.Join(need, ", ")
}

// Server is the API server of one test.
type Server struct {
	t        *testing.T
	URL      string
	emu      *emulator.Emulator
	readMode string
	upstream string // the real endpoint recorded, or ""
	creds    upstreamCredentials
	mu       sync.Mutex
	vars     map[string]string
	sts      bool // the emulator serves STS at URL
}

// NewServer starts the test's server and stops it when the test ends.
//
// Every mode but a recording against a real endpoint has an emulator, which
// Check, Outside and Emulator act on. When replaying it is the replay's
// shadow (recording.Replayer.SetShadow): configured as when the cassette was
// recorded, it serves every request before the cassette answers it, so
// assertions on its state and calls hold as they do live, and an answer it
// gives differently from the cassette fails the test.
func NewServer(t *testing.T, opts Options) *Server {
	t.Helper()
	mode := CurrentMode()
	cassette := filepath.Join(CassetteDir, CassetteName(t.Name())+".yaml")
	if upstream := os.Getenv(UpstreamEnv); upstream != "" && mode == ModeRecord {
		return newUpstreamServer(t, opts, upstream, cassette)
	}
	if opts.ReadMode == "" {
		opts.ReadMode = defaultReadMode()
	}
	if opts.STS != nil {
		emu := newEmulator(t, opts, ModeLive)
		return &Server{t: t, URL: NewTLSServer(t, emu).URL, emu: emu, readMode: opts.ReadMode, vars: map[string]string{}, sts: true}
	}
	emu := newEmulator(t, opts, mode)
	var handler http.Handler = emu
	var rec *recording.Recorder
	var rp *recording.Replayer
	switch mode {
	case ModeRecord:
		rec = recording.NewRecorder(emu)
		handler = rec
	case ModeReplay:
		var err error
		rp, err = recording.LoadReplayer(cassette, []recording.KeyPair{{AccessKeyID: AccessKeyID, AccessKeySecret: AccessKeySecret}})
		if err != nil {
			t.Fatalf("%v", err)
		}
		handler = rp
		if !rp.RecordedInProcess() {
			// Recorded against a real endpoint: no emulator reproduces
			// its answers, and the test's checks of server state pass.
			emu = nil
			break
		}
		rp.SetShadow(emu)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(func() {
		srv.Close()
		switch {
		case rec != nil:
			saveCassette(t, rec, cassette)
		case rp != nil && !t.Skipped():
			// A skipped test (TF_ACC unset, a CLI too old) made no calls.
			if err := rp.Err(); err != nil {
				t.Errorf("%v", err)
			}
		}
	})
	return &Server{t: t, URL: srv.URL, emu: emu, readMode: opts.ReadMode, vars: map[string]string{}}
}

// newEmulator returns the emulator of a test, seeded and with its faults set.
// Recording and replay give it a fixed clock for the dates it stores, so that
// its answers do not depend on the day.
func newEmulator(t *testing.T, opts Options, mode Mode) *emulator.Emulator {
	t.Helper()
	if opts.DeleteDelay == 0 {
		opts.DeleteDelay = 300 * time.Millisecond
	}
	var dates func() time.Time
	if mode != ModeLive {
		dates = func() time.Time { return recordedDate }
	}
	sts := opts.STS
	if sts == nil {
		sts = &STSOptions{}
	}
	emu := emulator.New(emulator.Config{
		STSDuration:     sts.Duration,
		Roles:           sts.Roles,
		STSExternalID:   sts.ExternalID,
		OIDCProviderARN: sts.OIDCProviderARN,

		DateNow:     dates,
		KeyPairs:    []emulator.KeyPair{{AccessKeyID: AccessKeyID, AccessKeySecret: AccessKeySecret}},
		Site:        opts.Site,
		ReadMode:    opts.ReadMode,
		MaxContacts: opts.MaxContacts,
		PageSizeCap: opts.PageSizeCap,
		DeleteDelay: opts.DeleteDelay,
		Seed:        seedFor(t.Name()),

		DeleteAfterPolls: opts.DeleteAfterPolls,
		AfterCall:        opts.AfterCall,
	})
	if len(opts.Seed) > 0 {
		if err := emu.SeedContacts(opts.Seed); err != nil {
			t.Fatalf("seeding the emulator: %v", err)
		}
	}
	emu.SetFaults(opts.Faults)
	return emu
}

// saveCassette writes what rec recorded to cassette once the test has passed,
// and reports whether it did. A skipped test keeps the cassette it has; a
// failed one is not saved.
func saveCassette(t *testing.T, rec *recording.Recorder, cassette string) bool {
	switch {
	case t.Skipped():
		return false
	case t.Failed():
		t.Logf("not saving %s: the test failed", cassette)
		return false
	}
	if err := rec.Save(cassette); err != nil {
		t.Errorf("saving the cassette: %v", err)
		return false
	}
	return true
}

// newUpstreamServer records the test against a real endpoint. The test
// skips when it needs the emulator (seeded contacts, faults, hooks) or a read
// mode other than the one ALICLOUDRD_ACC_READ_MODE says the endpoint has.
func newUpstreamServer(t *testing.T, opts Options, upstream, cassette string) *Server {
	t.Helper()
	if need := opts.needsEmulator(); need != "" {
		t.Skipf("%s is set: not recording against %s, this test needs the emulator (%s)", UpstreamEnv, upstream, need)
	}
	if opts.ReadMode != "" && opts.ReadMode != defaultReadMode() {
		t.Skipf("%s is set: not recording against %s, this test is for read mode %q and ALICLOUDRD_ACC_READ_MODE says the endpoint shows %q",
			UpstreamEnv, upstream, opts.ReadMode, defaultReadMode())
	}
	if opts.Site != "" {
		t.Skipf("%s is set: not recording against %s, this test is for site %q", UpstreamEnv, upstream, opts.Site)
	}
	creds := realCredentials()
	if creds.keyID == "" || creds.secret == "" {
		t.Fatalf("%s is set: recording against %s needs the credentials in %s and %s", UpstreamEnv, upstream, accessKeyIDEnv, accessKeySecretEnv)
	}
	rec, err := recording.NewRecorderURL(upstream)
	if err != nil {
		t.Fatalf("%s: %v", UpstreamEnv, err)
	}
	srv := httptest.NewServer(rec)
	t.Cleanup(func() {
		srv.Close()
		if !saveCassette(t, rec, cassette) {
			return
		}
		// The real credentials must never reach a cassette.
		secrets := []string{creds.secret, creds.keyID}
		if creds.token != "" {
			secrets = append(secrets, creds.token)
		}
		if err := recording.ScanForSecrets(cassette, secrets); err != nil {
			_ = os.Remove(cassette)
			t.Errorf("removed %s: %v", cassette, err)
		}
	})
	return &Server{t: t, URL: srv.URL, readMode: defaultReadMode(), upstream: upstream, creds: creds, vars: map[string]string{}}
}

func seedFor(name string) int64 {
	var h int64 = 1469598103934665603
	for _, c := range []byte(name) {
		h ^= int64(c)
		h *= 1099511628211
	}
	return h
}

// Emulator returns the test's emulator (the replay's shadow when replaying),
// or nil for a real endpoint (recording against it, or replaying what was
// recorded there).
func (s *Server) Emulator() *emulator.Emulator { return s.emu }

// Live reports whether an emulator serves this test, so that its state can
// be inspected: always, but for a real endpoint.
func (s *Server) Live() bool { return s.emu != nil }

// ProviderBlock is the provider configuration pointing at the server.
func (s *Server) ProviderBlock() string {
	return s.ProviderBlockWith("")
}

// ProviderBlockWith adds extra attribute lines to the provider block. When
// recording against a real endpoint the block signs with the real
// credentials.
func (s *Server) ProviderBlockWith(extra string) string {
	keyID, secret := AccessKeyID, AccessKeySecret
	if s.upstream != "" {
		keyID, secret = s.creds.keyID, s.creds.secret
		if s.creds.token != "" {
			extra = fmt.Sprintf("  security_token = %q\n", s.creds.token) + extra
		}
	}
	if s.sts {
		extra = fmt.Sprintf("  sts_endpoint = %q\n", strings.TrimPrefix(s.URL, "https://")) + extra
	}
	return ProviderBlock(s.URL, keyID, secret, extra)
}

// STSProviderBlock is a provider block pointing at the server and at its
// STS, without credentials: extra holds them (an assume_role_with_oidc
// block, a profile...), or the environment does.
func (s *Server) STSProviderBlock(extra string) string {
	return fmt.Sprintf(`
provider "alicloudrd" {
  endpoint     = %q
  sts_endpoint = %q
%s
}
`, s.URL, strings.TrimPrefix(s.URL, "https://"), extra)
}

// Config prepends the provider block to a configuration.
func (s *Server) Config(hcl string) string { return s.ProviderBlock() + hcl }

// Set remembers a value (for example an ID read from state) for later steps.
func (s *Server) Set(key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vars[key] = value
}

// Get returns a remembered value.
func (s *Server) Get(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.vars[key]
}

// Remember is a check that stores a resource attribute under key.
func (s *Server) Remember(key, resourceName, attr string) func(*terraform.State) error {
	return func(st *terraform.State) error {
		rs, ok := st.RootModule().Resources[resourceName]
		if !ok {
			return fmt.Errorf("%s is not in state", resourceName)
		}
		v, ok := rs.Primary.Attributes[attr]
		if !ok {
			return fmt.Errorf("%s has no attribute %s", resourceName, attr)
		}
		s.Set(key, v)
		return nil
	}
}

// Outside runs a change made outside Terraform (verification, cancellation,
// deletion) on the emulator; when replaying, on the replay's shadow, whose
// later answers must then match the cassette. When recording against a real
// endpoint the test skips (nobody can verify or cancel there on the test's
// behalf).
func (s *Server) Outside(f func(e *emulator.Emulator) error) func() {
	s.t.Helper()
	if s.upstream != "" {
		s.t.Skipf("%s is set: not recording against %s, this test acts on the emulator between steps (Server.Outside)",
			UpstreamEnv, s.upstream)
	}
	return func() {
		if s.emu == nil {
			return
		}
		if err := f(s.emu); err != nil {
			s.t.Fatalf("changing the world outside Terraform: %v", err)
		}
	}
}

// Check runs an assertion on the emulator's state and calls: live, recording,
// and replaying (on the replay's shadow, which served the same calls in the
// same order). It passes only for a real endpoint, whose state the test
// cannot inspect: when recording against it, and when replaying what was
// recorded there.
func (s *Server) Check(f func(e *emulator.Emulator) error) func(*terraform.State) error {
	return func(*terraform.State) error {
		if s.emu == nil {
			return nil
		}
		return f(s.emu)
	}
}

// Factories serves the given provider in-process for terraform-plugin-testing.
func Factories(p func() provider.Provider) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"alicloudrd": providerserver.NewProtocol6WithError(p()),
	}
}

// ReadModes runs f as a parallel subtest for each emulator read mode.
func ReadModes(t *testing.T, f func(t *testing.T, readMode string)) {
	for _, m := range []string{emulator.ReadModeRequested, emulator.ReadModeEffective} {
		t.Run(m, func(t *testing.T) { f(t, m) })
	}
}

// Setup prepares the process for acceptance tests: an empty CLI
// configuration so the user's ~/.terraformrc is never read, and the trust
// of the emulator's TLS certificate (TrustTLS). When recording
// against a real endpoint (UpstreamEnv) it also takes the credentials out of
// the environment: the provider blocks the harness builds carry them, and
// the tests that expect no credentials in the environment still see none.
func Setup() (cleanup func(), err error) {
	if CurrentMode() == ModeRecord && os.Getenv(UpstreamEnv) != "" {
		creds := credentialsFromEnv()
		upstreamCredsMu.Lock()
		upstreamCreds = &creds
		upstreamCredsMu.Unlock()
		for _, name := range credentialEnvs {
			os.Unsetenv(name)
		}
	}
	dir, err := os.MkdirTemp("", "alicloudrd-acc-")
	if err != nil {
		return nil, err
	}
	// STS tests, which need the emulator, skip when recording against a
	// real endpoint: its certificate must stay the one trusted then.
	if os.Getenv(UpstreamEnv) == "" {
		if err := TrustTLS(dir); err != nil {
			return nil, err
		}
	}
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, nil, 0o600); err != nil {
		return nil, err
	}
	os.Setenv("TF_CLI_CONFIG_FILE", rc)
	return func() { os.RemoveAll(dir) }, nil
}

// Main is the TestMain of a package of acceptance tests: Setup, the tests,
// then the cleanup.
func Main(m *testing.M) {
	cleanup, err := Setup()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// CassetteName turns a test name into a file name.
func CassetteName(testName string) string {
	return strings.NewReplacer("/", "__", " ", "_").Replace(testName)
}
