// Package acctest is the acceptance-test harness: it starts an API server per
// test (a live emulator, a recording proxy in front of one, or a replay of a
// recorded cassette), builds provider blocks and provider factories, and
// routes steps that change the world outside Terraform.
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
	// no emulator state, no credentials, no network. An API call the
	// cassette does not hold, or a recorded call never made, fails the test.
	ModeReplay Mode = "replay"
	// ModeLive runs against a fresh emulator per test.
	ModeLive Mode = "live"
	// ModeRecord runs against a fresh emulator through a recording proxy
	// and rewrites the test's cassette.
	ModeRecord Mode = "record"
)

// CassetteDir is where cassettes live, relative to the test's package.
const CassetteDir = "testdata"

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
}

// Server is the API server of one test.
type Server struct {
	t        *testing.T
	URL      string
	emu      *emulator.Emulator
	readMode string
	mu       sync.Mutex
	vars     map[string]string
}

// NewServer starts the test's server and stops it when the test ends.
func NewServer(t *testing.T, opts Options) *Server {
	t.Helper()
	mode := CurrentMode()
	cassette := filepath.Join(CassetteDir, CassetteName(t.Name())+".yaml")
	if mode == ModeReplay {
		rp, err := recording.LoadReplayer(cassette, []recording.KeyPair{{AccessKeyID: AccessKeyID, AccessKeySecret: AccessKeySecret}})
		if err != nil {
			t.Fatalf("%v", err)
		}
		srv := httptest.NewServer(rp)
		t.Cleanup(func() {
			srv.Close()
			if err := rp.Err(); err != nil {
				t.Errorf("%v", err)
			}
		})
		return &Server{t: t, URL: srv.URL, vars: map[string]string{}}
	}

	if opts.ReadMode == "" {
		opts.ReadMode = defaultReadMode()
	}
	if opts.DeleteDelay == 0 {
		opts.DeleteDelay = 300 * time.Millisecond
	}
	var dates func() time.Time
	if mode == ModeRecord {
		dates = func() time.Time { return recordedDate }
	}
	emu := emulator.New(emulator.Config{
		DateNow:     dates,
		KeyPairs:    []emulator.KeyPair{{AccessKeyID: AccessKeyID, AccessKeySecret: AccessKeySecret}},
		Site:        opts.Site,
		ReadMode:    opts.ReadMode,
		MaxContacts: opts.MaxContacts,
		PageSizeCap: opts.PageSizeCap,
		DeleteDelay: opts.DeleteDelay,
		Seed:        seedFor(t.Name()),
	})
	if len(opts.Seed) > 0 {
		if err := emu.SeedContacts(opts.Seed); err != nil {
			t.Fatalf("seeding the emulator: %v", err)
		}
	}
	emu.SetFaults(opts.Faults)
	var handler http.Handler = emu
	var rec *recording.Recorder
	if mode == ModeRecord {
		rec = recording.NewRecorder(emu)
		handler = rec
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(func() {
		srv.Close()
		if rec == nil {
			return
		}
		if t.Failed() {
			t.Logf("not saving %s: the test failed", cassette)
			return
		}
		if err := rec.Save(cassette); err != nil {
			t.Errorf("saving the cassette: %v", err)
		}
	})
	return &Server{t: t, URL: srv.URL, emu: emu, readMode: opts.ReadMode, vars: map[string]string{}}
}

func seedFor(name string) int64 {
	var h int64 = 1469598103934665603
	for _, c := range []byte(name) {
		h ^= int64(c)
		h *= 1099511628211
	}
	return h
}

// Emulator returns the live emulator, or nil when the test replays a cassette.
func (s *Server) Emulator() *emulator.Emulator { return s.emu }

// Live reports whether a real emulator serves this test (state can be inspected).
func (s *Server) Live() bool { return s.emu != nil }

// ProviderBlock is the provider configuration pointing at the server.
func (s *Server) ProviderBlock() string {
	return s.ProviderBlockWith("")
}

// ProviderBlockWith adds extra attribute lines to the provider block.
func (s *Server) ProviderBlockWith(extra string) string {
	return fmt.Sprintf(`
provider "alicloudrd" {
  endpoint   = %q
  access_key = %q
  secret_key = %q
%s
}
`, s.URL, AccessKeyID, AccessKeySecret, extra)
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
// deletion) on the emulator. When replaying it does nothing: the cassette
// already holds its effect.
func (s *Server) Outside(f func(e *emulator.Emulator) error) func() {
	return func() {
		if s.emu == nil {
			return
		}
		if err := f(s.emu); err != nil {
			s.t.Fatalf("changing the world outside Terraform: %v", err)
		}
	}
}

// Check runs an assertion on the emulator's state; it passes when replaying,
// where the cassette's exact request sequence is the assertion.
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
// configuration so the user's ~/.terraformrc is never read.
func Setup() (cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "alicloudrd-acc-")
	if err != nil {
		return nil, err
	}
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, nil, 0o600); err != nil {
		return nil, err
	}
	os.Setenv("TF_CLI_CONFIG_FILE", rc)
	return func() { os.RemoveAll(dir) }, nil
}

// CassetteName turns a test name into a file name.
func CassetteName(testName string) string {
	return strings.NewReplacer("/", "__", " ", "_").Replace(testName)
}
