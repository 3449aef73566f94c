//go:build unix

package histories

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"pgregory.net/rapid"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/provider"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// TestHistories runs random histories in each read mode of the emulator, the
// two in parallel. `make testacc-model` sets how many (-rapid.checks), their
// length (-rapid.steps) and the seed (-rapid.seed). A failing history is
// shrunk, and its steps are printed as a script: the configurations, the
// acts outside Terraform and the commands.
func TestHistories(t *testing.T) {
	if os.Getenv("ALICLOUDRD_HISTORIES") == "" {
		t.Skip("histories run with `make testacc-model` (ALICLOUDRD_HISTORIES=1), which sizes them")
	}
	for _, mode := range []string{emulator.ReadModeRequested, emulator.ReadModeEffective} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			w := newWorkspace(t)
			rapid.Check(t, func(rt *rapid.T) {
				h := newHistory(rt, w, mode)
				defer h.close()
				rt.Repeat(h.actions())
			})
		})
	}
}

// workspace is a Terraform working directory, initialised once, with the
// provider served in the test process; each history starts it with no
// state.
type workspace struct {
	cli   *acctest.CLI
	what  acctest.CLIVersion
	stats *stats
}

// stats are the figures a run of histories prints at its end.
type stats struct {
	histories, steps, commands, kills atomic.Int64
}

func providerServer() (tfprotov6.ProviderServer, error) {
	return acctest.Factories(provider.New("test",
		provider.WithPollInterval(20*time.Millisecond),
		provider.WithRetryBackoff(time.Millisecond, 20*time.Millisecond),
	))["alicloudrd"]()
}

