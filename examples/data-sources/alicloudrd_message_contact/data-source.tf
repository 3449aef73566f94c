# By name (names are unique in a resource directory)...
data "alicloudrd_message_contact" "ops" {
  name = "OpsTeam"
}

# ...or by ID.
data "alicloudrd_message_contact" "finance" {
  id = "c-qL4HqKONzOM7"
}

output "ops_contact" {
  value = {
    id                    = data.alicloudrd_message_contact.ops.id
    status                = data.alicloudrd_message_contact.ops.status
    members               = data.alicloudrd_message_contact.ops.members
    pending_email_address = data.alicloudrd_message_contact.ops.pending_email_address
  }
}
