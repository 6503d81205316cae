# A restore is imported by the ID of its job (the API keeps jobs for about a month). The
# arguments are then taken from the configuration without running the restore again.
terraform import hwc_rds_instance_restore.nightly 7f1c3a9e5b2d4c6e8a0f1b3d5c7e9a2b
