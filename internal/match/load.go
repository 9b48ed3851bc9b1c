package match

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	exprfile "github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"github.com/goccy/go-yaml"
	yamlast "github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/ownercheck/ownercheck/internal/names"
	"github.com/ownercheck/ownercheck/rules"
)

// The files a rules directory holds. Each is required, so a typo in a file
// name is an error rather than silently empty dictionaries.
const (
	policyFile    = "policy.yaml"
	namesFile     = "names.yaml"
	nicknamesFile = "nicknames.yaml"
)

var ruleFiles = []string{policyFile, namesFile, nicknamesFile}

// Policy is policy.yaml: thresholds, weights and the ordered decision rules.
type Policy struct {
	Version     string         `yaml:"version"`
	Description string         `yaml:"description"`
	Thresholds  map[string]int `yaml:"thresholds"`
	Weights     Weights        `yaml:"weights"`
	Rules       []Rule         `yaml:"rules"`
	Default     Outcome        `yaml:"default"`
}

// Weights combine the per-field scores into the overall `score` a rule can
// test; fields one side lacks are left out of the average.
type Weights struct {
	Name    float64 `yaml:"name"`
	Address float64 `yaml:"address"`
	Email   float64 `yaml:"email"`
	Phone   float64 `yaml:"phone"`
}

// Rule is one ordered policy rule: the first whose condition holds decides.
type Rule struct {
	Name     string `yaml:"name"`
	When     string `yaml:"when"`
	Decision string `yaml:"decision"`
	Reason   string `yaml:"reason"`
}

// Outcome is what the policy answers when no rule matched.
type Outcome struct {
	Decision string `yaml:"decision"`
	Reason   string `yaml:"reason"`
}

// nicknameFile is nicknames.yaml: canonical given name -> nicknames.
type nicknameFile struct {
	Nicknames map[string][]string `yaml:"nicknames"`
}

// LoadError is a rule-file problem at a position, printed file:line:col.
type LoadError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *LoadError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

type compiledRule struct {
	Rule
	program *vm.Program
}

// Load reads and compiles the rule files in dir. Every problem found is
// reported (errors.Join of *LoadError), each with file:line:col.
func Load(dir string) (*Matcher, error) {
	return LoadFS(os.DirFS(dir), dir)
}

// Default is the matcher for the rules embedded from the repository's rules/.
func Default() (*Matcher, error) {
	return LoadFS(rules.FS, "rules")
}

// LoadFS reads the rule files from fsys; label prefixes file names in errors.
func LoadFS(fsys fs.FS, label string) (*Matcher, error) {
	sources := make(map[string][]byte, len(ruleFiles))
	var errs []error
	for _, name := range ruleFiles {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, &LoadError{File: path.Join(label, name), Msg: fmt.Sprintf("reading rule file: %v", unwrapPathError(err))})
			continue
		}
		sources[name] = data
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	l := loader{label: label, sources: sources}
	m := l.load()
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	return m, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

type loader struct {
	label   string
	sources map[string][]byte
	files   map[string]*yamlast.File
	errs    []error
}

