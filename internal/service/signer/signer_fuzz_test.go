package signer

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzCanonicalRequest signs requests with arbitrary paths, query parameters, bodies and a header
// value, and checks, whatever the input:
//   - canonicalization never panics and is deterministic;
//   - Sign then Verify succeeds on the request as built, and again on the request as a server
//     reads it off the wire (written by net/http, parsed back by http.ReadRequest) — what the
//     client signs is what the gateway checks;
//   - a changed body or a changed query fails verification (when it changes anything);
//   - neither the canonical request nor the Authorization header carries the secret key.
func FuzzCanonicalRequest(f *testing.F) {
	f.Add("GET", "/v3/0483b6b16e954cb88930a360d2c4e663/instances", "id", "d8e6ca5a624745bcb546a227aa3ae1cfin01", "limit", "100", []byte(nil), "0483b6b16e954cb88930a360d2c4e663")
	f.Add("POST", "/v3.1/p/instances/recovery", "", "", "", "", []byte(`{"source":{"instance_id":"a"},"target":{"instance_id":"b"}}`), "p")
	f.Add("GET", "/path", "limit", "1", "", "", []byte{}, "")
	f.Add("POST", "/path", "key", "value", "", "", []byte("{\"Name\":\"test\",\"Id\":1}\n"), "")
	f.Add("GET", "/a b/c%2Fd/ü/", "k k", "v+v", "k k", "a&b=c", []byte("\x00\xff"), "  padded  ")
	f.Add("DELETE", "", "", "=", "%zz", "%", []byte("x"), "tab\there")
	f.Add("GET", "//double//slash/", "~-_.", "!*'();:@&=+$,/?#[]", "ключ", "значение", []byte(nil), "é")
	f.Fuzz(func(t *testing.T, method, path, k1, v1, k2, v2 string, body []byte, projectID string) {
		method = pickMethod(method)
		u := &url.URL{Scheme: "http", Host: "rds.example.com", Path: path}
		q := url.Values{}
		if k1 != "" {
			q.Add(k1, v1)
		}
		if k2 != "" {
			q.Add(k2, v2)
		}
		u.RawQuery = clientQuery(q)
		req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
		if err != nil {
			t.Skip() // not a URL net/http can send; the client never builds one
		}
		req.Header.Set("Content-Type", "application/json")
		if pid := headerSafe(projectID); pid != "" {
			req.Header.Set("X-Project-Id", pid)
		}
		creds := Credentials{AccessKey: "FUZZAK", SecretKey: "fuzz-secret-key-0123456789", SecurityToken: "fuzz-token-abcdef"}
		now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

		signed := headersToSign(req)
		c1, c2 := CanonicalRequest(req, body, signed), CanonicalRequest(req, body, signed)
		if c1 != c2 {
			t.Fatalf("canonical request is not deterministic:\n%q\n%q", c1, c2)
		}
		if strings.Count(c1, "\n") < 5 {
			t.Fatalf("canonical request has too few lines: %q", c1)
		}

		Sign(req, body, creds, now)
		secretFor := func(ak string) (string, bool) { return creds.SecretKey, ak == creds.AccessKey }
		if ak, err := Verify(req, body, secretFor, now); err != nil || ak != creds.AccessKey {
			t.Fatalf("Sign then Verify on the same request: %q, %v", ak, err)
		}
		auth := req.Header.Get("Authorization")
		if strings.Contains(auth, creds.SecretKey) || strings.Contains(CanonicalRequest(req, body, signed), creds.SecretKey) {
			t.Fatalf("the secret key appears in the signature material")
		}

		// Over the wire: what a server parses must verify too.
		var wire bytes.Buffer
		req.Body = io.NopCloser(bytes.NewReader(body))
		if err := req.Write(&wire); err != nil {
			t.Skip() // net/http refuses to send it; the client would get the same error
		}
		got, err := http.ReadRequest(bufio.NewReader(&wire))
		if err != nil {
			t.Fatalf("the request net/http wrote cannot be read back: %v\n%q", err, wire.String())
		}
		gotBody, err := io.ReadAll(got.Body)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(gotBody, body) {
			t.Fatalf("body changed on the wire: %q -> %q", body, gotBody)
		}
		if _, err := Verify(got, gotBody, secretFor, now); err != nil {
			t.Fatalf("the request as the server reads it does not verify: %v\nsent path %q query %q\nwire %q",
				err, u.EscapedPath(), u.RawQuery, wire.String())
		}

		// Tampering is caught.
		tampered := append(append([]byte{}, body...), 'x')
		if _, err := Verify(got, tampered, secretFor, now); err == nil {
			t.Fatalf("a changed body still verifies")
		}
		other := *got.URL
		other.RawQuery = clientQuery(url.Values{"tampered": {"1"}, k1: {v1 + "x"}})
		got.URL = &other
		if _, err := Verify(got, gotBody, secretFor, now); err == nil {
			t.Fatalf("a changed query still verifies")
		}
	})
}

// pickMethod maps any string to a method the API uses, so every input is a request.
func pickMethod(s string) string {
	methods := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete}
	if len(s) == 0 {
		return methods[0]
	}
	for _, m := range methods {
		if strings.EqualFold(s, m) {
			return m
		}
	}
	return methods[int(s[0])%len(methods)]
}

// clientQuery encodes q as the RDS client does: keys sorted, every key and value percent-encoded
// with Escape (space as %20).
func clientQuery(q url.Values) string {
	return CanonicalQuery(q)
}

// headerSafe drops what cannot travel in a header value (control characters, non-ASCII), as the
// client only sends a project id there.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r > 0x7e {
			return -1
		}
		return r
	}, s)
}
