# Drill: every night, copy two SQL Server databases of production's newest completed backup onto
# staging, under new names, next to the databases staging already has.
#
# `database_name` maps a database of the backup to its new name(s). The new names must not exist
# on the source or the target; the provider checks that (and the naming rules) at plan time. The
# copies of the last run do exist on the second night: `drop_previous_databases = true` drops
# them (the databases the previous restore of this resource created, and nothing else) right
# before the new restore is submitted. The plan says which.
#
# Objectives: a precondition refuses to start when the newest backup is older than the recovery
# point objective (nothing is dropped or restored), and a postcondition fails the run when the
# restore took longer than the recovery time objective.
#
# The defaults are ids of the local emulator's built-in seed (SQL Server 2017 Standard
# production, 2017 Enterprise staging): see the emulator guide to run this drill offline.
terraform {
  required_providers {
    hwc = {
      source  = "opendrill/hwc"
      version = "~> 0.1"
    }
  }
}

provider "hwc" {}

variable "prod_instance_id" {
  description = "SQL Server production instance."
  type        = string
  default     = "61879e6085bc44d1831b0ce62d988fd9in04"
}

variable "staging_instance_id" {
  description = "SQL Server staging instance that receives the copies."
  type        = string
  default     = "d8e6ca5a624745bcb546a227aa3ae1cfin04"
}

variable "copies" {
  description = "Database of the backup => new name."
  type        = map(string)
  default = {
    sales = "sales_drill"
    hr    = "hr_drill"
  }
}

variable "drill_run" {
  description = "Any new value runs the drill again (e.g. the date of the drill)."
  type        = string
  default     = "1"
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

resource "hwc_rds_instance_restore" "copy" {
  source_instance_id = var.prod_instance_id
  target_instance_id = var.staging_instance_id
  backup_id          = data.hwc_rds_backups.prod.latest_completed.id
  database_name      = var.copies

  # Runs again for each new backup, or when drill_run changes.
  triggers = {
    backup = data.hwc_rds_backups.prod.latest_completed.id
    run    = var.drill_run
  }

  # The copies of the previous run have the same names: drop them first.
  drop_previous_databases = true

  lifecycle {
    # Recovery point objective, checked at plan time before anything is touched.
    precondition {
      condition     = timecmp(data.hwc_rds_backups.prod.latest_completed.end_time, timeadd(plantimestamp(), "-${var.max_backup_age}")) >= 0
      error_message = "Recovery point objective missed: the newest completed backup of ${var.prod_instance_id} (${data.hwc_rds_backups.prod.latest_completed.name}) ended at ${data.hwc_rds_backups.prod.latest_completed.end_time}, more than ${var.max_backup_age} ago. Nothing was dropped or restored; check the instance's backup policy."
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
  depends_on  = [hwc_rds_instance_restore.copy]
}

# The drill's record, for an auditor: what was restored, from when, onto what, how long it took,
# and what the target holds now. `terraform output -json evidence` files it.
output "evidence" {
  value = {
    restored          = "backup ${data.hwc_rds_backups.prod.latest_completed.name} (${hwc_rds_instance_restore.copy.backup_id}): ${jsonencode(var.copies)}"
    recovery_point    = hwc_rds_instance_restore.copy.restored_to
    source            = "${hwc_rds_instance_restore.copy.source_instance_id} (${hwc_rds_instance_restore.copy.engine} ${hwc_rds_instance_restore.copy.source_engine_version})"
    target            = "${hwc_rds_instance_restore.copy.target_instance_id} (${hwc_rds_instance_restore.copy.engine} ${hwc_rds_instance_restore.copy.target_engine_version})"
    submitted_at      = hwc_rds_instance_restore.copy.submitted_at
    completed_at      = hwc_rds_instance_restore.copy.completed_at
    recovery_point_age_seconds = hwc_rds_instance_restore.copy.recovery_point_age_seconds
    recovery_time_seconds = hwc_rds_instance_restore.copy.recovery_time_seconds
    job_id            = hwc_rds_instance_restore.copy.job_id
    status            = hwc_rds_instance_restore.copy.status
    created_databases = hwc_rds_instance_restore.copy.created_databases
    dropped_databases = hwc_rds_instance_restore.copy.dropped_databases
    target_databases  = data.hwc_rds_databases.staging.names
  }
}

output "status" {
  value = hwc_rds_instance_restore.copy.status
}

# The two numbers the drill proves: how old the restored data was, and how long the restore took.
output "recovery_point_age_seconds" {
  value = hwc_rds_instance_restore.copy.recovery_point_age_seconds
}

output "recovery_time_seconds" {
  value = hwc_rds_instance_restore.copy.recovery_time_seconds
}
