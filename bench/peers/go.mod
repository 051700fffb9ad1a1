module github.com/vtsim/vtsim/bench/peers

go 1.26

require github.com/vtsim/vtsim v0.0.0

require (
	github.com/fschuetz04/simgo v0.7.0
	gonum.org/v1/gonum v0.17.0 // indirect
)

replace github.com/vtsim/vtsim => ../..
