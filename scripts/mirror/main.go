// Command mirror checks release artifacts and lays them out as a Terraform
// provider filesystem mirror (packed layout):
//
//	<dir>/registry.terraform.io/alicloudrd/alicloudrd/terraform-provider-alicloudrd_<version>_<os>_<arch>.zip
//
// (-hostname registry.opentofu.org for OpenTofu).
//
// Subcommands:
//
//	mirror check   -dist dist [-platform linux_amd64]...
//	    checks goreleaser's dist/: SHA256SUMS lists every zip and the manifest
//	    with their hashes, each zip holds the binary of the version built, and
//	    the binary for this machine reports that version; prints the artifacts.
//	mirror install -dist dist -dir DIR [-hostname H]
//	    checks dist/ as above and copies its zips into the mirror DIR.
//	mirror version -dist dist
//	    prints the version of the artifacts in dist/.
//	mirror pack    -binary FILE -version V -dir DIR [-platform os_arch] [-hostname H]
//	    zips a provider binary under the names a release gives it (default
//	    platform: this machine's; stored, not compressed) into the mirror DIR.
//	mirror lock    -lock .terraform.lock.hcl -dist dist -platform os_arch... [-hostname H] [-signed]
//	    checks the provider's version and hashes in a lock file against the
//	    artifacts: an h1: hash (the zip's content) for each platform and only
//	    those, and zh: hashes (the zip files) from SHA256SUMS only; with
//	    -signed (a lock file written from a registry, after checking the
//	    signature of SHA256SUMS), the zh: hash of every line of SHA256SUMS.
//	mirror tamper  -zip FILE
//	    rewrites a provider zip with one byte appended to its binary: still a
//	    valid package, but not the one released.
//
// scripts/release-snapshot.sh, scripts/mirror-test.sh, scripts/registry-test.sh,
// scripts/demo.sh and `make install-mirror` use it. It needs nothing but Go.
package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/alicloudrd/terraform-provider-alicloudrd/scripts/internal/artifacts"
)

const (
	providerName = artifacts.ProviderName
	// defaultHostname is Terraform's registry; OpenTofu's is
	// registry.opentofu.org.
	defaultHostname = "registry.terraform.io"
)

// Shared with scripts/registry (scripts/internal/artifacts).
var (
	zipPattern = artifacts.ZipPattern
	binaryName = artifacts.BinaryName
	hashZip    = artifacts.HashZip
	zipEntry   = artifacts.ZipEntry
	sha256File = artifacts.SHA256File
)

// sourceAddress is the provider's address on a registry host: its
// directory in a packed filesystem mirror, and its name in lock files.
func sourceAddress(hostname string) string { return hostname + "/alicloudrd/alicloudrd" }

// commands are the subcommands, each given the arguments after its name.
var commands = map[string]func(args []string) error{
	"check":   runCheck,
	"install": runInstall,
	"version": runVersion,
	"pack":    runPack,
	"lock":    runLock,
	"tamper":  runTamper,
}

func main() {
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		usage()
	}
	if err := commands[os.Args[1]](os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "mirror %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: mirror check|install|version|pack|lock|tamper [flags] (see the package documentation)")
	os.Exit(2)
}

// platforms is a repeatable -platform flag.
type platforms []string

func (p *platforms) String() string { return strings.Join(*p, ",") }

func (p *platforms) Set(v string) error {
	if !regexp.MustCompile(`^[a-z0-9]+_[a-z0-9]+$`).MatchString(v) {
		return fmt.Errorf("platform %q is not os_arch, e.g. linux_amd64", v)
	}
	*p = append(*p, v)
	return nil
}

func parse(name string, args []string, define func(fs *flag.FlagSet)) {
	fs := flag.NewFlagSet("mirror "+name, flag.ExitOnError)
	define(fs)
	_ = fs.Parse(args)
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "mirror %s: unexpected arguments %q\n", name, fs.Args())
		os.Exit(2)
	}
}

