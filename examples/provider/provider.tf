terraform {
  required_providers {
    alicloudrd = {
      source = "alicloudrd/alicloudrd"
    }
  }
}

# In a CI job: the job's OIDC token is exchanged for the temporary
# credentials of a RAM role, renewed as they expire. The CI system may set
# ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and
# ALIBABA_CLOUD_OIDC_TOKEN_FILE instead of this block. Keep secrets out of
# the configuration.
provider "alicloudrd" {
  site = "china" # or "international"

  assume_role_with_oidc {
    role_arn          = "acs:ram::1234567890123456:role/ci-message-contacts"
    oidc_provider_arn = "acs:ram::1234567890123456:oidc-provider/github"
    oidc_token_file   = "/run/secrets/oidc-token"
  }
}

# Another account's resource directory, through a RAM role assumed with a
# CLI profile.
provider "alicloudrd" {
  alias   = "finance"
  site    = "international"
  profile = "finance-admin"

  assume_role {
    role_arn           = "acs:ram::1234567890123456:role/terraform-message-contacts"
    session_expiration = 3600
  }
}
