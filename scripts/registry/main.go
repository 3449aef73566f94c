// Command registry serves release artifacts (goreleaser's dist/) over HTTPS
// on loopback the two ways a Terraform or OpenTofu CLI installs a provider
// from the network, for scripts/registry-test.sh:
//
//   - a provider registry: service discovery (/.well-known/terraform.json,
//     providers.v1) and the provider registry protocol v1, with SHA256SUMS, its
//     detached signature and the public signing keys;
//   - a provider network mirror (/mirror/), with the h1: hash of each zip.
//
// Usage:
//
//	registry serve -dist DIR -keys FILE -tls-dir DIR [-listen 127.0.0.1:0]
//	               [-hostname localhost] [-namespace alicloudrd] [-type alicloudrd]
//	               [-addr-file FILE]
//
// -dist is a directory holding one terraform-provider-alicloudrd_<version>_SHA256SUMS,
// its .sig, the zips it lists and the manifest. -keys holds the ASCII-armored
// public keys the registry gives for the namespace, one PUBLIC KEY BLOCK each
// (missing or empty: none). Both are read again at every request, so a test
// can replace a file between two commands. The server makes a certificate
// authority and a certificate for -hostname (and 127.0.0.1, ::1) signed by it,
// writes the authority's certificate to <tls-dir>/ca.pem for SSL_CERT_FILE,
// and, once it listens, writes "<hostname>:<port>" to -addr-file. Each request
// is logged on stderr.
//
// Endpoints:
//
//	/.well-known/terraform.json                                  {"providers.v1": "/v1/providers/"}
//	/v1/providers/<namespace>/<type>/versions                    versions, protocols, platforms
//	/v1/providers/<namespace>/<type>/<version>/download/<os>/<arch>
//	/files/<name>                                                a zip, SHA256SUMS or its .sig
//	/mirror/<hostname>/<namespace>/<type>/index.json             network mirror: versions
//	/mirror/<hostname>/<namespace>/<type>/<version>.json         network mirror: archives and hashes
//	/mirror/<hostname>/<namespace>/<type>/<zip>                  network mirror: a zip
//
// The network mirror serves the provider for any origin hostname
// (registry.terraform.io, registry.opentofu.org, ...). It is test tooling and
// is not shipped.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "serve" {
		fmt.Fprintln(os.Stderr, "usage: registry serve -dist DIR -keys FILE -tls-dir DIR [flags] (see the package documentation)")
		os.Exit(2)
	}
	if err := runServe(os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "registry serve: %v\n", err)
		os.Exit(1)
	}
}

func runServe(args []string) error {
	fs := flag.NewFlagSet("registry serve", flag.ExitOnError)
	s := &server{log: os.Stderr}
	var listen, hostname, tlsDir, addrFile string
	fs.StringVar(&s.dist, "dist", "", "the directory of SHA256SUMS, its .sig, the zips and the manifest")
	fs.StringVar(&s.keys, "keys", "", "the file of ASCII-armored public signing keys (missing or empty: none)")
	fs.StringVar(&s.namespace, "namespace", "alicloudrd", "the provider's namespace")
	fs.StringVar(&s.typ, "type", "alicloudrd", "the provider's type")
	fs.StringVar(&listen, "listen", "127.0.0.1:0", "the address to listen on")
	fs.StringVar(&hostname, "hostname", "localhost", "the host name clients use: the certificate's name, in the address written to -addr-file")
	fs.StringVar(&tlsDir, "tls-dir", "", "where to write ca.pem, the certificate authority to trust (SSL_CERT_FILE)")
	fs.StringVar(&addrFile, "addr-file", "", "where to write <hostname>:<port> once listening")
	_ = fs.Parse(args)
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if s.dist == "" || s.keys == "" || tlsDir == "" {
		return errors.New("-dist, -keys and -tls-dir are required")
	}
	// Fail now rather than at the first request.
	if _, err := s.release(); err != nil {
		return err
	}

	cert, caPEM, err := newCertificates(hostname, time.Now())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(tlsDir, 0o755); err != nil {
		return err
	}
	caFile := filepath.Join(tlsDir, "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o644); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	addr := net.JoinHostPort(hostname, port)
	srv := &http.Server{Handler: s.handler(), ReadHeaderTimeout: 10 * time.Second, TLSConfig: tlsConfig(cert)}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- srv.ServeTLS(ln, "", "") }()

	if addrFile != "" {
		// Written whole, then renamed: a reader never sees half of it.
		if err := os.WriteFile(addrFile+".tmp", []byte(addr+"\n"), 0o644); err != nil {
			return err
		}
		if err := os.Rename(addrFile+".tmp", addrFile); err != nil {
			return err
		}
	}
	fmt.Printf("registry: https://%s/ serves %s/%s from %s: registry /v1/providers/, network mirror /mirror/; certificate authority %s\n",
		addr, s.namespace, s.typ, s.dist, caFile)

	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}
