package workload

import (
	"cmp"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CSV trace columns. A trace's header names its columns, in any order,
// each at most once; id, arrival and size are required.
var csvColumns = []string{"id", "arrival", "size", "estimate", "class", "deadline", "weight", "procs"}

const (
	colID = iota
	colArrival
	colSize
	colEstimate
	colClass
	colDeadline
	colWeight
	colProcs
)

// CSVReader reads jobs from a CSV trace, one job a record. The first
// record is the header, naming the columns (any order, each at most
// once, surrounding spaces ignored):
//
//	id        the job's ID, an integer (required)
//	arrival   its arrival time, a decimal number of units >= 0 (required)
//	size      its size (run time), a decimal >= 0 (required)
//	estimate  its size estimate, a decimal >= 0; absent or empty means 0 (unknown)
//	class     its class, an integer >= 0
//	deadline  its absolute deadline, a decimal >= 0; 0 means none
//	weight    its weight, a decimal >= 0; 0 means 1
//	procs     its processor count, an integer >= 0; 0 means 1
//
// Columns after the three required ones may be left empty, meaning 0.
// Decimals may have an exponent (1.5e3) and are converted exactly to
// nanoseconds, rounded to the nearest, halves away from zero. Lines that
// begin with '#' are comments; blank lines are skipped. The reader keeps
// the trace's order and does not check that IDs are unique (see
// [SortJobs]).
//
// Every error is a [*ParseError] wrapping [ErrSyntax] or [ErrRange],
// except errors of the underlying io.Reader, which are returned as they
// are. A CSVReader reads a line at a time and holds no more than one
// record.
type CSVReader struct {
	r      *csv.Reader
	name   string
	unit   time.Duration
	cols   []int // column index → colID etc.
	header bool
	err    error
}

// NewCSVReader returns a reader of the CSV trace r. name is the file's
// name for error messages ("" for none); unit is the unit of the times,
// 0 meaning time.Second. It panics if unit is negative.
func NewCSVReader(r io.Reader, name string, unit time.Duration) *CSVReader {
	if unit < 0 {
		panic("workload.NewCSVReader: negative unit")
	}
	if unit == 0 {
		unit = time.Second
	}
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.ReuseRecord = true
	return &CSVReader{r: cr, name: name, unit: unit}
}

// ReadCSV reads a whole CSV trace (see [CSVReader]).
func ReadCSV(r io.Reader, name string, unit time.Duration) ([]Job, error) {
	cr := NewCSVReader(r, name, unit)
	var jobs []Job
	for {
		j, err := cr.Read()
		if err == io.EOF {
			return jobs, nil
		}
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
}

// Read returns the next job, or io.EOF after the last. An error other
// than io.EOF is returned again by every later call.
func (c *CSVReader) Read() (Job, error) {
	if c.err != nil {
		return Job{}, c.err
	}
	j, err := c.read()
	if err != nil {
		c.err = err
	}
	return j, err
}

func (c *CSVReader) read() (Job, error) {
	if !c.header {
		if err := c.readHeader(); err != nil {
			return Job{}, err
		}
	}
	rec, err := c.r.Read()
	if err != nil {
		return Job{}, c.csvError(err)
	}
	var j Job
	for i, field := range rec {
		field = strings.TrimSpace(field)
		col := c.cols[i]
		line, _ := c.r.FieldPos(i)
		if field == "" && col > colSize {
			continue
		}
		perr := func(kind error, allowed string) error {
			return &ParseError{File: c.name, Line: line, Field: csvColumns[col], Value: field, Allowed: allowed, Err: kind}
		}
		switch col {
		case colID:
			n, err := strconv.ParseInt(field, 10, 64)
			if err != nil {
				return Job{}, perr(numError(err), "an integer")
			}
			j.ID = n
		case colArrival, colSize, colEstimate, colDeadline:
			d, err := parseTime(field, c.unit)
			if err == nil && d < 0 {
				err = ErrRange
			}
			if err != nil {
				return Job{}, perr(err, "a decimal >= 0 (in units of "+c.unit.String()+") that fits a time.Duration")
			}
			switch col {
			case colArrival:
				j.Arrival = d
			case colSize:
				j.Size = d
			case colEstimate:
				j.Estimate = d
			default:
				j.Deadline = d
			}
		case colClass, colProcs:
			n, err := strconv.ParseInt(field, 10, 0)
			if err == nil && n < 0 {
				err = ErrRange
			}
			if err != nil {
				return Job{}, perr(numError(err), "an integer >= 0")
			}
			if col == colClass {
				j.Class = int(n)
			} else {
				j.Procs = int(n)
			}
		case colWeight:
			w, err := strconv.ParseFloat(field, 64)
			if err == nil && (!(w >= 0) || math.IsInf(w, 1)) {
				err = ErrRange
			}
			if err != nil {
				return Job{}, perr(numError(err), "a finite decimal >= 0")
			}
			j.Weight = w
		}
	}
	return j, nil
}

// readHeader reads and checks the header record.
func (c *CSVReader) readHeader() error {
	rec, err := c.r.Read()
	if err == io.EOF {
		return &ParseError{File: c.name, Line: 1, Field: "header", Allowed: "a header naming the columns id, arrival and size", Err: ErrSyntax}
	}
	if err != nil {
		return c.csvError(err)
	}
	seen := make([]bool, len(csvColumns))
	c.cols = make([]int, len(rec))
	for i, name := range rec {
		name = strings.TrimSpace(name)
		line, _ := c.r.FieldPos(i)
		col := -1
		for k, known := range csvColumns {
			if name == known {
				col = k
			}
		}
		if col < 0 || seen[col] {
			return &ParseError{File: c.name, Line: line, Field: "header", Value: name,
				Allowed: "column names among " + strings.Join(csvColumns, ", ") + ", each at most once", Err: ErrSyntax}
		}
		seen[col] = true
		c.cols[i] = col
	}
	for col := colID; col <= colSize; col++ {
		if !seen[col] {
			line, _ := c.r.FieldPos(0)
			return &ParseError{File: c.name, Line: line, Field: "header", Value: strings.Join(rec, ","),
				Allowed: "a header naming the columns id, arrival and size", Err: ErrSyntax}
		}
	}
	c.header = true
	return nil
}

// csvError turns an encoding/csv error into a ParseError; io.EOF and
// errors of the underlying reader pass through.
func (c *CSVReader) csvError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	allowed := "CSV (RFC 4180) with quotes around a field only"
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		allowed = "as many fields as the header"
	}
	return &ParseError{File: c.name, Line: pe.Line, Value: pe.Err.Error(), Allowed: allowed, Err: ErrSyntax}
}

// numError maps a strconv error to ErrRange or ErrSyntax.
func numError(err error) error {
	if errors.Is(err, strconv.ErrRange) || errors.Is(err, ErrRange) {
		return ErrRange
	}
	return ErrSyntax
}

// SortJobs sorts jobs by arrival time, and jobs that arrive together by
// ID, keeping the trace order of equal IDs (a stable sort). Traces are
// not always in arrival order; a simulation that feeds jobs in order
// needs them sorted. O(n log n).
func SortJobs(jobs []Job) {
	slices.SortStableFunc(jobs, func(a, b Job) int {
		if c := cmp.Compare(a.Arrival, b.Arrival); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
