//go:build ignore

// Command pngcheck is a helper of .ci/html-check: it fails when a PNG
// screenshot is blank (every pixel the same colour), or when one of the
// given rectangles (a chart's place on the page, in pixels) is blank or
// outside the image.
//
// Usage:
//
//	go run .ci/pngcheck.go FILE.png [X,Y,W,H ...]
//
// It prints nothing when the image is fine; otherwise one line that names
// the file and the problem, and exits 1.
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: pngcheck FILE.png [X,Y,W,H ...]")
		os.Exit(2)
	}
	if err := check(os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func check(name string, rects []string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Empty() {
		return fmt.Errorf("empty screenshot (%dx%d)", b.Dx(), b.Dy())
	}
	if c, ok := oneColour(img, b); ok {
		return fmt.Errorf("blank screenshot: all %dx%d pixels are %s", b.Dx(), b.Dy(), c)
	}
	for i, arg := range rects {
		r, err := parseRect(arg)
		if err != nil {
			return fmt.Errorf("chart %d: %v", i+1, err)
		}
		r = r.Add(b.Min)
		if r.Empty() || !r.In(b) {
			return fmt.Errorf("chart %d at %s is not inside the %dx%d screenshot", i+1, arg, b.Dx(), b.Dy())
		}
		if c, ok := oneColour(img, r); ok {
			return fmt.Errorf("chart %d is blank in the screenshot: all pixels of %s are %s", i+1, arg, c)
		}
	}
	return nil
}

// oneColour reports whether every pixel of r in img has the same colour,
// and that colour.
func oneColour(img image.Image, r image.Rectangle) (string, bool) {
	first := color.RGBA64Model.Convert(img.At(r.Min.X, r.Min.Y))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if color.RGBA64Model.Convert(img.At(x, y)) != first {
				return "", false
			}
		}
	}
	c := first.(color.RGBA64)
	return fmt.Sprintf("#%02x%02x%02x", c.R>>8, c.G>>8, c.B>>8), true
}

// parseRect parses "X,Y,W,H".
func parseRect(s string) (image.Rectangle, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return image.Rectangle{}, fmt.Errorf("rectangle %q is not X,Y,W,H", s)
	}
	var n [4]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return image.Rectangle{}, fmt.Errorf("rectangle %q is not X,Y,W,H", s)
		}
		n[i] = v
	}
	return image.Rect(n[0], n[1], n[0]+n[2], n[1]+n[3]), nil
}
