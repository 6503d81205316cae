terraform {
  required_providers {
    hwc = {
      source  = "opendrill/hwc"
      version = "~> 0.1"
    }
  }
}

# Credentials come from the environment (HW_ACCESS_KEY, HW_SECRET_KEY and, for temporary
# credentials, HW_SECURITY_TOKEN), so no secret is written into the configuration.
provider "hwc" {
  region = "cn-north-4"

  # Optional: without project_id the provider looks the project up by region through IAM.
  # project_id = "0483b6b16e954cb88930a360d2c4e663"

  # Optional: stay below the API's flow control of 60 calls a minute per user when other
  # tools use the same keys at the same time.
  requests_per_minute = 40
}
