# Terraform 1.14 and later, in a file ending .tfquery.hcl:
#   terraform query                                 lists the contacts;
#   terraform query -generate-config-out=adopt.tf   also writes resource and import blocks for them.

# Every message contact of the resource directory.
list "alicloudrd_message_contact" "all" {
  provider = alicloudrd
}

# The contacts bound to one folder, with their attributes.
list "alicloudrd_message_contact" "platform_folder" {
  provider         = alicloudrd
  include_resource = true

  config {
    member = "fd-QRzuWtXd2m"
  }
}
