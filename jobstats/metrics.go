package jobstats

import (
	"strings"

	"github.com/vtsim/vtsim/reports"
)

// Names of some metrics of [Summary.Metrics], for ranking and charts.
const (
	MetricResponseMean = "response.mean"
	MetricResponseP99  = "response.p99"
	MetricSlowdownMean = "slowdown.mean"
	MetricThroughput   = "throughput"
	MetricUtilisation  = "utilisation"
	MetricFairness     = "fairness"
	MetricMissRate     = "deadline_miss_rate"
	MetricMaxInSystem  = "max_in_system"
	MetricMeanInSystem = "mean_in_system"
)

// Metrics returns the headline measures of s as named values for
// [reports.Replicate] and [Compare]: for each of response, wait, slowdown
// and bounded_slowdown the names ".mean", ".p50", ".p95", ".p99", ".p99.9"
// and ".max" after it (response.mean, ..., bounded_slowdown.max), and
// throughput, utilisation, fairness, max_in_system and mean_in_system, and
// deadline_miss_rate when some job had a deadline (a run without deadlines
// has no rate rather than a rate of 0). Per-class measures and size bins
// stay in the Summary. Every value is finite.
func (s Summary) Metrics() reports.Metrics {
	m := make(reports.Metrics, 29)
	for _, st := range []struct {
		name string
		s    Stats
	}{{"response", s.Response}, {"wait", s.Wait}, {"slowdown", s.Slowdown}, {"bounded_slowdown", s.BoundedSlowdown}} {
		m[st.name+".mean"] = st.s.Mean
		m[st.name+".p50"] = st.s.P50
		m[st.name+".p95"] = st.s.P95
		m[st.name+".p99"] = st.s.P99
		m[st.name+".p99.9"] = st.s.P999
		m[st.name+".max"] = st.s.Max
	}
	m[MetricThroughput] = s.Throughput
	m[MetricUtilisation] = s.Utilisation
	m[MetricFairness] = s.Fairness
	m[MetricMaxInSystem] = float64(s.MaxInSystem)
	m[MetricMeanInSystem] = s.MeanInSystem
	if r, ok := s.MissRate(); ok {
		m[MetricMissRate] = r
	}
	return m
}

// HigherIsBetter reports whether a larger value of the metric is better:
// true for throughput, utilisation and fairness (and any name ending in
// one of them after a "."), false for the times, slowdowns, counts and
// rates, where less is better.
func HigherIsBetter(metric string) bool {
	i := strings.LastIndexByte(metric, '.')
	switch metric[i+1:] {
	case MetricThroughput, MetricUtilisation, MetricFairness:
		return true
	}
	return false
}
