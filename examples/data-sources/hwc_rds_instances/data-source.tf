# Every active MySQL instance of the project; paging is done by the provider.
data "hwc_rds_instances" "mysql" {
  engine = "MySQL"
  status = "ACTIVE"
}

# One instance by name.
data "hwc_rds_instances" "staging" {
  name = "mysql57-staging"
}

# Fuzzy: a name starting with "*" matches every instance whose name contains the rest.
data "hwc_rds_instances" "prod" {
  name = "*prod"
}

output "mysql_instance_ids" {
  value = data.hwc_rds_instances.mysql.ids
}

output "staging_instance_id" {
  value = one(data.hwc_rds_instances.staging.ids)
}
