data "hwc_rds_instance" "prod" {
  id = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
}

output "prod_engine" {
  value = "${data.hwc_rds_instance.prod.engine} ${data.hwc_rds_instance.prod.complete_version} (${data.hwc_rds_instance.prod.status})"
}
