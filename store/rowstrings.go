package store

import "strings"

// rowStrings makes the strings of many rows with few allocations. A row has half a dozen short
// strings (ids of 36 bytes, a title, tags); as separate allocations each is rounded up to a
// size class and costs the allocator and the garbage collector one object. Here they are
// copied one after the other into chunks of up to rowChunk bytes, and each row's string is a
// slice of its chunk. A chunk lives as long as any string in it does; the rows of a list are
// loaded and dropped together, so that costs nothing in practice.
//
// Values that repeat across rows (model, status, download state) are stored once, and so is
// the task id that consecutive clips of one task share. A nil *rowStrings allocates every
// string on its own.
type rowStrings struct {
	// chunk is only ever appended to within its capacity, so bytes once written never move or
	// change, and the strings sliced from its String stay valid.
	chunk    *strings.Builder
	size     int               // capacity of the next chunk: doubles up to rowChunk
	seen     map[string]string // the values common has stored
	prevTask string
	tmp      []byte // the row scanner's buffer for strings with escapes, reused
}

const (
	rowChunk        = 64 << 10 // bytes per chunk
	rowChunkMin     = 1 << 10
	rowBytesPerRow  = 160     // an estimate, to size the first chunk for a small library
	rowOwnAlloc     = 1 << 10 // longer strings get their own allocation
	rowCommonMax    = 256     // distinct values remembered by common
	rowCommonMaxLen = 64
)

// newRowStrings returns a rowStrings whose first chunk suits about rows rows.
func newRowStrings(rows int) *rowStrings {
	return &rowStrings{size: min(rowChunk, max(rowChunkMin, rows*rowBytesPerRow)), seen: map[string]string{}}
}

// copy returns b as a string that does not share memory with b.
func (a *rowStrings) copy(b []byte) string {
	switch {
	case len(b) == 0:
		return ""
	case a == nil || len(b) > rowOwnAlloc:
		return string(b)
	}
	if a.chunk == nil || a.chunk.Cap()-a.chunk.Len() < len(b) {
		a.chunk = new(strings.Builder)
		a.chunk.Grow(max(a.size, len(b)))
		a.size = min(rowChunk, 2*a.size)
	}
	// A Builder's String shares its buffer, and Write only appends within the capacity
	// checked above, so earlier strings keep their bytes.
	start := a.chunk.Len()
	a.chunk.Write(b)
	return a.chunk.String()[start:]
}

// common is copy for values that repeat across many rows: each distinct value is stored once.
func (a *rowStrings) common(b []byte) string {
	if a == nil {
		return string(b)
	}
	if s, ok := a.seen[string(b)]; ok { // the lookup does not allocate
		return s
	}
	s := a.copy(b)
	if len(a.seen) < rowCommonMax && len(b) <= rowCommonMaxLen {
		a.seen[s] = s
	}
	return s
}

// task is copy for task ids: the clips of one task are consecutive rows, so the previous
// row's task id is usually the answer.
func (a *rowStrings) task(b []byte) string {
	if a == nil {
		return string(b)
	}
	if a.prevTask != string(b) {
		a.prevTask = a.copy(b)
	}
	return a.prevTask
}
