// Command rds-emulator serves a local Huawei Cloud RDS API emulator (see internal/emulator).
//
//	rds-emulator [-addr 127.0.0.1:8080] [-seed FILE] [-job-duration 3s] [-job-visible-after 1s]
//	             [-job-queue-delay 0s] [-backup-duration 2s]
//	             [-throttle 60/min] [-state FILE] [-tls-cert FILE -tls-key FILE | -tls-self-signed]
//	             [-ignore-unknown-fields] [-restore-status 202|200] [-no-retry-after]
//	             [-task-list full|missing|without-restores]
//	rds-emulator -version
//
// Install it with `go install github.com/opendrill/terraform-provider-hwc/cmd/rds-emulator@<version>`,
// or take it from a release's rds-emulator archive.
//
// It prints "rds-emulator listening on http://HOST:PORT" (the real port, also with -addr :0)
// on stdout, then, with the built-in seed, the demo region, project id, access key and secret
// key: public demo values that open this emulator only. GET /_emulator/health answers 200 once
// it serves. Request lines go to stderr; no secret key of a seed file and no Authorization,
// X-Auth-Token or X-Security-Token value is ever printed. SIGINT or SIGTERM stops it cleanly.
package main
