package histories

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
)

// The model: the configuration a user keeps, which the history edits, and
// what Terraform is known to own in the directory.

// kind is the kind of a pending change: a phone number or an email address.
type kind string

const (
	phone kind = "phone"
	email kind = "email"
)

var kinds = []kind{phone, email}

// update is an alicloudrd_message_contact_pending_update of a contact.
type update struct {
	value            string
	sendVerification bool
}

// contact is an alicloudrd_message_contact of the configuration, at the
// address alicloudrd_message_contact.c<slot>.
type contact struct {
	slot    int
	name    string
	email   string
	phone   string // "": not set (not managed)
	title   string
	types   []string
	members []string // nil: not set (not managed)
	// ignore lists the attributes in lifecycle.ignore_changes.
	ignore  []string
	updates map[kind]update
}

func (c *contact) address() string { return fmt.Sprintf("alicloudrd_message_contact.c%d", c.slot) }

func updateAddress(slot int, k kind) string {
	return fmt.Sprintf("alicloudrd_message_contact_pending_update.c%d_%s", slot, k)
}

func (c *contact) ignores(attr string) bool { return slices.Contains(c.ignore, attr) }

// managesPhone tells whether the contact resource sets the phone number
// itself (a pending update may also ask for one: then it ignores changes).
func (c *contact) managesPhone() bool { return c.phone != "" && !c.ignores("phone_number") }

func (c *contact) managesEmail() bool { return !c.ignores("email_address") }

// config is the whole configuration.
type config struct {
	endpoint string
	contacts map[int]*contact
	// imports are import blocks, address to contact ID (Terraform 1.5+),
	// or identity blocks when identity is set (Terraform 1.12+).
	imports  map[string]string
	identity bool
}

func (cfg *config) slots() []int {
	var out []int
	for s := range cfg.contacts {
		out = append(out, s)
	}
	sort.Ints(out)
	return out
}

// hcl renders the configuration as main.tf.
func (cfg *config) hcl() string {
	var b strings.Builder
	fmt.Fprintf(&b, "terraform {\n  required_providers {\n    alicloudrd = { source = %q }\n  }\n}\n", acctest.ProviderSource)
	b.WriteString(acctest.ProviderBlock(cfg.endpoint, acctest.AccessKeyID, acctest.AccessKeySecret, ""))
	for _, s := range cfg.slots() {
		c := cfg.contacts[s]
		fmt.Fprintf(&b, "\nresource \"alicloudrd_message_contact\" \"c%d\" {\n", s)
		fmt.Fprintf(&b, "  name          = %q\n", c.name)
		fmt.Fprintf(&b, "  email_address = %q\n", c.email)
		if c.phone != "" {
			fmt.Fprintf(&b, "  phone_number  = %q\n", c.phone)
		}
		fmt.Fprintf(&b, "  title         = %q\n", c.title)
		fmt.Fprintf(&b, "  message_types = [%s]\n", quoted(c.types))
		if c.members != nil {
			fmt.Fprintf(&b, "  members       = [%s]\n", quoted(c.members))
		}
		if len(c.ignore) > 0 {
			fmt.Fprintf(&b, "\n  lifecycle {\n    ignore_changes = [%s]\n  }\n", strings.Join(c.ignore, ", "))
		}
		b.WriteString("}\n")
		for _, k := range kinds {
			u, ok := c.updates[k]
			if !ok {
				continue
			}
			fmt.Fprintf(&b, "\nresource \"alicloudrd_message_contact_pending_update\" \"c%d_%s\" {\n", s, k)
			fmt.Fprintf(&b, "  contact_id        = alicloudrd_message_contact.c%d.id\n", s)
			attr := "phone_number"
			if k == email {
				attr = "email_address"
			}
			fmt.Fprintf(&b, "  %-17s = %q\n", attr, u.value)
			if !u.sendVerification {
				b.WriteString("  send_verification = false\n")
			}
			b.WriteString("}\n")
		}
	}
	addrs := make([]string, 0, len(cfg.imports))
	for a := range cfg.imports {
		addrs = append(addrs, a)
	}
	sort.Strings(addrs)
	for _, a := range addrs {
		if cfg.identity {
			fmt.Fprintf(&b, "\nimport {\n  to = %s\n  identity = {\n    contact_id = %q\n  }\n}\n", a, cfg.imports[a])
		} else {
			fmt.Fprintf(&b, "\nimport {\n  to = %s\n  id = %q\n}\n", a, cfg.imports[a])
		}
	}
	return b.String()
}

func quoted(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// Value pools. Names are fresh for every contact and rename (letters only,
// as the API wants), so two configured contacts never race for a name.
var (
	titles       = []string{"FinanceDirector", "TechnicalDirector", "MaintenanceDirector", "CEO", "ProjectDirector", "Other"}
	messageTypes = []string{"ServiceMessage", "FaultMessage", "AccountExpenses", "SecurityMessage", "ActivityMessage", "ProductMessage"}
	memberPool   = []string{"rd-hist01", "fd-hist01", "fd-hist02", "1000000000000101", "1000000000000102"}
)

// letters spells n in base 26 with lower-case letters, at least two.
func letters(n int) string {
	s := ""
	for i := 0; i < 2 || n > 0; i++ {
		s = string(rune('a'+n%26)) + s
		n /= 26
	}
	return s
}

// phoneNumber is a mainland mobile number of the china site.
func phoneNumber(n int) string { return fmt.Sprintf("86-139%08d", n) }

func emailAddress(slot, n int) string { return fmt.Sprintf("c%d.%s@example.com", slot, letters(n)) }
