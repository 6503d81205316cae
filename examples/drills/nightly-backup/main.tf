# Drill: every night, restore the newest completed backup of production onto staging.
#
# Run it on a schedule (cron, a CI pipeline, a Terraform Cloud run trigger). Each run reads the
# backups; when a newer completed backup exists, `triggers` changes and the restore runs once
# for it; otherwise the run changes nothing. Every documented restore rule is checked at plan
# time, so a plan that passes will not be refused for a wrong version, size or engine.
#
# The drill is held to its objectives with the language's own checks: a precondition refuses to
# start when the newest backup is older than the recovery point objective (nothing is touched),
# and a postcondition fails the run when the restore took longer than the recovery time
# objective. plantimestamp() needs Terraform 1.5+ or OpenTofu 1.6+.
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

variable "max_backup_age" {
  description = "Recovery point objective: how old the newest completed backup may be when the drill starts, as a duration (e.g. \"26h\"). Older, the drill refuses to start."
  type        = string
  default     = "48h"
}

variable "max_recovery_seconds" {
  description = "Recovery time objective: how long the restore may take, in seconds, from its submission to the job's end."
  type        = number
  default     = 3600
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

  lifecycle {
    # Recovery point objective, checked at plan time before anything is touched.
    precondition {
      condition     = timecmp(data.hwc_rds_backups.prod.latest_completed.end_time, timeadd(plantimestamp(), "-${var.max_backup_age}")) >= 0
      error_message = "Recovery point objective missed: the newest completed backup of ${var.prod_instance_id} (${data.hwc_rds_backups.prod.latest_completed.name}) ended at ${data.hwc_rds_backups.prod.latest_completed.end_time}, more than ${var.max_backup_age} ago. Nothing was restored; check the instance's backup policy."
    }
    # Recovery time objective, checked once the restore has completed.
    postcondition {
      condition     = self.recovery_time_seconds == null ? false : self.recovery_time_seconds <= var.max_recovery_seconds
      error_message = "Recovery time objective missed: restore job ${self.job_id} onto ${self.target_instance_id} (status ${self.status}) took ${coalesce(self.recovery_time_seconds, "an unknown number of")} seconds, more than ${var.max_recovery_seconds}."
    }
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
    restored                   = "backup ${data.hwc_rds_backups.prod.latest_completed.name} (${hwc_rds_instance_restore.nightly.backup_id})"
    recovery_point             = hwc_rds_instance_restore.nightly.restored_to
    source                     = "${hwc_rds_instance_restore.nightly.source_instance_id} (${hwc_rds_instance_restore.nightly.engine} ${hwc_rds_instance_restore.nightly.source_engine_version})"
    target                     = "${hwc_rds_instance_restore.nightly.target_instance_id} (${hwc_rds_instance_restore.nightly.engine} ${hwc_rds_instance_restore.nightly.target_engine_version})"
    submitted_at               = hwc_rds_instance_restore.nightly.submitted_at
    completed_at               = hwc_rds_instance_restore.nightly.completed_at
    recovery_point_age_seconds = hwc_rds_instance_restore.nightly.recovery_point_age_seconds
    recovery_time_seconds      = hwc_rds_instance_restore.nightly.recovery_time_seconds
    job_id                     = hwc_rds_instance_restore.nightly.job_id
    status                     = hwc_rds_instance_restore.nightly.status
    target_databases           = data.hwc_rds_databases.staging.names
  }
}

output "status" {
  value = hwc_rds_instance_restore.nightly.status
}

# The two numbers the drill proves: how old the restored data was, and how long the restore took.
output "recovery_point_age_seconds" {
  value = hwc_rds_instance_restore.nightly.recovery_point_age_seconds
}

output "recovery_time_seconds" {
  value = hwc_rds_instance_restore.nightly.recovery_time_seconds
}
