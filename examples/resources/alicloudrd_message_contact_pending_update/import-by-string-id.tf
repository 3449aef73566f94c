# Terraform 1.5 and later: import a pending (or verified) change by
# <contact_id>:<phone_number or email_address>.
import {
  to = alicloudrd_message_contact_pending_update.ops_phone
  id = "c-qL4HqKONzOM7:86-13912345678"
}
