package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

const (
	// Algorithm is the only signing algorithm the gateway accepts for AK/SK.
	Algorithm = "SDK-HMAC-SHA256"
	// DateFormat is the layout of the X-Sdk-Date header.
	DateFormat = "20060102T150405Z"
	// HeaderDate carries the signing time.
	HeaderDate = "X-Sdk-Date"
	// HeaderContentSha256 set to UnsignedPayload replaces the body hash.
	HeaderContentSha256 = "X-Sdk-Content-Sha256"
	// UnsignedPayload is the value of HeaderContentSha256 that skips hashing the body.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
	// HeaderSecurityToken carries the token of temporary credentials.
	HeaderSecurityToken = "X-Security-Token"
	// MaxClockSkew is how far X-Sdk-Date may be from the gateway's clock.
	MaxClockSkew = 15 * time.Minute
)

// Credentials are an access key pair, with the token of temporary credentials when there is one.
type Credentials struct {
	AccessKey     string
	SecretKey     string
	SecurityToken string
}

// String never shows the secret key or the token, so credentials can't leak through %v.
func (c Credentials) String() string {
	return fmt.Sprintf("Credentials{AccessKey: %q, SecretKey: <redacted>, SecurityToken: <redacted>}", c.AccessKey)
}

// GoString matches String for %#v.
func (c Credentials) GoString() string { return c.String() }

// Sign sets X-Sdk-Date (and X-Security-Token for temporary credentials) and the Authorization
// header on r. body is the exact request body (nil for none). The signed headers are Host,
// X-Sdk-Date and every other header already set on r except Content-Type's siblings that proxies
// rewrite (User-Agent, Accept-Encoding, Content-Length).
func Sign(r *http.Request, body []byte, creds Credentials, now time.Time) {
	r.Header.Set(HeaderDate, now.UTC().Format(DateFormat))
	if creds.SecurityToken != "" {
		r.Header.Set(HeaderSecurityToken, creds.SecurityToken)
	}
	signed := headersToSign(r)
	sig := signature(r, body, signed, creds.SecretKey)
	r.Header.Set("Authorization", fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%s",
		Algorithm, creds.AccessKey, strings.Join(signed, ";"), sig))
}

// unsignedHeaders are headers that transports or proxies may add or change after signing.
var unsignedHeaders = map[string]bool{
	"authorization":   true,
	"user-agent":      true,
	"accept-encoding": true,
	"content-length":  true,
	"connection":      true,
}

func headersToSign(r *http.Request) []string {
	names := []string{"host"}
	for k := range r.Header {
		lk := strings.ToLower(k)
		if unsignedHeaders[lk] || lk == "host" {
			continue
		}
		names = append(names, lk)
	}
	sort.Strings(names)
	return names
}

// signature computes the hex signature of r over the given lowercase signed header names.
func signature(r *http.Request, body []byte, signedHeaders []string, secretKey string) string {
	canonical := CanonicalRequest(r, body, signedHeaders)
	return Signature(StringToSign(canonical, r.Header.Get(HeaderDate)), secretKey)
}

// Signature is hex(HMAC-SHA256(secretKey, stringToSign)).
func Signature(stringToSign, secretKey string) string {
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// StringToSign is "SDK-HMAC-SHA256\n{date}\n{hex(sha256(canonical))}".
func StringToSign(canonicalRequest, date string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return Algorithm + "\n" + date + "\n" + hex.EncodeToString(sum[:])
}

// CanonicalRequest builds METHOD\nURI\nQUERY\nHEADERS\nSIGNED_HEADERS\nBODY_HASH.
func CanonicalRequest(r *http.Request, body []byte, signedHeaders []string) string {
	var hashed string
	if r.Header.Get(HeaderContentSha256) == UnsignedPayload {
		hashed = UnsignedPayload
	} else {
		sum := sha256.Sum256(body)
		hashed = hex.EncodeToString(sum[:])
	}
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL.EscapedPath()))
	b.WriteByte('\n')
	b.WriteString(CanonicalQuery(r.URL.Query()))
	b.WriteByte('\n')
	for _, h := range signedHeaders {
		b.WriteString(h)
		b.WriteByte(':')
		b.WriteString(strings.TrimSpace(headerValue(r, h)))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(hashed)
	return b.String()
}

