package prescribing

// Unexported helpers the external tests and benchmarks measure.
var (
	SortTop       = sortTop
	Compute       = compute
	TQuantile     = tQuantile
	Stratify      = stratify
	SWEMWBSMetric = swemwbsMetricOf
)