func (l *loader) fail(file string, line, col int, format string, args ...any) {
	l.errs = append(l.errs, &LoadError{File: path.Join(l.label, file), Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// decode strictly decodes one file (unknown keys and duplicates are errors)
// and keeps its AST to place later, semantic errors.
func (l *loader) decode(name string, v any) bool {
	if l.files == nil {
		l.files = map[string]*yamlast.File{}
	}
	src := l.sources[name]
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		l.yamlError(name, err)
		return false
	}
	l.files[name] = f
	if err := yaml.UnmarshalWithOptions(src, v, yaml.Strict()); err != nil {
		l.yamlError(name, err)
		return false
	}
	return true
}

func (l *loader) yamlError(name string, err error) {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		pos := ye.GetToken().Position
		l.fail(name, pos.Line, pos.Column, "%s", ye.GetMessage())
		return
	}
	l.fail(name, 0, 0, "%v", err)
}

// position finds where a YAML path ("$.rules[2].when") sits in a file; 0,0
// when it cannot be found (the error is still reported, just unplaced).
func (l *loader) position(name, yamlPath string) (line, col int) {
	f := l.files[name]
	if f == nil {
		return 0, 0
	}
	p, err := yaml.PathString(yamlPath)
	if err != nil {
		return 0, 0
	}
	n, err := p.FilterFile(f)
	if err != nil || n == nil || n.GetToken() == nil {
		return 0, 0
	}
	pos := n.GetToken().Position
	return pos.Line, pos.Column
}

func (l *loader) load() *Matcher {
	var pol Policy
	var dict names.Dict
	var nick nicknameFile
	okPolicy := l.decode(policyFile, &pol)
	okNames := l.decode(namesFile, &dict)
	okNick := l.decode(nicknamesFile, &nick)
	if !okPolicy || !okNames || !okNick {
		return nil
	}
	dict.Nicknames = nick.Nicknames
	dict.Bands = l.nameBands(&pol)

	m := &Matcher{policy: pol, version: pol.Version}
	comparer, err := names.Compile(dict)
	if err != nil {
		l.dictError(err)
	}
	m.names = comparer
	m.rules = l.compilePolicy(&pol)
	m.rulesDigest = digest(l.sources)
	m.digest = VerdictDigest(m.rulesDigest, AlgorithmVersion)
	m.compareDigest = digest(map[string][]byte{namesFile: l.sources[namesFile], nicknamesFile: l.sources[nicknamesFile],
		policyFile: fmt.Appendf(nil, "%v\x00%s", pol.Weights, AlgorithmVersion)})
	if m.version == "" {
		line, col := l.position(policyFile, "$")
		l.fail(policyFile, line, col, "version is required (it names the ruleset in every verdict)")
	}
	return m
}

// nameBands are the policy thresholds the name comparer itself uses
// (dba_match, person_name_for_company): required, so that an analyst's
// edit moves the code's bands with the rules'.
func (l *loader) nameBands(pol *Policy) names.Bands {
	b := names.Bands{Strong: pol.Thresholds[strongNameKey], Partial: pol.Thresholds[partialNameKey]}
	if b.Partial <= 0 || b.Strong <= b.Partial {
		line, col := l.position(policyFile, "$.thresholds")
		l.fail(policyFile, line, col, "thresholds: %s and %s are required, with 0 < %s < %s (the name matcher uses them)",
			strongNameKey, partialNameKey, partialNameKey, strongNameKey)
	}
	return b
}

// The thresholds the name comparer needs.
const (
	strongNameKey  = "strong_name"
	partialNameKey = "partial_name"
)

// dictError places names.Compile's errors in names.yaml or nicknames.yaml.
func (l *loader) dictError(err error) {
	var des []*names.DictError
	collectDictErrors(err, &des)
	if len(des) == 0 {
		l.fail(namesFile, 0, 0, "%v", err)
		return
	}
	for _, de := range des {
		file := namesFile
		if de.Path == "$.bands" {
			continue // reported by nameBands, against policy.yaml
		}
		if strings.HasPrefix(de.Path, "$.nicknames") {
			file = nicknamesFile
		}
		line, col := l.position(file, de.Path)
		l.fail(file, line, col, "%s", de.Msg)
	}
}

func collectDictErrors(err error, out *[]*names.DictError) {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			collectDictErrors(e, out)
		}
		return
	}
	var de *names.DictError
	if errors.As(err, &de) {
		*out = append(*out, de)
	}
}

var decisions = []string{Pass, Review, Fail}

