package decant_test

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
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
		// The cases: '/', '@' then ':', '@' then '/'.
		{"SlashInPassword", "postgres://app:Sec/ret@db:5432/w", "postgres://app:xxxxx@db:5432/w"},
		{"AtColonInPassword", "postgres://app:Tr0ub@dor:x9Zq@db:5432/w", "postgres://app:xxxxx@db:5432/w"},
		{"AtSlashInPassword", "postgres://app:Tr0ub@dor/x9Zq@db:5432/w", "postgres://app:xxxxx@db:5432/w"},
		{"HashInPassword", "postgres://app:p#ss@db/w", "postgres://app:xxxxx@db/w"},
		{"QuestionInPassword", "postgres://app:p?ss@db/w?sslmode=require", "postgres://app:xxxxx@db/w?sslmode=require"},
		{"BadEscapeInPassword", "postgres://app:p%zzss@db/w", "postgres://app:xxxxx@db/w"},
		{"SpaceInPassword", "postgres://app:p ss@db/w", "postgres://app:xxxxx@db/w"},
		{"IPv6Host", "postgres://app:p@[::1]:5432/w", "postgres://app:xxxxx@[::1]:5432/w"},
		{"MultiHost", "postgres://app:p/w@h1:5432,h2:5433/w", "postgres://app:xxxxx@h1:5432,h2:5433/w"},
		{"NoHost", "postgres://app:p@/w?host=/tmp", "postgres://app:xxxxx@/w?host=/tmp"},
		{"BadPort", "postgres://app:p/x@db:notaport/w", "postgres://app:xxxxx@db:notaport/w"},
		{"MySQLDSN", "app:p@ss@tcp(db:3306)/legacy", "app:xxxxx@tcp(db:3306)/legacy"},
		{"MySQLURL", "mysql://app:p/@tcp(db:3306)/legacy", "mysql://app:xxxxx@tcp(db:3306)/legacy"},
		// An '@' in a secret query value does not end a user info there.
		{"AtInSecretParam", "postgres://app@db/w?password=p@ss/x", "postgres://app@db/w?password=xxxxx"},
		{"UserAndPort", "https://feed.example:8443/f?page=2", "https://feed.example:8443/f?page=2"},
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
		{"Signature", "https://bucket.example/o?X-Amz-Signature=abc&X-Amz-Date=1", "https://bucket.example/o?X-Amz-Signature=xxxxx&X-Amz-Date=1"},
		{"CaseInsensitive", "https://h/f?TOKEN=a&Api_Key=b", "https://h/f?TOKEN=xxxxx&Api_Key=xxxxx"},
		{"RepeatedParam", "https://h/f?token=a&token=b", "https://h/f?token=xxxxx&token=xxxxx"},
		{"AccessKey", "https://h/f?access_key=AKIA1&x=1", "https://h/f?access_key=xxxxx&x=1"},
		{"Sig", "https://acct.blob.example/c/b?sv=2020&sig=abc%2Bdef&se=1", "https://acct.blob.example/c/b?sv=2020&sig=xxxxx&se=1"},
		{"EscapedName", "https://h/f?api%5Fkey=k1", "https://h/f?api%5Fkey=xxxxx"},
		{"SecretWithAmpersandAndHash", "https://h/f?password=a&b#c&page=2", "https://h/f?password=xxxxx&page=2"},
		{"FragmentToken", "https://h/cb#access_token=t1&state=s", "https://h/cb#access_token=xxxxx&state=s"},
		{"SecretBeforeSemicolon", "postgres://h/db;password=p", "postgres://h/db;password=xxxxx"},
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
		{"DSNPassword", "host=db user=app password=s3cret dbname=w", "host=db user=app password=xxxxx dbname=w"},
		{"DSNQuotedPassword", `host=db password='a b\'c' dbname=w`, "host=db password=xxxxx dbname=w"},
		{"WindowsPathWithSpace", `C:\My Data\x.db`, `C:\My Data\x.db`},
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

