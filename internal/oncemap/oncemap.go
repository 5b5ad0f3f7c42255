// Package oncemap computes a value once per key for callers on several
// goroutines: the file a loader reads, the template it parses, the output
// a renderer renders, the folder a writer makes.
package oncemap

import "sync"

// Map holds a value and an error per key. The zero Map is empty and ready
// to use; a Map must not be copied after first use.
type Map[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]*entry[V]
}

type entry[V any] struct {
	once sync.Once
	v    V
	err  error
	// done is set, under Map.mu, once v and err are final (Each).
	done bool
}

// Do returns key's value and error: fn's, called the first time key is
// asked for; callers asking for it meanwhile wait for that call. fn may
// call Do for other keys.
func (m *Map[K, V]) Do(key K, fn func() (V, error)) (V, error) {
	m.mu.Lock()
	if m.m == nil {
		m.m = map[K]*entry[V]{}
	}
	e := m.m[key]
	if e == nil {
		e = &entry[V]{}
		m.m[key] = e
	}
	m.mu.Unlock()
	e.once.Do(func() {
		v, err := fn()
		m.mu.Lock()
		e.v, e.err, e.done = v, err, true
		m.mu.Unlock()
	})
	return e.v, e.err
}

// Each calls fn for every key whose value is computed, in no particular
// order; fn must not call the Map's methods.
func (m *Map[K, V]) Each(fn func(key K, v V, err error)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, e := range m.m {
		if e.done {
			fn(k, e.v, e.err)
		}
	}
}
