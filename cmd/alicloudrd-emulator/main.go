// Command alicloudrd-emulator serves a local Resource Directory message-contact
// API (ResourceDirectoryMaster 2022-04-19) for demos, scripts and other
// clients.
//
//	alicloudrd-emulator -listen 127.0.0.1:0 -access-key-id ID -access-key-secret SECRET \
//	  [-security-token TOKEN] [-site china|international] [-read-mode requested|effective] \
//	  [-seed contacts.json] [-max-contacts 20] [-throttle-rate 0.3] [-error-rate 0.05] \
//	  [-latency 50ms] [-delete-delay 2s] [-page-size-cap 0] [-tls-cert cert.pem] \
//	  [-sts-duration 1h] [-oidc-provider-arn ARN] [-oidc-issuer URL] [-oidc-audience AUD] [-sts-external-id ID]
//
// The first line on stdout is "endpoint=http://HOST:PORT" (https with
// -tls-cert); then one line per
// API request ("action=AddMessageContact status=200 code="). A provider block
// to paste goes to stderr. The access key secret is never printed. The
// program's contract is internal/emulator/README.md "Program".
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "alicloudrd-emulator:", err)
		os.Exit(2)
	}
}

// options are the parsed command-line flags.
type options struct {
	listen          string
	accessKeyID     string
	accessKeySecret string
	securityToken   string
	site            string
	readMode        string
	seedFile        string
	maxContacts     int
	throttleRate    float64
	errorRate       float64
	latency         time.Duration
	deleteDelay     time.Duration
	pageSizeCap     int
	tlsCert         string
	stsDuration     seconds
	oidcProviderARN string
	oidcIssuer      string
	oidcAudience    string
	stsExternalID   string
}

// seconds is a duration flag that also takes a plain number of seconds.
type seconds time.Duration

func (s *seconds) String() string { return time.Duration(*s).String() }

func (s *seconds) Set(v string) error {
	if n, err := strconv.Atoi(v); err == nil {
		*s = seconds(time.Duration(n) * time.Second)
		return nil
	}
	d, err := time.ParseDuration(v)
	*s = seconds(d)
	return err
}

