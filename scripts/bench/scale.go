package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// scaleConfig is n contacts, each with one pending email change. The
// change is requested without a verification message: the API (and the
// emulator) allow 100 messages a day per account, fewer than 500.
const scaleConfig = `variable "names" {
  type = list(string)
}

resource "alicloudrd_message_contact" "c" {
  count         = length(var.names)
  name          = var.names[count.index]
  email_address = "ops${count.index}@example.com"
  title         = "TechnicalDirector"
  message_types = ["ServiceMessage"]

  lifecycle {
    # The pending update below owns the email address.
    ignore_changes = [email_address]
  }
}

resource "alicloudrd_message_contact_pending_update" "u" {
  count             = length(var.names)
  contact_id        = alicloudrd_message_contact.c[count.index].id
  email_address     = "new${count.index}@example.com"
  send_verification = false
}
`

// scaleStep is one command of one scale run.
type scaleStep struct {
	wall     time.Duration
	calls    int
	byAction []actionCount
	provider providerUsage
	tfCPU    time.Duration // Terraform's own CPU (the provider's excluded)
}

// scaleRun is apply, plan and destroy at one size.
type scaleRun struct {
	size                 int
	apply, plan, destroy scaleStep
}

// contactNames returns n distinct valid contact names (letters only).
func contactNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("Bench%c%c%c", 'a'+i/676%26, 'a'+i/26%26, 'a'+i%26)
	}
	return names
}

func runScale(ctx context.Context, env *tfEnv, emulatorBin, dir string, size, run int) (scaleRun, error) {
	r := scaleRun{size: size}
	runDir := filepath.Join(dir, fmt.Sprintf("n%d-run%d", size, run))
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return r, err
	}
	emu, err := startEmulator(ctx, emulatorBin, runDir, "emulator", env.secret, "-max-contacts", fmt.Sprint(size+10))
	if err != nil {
		return r, err
	}
	defer emu.stop()
	ws, err := env.workspace(runDir, emu.endpoint)
	if err != nil {
		return r, err
	}
	vars, _ := json.Marshal(map[string]any{"names": contactNames(size)})
	if err := ws.write("main.tf", providerBlock+scaleConfig); err != nil {
		return r, err
	}
	if err := ws.write("terraform.tfvars.json", string(vars)); err != nil {
		return r, err
	}
	counter, err := newCallCounter(emu)
	if err != nil {
		return r, err
	}
	par := fmt.Sprintf("-parallelism=%d", env.parallelism)
	steps := []struct {
		into *scaleStep
		args []string
	}{
		{&r.apply, []string{"apply", "-auto-approve", "-input=false", par}},
		{&r.plan, []string{"plan", "-input=false", "-detailed-exitcode", par}},
		{&r.destroy, []string{"destroy", "-auto-approve", "-input=false", par}},
	}
	for _, st := range steps {
		res, err := ws.run(ctx, st.args)
		if err != nil {
			return r, err
		}
		calls, err := counter.next()
		if err != nil {
			return r, err
		}
		if n := calls.failed(); n > 0 {
			return r, fmt.Errorf("terraform %s at %d contacts: %d API calls failed (%s)", st.args[0], size, n, calls.byAction())
		}
		*st.into = scaleStep{wall: res.wall, calls: calls.total(), byAction: calls.actionCounts(), provider: res.provider,
			tfCPU: max(res.cpu-res.provider.cpu, 0)}
		progress("scale: %d contacts, run %d: %s %.2fs, %d calls", size, run, st.args[0], res.wall.Seconds(), calls.total())
	}
	left, err := emu.contactCount()
	if err != nil {
		return r, err
	}
	if left != 0 {
		return r, fmt.Errorf("after destroy at %d contacts, the emulator still holds %d", size, left)
	}
	return r, nil
}
