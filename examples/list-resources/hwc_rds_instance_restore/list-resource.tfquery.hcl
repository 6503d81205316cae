# restores.tfquery.hcl, beside the configuration that holds the provider block. Lists the
# restores onto staging in the last seven days (`terraform query`), and with
# `terraform query -generate-config-out=restores.tf` writes an import block and a resource block
# for each of them.
list "hwc_rds_instance_restore" "staging" {
  provider         = hwc
  include_resource = true

  config {
    target_instance_id = "5b1f7e2a9c3d4e8fa0b6c7d8e9f0a1b2in01"
    start_time         = timeadd(plantimestamp(), "-168h")
  }
}

# Every failed restore the task list still shows (about a month), on any instance.
list "hwc_rds_instance_restore" "failed" {
  provider = hwc

  config {
    status = "Failed"
  }
}
