# Refresh staging from production's newest completed backup, on demand:
#   terraform apply -invoke=action.hwc_rds_instance_restore.refresh_staging
# Each invocation runs a new restore (and overwrites staging); nothing is kept in the state.
data "hwc_rds_backups" "prod" {
  instance_id = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
}

action "hwc_rds_instance_restore" "refresh_staging" {
  config {
    source_instance_id = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
    target_instance_id = "5b1f7e2a9c3d4e8fa0b6c7d8e9f0a1b2in01"
    backup_id          = data.hwc_rds_backups.prod.latest_completed.id
    timeout            = "90m"
  }
}

# Or as part of an apply: restore after the release marker changes.
resource "terraform_data" "release" {
  input = "2026.11.2"

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.hwc_rds_instance_restore.refresh_staging]
    }
  }
}
