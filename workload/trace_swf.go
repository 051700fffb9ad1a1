package workload

import (
	"bufio"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// SWFJob is one job line of a trace in the Standard Workload Format
// (SWF, version 2.2) of the Parallel Workloads Archive (D. G. Feitelson,
// D. Tsafrir and D. Krakov, "Experience with using the Parallel
// Workloads Archive", J. Parallel Distrib. Comput. 74(10), 2014;
// https://www.cs.huji.ac.il/labs/parallel/workload/swf.html). The
// fields are kept as written, in the format's order; -1 means unknown.
// Times are in seconds, memory in kilobytes per processor.
type SWFJob struct {
	JobNumber    int64   // 1: the job's number, counting from 1
	SubmitTime   int64   // 2: seconds from the log's start
	WaitTime     int64   // 3: seconds from submit to start
	RunTime      int64   // 4: seconds from start to end (wall clock)
	AllocProcs   int64   // 5: processors allocated
	AvgCPUTime   float64 // 6: CPU seconds used, averaged over the processors
	UsedMemory   float64 // 7: kilobytes used, averaged over the processors
	ReqProcs     int64   // 8: processors requested
	ReqTime      int64   // 9: seconds requested (the user's run-time estimate)
	ReqMemory    float64 // 10: kilobytes requested per processor
	Status       int64   // 11: 1 completed, 0 failed, 5 cancelled (2, 3, 4: checkpoint parts)
	User         int64   // 12: user number
	Group        int64   // 13: group number
	Executable   int64   // 14: application number
	Queue        int64   // 15: queue number (0 for interactive jobs)
	Partition    int64   // 16: partition number
	PrecedingJob int64   // 17: the job this one waited for
	ThinkTime    int64   // 18: seconds from the preceding job's end to this submit
}

// swfFields names the 18 fields, for error messages.
var swfFields = [18]string{
	"job number", "submit time", "wait time", "run time", "allocated processors",
	"average CPU time", "used memory", "requested processors", "requested time",
	"requested memory", "status", "user", "group", "executable", "queue",
	"partition", "preceding job", "think time",
}

// swfSeconds marks the fields that are times in seconds: they must also
// fit a time.Duration, so that converting them never fails.
var swfSeconds = [18]bool{1: true, 2: true, 3: true, 8: true, 17: true}

// SWFComment is one header comment line of an SWF trace, "; Key: Value".
// A comment without a colon has an empty Key and its whole text as Value.
type SWFComment struct {
	Key, Value string
}

// SWFHeader is the comment lines of an SWF trace, in order. The format
// defines keys such as Version, Computer, Installation, MaxJobs,
// MaxRecords, UnixStartTime, TimeZoneString, StartTime, EndTime,
// MaxNodes, MaxProcs, MaxRuntime, MaxMemory, MaxQueues, Queues, Note.
type SWFHeader []SWFComment

// Get returns the value of the first comment with the given key (case as
// written, without the colon) and whether there is one.
func (h SWFHeader) Get(key string) (string, bool) {
	for _, c := range h {
		if c.Key == key {
			return c.Value, true
		}
	}
	return "", false
}

// maxSWFLine is the longest line an SWFReader accepts.
const maxSWFLine = 1 << 20

// SWFReader reads an SWF trace one job line at a time. Lines whose first
// non-blank character is ';' are comments, collected in Header; blank
// lines are skipped; every other line must hold exactly 18 fields
// separated by blanks, each -1 or a number >= 0: an integer, except the
// average CPU time, used memory and requested memory, which may be
// decimals. Times in seconds must fit a time.Duration.
//
// Every error is a [*ParseError] wrapping [ErrSyntax] or [ErrRange],
// except errors of the underlying io.Reader, returned as they are. An
// SWFReader holds one line at a time.
type SWFReader struct {
	s      *bufio.Scanner
	name   string
	line   int
	header SWFHeader
	err    error
}

// NewSWFReader returns a reader of the SWF trace r; name is the file's
// name for error messages ("" for none).
func NewSWFReader(r io.Reader, name string) *SWFReader {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 0, 4096), maxSWFLine)
	return &SWFReader{s: s, name: name}
}

// Header returns the comments read so far (all of them once Read has
// returned io.EOF).
func (r *SWFReader) Header() SWFHeader { return r.header }

// ReadSWF reads a whole SWF trace: its job lines and its header.
func ReadSWF(r io.Reader, name string) ([]SWFJob, SWFHeader, error) {
	sr := NewSWFReader(r, name)
	var jobs []SWFJob
	for {
		j, err := sr.Read()
		if err == io.EOF {
			return jobs, sr.Header(), nil
		}
		if err != nil {
			return nil, sr.Header(), err
		}
		jobs = append(jobs, j)
	}
}

// Read returns the next job line, or io.EOF after the last. An error
// other than io.EOF is returned again by every later call.
func (r *SWFReader) Read() (SWFJob, error) {
	if r.err != nil {
		return SWFJob{}, r.err
	}
	j, err := r.read()
	if err != nil {
		r.err = err
	}
	return j, err
}

func (r *SWFReader) read() (SWFJob, error) {
	for r.s.Scan() {
		r.line++
		text := strings.TrimSpace(r.s.Text())
		if text == "" {
			continue
		}
		if text[0] == ';' {
			r.header = append(r.header, parseComment(text[1:]))
			continue
		}
		return r.parseJob(text)
	}
	err := r.s.Err()
	if err == nil {
		return SWFJob{}, io.EOF
	}
	if errors.Is(err, bufio.ErrTooLong) {
		return SWFJob{}, &ParseError{File: r.name, Line: r.line + 1, Value: "(a line of over 1 MiB)", Allowed: "lines of at most 1 MiB", Err: ErrSyntax}
	}
	return SWFJob{}, err
}

