package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

var _ function.Function = unixMSFunction{}

// unixMSFunction is provider::hwc::unix_ms: an RFC 3339 timestamp, with any offset, to Unix
// milliseconds, the form the restore's restore_time takes. Terraform 1.8+ and OpenTofu 1.7+.
type unixMSFunction struct{}

func newUnixMSFunction() function.Function { return unixMSFunction{} }

func (unixMSFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "unix_ms"
}

func (unixMSFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "An RFC 3339 timestamp as Unix milliseconds",
		MarkdownDescription: "Converts an RFC 3339 timestamp with any offset (`2026-12-02T14:30:00+08:00`, " +
			"`2026-12-02T06:30:00Z`, with or without a fraction of a second) to Unix milliseconds, the form " +
			"`restore_time` takes. It takes what `timestamp()`, `plantimestamp()` and `timeadd()` return, so an incident " +
			"time can be written as people have it: `restore_time = provider::hwc::unix_ms(timeadd(var.incident_at, \"-10m\"))`. " +
			"A fraction finer than a millisecond is dropped. The reverse is `provider::hwc::rfc3339`.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name: "timestamp",
				MarkdownDescription: "An RFC 3339 timestamp: date, `T`, time and offset (`Z` or `+08:00`), " +
					"e.g. `2026-12-02T14:30:00+08:00`.",
			},
		},
		Return: function.Int64Return{},
	}
}

func (unixMSFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var s string
	if resp.Error = req.Arguments.Get(ctx, &s); resp.Error != nil {
		return
	}
	ms, err := parseRFC3339Millis(s)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, ms)
}

var (
	dateOnlyRE  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	spacedRE    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} +\d`)
	hasOffsetRE = regexp.MustCompile(`(Z|[+-]\d{2}:\d{2})$`)
	noColonRE   = regexp.MustCompile(`T.*[+-]\d{4}$`)
)

// parseRFC3339Millis reads an RFC 3339 timestamp as Unix milliseconds; its error says what the
// input lacks and shows the form it needs.
func parseRFC3339Millis(s string) (int64, error) {
	// RFC 3339 allows a lower-case "t" and "z"; Go's parser takes only upper case.
	t, err := time.Parse(time.RFC3339, strings.ToUpper(strings.TrimSpace(s)))
	if err == nil {
		return t.UnixMilli(), nil
	}
	up := strings.ToUpper(strings.TrimSpace(s))
	var why string
	switch {
	case up == "":
		why = "it is empty"
	case dateOnlyRE.MatchString(up):
		why = "it is a date without a time of day and an offset"
	case spacedRE.MatchString(up):
		why = "a space separates the date and the time, where RFC 3339 wants a \"T\""
	case noColonRE.MatchString(up):
		why = "its offset lacks the colon RFC 3339 wants: write \"+08:00\", not \"+0800\""
	case !hasOffsetRE.MatchString(up):
		why = "it has no offset: add \"Z\" for UTC, or the offset of its time zone such as \"+08:00\""
	case strings.Contains(err.Error(), "out of range"):
		why = "a field is out of range (" + err.Error()[strings.LastIndex(err.Error(), ": ")+2:] + ")"
	default:
		why = "it does not have the form date, \"T\", time and offset"
	}
	return 0, fmt.Errorf("timestamp is %q, which is not an RFC 3339 timestamp: %s. Write it as "+
		"\"2026-12-02T14:30:00+08:00\" (or \"2026-12-02T06:30:00Z\" in UTC); timestamp(), plantimestamp() and "+
		"timeadd() return this form", s, why)
}
