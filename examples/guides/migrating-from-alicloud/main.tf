# The contact, formerly managed as:
#
#   resource "alicloud_resource_manager_message_contact" "ops" {
#     message_contact_name = "OpsTeam"
#     email_address        = "ops.oncall@example.com"
#     phone_number         = "86-13800138000"
#     title                = "MaintenanceDirector"
#     message_types        = ["SecurityMessage", "FaultMessage"]
#   }
resource "alicloudrd_message_contact" "ops" {
  name          = "OpsTeam"
  email_address = "ops.oncall@example.com"
  phone_number  = "86-13800138000"
  title         = "MaintenanceDirector"
  message_types = ["FaultMessage", "SecurityMessage"]

  # The alicloud resource does not manage members. List the members the
  # contact is bound to, or the first apply unbinds them.
  members = ["rd-3G3LEe"]
}

# Terraform 1.8 or newer. Keep the block until every state that holds the
# old resource has been applied.
moved {
  from = alicloud_resource_manager_message_contact.ops
  to   = alicloudrd_message_contact.ops
}
