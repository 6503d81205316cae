package provider

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type testKey struct{}

func TestCallContext_endsWithTheCall(t *testing.T) {
	deadline := time.Now().Add(time.Hour)
	tests := []struct {
		name  string
		ended bool
	}{
		{name: "during the call", ended: false},
		{name: "after the call", ended: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent, cancel := context.WithDeadline(context.WithValue(context.Background(), testKey{}, "v"), deadline)
			defer cancel()
			c := newCallContext(parent)
			if tt.ended {
				c.end()
			}
			v, _ := c.Value(testKey{}).(string)
			d, hasDeadline := c.Deadline()
			switch {
			case !tt.ended && (v != "v" || !hasDeadline || !d.Equal(deadline) || c.Done() != parent.Done()):
				t.Fatalf("during the call: value %q, deadline %v %v: not the call's context", v, d, hasDeadline)
			case tt.ended && (v != "" || hasDeadline || c.Done() != nil || c.Err() != nil):
				t.Fatalf("after the call: value %q, deadline %v, done %v, err %v: still the call's context", v, hasDeadline, c.Done(), c.Err())
			}
		})
	}
}

func TestCallContext_cancelReachesTheCall(t *testing.T) {
	tests := []struct {
		name   string
		cancel func(parent, child context.CancelFunc)
	}{
		{name: "the call's context is cancelled (Terraform went away)", cancel: func(parent, _ context.CancelFunc) { parent() }},
		{name: "the framework cancels its own (StopProvider)", cancel: func(_, child context.CancelFunc) { child() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent, cancelParent := context.WithCancel(context.Background())
			defer cancelParent()
			// What the framework does with the context it is handed.
			child, cancelChild := context.WithCancel(newCallContext(parent))
			defer cancelChild()
			tt.cancel(cancelParent, cancelChild)
			select {
			case <-child.Done():
			case <-time.After(5 * time.Second):
				t.Fatal("the call was not cancelled")
			}
		})
	}
}

// fakeFrameworkServer records the context of the calls the tests make.
type fakeFrameworkServer struct {
	frameworkServer // nil: a call the test does not make panics

	got       context.Context
	listFails bool
}

func (f *fakeFrameworkServer) PlanResourceChange(ctx context.Context, _ *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	f.got = ctx
	if ctx.Value(testKey{}) != "v" {
		return nil, errors.New("the call's context is not the one Terraform's call came with")
	}
	return &tfprotov6.PlanResourceChangeResponse{}, nil
}

func (f *fakeFrameworkServer) ListResource(ctx context.Context, _ *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	f.got = ctx
	if f.listFails {
		return nil, errors.New("list failed")
	}
	return &tfprotov6.ListResourceServerStream{Results: func(yield func(tfprotov6.ListResourceResult) bool) {
		if ctx.Value(testKey{}) != "v" {
			yield(tfprotov6.ListResourceResult{DisplayName: "the stream lost the call's context"})
			return
		}
		yield(tfprotov6.ListResourceResult{DisplayName: "one"})
	}}, nil
}

func TestReleasingServer_releasesTheCallContext(t *testing.T) {
	tests := []struct {
		name string
		call func(s *releasingServer, fake *fakeFrameworkServer, ctx context.Context) (readStream func() string, err error)
		// heldAfterCall: the framework's context still holds the call's until the stream is read.
		heldAfterCall bool
		wantErr       bool
	}{
		{
			name: "a call ends when it returns",
			call: func(s *releasingServer, fake *fakeFrameworkServer, ctx context.Context) (func() string, error) {
				_, err := s.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{})
				return nil, err
			},
		},
		{
			name: "a streaming call ends when its stream has been read",
			call: func(s *releasingServer, fake *fakeFrameworkServer, ctx context.Context) (func() string, error) {
				resp, err := s.ListResource(ctx, &tfprotov6.ListResourceRequest{})
				if err != nil {
					return nil, err
				}
				return func() string {
					var names string
					for r := range resp.Results {
						names += r.DisplayName
					}
					return names
				}, nil
			},
			heldAfterCall: true,
		},
		{
			name: "a streaming call that fails ends at once",
			call: func(s *releasingServer, fake *fakeFrameworkServer, ctx context.Context) (func() string, error) {
				fake.listFails = true
				_, err := s.ListResource(ctx, &tfprotov6.ListResourceRequest{})
				return nil, err
			},
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeFrameworkServer{}
			s := &releasingServer{inner: fake}
			read, err := tt.call(s, fake, context.WithValue(context.Background(), testKey{}, "v"))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want an error: %v", err, tt.wantErr)
			}
			if held := fake.got.Value(testKey{}) != nil; held != tt.heldAfterCall {
				t.Fatalf("after the call returned, the framework's context holds the call's: %v, want %v", held, tt.heldAfterCall)
			}
			if read == nil {
				return
			}
			if got := read(); got != "one" {
				t.Fatalf("stream: %q", got)
			}
			if fake.got.Value(testKey{}) != nil {
				t.Fatal("after the stream was read, the framework's context still holds the call's")
			}
		})
	}
}

func TestProtocolServer_servesEveryCall(t *testing.T) {
	server := ProtocolServer(New("test"))()
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"list resources", func() bool { _, ok := server.(tfprotov6.ListResourceServer); return ok }()},
		{"actions", func() bool { _, ok := server.(tfprotov6.ActionServer); return ok }()},
		{"state stores", func() bool { _, ok := server.(tfprotov6.StateStoreServer); return ok }()},
	} {
		if !tt.ok {
			t.Errorf("the protocol server does not serve %s", tt.name)
		}
	}
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v %v", err, resp.Diagnostics)
	}
	if _, ok := resp.ResourceSchemas["hwc_rds_instance_restore"]; !ok {
		t.Fatalf("no hwc_rds_instance_restore in the schema: %v", resp.ResourceSchemas)
	}
}
