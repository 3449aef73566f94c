terraform {
  required_providers {
    alicloudrd = {
      source = "alicloudrd/alicloudrd"
    }
  }
}

# Credentials and the endpoint come from the environment:
# ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and
# ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER (make demo sets them for the emulator).
provider "alicloudrd" {}

# A contact managed elsewhere, looked up by name.
data "alicloudrd_message_contact" "ops" {
  name = "OpsTeam"
}

# Request a new phone number for it. It takes effect only when its owner
# verifies it; until then it is pending, and destroying this resource
# cancels the request.
resource "alicloudrd_message_contact_pending_update" "ops_phone" {
  contact_id   = data.alicloudrd_message_contact.ops.id
  phone_number = "86-13912345678"
}

# And a new email address.
resource "alicloudrd_message_contact_pending_update" "ops_email" {
  contact_id    = data.alicloudrd_message_contact.ops.id
  email_address = "ops.oncall@example.com"
}

# A contact Terraform manages itself.
resource "alicloudrd_message_contact" "finance" {
  name          = "Finance"
  email_address = "finance@example.com"
  title         = "FinanceDirector"
  message_types = ["AccountExpenses", "ServiceMessage"]
}
