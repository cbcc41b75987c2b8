package vkey

import (
	"reflect"
	"testing"
)

type row struct {
	Name string
	N    int
	Line int `key:"-"`
	M    map[string]int
}

func sum(v any, all bool) (string, bool) {
	k := Sum{All: all}
	k.Value(reflect.ValueOf(v))
	return string(k.Buf), k.Bad
}

// A value sums the same whatever its map's order and wherever its row
// sits in its file, and differently once a shown field changes; All sums
// the tagged fields too; a function cannot be summed.
func TestSum(t *testing.T) {
	a, _ := sum(row{"a", 1, 10, map[string]int{"x": 1, "y": 2, "z": 3}}, false)
	b, _ := sum(&row{"a", 1, 99, map[string]int{"z": 3, "y": 2, "x": 1}}, false)
	if a != b[2:] { // b is behind a pointer: its kind and "not nil" first
		t.Errorf("same row, other line or map order: sums differ")
	}
	if c, _ := sum(row{"a", 2, 10, map[string]int{"x": 1, "y": 2, "z": 3}}, false); c == a {
		t.Error("a shown field changed, the sum did not")
	}
	x, _ := sum(row{"a", 1, 10, nil}, true)
	y, _ := sum(row{"a", 1, 11, nil}, true)
	if x == y {
		t.Error("All: the tagged field is left out")
	}
	if _, bad := sum(struct{ F func() }{}, false); !bad {
		t.Error("a function was summed")
	}
	if FNV("abc") != FNV([]byte("abc")) || FNV("abc") == FNV("abd") {
		t.Error("FNV of a string and of its bytes differ, or of two strings agree")
	}
}
