package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

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
	// pending holds restores whose apply stopped before their job ended, for the replacement
	// that takes them over (see restoreResource.Delete).
	pending *pendingJobs
}

func newProviderData(client *rds.Client, creds signer.Credentials) *providerData {
	lookups := lookup.New(client)
	return &providerData{
		client:  client,
		lookups: lookups,
		creds:   creds,
		// The runner's client shares instance listings among the job waits of many restores.
		// The task list settles a submission whose reply was lost.
		runner: &restore.Runner{Client: rds.NewWatcher(client), Tasks: restore.APITasks{Client: client},
			Locks: restore.NewTargetLocks(), Lookups: lookups},
		pending: &pendingJobs{},
	}
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
func (pd *providerData) logContext(ctx context.Context) context.Context {
	return rds.WithMasking(ctx, pd.creds)
}

// requireConfigured reports an error when a data source or resource runs before Configure.
func requireConfigured(pd *providerData, diags *diag.Diagnostics) bool {
	if pd == nil {
		diags.AddError("Provider Not Configured",
			"The hwc provider was not configured before this call. This is a bug in Terraform or the provider; please report it.")
		return false
	}
	return true
}
