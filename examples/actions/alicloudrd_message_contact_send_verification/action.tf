# The verification SMS of a pending phone change expired. Send it again with
#
#   terraform apply -invoke=action.alicloudrd_message_contact_send_verification.ops_phone
#
# Invoking sends one message and changes nothing else; a plain terraform apply
# does not invoke it.
action "alicloudrd_message_contact_send_verification" "ops_phone" {
  config {
    contact_id   = "c-qL4HqKONzOM7"
    phone_number = "86-13912345678"
  }
}
