package emulator_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

// The emulator's input rules (rules.go) and the provider's plan-time
// validators (internal/validators) are written separately on purpose. These
// tables pin, for each input, what each side says, so that a change in
// either fails here and every place where they disagree is listed with the
// reason (internal/emulator/README.md "Field rules").
//
// Columns: the input; the error code the emulator's rule gives ("" when it
// accepts; for PhoneNumber one column per site); whether the provider's
// validator accepts it; and, exactly when the two disagree, why that is
// intended. An empty input is the rule alone: the actions answer an empty
// parameter with MissingParameter.<field> first.

// Error codes, shortened for the tables.
const (
	ok        = ""
	badName   = "InvalidParameter.Name"
	nameLen   = "InvalidParameter.Name.Length"
	badEmail  = "InvalidParameter.EmailAddress"
	badPhone  = "InvalidParameter.PhoneNumber"
	wrongSite = "InvalidParameter.MobileCountryCode"
	badTitle  = "InvalidParameter.Title"
	badType   = "InvalidParameter.MessageTypes"
	badID     = "InvalidParameter.ContactId"
	badMember = "InvalidParameter.Members"
)

// ruleRow is one input of a site-independent field.
type ruleRow struct {
	in       string
	emulator string // the emulator rule's error code, "" when it accepts
	provider bool   // the provider validator accepts
	differs  string // why the two intentionally disagree; "" when they agree
}

// phoneRow is one phone number input: the emulator's rule depends on the
// site, the provider's validator does not.
type phoneRow struct {
	in          string
	china, intl string // the emulator rule's error code on each site
	provider    bool
	differs     string
}

var (
	local64 = strings.Repeat("a", 64)
	label63 = strings.Repeat("b", 63)
	// email254 is an address of exactly 254 characters.
	email254 = local64 + "@" + label63 + "." + label63 + "." + strings.Repeat("c", 61)
	han12    = "欧阳娜娜张三李四王五赵六"
	alnum64  = strings.Repeat("Ab1", 21) + "x"
)

var nameRows = []ruleRow{
	{"Alice", ok, true, ""},
	{"ab", ok, true, ""},
	{"abcdefghijkl", ok, true, ""},
	{"张三", ok, true, ""},
	{"李四Li", ok, true, ""},
	{han12, ok, true, ""},
	{"𠀀𠀁", ok, true, ""}, // Han outside the Basic Multilingual Plane
	{"", nameLen, false, ""},
	{"a", nameLen, false, ""},
	{"张", nameLen, false, ""},
	{"abcdefghijklm", nameLen, false, ""},
	{han12 + "七", nameLen, false, ""},
	{"abcdefghijkl1", nameLen, false, ""}, // the emulator checks the length first
	{"Al1ce", badName, false, ""},
	{"Al ice", badName, false, ""},
	{" Alice", badName, false, ""},
	{"Ali-ce", badName, false, ""},
	{"Zoë", badName, false, ""},
	{"Алиса", badName, false, ""},
	{"Ａｌｉｃｅ", badName, false, ""},
	{"\xff\xfe", badName, false, ""},
}

var emailRows = []ruleRow{
	{"ops@example.com", ok, true, ""},
	{"dm.ldm@gmail.com", ok, true, ""},
	{"UPPER@EXAMPLE.COM", ok, true, ""},
	{"Ops@Example.com", ok, true, ""},
	{"a+tag@sub.example.co.uk", ok, true, ""},
	{"ops+alerts+2024@example.com", ok, true, ""},
	{"x_y-z@a-b.io", ok, true, ""},
	{"o'brien@example.ie", ok, true, ""},
	{"1234@163.com", ok, true, ""},
	{"alice@example.c", ok, true, ""},
	{"user@example.xn--p1ai", ok, true, ""},
	{"user@xn--fsqu00a.xn--fiqs8s", ok, true, ""},
	{local64 + "@example.com", ok, true, ""},
	{"a@" + label63 + ".com", ok, true, ""},
	{email254, ok, true, ""},
	{"user_name@xn--fiqs8s", badEmail, true,
		"the API takes local@domain.tld: the emulator wants a dot in the domain; the provider also lets through a dotless internationalized top-level domain, which the API would then reject at apply"},
	{"", badEmail, false, ""},
	{"Ops <ops@example.com>", badEmail, false, ""},
	{"<ops@example.com>", badEmail, false, ""},
	{"mailto:ops@example.com", badEmail, false, ""},
	{" ops@example.com", badEmail, false, ""},
	{"ops@example.com\n", badEmail, false, ""},
	{"ops@example", badEmail, false, ""},
	{"ops@localhost", badEmail, false, ""},
	{"a@@example.com", badEmail, false, ""},
	{"a@b@example.com", badEmail, false, ""},
	{"@example.com", badEmail, false, ""},
	{"alice@", badEmail, false, ""},
	{"a..b@example.com", badEmail, false, ""},
	{".a@example.com", badEmail, false, ""},
	{"a.@example.com", badEmail, false, ""},
	{"a b@example.com", badEmail, false, ""},
	{`"quoted"@example.com`, badEmail, false, ""},
	{"alice@-example.com", badEmail, false, ""},
	{"alice@example-.com", badEmail, false, ""},
	{"alice@example..com", badEmail, false, ""},
	{"alice@exa_mple.com", badEmail, false, ""},
	{"alice@example.com.", badEmail, false, ""},
	{"alice@[192.0.2.1]", badEmail, false, ""},
	{"alice@192.0.2.1", badEmail, false, ""},
	{"张三@example.com", badEmail, false, ""},
	{"user@例子.中国", badEmail, false, ""},
	{"ops＠example.com", badEmail, false, ""},
	{"a" + local64 + "@example.com", badEmail, false, ""},
	{"a@b" + label63 + ".com", badEmail, false, ""},
	{"a" + email254, badEmail, false, ""},
}

