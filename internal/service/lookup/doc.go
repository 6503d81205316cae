// Package lookup shares the reads that plan-time checks need across everything one provider
// process does. A plan of 100 restores from one source reads that source once: concurrent
// callers of the same key wait for one request, and its answer (including "not found") is kept.
// Transient failures (throttling, server errors, cancellation) are not kept, so a later caller
// tries again. Nothing outlives the process: the other walk of the same CLI command (another
// process) reads for itself.
package lookup
