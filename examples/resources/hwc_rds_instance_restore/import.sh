# A restore is imported by the ID of its job (the API keeps jobs for about a month). Set
# `region` in the resource's configuration first; the next plan must then show an in-place
# update (the arguments are taken from the configuration), never a replacement.
terraform import hwc_rds_instance_restore.nightly 7f1c3a9e5b2d4c6e8a0f1b3d5c7e9a2b
