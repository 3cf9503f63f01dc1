package store

import (
	"bytes"
	"container/heap"
	"encoding/base64"
	"encoding/binary"
	"math"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"

	"sunostudio/internal/i18n"
)

// Clips runs a query. Filters and sort keys come from the compact search bucket, so the full
// clip JSON is decoded only for the clips of the returned page.
//
// Orders (Asc reverses each one entirely): date newest first; title A-Z (case-insensitive, by
// code point), then newest first; duration longest first, then newest first. The cursor names
// the last clip of the previous page by its sort value and key, so a page never repeats or
// skips a clip when other clips are added (for date order, newer clips simply sort before it).
func (s *Store) Clips(q Query) (Page, error) {
	var page Page
	order, err := sortCode(q.Sort)
	if err != nil {
		return page, err
	}
	var after *item
	if q.Cursor != "" {
		if after, err = decodeCursor(q.Cursor, order, q.Asc); err != nil {
			return page, err
		}
	}
	text := []byte(strings.ToLower(strings.ReplaceAll(q.Text, "\x00", "")))
	filtered := len(text) > 0 || q.Favorite || q.Model != "" || q.Status != "" || q.TaskID != ""
	err = s.view(func(tx *bolt.Tx) error {
		var keys [][]byte
		var next *item
		if !filtered && order == sortDate {
			keys, next, page.Total = dateWalk(tx, after, q)
		} else {
			keys, next, page.Total = scan(tx, q, text, order, after)
		}
		clips := tx.Bucket(bClips)
		page.Clips = make([]*Clip, 0, len(keys))
		for _, k := range keys {
			c, err := s.decodeClip(k, clips.Get(k))
			if err != nil {
				return err
			}
			page.Clips = append(page.Clips, c)
		}
		if next != nil {
			page.Next = encodeCursor(next, order, q.Asc)
		}
		return nil
	})
	if err != nil {
		return Page{}, err
	}
	return page, nil
}

const (
	sortDate byte = iota
	sortTitle
	sortDuration
)

func sortCode(s string) (byte, error) {
	switch s {
	case "", SortDate:
		return sortDate, nil
	case SortTitle:
		return sortTitle, nil
	case SortDuration:
		return sortDuration, nil
	}
	return 0, i18n.Wrap(i18n.T("store.err.unknown_sort", ErrInvalid, s, SortDate, SortTitle, SortDuration), ErrInvalid)
}

// item is one clip's place in an order: its key plus the sort value (title or duration).
type item struct {
	key   []byte
	title []byte
	dur   float64
}

// before reports whether a comes before b in the output order.
func before(order byte, asc bool, a, b *item) bool {
	if asc {
		a, b = b, a
	}
	switch order {
	case sortTitle:
		if c := bytes.Compare(a.title, b.title); c != 0 {
			return c < 0
		}
	case sortDuration:
		if a.dur != b.dur {
			return a.dur > b.dur
		}
	}
	return bytes.Compare(a.key, b.key) > 0
}

// dateWalk serves the unfiltered date order straight from the clips bucket: a cursor seek and
// Limit steps, with Total from the clip count. This is what the library view opens with.
func dateWalk(tx *bolt.Tx, after *item, q Query) (keys [][]byte, next *item, total int) {
	total = clipCount(tx)
	c := tx.Bucket(bClips).Cursor()
	var k []byte
	step := c.Prev
	if q.Asc {
		step = c.Next
	}
	switch {
	case after == nil && q.Asc:
		k, _ = c.First()
	case after == nil:
		k, _ = c.Last()
	default:
		k, _ = c.Seek(after.key)
		if k == nil && !q.Asc {
			k, _ = c.Last()
		}
		// Seek lands on the first key >= the cursor: step past the cursor itself.
		for k != nil && !before(sortDate, q.Asc, after, &item{key: k}) {
			k, _ = step()
		}
	}
	for ; k != nil; k, _ = step() {
		if q.Limit > 0 && len(keys) == q.Limit {
			next = &item{key: keys[len(keys)-1]}
			break
		}
		keys = append(keys, k)
	}
	return keys, next, total
}

