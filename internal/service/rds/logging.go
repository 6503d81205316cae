package rds

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

// Logging has two lines of defence against leaking credentials into TF_LOG output:
//  1. nothing secret is ever put into a log message or field: no header is logged at all, only
//     method, path, query, status, error code, attempt, duration, request id, and at TRACE the
//     JSON bodies (which carry ids and restore parameters, never credentials);
//  2. WithMasking configures terraform-plugin-log to mask, in every field and message logged
//     through the context, the secret key, the security token, any AK/SK signature, and the values
//     of fields named like the credential headers, in case a future change or an echoing server
//     slips one through.

// sensitiveFieldKeys are field names whose values are always masked.
var sensitiveFieldKeys = []string{
	"Authorization", "authorization",
	"X-Auth-Token", "x-auth-token", "X-Subject-Token", "x-subject-token",
	"X-Security-Token", "x-security-token", "security_token",
	"secret_key", "secret-key", "SecretKey", "sk",
}

// sensitivePatterns catch credential-shaped text wherever it appears.
var sensitivePatterns = []*regexp.Regexp{
	// The whole Authorization value: "SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...".
	regexp.MustCompile(`SDK-HMAC-SHA256\s+Access=[^"\s,]*,\s*SignedHeaders=[^"\s,]*,\s*Signature=[0-9A-Fa-f]+`),
	regexp.MustCompile(`Signature=[0-9A-Fa-f]{16,}`),
}

// maskedFor marks a context WithMasking has masked, with the credentials it masks.
type maskedFor struct{}

// WithMasking returns ctx with log masking for creds. The provider calls it for the log lines of
// its requests; the client also applies it to every API call it makes, so it is safe to forget.
// A ctx already masked for creds is returned as it is: every masking copies the logger's
// options five times, and a request's context lives as long as its restore waits.
func WithMasking(ctx context.Context, creds signer.Credentials) context.Context {
	if masked, ok := ctx.Value(maskedFor{}).(signer.Credentials); ok && masked == creds {
		return ctx
	}
	ctx = context.WithValue(ctx, maskedFor{}, creds)
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, sensitiveFieldKeys...)
	ctx = tflog.MaskLogRegexes(ctx, sensitivePatterns...)
	var secrets []string
	// An empty string would "match" between every character, and masking it would garble every
	// line; only real values are masked.
	for _, s := range []string{creds.SecretKey, creds.SecurityToken} {
		if s != "" {
			secrets = append(secrets, s)
		}
	}
	if len(secrets) > 0 {
		ctx = tflog.MaskLogStrings(ctx, secrets...)
	}
	return ctx
}

// maxLoggedBody bounds a TRACE body: enough to debug a listing, not a flood.
const maxLoggedBody = 64 << 10

// logAttempt writes one DEBUG line per HTTP attempt, and the bodies at TRACE.
func logAttempt(ctx context.Context, cl call, u *url.URL, attemptNo int, a attempt, reqBody []byte) {
	fields := map[string]any{
		"service":     cl.service,
		"method":      cl.method,
		"path":        cl.path.template(),
		"query":       u.RawQuery,
		"status":      a.status,
		"attempt":     attemptNo,
		"duration_ms": a.duration.Milliseconds(),
	}
	if a.status != 0 {
		if a.status >= 300 {
			e := parseError(a.status, a.header, a.body, cl.method, cl.path.template())
			fields["error_code"] = e.Code
			fields["request_id"] = e.RequestID
		} else if id := a.header.Get("X-Request-Id"); id != "" {
			fields["request_id"] = id
		}
	}
	if a.err != nil {
		fields["error"] = a.err.Error()
	}
	tflog.Debug(ctx, "RDS client: API call", fields)
	if tflog.IsTrace(ctx) {
		if len(reqBody) > 0 {
			tflog.Trace(ctx, "RDS client: request body", map[string]any{
				"method": cl.method, "path": cl.path.template(), "attempt": attemptNo, "body": truncate(reqBody),
			})
		}
		if a.status != 0 {
			tflog.Trace(ctx, "RDS client: response body", map[string]any{
				"method": cl.method, "path": cl.path.template(), "attempt": attemptNo, "status": a.status, "body": truncate(a.body),
			})
		}
	}
}

// logRetry says that an attempt failed and when the next one goes.
func logRetry(ctx context.Context, cl call, attemptNo int, wait time.Duration, err error) {
	tflog.Debug(ctx, "RDS client: retrying", map[string]any{
		"method":  cl.method,
		"path":    cl.path.template(),
		"attempt": attemptNo,
		"wait_ms": wait.Milliseconds(),
		"error":   err.Error(),
	})
}

func truncate(b []byte) string {
	if len(b) <= maxLoggedBody {
		return string(b)
	}
	return string(b[:maxLoggedBody]) + "...(truncated)"
}

// redact replaces credentials and signatures in s (text that came from a server) with "***".
func redact(s string, creds signer.Credentials) string {
	for _, secret := range []string{creds.SecretKey, creds.SecurityToken} {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "***")
		}
	}
	for _, re := range sensitivePatterns {
		s = re.ReplaceAllString(s, "***")
	}
	return s
}
