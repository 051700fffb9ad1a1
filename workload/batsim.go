package workload

import (
	"bufio"
	"io"
	"strconv"
	"time"
)

// batsimColumns is the header of Batsim's jobs output file
// (PREFIX_jobs.csv; see Batsim's docs/output-jobs.rst).
var batsimColumns = []string{
	"job_id", "workload_name", "profile", "submission_time",
	"requested_number_of_resources", "requested_time", "success", "final_state",
	"starting_time", "execution_time", "finish_time", "waiting_time",
	"turnaround_time", "stretch", "allocated_resources", "consumed_energy", "metadata",
}

// WriteBatsimJobs writes recs as CSV in the column layout of Batsim's
// jobs output file (PREFIX_jobs.csv), so that scripts written for Batsim
// (evalys, pandas notebooks) read vtsim's runs. Times are seconds,
// written as exact decimals ("1.5", "2"). The columns are filled so:
//
//	job_id                         the job's ID
//	workload_name                  workload (Batsim's "w0" style name)
//	profile                        empty (vtsim jobs have no Batsim profile)
//	submission_time                Arrival
//	requested_number_of_resources  Procs (1 if 0)
//	requested_time                 Estimate; -1 if 0 (no walltime)
//	success, final_state           1, COMPLETED_SUCCESSFULLY (a record is a finished job)
//	starting_time                  Start
//	execution_time                 Finish − Start (wall time, which under
//	                               sharing or preemption exceeds Size)
//	finish_time                    Finish
//	waiting_time                   Start − Arrival
//	turnaround_time                Finish − Arrival
//	stretch                        turnaround_time / execution_time ("inf"
//	                               if only the latter is 0, "nan" if both are)
//	allocated_resources            Server, or "Server-(Server+Procs−1)" for
//	                               Procs > 1 (Batsim's interval-set notation)
//	consumed_energy                -1 (not measured)
//	metadata                       empty
//
// It returns the first error of w.
func WriteBatsimJobs(w io.Writer, workload string, recs []Record) error {
	bw := bufio.NewWriter(w)
	var b []byte
	for i, c := range batsimColumns {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c...)
	}
	b = append(b, '\n')
	name := csvQuote(workload)
	for _, r := range recs {
		procs := max(r.Procs, 1)
		b = strconv.AppendInt(b, r.ID, 10)
		b = append(b, ',')
		b = append(b, name...)
		b = append(b, ",,"...)
		b = appendSeconds(b, r.Arrival)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(procs), 10)
		b = append(b, ',')
		if r.Estimate == 0 {
			b = append(b, "-1"...)
		} else {
			b = appendSeconds(b, r.Estimate)
		}
		b = append(b, ",1,COMPLETED_SUCCESSFULLY,"...)
		exec, turn := r.Finish-r.Start, r.Response()
		for _, d := range [...]time.Duration{r.Start, exec, r.Finish, r.Wait(), turn} {
			b = appendSeconds(b, d)
			b = append(b, ',')
		}
		switch {
		case exec != 0:
			b = strconv.AppendFloat(b, float64(turn)/float64(exec), 'g', -1, 64)
		case turn != 0:
			b = append(b, "inf"...)
		default:
			b = append(b, "nan"...)
		}
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(r.Server), 10)
		if procs > 1 {
			b = append(b, '-')
			b = strconv.AppendInt(b, int64(r.Server+procs-1), 10)
		}
		b = append(b, ",-1,\n"...)
		if _, err := bw.Write(b); err != nil {
			return err
		}
		b = b[:0]
	}
	if len(b) > 0 { // no records: the header alone
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// csvQuote quotes s for CSV if it needs quotes.
func csvQuote(s string) string {
	need := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\n', '\r':
			need = true
		}
	}
	if !need && (s == "" || (s[0] != ' ' && s[len(s)-1] != ' ')) {
		return s
	}
	q := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			q = append(q, '"')
		}
		q = append(q, s[i])
	}
	return string(append(q, '"'))
}
