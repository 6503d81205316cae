# Drill: copy two SQL Server databases of production's newest completed backup onto staging,
# under new names, next to the databases staging already has.
#
# `database_name` maps a database of the backup to its new name(s). The new names must not exist
# on the source or the target yet; the provider checks that (and the naming rules) at plan time.
#
# The defaults are ids of the local emulator's built-in seed (SQL Server 2017 Standard
# production, 2017 Enterprise staging): see the emulator guide to run this drill offline.
terraform {
  required_providers {
    hwc = {
      source = "opendrill/hwc"
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

data "hwc_rds_backups" "prod" {
  instance_id = var.prod_instance_id
}

resource "hwc_rds_instance_restore" "copy" {
  source_instance_id = var.prod_instance_id
  target_instance_id = var.staging_instance_id
  backup_id          = data.hwc_rds_backups.prod.latest_completed.id
  database_name      = var.copies
}

data "hwc_rds_databases" "staging" {
  instance_id = var.staging_instance_id
  depends_on  = [hwc_rds_instance_restore.copy]
}

output "staging_databases" {
  value = data.hwc_rds_databases.staging.names
}

output "status" {
  value = hwc_rds_instance_restore.copy.status
}
