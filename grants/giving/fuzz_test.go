package giving_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/grants/giving"
)

const donationsCSV = "donor,kind,title,first,last,house,postcode,amount,date,gift_aid,priority\n" +
	"r1,individual,Ms,Ann,House-Martin,12,rm17 6sl,£1,250.50,09/05/2016,yes,Poverty\n" +
	"r2,business,,,Port Ltd,,,500,2016-05-10,no,\n"

func TestParseDonations(t *testing.T) {
	t.Parallel()
	rows, err := giving.ParseDonations(strings.NewReader(strings.Replace(donationsCSV, "£1,250.50", "\"£1,250.50\"", 1)), "cmp-1")
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, "1250.50", rows[0].Amount.StringFixed(2))
	assert.True(t, rows[0].GiftAid)
	assert.Equal(t, giving.Business, rows[1].Donor.Kind)

	_, err = giving.ParseDonations(strings.NewReader("donor,kind,last,amount,date,gift_aid\nr1,business,Port Ltd,1.005,2016-05-10,yes\n"), "cmp-1")
	assert.ErrorIs(t, err, giving.ErrInvalid)
	var pe *giving.ProblemsError
	require.True(t, errors.As(err, &pe))
	assert.Len(t, pe.Problems, 2, "the amount's precision and Gift Aid on a business")
	assert.NotContains(t, err.Error(), "Port Ltd")
}

// FuzzParseDonations feeds arbitrary text to the donations CSV import: it
// never panics, returns an ErrInvalid error or rows whose donors validate
// and whose amounts are pence-exact and positive.
func FuzzParseDonations(f *testing.F) {
	f.Add(donationsCSV)
	f.Add("donor,kind,last,amount,date\nr,individual,X,1e9,01/01/2016\n")
	f.Add("donor,kind,last,amount,date\n\"unterminated\n")
	f.Fuzz(func(t *testing.T, data string) {
		rows, err := giving.ParseDonations(strings.NewReader(data), "cmp-1")
		if err != nil {
			if !errors.Is(err, giving.ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		for _, r := range rows {
			if err := r.Donor.Validate(); err != nil {
				t.Fatalf("accepted donor does not validate: %v", err)
			}
			if err := giving.CheckMoney("amount", r.Amount, true); err != nil {
				t.Fatalf("accepted amount %s: %v", r.Amount, err)
			}
		}
	})
}
