package decant_test

import (
	"strings"
	"testing"

	"github.com/decanthq/decant"
)

func TestRedactURL(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		// Passwords in the user info.
		{"Postgres", "postgres://app:hunter2@db.example:5432/warehouse?sslmode=require",
			"postgres://app:xxxxx@db.example:5432/warehouse?sslmode=require"},
		{"HTTPBasic", "https://feed:s3cret@drishti.example/all-form-submissions",
			"https://feed:xxxxx@drishti.example/all-form-submissions"},
		{"CouchDB", "couchdb+https://admin:pw@couch:5984/forms", "couchdb+https://admin:xxxxx@couch:5984/forms"},
		{"AtInPassword", "postgres://u:p@ss@h/db", "postgres://u:xxxxx@h/db"},
		{"EscapedPassword", "postgres://u:p%40ss%2F@h/db", "postgres://u:xxxxx@h/db"},
		{"EmptyUser", "postgres://:pw@h/db", "postgres://:xxxxx@h/db"},
		{"UserWithoutPassword", "postgres://app@db/warehouse", "postgres://app@db/warehouse"},

		// Secret query parameters; the others are kept.
		{"Token", "https://h/f?timestamp=0&token=abc", "https://h/f?timestamp=0&token=xxxxx"},
		{"Password", "postgresql://h/db?password=p&sslmode=require&user=u", "postgresql://h/db?password=xxxxx&sslmode=require&user=u"},
		{"APIKey", "https://h/f?api_key=k1", "https://h/f?api_key=xxxxx"},
		{"APIKeyJoined", "https://h/f?apikey=k1", "https://h/f?apikey=xxxxx"},
		{"AccessToken", "https://h/f?access_token=t", "https://h/f?access_token=xxxxx"},
		{"ClientSecret", "https://h/f?client_secret=t", "https://h/f?client_secret=xxxxx"},
		{"Passwd", "mysql://h/db?passwd=t", "mysql://h/db?passwd=xxxxx"},
		{"Pwd", "https://h/f?pwd=t", "https://h/f?pwd=xxxxx"},
		{"Auth", "https://h/f?auth=t", "https://h/f?auth=xxxxx"},
		{"Signature", "https://bucket.example/o?X-Amz-Signature=abc&X-Amz-Date=1", "https://bucket.example/o?X-Amz-Date=1&X-Amz-Signature=xxxxx"},
		{"CaseInsensitive", "https://h/f?TOKEN=a&Api_Key=b", "https://h/f?Api_Key=xxxxx&TOKEN=xxxxx"},
		{"RepeatedParam", "https://h/f?token=a&token=b", "https://h/f?token=xxxxx"},
		{"Both", "https://u:p@h/f?token=a", "https://u:xxxxx@h/f?token=xxxxx"},

		// Nothing secret: unchanged, byte for byte.
		{"PlainHTTP", "http://localhost:9000/all-form-submissions?timestamp=0&batch-size=100",
			"http://localhost:9000/all-form-submissions?timestamp=0&batch-size=100"},
		{"QueryOrderKept", "https://h/f?b=2&a=1", "https://h/f?b=2&a=1"},
		{"SQLite", "sqlite:out.db", "sqlite:out.db"},
		{"SQLiteAbsolute", "sqlite:///var/lib/decant/state.db", "sqlite:///var/lib/decant/state.db"},
		{"File", "file:data/forms.jsonl", "file:data/forms.jsonl"},

		// Not URLs: unchanged.
		{"Empty", "", ""},
		{"Words", "not a url", "not a url"},
		{"RelativePath", "data/out.db", "data/out.db"},
		{"AbsolutePath", "/var/lib/out.db", "/var/lib/out.db"},
		{"DSNWords", "host=db user=app", "host=db user=app"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := decant.RedactURL(tt.in); got != tt.want {
				t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// Ensure a URL that net/url cannot parse does not print its password.
//
// Fails as of this writing: RedactURL (redact.go) returns its input
// unchanged when url.Parse fails, so a go-sql-driver style MySQL URL or a
// bad port or escape shows the password in `decant check` output and in
// plan errors.
func TestRedactURL_Unparseable(t *testing.T) {
	for _, in := range []string{
		"mysql://app:hunter2@tcp(db:3306)/legacy",
		"postgres://app:hunter2@db:notaport/x",
		"postgres://app:hunter2@db/x%zz",
	} {
		if got := decant.RedactURL(in); strings.Contains(got, "hunter2") {
			t.Errorf("RedactURL(%q) = %q, want the password hidden", in, got)
		}
	}
}

// Ensure text that is not a URL comes back exactly as given.
//
// Fails as of this writing: url.Parse reads "C:\data\x.db" as a URL of
// scheme "c" and RedactURL re-serializes it as "c:\data\x.db" although it
// hid nothing.
func TestRedactURL_WindowsPath(t *testing.T) {
	if in, got := `C:\data\x.db`, decant.RedactURL(`C:\data\x.db`); got != in {
		t.Errorf("RedactURL(%q) = %q, want it unchanged", in, got)
	}
}
