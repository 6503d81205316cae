package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

// Environment variables, in order of precedence: the official provider's names first, then the
// SDK's, so users of either keep the variables they already set.
var (
	envRegion        = []string{"HW_REGION_NAME", "HUAWEICLOUD_SDK_REGION"}
	envProjectID     = []string{"HW_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID"}
	envAccessKey     = []string{"HW_ACCESS_KEY", "HUAWEICLOUD_SDK_AK"}
	envSecretKey     = []string{"HW_SECRET_KEY", "HUAWEICLOUD_SDK_SK"}
	envSecurityToken = []string{"HW_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN"}
	envCloud         = []string{"HW_CLOUD"}
	envInsecure      = []string{"HW_INSECURE"}
)

// The provider's own variables, for settings the official provider has no name for.
const (
	envEndpointAll       = "HWC_ENDPOINT"
	envEndpointRDS       = "HWC_RDS_ENDPOINT"
	envEndpointIAM       = "HWC_IAM_ENDPOINT"
	envMaxRetries        = "HWC_MAX_RETRIES"
	envRequestsPerMinute = "HWC_REQUESTS_PER_MINUTE"
	// The guard for production (provider_guard.go).
	envProtectedTags        = "HWC_PROTECTED_TAGS"
	envProtectedInstanceIDs = "HWC_PROTECTED_INSTANCE_IDS"
)

const (
	defaultCloud             = "myhuaweicloud.com"
	defaultMaxRetries        = 5
	defaultRequestsPerMinute = 60
)

func envList(names []string) string { return strings.Join(names, "`, `") }

func itoa(i int) string { return strconv.Itoa(i) }

// firstEnv returns the first non-empty variable of names, and its name.
func firstEnv(names ...string) (value, name string) {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v, n
		}
	}
	return "", ""
}

// resolvedConfig is the provider block with environment defaults applied.
type resolvedConfig struct {
	Region, ProjectID, AccessKey, SecretKey, SecurityToken string
	RDSEndpoint, IAMEndpoint, Cloud                        string
	Insecure                                               bool
	MaxRetries, RequestsPerMinute                          int
	Protection                                             rules.Protection
}

func (p *hwcProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, ok := resolveConfig(ctx, m, resp)
	if !ok {
		return
	}

	creds := signer.Credentials{AccessKey: cfg.AccessKey, SecretKey: cfg.SecretKey, SecurityToken: cfg.SecurityToken}
	ctx = rds.WithMasking(ctx, creds)
	client, err := rds.NewClient(rds.Config{
		Endpoint:          cfg.RDSEndpoint,
		IAMEndpoint:       cfg.IAMEndpoint,
		Region:            cfg.Region,
		ProjectID:         cfg.ProjectID,
		Credentials:       creds,
		Insecure:          cfg.Insecure,
		MaxRetries:        cfg.MaxRetries,
		RequestsPerMinute: cfg.RequestsPerMinute,
		UserAgent:         userAgent(p.version, req.TerraformVersion),
		AuthHint:          authHint(),
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot Create the RDS Client", err.Error())
		return
	}
	if cfg.ProjectID == "" {
		if err := client.EnsureProjectID(ctx); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("project_id"), "Cannot Look Up the Project ID",
				fmt.Sprintf("project_id is not set, so the provider looked up the project of region %q through IAM "+
					"(GET %s/v3/projects?name=%s) and failed: %s\n\nSet project_id, or one of `%s`, to skip the lookup.",
					cfg.Region, cfg.IAMEndpoint, cfg.Region, err, envList(envProjectID)))
			return
		}
	}
	tflog.Debug(ctx, "hwc provider configured", map[string]any{
		"region": cfg.Region, "project_id": client.ProjectID(), "rds_endpoint": cfg.RDSEndpoint,
		"iam_endpoint": cfg.IAMEndpoint, "requests_per_minute": cfg.RequestsPerMinute,
		"temporary_credentials": cfg.SecurityToken != "",
	})

	data := newProviderData(client, creds)
	data.protection = cfg.Protection
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ActionData = data
	resp.ListResourceData = data
}

// userAgent names the provider's version (main.go's, set at release) and the CLI's, e.g.
// "terraform-provider-hwc/0.1.0 (cli/1.15.0)". The CLI is named neutrally: Terraform and OpenTofu
// both send only a version number (ConfigureRequest.TerraformVersion), which does not say which
// of the two it is. A CLI that sends none leaves the comment out.
func userAgent(providerVersion, cliVersion string) string {
	ua := "terraform-provider-hwc/" + providerVersion
	if cliVersion != "" {
		ua += " (cli/" + cliVersion + ")"
	}
	return ua
}

// authHint ends the message of a request the API gateway refused as unauthenticated (HTTP 401,
// APIGW.0301 or APIGW.0307): which arguments and variables hold the credentials, and the two
// other causes the gateway gives the same answer for (internal/service/rds/doc.go, Errors).
func authHint() string {
	return fmt.Sprintf("The API gateway refused the request's credentials: check access_key (%s), secret_key (%s) "+
		"and, for temporary credentials, security_token (%s), which expires; a value in the provider block wins over "+
		"the variables. The gateway also refuses a request dated more than 15 minutes off its clock, and locks an "+
		"access key for five minutes after five refused signatures in a row.",
		strings.Join(envAccessKey, " or "), strings.Join(envSecretKey, " or "), strings.Join(envSecurityToken, " or "))
}

