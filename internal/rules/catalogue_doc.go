package rules

import (
	"fmt"
	"strings"
)

// RuleTable renders the rules of one kind as the Markdown table of the resource page: one row
// per rule, with what is checked and what to do, straight from the catalogue.
func RuleTable(kind Kind) string {
	var b strings.Builder
	b.WriteString("| Rule | What is checked | What to do |\n|---|---|---|\n")
	for _, r := range catalogue {
		if r.Kind == kind {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", r.ID, cell(r.Checked), cell(r.Remedy))
		}
	}
	return b.String()
}

// cell keeps a text inside one table cell.
func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(s), "\n", " "), "|", `\|`)
}

// Markers of a generated rule table in a document: the text between a begin marker and the end
// marker is replaced by RuleTable of the marker's kind.
const (
	tableBegin = "<!-- rule table: %s (generated from the rule catalogue; do not edit) -->"
	tableEnd   = "<!-- end of rule table -->"
)

// UpdateRuleTables replaces every marked rule table in doc with the catalogue's current one. It
// fails when a begin marker has no end marker, or when doc has no marked table at all.
func UpdateRuleTables(doc string) (string, error) {
	found := 0
	for _, kind := range []Kind{StaticRule, APIRule} {
		begin := fmt.Sprintf(tableBegin, kind)
		var out strings.Builder
		rest := doc
		for {
			i := strings.Index(rest, begin)
			if i < 0 {
				break
			}
			j := strings.Index(rest[i:], tableEnd)
			if j < 0 {
				return "", fmt.Errorf("%q has no %q after it", begin, tableEnd)
			}
			out.WriteString(rest[:i] + begin + "\n\n" + RuleTable(kind) + "\n" + tableEnd)
			rest = rest[i+j+len(tableEnd):]
			found++
		}
		doc = out.String() + rest
	}
	if found == 0 {
		return "", fmt.Errorf("no rule table markers (%q ... %q)", fmt.Sprintf(tableBegin, "static"), tableEnd)
	}
	return doc, nil
}
