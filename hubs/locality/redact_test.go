package locality_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/strongertogether/community/hubs/locality"
)

func TestRedaction(t *testing.T) {
	const name, words = "Secret Name", "private words"
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	for _, v := range []any{
		locality.Case{ID: "c", Name: name, Contact: name, Story: words, Conversations: []locality.Conversation{{Notes: words}}},
		&locality.Case{ID: "c", Name: name},
		locality.NewCase{Name: name, Contact: words},
		locality.NewConversation{Notes: words, Goals: []string{words}},
		locality.Closure{Story: words, Outcome: words},
		locality.Avoided{Evidence: words},
		locality.Listening{ResidentName: name},
		locality.NewListening{ResidentName: name},
		locality.Asset{PersonName: name, Description: words},
		locality.NewAsset{PersonName: name},
		locality.Gift{PersonName: name, Text: words},
		locality.NewGift{PersonName: name, Text: words},
	} {
		for _, s := range []string{fmt.Sprint(v), fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v)} {
			assert.NotContains(t, s, name, "%T", v)
			assert.NotContains(t, s, words, "%T", v)
		}
		log.Info("x", "v", v)
	}
	assert.NotContains(t, buf.String(), name)
	assert.NotContains(t, buf.String(), words)
}