// resolveConfig applies environment defaults to the provider block and reports every missing or
// unknown setting in one pass, naming the attribute and its variables.
func resolveConfig(ctx context.Context, m providerModel, resp *provider.ConfigureResponse) (resolvedConfig, bool) {
	unknown := func(attr string, isUnknown bool, env string) {
		if isUnknown {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Unknown Provider Setting",
				fmt.Sprintf("%s depends on a value that is not known until apply, so the provider cannot be configured. "+
					"Set it to a known value, or leave it out and use %s.", attr, env))
		}
	}
	unknown("region", m.Region.IsUnknown(), envList(envRegion))
	unknown("project_id", m.ProjectID.IsUnknown(), envList(envProjectID))
	unknown("access_key", m.AccessKey.IsUnknown(), envList(envAccessKey))
	unknown("secret_key", m.SecretKey.IsUnknown(), envList(envSecretKey))
	unknown("security_token", m.SecurityToken.IsUnknown(), envList(envSecurityToken))
	unknown("endpoints", m.Endpoints.IsUnknown(), envEndpointRDS)
	unknown("cloud", m.Cloud.IsUnknown(), envList(envCloud))
	unknown("insecure", m.Insecure.IsUnknown(), envList(envInsecure))
	unknown("max_retries", m.MaxRetries.IsUnknown(), envMaxRetries)
	unknown("requests_per_minute", m.RequestsPerMinute.IsUnknown(), envRequestsPerMinute)
	unknown("protected_tags", m.ProtectedTags.IsUnknown(), envProtectedTags)
	unknown("protected_instance_ids", m.ProtectedInstanceIDs.IsUnknown(), envProtectedInstanceIDs)
	if resp.Diagnostics.HasError() {
		return resolvedConfig{}, false
	}

	str := func(v interface{ ValueString() string }, env []string) string {
		if s := v.ValueString(); s != "" {
			return s
		}
		s, _ := firstEnv(env...)
		return s
	}
	cfg := resolvedConfig{
		Region:        str(m.Region, envRegion),
		ProjectID:     str(m.ProjectID, envProjectID),
		AccessKey:     str(m.AccessKey, envAccessKey),
		SecretKey:     str(m.SecretKey, envSecretKey),
		SecurityToken: str(m.SecurityToken, envSecurityToken),
		Cloud:         str(m.Cloud, envCloud),
	}
	if cfg.Cloud == "" {
		cfg.Cloud = defaultCloud
	}

	missing := func(attr, value string, env []string) {
		if value == "" {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Missing Provider Setting: "+attr,
				fmt.Sprintf("The provider needs %s. Set it in the provider block, or set the environment variable %s.",
					attr, strings.Join(env, " or ")))
		}
	}
	missing("region", cfg.Region, envRegion)
	missing("access_key", cfg.AccessKey, envAccessKey)
	missing("secret_key", cfg.SecretKey, envSecretKey)

	cfg.Insecure = boolSetting(m.Insecure.ValueBoolPointer(), envInsecure[0], "insecure", resp)
	cfg.MaxRetries = intSetting(m.MaxRetries.ValueInt64Pointer(), envMaxRetries, defaultMaxRetries, "max_retries", resp)
	cfg.RequestsPerMinute = intSetting(m.RequestsPerMinute.ValueInt64Pointer(), envRequestsPerMinute,
		defaultRequestsPerMinute, "requests_per_minute", resp)

	cfg.Protection = protectionSetting(ctx, m, resp)

	endpoints := map[string]string{}
	if !m.Endpoints.IsNull() {
		resp.Diagnostics.Append(m.Endpoints.ElementsAs(ctx, &endpoints, false)...)
	}
	for k := range endpoints {
		if k != "rds" && k != "iam" {
			resp.Diagnostics.AddAttributeError(path.Root("endpoints"), "Unknown Endpoint Key",
				fmt.Sprintf("endpoints has the key %q; the provider knows \"rds\" and \"iam\".", k))
		}
	}
	all := os.Getenv(envEndpointAll)
	cfg.RDSEndpoint = pick(endpoints["rds"], os.Getenv(envEndpointRDS), all)
	cfg.IAMEndpoint = pick(endpoints["iam"], os.Getenv(envEndpointIAM), all)
	if cfg.RDSEndpoint == "" && cfg.Region != "" {
		cfg.RDSEndpoint = fmt.Sprintf("https://rds.%s.%s", cfg.Region, cfg.Cloud)
	}
	if cfg.IAMEndpoint == "" && cfg.Region != "" {
		cfg.IAMEndpoint = fmt.Sprintf("https://iam.%s.%s", cfg.Region, cfg.Cloud)
	}
	cfg.RDSEndpoint = strings.TrimRight(cfg.RDSEndpoint, "/")
	cfg.IAMEndpoint = strings.TrimRight(cfg.IAMEndpoint, "/")
	return cfg, !resp.Diagnostics.HasError()
}

func boolSetting(configured *bool, env, attr string, resp *provider.ConfigureResponse) bool {
	if configured != nil {
		return *configured
	}
	v := os.Getenv(env)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root(attr), "Invalid Environment Variable",
			fmt.Sprintf("%s=%q is not a boolean; use true or false.", env, v))
	}
	return b
}

func intSetting(configured *int64, env string, def int, attr string, resp *provider.ConfigureResponse) int {
	n := int64(def)
	if configured != nil {
		n = *configured
	} else if v := os.Getenv(env); v != "" {
		parsed, err := strconv.ParseInt(v, 10, 32)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Invalid Environment Variable",
				fmt.Sprintf("%s=%q is not a whole number.", env, v))
			return def
		}
		n = parsed
	}
	if n < 0 {
		resp.Diagnostics.AddAttributeError(path.Root(attr), "Invalid Provider Setting",
			fmt.Sprintf("%s is %d; it must be 0 or more.", attr, n))
		return def
	}
	return int(n)
}