// parseFlags parses args; the key pair falls back to the
// ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (and
// ALIBABA_CLOUD_SECURITY_TOKEN) environment variables.
func parseFlags(args []string, stderr io.Writer, getenv func(string) string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("alicloudrd-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "address to listen on (port 0 picks a free port)")
	fs.StringVar(&o.accessKeyID, "access-key-id", "", "AccessKeyId the emulator accepts (default $ALIBABA_CLOUD_ACCESS_KEY_ID)")
	fs.StringVar(&o.accessKeySecret, "access-key-secret", "", "its AccessKeySecret (default $ALIBABA_CLOUD_ACCESS_KEY_SECRET)")
	fs.StringVar(&o.securityToken, "security-token", "", "if set, the key is an STS credential and requests must carry this SecurityToken (default $ALIBABA_CLOUD_SECURITY_TOKEN)")
	fs.StringVar(&o.site, "site", emulator.SiteChina, "site whose phone country codes are accepted: china or international")
	fs.StringVar(&o.readMode, "read-mode", emulator.ReadModeRequested, "what Get/List show for a pending phone or email: requested or effective")
	fs.StringVar(&o.seedFile, "seed", "", "JSON file of contacts to load at start (they start Active)")
	fs.IntVar(&o.maxContacts, "max-contacts", emulator.DefaultMaxContacts, "contacts per directory")
	fs.Float64Var(&o.throttleRate, "throttle-rate", 0, "share of API calls answered 400 Throttling.User (0..1)")
	fs.Float64Var(&o.errorRate, "error-rate", 0, "share of API calls answered 500/503 (0..1)")
	fs.DurationVar(&o.latency, "latency", 0, "latency added to every API call")
	fs.DurationVar(&o.deleteDelay, "delete-delay", 2*time.Second, "how long an asynchronous deletion takes")
	fs.IntVar(&o.pageSizeCap, "page-size-cap", 0, "when > 0, caps every page at this many items")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "serve HTTPS with a generated self-signed certificate, written (PEM) to this file for clients to trust (SSL_CERT_FILE)")
	o.stsDuration = seconds(emulator.DefaultSTSDuration)
	fs.Var(&o.stsDuration, "sts-duration", "lifetime of the credentials STS issues (a duration such as 1h or 5s, or seconds)")
	fs.StringVar(&o.oidcProviderARN, "oidc-provider-arn", "", "the OIDC identity provider AssumeRoleWithOIDC accepts (none when empty)")
	fs.StringVar(&o.oidcIssuer, "oidc-issuer", emulator.DefaultOIDCIssuer, "the iss an OIDC token must carry")
	fs.StringVar(&o.oidcAudience, "oidc-audience", emulator.DefaultOIDCAudience, "an aud an OIDC token must carry")
	fs.StringVar(&o.stsExternalID, "sts-external-id", "", "when set, the ExternalId every AssumeRole must carry")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: alicloudrd-emulator -access-key-id ID -access-key-secret SECRET [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.accessKeyID == "" {
		o.accessKeyID = getenv("ALIBABA_CLOUD_ACCESS_KEY_ID")
	}
	if o.accessKeySecret == "" {
		o.accessKeySecret = getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
	}
	if o.securityToken == "" {
		o.securityToken = getenv("ALIBABA_CLOUD_SECURITY_TOKEN")
	}
	var problems []string
	if o.accessKeyID == "" {
		problems = append(problems, "an access key ID is required: set -access-key-id or ALIBABA_CLOUD_ACCESS_KEY_ID")
	}
	if o.accessKeySecret == "" {
		problems = append(problems, "an access key secret is required: set -access-key-secret or ALIBABA_CLOUD_ACCESS_KEY_SECRET")
	}
	if o.site != emulator.SiteChina && o.site != emulator.SiteInternational {
		problems = append(problems, fmt.Sprintf("-site must be china or international, not %q", o.site))
	}
	if o.readMode != emulator.ReadModeRequested && o.readMode != emulator.ReadModeEffective {
		problems = append(problems, fmt.Sprintf("-read-mode must be requested or effective, not %q", o.readMode))
	}
	if o.maxContacts < 1 {
		problems = append(problems, "-max-contacts must be at least 1")
	}
	for name, rate := range map[string]float64{"-throttle-rate": o.throttleRate, "-error-rate": o.errorRate} {
		if rate < 0 || rate > 1 {
			problems = append(problems, name+" must be between 0 and 1")
		}
	}
	if o.latency < 0 {
		problems = append(problems, "-latency must not be negative")
	}
	if o.deleteDelay <= 0 {
		problems = append(problems, "-delete-delay must be positive")
	}
	if o.pageSizeCap < 0 {
		problems = append(problems, "-page-size-cap must not be negative")
	}
	if o.stsDuration <= 0 {
		problems = append(problems, "-sts-duration must be positive")
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s\nRun with -h for usage", strings.Join(problems, "\n"))
	}
	return o, nil
}

// loadSeed reads a JSON array of contacts.
func loadSeed(path string) ([]emulator.SeedContact, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	var cs []emulator.SeedContact
	if err := dec.Decode(&cs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cs, nil
}

// config builds the emulator configuration from the options; logf receives
// one line per request.
func (o *options) config(logf func(string, ...any)) emulator.Config {
	cfg := emulator.Config{
		Site:        o.site,
		ReadMode:    o.readMode,
		MaxContacts: o.maxContacts,
		DeleteDelay: o.deleteDelay,
		PageSizeCap: o.pageSizeCap,
		Logf:        logf,

		STSDuration:     time.Duration(o.stsDuration),
		STSExternalID:   o.stsExternalID,
		OIDCProviderARN: o.oidcProviderARN,
		OIDCIssuer:      o.oidcIssuer,
		OIDCAudience:    o.oidcAudience,
	}
	if o.securityToken != "" {
		cfg.STSTokens = []emulator.STSToken{{AccessKeyID: o.accessKeyID, AccessKeySecret: o.accessKeySecret, SecurityToken: o.securityToken}}
	} else {
		cfg.KeyPairs = []emulator.KeyPair{{AccessKeyID: o.accessKeyID, AccessKeySecret: o.accessKeySecret}}
	}
	return cfg
}

// endpointURL turns a listener address into a URL clients can use.
func endpointURL(scheme string, addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return scheme + "://" + addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

// openListener opens the listener, with TLS and a generated certificate written to
// o.tlsCert when that is set.
func (o *options) openListener() (net.Listener, string, error) {
	ln, err := net.Listen("tcp", o.listen)
	if err != nil || o.tlsCert == "" {
		return ln, "http", err
	}
	cert, pemBytes, err := emulator.NewTLSCertificate()
	if err == nil {
		err = os.WriteFile(o.tlsCert, pemBytes, 0o644)
	}
	if err != nil {
		ln.Close()
		return nil, "", err
	}
	return tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}), "https", nil
}

// run serves until ctx is done, then shuts down gracefully.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	o, err := parseFlags(args, stderr, getenv)
	if err != nil {
		return err
	}
	var outMu sync.Mutex
	logf := func(format string, a ...any) {
		outMu.Lock()
		defer outMu.Unlock()
		fmt.Fprintf(stdout, format+"\n", a...)
	}
	emu := emulator.New(o.config(logf))
	if o.seedFile != "" {
		seed, err := loadSeed(o.seedFile)
		if err != nil {
			return err
		}
		if err := emu.SeedContacts(seed); err != nil {
			return fmt.Errorf("%s: %w", o.seedFile, err)
		}
	}
	if o.throttleRate > 0 || o.errorRate > 0 || o.latency > 0 {
		emu.SetFaults(emulator.Faults{ThrottleRate: o.throttleRate, ErrorRate: o.errorRate, Latency: o.latency})
	}

	ln, scheme, err := o.openListener()
	if err != nil {
		return err
	}
	endpoint := endpointURL(scheme, ln.Addr())
	outMu.Lock()
	fmt.Fprintf(stdout, "endpoint=%s\n", endpoint)
	outMu.Unlock()
	printProviderBlock(stderr, endpoint, o)

	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// printProviderBlock writes a provider configuration for this emulator. The
// secret is never printed: it is referenced, not shown.
func printProviderBlock(w io.Writer, endpoint string, o *options) {
	var b strings.Builder
	fmt.Fprintf(&b, "alicloudrd-emulator: serving ResourceDirectoryMaster %s at %s (site %s, read mode %s)\n", emulator.APIVersion, endpoint, o.site, o.readMode)
	b.WriteString("Provider configuration:\n\n")
	b.WriteString("  provider \"alicloudrd\" {\n")
	fmt.Fprintf(&b, "    endpoint   = %q\n", endpoint)
	if o.site != emulator.SiteChina {
		fmt.Fprintf(&b, "    site       = %q\n", o.site)
	}
	fmt.Fprintf(&b, "    access_key = %q\n", o.accessKeyID)
	b.WriteString("    secret_key = var.secret_key # the -access-key-secret value\n")
	if o.securityToken != "" {
		b.WriteString("    security_token = var.security_token # the -security-token value\n")
	}
	if o.tlsCert != "" {
		fmt.Fprintf(&b, "    sts_endpoint = %q # STS over TLS: export SSL_CERT_FILE=%s\n", strings.TrimPrefix(endpoint, "https://"), o.tlsCert)
	}
	b.WriteString("  }\n\n")
	fmt.Fprintf(&b, "or export ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER=%s\n", endpoint)
	fmt.Fprintf(&b, "Verify a pending change: curl -X POST '%s%sverify?ContactId=c-...&Target=...'\n", endpoint, emulator.AdminPrefix)
	// The block is a convenience for the reader: failing to print it (stderr
	// closed, say) must not stop the emulator, which has already started
	// listening and printed its endpoint on stdout.
	_, _ = io.WriteString(w, b.String())
}
