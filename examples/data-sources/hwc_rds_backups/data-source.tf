# The backups of production, newest first, and the newest completed one on its own.
data "hwc_rds_backups" "prod" {
  instance_id = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
}

# Only automated backups taken in a time range (RFC 3339): the week before the plan.
data "hwc_rds_backups" "last_week" {
  instance_id = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
  type        = "auto"
  begin_time  = timeadd(plantimestamp(), "-168h")
  end_time    = plantimestamp()
}

output "newest_good_backup" {
  value = data.hwc_rds_backups.prod.latest_completed.id
}

output "backups_last_week" {
  value = [for b in data.hwc_rds_backups.last_week.backups : "${b.name} ${b.status} ${b.begin_time}"]
}
