package rds

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// An HTTP/2 endpoint that reads the whole restore POST (takes it) and then resets the stream
// with PROTOCOL_ERROR: Go's HTTP/2 transport replays such a request by itself when it can read
// the body again (GetBody). The restore must reach the server once, its outcome unknown (to be
// settled), never sent again behind the client's back.
func TestSend_http2ResetDoesNotReplayTheRestore(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	srv.EnableHTTP2 = true
	srv.StartTLS() // only for its certificate
	cert := srv.TLS.Certificates[0]
	srv.Close()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var posts atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go serveResettingH2(conn, &posts)
		}
	}()
	c := newTestClient(t, "https://"+ln.Addr().String(), func(cfg *Config) { cfg.Insecure = true })
	resp, err := c.Restore(context.Background(), RestoreRequest{Source: RestoreSource{InstanceID: "s", BackupID: "b"}, Target: RestoreTarget{InstanceID: "t"}})
	if n := posts.Load(); n != 1 {
		t.Errorf("the restore POST reached the server %d times, want 1", n)
	}
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("Restore = %+v, %v; want an unknown outcome (the server reset the stream after reading it)", resp, err)
	}
}

// serveResettingH2 answers the first POST of a connection with RST_STREAM PROTOCOL_ERROR once
// its body is read, and any later one with 202 and a job id.
func serveResettingH2(conn net.Conn, posts *atomic.Int32) {
	defer conn.Close()
	preface := make([]byte, len(http2.ClientPreface))
	if _, err := io.ReadFull(conn, preface); err != nil {
		return
	}
	fr := http2.NewFramer(conn, conn)
	_ = fr.WriteSettings()
	var hbuf bytes.Buffer
	enc := hpack.NewEncoder(&hbuf)
	reply := func(id uint32, status string, body []byte) {
		hbuf.Reset()
		_ = enc.WriteField(hpack.HeaderField{Name: ":status", Value: status})
		_ = enc.WriteField(hpack.HeaderField{Name: "content-type", Value: "application/json"})
		_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: hbuf.Bytes(), EndHeaders: true, EndStream: body == nil})
		if body != nil {
			_ = fr.WriteData(id, true, body)
		}
	}
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return
		}
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				_ = fr.WriteSettingsAck()
			}
		case *http2.DataFrame:
			if f.StreamEnded() {
				if posts.Add(1) == 1 {
					_ = fr.WriteRSTStream(f.StreamID, http2.ErrCodeProtocol) // taken, then reset
					continue
				}
				reply(f.StreamID, "202", []byte(`{"job_id":"second"}`))
			}
		case *http2.HeadersFrame:
			if f.StreamEnded() { // a request without a body: not expected here
				reply(f.StreamID, "404", nil)
			}
		}
	}
}

// A server or proxy that echoes the request into its reply, with a 2xx that is not JSON or an
// error long enough to be cut short: no part of the secret key, the token or the signature
// reaches the error.
func TestClassify_echoedCredentialsAreRedacted(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		pad    int // characters before the echo: the token straddles the message's cut
	}{
		{"2xx not JSON", http.StatusOK, 0},
		{"2xx not JSON, cut in the token", http.StatusOK, maxSnippet - len(" token ") - 12},
		{"5xx, cut in the token", http.StatusBadGateway, maxSnippet - len(" token ") - 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, strings.Repeat("x", tc.pad)+" token "+r.Header.Get("X-Security-Token")+
					" auth "+r.Header.Get("Authorization")+" sk "+testCreds.SecretKey)
			})
			c := newTestClient(t, api.URL, func(cfg *Config) { cfg.MaxRetries = 0 })
			_, err := c.GetJob(context.Background(), "job-1")
			if err == nil {
				t.Fatal("GetJob succeeded on a reply that is not JSON")
			}
			msg := err.Error()
			for _, secret := range []string{testCreds.SecretKey, testCreds.SecurityToken, "Signature="} {
				if strings.Contains(msg, secret[:8]) {
					t.Errorf("the error carries %q...: %s", secret[:8], msg)
				}
			}
		})
	}
}
