package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/opendrill/terraform-provider-hwc/internal/address"
	"github.com/opendrill/terraform-provider-hwc/internal/provider"
)

func main() {
	in := flag.String("in", "", "output of `providers schema -json`")
	out := flag.String("out", "", "file to write")
	pages := flag.String("pages", "", "file to write the list of pages to")
	flag.Parse()
	if err := run(*in, *out, *pages); err != nil {
		fmt.Fprintln(os.Stderr, "docschema:", err)
		os.Exit(1)
	}
}

func run(in, out, pages string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var doc struct {
		FormatVersion string                                `json:"format_version"`
		Schemas       map[string]map[string]json.RawMessage `json:"provider_schemas"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	var hwc map[string]json.RawMessage
	for addr, s := range doc.Schemas {
		if strings.HasSuffix(addr, "/"+address.Source) {
			hwc = s
		}
	}
	if hwc == nil {
		return fmt.Errorf("%s has no schema of %s (is the dev_overrides config in use?)", in, address.Source)
	}
	_, haveActions := hwc["action_schemas"]
	_, haveLists := hwc["list_resource_schemas"]
	if !haveActions || !haveLists {
		actions, lists, err := providerSchemas()
		if err != nil {
			return err
		}
		for key, schemas := range map[string]map[string]any{"action_schemas": actions, "list_resource_schemas": lists} {
			if _, ok := hwc[key]; ok || len(schemas) == 0 {
				continue
			}
			if hwc[key], err = json.Marshal(schemas); err != nil {
				return err
			}
		}
	}
	doc.Schemas = map[string]map[string]json.RawMessage{"hwc": hwc}
	result, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append(result, '\n'), 0o644); err != nil {
		return err
	}
	if pages == "" {
		return nil
	}
	list, err := pageList(hwc)
	if err != nil {
		return err
	}
	return os.WriteFile(pages, []byte(strings.Join(list, "\n")+"\n"), 0o644)
}

// pageList names the page of every type and function in the schema, sorted.
func pageList(hwc map[string]json.RawMessage) ([]string, error) {
	var list []string
	for key, dir := range map[string]string{"resource_schemas": "resources", "data_source_schemas": "data-sources",
		"action_schemas": "actions", "ephemeral_resource_schemas": "ephemeral-resources", "functions": "functions",
		"list_resource_schemas": "list-resources"} {
		var types map[string]json.RawMessage
		if raw, ok := hwc[key]; ok {
			if err := json.Unmarshal(raw, &types); err != nil {
				return nil, fmt.Errorf("%s: %w", key, err)
			}
		}
		for name := range types {
			list = append(list, dir+"/"+strings.TrimPrefix(name, "hwc_"))
		}
	}
	sort.Strings(list)
	return list, nil
}

// providerSchemas asks the provider for its action and list resource schemas, as Terraform 1.14
// would.
func providerSchemas() (actions, lists map[string]any, err error) {
	server := providerserver.NewProtocol6(provider.New("docs")())()
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, nil, err
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return nil, nil, fmt.Errorf("provider schema: %s: %s", d.Summary, d.Detail)
		}
	}
	actions, lists = map[string]any{}, map[string]any{}
	for name, a := range resp.ActionSchemas {
		b, err := block(a.Schema.Block)
		if err != nil {
			return nil, nil, fmt.Errorf("action %s: %w", name, err)
		}
		actions[name] = map[string]any{"block": b}
	}
	for name, l := range resp.ListResourceSchemas {
		b, err := block(l.Block)
		if err != nil {
			return nil, nil, fmt.Errorf("list resource %s: %w", name, err)
		}
		lists[name] = map[string]any{"version": l.Version, "block": b}
	}
	return actions, lists, nil
}

// block writes a schema block the way `providers schema -json` does.
func block(b *tfprotov6.SchemaBlock) (map[string]any, error) {
	out := map[string]any{"description_kind": kind(b.DescriptionKind)}
	if b.Description != "" {
		out["description"] = b.Description
	}
	if b.Deprecated {
		out["deprecated"] = true
	}
	if len(b.Attributes) > 0 {
		attrs, err := attributes(b.Attributes)
		if err != nil {
			return nil, err
		}
		out["attributes"] = attrs
	}
	if len(b.BlockTypes) > 0 {
		types := map[string]any{}
		for _, nb := range b.BlockTypes {
			inner, err := block(nb.Block)
			if err != nil {
				return nil, err
			}
			t := map[string]any{"nesting_mode": blockNesting[nb.Nesting], "block": inner}
			if nb.MinItems > 0 {
				t["min_items"] = nb.MinItems
			}
			if nb.MaxItems > 0 {
				t["max_items"] = nb.MaxItems
			}
			types[nb.TypeName] = t
		}
		out["block_types"] = types
	}
	return out, nil
}

func attributes(list []*tfprotov6.SchemaAttribute) (map[string]any, error) {
	out := map[string]any{}
	for _, a := range list {
		m := map[string]any{"description_kind": kind(a.DescriptionKind)}
		if a.NestedType != nil {
			inner, err := attributes(a.NestedType.Attributes)
			if err != nil {
				return nil, err
			}
			m["nested_type"] = map[string]any{"attributes": inner, "nesting_mode": objectNesting[a.NestedType.Nesting]}
		} else {
			// The CLI's JSON form of a type; no other exported function writes it.
			t, err := a.Type.MarshalJSON() //nolint:staticcheck // deprecated for providers, used here as the CLI would
			if err != nil {
				return nil, fmt.Errorf("attribute %s: %w", a.Name, err)
			}
			m["type"] = json.RawMessage(t)
		}
		for key, set := range map[string]bool{"required": a.Required,
			"optional": a.Optional, "computed": a.Computed, "sensitive": a.Sensitive, "deprecated": a.Deprecated,
			"write_only": a.WriteOnly} {
			if set {
				m[key] = true
			}
		}
		if a.Description != "" {
			m["description"] = a.Description
		}
		out[a.Name] = m
	}
	return out, nil
}

func kind(k tfprotov6.StringKind) string {
	if k == tfprotov6.StringKindMarkdown {
		return "markdown"
	}
	return "plain"
}

var blockNesting = map[tfprotov6.SchemaNestedBlockNestingMode]string{
	tfprotov6.SchemaNestedBlockNestingModeSingle: "single",
	tfprotov6.SchemaNestedBlockNestingModeList:   "list",
	tfprotov6.SchemaNestedBlockNestingModeSet:    "set",
	tfprotov6.SchemaNestedBlockNestingModeMap:    "map",
	tfprotov6.SchemaNestedBlockNestingModeGroup:  "group",
}

var objectNesting = map[tfprotov6.SchemaObjectNestingMode]string{
	tfprotov6.SchemaObjectNestingModeSingle: "single",
	tfprotov6.SchemaObjectNestingModeList:   "list",
	tfprotov6.SchemaObjectNestingModeSet:    "set",
	tfprotov6.SchemaObjectNestingModeMap:    "map",
}
