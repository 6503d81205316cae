# SQL Server: restore two databases of a backup under new names next to what the target
# already has. Each key is a database of the backup; each value a comma-separated list of new
# names ("" would keep the original name).
resource "hwc_rds_instance_restore" "sqlserver_copy" {
  source_instance_id = "61879e6085bc44d1831b0ce62d988fd9in04"
  target_instance_id = "d8e6ca5a624745bcb546a227aa3ae1cfin04"
  backup_id          = "b021670e69ba4538b7b2ed07257306aebr04"

  database_name = {
    sales = "sales_drill"
    hr    = "hr_drill"
  }
}