func headerValue(r *http.Request, lowerName string) string {
	if lowerName == "host" {
		if r.Host != "" {
			return r.Host
		}
		if v := r.Header.Get("Host"); v != "" {
			return v
		}
		return r.URL.Host
	}
	return strings.Join(r.Header.Values(lowerName), ",")
}

// canonicalURI percent-encodes each segment of the (unescaped) path and always ends with "/".
func canonicalURI(escapedPath string) string {
	segments := strings.Split(escapedPath, "/")
	for i, s := range segments {
		segments[i] = Escape(unescape(s))
	}
	uri := strings.Join(segments, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	return uri
}

// CanonicalQuery is the query of the canonical request: keys sorted, the values of one key
// sorted, each pair k=v with Escape (space as %20, not "+"), joined by "&". A client that sends
// its query in this form sends byte for byte what it signed, whichever way the gateway reads it.
func CanonicalQuery(q map[string][]string) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		values := append([]string(nil), q[k]...)
		sort.Strings(values)
		for _, v := range values {
			parts = append(parts, Escape(k)+"="+Escape(v))
		}
	}
	return strings.Join(parts, "&")
}

// Escape percent-encodes everything but A-Z a-z 0-9 - _ . ~, with uppercase hex (space is %20).
func Escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') ||
			c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// unescape undoes percent-encoding of one path segment; a malformed escape is kept as it is.
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// Authorization is a parsed Authorization header.
type Authorization struct {
	AccessKey     string
	SignedHeaders []string
	Signature     string
}

// ErrUnsigned is returned by ParseAuthorization when the request carries no AK/SK signature.
var ErrUnsigned = errors.New("request is not signed")

// ParseAuthorization reads "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex".
func ParseAuthorization(header string) (Authorization, error) {
	if header == "" {
		return Authorization{}, ErrUnsigned
	}
	rest, ok := strings.CutPrefix(header, Algorithm+" ")
	if !ok {
		return Authorization{}, fmt.Errorf("unsupported authorization scheme")
	}
	var a Authorization
	for _, part := range strings.Split(rest, ",") {
		k, v, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			return Authorization{}, fmt.Errorf("malformed authorization header")
		}
		switch k {
		case "Access":
			a.AccessKey = v
		case "SignedHeaders":
			a.SignedHeaders = strings.Split(v, ";")
		case "Signature":
			a.Signature = v
		}
	}
	if a.AccessKey == "" || len(a.SignedHeaders) == 0 || a.Signature == "" {
		return Authorization{}, fmt.Errorf("malformed authorization header")
	}
	return a, nil
}

// Verification failures. None of them carries a secret.
var (
	ErrUnknownKey    = errors.New("unknown access key")
	ErrBadSignature  = errors.New("signature does not match")
	ErrStaleDate     = errors.New("X-Sdk-Date is missing, malformed, or more than 15 minutes off")
	ErrDateNotSigned = errors.New("x-sdk-date is not among the signed headers")
)

// Verify checks r's signature as the gateway does: any signed-header set that includes
// x-sdk-date, a date within MaxClockSkew of now, a known access key and a matching signature.
// secretFor returns the secret key of an access key. It returns the access key it found
// (empty when the header could not be parsed) so callers can throttle per key.
func Verify(r *http.Request, body []byte, secretFor func(accessKey string) (string, bool), now time.Time) (string, error) {
	auth, err := ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return "", err
	}
	signed := make([]string, len(auth.SignedHeaders))
	dateSigned := false
	for i, h := range auth.SignedHeaders {
		signed[i] = strings.ToLower(strings.TrimSpace(h))
		if signed[i] == "x-sdk-date" {
			dateSigned = true
		}
	}
	if !dateSigned {
		return auth.AccessKey, ErrDateNotSigned
	}
	date, err := time.Parse(DateFormat, r.Header.Get(HeaderDate))
	if err != nil || date.Sub(now) > MaxClockSkew || now.Sub(date) > MaxClockSkew {
		return auth.AccessKey, ErrStaleDate
	}
	secret, ok := secretFor(auth.AccessKey)
	if !ok {
		return auth.AccessKey, ErrUnknownKey
	}
	want := signature(r, body, signed, secret)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(auth.Signature))) {
		return auth.AccessKey, ErrBadSignature
	}
	return auth.AccessKey, nil
}
