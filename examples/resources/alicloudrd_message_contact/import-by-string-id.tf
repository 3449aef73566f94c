# Terraform 1.5 and later: import an existing contact by its ID.
import {
  to = alicloudrd_message_contact.ops
  id = "c-qL4HqKONzOM7"
}
