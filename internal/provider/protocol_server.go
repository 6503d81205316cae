package provider

import (
	"context"
	"iter"
	"sync/atomic"
	"time"

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
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// releasingServer passes every call to the framework's protocol server, with a context that lets
// go of the call's own context once the call has ended (callContext).
//
// The framework's protocol server keeps the cancel function of every call's context, so that
// StopProvider can cancel the calls in flight, and lets go of them only on StopProvider, which
// Terraform sends only on Ctrl-C. Each call's context holds its loggers and their fields (about
// 15 kB), so a provider process of a hundred restores kept some 300 of them (validate, plan,
// apply) until it exited: 4 to 5 MB that every garbage collection counted as live. What the
// framework keeps now is a callContext emptied when the call ended.
//
// A streaming call (list, action invocation, state read) ends when its stream has been read to
// the end.
type releasingServer struct {
	inner frameworkServer
}

func newReleasingServer(inner tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	fs, ok := inner.(frameworkServer)
	if !ok {
		return inner // a framework without the optional calls: served as it is
	}
	return &releasingServer{inner: fs}
}

// callContext is a call's context until end is called, then an empty one (no values, no
// deadline, never done): what still refers to it after the call no longer keeps the call's
// context alive. Nothing uses it after the call: the provider starts no goroutine that outlives
// a call with its context.
type callContext struct {
	ctx atomic.Pointer[context.Context]
}

func newCallContext(ctx context.Context) *callContext {
	c := &callContext{}
	c.ctx.Store(&ctx)
	return c
}

func (c *callContext) end() { c.ctx.Store(nil) }

func (c *callContext) Deadline() (time.Time, bool) {
	if p := c.ctx.Load(); p != nil {
		return (*p).Deadline()
	}
	return time.Time{}, false
}

func (c *callContext) Done() <-chan struct{} {
	if p := c.ctx.Load(); p != nil {
		return (*p).Done()
	}
	return nil
}

func (c *callContext) Err() error {
	if p := c.ctx.Load(); p != nil {
		return (*p).Err()
	}
	return nil
}

func (c *callContext) Value(key any) any {
	if p := c.ctx.Load(); p != nil {
		return (*p).Value(key)
	}
	return nil
}

// serve runs one call that ends when f returns.
func serve[Req, Resp any](f func(context.Context, Req) (Resp, error), ctx context.Context, req Req) (Resp, error) {
	c := newCallContext(ctx)
	defer c.end()
	return f(c, req)
}

// serveStream runs one call that ends when the stream f returns has been read to the end (or
// when f returned no stream); stream picks the stream's iterator out of f's reply.
func serveStream[Req, Resp, T any](f func(context.Context, Req) (*Resp, error), stream func(*Resp) *iter.Seq[T], ctx context.Context, req Req) (*Resp, error) {
	c := newCallContext(ctx)
	resp, err := f(c, req)
	if err != nil || resp == nil || *stream(resp) == nil {
		c.end()
		return resp, err
	}
	seq := stream(resp)
	inner := *seq
	*seq = func(yield func(T) bool) {
		defer c.end()
		inner(yield)
	}
	return resp, err
}

func (s *releasingServer) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return serve(s.inner.GetMetadata, ctx, req)
}

func (s *releasingServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return serve(s.inner.GetProviderSchema, ctx, req)
}

func (s *releasingServer) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return serve(s.inner.GetResourceIdentitySchemas, ctx, req)
}

func (s *releasingServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return serve(s.inner.ValidateProviderConfig, ctx, req)
}

func (s *releasingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return serve(s.inner.ConfigureProvider, ctx, req)
}

// StopProvider is Terraform's (Ctrl-C): the framework cancels every call in flight.
func (s *releasingServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return s.inner.StopProvider(ctx, req)
}

func (s *releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serve(s.inner.ValidateResourceConfig, ctx, req)
}

func (s *releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serve(s.inner.UpgradeResourceState, ctx, req)
}

func (s *releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serve(s.inner.ReadResource, ctx, req)
}

func (s *releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serve(s.inner.PlanResourceChange, ctx, req)
}

func (s *releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serve(s.inner.ApplyResourceChange, ctx, req)
}

func (s *releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serve(s.inner.ImportResourceState, ctx, req)
}

func (s *releasingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return serve(s.inner.MoveResourceState, ctx, req)
}

func (s *releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return serve(s.inner.UpgradeResourceIdentity, ctx, req)
}

func (s *releasingServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return serve(s.inner.GenerateResourceConfig, ctx, req)
}

func (s *releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serve(s.inner.ValidateDataResourceConfig, ctx, req)
}

func (s *releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serve(s.inner.ReadDataSource, ctx, req)
}

func (s *releasingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return serve(s.inner.CallFunction, ctx, req)
}

func (s *releasingServer) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return serve(s.inner.GetFunctions, ctx, req)
}

func (s *releasingServer) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return serve(s.inner.ValidateEphemeralResourceConfig, ctx, req)
}

func (s *releasingServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return serve(s.inner.OpenEphemeralResource, ctx, req)
}

func (s *releasingServer) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return serve(s.inner.RenewEphemeralResource, ctx, req)
}

func (s *releasingServer) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return serve(s.inner.CloseEphemeralResource, ctx, req)
}

func (s *releasingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return serve(s.inner.ValidateListResourceConfig, ctx, req)
}

func (s *releasingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return serveStream(s.inner.ListResource, func(r *tfprotov6.ListResourceServerStream) *iter.Seq[tfprotov6.ListResourceResult] {
		return &r.Results
	}, ctx, req)
}

func (s *releasingServer) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return serve(s.inner.ValidateActionConfig, ctx, req)
}

func (s *releasingServer) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return serve(s.inner.PlanAction, ctx, req)
}

func (s *releasingServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	return serveStream(s.inner.InvokeAction, func(r *tfprotov6.InvokeActionServerStream) *iter.Seq[tfprotov6.InvokeActionEvent] {
		return &r.Events
	}, ctx, req)
}

func (s *releasingServer) ValidateStateStoreConfig(ctx context.Context, req *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	return serve(s.inner.ValidateStateStoreConfig, ctx, req)
}

func (s *releasingServer) ConfigureStateStore(ctx context.Context, req *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	return serve(s.inner.ConfigureStateStore, ctx, req)
}

func (s *releasingServer) ReadStateBytes(ctx context.Context, req *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	return serveStream(s.inner.ReadStateBytes, func(r *tfprotov6.ReadStateBytesStream) *iter.Seq[tfprotov6.ReadStateByteChunk] {
		return &r.Chunks
	}, ctx, req)
}

func (s *releasingServer) WriteStateBytes(ctx context.Context, req *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	return serve(s.inner.WriteStateBytes, ctx, req)
}

func (s *releasingServer) GetStates(ctx context.Context, req *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	return serve(s.inner.GetStates, ctx, req)
}

func (s *releasingServer) DeleteState(ctx context.Context, req *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	return serve(s.inner.DeleteState, ctx, req)
}

func (s *releasingServer) LockState(ctx context.Context, req *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	return serve(s.inner.LockState, ctx, req)
}

func (s *releasingServer) UnlockState(ctx context.Context, req *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	return serve(s.inner.UnlockState, ctx, req)
}
