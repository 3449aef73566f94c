# A contact for billing and security notices of the whole resource
# directory and of one folder. A new contact's email address and phone
# number take effect once their owners verify them; until then they are
# also in pending_email_address and pending_phone_number.
resource "alicloudrd_message_contact" "ops" {
  name          = "OpsTeam"
  email_address = "ops@example.com"
  phone_number  = "86-13912345678"
  title         = "TechnicalDirector"
  message_types = ["ServiceMessage", "FaultMessage", "SecurityMessage"]
  members       = ["rd-3G3LEe", "fd-QRzuWtXd2m"]
}

# A contact removed from its members too when destroyed: the deletion is
# asynchronous, and fails (naming each account and message type) when an
# account would be left without a contact for some message types.
resource "alicloudrd_message_contact" "finance" {
  name                         = "Finance"
  email_address                = "finance@example.com"
  title                        = "FinanceDirector"
  message_types                = ["AccountExpenses"]
  members                      = ["1512345678901234"]
  retain_in_members_on_destroy = false

  timeouts {
    delete = "30m"
  }
}

output "ops_pending_email" {
  # null once the owner verified the address.
  value = alicloudrd_message_contact.ops.pending_email_address
}
