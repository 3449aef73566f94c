# Terraform 1.12 and later: import an existing contact by its identity.
import {
  to = alicloudrd_message_contact.ops
  identity = {
    contact_id = "c-qL4HqKONzOM7"
  }
}
