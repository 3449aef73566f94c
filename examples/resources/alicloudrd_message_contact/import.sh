# A message contact is imported by its ID.
terraform import alicloudrd_message_contact.ops c-qL4HqKONzOM7
