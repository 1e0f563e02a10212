package id

import (
	"crypto/rand"
	"encoding/binary"
	"time"
)

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// New returns a new identifier such as "mem_01j9z3k5q8c4x7v2b6n1" made at
// time now.
func New(prefix string, now time.Time) string {
	b := make([]byte, len(prefix)+21)
	n := copy(b, prefix)
	b[n] = '_'
	n++
	ms := uint64(now.UnixMilli())
	for i := 9; i >= 0; i-- {
		b[n+i] = alphabet[ms&31]
		ms >>= 5
	}
	n += 10
	var r [8]byte
	_, _ = rand.Read(r[:]) // crypto/rand.Read never fails on supported platforms.
	v := binary.BigEndian.Uint64(r[:])
	for i := 0; i < 10; i++ {
		b[n+i] = alphabet[v&31]
		v >>= 5
	}
	n += 10
	return string(b)
}
