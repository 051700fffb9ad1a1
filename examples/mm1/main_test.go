package main

import "os"

func Example() {
	if err := run(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// M/M/1, lambda=0.9 mu=1.0: 30 replications of 20000 customers (first 2000 deleted), seed 2024
	// metric       mean   95% CI           n   theory
	// wait         8.951  [8.515, 9.386]   30  9.000
	// sojourn      9.950  [9.513, 10.387]  30  10.000
	// in_system    8.966  [8.568, 9.363]   30  9.000
	// utilisation  0.900  [0.897, 0.903]   30  0.900
}
