package provider_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/provider"
)

// configureProvider sends ConfigureProvider, as the CLI named by cliVersion would, with a provider
// block that names region, the keys and one endpoint for RDS and IAM, and no project_id (so the
// provider looks it up through IAM at once).
func configureProvider(t *testing.T, providerVersion, cliVersion, endpoint, secretKey string) []*tfprotov6.Diagnostic {
	t.Helper()
	server := providerserver.NewProtocol6(provider.New(providerVersion)())()
	schema, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ, ok := schema.Provider.ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("provider schema type is %T", schema.Provider.ValueType())
	}
	cfg, err := tfprotov6.NewDynamicValue(typ, objectOf(typ, map[string]tftypes.Value{
		"region":     tftypes.NewValue(tftypes.String, emulator.DemoRegion),
		"access_key": tftypes.NewValue(tftypes.String, emulator.DemoAccessKey),
		"secret_key": tftypes.NewValue(tftypes.String, secretKey),
		"endpoints": tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{
			"rds": tftypes.NewValue(tftypes.String, endpoint),
			"iam": tftypes.NewValue(tftypes.String, endpoint),
		}),
	}))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{TerraformVersion: cliVersion, Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

// TestConfigure_userAgent: every request carries the provider's version and the version of the
// CLI that configured it; the CLI is named neutrally, since OpenTofu and Terraform both send a
// bare version number.
func TestConfigure_userAgent(t *testing.T) {
	for _, c := range []struct {
		name, providerVersion, cliVersion, want string
	}{
		{name: "released under terraform or tofu", providerVersion: "0.1.0", cliVersion: "1.15.0", want: "terraform-provider-hwc/0.1.0 (cli/1.15.0)"},
		{name: "a local build", providerVersion: "dev", cliVersion: "1.12.6", want: "terraform-provider-hwc/dev (cli/1.12.6)"},
		{name: "no CLI version sent", providerVersion: "0.1.0", cliVersion: "", want: "terraform-provider-hwc/0.1.0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var mu sync.Mutex
			var agents []string
			iam := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				agents = append(agents, r.Header.Get("User-Agent"))
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(map[string]any{"projects": []map[string]string{{"id": emulator.DemoProjectID, "name": emulator.DemoRegion}}})
			}))
			defer iam.Close()
			if errs := errorDiags(configureProvider(t, c.providerVersion, c.cliVersion, iam.URL, emulator.DemoSecretKey)); len(errs) > 0 {
				t.Fatalf("ConfigureProvider: %s", renderDiags(errs))
			}
			mu.Lock()
			defer mu.Unlock()
			if len(agents) != 1 || agents[0] != c.want {
				t.Errorf("User-Agent of the project lookup = %q, want [%q]", agents, c.want)
			}
		})
	}
}

// TestConfigure_refusedSignatureNamesTheKeys: a wrong secret key (the emulator answers HTTP 401
// APIGW.0301) gives an error that names the arguments and variables that hold the credentials,
// never the secret itself.
func TestConfigure_refusedSignatureNamesTheKeys(t *testing.T) {
	_, ts := emulator.NewTestServer(t, emulator.Options{})
	const wrong = "NotTheSecretKeyTheEmulatorKnows000000000"
	diags := errorDiags(configureProvider(t, "test", "1.15.0", ts.URL, wrong))
	if len(diags) != 1 {
		t.Fatalf("want one error, got:\n%s", renderDiags(diags))
	}
	detail := diags[0].Detail
	for _, want := range []string{
		"HTTP 401 APIGW.0301",
		"access_key (HW_ACCESS_KEY or HUAWEICLOUD_SDK_AK)",
		"secret_key (HW_SECRET_KEY or HUAWEICLOUD_SDK_SK)",
		"security_token (HW_SECURITY_TOKEN or HUAWEICLOUD_SDK_SECURITY_TOKEN)",
	} {
		if !strings.Contains(detail, want) {
			t.Errorf("the error does not say %q:\n%s", want, detail)
		}
	}
	if strings.Contains(detail, wrong) {
		t.Errorf("the error shows the secret key:\n%s", detail)
	}
}
