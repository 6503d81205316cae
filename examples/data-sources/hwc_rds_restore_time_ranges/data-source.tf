# Every range production can be restored to, and the latest restorable moment.
data "hwc_rds_restore_time_ranges" "prod" {
  instance_id = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
}

# Only the ranges of one day (UTC): yesterday, as of the plan.
data "hwc_rds_restore_time_ranges" "one_day" {
  instance_id = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
  date        = formatdate("YYYY-MM-DD", timeadd(plantimestamp(), "-24h"))
}

output "latest_restorable_time" {
  value = data.hwc_rds_restore_time_ranges.prod.latest_restorable_time # Unix milliseconds, UTC
}

output "ranges_that_day" {
  value = [for r in data.hwc_rds_restore_time_ranges.one_day.ranges : "${r.start_time_rfc3339} - ${r.end_time_rfc3339}"]
}
