# A restore is imported by the ID of its job (the API keeps jobs for about a month). The next
# plan shows an in-place update (the arguments are adopted from the configuration), never a
# replacement: nothing is restored again.
terraform import hwc_rds_instance_restore.nightly 7f1c3a9e5b2d4c6e8a0f1b3d5c7e9a2b
