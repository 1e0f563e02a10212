package fhir_test

import (
	"bytes"
	"os"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// schemaFile is the official FHIR R4 (4.0.1) JSON schema; see
// schema/README.md for its source.
const schemaFile = "schema/fhir.schema.json"

// r4 is the schema, compiled once per test binary: it is 2.8 MB and its
// ResourceList is a oneOf over every resource type.
var r4 = sync.OnceValues(func() (*jsonschema.Schema, error) {
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("http://hl7.org/fhir/json-schema/4.0", doc); err != nil {
		return nil, err
	}
	return c.Compile("http://hl7.org/fhir/json-schema/4.0")
})

// validate reports whether body (a Bundle or any resource, as JSON) is
// valid against the FHIR R4 JSON schema.
func validate(body []byte) error {
	s, err := r4()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

func requireValid(t *testing.T, body []byte) {
	t.Helper()
	if err := validate(body); err != nil {
		msg := err.Error()
		if len(msg) > 4000 {
			msg = msg[:4000] + "…"
		}
		require.Fail(t, "the export is not valid FHIR R4 JSON", msg)
	}
}
