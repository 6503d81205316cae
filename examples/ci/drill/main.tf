# The drill the CI example runs (examples/ci/drill.yml, through drill.sh): restore the newest
# completed backup of production onto staging and print the evidence. The defaults are ids of
# the emulator's built-in seed (MySQL 5.7 production and staging); against the real cloud, set
# the two variables to your instances.
terraform {
  required_providers {
    hwc = {
      source  = "opendrill/hwc"
      version = "~> 0.1"
    }
  }
}

# Region, credentials and endpoint come from the environment (drill.sh sets them).
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

resource "hwc_rds_instance_restore" "drill" {
  source_instance_id = var.prod_instance_id
  target_instance_id = var.staging_instance_id
  backup_id          = data.hwc_rds_backups.prod.latest_completed.id
  triggers           = { backup = data.hwc_rds_backups.prod.latest_completed.id }
}

data "hwc_rds_databases" "staging" {
  instance_id = var.staging_instance_id
  depends_on  = [hwc_rds_instance_restore.drill]
}

# What drill.sh checks and files: what was restored, the recovery point, onto what, when the
# restore started and ended, and what the target holds now.
output "evidence" {
  value = {
    restored         = "backup ${data.hwc_rds_backups.prod.latest_completed.name} (${hwc_rds_instance_restore.drill.backup_id})"
    recovery_point   = hwc_rds_instance_restore.drill.restored_to
    source           = hwc_rds_instance_restore.drill.source_instance_id
    target           = hwc_rds_instance_restore.drill.target_instance_id
    submitted_at     = hwc_rds_instance_restore.drill.submitted_at
    completed_at     = hwc_rds_instance_restore.drill.completed_at
    job_id           = hwc_rds_instance_restore.drill.job_id
    status           = hwc_rds_instance_restore.drill.status
    target_databases = data.hwc_rds_databases.staging.names
  }
}
