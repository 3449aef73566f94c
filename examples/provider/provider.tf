terraform {
  required_providers {
    alicloudrd = {
      source = "alicloudrd/alicloudrd"
    }
  }
}

# Credentials come from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID and
# ALIBABA_CLOUD_ACCESS_KEY_SECRET), a CLI profile or an assumed RAM role:
# keep secrets out of the configuration.
provider "alicloudrd" {
  site = "china" # or "international"
}

# Another account's resource directory, through a RAM role.
provider "alicloudrd" {
  alias   = "finance"
  site    = "international"
  profile = "finance-admin"

  assume_role {
    role_arn           = "acs:ram::1234567890123456:role/terraform-message-contacts"
    session_expiration = 3600
  }
}
