package provider

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// fakeFrameworkServer answers the calls the tests make; StopProvider records how many calls were
// in flight in it when it came.
type fakeFrameworkServer struct {
	frameworkServer // nil: a call the test does not make panics

	mu       sync.Mutex
	inFlight int
	stops    []int // inFlight at each StopProvider
	release  map[string]chan struct{}
	started  chan string
}

func (f *fakeFrameworkServer) call(ctx context.Context, name string) {
	f.mu.Lock()
	f.inFlight++
	ch := f.release[name]
	f.mu.Unlock()
	f.started <- name
	<-ch
	f.mu.Lock()
	f.inFlight--
	f.mu.Unlock()
}

func (f *fakeFrameworkServer) PlanResourceChange(ctx context.Context, _ *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	f.call(ctx, "plan")
	return &tfprotov6.PlanResourceChangeResponse{}, nil
}

func (f *fakeFrameworkServer) ApplyResourceChange(ctx context.Context, _ *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	f.call(ctx, "apply")
	return &tfprotov6.ApplyResourceChangeResponse{}, nil
}

func (f *fakeFrameworkServer) ListResource(ctx context.Context, _ *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	f.call(ctx, "list")
	if f.release["list-fails"] != nil {
		return nil, errors.New("list failed")
	}
	f.mu.Lock()
	f.inFlight++ // the stream is part of the call
	f.mu.Unlock()
	return &tfprotov6.ListResourceServerStream{Results: func(yield func(tfprotov6.ListResourceResult) bool) {
		defer func() {
			f.mu.Lock()
			f.inFlight--
			f.mu.Unlock()
		}()
		yield(tfprotov6.ListResourceResult{DisplayName: "one"})
	}}, nil
}

func (f *fakeFrameworkServer) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stops = append(f.stops, f.inFlight)
	return &tfprotov6.StopProviderResponse{}, nil
}

func TestReleasingServer_releasesOnlyWhenIdle(t *testing.T) {
	tests := []struct {
		name  string
		calls []string // started in this order, all at once
		ends  []string // then ended in this order
		// stopsAfter[i]: StopProvider calls once ends[i] has ended.
		stopsAfter []int
	}{
		{name: "one call", calls: []string{"plan"}, ends: []string{"plan"}, stopsAfter: []int{1}},
		{name: "two calls, the first ends first", calls: []string{"plan", "apply"}, ends: []string{"plan", "apply"}, stopsAfter: []int{0, 1}},
		{name: "two calls, the second ends first", calls: []string{"plan", "apply"}, ends: []string{"apply", "plan"}, stopsAfter: []int{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeFrameworkServer{release: map[string]chan struct{}{}, started: make(chan string, len(tt.calls))}
			for _, c := range tt.calls {
				fake.release[c] = make(chan struct{})
			}
			s := &releasingServer{inner: fake}
			done := map[string]chan struct{}{}
			for _, c := range tt.calls {
				done[c] = make(chan struct{})
				go func() {
					defer close(done[c])
					switch c {
					case "plan":
						_, _ = s.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{})
					case "apply":
						_, _ = s.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{})
					}
				}()
				<-fake.started
			}
			for i, c := range tt.ends {
				close(fake.release[c])
				<-done[c]
				fake.mu.Lock()
				stops := append([]int(nil), fake.stops...)
				fake.mu.Unlock()
				if len(stops) != tt.stopsAfter[i] {
					t.Fatalf("after %s ended: %d StopProvider calls, want %d", c, len(stops), tt.stopsAfter[i])
				}
				for _, n := range stops {
					if n != 0 {
						t.Fatalf("StopProvider came with %d calls in flight: it would cancel them", n)
					}
				}
			}
		})
	}
}

func TestReleasingServer_streamInFlightUntilRead(t *testing.T) {
	tests := []struct {
		name      string
		fails     bool
		read      bool
		wantStops int
	}{
		{name: "stream not read yet", read: false, wantStops: 0},
		{name: "stream read to the end", read: true, wantStops: 1},
		{name: "call failed without a stream", fails: true, wantStops: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			release := make(chan struct{})
			close(release)
			fake := &fakeFrameworkServer{release: map[string]chan struct{}{"list": release}, started: make(chan string, 1)}
			if tt.fails {
				fake.release["list-fails"] = release
			}
			s := &releasingServer{inner: fake}
			resp, err := s.ListResource(context.Background(), &tfprotov6.ListResourceRequest{})
			if tt.fails != (err != nil) {
				t.Fatalf("err = %v", err)
			}
			if tt.read {
				for range resp.Results {
				}
			}
			fake.mu.Lock()
			defer fake.mu.Unlock()
			if len(fake.stops) != tt.wantStops {
				t.Fatalf("%d StopProvider calls, want %d", len(fake.stops), tt.wantStops)
			}
			for _, n := range fake.stops {
				if n != 0 {
					t.Fatalf("StopProvider came with %d calls in flight", n)
				}
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
		{"list resources", func() bool { _, ok := server.(tfprotov6.ProviderServerWithListResource); return ok }()},
		{"actions", func() bool { _, ok := server.(tfprotov6.ProviderServerWithActions); return ok }()},
		{"state stores", func() bool { _, ok := server.(tfprotov6.ProviderServerWithStateStores); return ok }()},
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
