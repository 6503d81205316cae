# Drill: every night, restore the newest completed backup of production onto staging.
#
# Run it on a schedule (cron, a CI pipeline, a Terraform Cloud run trigger). Each run reads the
# backups; when a newer completed backup exists, `triggers` changes and the restore runs once
# for it; otherwise the run changes nothing. Every documented restore rule is checked at plan
# time, so a plan that passes will not be refused for a wrong version, size or engine.
#
# The defaults are ids of the local emulator's built-in seed (MySQL 5.7 production and staging):
# see the emulator guide to run this drill offline.
terraform {
  required_providers {
    hwc = {
      source  = "opendrill/hwc"
      version = "~> 0.1"
    }
  }
}

# Region, credentials and endpoint come from the environment (HW_REGION_NAME, HW_ACCESS_KEY,
# HW_SECRET_KEY, HWC_ENDPOINT for the emulator, ...).
provider "hwc" {}

variable "prod_instance_id" {
  description = "Production instance whose newest completed backup is restored."
  type        = string
  default     = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
}

variable "staging_instance_id" {
  description = "Staging instance that receives the data. Its data is overwritten."
  type        = string
  default     = "5b1f7e2a9c3d4e8fa0b6c7d8e9f0a1b2in01"
}

data "hwc_rds_backups" "prod" {
  instance_id = var.prod_instance_id
}

resource "hwc_rds_instance_restore" "nightly" {
  source_instance_id = var.prod_instance_id
  target_instance_id = var.staging_instance_id
  backup_id          = data.hwc_rds_backups.prod.latest_completed.id

  # A new backup re-runs the restore; add keys (e.g. run = "2") to re-run it by hand.
  triggers = {
    backup = data.hwc_rds_backups.prod.latest_completed.id
  }

  timeouts {
    create = "2h"
  }
}

# Target's databases after the restore, read once it is done.
data "hwc_rds_databases" "staging" {
  instance_id = var.staging_instance_id
  depends_on  = [hwc_rds_instance_restore.nightly]
}

# The drill's record, for an auditor: what was restored, from when, onto what, how long it took,
# and what the target holds now. `terraform output -json evidence` files it.
output "evidence" {
  value = {
    restored         = "backup ${data.hwc_rds_backups.prod.latest_completed.name} (${hwc_rds_instance_restore.nightly.backup_id})"
    recovery_point   = hwc_rds_instance_restore.nightly.restored_to
    source           = "${hwc_rds_instance_restore.nightly.source_instance_id} (${hwc_rds_instance_restore.nightly.engine} ${hwc_rds_instance_restore.nightly.source_engine_version})"
    target           = "${hwc_rds_instance_restore.nightly.target_instance_id} (${hwc_rds_instance_restore.nightly.engine} ${hwc_rds_instance_restore.nightly.target_engine_version})"
    submitted_at     = hwc_rds_instance_restore.nightly.submitted_at
    completed_at     = hwc_rds_instance_restore.nightly.completed_at
    job_id           = hwc_rds_instance_restore.nightly.job_id
    status           = hwc_rds_instance_restore.nightly.status
    target_databases = data.hwc_rds_databases.staging.names
  }
}

output "status" {
  value = hwc_rds_instance_restore.nightly.status
}
