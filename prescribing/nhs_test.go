package prescribing_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rx "github.com/strongertogether/community/prescribing"
)

func TestParseNHSNumber(t *testing.T) {
	for _, in := range []string{"9990000018", "999 000 0018", " 999-000-0018 ", "999  000  0018"} {
		n, err := rx.ParseNHSNumber(in)
		require.NoError(t, err, in)
		assert.Equal(t, rx.NHSNumber("9990000018"), n)
		assert.Equal(t, "999 000 0018", n.Spaced())
		assert.True(t, n.Valid())
	}
	// 401 023 2137: the weighted sum is 4·10+0·9+1·8+0·7+2·6+3·5+2·4+1·3+3·2 = 92,
	// 92 mod 11 = 4, 11-4 = 7.
	_, err := rx.ParseNHSNumber("401 023 2137")
	assert.NoError(t, err)
	// 1·10 + 6·2 = 22 ≡ 0 (mod 11): 11 - 0 = 11, so the check digit is 0.
	_, err = rx.ParseNHSNumber("1000000060")
	assert.NoError(t, err)
	_, err = rx.ParseNHSNumber("1000000061")
	fieldIs(t, err, rx.ErrInvalid, "NHSNumber")
	for _, c := range []struct{ in, why string }{
		{"9990000019", "wrong check digit"},
		{"999000001", "nine digits"},
		{"99900000180", "eleven digits"},
		{"999000001X", "a letter"},
		{"", "empty"},
		{"９４３４７６５９１９", "full-width digits"},
	} {
		_, err := rx.ParseNHSNumber(c.in)
		fieldIs(t, err, rx.ErrInvalid, "NHSNumber")
		if len(c.in) >= 6 {
			assert.NotContains(t, err.Error(), c.in[:6], "%s: the error repeats the number", c.why)
		}
	}
}

func TestNHSNumberCheckDigitTen(t *testing.T) {
	// Find nine digits whose check would be 10 and show that no final
	// digit makes them valid.
	for n := 100000000; n < 100000200; n++ {
		s := []byte{}
		for _, c := range []byte(itoa(n)) {
			s = append(s, c)
		}
		sum := 0
		for i, c := range s {
			sum += int(c-'0') * (10 - i)
		}
		if 11-sum%11 != 10 {
			continue
		}
		for d := byte('0'); d <= '9'; d++ {
			_, err := rx.ParseNHSNumber(string(append(append([]byte{}, s...), d)))
			assert.Error(t, err, "%s%c accepted though its check digit would be 10", s, d)
		}
		return
	}
	t.Fatal("no number with check digit 10 found")
}

func itoa(n int) string {
	b := []byte{}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