func runCheck(args []string) error {
	var distDir string
	var want platforms
	parse("check", args, func(fs *flag.FlagSet) {
		fs.StringVar(&distDir, "dist", "dist", "goreleaser's output directory")
		fs.Var(&want, "platform", "a platform whose zip must be there (repeatable)")
	})
	d, err := loadDist(distDir)
	if err != nil {
		return err
	}
	if err := d.check(want); err != nil {
		return err
	}
	d.print(os.Stdout)
	return nil
}

func runInstall(args []string) error {
	var distDir, dir, hostname string
	parse("install", args, func(fs *flag.FlagSet) {
		fs.StringVar(&distDir, "dist", "dist", "goreleaser's output directory")
		fs.StringVar(&dir, "dir", "", "the mirror directory")
		fs.StringVar(&hostname, "hostname", defaultHostname, "the registry host the mirror stands in for")
	})
	if dir == "" {
		return errors.New("-dir is required")
	}
	d, err := loadDist(distDir)
	if err != nil {
		return err
	}
	if err := d.check(nil); err != nil {
		return err
	}
	dest := filepath.Join(dir, filepath.FromSlash(sourceAddress(hostname)))
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return err
	}
	for _, z := range d.zips {
		if err := copyFile(filepath.Join(d.dir, z.name), filepath.Join(dest, z.name)); err != nil {
			return err
		}
		fmt.Printf("%s\n", filepath.Join(dest, z.name))
	}
	return nil
}

func runVersion(args []string) error {
	var distDir string
	parse("version", args, func(fs *flag.FlagSet) {
		fs.StringVar(&distDir, "dist", "dist", "goreleaser's output directory")
	})
	d, err := loadDist(distDir)
	if err != nil {
		return err
	}
	fmt.Println(d.version)
	return nil
}

func runPack(args []string) error {
	var binary, version, dir, platform, hostname string
	parse("pack", args, func(fs *flag.FlagSet) {
		fs.StringVar(&binary, "binary", "", "the provider binary")
		fs.StringVar(&version, "version", "", "the version it reports")
		fs.StringVar(&dir, "dir", "", "the mirror directory")
		fs.StringVar(&platform, "platform", runtime.GOOS+"_"+runtime.GOARCH, "the binary's platform")
		fs.StringVar(&hostname, "hostname", defaultHostname, "the registry host the mirror stands in for")
	})
	if binary == "" || version == "" || dir == "" {
		return errors.New("-binary, -version and -dir are required")
	}
	dest := filepath.Join(dir, filepath.FromSlash(sourceAddress(hostname)))
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return err
	}
	content, err := os.ReadFile(binary)
	if err != nil {
		return err
	}
	name := binaryName(version, platform)
	out := filepath.Join(dest, fmt.Sprintf("%s_%s_%s.zip", providerName, version, platform))
	// Stored, not compressed: such a zip stays on this machine, and
	// compressing it would cost make demo half a second.
	if err := writeZip(out, name, content, zip.Store); err != nil {
		return err
	}
	fmt.Println(out)
	return nil
}

func runLock(args []string) error {
	var lockFile, distDir, hostname string
	var want platforms
	var signed bool
	parse("lock", args, func(fs *flag.FlagSet) {
		fs.StringVar(&lockFile, "lock", ".terraform.lock.hcl", "the dependency lock file")
		fs.StringVar(&distDir, "dist", "dist", "goreleaser's output directory")
		fs.Var(&want, "platform", "a platform the lock file must cover (repeatable)")
		fs.StringVar(&hostname, "hostname", defaultHostname, "the registry host the lock file names")
		fs.BoolVar(&signed, "signed", false, "the lock file was written from a signed SHA256SUMS: it must record the zh: hash of every line")
	})
	if len(want) == 0 {
		return errors.New("name at least one -platform")
	}
	d, err := loadDist(distDir)
	if err != nil {
		return err
	}
	src, err := os.ReadFile(lockFile)
	if err != nil {
		return err
	}
	version, hashes, err := parseLock(src, sourceAddress(hostname))
	if err != nil {
		return fmt.Errorf("%s: %w", lockFile, err)
	}
	return checkLock(os.Stdout, d, want, version, hashes, signed)
}

