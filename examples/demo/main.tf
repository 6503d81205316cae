# The demo drill: restore the newest completed backup of the MySQL production instance onto the
# staging instance, after every documented rule was checked at plan time. `make demo` runs it
# against the local emulator; pointed at the real cloud (see the README) it does the same there.
terraform {
  required_providers {
    hwc = {
      source  = "opendrill/hwc"
      version = "~> 0.1"
    }
  }
}

# Region, credentials and endpoint come from the environment (HW_REGION_NAME, HW_ACCESS_KEY,
# HW_SECRET_KEY, HWC_ENDPOINT, ...), so nothing here depends on the machine it runs on.
provider "hwc" {}

variable "source_instance_id" {
  description = "Production instance whose backup is restored."
  type        = string
  default     = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
}

variable "target_instance_id" {
  description = "Staging instance that receives the data (its data is overwritten)."
  type        = string
  default     = "5b1f7e2a9c3d4e8fa0b6c7d8e9f0a1b2in01"
}

data "hwc_rds_instance" "source" {
  id = var.source_instance_id
}

# The newest COMPLETED backup of production (a backup still being taken is skipped).
data "hwc_rds_backups" "source" {
  instance_id = data.hwc_rds_instance.source.id
}

resource "hwc_rds_instance_restore" "drill" {
  source_instance_id = data.hwc_rds_instance.source.id
  target_instance_id = var.target_instance_id
  backup_id          = data.hwc_rds_backups.source.latest_completed.id

  # A new backup runs the drill again; the same backup is never restored twice.
  triggers = {
    backup = data.hwc_rds_backups.source.latest_completed.id
  }
}

# Read after the restore (depends_on defers it to apply): what the target holds now.
data "hwc_rds_databases" "target_after" {
  instance_id = hwc_rds_instance_restore.drill.target_instance_id
  depends_on  = [hwc_rds_instance_restore.drill]
}

output "target_databases" {
  value = join(", ", data.hwc_rds_databases.target_after.names)
}

output "backup" {
  value = "${data.hwc_rds_backups.source.latest_completed.name} (${data.hwc_rds_backups.source.latest_completed.id}, ended ${data.hwc_rds_backups.source.latest_completed.end_time})"
}

output "job_id" {
  value = hwc_rds_instance_restore.drill.job_id
}

output "status" {
  value = hwc_rds_instance_restore.drill.status
}

output "restored" {
  value = "${hwc_rds_instance_restore.drill.engine} ${hwc_rds_instance_restore.drill.source_engine_version} onto ${hwc_rds_instance_restore.drill.target_engine_version}"
}

output "submitted_at" {
  value = hwc_rds_instance_restore.drill.submitted_at
}

output "completed_at" {
  value = hwc_rds_instance_restore.drill.completed_at
}
