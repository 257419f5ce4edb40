package transform

import (
	"errors"
	"fmt"
	"strings"

	"github.com/expr-lang/expr/file"
)

// maxCause caps the cause a failure's message quotes: the message is read
// in lists (decant errors list), the detail keeps everything.
const maxCause = 200

// evalFailure is the failure of an expression: what could not be
// computed, and why in the message itself (a list of errors shows only
// messages, and "cannot compute column ref" alone does not say that the
// record's XML is broken at line 3), with the expression and where in it
// the evaluation stopped in the detail.
func evalFailure(what, expr string, err error) *Failure {
	cause := err.Error()
	detail := cause
	var fe *file.Error
	if errors.As(err, &fe) {
		// expr-lang's "(1:5)" is a place in the expression; said so, it
		// is not taken for the line and column of the record's content.
		cause = fe.Message
		detail = fmt.Sprintf("%s (at line %d, column %d of the expression)%s", fe.Message, fe.Line, fe.Column+1, fe.Snippet)
	}
	if i := strings.IndexByte(cause, '\n'); i >= 0 {
		cause = cause[:i]
	}
	if len(cause) > maxCause {
		cut := maxCause
		for cut > 0 && cause[cut]&0xC0 == 0x80 { // a UTF-8 continuation byte
			cut--
		}
		cause = cause[:cut] + "…"
	}
	return &Failure{what + ": " + cause, expr + ": " + detail}
}
