package provider_test

// The action under the guard for production and with backup_target_first, through the CLI
// (Terraform 1.14 and later).

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

// guardedTrigger is triggeredRestore under a provider block with extra lines.
func guardedTrigger(env *acctest.Env, provider []string, release string, config ...string) string {
	return strings.Replace(triggeredRestore(env, release, config...), env.ProviderBlock(), env.ProviderBlock(provider...), 1)
}

// The action obeys the guard: a protected target (by tag) stops the plan, nothing is submitted.
func TestAccRDSInstanceRestoreAction_cliProtected(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	config := guardedTrigger(env, []string{`  protected_tags = { env = "prod" }`}, "2026.12.1",
		fmt.Sprintf("    source_instance_id = %q", emulator.MySQLSourceID),
		fmt.Sprintf("    target_instance_id = %q", emulator.MySQLSourceID),
		fmt.Sprintf("    backup_id          = %q", emulator.MySQLBackupID))
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionCLIChecks,
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: config,
			ExpectError: wrapped(`Protected Target Instance.*The target instance "` + emulator.MySQLSourceID +
				`" \(mysql57-prod\) is protected: it carries the tag env = "prod", which the provider's protected_tags protects\.` +
				`.*\(Rule A18 of the documented restore constraints\.\)`),
		}},
	})
	expectNothingSubmitted(t, env)
}

// A target tagged env=prod after the plan and before the invocation is refused when the action
// is invoked: nothing is backed up or submitted.
func TestAccRDSInstanceRestoreAction_cliProtectedBeforeSubmission(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	var once sync.Once
	hook := func() {
		once.Do(func() {
			tags := []emulator.Tag{{Key: "env", Value: "prod"}}
			if _, err := (tfcli.Admin{URL: env.URL}).PatchInstance(emulator.MySQLTargetID, emulator.AdminInstancePatch{Tags: &tags}); err != nil {
				t.Error(err)
			}
			env.ClearRequests(t)
		})
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionCLIChecks,
		ProtoV6ProviderFactories: beforeInvokeFactories(hook),
		Steps: []resource.TestStep{{
			Config: guardedTrigger(env, []string{`  protected_tags = { env = "prod" }`}, "2026.12.1",
				mysqlBackupConfig(`    backup_target_first = true`)...),
			// The invocation checks the rules again on what it reads then (and once more right
			// before the submission, on a fresh read): either way, it is refused when invoked.
			ExpectError: wrapped(`Error when invoking action.*Protected Target Instance.*The target instance "` +
				emulator.MySQLTargetID + `" \(mysql57-staging\) is protected: it carries the tag env = "prod"`),
		}},
	})
	expectNothingSubmitted(t, env)
}

// backup_target_first on the action: the backup first, then the restore, and the progress names
// the backup to restore for an undo.
func TestAccRDSInstanceRestoreAction_cliBackupTargetFirst(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	rec := &progressRecorder{}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionCLIChecks,
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			Config: triggeredRestore(env, "2026.12.1", mysqlBackupConfig(`    backup_target_first = true`)...),
			Check: func(*terraform.State) error {
				calls := apiCalls(t, env)
				b, r := slices.Index(calls, "POST /v3/backups"), slices.Index(calls, "POST /v3.1/instances/recovery")
				if b < 0 || r < 0 || b > r || countOf(calls, "POST /v3/backups") != 1 || env.RestoreSubmissions(t) != 1 {
					return fmt.Errorf("want one POST backups before one POST recovery; requests:\n%s", strings.Join(calls, "\n"))
				}
				backups := preRestoreBackups(t, env)
				messages, _ := rec.all()
				for _, want := range []string{
					`^Taking a manual backup hwc-pre-restore-[0-9a-f]{8} of target ` + emulator.MySQLTargetID + ` before the restore$`,
					`^Backup hwc-pre-restore-[0-9a-f]{8} \(\S+\) of ` + emulator.MySQLTargetID + ` COMPLETED$`,
					`^To undo this restore, restore backup \S+ of ` + emulator.MySQLTargetID + ` onto it$`,
				} {
					if !slices.ContainsFunc(messages, regexp.MustCompile(want).MatchString) {
						return fmt.Errorf("no progress message matching %s; got:\n%s", want, strings.Join(messages, "\n"))
					}
				}
				if len(backups) != 1 {
					return fmt.Errorf("pre-restore backups of the target: %v, want one", backups)
				}
				for id := range backups {
					if !slices.ContainsFunc(messages, func(m string) bool { return strings.Contains(m, "restore backup "+id+" of") }) {
						return fmt.Errorf("the progress does not name backup %s for the undo", id)
					}
				}
				return nil
			},
		}},
	})
}

// beforeInvokeFactories serve the provider with hook run when the CLI invokes an action, after
// every plan of it.
func beforeInvokeFactories(hook func()) map[string]func() (tfprotov6.ProviderServer, error) {
	inner := acctest.ProviderFactories()["hwc"]
	return map[string]func() (tfprotov6.ProviderServer, error){
		"hwc": func() (tfprotov6.ProviderServer, error) {
			s, err := inner()
			if err != nil {
				return nil, err
			}
			withActions, ok := s.(tfprotov6.ProviderServerWithActions)
			if !ok {
				return nil, fmt.Errorf("provider server %T does not serve actions", s)
			}
			return beforeInvokeServer{ProviderServerWithActions: withActions, hook: hook}, nil
		},
	}
}

type beforeInvokeServer struct {
	tfprotov6.ProviderServerWithActions
	hook func()
}

func (s beforeInvokeServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	s.hook()
	return s.ProviderServerWithActions.InvokeAction(ctx, req)
}
