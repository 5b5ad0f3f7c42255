package value

// Entry is one key and value of a Mapping.
type Entry struct {
	Key *Value
	Val *Value
}

// indexAbove is the size from which a Mapping keeps hash indexes; smaller
// mappings are searched linearly, which is faster and allocates nothing.
const indexAbove = 8

// Mapping is an ordered map. Keys compare as Python dict keys do: strings
// match strings, and 1, 1.0 and true are the same key. Setting a key that is
// already present replaces its value and keeps its place, as a Python dict
// does.
//
// A Mapping is built by one goroutine and read-only afterwards; reads are
// then safe from any number of goroutines.
type Mapping struct {
	entries []Entry
	strIdx  map[string]int // string keys, when indexed
	keyIdx  map[string]int // other keys by HashKey, when indexed
}

// NewMapping returns an empty mapping with room for n entries.
func NewMapping(n int) *Mapping { return &Mapping{entries: make([]Entry, 0, n)} }

// Len returns the number of entries; nil has none.
func (m *Mapping) Len() int {
	if m == nil {
		return 0
	}
	return len(m.entries)
}

// Entries returns the entries in order. The slice must not be modified.
func (m *Mapping) Entries() []Entry {
	if m == nil {
		return nil
	}
	return m.entries
}

// Get returns the value of the string key k.
func (m *Mapping) Get(k string) (*Value, bool) {
	if i := m.indexOfString(k); i >= 0 {
		return m.entries[i].Val, true
	}
	return nil, false
}

// Entry returns the entry of the string key k.
func (m *Mapping) Entry(k string) (Entry, bool) {
	if i := m.indexOfString(k); i >= 0 {
		return m.entries[i], true
	}
	return Entry{}, false
}

// Lookup returns the value of key k, compared as a Python dict key.
func (m *Mapping) Lookup(k *Value) (*Value, bool) {
	if i := m.indexOf(k); i >= 0 {
		return m.entries[i].Val, true
	}
	return nil, false
}

// Has reports whether the string key k is present.
func (m *Mapping) Has(k string) bool { return m.indexOfString(k) >= 0 }

// Set adds k with v, or replaces the value of an equal key in place. It
// returns the entry that was replaced, if any.
func (m *Mapping) Set(k, v *Value) (old Entry, replaced bool) {
	if i := m.indexOf(k); i >= 0 {
		old = m.entries[i]
		m.entries[i].Val = v
		return old, true
	}
	m.entries = append(m.entries, Entry{Key: k, Val: v})
	n := len(m.entries)
	switch {
	case m.strIdx != nil:
		m.addIndex(n - 1)
	case n > indexAbove:
		m.strIdx = make(map[string]int, 2*n)
		for i := range m.entries {
			m.addIndex(i)
		}
	}
	return Entry{}, false
}

// SetString is Set with a string key placed where v is.
func (m *Mapping) SetString(k string, v *Value) {
	m.Set(NewString(k, v.Range), v)
}

// Delete removes the string key k, keeping the order of the rest.
func (m *Mapping) Delete(k string) bool {
	i := m.indexOfString(k)
	if i < 0 {
		return false
	}
	m.entries = append(m.entries[:i], m.entries[i+1:]...)
	if m.strIdx != nil {
		m.strIdx, m.keyIdx = make(map[string]int, len(m.entries)), nil
		for j := range m.entries {
			m.addIndex(j)
		}
	}
	return true
}

// Keys returns the keys in order.
func (m *Mapping) Keys() []*Value {
	out := make([]*Value, len(m.Entries()))
	for i, e := range m.Entries() {
		out[i] = e.Key
	}
	return out
}

// Clone returns a copy that can be modified without touching m; the keys
// and values themselves are shared.
func (m *Mapping) Clone() *Mapping {
	c := &Mapping{entries: append(make([]Entry, 0, m.Len()), m.Entries()...)}
	if len(c.entries) > indexAbove {
		c.strIdx = make(map[string]int, 2*len(c.entries))
		for i := range c.entries {
			c.addIndex(i)
		}
	}
	return c
}

func (m *Mapping) addIndex(i int) {
	k := m.entries[i].Key
	if k.Kind == String {
		m.strIdx[k.Str] = i
		return
	}
	if m.keyIdx == nil {
		m.keyIdx = map[string]int{}
	}
	m.keyIdx[HashKey(k)] = i
}

func (m *Mapping) indexOfString(k string) int {
	if m == nil {
		return -1
	}
	if m.strIdx != nil {
		if i, ok := m.strIdx[k]; ok {
			return i
		}
		return -1
	}
	for i := range m.entries {
		if e := m.entries[i].Key; e.Kind == String && e.Str == k {
			return i
		}
	}
	return -1
}

func (m *Mapping) indexOf(k *Value) int {
	if m == nil {
		return -1
	}
	if k.Kind == String {
		return m.indexOfString(k.Str)
	}
	if m.strIdx != nil {
		if i, ok := m.keyIdx[HashKey(k)]; ok {
			return i
		}
		return -1
	}
	for i := range m.entries {
		if e := m.entries[i].Key; e.Kind != String && Equal(e, k) {
			return i
		}
	}
	return -1
}