// noPlan is why the emulator, on the international site, accepts numbers
// the provider's validator rejects from the numbering plans.
const noPlan = "the API reference gives only <country code>-<digits>: the emulator holds no numbering plans and takes any 4–14 digit national number; the provider checks the plan at plan time"

var phoneRows = []phoneRow{
	{"86-13912341234", ok, wrongSite, true, ""},
	{"86-19912345678", ok, wrongSite, true, ""},
	{"86-12912341234", badPhone, wrongSite, false, ""},
	{"86-1391234123", badPhone, wrongSite, false, ""},
	{"86-139123412345", badPhone, wrongSite, false, ""},
	{"86-013912341234", badPhone, wrongSite, false, ""},
	{"86-01012345678", badPhone, wrongSite, false, ""},
	{"44-7911123456", wrongSite, ok, true, ""},
	{"852-51234567", wrongSite, ok, true, ""},
	{"1-6502530000", wrongSite, ok, true, ""},
	{"44-2071234567", wrongSite, ok, false, noPlan + " (a fixed-line number cannot receive SMS)"},
	{"44-07911123456", wrongSite, ok, false, noPlan + " (national trunk prefix)"},
	{"999-12345678", wrongSite, ok, false, noPlan + " (unassigned country code)"},
	{"852-12345678901234", wrongSite, ok, false, noPlan + " (17 digits, more than E.164 allows)"},
	{"44-791", wrongSite, badPhone, false, ""},
	{"44-791112345678901", wrongSite, badPhone, false, ""},
	{"", badPhone, badPhone, false, ""},
	{"13912341234", badPhone, badPhone, false, ""},
	{"8613912341234", badPhone, badPhone, false, ""},
	{"+86-13912341234", badPhone, badPhone, false, ""},
	{"+86 139 1234 1234", badPhone, badPhone, false, ""},
	{"86 13912341234", badPhone, badPhone, false, ""},
	{"86-139 1234 1234", badPhone, badPhone, false, ""},
	{"86-139-1234-1234", badPhone, badPhone, false, ""},
	{"86-13912341234 ", badPhone, badPhone, false, ""},
	{"86-１３９１２３４１２３４", badPhone, badPhone, false, ""},
	{"086-13912341234", badPhone, badPhone, false, ""},
	{"0086-13912341234", badPhone, badPhone, false, ""},
	{"1234-5678901", badPhone, badPhone, false, ""},
	{"86-", badPhone, badPhone, false, ""},
	{"-13912341234", badPhone, badPhone, false, ""},
}

var titleRows = []ruleRow{
	{"FinanceDirector", ok, true, ""},
	{"TechnicalDirector", ok, true, ""},
	{"MaintenanceDirector", ok, true, ""},
	{"CEO", ok, true, ""},
	{"ProjectDirector", ok, true, ""},
	{"Other", ok, true, ""},
	{"", badTitle, false, ""},
	{"ceo", badTitle, false, ""},
	{" CEO", badTitle, false, ""},
	{"Finance Director", badTitle, false, ""},
	{"Chief", badTitle, false, ""},
}

var messageTypeRows = []ruleRow{
	{"ServiceMessage", ok, true, ""},
	{"FaultMessage", ok, true, ""},
	{"AccountExpenses", ok, true, ""},
	{"SecurityMessage", ok, true, ""},
	{"ActivityMessage", ok, true, ""},
	{"ProductMessage", ok, true, ""},
	{"", badType, false, ""},
	{"faultmessage", badType, false, ""},
	{"Fault Message", badType, false, ""},
	{"fault_message", badType, false, ""},
	{"AllMessages", badType, false, ""},
}

