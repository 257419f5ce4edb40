package couchdb

import "time"

// SetBackoff sets the first retry's maximum wait, so that tests of retries
// do not wait half a second per attempt.
func SetBackoff(o *Options, d time.Duration) { o.backoffBase = d }
