// Package v1 stands in for ICMS's V1 replica in decant's ICMS example: it
// makes, deterministically, the users, reference data, case files, import
// applications and licences of a V1 database, and creates and fills those
// tables in a MariaDB database. An import application keeps its details
// (consignment, goods, the case officer's checklist, notes) in an XML
// column, as V1 did; a few of those documents are malformed on purpose
// (Malformed), and a few drafts have none yet (NULL).
//
// The real V1 was Oracle; MariaDB plays it here because an Oracle server
// cannot run in the tests.
package v1

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Namespaces of the details XML: the document's default namespace, and
// the one of the case officer's checklist.
const (
	DetailsNS   = "urn:icms:v1:import-application"
	ChecklistNS = "urn:icms:v1:checklist"
)

// Statuses of an import application, in the order of V1's ENUM.
var Statuses = []string{"IN_PROGRESS", "SUBMITTED", "PROCESSING", "COMPLETED", "REVOKED", "WITHDRAWN"}

// FileStatuses of a case file, in the order of V1's ENUM.
var FileStatuses = []string{"OPEN", "CLOSED", "ARCHIVED"}

// London is the zone V1's naive DATETIME values are in.
var London = mustZone("Europe/London")

func mustZone(name string) *time.Location {
	z, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return z
}

// Data is the content of one V1 replica.
type Data struct {
	Users        []User
	Countries    []Country
	Units        []Unit
	Commodities  []Commodity
	Files        []File
	Applications []Application
	Licences     []Licence
}

// User is a row of V1's users.
type User struct {
	ID         int
	Username   string
	Email      string
	FirstName  string
	LastName   string
	Title      *string // NULL for some
	Active     bool
	DateJoined string  // DATETIME, Europe/London, "2006-01-02 15:04:05"
	LastLogin  *string // DATETIME(3), NULL for users who never logged in
}

// Country is a row of V1's countries.
type Country struct {
	ID     int
	Name   string
	ISO    string
	Type   string // ENUM('SOVEREIGN_TERRITORY','SYSTEM')
	Active bool
}

// Unit is a row of V1's units of measure.
type Unit struct {
	ID          int
	Code        string
	Description string
}

// Commodity is a row of V1's commodity codes.
type Commodity struct {
	ID            int
	Code          string
	Description   string
	DutyRate      string // DECIMAL(7,4)
	ValidityStart string // DATE
	ValidityEnd   *string
}

// File is a case file of V1, owned by a user.
type File struct {
	ID         int
	Reference  string
	OwnerID    int
	Status     string // ENUM
	Created    string // DATETIME
	ClosedDate *string
	SizeBytes  int64
}

// Application is a row of V1's import_applications; Details is what its
// XML says (nil when XML is NULL or malformed).
type Application struct {
	ID            int
	Reference     string
	ApplicantID   int
	CaseReference *string
	Status        string
	Fee           string  // DECIMAL(12,2)
	Submitted     *string // DATETIME, NULL for drafts
	LicenceStart  string  // DATE
	LicenceEnd    string  // DATE
	Urgent        bool
	OriginID      int
	XML           *string
	Details       *Details
}

// Details is the content of an application's XML document.
type Details struct {
	ApplicantReference string
	Country            string
	Route              *string // an empty <route/> for some
	Goods              []Good
	ChecklistVersion   string
	Checks             []Check
	Notes              []string
}

// Good is one <item> of an application's goods.
type Good struct {
	Commodity   string
	Description string
	Quantity    int
	Unit        *string // the quantity's unit attribute, absent for some
	Value       string  // a decimal
	Currency    string
}

// Check is one check of the case officer's checklist.
type Check struct {
	Name   string
	Passed bool
}

// Licence is a row of V1's import_licences: one per completed or revoked
// application.
type Licence struct {
	ID            int
	ApplicationID int
	Reference     string
	IssueDate     string  // DATE
	DocumentRef   *string // NULL for some
}

