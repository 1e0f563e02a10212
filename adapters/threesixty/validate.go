package threesixty

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The 360Giving JSON Schemas, embedded so that callers need no files at
// run time. schema/README.md gives their source, licence and exactly how
// faithful each copy is.
//
//go:embed schema/360-giving-package-schema.json schema/360-giving-schema.json
var schemaFS embed.FS

// The URLs the schemas are known by: the grant schema's own "id", which
// the package schema's $ref names, and the package schema's place beside
// it in the standard's repository. Nothing is fetched from them.
const (
	GrantSchemaURL   = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4/schema/360-giving-schema.json"
	PackageSchemaURL = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4/schema/360-giving-package-schema.json"
)

// Violation is one place where a package breaks the schema: a JSON
// pointer (RFC 6901) into the package — "" for the package itself,
// "/grants/0/currency" for a grant's field — and the reason.
type Violation struct {
	Pointer string
	Reason  string
}

// String describes the violation with its pointer.
func (v Violation) String() string {
	p := v.Pointer
	if p == "" {
		p = "(package)"
	}
	return p + ": " + v.Reason
}

// SchemaError lists every violation of the 360Giving schema found in a
// package, in the order the validator found them. It wraps ErrInvalid.
type SchemaError struct{ Violations []Violation }

// Error implements error, listing every violation with its pointer.
func (e *SchemaError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "threesixty: package does not match the 360Giving schema (%d violations)", len(e.Violations))
	for _, v := range e.Violations {
		b.WriteString("; ")
		b.WriteString(v.String())
	}
	return b.String()
}

// Unwrap returns ErrInvalid.
func (e *SchemaError) Unwrap() error { return ErrInvalid }

// schema compiles the embedded schemas once. Formats (date-time, uri, …)
// are asserted, as the standard's own tools do.
var schema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for url, name := range map[string]string{
		GrantSchemaURL:   "schema/360-giving-schema.json",
		PackageSchemaURL: "schema/360-giving-package-schema.json",
	} {
		data, err := schemaFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := c.AddResource(url, doc); err != nil {
			return nil, err
		}
	}
	return c.Compile(PackageSchemaURL)
})

// Validate reads a 360Giving JSON package (at most MaxSize bytes) and
// checks it against the 360Giving JSON Schema embedded in this package
// (version 1.4, draft-04, formats asserted). It returns nil for a valid
// package, and otherwise a *SchemaError (wrapping ErrInvalid) listing
// every violation with its JSON pointer; a file that is not JSON, or too
// large, is one violation at the package itself.
//
// The package schema is the standard's 1.4 text; the grant schema is a
// faithful-as-possible reconstruction of 1.4, not a verbatim copy (see
// schema/README.md). This package's own stricter rules (exactly one
// recipient, 360G- ids, amounts in pence) are Parse's.
func Validate(r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return fmt.Errorf("threesixty: read: %w", err)
	}
	return ValidatePackage(data)
}

// ValidatePackage is Validate for a package already in memory.
func ValidatePackage(data []byte) error {
	if len(data) > MaxSize {
		return &SchemaError{Violations: []Violation{{Reason: fmt.Sprintf("larger than %d bytes", MaxSize)}}}
	}
	s, err := schema()
	if err != nil {
		return fmt.Errorf("threesixty: embedded schema: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return &SchemaError{Violations: []Violation{{Reason: "not JSON: " + err.Error()}}}
	}
	err = s.Validate(inst)
	var ve *jsonschema.ValidationError
	if err == nil {
		return nil
	} else if !errors.As(err, &ve) {
		return fmt.Errorf("threesixty: validate: %w", err)
	}
	se := &SchemaError{}
	seen := map[Violation]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			v := Violation{Pointer: pointer(e.InstanceLocation), Reason: reason(e)}
			if !seen[v] {
				seen[v] = true
				se.Violations = append(se.Violations, v)
			}
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return se
}

// pointer writes a JSON pointer (RFC 6901) from its reference tokens.
func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}

// reason is a leaf error's message in English.
func reason(e *jsonschema.ValidationError) string {
	r := fmt.Sprint(e.ErrorKind)
	if out := e.BasicOutput(); out != nil && out.Error != nil {
		r = out.Error.String()
	}
	// An enum's message lists every allowed value (all ISO 4217
	// currencies): keep the start.
	if rs := []rune(r); len(rs) > maxReason {
		r = string(rs[:maxReason]) + "…"
	}
	return r
}

// maxReason bounds the length of a violation's reason, in characters.
const maxReason = 160
