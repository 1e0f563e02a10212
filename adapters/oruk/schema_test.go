package oruk_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// base is where open_api.json says the ORUK schemas live; the test
// serves them from schema/ and fetches nothing.
const base = "https://raw.githubusercontent.com/tpximpact/OpenReferralApi/refs/heads/main/OpenReferralApi/Schemas/V3.0-UK/"

var schemaNames = []string{"api_details", "service", "service_list", "organization", "organization_list", "taxonomy",
	"taxonomy_list", "taxonomy_term", "taxonomy_term_list", "service_at_location", "service_at_location_list", "page"}

// schemas compiles every committed schema once per test binary, with
// formats (uuid, uri, email, date-time) asserted.
var schemas = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, n := range schemaNames {
		data, err := os.ReadFile(filepath.Join("schema", n+".json"))
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		if err := c.AddResource(base+n+".json", doc); err != nil {
			return nil, err
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, n := range schemaNames {
		s, err := c.Compile(base + n + ".json")
		if err != nil {
			return nil, err
		}
		out[n] = s
	}
	return out, nil
})

// validate checks body against the named official schema. A list
// ("…_list", or "organizations") is checked against the strict page
// wrapper too, and each item of an organisation list against
// organization_list.json (the official file is the item's schema).
func validate(t testing.TB, name string, body []byte) {
	t.Helper()
	ss, err := schemas()
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	require.NoError(t, err)
	check := func(n string, v any) {
		t.Helper()
		require.NoError(t, ss[n].Validate(v), "%s: %.400s", n, body)
	}
	switch name {
	case "organizations":
		check("page", inst)
		for _, item := range inst.(map[string]any)["contents"].([]any) {
			check("organization_list", item)
		}
	case "service_list", "taxonomy_list", "taxonomy_term_list", "service_at_location_list":
		check("page", inst)
		check(name, inst)
	default:
		check(name, inst)
	}
}

// TestSchemasBite shows the validator refuses what the schemas forbid,
// so that a passing validation means something.
func TestSchemasBite(t *testing.T) {
	ss, err := schemas()
	require.NoError(t, err)
	for name, body := range map[string]string{
		"service":      `{"id":"not-a-uuid","name":"x","status":"active"}`,
		"api_details":  `{"version":"x","profile":"x"}`,
		"page":         `{"total_items":1,"contents":[]}`,
		"service_list": `{"contents":[{"id":"7d9f3b5e-1c2a-4d6e-8f00-112233445566","name":"x","status":"open"}]}`,
		"taxonomy":     `{"id":"7d9f3b5e-1c2a-4d6e-8f00-112233445566","name":"x"}`,
	} {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(body)))
		require.NoError(t, err)
		require.Error(t, ss[name].Validate(inst), name)
	}
}
