package pipeline

import "fmt"

// UsageError is a mistake in the values a command was given (a malformed
// --count, an unknown --release, a role the deployment does not have),
// found while the pipeline reads them: the command reports it as a usage
// error, apart from the errors of the inputs themselves (diagnostics at
// the line of a file).
type UsageError string

func (e UsageError) Error() string { return string(e) }

// usagef makes a UsageError.
func usagef(format string, args ...any) error {
	return UsageError(fmt.Sprintf(format, args...))
}
