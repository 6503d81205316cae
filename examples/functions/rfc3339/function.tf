data "hwc_rds_restore_time_ranges" "prod" {
  instance_id = "4a5b6c7d8e9f40a1b2c3d4e5f6a7b8c9in03"
}

# The latest restorable moment, readable.
output "latest_restorable" {
  value = provider::hwc::rfc3339(data.hwc_rds_restore_time_ranges.prod.latest_restorable_time)
}

# How far production's log backups lag behind this plan, a recovery point objective to hold.
output "log_backups_current" {
  value = timecmp(
    provider::hwc::rfc3339(data.hwc_rds_restore_time_ranges.prod.latest_restorable_time),
    timeadd(plantimestamp(), "-15m"),
  ) >= 0
}

output "example" {
  value = provider::hwc::rfc3339(1796193000250) # "2026-12-02T06:30:00.25Z"
}
