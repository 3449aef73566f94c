terraform {
  required_version = ">= 1.8.0"

  required_providers {
    alicloudrd = {
      source = "alicloudrd/alicloudrd"
    }
  }
}

# "86-13912345678", whichever spelling the input uses.
output "ops_phone" {
  value = provider::alicloudrd::normalize_phone_number("+86 139 1234 5678")
}

# Normalize numbers as written in an inventory before requesting them.
variable "oncall_phones" {
  type = map(string)
  default = {
    primary   = "0086 139-1234-5678"
    secondary = "(+86) 137 0000 1111"
  }
}

output "oncall_phones" {
  value = { for k, v in var.oncall_phones : k => provider::alicloudrd::normalize_phone_number(v) }
}
