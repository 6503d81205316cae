# A recurring drill: restore the newest completed backup of production onto staging. Each new
# backup changes `triggers` (and `backup_id`), so the next apply restores it once; an apply with
# no new backup changes nothing. The staging instance's data is overwritten.
data "hwc_rds_backups" "prod" {
  instance_id = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
}

resource "hwc_rds_instance_restore" "nightly" {
  source_instance_id = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
  target_instance_id = "5b1f7e2a9c3d4e8fa0b6c7d8e9f0a1b2in01"
  backup_id          = data.hwc_rds_backups.prod.latest_completed.id

  triggers = {
    backup = data.hwc_rds_backups.prod.latest_completed.id
  }

  timeouts {
    create = "2h"
  }
}
