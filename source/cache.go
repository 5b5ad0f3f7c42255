package source

import (
	"bytes"
	"os"
	"sync"
)

// Cache maps file names to their contents so that diagnostics can quote the
// line they point at. Contents added with Add win over the file system, which
// is how standard input and embedded files get their snippets. A Cache is
// safe for concurrent use.
type Cache struct {
	mu    sync.Mutex
	files map[string][]byte
	// ReadFS, when set, is consulted for names that were not added;
	// it defaults to os.ReadFile.
	ReadFS func(name string) ([]byte, error)
}

// NewCache returns an empty cache that falls back to the file system.
func NewCache() *Cache { return &Cache{files: map[string][]byte{}} }

// Add records the contents of a file.
func (c *Cache) Add(name string, content []byte) {
	c.mu.Lock()
	c.files[name] = content
	c.mu.Unlock()
}

// Content returns the contents of name, reading it on first use. A file that
// cannot be read yields nil.
func (c *Cache) Content(name string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.files[name]; ok {
		return b
	}
	read := c.ReadFS
	if read == nil {
		read = os.ReadFile
	}
	b, err := read(name)
	if err != nil {
		b = nil
	}
	c.files[name] = b
	return b
}

// Line returns line n (1-based) of name without its line break, and whether
// it exists.
func (c *Cache) Line(name string, n int) ([]byte, bool) {
	return LineOf(c.Content(name), n)
}

// LineOf returns line n (1-based) of content without its line break.
func LineOf(content []byte, n int) ([]byte, bool) {
	if n < 1 || content == nil {
		return nil, false
	}
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(content, '\n')
		if j < 0 {
			return nil, false
		}
		content = content[j+1:]
	}
	if j := bytes.IndexByte(content, '\n'); j >= 0 {
		content = content[:j]
	}
	return bytes.TrimSuffix(content, []byte("\r")), true
}
