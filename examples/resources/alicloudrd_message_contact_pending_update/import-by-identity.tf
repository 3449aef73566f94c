# Terraform 1.12 and later: import a pending (or verified) change by its
# identity, the contact and exactly one of phone_number and email_address.
import {
  to = alicloudrd_message_contact_pending_update.ops_phone
  identity = {
    contact_id   = "c-qL4HqKONzOM7"
    phone_number = "86-13912345678"
  }
}

import {
  to = alicloudrd_message_contact_pending_update.ops_email
  identity = {
    contact_id    = "c-qL4HqKONzOM7"
    email_address = "ops.oncall@example.com"
  }
}