func newWorkspace(t *testing.T) *workspace {
	cli := acctest.NewCLI(t, acctest.AnyCLI, providerServer)
	v, _, err := cli.TF.Version(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	cli.Write(t, "main.tf", (&config{endpoint: "http://127.0.0.1:1"}).hcl())
	if out, err := cli.Run(context.Background(), "init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("terraform init: %v\n%s", err, out)
	}
	w := &workspace{cli: cli, what: acctest.CLIVersion{Kind: cli.Kind, Version: v}, stats: &stats{}}
	t.Cleanup(func() {
		t.Logf("%d histories, %d steps, %d Terraform commands, %d applies killed (%s)",
			w.stats.histories.Load(), w.stats.steps.Load(), w.stats.commands.Load(), w.stats.kills.Load(), w.what)
	})
	return w
}

// identityImports tells whether the CLI imports by identity (Terraform and
// OpenTofu 1.12+).
func (w *workspace) identityImports() bool {
	return acctest.IdentityImport.Lacks(w.what) == ""
}

// history is one run: a fresh emulator, no state, a configuration that
// starts empty, and what the history knows of the world.
type history struct {
	rt   *rapid.T
	w    *workspace
	emu  *emulator.Emulator
	srv  *httptest.Server
	api  *rdclient.Client // acts outside Terraform through the API
	cfg  *config
	mode string // the emulator's read mode

	fresh int // counter of fresh names and values
	// foreign are the contacts that were there before Terraform: never
	// Terraform's to delete, unless imported.
	foreign []string
	// owned are the contacts Terraform created or imported: the IDs ever
	// seen in its state.
	owned map[string]bool
	// requested are the values Terraform asked for (a contact's email
	// address or phone number, a pending update): the only ones it may
	// cancel.
	requested map[string]bool
	// goneOutside are the contacts deleted outside Terraform.
	goneOutside map[string]bool
	// converged is true after a successful apply whose plan was empty,
	// until the configuration or the world changes.
	converged  bool
	faulty     bool // faults are set for the next command
	nextFaults emulator.Faults

	hook atomic.Pointer[func(emulator.Call)]
}

func newHistory(rt *rapid.T, w *workspace, mode string) *history {
	h := &history{rt: rt, w: w, mode: mode, owned: map[string]bool{}, requested: map[string]bool{}, goneOutside: map[string]bool{}}
	h.emu = emulator.New(emulator.Config{
		KeyPairs:    []emulator.KeyPair{{AccessKeyID: acctest.AccessKeyID, AccessKeySecret: acctest.AccessKeySecret}},
		ReadMode:    mode,
		DeleteDelay: 50 * time.Millisecond,
		AfterCall: func(c emulator.Call) {
			if f := h.hook.Load(); f != nil {
				(*f)(c)
			}
		},
	})
	h.srv = httptest.NewServer(h.emu)
	cred, err := rdclient.NewCredential(rdclient.CredentialConfig{AccessKey: acctest.AccessKeyID, SecretKey: acctest.AccessKeySecret})
	if err != nil {
		rt.Fatal(err)
	}
	api, err := rdclient.New(rdclient.Config{Endpoint: h.srv.URL, Credential: cred, MaxRetries: 0})
	if err != nil {
		rt.Fatal(err)
	}
	h.api = api
	h.cfg = &config{endpoint: h.srv.URL, contacts: map[int]*contact{}, imports: map[string]string{}}
	for _, f := range []string{"terraform.tfstate", "terraform.tfstate.backup", ".terraform.tfstate.lock.info"} {
		_ = os.Remove(filepath.Join(w.cli.Dir, f)) // absent at the first history
	}
	// Contacts that were there before Terraform.
	n := rapid.IntRange(0, 2).Draw(rt, "foreignContacts")
	var seed []emulator.SeedContact
	for i := range n {
		id := fmt.Sprintf("c-foreign%04d%c", i, 'A'+i)
		seed = append(seed, emulator.SeedContact{
			ContactID: id, Name: "Foreign" + letters(i), EmailAddress: fmt.Sprintf("foreign%d@example.com", i),
			PhoneNumber: phoneNumber(900 + i), Title: "Other", MessageTypes: []string{"ServiceMessage"},
			Members: []string{memberPool[i]},
		})
		h.foreign = append(h.foreign, id)
	}
	if err := h.emu.SeedContacts(seed); err != nil {
		rt.Fatal(err)
	}
	h.writeConfig()
	w.stats.histories.Add(1)
	rt.Logf("# a history against an emulator in read mode %s at %s; contacts there before Terraform: %v", mode, h.srv.URL, h.foreign)
	return h
}

func (h *history) close() {
	h.hook.Store(nil)
	h.srv.Close()
}

// writeConfig writes main.tf and logs it as a step of the script.
func (h *history) writeConfig() {
	text := h.cfg.hcl()
	if err := os.WriteFile(filepath.Join(h.w.cli.Dir, "main.tf"), []byte(text), 0o600); err != nil {
		h.rt.Fatal(err)
	}
	h.converged = false
	h.rt.Logf("cat > main.tf <<'EOF'\n%sEOF", text)
}

// outside logs an act outside Terraform; the world has changed.
func (h *history) outside(format string, args ...any) {
	h.converged = false
	h.rt.Logf("# outside Terraform: "+format, args...)
}

// result is what a Terraform command did.
type result struct {
	args   []string
	out    string
	code   int
	killed bool
	calls  []emulator.Call // the API calls served while it ran
}

func (r result) String() string { return "terraform " + strings.Join(r.args, " ") }

// run runs a Terraform command. With killAt > 0 it kills the command's
// process group once the emulator has served that many calls.
func (h *history) run(killAt int, args ...string) result {
	h.w.stats.commands.Add(1)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd, err := h.w.cli.Command(ctx, args...)
	if err != nil {
		h.rt.Fatal(err)
	}
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}

	var mu sync.Mutex
	var calls []emulator.Call
	var killed atomic.Bool
	started := make(chan struct{})
	hook := func(c emulator.Call) {
		mu.Lock()
		calls = append(calls, c)
		n := len(calls)
		mu.Unlock()
		if killAt > 0 && n == killAt {
			<-started
			killed.Store(true)
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	}
	h.hook.Store(&hook)
	h.emu.SetFaults(h.nextFaults)
	if err := cmd.Start(); err != nil {
		h.rt.Fatal(err)
	}
	close(started)
	err = cmd.Wait()
	if killed.Load() {
		h.quiesce(&mu, &calls)
	}
	h.hook.Store(nil)
	h.nextFaults = emulator.Faults{}
	h.emu.SetFaults(h.nextFaults)

	r := result{args: args, out: buf.String(), killed: killed.Load()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
		if r.code < 0 { // killed by a signal
			r.code = 137
		}
	default:
		h.rt.Fatalf("%s: %v", r, err)
	}
	mu.Lock()
	r.calls = append([]emulator.Call(nil), calls...)
	mu.Unlock()
	note := ""
	if r.killed {
		note = fmt.Sprintf(", killed once the API had served %d calls", killAt)
	}
	h.rt.Logf("%s   # exit %d%s; API calls: %s", r, r.code, note, callList(r.calls))
	h.checkOutput(r)
	return r
}

// quiesce waits until the provider, which outlives the killed CLI, has made
// its last call: no call for 300ms.
func (h *history) quiesce(mu *sync.Mutex, calls *[]emulator.Call) {
	deadline := time.Now().Add(10 * time.Second)
	mu.Lock()
	last := len(*calls)
	mu.Unlock()
	for time.Now().Before(deadline) {
		time.Sleep(300 * time.Millisecond)
		mu.Lock()
		n := len(*calls)
		mu.Unlock()
		if n == last {
			return
		}
		last = n
	}
}

func callList(calls []emulator.Call) string {
	if len(calls) == 0 {
		return "none"
	}
	s := make([]string, len(calls))
	for i, c := range calls {
		s[i] = c.String()
	}
	return strings.Join(s, " ")
}

// setFaults injects faults into the next command only (acts outside
// Terraform before it do not see them).
func (h *history) setFaults(f emulator.Faults) {
	h.nextFaults = f
	h.faulty = true
	h.converged = false
}

// state reads Terraform's state: each resource's attributes by address.
func (h *history) state() map[string]map[string]any {
	out, err := h.w.cli.Run(context.Background(), "show", "-json", "-no-color")
	if err != nil {
		h.rt.Fatalf("terraform show -json: %v\n%s", err, out)
	}
	var st tfjson.State
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		h.rt.Fatalf("terraform show -json: %v", err)
	}
	res := map[string]map[string]any{}
	if st.Values == nil || st.Values.RootModule == nil {
		return res
	}
	for _, r := range st.Values.RootModule.Resources {
		res[r.Address] = r.AttributeValues
	}
	return res
}

// contactIDs are the IDs of the contacts in state, by address; each is
// owned from then on.
func (h *history) contactIDs(st map[string]map[string]any) map[string]string {
	ids := map[string]string{}
	for addr, attrs := range st {
		if strings.HasPrefix(addr, "alicloudrd_message_contact.") {
			if id, _ := attrs["id"].(string); id != "" {
				ids[addr] = id
				h.owned[id] = true
			}
		}
	}
	return ids
}

func str(attrs map[string]any, name string) string {
	s, _ := attrs[name].(string)
	return s
}
