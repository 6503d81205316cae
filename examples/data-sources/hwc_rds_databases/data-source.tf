# The databases on the SQL Server staging instance, e.g. to pick new names that are still free.
data "hwc_rds_databases" "staging" {
  instance_id = "d8e6ca5a624745bcb546a227aa3ae1cfin04"
}

output "staging_databases" {
  value = data.hwc_rds_databases.staging.names
}
