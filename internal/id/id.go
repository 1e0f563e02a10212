package id

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
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

// UUID returns a time-ordered (version 7) UUID made at time now: the Unix
// time in milliseconds, the version, then 74 random bits. UUIDs made later
// sort later, so an index of them grows at its end instead of at random
// places, and the random bits keep them unguessable and unique.
func UUID(now time.Time) string {
	var b [16]byte
	_, _ = rand.Read(b[6:]) // crypto/rand.Read never fails on supported platforms.
	ms := uint64(now.UnixMilli())
	binary.BigEndian.PutUint16(b[0:2], uint16(ms>>32))
	binary.BigEndian.PutUint32(b[2:6], uint32(ms))
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:16])
	return string(out[:])
}
