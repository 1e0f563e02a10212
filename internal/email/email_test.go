package email

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValid(t *testing.T) {
	for _, s := range []string{"jo@example.org", "v52@example.invalid", "a.b+c@sub.example.co.uk"} {
		assert.True(t, Valid(s), s)
	}
	for _, s := range []string{"", "not-an-email", "Jo <jo@example.org>", "jo@example.org (Jo)", " jo@example.org", "jo@"} {
		assert.False(t, Valid(s), s)
	}
}
