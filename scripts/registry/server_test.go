package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/alicloudrd/terraform-provider-alicloudrd/scripts/internal/artifacts"
)

const testVersion = "0.1.0"

// testRelease is a dist/ of two platforms with a signed SHA256SUMS, and the
// signing key's public half in keys.asc.
type testRelease struct {
	dir, keys string
	entity    *openpgp.Entity
}

func newTestRelease(t *testing.T) *testRelease {
	t.Helper()
	dir := t.TempDir()
	var sums strings.Builder
	for _, p := range []string{"darwin_arm64", "linux_amd64"} {
		name := artifacts.ProviderName + "_" + testVersion + "_" + p + ".zip"
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		fw, err := zw.Create(artifacts.BinaryName(testVersion, p))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(fw, "binary for "+p); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name), buf.Bytes())
		sums.WriteString(sha256Hex(buf.Bytes()) + "  " + name + "\n")
	}
	manifest := []byte(`{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}` + "\n")
	writeFile(t, filepath.Join(dir, artifacts.ProviderName+"_"+testVersion+"_manifest.json"), manifest)
	sums.WriteString(sha256Hex(manifest) + "  " + artifacts.ProviderName + "_" + testVersion + "_manifest.json\n")
	sumsFile := filepath.Join(dir, artifacts.ProviderName+"_"+testVersion+"_SHA256SUMS")
	writeFile(t, sumsFile, []byte(sums.String()))

	r := &testRelease{dir: dir, keys: filepath.Join(t.TempDir(), "keys.asc"), entity: newKey(t, "release")}
	var sig bytes.Buffer
	if err := openpgp.DetachSign(&sig, r.entity, strings.NewReader(sums.String()), nil); err != nil {
		t.Fatal(err)
	}
	writeFile(t, sumsFile+".sig", sig.Bytes())
	writeFile(t, r.keys, []byte(armoredPublicKey(t, r.entity)))
	return r
}

