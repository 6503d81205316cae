package restore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
	"github.com/opendrill/terraform-provider-hwc/internal/service/lookup"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// GatherFacts reads what the API rules need about a request, through the shared cache. An
// instance or backup that does not exist is reported as nil (rule A1 / A12 speaks for it); any
// other failure is returned, since the rules cannot be judged without the facts.
func GatherFacts(ctx context.Context, c *lookup.Cache, region string, req rules.Request, phase rules.Phase, now time.Time) (rules.Facts, error) {
	f := rules.Facts{Region: region, Phase: phase, Now: now}
	var err error
	if f.Source, err = instanceFacts(ctx, c, req.SourceInstanceID); err != nil {
		return f, err
	}
	if rules.SameID(req.TargetInstanceID, req.SourceInstanceID) {
		f.Target = f.Source
	} else if f.Target, err = instanceFacts(ctx, c, req.TargetInstanceID); err != nil {
		return f, err
	}
	if f.Source == nil || f.Target == nil {
		return f, nil // A1 decides; nothing else can be judged
	}

	engine := strings.ToLower(f.Source.Engine)
	switch {
	case engine == "mysql":
		// A9: lower_case_table_names is only readable through the configurations call.
		for _, in := range uniqueInstances(f.Source, f.Target) {
			if in.LowerCaseTableNames, err = configValue(ctx, c, in.ID, "lower_case_table_names"); err != nil {
				return f, err
			}
		}
	case engine == "sqlserver":
		// A15 needs the target's databases and quota for every SQL Server restore; A14 (and A15
		// when no backup lists what is restored) needs the source's databases too.
		instances := []*rules.Instance{f.Target}
		if f.Source != f.Target && (req.DatabaseName != nil || rules.EffectiveType(req) == rules.TypeTimestamp) {
			instances = append(instances, f.Source)
		}
		for _, in := range instances {
			dbs, err := c.Databases(ctx, in.ID)
			if err != nil {
				return f, err
			}
			in.Databases = databaseNames(dbs)
			// The API has no collation field on the instance: SQL Server reports it as the
			// character_set of every database. An instance without databases leaves it
			// unknown, and S12 warns instead of judging.
			in.Collation = collationOf(dbs)
		}
		quota, err := configValue(ctx, c, f.Target.ID, "rds_databases_quota")
		if err != nil {
			return f, err
		}
		f.Target.DatabasesQuota, _ = strconv.Atoi(quota)
	}

	switch rules.EffectiveType(req) {
	case rules.TypeBackup:
		b, err := c.Backup(ctx, req.SourceInstanceID, req.BackupID)
		if err != nil && !isNotFound(err) {
			return f, err
		}
		if b == nil && f.Target != f.Source {
			// Not the source's. Backups are listed per instance (instance_id is required), so
			// the likeliest other owner is looked at: a backup of the target, taken for the
			// source's, is then named as such (A12) rather than "not found".
			if b, err = c.Backup(ctx, req.TargetInstanceID, req.BackupID); err != nil && !isNotFound(err) {
				return f, err
			}
		}
		if b != nil {
			f.Backup = RulesBackup(b)
		}
	case rules.TypeTimestamp:
		windows, err := c.RestoreWindows(ctx, req.SourceInstanceID)
		if err != nil {
			return f, err
		}
		f.Windows = RulesWindows(windows)
	}
	return f, nil
}

func uniqueInstances(a, b *rules.Instance) []*rules.Instance {
	if a == b {
		return []*rules.Instance{a}
	}
	return []*rules.Instance{a, b}
}

func instanceFacts(ctx context.Context, c *lookup.Cache, id string) (*rules.Instance, error) {
	in, err := c.Instance(ctx, id)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return RulesInstance(in), nil
}

// collationOf is the collation SQL Server databases report as their character_set: the first
// one given ("" when none is).
func collationOf(dbs []rds.Database) string {
	for _, d := range dbs {
		if d.CharacterSet != "" {
			return d.CharacterSet
		}
	}
	return ""
}

// configValue returns one configuration parameter; "" when the API does not list it (unknown).
func configValue(ctx context.Context, c *lookup.Cache, instanceID, name string) (string, error) {
	cfg, err := c.Configurations(ctx, instanceID)
	if err != nil {
		if isNotFound(err) {
			return "", nil
		}
		return "", err
	}
	for _, p := range cfg.ConfigurationParameters {
		if p.Name == name {
			return p.Value, nil
		}
	}
	return "", nil
}

func isNotFound(err error) bool {
	var apiErr *rds.Error
	return errors.As(err, &apiErr) && apiErr.NotFound()
}
