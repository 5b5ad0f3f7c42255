package pipeline

import (
	"bytes"

	"hoist/compiler/deploy"
)

// Skeleton returns, as a YAML environment file, a parameter_defaults
// skeleton of the parameters d compiled without a value (its Missing;
// compile with DeployFlags.AllowMissing to have them all): each with its
// type, the template and line declaring it and its description, for the
// operator to fill in and pass with -e (hoist params missing).
func Skeleton(d *deploy.Deployment) ([]byte, error) {
	var b bytes.Buffer
	if err := deploy.WriteSkeleton(&b, d.Missing); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
