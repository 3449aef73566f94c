package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
)

// The moved block of the guide "Migrating from
// alicloud_resource_manager_message_contact", run by the CLI: a state that
// holds the aliyun/alicloud provider's resource, a configuration that moves
// it to alicloudrd_message_contact. The CLI loads only the source provider's
// schema, so a stand-in with that resource's schema serves as aliyun/alicloud.
func TestAccMessageContactResource_movedFromAlicloud(t *testing.T) {
	const contact = "c-qL4HqKONzOM7"
	srv := acctest.NewServer(t, acctest.Options{Seed: []emulator.SeedContact{{
		ContactID: contact, Name: "OpsTeam", EmailAddress: "ops@example.com", PhoneNumber: "86-13800138000",
		Title: "MaintenanceDirector", MessageTypes: []string{"SecurityMessage", "FaultMessage"},
	}}})
	cli := acctest.NewCLI(t, acctest.MovedAcrossProviders, testAccProtoV6ProviderFactories["alicloudrd"])
	cli.Serve(t, "aliyun/alicloud", providerserver.NewProtocol6WithError(&alicloudStandIn{}))

	// The state the aliyun/alicloud provider left, under the registry host
	// of the CLI that wrote it.
	cli.Write(t, "terraform.tfstate", fmt.Sprintf(`{
  "version": 4,
  "terraform_version": "1.5.0",
  "serial": 3,
  "lineage": "6f1d2f4e-9a51-4b1e-8a3c-2f0f5d1c7b10",
  "outputs": {},
  "resources": [
    {
      "mode": "managed",
      "type": "alicloud_resource_manager_message_contact",
      "name": "ops",
      "provider": "provider[\"%s/aliyun/alicloud\"]",
      "instances": [
        {
          "schema_version": 0,
          "attributes": %s,
          "sensitive_attributes": []
        }
      ]
    }
  ]
}
`, cli.Host(), moveTestSourceState("ops@example.com")))
	cli.Write(t, "main.tf", fmt.Sprintf(`
terraform {
  required_providers {
    alicloudrd = { source = %q }
    alicloud   = { source = "aliyun/alicloud" }
  }
}
%s
resource "alicloudrd_message_contact" "ops" {
  name          = "OpsTeam"
  email_address = "ops@example.com"
  phone_number  = "86-13800138000"
  title         = "MaintenanceDirector"
  message_types = ["FaultMessage", "SecurityMessage"]
}

moved {
  from = alicloud_resource_manager_message_contact.ops
  to   = alicloudrd_message_contact.ops
}
`, acctest.ProviderSource, srv.ProviderBlock()))

	testAccRun(t, cli, true, "init", "-input=false")
	out, _ := testAccRun(t, cli, true, "plan")
	testAccExpectOutput(t, "plan", out,
		`alicloud_resource_manager_message_contact.ops has moved to alicloudrd_message_contact.ops`,
		`0 to add, 0 to change, 0 to destroy`)
	out, _ = testAccRun(t, cli, true, "apply", "-auto-approve")
	testAccExpectOutput(t, "apply", out, `0 added, 0 changed, 0 destroyed`)
	if out, code := testAccRun(t, cli, true, "plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("after the move, plan -detailed-exitcode exits %d:\n%s", code, out)
	}
	out, err := cli.Run(context.Background(), "state", "list")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got := strings.Fields(out); len(got) != 1 || got[0] != "alicloudrd_message_contact.ops" {
		t.Errorf("state list after the move: %q, want only alicloudrd_message_contact.ops", got)
	}
	out, err = cli.Run(context.Background(), "state", "show", "-no-color", "alicloudrd_message_contact.ops")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	testAccExpectOutput(t, "state show", out, `id\s+= "`+contact+`"`, `status\s+= "Active"`)
	// The move and what follows read the contact; nothing is written.
	if err := srv.Check(acctest.ExpectNoWrites)(nil); err != nil {
		t.Error(err)
	}
}

// alicloudStandIn has the schema of the aliyun/alicloud provider's
// alicloud_resource_manager_message_contact (schema version 0) and nothing
// else: the CLI needs the schema of every provider the state names.
type alicloudStandIn struct{}

func (*alicloudStandIn) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "alicloud"
}

func (*alicloudStandIn) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (*alicloudStandIn) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (*alicloudStandIn) DataSources(context.Context) []func() datasource.DataSource { return nil }

func (*alicloudStandIn) Resources(context.Context) []func() fwresource.Resource {
	return []func() fwresource.Resource{func() fwresource.Resource { return alicloudContactStandIn{} }}
}

type alicloudContactStandIn struct{}

func (alicloudContactStandIn) Metadata(_ context.Context, _ fwresource.MetadataRequest, resp *fwresource.MetadataResponse) {
	resp.TypeName = alicloudContactType
}

func (alicloudContactStandIn) Schema(_ context.Context, _ fwresource.SchemaRequest, resp *fwresource.SchemaResponse) {
	str := func(computed bool) schema.StringAttribute {
		return schema.StringAttribute{Optional: !computed, Computed: computed}
	}
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                   schema.StringAttribute{Computed: true},
			"message_contact_name": str(false),
			"email_address":        str(false),
			"phone_number":         str(false),
			"title":                str(false),
			"message_types":        schema.ListAttribute{ElementType: types.StringType, Optional: true},
			"status":               str(true),
			"create_time":          str(true),
		},
		Blocks: map[string]schema.Block{
			"timeouts": schema.SingleNestedBlock{Attributes: map[string]schema.Attribute{
				"create": str(false), "update": str(false), "delete": str(false),
			}},
		},
	}
}

func (alicloudContactStandIn) Create(_ context.Context, _ fwresource.CreateRequest, resp *fwresource.CreateResponse) {
	resp.Diagnostics.AddError("Stand-in", "the stand-in for aliyun/alicloud only has a schema")
}

func (alicloudContactStandIn) Read(_ context.Context, req fwresource.ReadRequest, resp *fwresource.ReadResponse) {
	resp.State = req.State
}

func (alicloudContactStandIn) Update(_ context.Context, _ fwresource.UpdateRequest, resp *fwresource.UpdateResponse) {
	resp.Diagnostics.AddError("Stand-in", "the stand-in for aliyun/alicloud only has a schema")
}

func (alicloudContactStandIn) Delete(_ context.Context, _ fwresource.DeleteRequest, resp *fwresource.DeleteResponse) {
	resp.Diagnostics.AddError("Stand-in", "the stand-in for aliyun/alicloud only has a schema")
}