// scan filters the search records and keeps the best Limit matches after the cursor in a
// bounded heap, so sorting 100k clips costs O(n log Limit) comparisons and no JSON.
func scan(tx *bolt.Tx, q Query, text []byte, order byte, after *item) (keys [][]byte, next *item, total int) {
	h := &itemHeap{order: order, asc: q.Asc}
	afterCount := 0
	consider := func(k, v []byte) {
		r, ok := decodeSearch(v)
		if !ok || (q.Favorite && !r.fav) || (q.Model != "" && string(r.model) != q.Model) ||
			(q.Status != "" && string(r.status) != q.Status) || (len(text) > 0 && !r.contains(text)) {
			return
		}
		total++
		it := item{key: k, title: r.title, dur: r.duration}
		if math.IsNaN(it.dur) {
			it.dur = 0
		}
		if after != nil && !before(order, q.Asc, after, &it) {
			return
		}
		afterCount++
		if q.Limit <= 0 {
			h.items = append(h.items, it) // everything goes: sorted once at the end
		} else if h.Len() < q.Limit {
			heap.Push(h, it)
		} else if before(order, q.Asc, &it, &h.items[0]) {
			h.items[0] = it
			heap.Fix(h, 0)
		}
	}
	search := tx.Bucket(bSearch)
	if q.TaskID != "" {
		prefix := prefixKey(q.TaskID)
		c := tx.Bucket(bTaskClips).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			key := k[len(prefix):]
			if v := search.Get(key); v != nil {
				consider(key, v)
			}
		}
	} else {
		c := search.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			consider(k, v)
		}
	}
	items := h.items
	sort.Slice(items, func(i, j int) bool { return before(order, q.Asc, &items[i], &items[j]) })
	keys = make([][]byte, len(items))
	for i := range items {
		keys[i] = items[i].key
	}
	if q.Limit > 0 && afterCount > q.Limit && len(items) > 0 {
		last := items[len(items)-1]
		next = &last
	}
	return keys, next, total
}

// itemHeap keeps the page's best items with the worst at the root, ready to be replaced.
type itemHeap struct {
	items []item
	order byte
	asc   bool
}

func (h *itemHeap) Len() int           { return len(h.items) }
func (h *itemHeap) Less(i, j int) bool { return before(h.order, h.asc, &h.items[j], &h.items[i]) }
func (h *itemHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *itemHeap) Push(x any)         { h.items = append(h.items, x.(item)) }
func (h *itemHeap) Pop() any {
	it := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return it
}

// The cursor: base64url of [format][order][asc] + uvarint len + sort value + key. It is opaque
// to callers; the order and direction in it must match the query it is used with.
const cursorFormat = 1

func encodeCursor(it *item, order byte, asc bool) string {
	b := []byte{cursorFormat, order, 0}
	if asc {
		b[2] = 1
	}
	var val []byte
	switch order {
	case sortTitle:
		val = it.title
	case sortDuration:
		val = binary.BigEndian.AppendUint64(nil, math.Float64bits(it.dur))
	}
	b = binary.AppendUvarint(b, uint64(len(val)))
	b = append(b, val...)
	b = append(b, it.key...)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, order byte, asc bool) (*item, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 4 || b[0] != cursorFormat {
		return nil, ErrBadCursor
	}
	if b[1] != order || (b[2] == 1) != asc {
		return nil, i18n.Wrap(i18n.T("store.err.cursor_order", ErrBadCursor), ErrBadCursor)
	}
	n, w := binary.Uvarint(b[3:])
	rest := b[3:]
	if w <= 0 || n > uint64(len(rest)-w) {
		return nil, ErrBadCursor
	}
	val, key := rest[w:w+int(n)], rest[w+int(n):]
	if len(key) < 8 {
		return nil, ErrBadCursor
	}
	it := &item{key: key}
	switch order {
	case sortTitle:
		it.title = val
	case sortDuration:
		if len(val) != 8 {
			return nil, ErrBadCursor
		}
		it.dur = math.Float64frombits(binary.BigEndian.Uint64(val))
	}
	return it, nil
}