// parseComment splits the text after ';' into key and value.
func parseComment(s string) SWFComment {
	s = strings.TrimSpace(s)
	k, v, ok := strings.Cut(s, ":")
	if !ok || k == "" || strings.ContainsAny(k, " \t") { // the format's keys are single words
		return SWFComment{Value: s}
	}
	return SWFComment{Key: k, Value: strings.TrimSpace(v)}
}

// parseJob parses one job line.
func (r *SWFReader) parseJob(text string) (SWFJob, error) {
	var f [18]string
	n := 0
	for field := range strings.FieldsSeq(text) {
		if n == len(f) {
			n++
			break
		}
		f[n] = field
		n++
	}
	if n != len(f) {
		v := text
		if len(v) > 80 {
			v = v[:80] + "..."
		}
		return SWFJob{}, &ParseError{File: r.name, Line: r.line, Value: v, Allowed: "18 fields separated by blanks", Err: ErrSyntax}
	}
	var ints [18]int64
	var floats [18]float64
	for i, s := range f {
		perr := func(kind error, allowed string) error {
			return &ParseError{File: r.name, Line: r.line, Field: swfFields[i], Value: s, Allowed: allowed, Err: kind}
		}
		switch i {
		case 5, 6, 9:
			var x float64
			err := ErrSyntax
			if decimalSyntax(s) {
				x, err = strconv.ParseFloat(s, 64)
			}
			if err == nil && (x < 0 && x != -1 || math.IsInf(x, 0)) {
				err = ErrRange
			}
			if err != nil {
				return SWFJob{}, perr(numError(err), "-1 or a decimal >= 0")
			}
			floats[i] = x
		default:
			x, err := strconv.ParseInt(s, 10, 64)
			if err == nil && x < -1 {
				err = ErrRange
			}
			if err == nil && swfSeconds[i] && x > math.MaxInt64/int64(time.Second) {
				err = ErrRange
			}
			if err != nil {
				allowed := "-1 or an integer >= 0"
				if swfSeconds[i] {
					allowed = "-1 or an integer number of seconds >= 0 that fits a time.Duration"
				}
				return SWFJob{}, perr(numError(err), allowed)
			}
			ints[i] = x
		}
	}
	return SWFJob{
		JobNumber: ints[0], SubmitTime: ints[1], WaitTime: ints[2], RunTime: ints[3],
		AllocProcs: ints[4], AvgCPUTime: floats[5], UsedMemory: floats[6], ReqProcs: ints[7],
		ReqTime: ints[8], ReqMemory: floats[9], Status: ints[10], User: ints[11],
		Group: ints[12], Executable: ints[13], Queue: ints[14], Partition: ints[15],
		PrecedingJob: ints[16], ThinkTime: ints[17],
	}, nil
}

// Job converts an SWF line to a [Job]:
//
//   - ID = job number; Arrival = submit time; Size = run time.
//   - Estimate = requested time (kept apart from the run time, which is
//     what the job really takes); 0 (unknown) if -1.
//   - Procs = requested processors, or allocated processors if that is
//     -1 (or 0); 0 (meaning 1) if both are unknown.
//   - Class = queue number; 0 if -1 (note that SWF's queue 0 is the
//     interactive queue, so Class 0 mixes the two).
//   - Weight and Deadline are 0 (SWF has neither).
//
// A line without a submit time or without a run time (-1) cannot be
// simulated: Job returns false, and the caller decides ([SWFJobs] skips
// it and counts it). The status is not looked at: a cancelled job that
// ran for a while is kept with the time it ran; filter on Status before
// converting to drop such jobs.
func (s SWFJob) Job() (Job, bool) {
	if s.SubmitTime < 0 || s.RunTime < 0 {
		return Job{}, false
	}
	j := Job{
		ID:      s.JobNumber,
		Arrival: time.Duration(s.SubmitTime) * time.Second,
		Size:    time.Duration(s.RunTime) * time.Second,
	}
	if s.ReqTime > 0 {
		j.Estimate = time.Duration(s.ReqTime) * time.Second
	}
	switch {
	case s.ReqProcs > 0:
		j.Procs = int(s.ReqProcs)
	case s.AllocProcs > 0:
		j.Procs = int(s.AllocProcs)
	}
	if s.Queue > 0 {
		j.Class = int(s.Queue)
	}
	return j, true
}

// SWFSkipped counts the SWF lines that [SWFJobs] left out.
type SWFSkipped struct {
	// NoSubmitTime counts lines whose submit time is -1.
	NoSubmitTime int
	// NoRunTime counts lines with a submit time whose run time is -1.
	NoRunTime int
}

// Total returns the number of lines left out.
func (s SWFSkipped) Total() int { return s.NoSubmitTime + s.NoRunTime }

// SWFJobs converts every usable line to a Job (see [SWFJob.Job]), in
// the trace's order, and counts the lines it skipped and why.
func SWFJobs(lines []SWFJob) ([]Job, SWFSkipped) {
	jobs := make([]Job, 0, len(lines))
	var skipped SWFSkipped
	for _, l := range lines {
		j, ok := l.Job()
		switch {
		case ok:
			jobs = append(jobs, j)
		case l.SubmitTime < 0:
			skipped.NoSubmitTime++
		default:
			skipped.NoRunTime++
		}
	}
	return jobs, skipped
}
