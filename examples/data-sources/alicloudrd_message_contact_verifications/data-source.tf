# Everything waiting for verification in the resource directory.
data "alicloudrd_message_contact_verifications" "all" {}

# What is pending for one contact.
data "alicloudrd_message_contact_verifications" "ops" {
  contact_id = "c-qL4HqKONzOM7"
}

output "pending_phone_numbers" {
  value = [
    for v in data.alicloudrd_message_contact_verifications.all.verifications : "${v.contact_id}: ${v.target}"
    if v.target_type == "phone"
  ]
}
