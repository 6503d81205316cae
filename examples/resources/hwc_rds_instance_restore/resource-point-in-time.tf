# Point-in-time restore: `restore_time` is Unix time in milliseconds, UTC, inside one of the
# source's restorable time ranges (see the hwc_rds_restore_time_ranges data source).
resource "hwc_rds_instance_restore" "before_incident" {
  source_instance_id = "4a5b6c7d8e9f40a1b2c3d4e5f6a7b8c9in03"
  target_instance_id = "6c7d8e9fa0b142c3d4e5f6a7b8c9d0e1in03"
  restore_time       = 1764000000000 # 2025-11-24T16:00:00Z
}
