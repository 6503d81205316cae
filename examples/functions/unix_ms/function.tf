variable "incident_at" {
  description = "When the incident began, as people write it."
  type        = string
  default     = "2026-12-02T14:30:00+08:00"
}

# Restore production as it was ten minutes before the incident.
resource "hwc_rds_instance_restore" "before_incident" {
  source_instance_id = "4a5b6c7d8e9f40a1b2c3d4e5f6a7b8c9in03"
  target_instance_id = "6c7d8e9fa0b142c3d4e5f6a7b8c9d0e1in03"
  restore_time       = provider::hwc::unix_ms(timeadd(var.incident_at, "-10m"))
}

output "restore_time" {
  value = provider::hwc::unix_ms("2026-12-02T06:20:00Z") # 1796192400000
}
