package vpnxml

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const groupEntity = "<IKEGroup IKE_GroupName=\"g\">\n  <FQDN Value=\"a.example.com\"/>\n</IKEGroup>"

func TestEntitiesExpand(t *testing.T) {
	opts := DecodeOptions{Entities: map[string]string{
		"gw":     "10.1.1.2",
		"groups": groupEntity,
		"both":   "&groups;\n&groups;", // references between entities
		"co":     "CN=AT&amp;T, C=US",  // predefined entity inside an entity
		"ws":     strings.Repeat(" \n", 1000),
	}}
	in := wrap("&ws;<IKEGroup IKE_GroupName=\"h\"><IPV4_Address Value=\"&gw;\"/><X500DN Value=\"&co;\"/></IKEGroup>\n  &groups;\n&both;\n")
	doc := decodeString(t, in, opts)
	if got := doc.IKEGroups[0].Members; got[0].Addr != addr("10.1.1.2") || got[1].Text != "CN=AT&T, C=US" {
		t.Errorf("text entities: got %+v", got)
	}
	if len(doc.IKEGroups) != 4 {
		t.Fatalf("got %d groups, want 4", len(doc.IKEGroups))
	}
	want := IKEGroup{
		Node: Node{Pos: Pos{Line: 4, Entity: "groups", EntityLine: 1},
			Attrs: []AttrPos{{"IKE_GroupName", Pos{Line: 4, Entity: "groups", EntityLine: 1}}}},
		Name: "g",
		Members: []ID{{Node: Node{Pos: Pos{Line: 4, Entity: "groups", EntityLine: 2},
			Attrs: []AttrPos{{"Value", Pos{Line: 4, Entity: "groups", EntityLine: 2}}}},
			Type: FQDN, Text: "a.example.com"}},
	}
	if diff := cmp.Diff(want, doc.IKEGroups[1], cmpAddr); diff != "" {
		t.Errorf("markup entity (-want +got):\n%s", diff)
	}
	// &both; was substituted up front, so its lines run on through both copies
	if got := doc.IKEGroups[3].Pos; got != (Pos{Line: 5, Entity: "both", EntityLine: 4}) {
		t.Errorf("second group of &both; at %+v", got)
	}
}

