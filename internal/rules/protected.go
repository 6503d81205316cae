package rules

import (
	"fmt"
	"sort"
	"strings"
)

// Protection is the guard for production (A18): instances that are never a restore target, as
// the provider's configuration names them. It is the provider's guard, not the API's: the API
// restores onto a tagged instance like any other, so the emulator never sets it (an empty
// Protection protects nothing) and A18 has no API answer.
type Protection struct {
	// Tags: an instance carrying any of these key/value pairs is protected.
	Tags []ProtectedTag
	// InstanceIDs: these instances are protected (ids compare as SameID does).
	InstanceIDs []ProtectedID
}

// ProtectedTag is one protected tag pair and the setting that protects it, for messages (e.g.
// "the provider's protected_tags", "HWC_PROTECTED_TAGS").
type ProtectedTag struct {
	Key, Value, From string
}

// ProtectedID is one protected instance id and the setting that protects it.
type ProtectedID struct {
	ID, From string
}

// Empty says whether nothing is protected.
func (p Protection) Empty() bool { return len(p.Tags) == 0 && len(p.InstanceIDs) == 0 }

// CheckProtected is A18 on its own: whether the target (its id, and its tags when in is known)
// is protected. The provider runs it at plan time (within CheckAPI) and again right before the
// submission on a fresh read of the target.
func CheckProtected(target string, in *Instance, p Protection) []Finding {
	var c collector
	checkProtected(&c, target, in, p)
	return c.list
}

// protectedTarget is A18 within CheckAPI.
func (a *apiCheck) protectedTarget() {
	checkProtected(a.c, a.req.TargetInstanceID, a.f.Target, a.f.Protected)
}

func checkProtected(c *collector, target string, in *Instance, p Protection) {
	label := fmt.Sprintf("%q", target)
	if in != nil && in.Name != "" {
		label = fmt.Sprintf("%q (%s)", target, in.Name)
	}
	const then = "Nothing is restored onto it: a protected instance is never a restore target, and no resource or action argument turns the guard off. If the target is wrong, fix target_instance_id; if this instance really is meant to be restored over, remove it from that setting first."
	for _, id := range p.InstanceIDs {
		if isSet(target) && sameText(id.ID, target) {
			c.guard("A18", AttrTargetInstanceID, "Protected Target Instance",
				"The target instance %s is protected: its id is listed in %s. %s", label, id.From, then)
			return
		}
	}
	if in == nil {
		return
	}
	keys := make([]string, 0, len(in.Tags))
	for k := range in.Tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, t := range p.Tags {
		for _, k := range keys {
			if k == t.Key && in.Tags[k] == t.Value {
				c.guard("A18", AttrTargetInstanceID, "Protected Target Instance",
					"The target instance %s is protected: it carries the tag %s = %q, which %s protects. %s",
					label, k, t.Value, t.From, then)
				return
			}
		}
	}
}

// guard records an Error of a rule that only the provider checks: no API code, because the API
// would take the restore.
func (c *collector) guard(rule, attr, summary, format string, args ...any) {
	c.list = append(c.list, Finding{
		Rule: rule, Severity: Error, Attribute: attr, Summary: summary,
		Detail: strings.TrimSpace(fmt.Sprintf(format, args...)) + " (rule " + rule + ")",
	})
}
