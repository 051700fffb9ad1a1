package reports

// golden is 2^64 divided by the golden ratio, SplitMix64's increment.
const golden = 0x9e3779b97f4a7c15

// ReplicationSeed returns the seed of replication index (0, 1, ...) of an
// experiment with the given root seed: the (index+1)-th output of a
// SplitMix64 generator (Steele, Lea and Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014) started at root, that is
// mix64(root + (index+1)·0x9e3779b97f4a7c15) with mix64 the finaliser
// z ^= z>>30; z *= 0xbf58476d1ce4e5b9; z ^= z>>27; z *= 0x94d049bb133111eb;
// z ^= z>>31.
//
// It takes O(1) time for any index. The finaliser is a bijection, so
// different indices of one root always get different seeds, and the seed of
// an index does not depend on how many replications run or in what order:
// the same (root, index) gives the same seed in every configuration, which
// is what common random numbers need. Two roots that differ by k times the
// increment share their seeds shifted by k indices, so derive roots from
// one another with ReplicationSeed rather than by adding that constant. It
// panics if index is negative.
func ReplicationSeed(root uint64, index int) uint64 {
	if index < 0 {
		panic("reports: ReplicationSeed: negative index")
	}
	return mix64(root + uint64(index+1)*golden)
}

// mix64 is SplitMix64's output function.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
