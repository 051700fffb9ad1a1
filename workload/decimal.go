package workload

import (
	"math"
	"math/big"
	"strconv"
	"time"
)

// parseTime converts decimal text, a number of units, to a time.Duration
// exactly: the decimal's value times unit, rounded to the nearest
// nanosecond, halves away from zero (the rule of [ToDuration], without
// the float64 step). The text is [+-]digits[.digits][(e|E)[+-]digits]
// (digits may be empty on one side of the point, not both), at most 64
// characters with an exponent of at most 30 in magnitude. It returns
// ErrSyntax for other text and ErrRange for a result outside a
// time.Duration.
func parseTime(s string, unit time.Duration) (time.Duration, error) {
	if !decimalSyntax(s) {
		return 0, ErrSyntax
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil { // the fast path: integers
		hi, lo := mul64(n, int64(unit))
		if !hi {
			return 0, ErrRange
		}
		return time.Duration(lo), nil
	}
	var x big.Rat
	if _, ok := x.SetString(s); !ok {
		return 0, ErrSyntax
	}
	num := new(big.Int).Mul(x.Num(), big.NewInt(int64(unit)))
	neg := num.Sign() < 0
	num.Abs(num)
	q, r := new(big.Int).QuoRem(num, x.Denom(), new(big.Int))
	if r.Lsh(r, 1).Cmp(x.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	if !q.IsInt64() {
		return 0, ErrRange
	}
	return time.Duration(q.Int64()), nil
}

// mul64 returns a·b and whether it fits an int64 (b > 0).
func mul64(a, b int64) (bool, int64) {
	if a > math.MaxInt64/b || a < math.MinInt64/b {
		return false, 0
	}
	return true, a * b
}

// decimalSyntax reports whether s is a plain decimal number with an
// optional exponent, within the limits of parseTime.
func decimalSyntax(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	i := 0
	if s[i] == '+' || s[i] == '-' {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		start := i
		for i < len(s) && isDigit(s[i]) {
			exp = min(exp*10+int(s[i]-'0'), 1000)
			i++
		}
		if i == start || exp > 30 {
			return false
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// formatSeconds writes d in seconds as an exact decimal: "1.5", "2",
// "-0.000000001".
func formatSeconds(d time.Duration) string {
	var b []byte
	u := uint64(d)
	if d < 0 {
		b = append(b, '-')
		u = -u
	}
	b = strconv.AppendUint(b, u/1e9, 10)
	if frac := u % 1e9; frac != 0 {
		s := strconv.FormatUint(1e9+frac, 10)[1:] // nine digits, zero-padded
		for s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		b = append(b, '.')
		b = append(b, s...)
	}
	return string(b)
}
