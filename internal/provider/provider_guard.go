package provider

// The guard for production (rule A18): the provider's protected_tags and protected_instance_ids,
// and their environment variables, name instances that are never a restore target. The plan
// checks it with the other rules (checkWith); the step right before a submission checks it again
// on a fresh read of the target (guardTarget), before anything is backed up, dropped or restored.
// Both the provider block and the environment protect: the environment's entries are added to the
// block's, so a workspace guarded by its variables cannot be unguarded by a configuration.

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
)

// Where a protection comes from, as messages name it.
const (
	fromProtectedTags = "the provider's protected_tags"
	fromProtectedIDs  = "the provider's protected_instance_ids"
)

// protectionSetting reads protected_tags and protected_instance_ids and their variables.
func protectionSetting(ctx context.Context, m providerModel, resp *provider.ConfigureResponse) rules.Protection {
	var p rules.Protection
	if !m.ProtectedTags.IsNull() && !m.ProtectedTags.IsUnknown() {
		tags := map[string]string{}
		resp.Diagnostics.Append(m.ProtectedTags.ElementsAs(ctx, &tags, false)...)
		for _, k := range sortedKeys(tags) {
			if strings.TrimSpace(k) == "" {
				resp.Diagnostics.AddAttributeError(path.Root("protected_tags"), "Invalid Provider Setting",
					"protected_tags has an empty key; each key is a tag key, e.g. { env = \"prod\" }.")
				continue
			}
			p.Tags = append(p.Tags, rules.ProtectedTag{Key: k, Value: tags[k], From: fromProtectedTags})
		}
	}
	if !m.ProtectedInstanceIDs.IsNull() && !m.ProtectedInstanceIDs.IsUnknown() {
		var ids []string
		resp.Diagnostics.Append(m.ProtectedInstanceIDs.ElementsAs(ctx, &ids, false)...)
		sort.Strings(ids)
		for _, id := range ids {
			if strings.TrimSpace(id) == "" {
				resp.Diagnostics.AddAttributeError(path.Root("protected_instance_ids"), "Invalid Provider Setting",
					"protected_instance_ids has an empty ID; list instance IDs.")
				continue
			}
			p.InstanceIDs = append(p.InstanceIDs, rules.ProtectedID{ID: strings.TrimSpace(id), From: fromProtectedIDs})
		}
	}
	tags, err := parseProtectedTags(os.Getenv(envProtectedTags))
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("protected_tags"), "Invalid Environment Variable", err.Error())
	}
	p.Tags = append(p.Tags, tags...)
	p.InstanceIDs = append(p.InstanceIDs, parseProtectedIDs(os.Getenv(envProtectedInstanceIDs))...)
	return p
}

// parseProtectedTags reads HWC_PROTECTED_TAGS: comma-separated key=value pairs, e.g.
// "env=prod,tier=critical" (spaces around items are ignored; a value may be empty: "key=").
func parseProtectedTags(v string) ([]rules.ProtectedTag, error) {
	var out []rules.ProtectedTag
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, val, ok := strings.Cut(item, "=")
		k, val = strings.TrimSpace(k), strings.TrimSpace(val)
		if !ok || k == "" {
			return out, fmt.Errorf("%s=%q: the item %q is not key=value; write comma-separated tag pairs, e.g. "+
				"%s=\"env=prod,tier=critical\"", envProtectedTags, v, item, envProtectedTags)
		}
		out = append(out, rules.ProtectedTag{Key: k, Value: val, From: envProtectedTags})
	}
	return out, nil
}

// parseProtectedIDs reads HWC_PROTECTED_INSTANCE_IDS: comma-separated instance IDs.
func parseProtectedIDs(v string) []rules.ProtectedID {
	var out []rules.ProtectedID
	for _, id := range strings.Split(v, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, rules.ProtectedID{ID: id, From: envProtectedInstanceIDs})
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// protectedError is a target the guard refused right before the submission.
type protectedError struct {
	finding rules.Finding
}

func (e *protectedError) Error() string {
	return strings.TrimSuffix(e.finding.Detail, " (rule "+e.finding.Rule+")")
}

// guardTarget checks the target against the guard on a fresh read (not the lookup cache): a
// target tagged since the plan is refused too. With nothing protected it reads nothing.
func (pd *providerData) guardTarget(ctx context.Context, target string) error {
	if pd.protection.Empty() {
		return nil
	}
	var in *rules.Instance
	if len(rules.CheckProtected(target, nil, pd.protection)) == 0 {
		got, err := pd.client.GetInstance(ctx, target)
		if err != nil {
			return fmt.Errorf("reading the target %s to check the guard for production (rule A18) failed: %w", target, err)
		}
		in = restore.RulesInstance(got)
	}
	if fs := rules.CheckProtected(target, in, pd.protection); len(fs) > 0 {
		return &protectedError{finding: fs[0]}
	}
	return nil
}
