package provider

import (
	"context"
	"iter"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// ProtocolServer is the provider's protocol server: the framework's (providerserver.NewProtocol6)
// behind releasingServer.
func ProtocolServer(p func() provider.Provider) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		return newReleasingServer(providerserver.NewProtocol6(p())())
	}
}

var _ frameworkServer = (*releasingServer)(nil)

// frameworkServer is what the framework's protocol server implements: every call of the protocol.
type frameworkServer interface {
	tfprotov6.ProviderServerWithListResource
	tfprotov6.ProviderServerWithActions
	tfprotov6.ProviderServerWithStateStores
}

// releasingServer passes every call to the framework's protocol server, and lets go of the
// contexts of the calls that have ended.
//
// The framework's protocol server keeps the cancel function of every call's context, so that
// StopProvider can cancel the calls in flight, and lets go of them only on StopProvider. Each
// context holds that call's loggers and their fields (about 15 kB), so a provider process of a
// hundred restores keeps some 300 of them (validate, plan, apply) until it exits: 4 to 5 MB
// that every garbage collection counts as live. Whenever no call is in flight, the contexts it
// keeps all belong to calls that have ended, and releasingServer calls the framework's
// StopProvider then, which cancels them (a no-op for an ended call) and forgets them. A call
// that starts waits for that to finish (mu), so it is never cancelled by it. Terraform's own
// StopProvider (Ctrl-C) is passed on as it comes.
//
// A streaming call (list, action invocation, state read) is in flight until its stream has been
// read to the end.
type releasingServer struct {
	inner frameworkServer

	mu       sync.Mutex
	inFlight int
}

func newReleasingServer(inner tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	fs, ok := inner.(frameworkServer)
	if !ok {
		return inner // a framework without the optional calls: served as it is
	}
	return &releasingServer{inner: fs}
}

func (s *releasingServer) enter() {
	s.mu.Lock()
	s.inFlight++
	s.mu.Unlock()
}

func (s *releasingServer) leave() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inFlight--; s.inFlight == 0 {
		_, _ = s.inner.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{})
	}
}

// serve runs one call that ends when f returns.
func serve[Req, Resp any](s *releasingServer, f func(context.Context, Req) (Resp, error), ctx context.Context, req Req) (Resp, error) {
	s.enter()
	defer s.leave()
	return f(ctx, req)
}

// stream runs one call whose stream ends it: f's iterator, wrapped by *seq, is in flight until
// it has been read to the end (or f failed, or returned no stream).
func stream[T any](s *releasingServer, seq *iter.Seq[T], err error) {
	if err != nil || seq == nil || *seq == nil {
		s.leave()
		return
	}
	inner := *seq
	*seq = func(yield func(T) bool) {
		defer s.leave()
		inner(yield)
	}
}

func (s *releasingServer) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return serve(s, s.inner.GetMetadata, ctx, req)
}

func (s *releasingServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return serve(s, s.inner.GetProviderSchema, ctx, req)
}

func (s *releasingServer) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return serve(s, s.inner.GetResourceIdentitySchemas, ctx, req)
}

func (s *releasingServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return serve(s, s.inner.ValidateProviderConfig, ctx, req)
}

func (s *releasingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return serve(s, s.inner.ConfigureProvider, ctx, req)
}

// StopProvider is Terraform's: it cancels every call in flight.
func (s *releasingServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return s.inner.StopProvider(ctx, req)
}

func (s *releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serve(s, s.inner.ValidateResourceConfig, ctx, req)
}

func (s *releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serve(s, s.inner.UpgradeResourceState, ctx, req)
}

func (s *releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serve(s, s.inner.ReadResource, ctx, req)
}

func (s *releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serve(s, s.inner.PlanResourceChange, ctx, req)
}

func (s *releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serve(s, s.inner.ApplyResourceChange, ctx, req)
}

func (s *releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serve(s, s.inner.ImportResourceState, ctx, req)
}

func (s *releasingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return serve(s, s.inner.MoveResourceState, ctx, req)
}

func (s *releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return serve(s, s.inner.UpgradeResourceIdentity, ctx, req)
}

func (s *releasingServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return serve(s, s.inner.GenerateResourceConfig, ctx, req)
}

func (s *releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serve(s, s.inner.ValidateDataResourceConfig, ctx, req)
}

func (s *releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serve(s, s.inner.ReadDataSource, ctx, req)
}

func (s *releasingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return serve(s, s.inner.CallFunction, ctx, req)
}

func (s *releasingServer) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return serve(s, s.inner.GetFunctions, ctx, req)
}

func (s *releasingServer) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return serve(s, s.inner.ValidateEphemeralResourceConfig, ctx, req)
}

func (s *releasingServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return serve(s, s.inner.OpenEphemeralResource, ctx, req)
}

func (s *releasingServer) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return serve(s, s.inner.RenewEphemeralResource, ctx, req)
}

func (s *releasingServer) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return serve(s, s.inner.CloseEphemeralResource, ctx, req)
}

func (s *releasingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return serve(s, s.inner.ValidateListResourceConfig, ctx, req)
}

func (s *releasingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	s.enter()
	resp, err := s.inner.ListResource(ctx, req)
	var seq *iter.Seq[tfprotov6.ListResourceResult]
	if resp != nil {
		seq = &resp.Results
	}
	stream(s, seq, err)
	return resp, err
}

func (s *releasingServer) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return serve(s, s.inner.ValidateActionConfig, ctx, req)
}

func (s *releasingServer) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return serve(s, s.inner.PlanAction, ctx, req)
}

func (s *releasingServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	s.enter()
	resp, err := s.inner.InvokeAction(ctx, req)
	var seq *iter.Seq[tfprotov6.InvokeActionEvent]
	if resp != nil {
		seq = &resp.Events
	}
	stream(s, seq, err)
	return resp, err
}

func (s *releasingServer) ValidateStateStoreConfig(ctx context.Context, req *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	return serve(s, s.inner.ValidateStateStoreConfig, ctx, req)
}

func (s *releasingServer) ConfigureStateStore(ctx context.Context, req *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	return serve(s, s.inner.ConfigureStateStore, ctx, req)
}

func (s *releasingServer) ReadStateBytes(ctx context.Context, req *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	s.enter()
	resp, err := s.inner.ReadStateBytes(ctx, req)
	var seq *iter.Seq[tfprotov6.ReadStateByteChunk]
	if resp != nil {
		seq = &resp.Chunks
	}
	stream(s, seq, err)
	return resp, err
}

func (s *releasingServer) WriteStateBytes(ctx context.Context, req *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	return serve(s, s.inner.WriteStateBytes, ctx, req)
}

func (s *releasingServer) GetStates(ctx context.Context, req *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	return serve(s, s.inner.GetStates, ctx, req)
}

func (s *releasingServer) DeleteState(ctx context.Context, req *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	return serve(s, s.inner.DeleteState, ctx, req)
}

func (s *releasingServer) LockState(ctx context.Context, req *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	return serve(s, s.inner.LockState, ctx, req)
}

func (s *releasingServer) UnlockState(ctx context.Context, req *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	return serve(s, s.inner.UnlockState, ctx, req)
}
