package native

import (
	"reflect"
	"strings"
	"unicode"
)

// kong builds its model of a grammar, and walks all of it on every parse,
// by reflection: for the whole CLI that is 3 ms, twice what a Go process
// costs to start. A command line that names one command gets a grammar
// of that command alone (and the root's flags), made with reflect.StructOf
// from the same fields and tags, so the command runs, parses and prints
// its usage and errors as it would in the whole tree. What must see the
// whole tree (a bare ikemu, --help, help, completion, man, a name that is
// no command) gets CLI.
func grammarFor(args []string) any {
	if len(args) == 0 || readsWholeTree(args[0]) {
		return &CLI{}
	}
	var root []reflect.StructField
	var chosen *reflect.StructField
	for _, f := range cliFields(reflect.TypeFor[CLI]()) {
		if _, ok := f.Tag.Lookup("cmd"); !ok {
			root = append(root, f)
			continue
		}
		if name, ok := commandName(f); ok && name == args[0] {
			chosen = &f
		}
	}
	if chosen == nil {
		return &CLI{}
	}
	fields := append([]reflect.StructField{*chosen}, root...)
	for i := range fields {
		fields[i].Index, fields[i].Offset = nil, 0
	}
	return reflect.New(reflect.StructOf(fields)).Interface()
}

// readsWholeTree tells the commands that read the whole model (e.parser).
func readsWholeTree(command string) bool {
	switch command {
	case "help", "completion", "man":
		return true
	}
	return false
}

// cliFields are t's fields with embedded command groups flattened, as
// kong sees them.
func cliFields(t reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		if _, ok := f.Tag.Lookup("embed"); ok {
			out = append(out, cliFields(f.Type)...)
			continue
		}
		out = append(out, f)
	}
	return out
}

// commandName is the name kong gives a command field: its name tag, or
// its Go name in lower case. False for names kong would hyphenate or
// alias, which this does not reproduce (TestGrammarForNamesAsKong).
func commandName(f reflect.StructField) (string, bool) {
	if _, ok := f.Tag.Lookup("aliases"); ok {
		return "", false
	}
	if name := f.Tag.Get("name"); name != "" {
		return name, true
	}
	for _, r := range f.Name[1:] {
		if unicode.IsUpper(r) {
			return "", false
		}
	}
	return strings.ToLower(f.Name), true
}