func runTamper(args []string) error {
	var file string
	parse("tamper", args, func(fs *flag.FlagSet) {
		fs.StringVar(&file, "zip", "", "the provider zip to alter")
	})
	if file == "" {
		return errors.New("-zip is required")
	}
	before, err := sha256File(file)
	if err != nil {
		return err
	}
	m := zipPattern.FindStringSubmatch(filepath.Base(file))
	if m == nil {
		return fmt.Errorf("%s is not named %s_<version>_<os>_<arch>.zip", file, providerName)
	}
	name := binaryName(m[1], m[2])
	content, err := zipEntry(file, name)
	if err != nil {
		return err
	}
	if err := writeZip(file, name, append(content, 0), zip.Deflate); err != nil {
		return err
	}
	after, err := sha256File(file)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %s now ends with one more byte; zip sha256 %s -> %s\n", file, name, before, after)
	return nil
}

// artifact is one file that SHA256SUMS lists.
type artifact struct {
	name     string
	size     int64
	sha256   string
	platform string // os_arch for a zip, empty otherwise
	h1       string // Terraform's h1: hash of a zip's content
}

// dist is goreleaser's output for one version.
type dist struct {
	dir      string
	version  string
	sums     string // the SHA256SUMS file's name
	signed   bool   // a .sig file is beside SHA256SUMS
	manifest artifact
	zips     []artifact // sorted by platform
}

// loadDist reads the SHA256SUMS file of dir and the artifacts it lists.
func loadDist(dir string) (*dist, error) {
	sums, err := artifacts.ReadSums(dir)
	if err != nil {
		return nil, err
	}
	d := &dist{dir: dir, version: sums.Version, sums: sums.File}
	if _, err := os.Stat(filepath.Join(dir, sums.Signature())); err == nil {
		d.signed = true
	}
	for _, l := range sums.Lines {
		a := artifact{name: l.Name, sha256: l.SHA256, platform: l.Platform}
		switch {
		case l.Platform != "":
			d.zips = append(d.zips, a)
		case l.Name == sums.Manifest():
			d.manifest = a
		default:
			return nil, fmt.Errorf("%s lists %s, which is neither a provider zip of %s nor the manifest: it must list those only", d.sums, l.Name, d.version)
		}
	}
	sort.Slice(d.zips, func(i, j int) bool { return d.zips[i].platform < d.zips[j].platform })
	return d, nil
}

// check verifies every artifact against SHA256SUMS and the zips' content,
// and that the platforms in want are there.
func (d *dist) check(want []string) error {
	if d.manifest.name == "" {
		return fmt.Errorf("%s does not list the manifest %s_%s_manifest.json", d.sums, providerName, d.version)
	}
	if len(d.zips) == 0 {
		return fmt.Errorf("%s lists no zip", d.sums)
	}
	if err := d.verify(&d.manifest); err != nil {
		return err
	}
	if err := checkManifest(filepath.Join(d.dir, d.manifest.name)); err != nil {
		return err
	}
	listed := map[string]bool{}
	for i := range d.zips {
		z := &d.zips[i]
		listed[z.name] = true
		if err := d.verify(z); err != nil {
			return err
		}
		if err := d.checkZip(z); err != nil {
			return err
		}
	}
	stray, _ := filepath.Glob(filepath.Join(d.dir, providerName+"_*.zip"))
	for _, s := range stray {
		if !listed[filepath.Base(s)] {
			return fmt.Errorf("%s is not listed in %s", s, d.sums)
		}
	}
	for _, p := range want {
		if d.zip(p) == nil {
			return fmt.Errorf("no zip for %s in %s", p, d.dir)
		}
	}
	return nil
}

