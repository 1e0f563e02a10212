package prescribing

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// ScoreSet is one run of a risk model over a practice's list: a score per
// patient, the model's name and the date the model scored them. Any model
// may be used — PARR, CPM, QAdmissions, eFI or another the Service is
// given (WithModel) — as long as every score lies in its range. A score
// set is imported from a CSV file (Service.ImportScores) and never
// changed; stratifying it makes a Stratification.
type ScoreSet struct {
	ID       string
	Practice string
	Model    string
	ScoredOn time.Time // the date the model produced the scores
	Scores   []PatientScore

	CreatedAt time.Time
	CreatedBy string
	Version   int64
}

// PatientScore is one patient's risk score.
type PatientScore struct {
	Patient string
	Score   Score
}

// Score is a risk score, exact to six decimal places: the value times a
// million. Scores are compared as integers, so stratifying a whole
// practice list is fast and exact.
type Score int64

// scoreScale is the number of Score units in 1.
const scoreScale = 1_000_000

// ParseScore reads a decimal such as "87.5", "0.194444" or "12", with at
// most six decimal places.
func ParseScore(s string) (Score, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 24 {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > 6 || len(whole) > 12 {
		return 0, fmt.Errorf("%q is not a number with at most six decimal places", s)
	}
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return 0, fmt.Errorf("%q is not a number", s)
			}
		}
	}
	var w, f int64
	if whole != "" {
		w, _ = strconv.ParseInt(whole, 10, 64)
	}
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64)
	}
	v := Score(w*scoreScale + f)
	if neg {
		v = -v
	}
	return v, nil
}

// MustScore is ParseScore for constants; it panics on a bad value.
func MustScore(s string) Score {
	v, err := ParseScore(s)
	if err != nil {
		panic(err)
	}
	return v
}

// Decimal returns the score as a decimal.
func (s Score) Decimal() decimal.Decimal { return decimal.New(int64(s), -6) }

// String returns the score without trailing zeros, such as "87.5".
func (s Score) String() string { return s.Decimal().String() }

// Model is a risk prediction model: its name and the range its scores lie
// in, inclusive.
type Model struct {
	Name string
	Min  Score
	Max  Score
}

// The models the Service knows by default. PARR, CPM and QAdmissions give
// a probability of emergency admission as a percentage (0–100); the
// electronic Frailty Index (eFI) is the share of 36 deficits present
// (0–1).
var (
	modelPARR        = Model{Name: "PARR", Min: 0, Max: 100 * scoreScale}
	modelCPM         = Model{Name: "CPM", Min: 0, Max: 100 * scoreScale}
	modelQAdmissions = Model{Name: "QAdmissions", Min: 0, Max: 100 * scoreScale}
	modelEFI         = Model{Name: "eFI", Min: 0, Max: 1 * scoreScale}
)

// check returns a *FieldError for field "Score" if s is outside the
// model's range.
func (m Model) check(s Score) error {
	if s < m.Min || s > m.Max {
		return invalid("Score", "%s is outside the %s model's range %s–%s", s, m.Name, m.Min, m.Max)
	}
	return nil
}

// Stratification is the cohort risk stratification selects from a score
// set: the top Percent of the practice's list by score, with a
// deterministic tie rule (see Top), plus the patients a GP added and less
// those a GP removed by clinical judgement, each with the reason and who
// decided. Selected never changes; Adjustments grow as GPs decide.
type Stratification struct {
	ID          string
	Practice    string
	ScoreSet    string
	Model       string
	Percent     decimal.Decimal
	ListSize    int      // patients scored
	Cutoff      Score    // the lowest score selected
	Selected    []Ranked // by rank: highest score first
	Adjustments []Adjustment

	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
	Version   int64
}

// Adjustment is a GP's decision, by clinical judgement, to add a patient to
// the cohort or remove one from it.
type Adjustment struct {
	Patient string
	Include bool // true adds the patient, false removes them
	Reason  string
	By      string
	At      time.Time
}

// Cohort returns the patients in the cohort now: the selected ones in rank
// order, less those removed, then those added, in the order they were
// added. A later adjustment for a patient overrides an earlier one.
func (s *Stratification) Cohort() []string {
	last := map[string]bool{}
	for _, a := range s.Adjustments {
		last[a.Patient] = a.Include
	}
	var out []string
	seen := map[string]bool{}
	for _, r := range s.Selected {
		if inc, ok := last[r.Patient]; ok && !inc {
			continue
		}
		out = append(out, r.Patient)
		seen[r.Patient] = true
	}
	for _, a := range s.Adjustments {
		if last[a.Patient] && !seen[a.Patient] {
			out = append(out, a.Patient)
			seen[a.Patient] = true
		}
	}
	return out
}

// InCohort reports whether the patient is in the cohort now.
func (s *Stratification) InCohort(patient string) bool {
	for i := len(s.Adjustments) - 1; i >= 0; i-- {
		if s.Adjustments[i].Patient == patient {
			return s.Adjustments[i].Include
		}
	}
	for _, r := range s.Selected {
		if r.Patient == patient {
			return true
		}
	}
	return false
}
