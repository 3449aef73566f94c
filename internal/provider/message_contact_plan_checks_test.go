package provider

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// What the directory already knows would make an apply fail is said at plan
// time, with the recovery. Terraform prints warnings only in its own output,
// so these tests run the CLI themselves (acctest.CLI) against the replayed
// server.

const testAccTakenID = "c-existingOps1"

// testAccPlanCheckCLI returns a CLI with main.tf holding the provider
// block, resources and extra, initialised.
func testAccPlanCheckCLI(t *testing.T, srv *acctest.Server) (*acctest.CLI, func(body string)) {
	cli := acctest.NewCLI(t, acctest.AnyCLI, testAccProtoV6ProviderFactories["alicloudrd"])
	write := func(body string) {
		cli.Write(t, "main.tf", fmt.Sprintf("terraform {\n  required_providers {\n    alicloudrd = { source = %q }\n  }\n}\n",
			acctest.ProviderSource)+srv.ProviderBlock()+body)
	}
	write("")
	if out, err := cli.Run(context.Background(), "init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return cli, write
}

func testAccOpsContact(address string) string {
	return fmt.Sprintf(`
resource "alicloudrd_message_contact" %q {
  name          = "Ops"
  email_address = "ops@example.com"
  title         = "TechnicalDirector"
  message_types = ["FaultMessage"]
}
`, address)
}

// testAccRun runs a command; wantOK says whether it must succeed. It returns
// the output and the exit code.
func testAccRun(t *testing.T, cli *acctest.CLI, wantOK bool, args ...string) (string, int) {
	t.Helper()
	// TF_INPUT=0 is set for every command (acctest.CLI).
	out, err := cli.Run(context.Background(), append([]string{args[0], "-no-color"}, args[1:]...)...)
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	if wantOK && code != 0 && (code != 2 || !slices.Contains(args, "-detailed-exitcode")) {
		t.Fatalf("terraform %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	if !wantOK && code == 0 {
		t.Fatalf("terraform %s succeeded; want it to fail\n%s", strings.Join(args, " "), out)
	}
	return out, code
}

// testAccExpectOutput checks that out matches each pattern (regular
// expressions, with white space in them matching any run of white space,
// since Terraform wraps its messages).
func testAccExpectOutput(t *testing.T, what, out string, patterns ...string) {
	t.Helper()
	for _, p := range patterns {
		re := regexp.MustCompile(strings.Join(strings.Fields(p), `\s+`))
		if !re.MatchString(out) {
			t.Errorf("%s: output lacks %q:\n%s", what, p, out)
		}
	}
}

// The second scenario: a contact with the planned name already
// exists (a killed apply created it, or someone else did) and the state
// knows nothing of it. The plan warns with its ID and the import block to
// paste; the apply's error names the same contact and block; pasting it
// adopts the contact. Then -replace, taint and a renamed address (with a
// moved block) keep working.
func TestAccMessageContactResource_nameTaken(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{Seed: []emulator.SeedContact{{
		ContactID: testAccTakenID, Name: "Ops", EmailAddress: "ops@example.com",
		Title: "TechnicalDirector", MessageTypes: []string{"FaultMessage"},
	}}})
	cli, write := testAccPlanCheckCLI(t, srv)
	recovery := []string{
		`with alicloudrd_message_contact.ops,`,
		`import { to = alicloudrd_message_contact.<name> id = "` + testAccTakenID + `" }`,
		"`identity = { contact_id = \"" + testAccTakenID + "\" }`",
		"add a `moved` block",
	}

	write(testAccOpsContact("ops"))
	out, _ := testAccRun(t, cli, true, "plan")
	testAccExpectOutput(t, "plan", out, append(recovery, `Warning: Message contact name "Ops" already used by `+testAccTakenID,
		`Plan: 1 to add`)...)

	out, _ = testAccRun(t, cli, false, "apply", "-auto-approve")
	testAccExpectOutput(t, "apply", out, append(recovery, `Error: Cannot create the message contact`,
		`InvalidParameter.Name.AlreadyUsed \(HTTP 400\)`, `RequestId: `, `Contact `+testAccTakenID+` has the name "Ops"`)...)

	// The recovery the plan named.
	write(testAccOpsContact("ops") + fmt.Sprintf("\nimport {\n  to = alicloudrd_message_contact.ops\n  id = %q\n}\n", testAccTakenID))
	out, _ = testAccRun(t, cli, true, "apply", "-auto-approve")
	testAccExpectOutput(t, "apply with the import block", out, `1 imported, 0 added, 0 changed, 0 destroyed`)
	if strings.Contains(out, "already used") {
		t.Errorf("apply with the import block still warns:\n%s", out)
	}
	write(testAccOpsContact("ops"))
	if out, code := testAccRun(t, cli, true, "plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("after the import, plan -detailed-exitcode exits %d:\n%s", code, out)
	}

	// -replace: the plan that deletes the contact first does not warn
	// about the name it frees.
	out, _ = testAccRun(t, cli, true, "apply", "-auto-approve", "-replace=alicloudrd_message_contact.ops")
	testAccExpectOutput(t, "apply -replace", out, `1 added, 0 changed, 1 destroyed`)
	if strings.Contains(out, "already used") {
		t.Errorf("apply -replace warns about the name of the contact it replaces:\n%s", out)
	}

	// taint: Terraform does not tell the provider that the plan deletes
	// the tainted contact first, so the plan warns; the apply works.
	testAccRun(t, cli, true, "taint", "alicloudrd_message_contact.ops")
	out, _ = testAccRun(t, cli, true, "apply", "-auto-approve")
	testAccExpectOutput(t, "apply after taint", out, `1 added, 0 changed, 1 destroyed`)

	// A renamed address: without a moved block the plan destroys and
	// creates, and the warning suggests the moved block; with it, the
	// contact moves.
	write(testAccOpsContact("oncall"))
	out, _ = testAccRun(t, cli, true, "plan")
	testAccExpectOutput(t, "plan of a renamed address", out, `Warning: Message contact name "Ops" already used by c-`,
		"add a `moved` block", `Plan: 1 to add, 0 to change, 1 to destroy`)
	write(testAccOpsContact("oncall") + "\nmoved {\n  from = alicloudrd_message_contact.ops\n  to   = alicloudrd_message_contact.oncall\n}\n")
	out, _ = testAccRun(t, cli, true, "apply", "-auto-approve")
	testAccExpectOutput(t, "apply with the moved block", out, `0 added, 0 changed, 0 destroyed`)
	if out, code := testAccRun(t, cli, true, "plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("after the move, plan -detailed-exitcode exits %d:\n%s", code, out)
	}

	// The contact is deleted outside, and another one with its name made
	// (what an apply killed after recreating it leaves): the state still
	// holds the address, so the advice is to refresh first, then import.
	api := testAccMessageContactClient(t, srv)
	st, err := cli.Run(context.Background(), "state", "show", "-no-color", "alicloudrd_message_contact.oncall")
	if err != nil {
		t.Fatalf("%v\n%s", err, st)
	}
	old := regexp.MustCompile(`id\s+= "(c-[A-Za-z0-9]{12})"`).FindStringSubmatch(st)
	if old == nil {
		t.Fatalf("no contact ID in the state:\n%s", st)
	}
	srv.Outside(func(e *emulator.Emulator) error { return e.DeleteContact(old[1]) })()
	added, err := api.AddMessageContact(context.Background(), rdclient.AddMessageContactInput{
		Name: "Ops", EmailAddress: "ops@example.com", Title: "TechnicalDirector", MessageTypes: []string{"FaultMessage"},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, _ = testAccRun(t, cli, true, "plan")
	testAccExpectOutput(t, "plan after the contact was recreated outside", out,
		`Warning: Message contact name "Ops" already used by `+added.ContactID, "run `terraform apply -refresh-only` first")
	testAccRun(t, cli, true, "apply", "-refresh-only", "-auto-approve")
	write(testAccOpsContact("oncall") + fmt.Sprintf("\nimport {\n  to = alicloudrd_message_contact.oncall\n  id = %q\n}\n", added.ContactID))
	out, _ = testAccRun(t, cli, true, "apply", "-auto-approve")
	testAccExpectOutput(t, "apply with the import block", out, `1 imported, 0 added, 0 changed, 0 destroyed`)
	if out, code := testAccRun(t, cli, true, "plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("after the import, plan -detailed-exitcode exits %d:\n%s", code, out)
	}
	testAccRun(t, cli, true, "destroy", "-auto-approve")
}

// A directory that already holds the most contacts it can: the plan of a
// new contact warns; the apply fails with the quota error.
func TestAccMessageContactResource_quotaAtPlan(t *testing.T) {
	seed := make([]emulator.SeedContact, maxDirectoryContacts)
	for i := range seed {
		seed[i] = emulator.SeedContact{
			ContactID: fmt.Sprintf("c-seedContac%02d", i), Name: "Seed" + string(rune('a'+i)),
			EmailAddress: fmt.Sprintf("seed%d@example.com", i), Title: "Other", MessageTypes: []string{"ServiceMessage"},
		}
	}
	srv := acctest.NewServer(t, acctest.Options{Seed: seed})
	cli, write := testAccPlanCheckCLI(t, srv)
	write(testAccOpsContact("ops"))
	out, _ := testAccRun(t, cli, true, "plan")
	testAccExpectOutput(t, "plan", out, `Warning: The resource directory has no room for another message contact`,
		`already holds 20 message contacts`)
	out, _ = testAccRun(t, cli, false, "apply", "-auto-approve")
	testAccExpectOutput(t, "apply", out, `QuotaExceeded.Contacts \(HTTP 400\)`, `RequestId: `)
}