// verify compares a file's SHA-256 with the one SHA256SUMS lists.
func (d *dist) verify(a *artifact) error {
	path := filepath.Join(d.dir, a.name)
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s lists %s: %w", d.sums, a.name, err)
	}
	a.size = st.Size()
	got, err := sha256File(path)
	if err != nil {
		return err
	}
	if got != a.sha256 {
		return fmt.Errorf("%s: SHA-256 %s, but %s lists %s", path, got, d.sums, a.sha256)
	}
	return nil
}

// checkZip checks that a zip holds the provider binary of d.version for its
// platform, computes its h1: hash and, for this machine's platform, runs the
// binary with -version.
func (d *dist) checkZip(z *artifact) error {
	path := filepath.Join(d.dir, z.name)
	h1, err := hashZip(path)
	if err != nil {
		return err
	}
	z.h1 = h1
	name := binaryName(d.version, z.platform)
	content, err := zipEntry(path, name)
	if err != nil || z.platform != runtime.GOOS+"_"+runtime.GOARCH {
		return err
	}
	tmp, err := os.MkdirTemp("", "mirror-check")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	exe := filepath.Join(tmp, name)
	if err := os.WriteFile(exe, content, 0o755); err != nil {
		return err
	}
	out, err := exec.Command(exe, "-version").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s from %s -version: %w: %s", name, z.name, err, out)
	}
	want := providerName + " " + d.version
	if got := strings.TrimSpace(string(out)); got != want {
		return fmt.Errorf("%s from %s reports %q, want %q", name, z.name, got, want)
	}
	return nil
}

func (d *dist) zip(platform string) *artifact {
	for i := range d.zips {
		if d.zips[i].platform == platform {
			return &d.zips[i]
		}
	}
	return nil
}

func (d *dist) print(w io.Writer) {
	fmt.Fprintf(w, "version %s; %s lists %d zips and the manifest", d.version, d.sums, len(d.zips))
	if d.signed {
		fmt.Fprintf(w, "; signed (%s.sig)", d.sums)
	} else {
		fmt.Fprint(w, "; not signed")
	}
	fmt.Fprintln(w)
	all := append(slices.Clone(d.zips), d.manifest)
	width := 0
	for _, a := range all {
		width = max(width, len(a.name))
	}
	var total int64
	for _, a := range all {
		total += a.size
		fmt.Fprintf(w, "  %-*s %9s %10d B  sha256 %s\n", width, a.name, humanSize(a.size), a.size, a.sha256)
	}
	fmt.Fprintf(w, "  %-*s %9s %10d B\n", width, "total", humanSize(total), total)
}

func checkManifest(path string) error {
	m, err := artifacts.ReadManifest(path)
	if err != nil {
		return err
	}
	if !slices.Contains(m.Metadata.ProtocolVersions, "6.0") {
		return fmt.Errorf("%s: want protocol 6.0, got %q", path, m.Metadata.ProtocolVersions)
	}
	return nil
}

var (
	lockBlockPattern = regexp.MustCompile(`(?s)provider "([^"]+)" \{(.*?)\n\}`)
	lockVersion      = regexp.MustCompile(`\n\s*version\s*=\s*"([^"]+)"`)
	lockHashes       = regexp.MustCompile(`(?s)\n\s*hashes\s*=\s*\[(.*?)\]`)
	lockString       = regexp.MustCompile(`"([^"]+)"`)
)

// parseLock returns the version and hashes that a dependency lock file
// records for the provider at address.
func parseLock(src []byte, address string) (string, []string, error) {
	for _, m := range lockBlockPattern.FindAllSubmatch(src, -1) {
		if string(m[1]) != address {
			continue
		}
		v := lockVersion.FindSubmatch(m[2])
		h := lockHashes.FindSubmatch(m[2])
		if v == nil || h == nil {
			return "", nil, fmt.Errorf("the block of %s has no version or no hashes", address)
		}
		var hashes []string
		for _, s := range lockString.FindAllSubmatch(h[1], -1) {
			hashes = append(hashes, string(s[1]))
		}
		return string(v[1]), hashes, nil
	}
	return "", nil, fmt.Errorf("no provider %q block", address)
}