// Ensure every URL inside free text, such as a driver's error message, has
// its secrets hidden, and the rest of the text is kept.
func TestRedactText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, in, want string
	}{
		{"GoParseError", `parse "postgres://app:Sec/ret@db:5432/w": invalid port ":Sec" after host`,
			`parse "postgres://app:xxxxx@db:5432/w": invalid port ":Sec" after host`},
		{"PgconnBackticks", "cannot parse `postgres://app:xxxxx@dor:x9Zq@db:5432/w`: invalid port",
			"cannot parse `postgres://app:xxxxx@db:5432/w`: invalid port"},
		{"TwoURLs", "copy from https://u:p1@a.example/f?token=t to postgres://v:p2@b.example/w failed",
			"copy from https://u:xxxxx@a.example/f?token=xxxxx to postgres://v:xxxxx@b.example/w failed"},
		{"URLThenColon", "connect to postgres://app:p@ss@db/w: refused", "connect to postgres://app:xxxxx@db/w: refused"},
		{"KeywordDSN", "connect to host=db user=app password=s3cret dbname=w: no such host",
			"connect to host=db user=app password=xxxxx dbname=w: no such host"},
		{"SchemeInsideWord", "xpostgres://u:p@h", "xpostgres://u:xxxxx@h"},
		{"NothingSecret", "lookup db on 10.0.0.53:53: no such host", "lookup db on 10.0.0.53:53: no such host"},
		{"HostPortWithEmail", "GET https://feed.example:8443/f failed for ops@example.com",
			"GET https://feed.example:8443/f failed for ops@example.com"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := decant.RedactText(tt.in); got != tt.want {
				t.Errorf("RedactText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// Ensure RedactURL treats an error message that starts with a scheme-like
// word as text, so the URL inside it is still found.
func TestRedactURL_MessageStartingWithScheme(t *testing.T) {
	t.Parallel()
	in := "postgres: connect to postgres://app:hunter2@db/w: refused"
	if got, want := decant.RedactURL(in), "postgres: connect to postgres://app:xxxxx@db/w: refused"; got != want {
		t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
	}
}

// Ensure RedactError hides a known URL's password even where a parser
// printed only pieces of it, and keeps the error chain.
func TestRedactError(t *testing.T) {
	t.Parallel()
	const u = "postgres://app:Tr0ub@dor:x9Zq@db:5432/w"
	inner := errors.New(`failed to connect to user=app database=x9Zq@db:5432/w: lookup dor: no such host (password "Tr0ub@dor:x9Zq")`)
	err := decant.RedactError(fmt.Errorf("open: %w", inner), u)
	for _, part := range []string{"Tr0ub", "dor", "x9Zq"} {
		if strings.Contains(err.Error(), part) {
			t.Errorf("RedactError = %q, shows %q", err, part)
		}
	}
	if !strings.Contains(err.Error(), "no such host") {
		t.Errorf("RedactError = %q, lost the rest of the message", err)
	}
	if !errors.Is(err, inner) {
		t.Errorf("RedactError broke the chain: errors.Is is false")
	}
	if decant.RedactError(nil, u) != nil {
		t.Errorf("RedactError(nil) is not nil")
	}
	plain := errors.New("no such table: t")
	if got := decant.RedactError(plain, u); got != plain {
		t.Errorf("RedactError(%v) = %v, want the same error back", plain, got)
	}
}

// Ensure Secrets finds passwords, %-decoded passwords, secret parameter
// values and keyword passwords, and the pieces of those a parser may cut.
func TestSecrets(t *testing.T) {
	t.Parallel()
	got := decant.Secrets("postgres://app:p%40ss%2Fword@db/w?sslpassword=k3y", "host=db password=s3cret", "sqlite:x.db")
	for _, want := range []string{"p%40ss%2Fword", "p@ss/word", "k3y", "s3cret", "word"} {
		if !slices.Contains(got, want) {
			t.Errorf("Secrets = %q, want it to hold %q", got, want)
		}
	}
	for i := 1; i < len(got); i++ {
		if len(got[i]) > len(got[i-1]) {
			t.Errorf("Secrets = %q, not longest first", got)
		}
	}
}

func TestIsSecretParam(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"password", "PGPASSWORD", "passwd", "pwd", "secret", "client_secret", "token",
		"access_token", "X-Amz-Security-Token", "apikey", "api_key", "API-Key", "access_key", "AWSAccessKeyId",
		"private_key", "signature", "X-Amz-Signature", "X-Amz-Credential", "sig", "key", "auth", "authorization",
		"sslpassword", "pass", "pw"} {
		if !decant.IsSecretParam(name) {
			t.Errorf("IsSecretParam(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"sslmode", "sslrootcert", "sslkey", "page", "batch-size", "timestamp", "host", "user", "dbname", "sv", "se"} {
		if decant.IsSecretParam(name) {
			t.Errorf("IsSecretParam(%q) = true, want false", name)
		}
	}
}

// nastyPasswords seed the fuzz tests: every delimiter a URL parser knows,
// escapes good and bad, and the passwords of the issue.
var nastyPasswords = []string{
	"Sec/ret", "Tr0ub@dor:x9Zq", "Tr0ub@dor/x9Zq", "p@ss@db/w", "a#b?c", "%zz", "%40%2F", "p ss",
	"x@db.example:5432/w?sslmode=require", "?token=abc&x=1#f", ":", "@", "/", "'\"`", "\\", "a&b=c",
	"postgres://u:p@h/db", "",
}

// Fuzz the user-info password of a URL: whatever its bytes, RedactURL
// shows the URL with exactly the password replaced. A password holding a
// parameter delimiter may make it hide more of the URL, never less.
func FuzzRedactURL(f *testing.F) {
	for _, pw := range nastyPasswords {
		f.Add(pw)
	}
	const head, tail = "postgres://app:", "@db.example:5432/w?sslmode=require"
	f.Fuzz(func(t *testing.T, pw string) {
		if pw == "" {
			return
		}
		checkRedacted(t, head, pw, tail, decant.RedactURL(head+pw+tail))
		// The same URL inside a driver's message, when the password holds
		// nothing that ends a URL in text.
		if !strings.ContainsAny(pw, " \t\r\n\"'`<>") {
			const before, after = "failed to connect to `", "`: server closed the connection"
			got := decant.RedactText(before + head + pw + tail + after)
			if !strings.HasPrefix(got, before) || !strings.HasSuffix(got, after) {
				t.Fatalf("RedactText changed the text around the URL: %q", got)
			}
			checkRedacted(t, head, pw, tail, strings.TrimSuffix(strings.TrimPrefix(got, before), after))
		}
	})
}

// checkRedacted fails unless got is head+Redacted+tail, or, when pw holds a
// parameter delimiter, head+Redacted followed only by pieces of tail.
func checkRedacted(t *testing.T, head, pw, tail, got string) {
	t.Helper()
	if got == head+decant.Redacted+tail {
		return
	}
	pieces := strings.Split(got, decant.Redacted)
	ok := strings.ContainsAny(pw, "?&;#") && pieces[0] == head && len(pieces) > 1
	for _, p := range pieces[1:] {
		ok = ok && strings.Contains(tail, p)
	}
	if !ok {
		t.Fatalf("password %q: redacted %q, want %q", pw, got, head+decant.Redacted+tail)
	}
}

// Fuzz the value of a secret query parameter: escaped as a URL builder
// would, or raw when it holds no '&', it is hidden whole and the other
// parameters are kept.
func FuzzRedactURLParam(f *testing.F) {
	for _, pw := range nastyPasswords {
		f.Add(pw)
	}
	f.Fuzz(func(t *testing.T, v string) {
		want := "https://feed.example/f?page=1&token=xxxxx&size=10"
		for _, enc := range []string{url.QueryEscape(v), v} {
			if enc == "" || strings.Contains(enc, "&") {
				continue
			}
			in := "https://feed.example/f?page=1&token=" + enc + "&size=10"
			if got := decant.RedactURL(in); got != want {
				t.Fatalf("RedactURL(%q) = %q, want %q", in, got, want)
			}
		}
	})
}

// Ensure MisreadPassword tells the passwords net/url reads as written from
// those it cuts at a delimiter.
func TestMisreadPassword(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"http://u:p%3F01%3D@h/f":          false,
		"http://u:pw@h/f?token=t":         false,
		"http://h/f":                      false,
		"http://u:?01=@h:1/f?token=x":     true,
		"http://u:1#b@h/f":                true,  // host u, port 1, fragment b@h/f
		"https://feed:Tr0ub@dor:x9Zq@h/f": false, // net/url takes the last '@' too
	} {
		if got := decant.MisreadPassword(in); got != want {
			t.Errorf("MisreadPassword(%q) = %v, want %v", in, got, want)
		}
	}
}
