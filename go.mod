module github.com/vtsim/vtsim

go 1.26

require (
	go.uber.org/goleak v1.3.0
	gonum.org/v1/gonum v0.17.0
)

require pgregory.net/rapid v1.3.0
