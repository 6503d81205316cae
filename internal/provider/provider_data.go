package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
	"github.com/opendrill/terraform-provider-hwc/internal/service/lookup"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

// providerData is what Configure hands to every resource, data source and action of one
// provider process: one client (so one shared request budget) and one lookup cache.
type providerData struct {
	client  *rds.Client
	lookups *lookup.Cache
	creds   signer.Credentials
	runner  *restore.Runner
	deleted deletedRestores // restores Delete forgot in this process, for a replacement's last plan
	// earlier holds restores whose apply stopped before their job ended, for the apply that
	// takes them over (restore_lifecycle.go).
	earlier *earlierRestores
	// protection is the guard for production (rule A18): instances never restored onto.
	protection rules.Protection
}

func newProviderData(client *rds.Client, creds signer.Credentials) *providerData {
	lookups := lookup.New(client)
	return &providerData{
		client:  client,
		lookups: lookups,
		creds:   creds,
		// The runner's client shares one poller (the task list) among the job waits of many restores.
		// The task list settles a submission whose reply was lost.
		runner: &restore.Runner{Client: rds.NewWatcher(client), Tasks: restore.APITasks{Client: client},
			Locks: restore.NewTargetLocks(), Lookups: lookups},
		earlier: &earlierRestores{},
	}
}

// providerBase is what every resource, data source and action holds: the provider data its
// Configure was handed (nil while the provider is not configured, e.g. during validation).
// The framework's three Configure methods take different request types, so each kind embeds
// its own base below, whose Configure is the one way provider data reaches a type.
type providerBase struct {
	data *providerData
}

// dataSourceBase is embedded by every data source.
type dataSourceBase struct{ providerBase }

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// resourceBase is embedded by the resource.
type resourceBase struct{ providerBase }

func (b *resourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// actionBase is embedded by the action.
type actionBase struct{ providerBase }

func (b *actionBase) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	b.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// providerDataFrom converts what the framework passes to Configure of a resource, data source or
// action. A nil value is normal: the provider is not configured during validation.
func providerDataFrom(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	pd, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
		return nil
	}
	return pd
}

// logContext masks the provider's secrets in every log line written under the returned context.
// Create does not keep one for its whole wait: it masks each of its own log lines (the client
// masks its calls itself), because a masked context copies the logger's options five times and
// a hundred restores wait at once.
func (pd *providerData) logContext(ctx context.Context) context.Context {
	return rds.WithMasking(ctx, pd.creds)
}

// requireConfigured reports an error when a data source or resource runs before Configure.
func requireConfigured(pd *providerData, diags *diag.Diagnostics) bool {
	if pd == nil {
		diags.AddError("Provider Not Configured",
			"The hwc provider was not configured before this call. This is a bug in the CLI or the provider; please report it.")
		return false
	}
	return true
}
