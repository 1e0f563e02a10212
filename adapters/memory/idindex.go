package memory

import "hash/maphash"

// idIndex maps ids to places (in a log) with linear probing in one flat,
// pointer-free slice: the garbage collector never scans it, growing it
// rehashes no strings, and finding an absent id also finds the slot to
// claim it in. Each slot holds the id's 32-bit hash and its place plus one;
// zero is an empty slot. The table is kept at most half full.
//
// Ids themselves are not stored: idOf returns the id at a place.
type idIndex struct {
	seed  maphash.Seed
	slots []uint64
	used  int
}

func newIDIndex() idIndex {
	return idIndex{seed: maphash.MakeSeed(), slots: make([]uint64, 1024)}
}

// hash returns the 32-bit hash of id.
func (x *idIndex) hash(id string) uint32 { return uint32(maphash.String(x.seed, id) >> 32) }

// find returns the slot holding id and true, or the empty slot where id
// would go and false.
func (x *idIndex) find(id string, h uint32, idOf func(place uint32) string) (int, bool) {
	mask := len(x.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		v := x.slots[i]
		if v == 0 {
			return i, false
		}
		if uint32(v>>32) == h && idOf(uint32(v)-1) == id {
			return i, true
		}
	}
}

// get returns the place of id.
func (x *idIndex) get(id string, idOf func(place uint32) string) (uint32, bool) {
	i, ok := x.find(id, x.hash(id), idOf)
	if !ok {
		return 0, false
	}
	return uint32(x.slots[i]) - 1, true
}

// put records place for an id of hash h in the empty slot find returned.
func (x *idIndex) put(slot int, h, place uint32) {
	x.slots[slot] = uint64(h)<<32 | uint64(place+1)
	x.used++
}

// remove empties the slot of the id of hash h at place. Removing ids in
// the reverse of the order they were put, with no reserve between, leaves
// the table exactly as it was before they were put.
func (x *idIndex) remove(h, place uint32) {
	mask := len(x.slots) - 1
	want := uint64(h)<<32 | uint64(place+1)
	for i := int(h) & mask; x.slots[i] != 0; i = (i + 1) & mask {
		if x.slots[i] == want {
			x.slots[i] = 0
			x.used--
			return
		}
	}
}

// reserve grows the table so that n more ids keep it at most half full.
func (x *idIndex) reserve(n int) {
	need := 2 * (x.used + n)
	if need <= len(x.slots) {
		return
	}
	size := len(x.slots)
	for size < need {
		size *= 2
	}
	old := x.slots
	x.slots = make([]uint64, size)
	mask := size - 1
	for _, v := range old {
		if v == 0 {
			continue
		}
		i := int(v>>32) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = v
	}
}
