package signer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The three published test vectors of SDK-HMAC-SHA256 (two from the official SDK's tests, the
// third Huawei's demo, with its canonical request hash), byte for byte.
func TestSignature_vectors(t *testing.T) {
	cases := []struct {
		name, method, url, body, date, secret string
		headers                               map[string]string
		signed                                []string
		wantCanonicalSHA, wantSignature       string
	}{
		{
			name: "GET with query", method: "GET", url: "http://example.com/path?limit=1",
			date: "20060102T150405Z", secret: "SecretKey", signed: []string{"x-sdk-date"},
			wantSignature: "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
		},
		{
			name: "POST with body", method: "POST", url: "http://example.com/path?key=value",
			body: "{\"Name\":\"test\",\"Id\":1}\n", date: "20060102T150405Z", secret: "SecretKey",
			signed:        []string{"x-sdk-date"},
			wantSignature: "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59",
		},
		{
			name: "demo request", method: "GET",
			url:  "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
			date: "20191115T033655Z", secret: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
			headers:          map[string]string{"Content-Type": "application/json"},
			signed:           []string{"content-type", "host", "x-sdk-date"},
			wantCanonicalSHA: "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
			wantSignature:    "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.url, strings.NewReader(tc.body))
			if strings.HasPrefix(tc.url, "https://service") {
				r.Host = "service.region.example.com"
			}
			r.Header.Set(HeaderDate, tc.date)
			for k, v := range tc.headers {
				r.Header.Set(k, v)
			}
			canonical := CanonicalRequest(r, []byte(tc.body), tc.signed)
			if tc.wantCanonicalSHA != "" {
				sum := sha256.Sum256([]byte(canonical))
				if got := hex.EncodeToString(sum[:]); got != tc.wantCanonicalSHA {
					t.Errorf("canonical request sha256 = %s, want %s\n%s", got, tc.wantCanonicalSHA, canonical)
				}
			}
			if got := Signature(StringToSign(canonical, tc.date), tc.secret); got != tc.wantSignature {
				t.Errorf("signature = %s, want %s\ncanonical:\n%s", got, tc.wantSignature, canonical)
			}
		})
	}
}

