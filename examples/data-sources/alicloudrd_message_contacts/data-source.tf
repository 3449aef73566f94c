# Every contact of the resource directory.
data "alicloudrd_message_contacts" "all" {}

# The contacts bound to one folder.
data "alicloudrd_message_contacts" "finance_folder" {
  member = "fd-QRzuWtXd2m"
}

output "contact_ids" {
  value = data.alicloudrd_message_contacts.all.ids
}

output "security_contacts" {
  value = [
    for c in data.alicloudrd_message_contacts.all.contacts : c.name
    if contains(c.message_types, "SecurityMessage")
  ]
}

output "finance_folder_contacts" {
  value = { for c in data.alicloudrd_message_contacts.finance_folder.contacts : c.name => c.associated_date }
}
