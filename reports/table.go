package reports

import (
	"io"
	"math"
	"strconv"
)

// Table is a table of text cells, for a report whose rows are neither a
// [Result] nor a ranking (a comparison of many metrics and configurations,
// say), written with the same layout as the other writers of this package
// by [WriteTableText], [WriteTableMarkdown] and [WriteTableCSV]. The caller
// formats the cells, for instance numbers with [TextDigits] significant
// digits for text and Markdown and at full precision for CSV.
type Table struct {
	// Caption is a line written above the table in text and Markdown; ""
	// means none. CSV has no caption.
	Caption string
	// Header names the columns.
	Header []string
	// NameCols is the number of leading columns that hold names: Markdown
	// aligns them to the left and the others, numbers, to the right.
	NameCols int
	// Rows are the cells, one slice per row.
	Rows [][]string
}

// WriteTableText writes t as an aligned text table for a terminal: the
// caption, the header and the rows in columns two spaces apart. It returns
// the first error of w.
func WriteTableText(w io.Writer, t Table) error {
	return writeTable(w, t.Caption, t.Header, t.Rows)
}

// WriteTableMarkdown writes t as a Markdown paragraph (the caption) and a
// GitHub-flavoured table; "|" and line breaks in cells are escaped.
func WriteTableMarkdown(w io.Writer, t Table) error {
	return writeMarkdown(w, t.Caption, t.Header, t.NameCols, t.Rows)
}

// WriteTableCSV writes the header and the rows of t as CSV (RFC 4180, by
// encoding/csv), without the caption.
func WriteTableCSV(w io.Writer, t Table) error {
	return writeCSV(w, t.Header, t.Rows)
}

// JSONFloat is a float64 that encodes as a JSON number at full precision
// (the shortest decimal that reads back as the same float64), and NaN and
// infinities, which JSON cannot hold, as null: the convention of
// [WriteResultJSON], for other documents that follow it.
type JSONFloat float64

// jsonFloat is the name used inside the package.
type jsonFloat = JSONFloat

// MarshalJSON implements json.Marshaler.
func (f JSONFloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}