func (l *loader) compilePolicy(pol *Policy) []compiledRule {
	at := func(p string) (int, int) { return l.position(policyFile, p) }
	if len(pol.Rules) == 0 {
		line, col := at("$")
		l.fail(policyFile, line, col, "rules: at least one rule is required")
	}
	if !slices.Contains(decisions, pol.Default.Decision) {
		line, col := at("$.default.decision")
		l.fail(policyFile, line, col, "default.decision must be one of pass, review, fail (got %q)", pol.Default.Decision)
	}
	w := pol.Weights
	if w.Name < 0 || w.Address < 0 || w.Email < 0 || w.Phone < 0 || w.Name+w.Address+w.Email+w.Phone == 0 {
		line, col := at("$.weights")
		l.fail(policyFile, line, col, "weights must be non-negative and not all zero")
	}
	for k, v := range pol.Thresholds {
		if v < 0 || v > 100 {
			line, col := at("$.thresholds." + k)
			l.fail(policyFile, line, col, "threshold %s must be between 0 and 100 (got %d)", k, v)
		}
	}
	seen := map[string]bool{}
	out := make([]compiledRule, 0, len(pol.Rules))
	for i, r := range pol.Rules {
		base := fmt.Sprintf("$.rules[%d]", i)
		if r.Name == "" || seen[r.Name] {
			line, col := at(base)
			l.fail(policyFile, line, col, "rule %d: name must be present and unique (got %q)", i+1, r.Name)
		}
		seen[r.Name] = true
		if !slices.Contains(decisions, r.Decision) {
			line, col := at(base + ".decision")
			if line == 0 {
				line, col = at(base)
			}
			l.fail(policyFile, line, col, "rule %q: decision must be one of pass, review, fail (got %q)", r.Name, r.Decision)
		}
		if strings.TrimSpace(r.When) == "" {
			line, col := at(base)
			l.fail(policyFile, line, col, "rule %q: when is required", r.Name)
			continue
		}
		prog, err := compileCondition(r.When, pol.Thresholds)
		if err != nil {
			line, col := at(base + ".when")
			var fe *exprfile.Error
			if errors.As(err, &fe) {
				// Point into the expression when it sits on the key's line.
				if line > 0 && fe.Line == 1 && !strings.Contains(r.When, "\n") {
					col += fe.Column
				} else if line > 0 {
					line += fe.Line
				}
				l.fail(policyFile, line, col, "rule %q: %s", r.Name, conditionMessage(fe.Message, r.When))
			} else {
				if line > 0 && !strings.Contains(r.When, "\n") {
					col += thresholdOffset(err, r.When)
				}
				l.fail(policyFile, line, col, "rule %q: %s", r.Name, conditionMessage(err.Error(), r.When))
			}
			continue
		}
		out = append(out, compiledRule{Rule: r, program: prog})
	}
	return out
}

// compileCondition type-checks a rule condition against Env and inlines
// thresholds as constants, so a misspelt field or threshold is a load error
// rather than a silently false condition.
func compileCondition(src string, thresholds map[string]int) (*vm.Program, error) {
	inl := &thresholdInliner{values: thresholds}
	prog, err := expr.Compile(src, expr.Env(Env{}), expr.AsBool(), expr.Patch(inl))
	if err != nil {
		return nil, err
	}
	if inl.unknown != "" {
		defined := sortedKeys(thresholds)
		hint := ""
		if near := nearest(inl.unknown, defined); near != "" {
			hint = fmt.Sprintf("did you mean thresholds.%s? ", near)
		}
		return nil, &unknownThresholdError{name: inl.unknown, msg: fmt.Sprintf("unknown threshold %q (%sdefined: %s)", inl.unknown, hint, strings.Join(defined, ", "))}
	}
	return prog, nil
}

type unknownThresholdError struct{ name, msg string }

func (e *unknownThresholdError) Error() string { return e.msg }

// thresholdOffset is where an unknown threshold sits in a one-line
// condition, so the error points at it; 0 for other errors.
func thresholdOffset(err error, src string) int {
	var ue *unknownThresholdError
	if !errors.As(err, &ue) {
		return 0
	}
	return max(strings.Index(src, "thresholds."+ue.name), 0)
}

type thresholdInliner struct {
	values  map[string]int
	unknown string
}

func (t *thresholdInliner) Visit(node *ast.Node) {
	m, ok := (*node).(*ast.MemberNode)
	if !ok {
		return
	}
	id, ok := m.Node.(*ast.IdentifierNode)
	if !ok || id.Value != "thresholds" {
		return
	}
	key, ok := m.Property.(*ast.StringNode)
	if !ok {
		return
	}
	v, ok := t.values[key.Value]
	if !ok {
		if t.unknown == "" {
			t.unknown = key.Value
		}
		return
	}
	ast.Patch(node, &ast.IntegerNode{Value: v})
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// digest identifies the exact rule files loaded (name and content), so a
// cached verdict from other rules is never served.
func digest(sources map[string][]byte) string {
	h := sha256.New()
	for _, name := range ruleFiles {
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write(bytes.ReplaceAll(sources[name], []byte("\r\n"), []byte("\n")))
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
}
