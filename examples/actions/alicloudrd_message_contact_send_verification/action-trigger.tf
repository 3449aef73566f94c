locals {
  ops_contact_id = "c-qL4HqKONzOM7"
  ops_new_email  = "ops.oncall@example.com"
}

# The pending update requests the change and sends nothing itself
# (send_verification = false); the action triggered after create sends the one
# verification message, and
#   terraform apply -invoke=action.alicloudrd_message_contact_send_verification.ops_email
# sends it again later.
resource "alicloudrd_message_contact_pending_update" "ops_email" {
  contact_id        = local.ops_contact_id
  email_address     = local.ops_new_email
  send_verification = false

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.alicloudrd_message_contact_send_verification.ops_email]
    }
  }
}

action "alicloudrd_message_contact_send_verification" "ops_email" {
  config {
    contact_id    = local.ops_contact_id
    email_address = local.ops_new_email
  }
}
