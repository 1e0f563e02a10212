package outcomes

import (
	"strings"
	"unicode/utf8"
)

// The length limits of free-text fields, in characters.
const (
	// maxID bounds ids: of frameworks, indicators, stories and actors.
	maxID = 100
	// maxTitle bounds titles.
	maxTitle = 300
	// maxName bounds short names: areas, programmes, owners, sources of a
	// measurement, tags' list entries.
	maxName = 200
	// maxText bounds longer texts: definitions, rationales, notes, reasons.
	maxText = 4000
	// maxBody bounds a story's body.
	maxBody = 20000
)

// checkText refuses text that is not valid UTF-8, holds a NUL byte, or is
// longer than max characters, with a *FieldError naming field. Every
// free-text field is checked so, in the Service, before any store sees it.
func checkText(field, s string, max int) error {
	switch {
	case !utf8.ValidString(s):
		return invalid(field, "is not valid UTF-8")
	case strings.IndexByte(s, 0) >= 0:
		return invalid(field, "contains a NUL byte")
	case len(s) > max && utf8.RuneCountInString(s) > max:
		return invalid(field, "is longer than %d characters", max)
	}
	return nil
}

// checkName is checkText for a one-line name that is required.
func checkName(field, s string, max int) error {
	if strings.TrimSpace(s) == "" {
		return invalid(field, "is required")
	}
	if err := checkText(field, s, max); err != nil {
		return err
	}
	if strings.ContainsAny(s, "\r\n") {
		return invalid(field, "is one line")
	}
	return nil
}

// checkTexts runs checkText over pairs of field names and values.
func checkTexts(max int, fields ...string) error {
	for i := 0; i+1 < len(fields); i += 2 {
		if err := checkText(fields[i], fields[i+1], max); err != nil {
			return err
		}
	}
	return nil
}
