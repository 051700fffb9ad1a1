module github.com/vtsim/vtsim/bench/peers

go 1.26

require github.com/vtsim/vtsim v0.0.0

require github.com/benbjohnson/clock v1.3.5 // indirect

require github.com/fschuetz04/simgo v0.7.0

replace github.com/vtsim/vtsim => ../..
