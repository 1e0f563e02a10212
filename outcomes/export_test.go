package outcomes

// Test access to what the package keeps unexported.

var (
	ParseMeasurementsCSV = parseMeasurementsCSV
	ParseFingertipsCSV   = parseFingertipsCSV
	ParseFile            = parseFile
	MaxText              = maxText
)

// Validate checks the indicator's fields.
func (ind *Indicator) Validate() error { return ind.validate() }

// Validate checks m against its indicator.
func (m *Measurement) Validate(ind *Indicator) error { return m.validate(ind) }
