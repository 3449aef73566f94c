package acctest

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
)

// The SDK's STS credential providers call https://<sts_endpoint> only, so
// the emulator's STS is served over TLS with a certificate this process
// generates, and the process trusts it through SSL_CERT_FILE (honoured by
// Go's crypto/x509 on Linux and the other Unix systems but macOS), which
// must point at it before the first TLS connection: TrustTLS, from Setup.

var testTLS struct {
	mu   sync.Mutex
	cert *tls.Certificate
}

// TrustTLS generates the process's test certificate, writes it to
// dir/emulator-ca.pem and points SSL_CERT_FILE at that file.
func TrustTLS(dir string) error {
	cert, pemBytes, err := emulator.NewTLSCertificate()
	if err != nil {
		return err
	}
	file := filepath.Join(dir, "emulator-ca.pem")
	if err := os.WriteFile(file, pemBytes, 0o600); err != nil {
		return err
	}
	testTLS.mu.Lock()
	testTLS.cert = &cert
	testTLS.mu.Unlock()
	return os.Setenv("SSL_CERT_FILE", file)
}

// NewTLSServer serves h over HTTPS, with the certificate of TrustTLS, until
// the test ends.
func NewTLSServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	testTLS.mu.Lock()
	cert := testTLS.cert
	testTLS.mu.Unlock()
	if cert == nil {
		t.Fatal("acctest.TrustTLS was not called (acctest.Setup calls it): nothing trusts the emulator's certificate")
	}
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}
