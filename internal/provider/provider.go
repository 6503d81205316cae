package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opendrill/terraform-provider-hwc/internal/address"
)

// Address is the provider's registry address (package address holds both registries' names).
const Address = address.Terraform

var (
	_ provider.Provider                  = (*hwcProvider)(nil)
	_ provider.ProviderWithActions       = (*hwcProvider)(nil)
	_ provider.ProviderWithFunctions     = (*hwcProvider)(nil)
	_ provider.ProviderWithListResources = (*hwcProvider)(nil)
)

type hwcProvider struct {
	version string
}

// New returns a constructor of the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &hwcProvider{version: version} }
}

// providerModel is the provider block.
type providerModel struct {
	Region            types.String `tfsdk:"region"`
	ProjectID         types.String `tfsdk:"project_id"`
	AccessKey         types.String `tfsdk:"access_key"`
	SecretKey         types.String `tfsdk:"secret_key"`
	SecurityToken     types.String `tfsdk:"security_token"`
	Endpoints         types.Map    `tfsdk:"endpoints"`
	Cloud             types.String `tfsdk:"cloud"`
	Insecure          types.Bool   `tfsdk:"insecure"`
	MaxRetries        types.Int64  `tfsdk:"max_retries"`
	RequestsPerMinute types.Int64  `tfsdk:"requests_per_minute"`
	// The guard for production (rule A18, provider_guard.go).
	ProtectedTags        types.Map `tfsdk:"protected_tags"`
	ProtectedInstanceIDs types.Set `tfsdk:"protected_instance_ids"`
}

func (p *hwcProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "hwc"
	resp.Version = p.version
}

func (p *hwcProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The `hwc` provider restores Huawei Cloud RDS databases onto existing DB instances " +
			"and makes disaster-recovery drills something you write as code. Every argument can also be set " +
			"through an environment variable, so nothing depends on local files.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Region to work in, e.g. `cn-north-4`. Environment: `" + envList(envRegion) + "`. Required.",
			},
			"project_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Project ID of the region. When omitted it is looked up by region through IAM " +
					"(`GET /v3/projects?name={region}`). Environment: `" + envList(envProjectID) + "`.",
			},
			"access_key": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Access key (AK) used to sign requests. Environment: `" + envList(envAccessKey) + "`. Required.",
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Secret key (SK) used to sign requests; never logged. Environment: `" + envList(envSecretKey) + "`. Required.",
			},
			"security_token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "Security token of temporary credentials, sent as `X-Security-Token`; never logged. " +
					"Environment: `" + envList(envSecurityToken) + "`.",
			},
			"endpoints": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Endpoint overrides by service: `rds` and `iam` (full base URLs, e.g. " +
					"`https://rds.cn-north-4.myhuaweicloud.com`). Defaults are built from `region` and `cloud`. " +
					"Environment: `" + envEndpointAll + "` (both services, e.g. the local emulator), `" + envEndpointRDS +
					"`, `" + envEndpointIAM + "`.",
			},
			"cloud": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Domain suffix of the cloud's endpoints, default `" + defaultCloud + "`. " +
					"Environment: `" + envList(envCloud) + "`.",
			},
			"insecure": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip TLS certificate verification. Off by default; only for test endpoints. " +
					"Environment: `" + envList(envInsecure) + "`.",
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How many times a failed read, a throttled call (HTTP 429) or a retryable server error is retried, " +
					"default `" + itoa(defaultMaxRetries) + "`. A restore submission that may have reached the API is never retried. " +
					"Environment: `" + envMaxRetries + "`.",
			},
			"requests_per_minute": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Client-side request budget shared by everything one provider process does, default `" +
					itoa(defaultRequestsPerMinute) + "` (the API's documented flow control per user); `0` turns it off. " +
					"Environment: `" + envRequestsPerMinute + "`.",
			},
			"protected_tags": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "The guard for production: an instance that carries **any** of these tag key/value " +
					"pairs is never a restore target (rule A18). A restore or action onto it is an error at plan time, and " +
					"again right before the submission on a fresh read of the target (so an instance tagged after the plan " +
					"is refused too); `drop_previous_databases` never drops anything on it. No resource or action argument " +
					"turns it off. Environment: `" + envProtectedTags + "` (e.g. `env=prod,tier=critical`), which adds to " +
					"this map: a configuration cannot remove what the environment protects.",
			},
			"protected_instance_ids": schema.SetAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "The guard for production: instances that are never a restore target, by ID (rule A18), " +
					"checked like `protected_tags`. Environment: `" + envProtectedInstanceIDs + "` (comma-separated), which " +
					"adds to this set.",
			},
		},
	}
}

func (p *hwcProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newRestoreResource,
	}
}

func (p *hwcProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newRDSInstanceDataSource,
		newRDSInstancesDataSource,
		newRDSBackupsDataSource,
		newRDSRestoreTimeRangesDataSource,
		newRDSDatabasesDataSource,
	}
}

func (p *hwcProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{newRestoreAction}
}

// Functions are the provider-defined functions (Terraform 1.8+, OpenTofu 1.7+): time as people
// write it, and as restore_time takes it.
func (p *hwcProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{newUnixMSFunction, newRFC3339Function}
}

// ListResources serve `terraform query` (Terraform 1.14+).
func (p *hwcProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{newRestoreList}
}
