# Drill: restore the newest completed backup of production onto staging, safe to run every night:
# the provider refuses any target tagged as production (a swapped variable fails the plan), and
# it backs the target up right before restoring over it, so the drill can be undone.
#
# The defaults are ids of the local emulator's built-in seed, whose "-prod" instances carry the
# tag env = "prod": see the emulator guide to run this drill offline.
terraform {
  required_providers {
    hwc = {
      source  = "opendrill/hwc"
      version = "~> 0.1"
    }
  }
}

# Credentials and endpoint come from the environment. The guard can come from there too
# (HWC_PROTECTED_TAGS="env=prod"): the environment adds to what the block protects.
provider "hwc" {
  protected_tags = { env = "prod" }
}

variable "prod_instance_id" {
  description = "Production instance whose newest completed backup is restored."
  type        = string
  default     = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
}

variable "staging_instance_id" {
  description = "Staging instance that receives the data. Never one tagged env = prod: the provider refuses it."
  type        = string
  default     = "5b1f7e2a9c3d4e8fa0b6c7d8e9f0a1b2in01"
}

variable "undo" {
  description = "Set to true to undo the drill: restore the backup of staging taken right before it."
  type        = bool
  default     = false
}

data "hwc_rds_backups" "prod" {
  instance_id = var.prod_instance_id
}

resource "hwc_rds_instance_restore" "nightly" {
  source_instance_id = var.prod_instance_id
  target_instance_id = var.staging_instance_id
  backup_id          = data.hwc_rds_backups.prod.latest_completed.id

  # A manual backup of staging, COMPLETED before the restore is submitted: target_backup_id.
  backup_target_first = true

  triggers = {
    backup = data.hwc_rds_backups.prod.latest_completed.id
  }

  timeouts {
    create = "2h"
  }
}

# The undo: staging's own backup, taken right before the drill, restored onto staging.
resource "hwc_rds_instance_restore" "undo" {
  count = var.undo ? 1 : 0

  source_instance_id = var.staging_instance_id
  target_instance_id = var.staging_instance_id
  backup_id          = hwc_rds_instance_restore.nightly.target_backup_id
}

data "hwc_rds_databases" "staging" {
  instance_id = var.staging_instance_id
  depends_on  = [hwc_rds_instance_restore.nightly, hwc_rds_instance_restore.undo]
}

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
    undo_backup_id             = hwc_rds_instance_restore.nightly.target_backup_id
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
