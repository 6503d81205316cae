# Drill: restore production, as it was at the latest restorable moment, onto staging.
#
# The latest restorable moment moves forward every few minutes as logs are backed up. So that a
# plan does not want a new restore each time it moves, `restore_time` is ignored after the
# restore was made; change `drill_run` to run the drill again, to the latest moment of then.
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

data "hwc_rds_restore_time_ranges" "prod" {
  instance_id = var.prod_instance_id
}

resource "hwc_rds_instance_restore" "latest" {
  source_instance_id = var.prod_instance_id
  target_instance_id = var.staging_instance_id
  restore_time       = data.hwc_rds_restore_time_ranges.prod.latest_restorable_time

  triggers = {
    run = var.drill_run
  }

  lifecycle {
    ignore_changes = [restore_time]
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
    job_id           = hwc_rds_instance_restore.latest.job_id
    status           = hwc_rds_instance_restore.latest.status
    target_databases = data.hwc_rds_databases.staging.names
  }
}

output "status" {
  value = hwc_rds_instance_restore.latest.status
}