// Malformed is the XML that Generate writes, in place of an application's
// details, to the applications whose ids it returns from MalformedIDs, in
// that order: each is broken in another way, as V1's hand-edited rows were.
var Malformed = []string{
	"<application xmlns=\"" + DetailsNS + "\">\n  <applicant_reference>X</applicant_reference>\n  <goods><item></goods>\n</application>",
	"<application xmlns=\"" + DetailsNS + "\">\n  <notes><note>Fish & chips</note></notes>\n</application>",
	"<application xmlns=\"" + DetailsNS + "\">\n  <consignment country=GB/>\n</application>",
	"<application xmlns=\"" + DetailsNS + "\"></application>\n<application/>",
	"<application xmlns=\"" + DetailsNS + "\">\n  <applicant_reference>unterminated",
}

// MalformedIDs is the ids of the applications whose XML is malformed, for
// n applications: one in every n/5, the ith holding Malformed[i].
func MalformedIDs(n int) []int {
	var ids []int
	step := max(n/len(Malformed), 1)
	for i := range Malformed {
		if id := 7 + i*step; id <= n {
			ids = append(ids, id)
		}
	}
	return ids
}

// Sizes of the generated reference data and users.
const (
	NumUsers       = 60
	NumCommodities = 40
)

var countries = []struct{ name, iso string }{
	{"United Kingdom", "GB"}, {"France", "FR"}, {"Germany", "DE"}, {"Italy", "IT"}, {"Spain", "ES"},
	{"United States", "US"}, {"Canada", "CA"}, {"Japan", "JP"}, {"Norway", "NO"}, {"Switzerland", "CH"},
	{"Belgium", "BE"}, {"Netherlands", "NL"}, {"Côte d'Ivoire", "CI"}, {"São Tomé and Príncipe", "ST"},
	{"Any Country", "ZZ"}, {"Any EU Country", "EU"},
}

var units = []struct{ code, desc string }{{"each", "Items"}, {"kg", "Kilograms"}, {"l", "Litres"}, {"pr", "Pairs"}}

var goodsNames = []string{"Shotgun", "Rifle", "Telescopic sight", "Ammunition, 12 bore", "Sound moderator",
	"Textiles, woven", "Steel wire", "Iron sheet", "Gun case", "Replica pistol"}

var checkNames = []string{"case_note", "fir_sent", "endorsements", "licence_response", "validity"}

// epoch is the time of V1's first record.
var epoch = time.Date(2022, 1, 3, 8, 30, 0, 0, London)

const (
	datetime = "2006-01-02 15:04:05"
	date     = "2006-01-02"
)

