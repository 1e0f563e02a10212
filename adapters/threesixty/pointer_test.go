package threesixty

import "testing"

// A JSON pointer escapes "~" and "/" in member names (RFC 6901).
func TestPointerEscapes(t *testing.T) {
	for _, c := range []struct {
		tokens []string
		want   string
	}{
		{nil, ""},
		{[]string{"grants", "0", "currency"}, "/grants/0/currency"},
		{[]string{"a/b", "c~d", ""}, "/a~1b/c~0d/"},
	} {
		if got := pointer(c.tokens); got != c.want {
			t.Errorf("pointer(%q) = %q, want %q", c.tokens, got, c.want)
		}
	}
}