func newKey(t *testing.T, name string) *openpgp.Entity {
	t.Helper()
	e, err := openpgp.NewEntity(name, "", name+"@example.com", &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func armoredPublicKey(t *testing.T, e *openpgp.Entity) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Serialize(w); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String() + "\n"
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// serve starts the server over HTTPS (httptest's certificate) for rel.
func serve(t *testing.T, rel *testRelease) *httptest.Server {
	t.Helper()
	s := &server{dist: rel.dir, keys: rel.keys, namespace: "alicloudrd", typ: "alicloudrd", log: io.Discard}
	ts := httptest.NewTLSServer(s.handler())
	t.Cleanup(ts.Close)
	return ts
}

// get fetches url (absolute, or a path on ts) and returns the status and body.
func get(t *testing.T, ts *httptest.Server, u string) (int, []byte) {
	t.Helper()
	if strings.HasPrefix(u, "/") {
		u = ts.URL + u
	}
	resp, err := ts.Client().Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func getJSON(t *testing.T, ts *httptest.Server, path string, v any) {
	t.Helper()
	status, b := get(t, ts, path)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s, want 200", path, status, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, b)
	}
}

func TestDiscovery(t *testing.T) {
	ts := serve(t, newTestRelease(t))
	var doc map[string]string
	getJSON(t, ts, "/.well-known/terraform.json", &doc)
	if len(doc) != 1 || doc["providers.v1"] != "/v1/providers/" {
		t.Errorf("service discovery = %v, want only providers.v1 = /v1/providers/", doc)
	}
}

func TestVersions(t *testing.T) {
	ts := serve(t, newTestRelease(t))
	var resp map[string][]versionEntry
	getJSON(t, ts, "/v1/providers/alicloudrd/alicloudrd/versions", &resp)
	want := []versionEntry{{
		Version:   testVersion,
		Protocols: []string{"6.0"},
		Platforms: []platform{{"darwin", "arm64"}, {"linux", "amd64"}},
	}}
	if got, _ := json.Marshal(resp["versions"]); string(got) != mustJSON(t, want) {
		t.Errorf("versions = %s, want %s", got, mustJSON(t, want))
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The download answer leads to the zip, SHA256SUMS and its signature, and
// a client that checks them as Terraform does finds them consistent and
// signed by the key the answer gives.
func TestDownload(t *testing.T) {
	rel := newTestRelease(t)
	ts := serve(t, rel)
	var d downloadResponse
	getJSON(t, ts, "/v1/providers/alicloudrd/alicloudrd/"+testVersion+"/download/linux/amd64", &d)

	zipName := artifacts.ProviderName + "_" + testVersion + "_linux_amd64.zip"
	if d.OS != "linux" || d.Arch != "amd64" || d.Filename != zipName || strings.Join(d.Protocols, ",") != "6.0" {
		t.Errorf("download = %+v, want linux amd64 %s protocols 6.0", d, zipName)
	}
	for _, u := range []string{d.DownloadURL, d.SHASumsURL, d.SHASumsSignatureURL} {
		if !strings.HasPrefix(u, ts.URL+"/files/") {
			t.Errorf("URL %s is not under %s/files/", u, ts.URL)
		}
	}
	if len(d.SigningKeys.GPGPublicKeys) != 1 {
		t.Fatalf("signing keys = %+v, want one", d.SigningKeys.GPGPublicKeys)
	}
	key := d.SigningKeys.GPGPublicKeys[0]
	if want := rel.entity.PrimaryKey.KeyIdString(); key.KeyID != want {
		t.Errorf("key_id = %s, want %s", key.KeyID, want)
	}

	_, archive := get(t, ts, d.DownloadURL)
	if got := sha256Hex(archive); got != d.SHASum {
		t.Errorf("the zip's SHA-256 is %s, shasum says %s", got, d.SHASum)
	}
	_, sums := get(t, ts, d.SHASumsURL)
	if want := d.SHASum + "  " + d.Filename + "\n"; !strings.Contains(string(sums), want) {
		t.Errorf("SHA256SUMS has no line %q:\n%s", want, sums)
	}
	_, sig := get(t, ts, d.SHASumsSignatureURL)
	keyring, err := openpgp.ReadArmoredKeyRing(strings.NewReader(key.ASCIIArmor))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := openpgp.CheckDetachedSignature(keyring, bytes.NewReader(sums), bytes.NewReader(sig), nil)
	if err != nil {
		t.Fatalf("the signature of SHA256SUMS does not verify with the key served: %v", err)
	}
	if signer.PrimaryKey.KeyIdString() != key.KeyID {
		t.Errorf("signed by %s, want %s", signer.PrimaryKey.KeyIdString(), key.KeyID)
	}
}

// A registry records a zip's hash when the version is published: a zip
// replaced afterwards is served, but shasum still names the one listed.
func TestDownloadShasumIsTheListedOne(t *testing.T) {
	rel := newTestRelease(t)
	ts := serve(t, rel)
	zip := filepath.Join(rel.dir, artifacts.ProviderName+"_"+testVersion+"_linux_amd64.zip")
	before, _ := artifacts.SHA256File(zip)
	writeFile(t, zip, []byte("altered"))
	var d downloadResponse
	getJSON(t, ts, "/v1/providers/alicloudrd/alicloudrd/"+testVersion+"/download/linux/amd64", &d)
	if d.SHASum != before {
		t.Errorf("shasum = %s, want %s (the SHA256SUMS line)", d.SHASum, before)
	}
	if _, b := get(t, ts, d.DownloadURL); string(b) != "altered" {
		t.Errorf("download = %q, want the file as it is now", b)
	}
}

func TestNotFound(t *testing.T) {
	ts := serve(t, newTestRelease(t))
	for path, want := range map[string]string{
		"/v1/providers/alicloudrd/alicloudrd/9.9.9/download/linux/amd64":   "no version 9.9.9 of alicloudrd/alicloudrd (there is 0.1.0)",
		"/v1/providers/alicloudrd/alicloudrd/0.1.0/download/windows/amd64": "no package of alicloudrd/alicloudrd 0.1.0 for windows_amd64",
		"/v1/providers/other/alicloudrd/versions":                          "no provider other/alicloudrd here (only alicloudrd/alicloudrd)",
		"/files/secret.txt": "secret.txt is neither " + artifacts.ProviderName + "_0.1.0_SHA256SUMS",
		"/mirror/registry.terraform.io/alicloudrd/alicloudrd/9.9.9.json":      "the mirror has no 9.9.9.json",
		"/mirror/registry.terraform.io/hashicorp/alicloudrd/index.json":       "no provider hashicorp/alicloudrd here",
		"/v2/providers/alicloudrd/alicloudrd/versions":                        "no such endpoint: GET /v2/providers/alicloudrd/alicloudrd/versions",
		"/mirror/registry.terraform.io/alicloudrd/alicloudrd/../../../etc/pw": "no such endpoint",
	} {
		status, b := get(t, ts, path)
		var e struct{ Errors []string }
		_ = json.Unmarshal(b, &e)
		if status != http.StatusNotFound || len(e.Errors) != 1 || !strings.Contains(e.Errors[0], want) {
			t.Errorf("GET %s = %d %s, want 404 with an error holding %q", path, status, b, want)
		}
	}
}

func TestKeys(t *testing.T) {
	dir := t.TempDir()
	one, two := newKey(t, "one"), newKey(t, "two")
	path := filepath.Join(dir, "keys.asc")

	if keys, err := readKeys(path); err != nil || len(keys) != 0 {
		t.Errorf("missing file: readKeys = %v, %v; want no key", keys, err)
	}
	writeFile(t, path, nil)
	if keys, err := readKeys(path); err != nil || len(keys) != 0 {
		t.Errorf("empty file: readKeys = %v, %v; want no key", keys, err)
	}
	writeFile(t, path, []byte(armoredPublicKey(t, one)+armoredPublicKey(t, two)))
	keys, err := readKeys(path)
	if err != nil || len(keys) != 2 || keys[0].KeyID != one.PrimaryKey.KeyIdString() || keys[1].KeyID != two.PrimaryKey.KeyIdString() {
		t.Errorf("two blocks: readKeys = %+v, %v; want the keys %s and %s", keys, err, one.PrimaryKey.KeyIdString(), two.PrimaryKey.KeyIdString())
	}
	if len(keys) > 0 && !strings.HasPrefix(keys[0].ASCIIArmor, "-----BEGIN PGP PUBLIC KEY BLOCK-----") {
		t.Errorf("ascii_armor = %q", keys[0].ASCIIArmor)
	}
	writeFile(t, path, []byte("not a key\n"))
	if _, err := readKeys(path); err == nil || !strings.Contains(err.Error(), "holds no PGP PUBLIC KEY BLOCK") {
		t.Errorf("garbage: readKeys error = %v", err)
	}
	// One armored block holding two keys.
	var buf bytes.Buffer
	w, _ := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	_ = one.Serialize(w)
	_ = two.Serialize(w)
	_ = w.Close()
	writeFile(t, path, buf.Bytes())
	if _, err := readKeys(path); err == nil || !strings.Contains(err.Error(), "want one key, got 2") {
		t.Errorf("two keys in a block: readKeys error = %v", err)
	}
}

// The network mirror lists the version, then each platform's zip with its
// h1: hash, under any origin hostname; the relative URL leads to the zip.
func TestMirror(t *testing.T) {
	rel := newTestRelease(t)
	ts := serve(t, rel)
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		base := "/mirror/" + host + "/alicloudrd/alicloudrd/"
		var index map[string]map[string]struct{}
		getJSON(t, ts, base+"index.json", &index)
		if _, ok := index["versions"][testVersion]; !ok || len(index["versions"]) != 1 {
			t.Errorf("%s index.json = %v, want the version %s", host, index, testVersion)
		}
		var v map[string]map[string]mirrorArchive
		getJSON(t, ts, base+testVersion+".json", &v)
		if len(v["archives"]) != 2 {
			t.Fatalf("%s archives = %v, want two platforms", host, v)
		}
		for _, p := range []string{"darwin_arm64", "linux_amd64"} {
			a := v["archives"][p]
			zipName := artifacts.ProviderName + "_" + testVersion + "_" + p + ".zip"
			want, err := artifacts.HashZip(filepath.Join(rel.dir, zipName))
			if err != nil {
				t.Fatal(err)
			}
			if a.URL != zipName || len(a.Hashes) != 1 || a.Hashes[0] != want {
				t.Errorf("%s archive %s = %+v, want url %s and hashes [%s]", host, p, a, zipName, want)
			}
			u, _ := url.Parse(ts.URL + base + testVersion + ".json")
			ref, _ := url.Parse(a.URL)
			status, b := get(t, ts, u.ResolveReference(ref).String())
			if h, _ := os.ReadFile(filepath.Join(rel.dir, zipName)); status != http.StatusOK || !bytes.Equal(b, h) {
				t.Errorf("%s %s: %d, %d bytes; want 200 and the zip", host, a.URL, status, len(b))
			}
		}
	}
}

// A client that trusts only ca.pem reaches the server by its host name.
func TestCertificates(t *testing.T) {
	cert, caPEM, err := newCertificates("localhost", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }))
	ts.TLS = tlsConfig(cert)
	ts.StartTLS()
	defer ts.Close()
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())

	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("ca.pem holds no certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	resp, err := client.Get("https://localhost:" + port + "/")
	if err != nil {
		t.Fatalf("GET https://localhost:%s/ trusting ca.pem: %v", port, err)
	}
	resp.Body.Close()

	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if leaf.IsCA || leaf.Issuer.CommonName != "alicloudrd registry test CA" {
		t.Errorf("the server's certificate: IsCA %v, issuer %q; want a leaf the CA issued", leaf.IsCA, leaf.Issuer.CommonName)
	}
	if err := leaf.VerifyHostname("registry.terraform.io"); err == nil {
		t.Error("the certificate is valid for registry.terraform.io")
	}
}