// Generate makes a V1 replica's content with n import applications (and
// about n/6 case files and n/3 licences): the same for the same n.
func Generate(n int) *Data {
	r := rand.New(rand.NewPCG(71, uint64(n)))
	d := &Data{}
	first := []string{"Asha", "Ben", "Chloé", "Dara", "Eamon", "Fatima", "Gwen", "Hiro", "Ines", "Jonas"}
	last := []string{"O'Brien", "Smith", "Nguyen", "Müller", "Kowalski", "Patel"}
	for i := 1; i <= NumUsers; i++ {
		u := User{ID: i, Username: fmt.Sprintf("user%03d", i), FirstName: first[i%len(first)], LastName: last[i%len(last)],
			Active: i%9 != 0, DateJoined: wall(epoch.Add(time.Duration(i) * 97 * time.Hour))}
		u.Email = strings.ToLower(fmt.Sprintf("%s.%d@example.gov.uk", u.FirstName[:1], i))
		if i%4 != 0 {
			u.Title = ptr([]string{"Mr", "Ms", "Dr"}[i%3])
		}
		if i%5 != 0 {
			u.LastLogin = ptr(wall(epoch.Add(time.Duration(i)*1000*time.Hour + time.Duration(i*137)*time.Millisecond)))
		}
		d.Users = append(d.Users, u)
	}
	for i, c := range countries {
		typ := "SOVEREIGN_TERRITORY"
		if c.iso == "ZZ" || c.iso == "EU" {
			typ = "SYSTEM"
		}
		d.Countries = append(d.Countries, Country{ID: i + 1, Name: c.name, ISO: c.iso, Type: typ, Active: c.iso != "JP"})
	}
	for i, u := range units {
		d.Units = append(d.Units, Unit{ID: i + 1, Code: u.code, Description: u.desc})
	}
	for i := 1; i <= NumCommodities; i++ {
		c := Commodity{ID: i, Code: fmt.Sprintf("93%02d%06d", i%7, i*1379%1000000), Description: goodsNames[i%len(goodsNames)] + fmt.Sprintf(" (%d)", i),
			DutyRate: fmt.Sprintf("%d.%04d", i%13, i*37%10000), ValidityStart: epoch.AddDate(0, -i, 0).Format(date)}
		if i%3 == 0 {
			c.ValidityEnd = ptr(epoch.AddDate(1, i, 0).Format(date))
		}
		d.Commodities = append(d.Commodities, c)
	}
	for i := 1; i <= max(n/6, 1); i++ {
		f := File{ID: i, Reference: fmt.Sprintf("CASE/%d/%05d", 2022+i%3, i), OwnerID: 1 + r.IntN(NumUsers),
			Status: FileStatuses[r.IntN(len(FileStatuses))], Created: wall(epoch.Add(time.Duration(i)*5*time.Hour + time.Duration(r.IntN(3600))*time.Second)),
			SizeBytes: int64(r.IntN(1<<20)) << (i % 14)}
		if f.Status != "OPEN" {
			f.ClosedDate = ptr(epoch.AddDate(0, 0, i%700+30).Format(date))
		}
		d.Files = append(d.Files, f)
	}
	malformed := map[int]string{}
	for i, id := range MalformedIDs(n) {
		malformed[id] = Malformed[i]
	}
	for i := 1; i <= n; i++ {
		a := Application{ID: i, Reference: fmt.Sprintf("IMA/%d/%05d", 2022+i%3, i), ApplicantID: 1 + r.IntN(NumUsers),
			Status: Statuses[r.IntN(len(Statuses))], Fee: fmt.Sprintf("%d.%02d", r.IntN(100000000), r.IntN(100)),
			Urgent: r.IntN(5) == 0, OriginID: 1 + r.IntN(len(countries))}
		start := epoch.AddDate(0, 0, r.IntN(900))
		a.LicenceStart, a.LicenceEnd = start.Format(date), start.AddDate(1, 0, -1).Format(date)
		if r.IntN(4) != 0 {
			a.CaseReference = ptr(d.Files[r.IntN(len(d.Files))].Reference)
		}
		if a.Status != "IN_PROGRESS" {
			// Every 41st minute over two and a half years: across both
			// clock changes of each year.
			a.Submitted = ptr(wall(epoch.Add(time.Duration(i)*41*time.Minute*7 + time.Duration(r.IntN(60))*time.Second)))
		}
		switch x, bad := malformed[i]; {
		case bad:
			a.Status = "SUBMITTED"
			a.XML = ptr(x)
		case a.Status == "IN_PROGRESS" && i%3 == 0:
			// A draft with no details yet.
		default:
			a.Details = details(r, d, a)
			a.XML = ptr(a.Details.xml())
		}
		d.Applications = append(d.Applications, a)
		if a.Status == "COMPLETED" || a.Status == "REVOKED" {
			l := Licence{ID: 1000 + len(d.Licences), ApplicationID: a.ID, Reference: fmt.Sprintf("GBSIL%07d", a.ID*7),
				IssueDate: a.LicenceStart}
			if a.ID%6 != 0 {
				l.DocumentRef = ptr(fmt.Sprintf("DOC-%06d", a.ID))
			}
			d.Licences = append(d.Licences, l)
		}
	}
	return d
}

