package native

import (
	"reflect"
	"strings"
	"unicode"
)

// kong builds its model of a grammar, and walks all of it on every parse,
// by reflection: for the whole CLI that is 3 ms, twice what a Go process
// costs to start. A command line that names a command gets a grammar of
// that command alone, and in it of the subcommand it names, and so on
// (the flags and arguments of each level kept), made with
// reflect.StructOf from the same fields and tags, so the command runs,
// parses and prints its usage and errors as it would in the whole tree
// (TestPartialGrammarSpeaksAsWhole). What must see the whole tree (a bare
// ikemu, --help, help, completion, man, a name that is no command) gets
// CLI.
func grammarFor(args []string) any {
	if len(args) == 0 || readsWholeTree(args[0]) {
		return &CLI{}
	}
	t, ok := narrowed(reflect.TypeFor[CLI](), args)
	if !ok {
		return &CLI{}
	}
	return reflect.New(t).Interface()
}

// narrowed is struct type t with, of its commands, only the one args[0]
// names, itself narrowed by the rest of args; false when args[0] names
// none of them. A command type with methods (hooks kong would call on
// it) is kept whole, as the methods would not follow it.
func narrowed(t reflect.Type, args []string) (reflect.Type, bool) {
	if len(args) == 0 {
		return t, false
	}
	var fields []reflect.StructField
	found := false
	for _, f := range cliFields(t) {
		if _, isCmd := f.Tag.Lookup("cmd"); isCmd {
			if name, ok := commandName(f); !ok || name != args[0] || found {
				continue
			}
			found = true
			if f.Type.Kind() == reflect.Struct && reflect.PointerTo(f.Type).NumMethod() == 0 {
				if sub, ok := narrowed(f.Type, args[1:]); ok {
					f.Type = sub
				}
			}
		}
		f.Index, f.Offset = nil, 0
		fields = append(fields, f)
	}
	if !found {
		return t, false
	}
	return reflect.StructOf(fields), true
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

// readsWholeTree tells the commands that read the whole model (e.parser).
func readsWholeTree(command string) bool {
	switch command {
	case "help", "completion", "man":
		return true
	}
	return false
}
