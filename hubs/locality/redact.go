package locality

import (
	"fmt"
	"log/slog"
)

// The types that hold a name, a contact or a person's words print, log
// and %#v-format as their ids and counts only.

// String names no one.
func (c Case) String() string {
	return fmt.Sprintf("Case{ID:%s Area:%s Route:%s Version:%d}", c.ID, c.Area, c.Route, c.Version)
}

// GoString is String, so %#v redacts as %v does.
func (c Case) GoString() string { return c.String() }

// LogValue logs ids only.
func (c Case) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", c.ID), slog.String("area", c.Area))
}

// String names no one.
func (c NewCase) String() string { return fmt.Sprintf("NewCase{Area:%s Route:%s}", c.Area, c.Route) }

// GoString is String.
func (c NewCase) GoString() string { return c.String() }

// LogValue logs the area only.
func (c NewCase) LogValue() slog.Value { return slog.GroupValue(slog.String("area", c.Area)) }

// String hides the notes and goals.
func (c NewConversation) String() string {
	return fmt.Sprintf("NewConversation{On:%s Goals:%d}", c.On.Format("2006-01-02"), len(c.Goals))
}

// GoString is String.
func (c NewConversation) GoString() string { return c.String() }

// String hides the outcome and story.
func (c Closure) String() string {
	return fmt.Sprintf("Closure{On:%s StoryConsent:%t}", c.On.Format("2006-01-02"), c.StoryConsent)
}

// GoString is String.
func (c Closure) GoString() string { return c.String() }

// String hides the evidence text.
func (a Avoided) String() string {
	return fmt.Sprintf("Avoided{ID:%s Case:%s Unit:%s Quantity:%s}", a.ID, a.Case, a.Unit, a.Quantity)
}

// GoString is String.
func (a Avoided) GoString() string { return a.String() }

// String names no resident.
func (l Listening) String() string {
	return fmt.Sprintf("Listening{ID:%s Ward:%s Conversations:%d}", l.ID, l.Ward, l.Conversations)
}

// GoString is String.
func (l Listening) GoString() string { return l.String() }

// String names no resident.
func (l NewListening) String() string {
	return fmt.Sprintf("NewListening{Area:%s Ward:%s Conversations:%d}", l.Area, l.Ward, l.Conversations)
}

// GoString is String.
func (l NewListening) GoString() string { return l.String() }

// LogValue logs the area and ward only.
func (l NewListening) LogValue() slog.Value {
	return slog.GroupValue(slog.String("area", l.Area), slog.String("ward", l.Ward))
}

// String names no person.
func (a Asset) String() string {
	return fmt.Sprintf("Asset{ID:%s Area:%s Kind:%s}", a.ID, a.Area, a.Kind)
}

// GoString is String.
func (a Asset) GoString() string { return a.String() }

// String names no person.
func (a NewAsset) String() string { return fmt.Sprintf("NewAsset{Area:%s Kind:%s}", a.Area, a.Kind) }

// GoString is String.
func (a NewAsset) GoString() string { return a.String() }

// String names no person.
func (g Gift) String() string {
	return fmt.Sprintf("Gift{ID:%s Area:%s Kind:%s}", g.ID, g.Area, g.Kind)
}

// GoString is String.
func (g Gift) GoString() string { return g.String() }

// String names no person.
func (g NewGift) String() string { return fmt.Sprintf("NewGift{Area:%s Kind:%s}", g.Area, g.Kind) }

// GoString is String.
func (g NewGift) GoString() string { return g.String() }
