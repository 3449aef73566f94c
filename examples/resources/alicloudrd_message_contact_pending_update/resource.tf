# provider::alicloudrd::normalize_phone_number (below) needs Terraform 1.8 or
# newer and the provider declared in required_providers.
terraform {
  required_providers {
    alicloudrd = {
      source = "alicloudrd/alicloudrd"
    }
  }
}

# Request a new phone number for a contact. The change takes effect only when
# the owner of the new number verifies it; until then status is "pending".
# Destroying this resource cancels the pending change.
resource "alicloudrd_message_contact_pending_update" "ops_phone" {
  contact_id   = "c-qL4HqKONzOM7"
  phone_number = "86-13912345678"
}

# Request a new email address, and wait up to 15 minutes for its owner to
# verify it before the apply goes on.
resource "alicloudrd_message_contact_pending_update" "ops_email" {
  contact_id            = "c-qL4HqKONzOM7"
  email_address         = "ops.oncall@example.com"
  wait_for_verification = "15m"

  timeouts {
    create = "20m"
  }
}

# A contact managed by Terraform whose phone number changes through a
# pending update: let the pending update own the field.
resource "alicloudrd_message_contact" "finance" {
  name          = "Finance"
  email_address = "finance@example.com"
  phone_number  = "86-13800138000"
  title         = "FinanceDirector"
  message_types = ["AccountExpenses", "ServiceMessage"]

  lifecycle {
    ignore_changes = [phone_number]
  }
}

resource "alicloudrd_message_contact_pending_update" "finance_phone" {
  contact_id   = alicloudrd_message_contact.finance.id
  phone_number = provider::alicloudrd::normalize_phone_number("+86 137 0000 1111")
}
