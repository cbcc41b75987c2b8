// Package vkey sums a Go value the way a template sees it, for the keys an
// incremental build compares: render's page keys and report's input keys
// both write values through one Sum, so a field is summed alike in both.
package vkey

import (
	"encoding/binary"
	"hash"
	"math"
	"reflect"
	"sync"
)

// Sum writes a value's bytes into Buf: every field, exported or not,
// followed through pointers, slices and maps (whose entries are summed in
// any order). Bad is set for a value it cannot sum (a function or channel,
// or a structure nested too deep): the caller must not trust the key.
type Sum struct {
	Buf []byte
	Bad bool
	// All sums every field; otherwise fields tagged key:"-" (where a row
	// is in its file, which pages other than data health do not show, and
	// what a metric's id and the binary fix) are left out. Skips, when
	// set, caches which fields of a type those are.
	All   bool
	Skips *sync.Map
	// Spare is a buffer for the entries of maps, kept between sums.
	Spare []byte
	// H, when set, takes Buf's bytes whenever it passes FlushAt, so that
	// a large value is summed through a small buffer instead of one that
	// grows to its whole size (the sum is the same).
	H hash.Hash
}

// FlushAt is the size of Buf past which it is written into H.
const FlushAt = 16 << 10

// FNV is the FNV-1a sum of b, without the hash.Hash around it.
func FNV[T string | []byte](b T) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(b); i++ {
		h ^= uint64(b[i])
		h *= 1099511628211
	}
	return h
}

// Value sums v.
func (k *Sum) Value(v reflect.Value) { k.value(v, 0) }

// U64 appends n as a varint: most numbers on a page are small.
func (k *Sum) U64(n uint64) { k.Buf = binary.AppendUvarint(k.Buf, n) }

// Str appends s with its length.
func (k *Sum) Str(s string) {
	k.U64(uint64(len(s)))
	k.Buf = append(k.Buf, s...)
}

// skipped lists, for a struct type, which of its fields are tagged key:"-".
func (k *Sum) skipped(t reflect.Type) []bool {
	if k.Skips != nil {
		if s, ok := k.Skips.Load(t); ok {
			return s.([]bool)
		}
	}
	s := make([]bool, t.NumField())
	for i := range s {
		s[i] = t.Field(i).Tag.Get("key") == "-"
	}
	if k.Skips != nil {
		k.Skips.Store(t, s)
	}
	return s
}
func (k *Sum) value(v reflect.Value, depth int) {
	if k.H != nil && len(k.Buf) >= FlushAt {
		k.H.Write(k.Buf)
		k.Buf = k.Buf[:0]
	}
	if depth > 40 {
		k.Bad = true
		return
	}
	k.Buf = append(k.Buf, byte(v.Kind()))
	switch v.Kind() {
	case reflect.Invalid:
	case reflect.Bool:
		if v.Bool() {
			k.Buf = append(k.Buf, 1)
		} else {
			k.Buf = append(k.Buf, 0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		k.U64(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		k.U64(v.Uint())
	case reflect.Float32, reflect.Float64:
		k.Buf = binary.LittleEndian.AppendUint64(k.Buf, math.Float64bits(v.Float()))
	case reflect.String:
		k.Str(v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			k.U64(0)
			return
		}
		k.U64(1)
		if v.Kind() == reflect.Interface {
			k.Str(v.Elem().Type().String())
		}
		k.value(v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			k.U64(0)
			return
		}
		k.U64(uint64(v.Len()) + 1)
		for i := range v.Len() {
			k.value(v.Index(i), depth+1)
		}
	case reflect.Struct:
		var skip []bool
		if !k.All {
			skip = k.skipped(v.Type())
		}
		for i := range v.NumField() {
			if skip == nil || !skip[i] {
				k.value(v.Field(i), depth+1)
			}
		}
	case reflect.Map:
		k.U64(uint64(v.Len()))
		// Each entry is summed on its own and the sums added, so the
		// map's order does not matter.
		// An entry is a few bytes: FNV-1a sums it with no set-up, where
		// SHA-256 costs its whole padding and finish each time.
		var sum uint64
		it := v.MapRange()
		sub := Sum{All: k.All, Skips: k.Skips, Buf: k.Spare[:0]}
		// One key and one value, set in place at each entry (reflect
		// allows it only for a map reached through exported fields).
		inPlace := v.CanInterface()
		var key, val reflect.Value
		if inPlace {
			key, val = reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		}
		for it.Next() {
			sub.Buf = sub.Buf[:0]
			if inPlace {
				key.SetIterKey(it)
				val.SetIterValue(it)
			} else {
				key, val = it.Key(), it.Value()
			}
			sub.value(key, depth+1)
			sub.value(val, depth+1)
			sum += FNV(sub.Buf)
		}
		k.Spare = sub.Buf
		k.Bad = k.Bad || sub.Bad
		k.U64(sum)
	default:
		k.Bad = true
	}
}
