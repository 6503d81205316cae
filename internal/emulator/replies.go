package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Error codes the emulator answers with: the API's documented codes, kept here independently of
// the client's (doc.go).
const (
	codeBadParameter   = "DBS.200001" // 400: a parameter is missing or malformed
	codeNotFound       = "DBS.200002" // 404: no such instance
	codeBusy           = "DBS.200011" // 409: the target is busy (restoring)
	codeJobNotFound    = "DBS.200543" // 400: job does not exist (yet, or any more)
	codeBackupNotFound = "DBS.201010" // 404: no such backup
	// 409: the backup is still being built
	codeBackupInProgress = "DBS.201205"
	codeServerError      = "DBS.108000" // 500
	codeNoSuchAPI        = "APIGW.0101" // 404: no such API
	codeAuthFailed       = "APIGW.0301" // 401: signature, key or date refused
	codeThrottled        = "APIGW.0308" // 429: over the per-key budget
	msgNoSuchAPI         = "The API does not exist or has not been published in the environment"
	msgAuthFailedStart   = "Incorrect IAM authentication information: "
)

// apiError is an error reply: HTTP status plus the usual {"error_code","error_msg"} body.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

func badParam(msg string) *apiError { return &apiError{http.StatusBadRequest, codeBadParameter, msg} }

func instanceNotFound(id string) *apiError {
	return &apiError{http.StatusNotFound, codeNotFound, "The DB instance does not exist: " + id}
}

// response is a reply held in memory before it is sent. Every API reply is buffered: the
// request log needs its status and error code, and a "drop after" fault must be able to let
// the request take effect and then send nothing at all.
type response struct {
	status int
	header http.Header
	body   []byte
	code   string // error_code of an error reply, for the request log
}

func newResponse() *response { return &response{header: http.Header{}} }

func (r *response) json(status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		// The emulator only marshals its own plain types; this is a programming error.
		r.status, r.code = http.StatusInternalServerError, codeServerError
		data = []byte(`{"error_code":"DBS.108000","error_msg":"emulator could not encode its reply"}`)
	} else {
		r.status = status
	}
	r.header.Set("Content-Type", "application/json;charset=UTF-8")
	r.body = append(data, '\n')
}

// fail writes an error body. Gateway errors (APIGW.*) carry a request_id, as the real gateway's do.
func (r *response) fail(e *apiError, requestID string) {
	body := errorWire{ErrorCode: e.code, ErrorMsg: e.msg}
	if strings.HasPrefix(e.code, "APIGW.") {
		body.RequestID = requestID
	}
	r.json(e.status, body)
	r.code = e.code
}

// writeTo sends the buffered reply.
func (r *response) writeTo(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
}
