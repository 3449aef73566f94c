package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Credentials the emulators of a benchmark run accept.
const (
	benchAccessKeyID = "LTAI5tBenchKey000001"
	benchRegion      = "cn-shanghai"
)

// emulatorProc is a running alicloudrd-emulator program.
type emulatorProc struct {
	cmd      *exec.Cmd
	endpoint string
	logPath  string
	done     chan error
	http     *http.Client
}

// apiCall is one line of GET /_emulator/calls.
type apiCall struct {
	Action string `json:"action"`
	Code   string `json:"code"`
	Status int    `json:"status"`
}

// startEmulator starts the emulator program on a free loopback port and
// waits for its endpoint line. Its log goes to dir/name.log.
func startEmulator(ctx context.Context, bin, dir, name, secret string, args ...string) (*emulatorProc, error) {
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	all := append([]string{"-listen", "127.0.0.1:0", "-access-key-id", benchAccessKeyID, "-access-key-secret", secret}, args...)
	cmd := exec.CommandContext(ctx, bin, all...)
	cmd.Stdout = logFile
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	e := &emulatorProc{cmd: cmd, logPath: logPath, done: make(chan error, 1),
		http: &http.Client{Timeout: 30 * time.Second}}
	go func() { e.done <- cmd.Wait() }()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if ep := readEndpoint(logPath); ep != "" {
			e.endpoint = ep
			return e, nil
		}
		select {
		case err := <-e.done:
			return nil, fmt.Errorf("the emulator exited (%v): %s", err, strings.TrimSpace(stderr.String()))
		case <-time.After(20 * time.Millisecond):
		}
	}
	e.stop()
	return nil, errors.New("the emulator did not print its endpoint within 15s")
}

func readEndpoint(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(line, "endpoint="))
}

// stop ends the emulator (SIGINT, then SIGKILL after 5s) and waits for it.
func (e *emulatorProc) stop() {
	if e == nil || e.cmd.Process == nil {
		return
	}
	_ = e.cmd.Process.Signal(os.Interrupt)
	var exit error
	select {
	case exit = <-e.done:
	case <-time.After(5 * time.Second):
		_ = e.cmd.Process.Kill()
		exit = <-e.done
	}
	// The exit status only reports the signal just sent.
	_ = exit
}

// calls returns every API call the emulator served so far.
func (e *emulatorProc) calls() ([]apiCall, error) {
	resp, err := e.http.Get(e.endpoint + "/_emulator/calls")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return nil, fmt.Errorf("GET /_emulator/calls: %s: %s", resp.Status, b)
	}
	var out []apiCall
	dec := json.NewDecoder(resp.Body)
	for {
		var c apiCall
		if err := dec.Decode(&c); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("GET /_emulator/calls: %w", err)
		}
		out = append(out, c)
	}
}

// contactCount returns how many contacts the emulator holds.
func (e *emulatorProc) contactCount() (int, error) {
	resp, err := e.http.Get(e.endpoint + "/_emulator/contacts")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var cs []json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&cs); err != nil {
		return 0, fmt.Errorf("GET /_emulator/contacts: %w", err)
	}
	return len(cs), nil
}

// verify completes a pending verification, as the owner of the target would.
func (e *emulatorProc) verify(contactID, target string) error {
	q := url.Values{"ContactId": {contactID}, "Target": {target}}
	resp, err := e.http.Post(e.endpoint+"/_emulator/verify?"+q.Encode(), "", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("verify %s %s: %s: %s", contactID, target, resp.Status, b)
	}
	return nil
}

// callCounter measures the calls made between two points.
type callCounter struct {
	emu  *emulatorProc
	seen int
}

func newCallCounter(e *emulatorProc) (*callCounter, error) {
	cs, err := e.calls()
	if err != nil {
		return nil, err
	}
	return &callCounter{emu: e, seen: len(cs)}, nil
}

// next returns the calls made since the previous call of next (or since
// the counter was made).
func (c *callCounter) next() (callSet, error) {
	cs, err := c.emu.calls()
	if err != nil {
		return callSet{}, err
	}
	if len(cs) < c.seen {
		return callSet{}, fmt.Errorf("the emulator forgot calls (%d < %d)", len(cs), c.seen)
	}
	out := callSet{calls: cs[c.seen:]}
	c.seen = len(cs)
	return out, nil
}

// callSet is the calls of one step.
type callSet struct {
	calls []apiCall
}

func (s callSet) total() int { return len(s.calls) }

// failed counts the calls answered with an error.
func (s callSet) failed() int {
	n := 0
	for _, c := range s.calls {
		if c.Status >= 400 {
			n++
		}
	}
	return n
}

// byAction is "N×Action" terms, in the order the actions first appear.
func (s callSet) byAction() string {
	if len(s.calls) == 0 {
		return "—"
	}
	counts := map[string]int{}
	var order []string
	for _, c := range s.calls {
		name := c.Action
		if c.Code != "" {
			name += " (" + c.Code + ")"
		}
		if counts[name] == 0 {
			order = append(order, name)
		}
		counts[name]++
	}
	parts := make([]string, 0, len(order))
	for _, a := range order {
		if counts[a] == 1 {
			parts = append(parts, a)
		} else {
			parts = append(parts, fmt.Sprintf("%d× %s", counts[a], a))
		}
	}
	return strings.Join(parts, " + ")
}

// actionCounts is the count per action, sorted by action.
func (s callSet) actionCounts() []actionCount {
	counts := map[string]int{}
	for _, c := range s.calls {
		counts[c.Action]++
	}
	out := make([]actionCount, 0, len(counts))
	for a, n := range counts {
		out = append(out, actionCount{a, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].action < out[j].action })
	return out
}

type actionCount struct {
	action string
	n      int
}
