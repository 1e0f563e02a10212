package grants_test

import (
	"encoding/json"
	"testing"

	"github.com/strongertogether/community/grants"
)

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// FuzzParseRules feeds arbitrary text to the rules parser: it must never
// panic, must return an ErrInvalid *FieldError or rules that validate,
// and rules it accepts must evaluate without panicking.
func FuzzParseRules(f *testing.F) {
	ss, _ := json.Marshal(grants.SmallSparksRules())
	f.Add(ss)
	f.Add([]byte(`[{"kind":"any","rules":[{"kind":"not","rules":[{"kind":"new-idea"}]}]}]`))
	f.Add([]byte(`[{"kind":"amount","min":"250","max":"50"}]`))
	f.Add([]byte(`[{"kind":"match","hourlyRate":"12.001","share":"1"}]`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, err := grants.ParseRules(data)
		if err != nil {
			var fe *grants.FieldError
			if !errorsAs(err, &fe) {
				t.Fatalf("error is not a *FieldError: %v", err)
			}
			return
		}
		for i := range rules {
			if err := rules[i].Validate(); err != nil {
				t.Fatalf("accepted rule %d does not validate: %v", i, err)
			}
		}
		a := &grants.Application{Amount: gbp("100"), Supporters: []grants.Supporter{{Name: "a", Pledged: 60}}}
		grants.Evaluate(rules, a, grants.Env{Fund: &grants.Fund{MinAward: gbp("1"), MaxAward: gbp("10")}})
	})
}