// details makes an application's details.
func details(r *rand.Rand, d *Data, a Application) *Details {
	x := &Details{ApplicantReference: fmt.Sprintf("Our ref %d/%s", a.ID, []string{"A", "B&C", "<D>"}[a.ID%3]),
		Country: d.Countries[a.OriginID-1].ISO, ChecklistVersion: fmt.Sprint(1 + a.ID%2)}
	if a.ID%5 != 0 {
		x.Route = ptr([]string{"Dover", "Felixstowe", "Heathrow"}[a.ID%3])
	}
	for range 1 + r.IntN(4) {
		c := d.Commodities[r.IntN(len(d.Commodities))]
		g := Good{Commodity: c.Code, Description: goodsNames[r.IntN(len(goodsNames))], Quantity: 1 + r.IntN(500),
			Value: fmt.Sprintf("%d.%02d", r.IntN(1000000), r.IntN(100)), Currency: []string{"GBP", "EUR", "USD"}[r.IntN(3)]}
		if r.IntN(3) != 0 {
			g.Unit = ptr(units[r.IntN(len(units))].code)
		}
		x.Goods = append(x.Goods, g)
	}
	if a.Status != "IN_PROGRESS" {
		for _, name := range checkNames[:2+a.ID%4] {
			x.Checks = append(x.Checks, Check{Name: name, Passed: r.IntN(4) != 0})
		}
	}
	for j := range a.ID % 3 {
		x.Notes = append(x.Notes, fmt.Sprintf("Note %d on %s", j+1, a.Reference))
	}
	return x
}

// xml is the details as V1 wrote them: the application's namespace as the
// default one, the checklist in a namespace of its own with a prefix.
func (x *Details) xml() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<application xmlns="%s" xmlns:chk="%s">`+"\n", DetailsNS, ChecklistNS)
	fmt.Fprintf(&b, "  <applicant_reference>%s</applicant_reference>\n", esc(x.ApplicantReference))
	fmt.Fprintf(&b, "  <consignment>\n    <country>%s</country>\n", x.Country)
	if x.Route != nil {
		fmt.Fprintf(&b, "    <route>%s</route>\n", *x.Route)
	} else {
		b.WriteString("    <route/>\n")
	}
	b.WriteString("  </consignment>\n  <goods>\n")
	for i, g := range x.Goods {
		fmt.Fprintf(&b, `    <item line="%d"><commodity>%s</commodity><description>%s</description>`, i+1, g.Commodity, esc(g.Description))
		if g.Unit != nil {
			fmt.Fprintf(&b, `<quantity unit="%s">%d</quantity>`, *g.Unit, g.Quantity)
		} else {
			fmt.Fprintf(&b, `<quantity>%d</quantity>`, g.Quantity)
		}
		fmt.Fprintf(&b, `<value currency="%s">%s</value></item>`+"\n", g.Currency, g.Value)
	}
	b.WriteString("  </goods>\n")
	if len(x.Checks) > 0 {
		fmt.Fprintf(&b, `  <chk:checklist chk:version="%s">`+"\n", x.ChecklistVersion)
		for _, c := range x.Checks {
			yn := "N"
			if c.Passed {
				yn = "Y"
			}
			fmt.Fprintf(&b, `    <chk:check name="%s">%s</chk:check>`+"\n", c.Name, yn)
		}
		b.WriteString("  </chk:checklist>\n")
	}
	b.WriteString("  <notes>")
	for _, n := range x.Notes {
		fmt.Fprintf(&b, "<note>%s</note>", esc(n))
	}
	b.WriteString("</notes>\n</application>\n")
	return b.String()
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func esc(s string) string { return escaper.Replace(s) }

// wall is t as V1 stored it: the wall clock in London, without a zone,
// with its milliseconds when it has any. A time between 01:00 and 02:00 is
// moved two hours on, so that no stored time is one that the clock
// changes make ambiguous (or skip).
func wall(t time.Time) string {
	t = t.In(London)
	if t.Hour() == 1 {
		t = t.Add(2 * time.Hour)
	}
	if t.Nanosecond() != 0 {
		return t.Format(datetime + ".000")
	}
	return t.Format(datetime)
}

func ptr[T any](v T) *T { return &v }
