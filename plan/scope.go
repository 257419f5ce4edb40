package plan

import (
	"strings"

	"github.com/decanthq/decant"
)

// scopeInExpr rewrites each ${scope} of an expression as the expression's
// scope variable: `${scope}` alone becomes `scope`, and one inside a string
// literal ends the literal, adds the variable and starts it again, so that
// "org-${scope}" is "org-" + scope + "". The scope is a value at run time,
// never text of the expression.
func scopeInExpr(src string) string {
	if !decant.HasScopeRef(src) {
		return src
	}
	var b strings.Builder
	var quote byte // the quote of the literal the scan is in, 0 outside
	for i := 0; i < len(src); i++ {
		ch := src[i]
		if strings.HasPrefix(src[i:], decant.ScopeRef) {
			if quote == 0 {
				b.WriteString(scopeVar)
			} else {
				q := string(quote)
				b.WriteString(q + " + " + scopeVar + " + " + q)
			}
			i += len(decant.ScopeRef) - 1
			continue
		}
		b.WriteByte(ch)
		switch {
		case quote == 0 && (ch == '"' || ch == '\'' || ch == '`'):
			quote = ch
		case quote != 0 && quote != '`' && ch == '\\' && i+1 < len(src):
			i++ // an escaped character, perhaps the quote
			b.WriteByte(src[i])
		case ch == quote:
			quote = 0
		}
	}
	return b.String()
}