func TestEntityErrors(t *testing.T) {
	lol := map[string]string{"lol0": groupEntity}
	for i := 1; i <= 9; i++ {
		lol["lol"+string(rune('0'+i))] = strings.Repeat("&lol"+string(rune('0'+i-1))+";", 10)
	}
	big := map[string]string{"ws": strings.Repeat(" ", 8<<20)}
	tests := []struct {
		name string
		ents map[string]string
		in   string
		want string
	}{
		{"error inside", map[string]string{"t": "<IKEGroup IKE_GroupName=\"g\">\n<FQDN Value=\"a..b\"/></IKEGroup>"},
			wrap("\n&t;\n"), `line 4 (entity &t;, line 2): FQDN: attribute Value: value "a..b" is not a domain name`},
		{"markup in attribute", map[string]string{"t": groupEntity},
			wrap("<IKEGroup IKE_GroupName=\"&t;\">\n"), "line 3: IKEGroup: attribute IKE_GroupName: entity &t; contains markup and cannot be used in an attribute value"},
		{"unbalanced", map[string]string{"open": "<IKEGroup IKE_GroupName=\"g\">"},
			wrap("&open;</IKEGroup>\n"), "line 3 (entity &open;, line 1): XML syntax error: unexpected EOF"},
		{"closes outside", map[string]string{"close": "</AIX_VPN>"},
			wrap("&close;\n"), "line 3 (entity &close;, line 1): XML syntax error: unexpected end element </AIX_VPN>"},
		{"undefined inside", map[string]string{"t": "<IKEGroup IKE_GroupName=\"&nope;\"/>"},
			wrap("&t;\n"), "line 3 (entity &t;, line 1): undefined entity &nope;"},
		{"cycle", map[string]string{"a": "<x/>&b;", "b": "&a;"},
			wrap("&b;\n"), "line 3: entity &b; refers to itself"},
		{"reserved", map[string]string{"r": "a\uE000b"},
			wrap("<IKEGroup IKE_GroupName=\"&r;\"/>\n"), "line 3: IKEGroup: attribute IKE_GroupName: entity &r; contains a character that is not allowed"},
		{"text entity in text", map[string]string{"w": "word"},
			wrap("&w;\n"), `line 3: AIX_VPN: text "word" is not allowed here`},
		{"billion laughs", lol, wrap("&lol9;\n"), "line 3: entity &lol6; expands to more than 16777216 bytes"},
		{"budget", big, wrap(strings.Repeat("&ws;", 9) + "\n"), "line 3: entity expansion exceeds 67108864 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tc.in), DecodeOptions{Entities: tc.ents})
			if err == nil || err.Error() != tc.want {
				t.Errorf("error\n got %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestLoadEntities(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("tunnels.xml", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"+
		"<IKEGroup IKE_GroupName=\"g\"><X500DN Value=\"CN=Jos\xe9\"/></IKEGroup>\n")
	write("ents", "<!-- site entities -->\n<!ENTITY gw '10.1.1.2'>\n<!ENTITY gw \"ignored: the first wins\">\n"+
		"<!ENTITY tunnels SYSTEM \"tunnels.xml\">\n<!ENTITY pub PUBLIC \"-//x//y\" \"file://"+filepath.Join(dir, "tunnels.xml")+"\" >\n")
	ents, err := LoadEntities(filepath.Join(dir, "ents"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"gw":      "10.1.1.2",
		"tunnels": "\n<IKEGroup IKE_GroupName=\"g\"><X500DN Value=\"CN=José\"/></IKEGroup>\n",
		"pub":     "\n<IKEGroup IKE_GroupName=\"g\"><X500DN Value=\"CN=José\"/></IKEGroup>\n",
	}
	if diff := cmp.Diff(want, ents); diff != "" {
		t.Errorf("LoadEntities (-want +got):\n%s", diff)
	}
	doc := decodeString(t, wrap("&tunnels;\n"), DecodeOptions{Entities: ents})
	if len(doc.IKEGroups) != 1 || doc.IKEGroups[0].Members[0].Text != "CN=José" {
		t.Errorf("included file: got %+v", doc.IKEGroups)
	}
	if _, err := LoadEntities(filepath.Join(dir, "missing")); err == nil {
		t.Error("LoadEntities of a missing file succeeded")
	}
}

func TestParseEntitiesErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<!ENTITY % pe \"x\">", "line 1: parameter entities are not supported"},
		{"\n<!ENTITY a \"x\"", "line 2: entity &a;: expected '>' to end the declaration"},
		{"<!ENTITY a \"x>", "line 1: entity &a;: unterminated quoted string"},
		{"<!ENTITY a x>", "line 1: entity &a;: expected a quoted value, SYSTEM or PUBLIC"},
		{"<!ENTITY \"x\">", "line 1: expected an entity name after <!ENTITY"},
		{"<!ENTITYa \"x\">", "line 1: expected white space after <!ENTITY"},
		{"\n\n<!ELEMENT a EMPTY>", "line 3: expected an <!ENTITY name \"text\"> declaration"},
		{"<!-- open", "line 1: unterminated comment"},
		{"<!ENTITY a SYSTEM \"f.xml\">", "line 1: entity &a;: external entities are not available here"},
		{"<!ENTITY a SYSTEM f.xml>", "line 1: entity &a;: expected a quoted string"},
		{"\xff", "entity file: invalid UTF-8"},
	}
	for _, tc := range tests {
		_, err := ParseEntities(strings.NewReader(tc.in), nil)
		if err == nil || err.Error() != tc.want {
			t.Errorf("ParseEntities(%q)\n got %v\nwant %s", tc.in, err, tc.want)
		}
	}
	resolve := func(string) ([]byte, error) { return []byte("<?xml version=\"1.0\" encoding=\"EBCDIC\"?>x"), nil }
	_, err := ParseEntities(strings.NewReader("<!ENTITY a SYSTEM \"f\">"), resolve)
	if want := `line 1: entity &a;: f: encoding "EBCDIC" is not supported; use UTF-8, US-ASCII or ISO-8859-1`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	ndata := func(string) ([]byte, error) { return nil, nil }
	_, err = ParseEntities(strings.NewReader("<!ENTITY a SYSTEM \"f\" NDATA gif>"), ndata)
	if want := "line 1: entity &a;: unparsed (NDATA) entities are not supported"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestDecodeQuotesNoFileText: once a document uses an entity read from a
// file, directly or through another entity, its errors quote nothing.
func TestDecodeQuotesNoFileText(t *testing.T) {
	opts := DecodeOptions{
		Entities: map[string]string{"s": "secret:hash", "t": "x&s;", "u": "3.0"},
		External: map[string]bool{"s": true},
	}
	for _, doc := range []string{`<AIX_VPN Version="&s;"/>`, `<AIX_VPN Version="&t;"/>`, `<AIX_VPN Version="2.0">&s;</AIX_VPN>`} {
		_, err := Decode(strings.NewReader(doc), opts)
		if err == nil || strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), "not shown") {
			t.Errorf("Decode(%s) = %v", doc, err)
		}
	}
	_, err := Decode(strings.NewReader(`<AIX_VPN Version="&u;"/>`), opts)
	if err == nil || !strings.Contains(err.Error(), `"3.0"`) {
		t.Errorf("an entity of the entity file itself is quoted: %v", err)
	}
}
