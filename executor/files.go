package executor

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"hoist/diag"
	"hoist/internal/atomicfile"
)

// writeFile writes a file whole or not at all, creating its folder: the
// executor writes below the node root, whose folders it owns.
func writeFile(path string, data []byte, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, data, perm)
}

// ShellQuote renders an argv for people to read (and paste into a POSIX
// shell): arguments with characters a shell would interpret are put in
// single quotes. hoist itself never runs a shell.
func ShellQuote(argv []string) string {
	var b strings.Builder
	for i, a := range argv {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(shellWord(a))
	}
	return b.String()
}

func shellWord(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=,+@%", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		// ANSI-C quoting keeps a command with newlines on one line.
		var b strings.Builder
		b.WriteString("$'")
		for _, r := range s {
			switch {
			case r == '\\' || r == '\'':
				b.WriteByte('\\')
				b.WriteRune(r)
			case r == '\n':
				b.WriteString(`\n`)
			case r == '\t':
				b.WriteString(`\t`)
			case r < 0x20 || r == 0x7f:
				fmt.Fprintf(&b, `\x%02x`, r)
			default:
				b.WriteRune(r)
			}
		}
		b.WriteByte('\'')
		return b.String()
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// joinErrors combines errors: diagnostics into one Diagnostics (sorted),
// anything else with errors.Join.
func joinErrors(errs []error) error {
	var ds []*diag.Diagnostic
	var other []error
	for _, err := range errs {
		var d *diag.Diagnostic
		var dd Diagnostics
		switch {
		case errors.As(err, &dd):
			ds = append(ds, dd...)
		case errors.As(err, &d):
			ds = append(ds, d)
		case err != nil:
			other = append(other, err)
		}
	}
	if len(other) > 0 {
		return errors.Join(other...)
	}
	if len(ds) == 0 {
		return nil
	}
	return diag.Err(ds)
}
