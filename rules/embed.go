// Package rules embeds the repository's rule files, the defaults ownercheck
// serves and evaluates with when no rules directory is configured. Analysts
// edit the YAML files here; `ownercheck rules lint rules` checks them.
package rules

import "embed"

// FS holds policy.yaml, names.yaml and nicknames.yaml.
//
//go:embed *.yaml
var FS embed.FS
