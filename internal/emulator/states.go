package emulator

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Instance status values the emulator sets itself.
const (
	statusActive    = "ACTIVE"
	statusRestoring = "RESTORING"
	statusBackingUp = "BACKING UP"
)

// instanceStatuses are the status values the API documents for an instance (rds-api.md's list,
// with CREATE FAIL and SHUTDOWN that some clouds add). A seed or an admin call may set any of
// them; anything else is refused, so a typo cannot make a state no client will ever meet.
// true marks the states an instance does not leave by itself: a restore cannot wait them out.
var instanceStatuses = map[string]bool{
	"BUILD": false, statusActive: false, "MODIFYING": false, "REBOOTING": false, statusRestoring: false,
	"MODIFYING INSTANCE TYPE": false, "SWITCHOVER": false, "MIGRATING": false, statusBackingUp: false,
	"MODIFYING DATABASE PORT": false,
	"FAILED":                  true, "FROZEN": true, "STORAGE FULL": true, "CREATE FAIL": true, "SHUTDOWN": true,
}

// checkInstanceStatus says whether st is a documented instance status.
func checkInstanceStatus(st string) error {
	if _, ok := instanceStatuses[st]; ok {
		return nil
	}
	known := make([]string, 0, len(instanceStatuses))
	for k := range instanceStatuses {
		known = append(known, k)
	}
	sort.Strings(known)
	return fmt.Errorf("status %q is not an instance status of the API; want one of %s", st, strings.Join(known, ", "))
}

// Codes for a restore onto a target whose state does not allow it and will not change by itself
// (rds-api.md, Errors): "status does not allow the operation" has two documented codes, 400
// DBS.200086 and DBS.201014, and storage full its own, 409 DBS.200316.
const (
	codeStatusNotAllowed      = "DBS.200086"
	codeStatusNotAllowedOther = "DBS.201014"
	codeStorageFull           = "DBS.200316"
)

// stuckTargetError is the answer to a restore onto a target in a state it does not leave by
// itself, or nil when the target's state is transient (a busy target is the rules' A17, 409
// DBS.200011, which a client may wait out). The documents do not say which of the two "status
// does not allow the operation" codes the API gives for which state, so the emulator uses both:
// DBS.201014 for FROZEN (frozen by billing or an administrator, a matter of the account) and
// DBS.200086 for FAILED, CREATE FAIL and SHUTDOWN (the instance itself). A client that handles
// only one of them fails a test. STORAGE FULL has its own documented code.
func stuckTargetError(target *SeedInstance) *apiError {
	if target == nil || !instanceStatuses[target.Status] {
		return nil
	}
	msg := fmt.Sprintf("The DB instance %s is %s: its status does not allow a restore, and it will not change by itself.", target.ID, target.Status)
	switch target.Status {
	case "STORAGE FULL":
		return &apiError{http.StatusConflict, codeStorageFull, fmt.Sprintf("The storage space of the DB instance %s is full: scale up its storage or remove data before restoring onto it.", target.ID)}
	case "FROZEN":
		return &apiError{http.StatusBadRequest, codeStatusNotAllowedOther, msg}
	default:
		return &apiError{http.StatusBadRequest, codeStatusNotAllowed, msg}
	}
}