var contactIDRows = []ruleRow{
	{"c-qL4HqKONzOM7", ok, true, ""},
	{"c-000000000000", ok, true, ""},
	{"", badID, false, ""},
	{"c-", badID, false, ""},
	{"c-qL4HqKONzOM", badID, false, ""},
	{"c-qL4HqKONzOM7x", badID, false, ""},
	{"C-qL4HqKONzOM7", badID, false, ""},
	{"d-qL4HqKONzOM7", badID, false, ""},
	{"c-qL4HqKONzO_7", badID, false, ""},
	{"c-qL4HqKONzOM７", badID, false, ""},
	{" c-qL4HqKONzOM7", badID, false, ""},
}

var memberRows = []ruleRow{
	{"rd-k3AbCd", ok, true, ""},
	{"fd-Xy12", ok, true, ""},
	{"r-abc", ok, true, ""},
	{"1234567890123456", ok, true, ""},
	{"rd-" + alnum64, ok, true, ""},
	{"", badMember, false, ""},
	{"rd-", badMember, false, ""},
	{"rd-x" + alnum64, badMember, false, ""},
	{"fd-a_b", badMember, false, ""},
	{"RD-abc", badMember, false, ""},
	{"acc-1", badMember, false, ""},
	{"123456789012345", badMember, false, ""},
	{"12345678901234567", badMember, false, ""},
	{"1234567890123456 ", badMember, false, ""},
}

// providerAccepts runs the provider's validator v on value.
func providerAccepts(v validator.String, value string) bool {
	p := path.Root("attr")
	req := validator.StringRequest{Path: p, PathExpression: p.Expression(), ConfigValue: types.StringValue(value)}
	var resp validator.StringResponse
	v.ValidateString(context.Background(), req, &resp)
	return !resp.Diagnostics.HasError()
}

// checkDiffers fails when the note on a row does not match whether the two
// sides agree.
func checkDiffers(t *testing.T, emulatorAccepts, providerAccepts bool, differs string) {
	t.Helper()
	switch {
	case emulatorAccepts != providerAccepts && differs == "":
		t.Errorf("emulator accepts = %v, provider accepts = %v: an intended difference needs its reason", emulatorAccepts, providerAccepts)
	case emulatorAccepts == providerAccepts && differs != "":
		t.Errorf("the two sides agree, but the row says they differ: %s", differs)
	}
}

func TestRulesAgainstProviderValidators(t *testing.T) {
	fields := []struct {
		name     string
		provider validator.String
		rows     []ruleRow
	}{
		{"Name", validators.ContactName(), nameRows},
		{"EmailAddress", validators.EmailAddress(), emailRows},
		{"Title", validators.Title(), titleRows},
		{"MessageTypes", validators.MessageType(), messageTypeRows},
		{"ContactId", validators.ContactID(), contactIDRows},
		{"Members", validators.MemberID(), memberRows},
	}
	for _, f := range fields {
		for _, row := range f.rows {
			t.Run(f.name+"/"+row.in, func(t *testing.T) {
				for _, site := range []string{emulator.SiteChina, emulator.SiteInternational} {
					if got := emulator.RuleCode(site, f.name, row.in); got != row.emulator {
						t.Errorf("emulator on the %s site: %q, want %q", site, got, row.emulator)
					}
				}
				if got := providerAccepts(f.provider, row.in); got != row.provider {
					t.Errorf("provider accepts = %v, want %v", got, row.provider)
				}
				checkDiffers(t, row.emulator == ok, row.provider, row.differs)
			})
		}
	}
	for _, row := range phoneRows {
		t.Run("PhoneNumber/"+row.in, func(t *testing.T) {
			if got := emulator.RuleCode(emulator.SiteChina, "PhoneNumber", row.in); got != row.china {
				t.Errorf("emulator on the china site: %q, want %q", got, row.china)
			}
			if got := emulator.RuleCode(emulator.SiteInternational, "PhoneNumber", row.in); got != row.intl {
				t.Errorf("emulator on the international site: %q, want %q", got, row.intl)
			}
			if got := providerAccepts(validators.PhoneNumber(), row.in); got != row.provider {
				t.Errorf("provider accepts = %v, want %v", got, row.provider)
			}
			// The provider's validator does not know the site: a number
			// only the other site serves is an apply-time
			// InvalidParameter.MobileCountryCode, not a difference.
			checkDiffers(t, row.china == ok || row.intl == ok, row.provider, row.differs)
		})
	}
}
