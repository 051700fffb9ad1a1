package policy

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/vtsim/vtsim/workload"
)

// GittinsPolicy is the Gittins-index policy for a discrete job-size
// distribution, a preemptive [Ranker] and [Changer] that knows the
// distribution but not the job's size. Build one with [Gittins].
//
// A job with attained service a has rank
//
//	min over Δ > 0 of E[min(S-a, Δ) | S > a] / P(S-a ≤ Δ | S > a),
//
// the least expected service per unit of completion probability over any
// further quantum (Gittins 1989; Scully, Harchol-Balter and Scheller-Wolf,
// SIGMETRICS 2018, §5). For a discrete distribution the minimum is over Δ
// reaching a support point, and between support points the rank only
// improves with service, so the decision points are the support points.
// In M/G/1 it minimises the mean response time among policies that do not
// know sizes (Gittins 1989; Aalto, Ayesta and Righter 2009).
//
// A rank costs O(m) for m support points; NextChange O(log m).
type GittinsPolicy struct {
	s []float64 // support points, ascending, in ns
	p []float64 // their probabilities
}

// Gittins returns the Gittins-index policy for the distribution that takes
// size sizes[i] with probability proportional to probs[i]. It returns an
// error matching [ErrInvalid] if the slices are empty or of different
// lengths, a size is negative, or a probability is negative, not finite,
// or all are 0.
func Gittins(sizes []time.Duration, probs []float64) (*GittinsPolicy, error) {
	if len(sizes) == 0 || len(sizes) != len(probs) {
		return nil, fmt.Errorf("%w: Gittins needs as many sizes as probabilities, at least one (got %d and %d)", ErrInvalid, len(sizes), len(probs))
	}
	type point struct {
		s time.Duration
		p float64
	}
	pts := make([]point, len(sizes))
	sum := 0.0
	for i, s := range sizes {
		if s < 0 || !(probs[i] >= 0) || math.IsInf(probs[i], 0) {
			return nil, fmt.Errorf("%w: Gittins size %v with probability %v (sizes must be at least 0, probabilities finite and at least 0)", ErrInvalid, s, probs[i])
		}
		pts[i] = point{s, probs[i]}
		sum += probs[i]
	}
	if sum == 0 {
		return nil, fmt.Errorf("%w: Gittins probabilities are all 0", ErrInvalid)
	}
	slices.SortFunc(pts, func(a, b point) int { return cmp.Compare(a.s, b.s) })
	g := &GittinsPolicy{}
	for _, x := range pts {
		if x.p == 0 {
			continue
		}
		if n := len(g.s); n > 0 && g.s[n-1] == float64(x.s) {
			g.p[n-1] += x.p / sum
			continue
		}
		g.s = append(g.s, float64(x.s))
		g.p = append(g.p, x.p/sum)
	}
	return g, nil
}

// Name returns "Gittins".
func (g *GittinsPolicy) Name() string { return "Gittins" }

// Preempts returns true.
func (g *GittinsPolicy) Preempts() bool { return true }

// first returns the index of the first support point above a.
func (g *GittinsPolicy) first(a time.Duration) int {
	return sort.Search(len(g.s), func(i int) bool { return g.s[i] > float64(a) })
}

// Rank returns the job's Gittins rank after attained service (0 past the
// largest support point, as a job about to finish).
func (g *GittinsPolicy) Rank(_ *workload.Job, attained time.Duration) float64 {
	i0 := g.first(attained)
	if i0 == len(g.s) {
		return 0
	}
	a := float64(attained)
	tail := 0.0
	for _, p := range g.p[i0:] {
		tail += p
	}
	best := math.Inf(1)
	done, work := 0.0, 0.0 // P(a < S ≤ s_k) and E[(S-a)·1{a < S ≤ s_k}]
	for k := i0; k < len(g.s); k++ {
		done += g.p[k]
		work += g.p[k] * (g.s[k] - a)
		if r := (work + (tail-done)*(g.s[k]-a)) / done; r < best {
			best = r
		}
	}
	return best
}

// NextChange returns the next support point above attained, or [Never].
func (g *GittinsPolicy) NextChange(_ *workload.Job, attained time.Duration) time.Duration {
	i0 := g.first(attained)
	if i0 == len(g.s) {
		return Never
	}
	return time.Duration(g.s[i0])
}