func TestEscape_cases(t *testing.T) {
	cases := map[string]string{
		"abc-_.~XYZ019":            "abc-_.~XYZ019",
		"a b":                      "a%20b",
		"a+b/c":                    "a%2Bb%2Fc",
		"é":                        "%C3%A9",
		"2020-01-01T00:00:00+0800": "2020-01-01T00%3A00%3A00%2B0800",
	}
	for in, want := range cases {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalRequest_uriAndQuery(t *testing.T) {
	r := httptest.NewRequest("GET", "http://h/v3/p%20x/instances?b=2&a=z&a=y&c=", nil)
	c := CanonicalRequest(r, nil, []string{"x-sdk-date"})
	lines := strings.Split(c, "\n")
	if lines[1] != "/v3/p%20x/instances/" {
		t.Errorf("uri line = %q", lines[1])
	}
	if lines[2] != "a=y&a=z&b=2&c=" {
		t.Errorf("query line = %q", lines[2])
	}
}

func TestSign_unsignedPayload(t *testing.T) {
	r := httptest.NewRequest("POST", "http://h/x", nil)
	r.Header.Set(HeaderContentSha256, UnsignedPayload)
	c := CanonicalRequest(r, []byte("anything"), []string{"x-sdk-date"})
	if !strings.HasSuffix(c, "\n"+UnsignedPayload) {
		t.Errorf("canonical request does not end with UNSIGNED-PAYLOAD:\n%s", c)
	}
}

func secrets(ak string) (string, bool) {
	if ak == "AK" {
		return "SK", true
	}
	return "", false
}

func signedRequest(t *testing.T, now time.Time, creds Credentials, body string) *http.Request {
	t.Helper()
	r, err := http.NewRequest("POST", "http://127.0.0.1:8080/v3.1/p1/instances/recovery?x=1", bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Project-Id", "p1")
	Sign(r, []byte(body), creds, now)
	// What a server sees: Host moves out of the header map.
	r.Host = r.URL.Host
	return r
}

func TestVerify_afterSign(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	creds := Credentials{AccessKey: "AK", SecretKey: "SK", SecurityToken: "token-xyz"}
	body := `{"source":{}}`
	cases := []struct {
		name    string
		mutate  func(r *http.Request) (*http.Request, []byte, time.Time)
		wantErr error
	}{
		{"valid", func(r *http.Request) (*http.Request, []byte, time.Time) { return r, []byte(body), now }, nil},
		{"clock 14m ahead", func(r *http.Request) (*http.Request, []byte, time.Time) {
			return r, []byte(body), now.Add(14 * time.Minute)
		}, nil},
		{"stale date", func(r *http.Request) (*http.Request, []byte, time.Time) {
			return r, []byte(body), now.Add(16 * time.Minute)
		}, ErrStaleDate},
		{"future date", func(r *http.Request) (*http.Request, []byte, time.Time) {
			return r, []byte(body), now.Add(-16 * time.Minute)
		}, ErrStaleDate},
		{"body changed", func(r *http.Request) (*http.Request, []byte, time.Time) { return r, []byte(body + " "), now }, ErrBadSignature},
		{"token changed", func(r *http.Request) (*http.Request, []byte, time.Time) {
			r.Header.Set(HeaderSecurityToken, "other")
			return r, []byte(body), now
		}, ErrBadSignature},
		{"unknown key", func(r *http.Request) (*http.Request, []byte, time.Time) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Access=AK", "Access=NOPE", 1))
			return r, []byte(body), now
		}, ErrUnknownKey},
		{"unsigned", func(r *http.Request) (*http.Request, []byte, time.Time) {
			r.Header.Del("Authorization")
			return r, []byte(body), now
		}, ErrUnsigned},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, b, at := tc.mutate(signedRequest(t, now, creds, body))
			_, err := Verify(r, b, secrets, at)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Verify = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestVerify_requiresSignedDate(t *testing.T) {
	now := time.Now()
	r := httptest.NewRequest("GET", "http://h/x", nil)
	r.Header.Set(HeaderDate, now.UTC().Format(DateFormat))
	sig := Signature(StringToSign(CanonicalRequest(r, nil, []string{"host"}), r.Header.Get(HeaderDate)), "SK")
	r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature="+sig)
	if _, err := Verify(r, nil, secrets, now); !errors.Is(err, ErrDateNotSigned) {
		t.Fatalf("Verify = %v, want ErrDateNotSigned", err)
	}
}

// Huawei's demo signs only content-type;host;x-sdk-date; the gateway accepts any set with the date.
func TestVerify_acceptsDemoHeaderSet(t *testing.T) {
	now := time.Now()
	r := httptest.NewRequest("GET", "http://h:1/v3/p/jobs?id=1", nil)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(HeaderDate, now.UTC().Format(DateFormat))
	set := []string{"content-type", "host", "x-sdk-date"}
	sig := Signature(StringToSign(CanonicalRequest(r, nil, set), r.Header.Get(HeaderDate)), "SK")
	r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host;x-sdk-date, Signature="+sig)
	if _, err := Verify(r, nil, secrets, now); err != nil {
		t.Fatalf("Verify = %v", err)
	}
}

func TestCredentials_neverPrintSecrets(t *testing.T) {
	c := Credentials{AccessKey: "AK", SecretKey: "very-secret", SecurityToken: "tok-secret"}
	for _, s := range []string{c.String(), c.GoString()} {
		if strings.Contains(s, "very-secret") || strings.Contains(s, "tok-secret") {
			t.Fatalf("secret printed: %s", s)
		}
	}
}
