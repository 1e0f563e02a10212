// Package hubsrec holds the stored format of the hubs domain, shared by
// adapters/memory, adapters/sqlite and adapters/postgres: explicit record
// types with JSON names, in an envelope with a format version, and the
// rows a store indexes them by.
package hubsrec

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/strongertogether/community/hubs"
)

// Version is the format version of the records written now.
const Version = 1

// Row is one record as a store keeps it: its kind and id (together
// unique), the columns it is selected by, its version, and its body.
type Row struct {
	Kind    string
	ID      string
	Hub     string   // the hub it belongs to, if any
	Parent  string   // the record it belongs to: a surgery's room, a booking's surgery, a listing's organisation, ...
	On      int64    // the date it is listed by, as Unix microseconds (0: none)
	Version int64    // the record's version (see hubs.Store.Apply)
	Body    []byte   // the envelope
	Text    string   // for listings: the words the text search matches
	Terms   []string // for listings: its taxonomy term ids
}

// envelope wraps every stored record.
type envelope struct {
	V    int             `json:"v"`
	Kind string          `json:"kind"`
	Body json.RawMessage `json:"body"`
}

func encode(kind string, rec any) ([]byte, error) {
	body, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("hubsrec: encode %s: %w", kind, err)
	}
	return wrap(kind, body), nil
}

// wrap returns the envelope of a record's JSON body, as json.Marshal
// writes an envelope (kinds are plain lowercase words, written without
// escaping), without marshalling the body a second time.
func wrap(kind string, body []byte) []byte {
	out := make([]byte, 0, len(body)+len(kind)+len(`{"v":1,"kind":"","body":}`)+4)
	out = append(out, `{"v":`...)
	out = strconv.AppendInt(out, Version, 10)
	out = append(out, `,"kind":"`...)
	out = append(out, kind...)
	out = append(out, `","body":`...)
	out = append(out, body...)
	return append(out, '}')
}

func decode(kind string, data []byte, rec any) error {
	var e envelope
	if err := json.Unmarshal(data, &e); err != nil {
		return fmt.Errorf("hubsrec: decode %s: %w", kind, err)
	}
	if e.V != Version || e.Kind != kind {
		return fmt.Errorf("hubsrec: decode %s: stored as %s format %d, this code reads format %d", kind, e.Kind, e.V, Version)
	}
	if err := json.Unmarshal(e.Body, rec); err != nil {
		return fmt.Errorf("hubsrec: decode %s: %w", kind, err)
	}
	return nil
}

func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// Micros returns t as the Unix microseconds Row.On holds (0 for the zero
// time).
func Micros(t time.Time) int64 { return micros(t) }

func nilRecord(field string) error {
	return &hubs.FieldError{Field: field, Reason: "holds a nil record"}
}

// checkRows refuses rows without an id or with a version below 1.
func checkRows(rows []Row) error {
	for _, r := range rows {
		if r.ID == "" {
			return &hubs.FieldError{Field: "ID", Reason: r.Kind + " id is required"}
		}
		if r.Version < 1 {
			return &hubs.FieldError{Field: "Version", Reason: fmt.Sprintf("%s %s: version must be at least 1, got %d", r.Kind, r.ID, r.Version)}
		}
	}
	return nil
}

// ListingText is the text a listing's search matches: its name and
// description.
func ListingText(l *hubs.Listing) string { return l.Name + " " + l.Description }

// Words splits text into the lower-case words a text search matches:
// runs of letters and digits.
func Words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
