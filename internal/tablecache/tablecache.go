// Package tablecache caches descriptions of target tables for the stores,
// so a batch does not query the catalog for every table it writes. A
// description is dropped after a failed write, since the table may have
// changed since it was read.
package tablecache

import "sync"

// Cache maps table names (as written in batches) to descriptions. The zero
// value is ready to use and safe for concurrent use.
type Cache[T any] struct {
	mu sync.Mutex
	m  map[string]T
}

// Get returns name's description, calling load when it is not cached.
func (c *Cache[T]) Get(name string, load func() (T, error)) (T, error) {
	c.mu.Lock()
	v, ok := c.m[name]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.Put(name, v)
	return v, nil
}

// Put stores name's description, replacing any cached one.
func (c *Cache[T]) Put(name string, v T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]T{}
	}
	c.m[name] = v
}

// Forget drops name's description.
func (c *Cache[T]) Forget(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, name)
}
