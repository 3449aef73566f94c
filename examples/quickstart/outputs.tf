output "ops_contact_id" {
  value = data.alicloudrd_message_contact.ops.id
}

output "requested_phone" {
  value = alicloudrd_message_contact_pending_update.ops_phone.phone_number
}

output "phone_change_status" {
  value = alicloudrd_message_contact_pending_update.ops_phone.status
}

output "email_change_status" {
  value = alicloudrd_message_contact_pending_update.ops_email.status
}

output "finance_contact" {
  value = {
    id                    = alicloudrd_message_contact.finance.id
    status                = alicloudrd_message_contact.finance.status
    pending_email_address = alicloudrd_message_contact.finance.pending_email_address
  }
}
