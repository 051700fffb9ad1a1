package workload

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// parseTime converts decimal text, a number of units, to a time.Duration
// exactly: the decimal's value times unit, rounded to the nearest
// nanosecond, halves away from zero, a non-zero value to at least one
// nanosecond (the rule of [ToDuration], without the float64 step). The text is [+-]digits[.digits][(e|E)[+-]digits]
// (digits may be empty on one side of the point, not both), at most 64
// characters with an exponent of at most 30 in magnitude. It returns
// ErrSyntax for other text and ErrRange for a result outside a
// time.Duration.
func parseTime(s string, unit time.Duration) (time.Duration, error) {
	if !decimalSyntax(s) {
		return 0, ErrSyntax
	}
	d, ok := parseShortDecimal(s, unit) // the fast path
	if !ok {
		var err error
		if d, err = parseLongDecimal(s, unit); err != nil {
			return 0, err
		}
	}
	if d == 0 { // ToDuration's rule: a non-zero quantity is at least 1ns
		mantissa, _, _ := strings.Cut(strings.ToLower(s), "e")
		if strings.ContainsAny(mantissa, "123456789") {
			d = 1
			if s[0] == '-' {
				d = -1
			}
		}
	}
	return d, nil
}

// parseLongDecimal is parseTime for any text decimalSyntax accepts, by
// exact rational arithmetic.
func parseLongDecimal(s string, unit time.Duration) (time.Duration, error) {
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

// parseShortDecimal converts [+-]digits[.digits] of at most 19 digits and
// no exponent, already checked by decimalSyntax, by 128-bit integer
// arithmetic: m·unit / 10^k, rounded half away from zero. It reports
// false for other text or a result it cannot represent, which the caller
// then converts the slow way.
func parseShortDecimal(s string, unit time.Duration) (time.Duration, bool) {
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	var m uint64
	digits, k := 0, -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			k = 0
			continue
		}
		if !isDigit(c) {
			return 0, false // an exponent
		}
		if digits++; digits > 19 {
			return 0, false
		}
		m = m*10 + uint64(c-'0')
		if k >= 0 {
			k++
		}
	}
	if k < 0 {
		k = 0
	}
	pow := uint64(1)
	for range k {
		pow *= 10
	}
	hi, lo := bits.Mul64(m, uint64(unit))
	if hi >= pow {
		return 0, false // the quotient needs more than 64 bits
	}
	q, r := bits.Div64(hi, lo, pow)
	if r >= pow-r { // 2r >= pow, without overflow
		q++
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	if neg {
		return -time.Duration(q), true
	}
	return time.Duration(q), true
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

// formatSeconds returns d in seconds as an exact decimal: "1.5", "2",
// "-0.000000001".
func formatSeconds(d time.Duration) string { return string(appendSeconds(nil, d)) }

// appendSeconds appends d in seconds as an exact decimal.
func appendSeconds(b []byte, d time.Duration) []byte {
	u := uint64(d)
	if d < 0 {
		b = append(b, '-')
		u = -u
	}
	b = strconv.AppendUint(b, u/1e9, 10)
	frac := u % 1e9
	if frac == 0 {
		return b
	}
	var digits [9]byte // zero-padded
	for i := len(digits) - 1; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := len(digits)
	for digits[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	b = append(b, digits[:n]...)
	return b
}
