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

// Statistics and status, tested directly.
var (
	Wilson          = wilson
	Byar            = byar
	ExactPoisson    = exactPoisson
	PoissonInterval = poissonInterval
	Check           = check
	TrajectoryAt    = trajectoryAt
	Columns         = reportColumns
)
