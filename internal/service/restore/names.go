package restore

// IsRestoreName says whether a job or task name is a restore's, by the same rule the task list
// adapter uses (the name a real cloud gives a restore is not confirmed: see isRestoreTask).
func IsRestoreName(name string) bool { return isRestoreTask(name) }
