# Terraform 1.14 and later, in a file ending .tfquery.hcl:
#   terraform query                                 lists the changes waiting for verification;
#   terraform query -generate-config-out=adopt.tf   also writes resource and import blocks for them,
#   so that they show in plans and `terraform destroy` can cancel them.

# Every pending phone or email change, of every contact.
list "alicloudrd_message_contact_pending_update" "all" {
  provider = alicloudrd
}

# The pending changes of one contact.
list "alicloudrd_message_contact_pending_update" "ops" {
  provider = alicloudrd

  config {
    contact_id = "c-qL4HqKONzOM7"
  }
}
