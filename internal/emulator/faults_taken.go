package emulator

// takenThenFailed answers a "taken" fault: the request already took effect (its own reply is in
// resp), and the fault's status replaces that reply. The log keeps what the request did.
func takenThenFailed(f Fault, resp *response, requestID string, rec *RequestRecord) *response {
	rec.Fault = "taken-then-status"
	rec.EffectStatus = resp.status
	out := newResponse()
	out.header.Set("X-Request-Id", requestID)
	out.fail(&apiError{f.Status, f.ErrorCode, f.ErrorMsg}, requestID)
	return out
}
