package queuetest

import (
	"math"
	"math/rand/v2"
	"time"
)

// A timeDist draws the At of pushes for the order checks. next is made
// afresh for each run (some distributions keep state, such as the current
// burst) and is given the At of the last entry popped.
type timeDist struct {
	name string
	make func(r *rand.Rand) (next func(now time.Duration) time.Duration)
}

// stateless wraps a distribution that keeps no state.
func stateless(f func(r *rand.Rand, now time.Duration) time.Duration) func(*rand.Rand) func(time.Duration) time.Duration {
	return func(r *rand.Rand) func(time.Duration) time.Duration {
		return func(now time.Duration) time.Duration { return f(r, now) }
	}
}

// timeDists returns the distributions of the order checks: many equal
// times, one instant, the spread of a simulation, any int64, the edges of
// the range, bursts, pushes into the past and far-apart clusters.
func timeDists() []timeDist {
	return []timeDist{
		{"ties", stateless(func(r *rand.Rand, now time.Duration) time.Duration {
			return now + time.Duration(r.IntN(4))
		})},
		{"instant", stateless(func(*rand.Rand, time.Duration) time.Duration { return 1 << 40 })},
		{"exponential", stateless(func(r *rand.Rand, now time.Duration) time.Duration {
			return now + time.Duration(r.ExpFloat64()*1e9)
		})},
		{"anyint64", stateless(func(r *rand.Rand, _ time.Duration) time.Duration { return time.Duration(r.Uint64()) })},
		{"nearmax", stateless(func(r *rand.Rand, _ time.Duration) time.Duration {
			return math.MaxInt64 - time.Duration(r.IntN(2000))
		})},
		{"nearmin", stateless(func(r *rand.Rand, _ time.Duration) time.Duration {
			return math.MinInt64 + time.Duration(r.IntN(2000))
		})},
		{"bothends", stateless(func(r *rand.Rand, _ time.Duration) time.Duration {
			if r.IntN(2) == 0 {
				return math.MaxInt64 - time.Duration(r.IntN(3))
			}
			return math.MinInt64 + time.Duration(r.IntN(3))
		})},
		{"bursts", func(r *rand.Rand) func(time.Duration) time.Duration {
			// Runs of 1 to 64 pushes due at one instant, the instants
			// spread exponentially after the last pop.
			var at time.Duration
			left := 0
			return func(now time.Duration) time.Duration {
				if left == 0 {
					at = now + time.Duration(r.ExpFloat64()*1e6)
					left = 1 + r.IntN(64)
				}
				left--
				return at
			}
		}},
		{"past", stateless(func(r *rand.Rand, now time.Duration) time.Duration {
			// As often before the last pop as after it.
			return now + time.Duration(r.IntN(2_000_001)-1_000_000)
		})},
		{"clusters", stateless(func(r *rand.Rand, now time.Duration) time.Duration {
			// Nine in ten soon, one in ten about 11.6 days later.
			if r.IntN(10) == 0 {
				return now + 1e15 + time.Duration(r.IntN(1e9))
			}
			return now + time.Duration(r.IntN(1000))
		})},
	}
}

// An increment is a distribution of the delay between an entry's pop and
// the push it causes, with mean 1 (draw returns a multiple of the mean).
//
// The four are the priority increment distributions of the event-set
// literature's hold benchmarks, as used by R. Rönngren and R. Ayani, "A
// comparative study of parallel and sequential priority queue algorithms",
// ACM TOMACS 7(2), 1997: exponential, uniform (rectangular), bimodal and
// triangular, here all normalised to mean 1. (The bimodal's parameters
// below are this kit's own choice of that shape.)
type increment struct {
	name string
	draw func(r *rand.Rand) float64
}

// increments returns the distributions of the hold checks and benchmarks.
func increments() []increment {
	return []increment{
		// Exp(1): -ln U.
		{"exponential", func(r *rand.Rand) float64 { return r.ExpFloat64() }},
		// Uniform on [0, 2).
		{"uniform", func(r *rand.Rand) float64 { return 2 * r.Float64() }},
		// Nine in ten uniform on [0, 0.2), one in ten uniform on [9, 9.2):
		// mean 0.9*0.1 + 0.1*9.1 = 1.
		{"bimodal", func(r *rand.Rand) float64 {
			x := 0.2 * r.Float64()
			if r.IntN(10) == 0 {
				x += 9
			}
			return x
		}},
		// Density rising linearly from 0 to 1.5 (1.5*sqrt(U)): mean
		// 2/3 * 1.5 = 1.
		{"triangular", func(r *rand.Rand) float64 { return 1.5 * math.Sqrt(r.Float64()) }},
	}
}
