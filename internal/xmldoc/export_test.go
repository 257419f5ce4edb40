package xmldoc

import "github.com/antchfx/xmlquery"

// TreeNodes counts the nodes a stream holds in its tree, its document
// node included, for tests of its memory.
func TreeNodes(s *Stream) int {
	var count func(n *xmlquery.Node) int
	count = func(n *xmlquery.Node) int {
		c := 1
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			c += count(k)
		}
		return c
	}
	return count(s.root)
}