// checkLock compares the version and hashes of a lock file with the
// artifacts: an h1: hash for each platform in want and none other, and only
// zh: hashes that SHA256SUMS lists. When signed, the lock file was written
// from a registry whose SHA256SUMS signature the CLI verified, and it must
// record the zh: hash of every line of SHA256SUMS (the CLIs record them all,
// the manifest's too).
func checkLock(w io.Writer, d *dist, want []string, version string, hashes []string, signed bool) error {
	if version != d.version {
		return fmt.Errorf("the lock file records version %s, the artifacts are %s", version, d.version)
	}
	byH1 := map[string]string{}
	var lines []artifact // every line of SHA256SUMS
	for i := range d.zips {
		z := &d.zips[i]
		if z.h1 == "" {
			h1, err := hashZip(filepath.Join(d.dir, z.name))
			if err != nil {
				return err
			}
			z.h1 = h1
		}
		byH1[z.h1] = z.platform
		lines = append(lines, *z)
	}
	if d.manifest.name != "" {
		lines = append(lines, d.manifest)
	}
	byZH := map[string]artifact{}
	for _, a := range lines {
		byZH["zh:"+a.sha256] = a
	}
	covered, recordedZH := map[string]bool{}, map[string]bool{}
	var problems []string
	for _, h := range hashes {
		switch a, isZH := byZH[h]; {
		case strings.HasPrefix(h, "h1:") && byH1[h] != "":
			covered[byH1[h]] = true
			fmt.Fprintf(w, "  %-14s %s  = h1 of %s\n", byH1[h], h, d.zip(byH1[h]).name)
		case isZH:
			recordedZH[h] = true
			label := a.platform
			if label == "" {
				label = "(manifest)"
			}
			fmt.Fprintf(w, "  %-14s %s  = SHA256SUMS line of %s\n", label, h, a.name)
		default:
			problems = append(problems, fmt.Sprintf("the lock file records %s, which matches no artifact (no h1 of a zip, no line of %s)", h, d.sums))
		}
	}
	for _, p := range want {
		z := d.zip(p)
		switch {
		case z == nil:
			problems = append(problems, fmt.Sprintf("no artifact for %s", p))
		case !covered[p]:
			problems = append(problems, fmt.Sprintf("the lock file lacks %s, the h1 hash of %s", z.h1, z.name))
		}
		delete(covered, p)
	}
	for p := range covered {
		problems = append(problems, fmt.Sprintf("the lock file records the h1 hash of %s, a platform not asked for", p))
	}
	if signed {
		for _, a := range lines {
			if !recordedZH["zh:"+a.sha256] {
				problems = append(problems, fmt.Sprintf("the lock file lacks zh:%s, the line of %s in %s (signed: every line is recorded)", a.sha256, a.name, d.sums))
			}
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	zh := fmt.Sprintf("%d zh: hashes", len(recordedZH))
	if signed {
		zh = fmt.Sprintf("%d zh: hashes (every line of %s)", len(recordedZH), d.sums)
	}
	fmt.Fprintf(w, "lock file: version %s, %d h1: hashes (one per platform: %s), %s, all matching the artifacts\n",
		version, len(want), strings.Join(want, ", "), zh)
	return nil
}

// writeZip writes a zip holding one executable file, stored with method
// (zip.Store or zip.Deflate).
func writeZip(path, name string, content []byte, method uint16) error {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	hdr := &zip.FileHeader{Name: name, Method: method}
	hdr.SetMode(0o755)
	fw, err := zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	if _, err := fw.Write(content); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d B", n)
	}
}
