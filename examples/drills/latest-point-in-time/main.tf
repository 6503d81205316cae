# Drill: restore production, as it was at the latest restorable moment, onto staging.
#
# The latest restorable moment moves forward every few minutes as logs are backed up. So that a
# plan does not want a new restore each time it moves, `restore_time` is ignored after the
# restore was made; change `drill_run` to run the drill again, to the latest moment of then.
# `restore_to` names another moment as people write it (an incident time with its offset,
# `-var restore_to=2026-12-02T14:20:00+08:00`): the provider's functions turn it into the Unix
# milliseconds `restore_time` takes (Terraform 1.8+ or OpenTofu 1.7+).
#
# Objectives: a precondition refuses to start when the latest restorable moment lags behind now
# by more than the recovery point objective (log backups that lag mean data lost in a real
# incident), and a postcondition fails the run when the restore took longer than the recovery
# time objective.
#
# The defaults are ids of the local emulator's built-in seed (PostgreSQL 12 production and
# staging): see the emulator guide to run this drill offline.
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
  description = "Production instance whose latest restorable moment is restored."
  type        = string
  default     = "4a5b6c7d8e9f40a1b2c3d4e5f6a7b8c9in03"
}

variable "staging_instance_id" {
  description = "Staging instance that receives the data. Its data is overwritten."
  type        = string
  default     = "6c7d8e9fa0b142c3d4e5f6a7b8c9d0e1in03"
}

variable "drill_run" {
  description = "Any new value runs the drill again (e.g. the date of the drill)."
  type        = string
  default     = "1"
}

variable "restore_to" {
  description = "Moment to restore to, RFC 3339 with any offset (e.g. \"2026-12-02T14:20:00+08:00\"). Null: the latest restorable moment."
  type        = string
  default     = null
}

variable "max_data_loss" {
  description = "Recovery point objective: how far behind now the latest restorable moment may be when the drill starts, as a duration (e.g. \"15m\")."
  type        = string
  default     = "30m"
}

variable "max_recovery_seconds" {
  description = "Recovery time objective: how long the restore may take, in seconds, from its submission to the job's end."
  type        = number
  default     = 3600
}

data "hwc_rds_restore_time_ranges" "prod" {
  instance_id = var.prod_instance_id
}

resource "hwc_rds_instance_restore" "latest" {
  source_instance_id = var.prod_instance_id
  target_instance_id = var.staging_instance_id
  restore_time       = var.restore_to != null ? provider::hwc::unix_ms(var.restore_to) : data.hwc_rds_restore_time_ranges.prod.latest_restorable_time

  triggers = {
    run = var.drill_run
  }

  lifecycle {
    ignore_changes = [restore_time]

    # Recovery point objective, checked at plan time before anything is touched.
    precondition {
      condition     = timecmp(provider::hwc::rfc3339(data.hwc_rds_restore_time_ranges.prod.latest_restorable_time), timeadd(plantimestamp(), "-${var.max_data_loss}")) >= 0
      error_message = "Recovery point objective missed: the latest moment ${var.prod_instance_id} can be restored to is ${provider::hwc::rfc3339(data.hwc_rds_restore_time_ranges.prod.latest_restorable_time)}, more than ${var.max_data_loss} ago. Nothing was restored; check the instance's log backups."
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
  depends_on  = [hwc_rds_instance_restore.latest]
}

# The drill's record, for an auditor. The moment restored is the one recorded by the restore
# (restored_to, and restore_time in Unix milliseconds): the data source's value moves on, these
# stay until the drill runs again.
output "evidence" {
  value = {
    restored         = "point in time ${hwc_rds_instance_restore.latest.restore_time} (Unix ms)"
    recovery_point   = hwc_rds_instance_restore.latest.restored_to
    source           = "${hwc_rds_instance_restore.latest.source_instance_id} (${hwc_rds_instance_restore.latest.engine} ${hwc_rds_instance_restore.latest.source_engine_version})"
    target           = "${hwc_rds_instance_restore.latest.target_instance_id} (${hwc_rds_instance_restore.latest.engine} ${hwc_rds_instance_restore.latest.target_engine_version})"
    submitted_at     = hwc_rds_instance_restore.latest.submitted_at
    completed_at     = hwc_rds_instance_restore.latest.completed_at
    recovery_point_age_seconds = hwc_rds_instance_restore.latest.recovery_point_age_seconds
    recovery_time_seconds = hwc_rds_instance_restore.latest.recovery_time_seconds
    job_id           = hwc_rds_instance_restore.latest.job_id
    status           = hwc_rds_instance_restore.latest.status
    target_databases = data.hwc_rds_databases.staging.names
  }
}

output "status" {
  value = hwc_rds_instance_restore.latest.status
}

# The two numbers the drill proves: how old the restored data was, and how long the restore took.
output "recovery_point_age_seconds" {
  value = hwc_rds_instance_restore.latest.recovery_point_age_seconds
}

output "recovery_time_seconds" {
  value = hwc_rds_instance_restore.latest.recovery_time_seconds
}
