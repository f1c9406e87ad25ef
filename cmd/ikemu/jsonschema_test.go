package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// jsonSchema is the subset of JSON Schema (2020-12) that ikemu's own
// schemas use: type, const, enum, pattern, minimum, properties,
// required, additionalProperties (false), items and $ref to a file
// beside the schema. Annotations (title, description, $schema) are read
// and ignored. A schema using anything else is refused, so a schema
// cannot silently check less than it says.
type jsonSchema struct {
	Schema      string                 `json:"$schema"`
	Title       string                 `json:"title"`
	Description string                 `json:"description"`
	Ref         string                 `json:"$ref"`
	Type        string                 `json:"type"`
	Const       any                    `json:"const"`
	Enum        []any                  `json:"enum"`
	Pattern     string                 `json:"pattern"`
	Minimum     *float64               `json:"minimum"`
	Properties  map[string]*jsonSchema `json:"properties"`
	Required    []string               `json:"required"`
	AdditionalP *bool                  `json:"additionalProperties"`
	Items       *jsonSchema            `json:"items"`
	dir         string
}

// loadSchema reads a schema file, refusing keywords outside the subset.
func loadSchema(path string) (*jsonSchema, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	var s jsonSchema
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.setDir(filepath.Dir(path))
	return &s, nil
}

func (s *jsonSchema) setDir(dir string) {
	s.dir = dir
	for _, p := range s.Properties {
		p.setDir(dir)
	}
	if s.Items != nil {
		s.Items.setDir(dir)
	}
}

// validate checks v (as encoding/json decodes into any) and returns
// every violation, each with its JSON path.
func (s *jsonSchema) validate(v any, path string) []string {
	if s.Ref != "" {
		ref, err := loadSchema(filepath.Join(s.dir, s.Ref))
		if err != nil {
			return []string{path + ": " + err.Error()}
		}
		return ref.validate(v, path)
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	if s.Const != nil && !jsonEqual(s.Const, v) {
		fail("is %v, want %v", v, s.Const)
	}
	if s.Enum != nil && !slices.ContainsFunc(s.Enum, func(e any) bool { return jsonEqual(e, v) }) {
		fail("%v is none of %v", v, s.Enum)
	}
	if s.Type != "" && !hasType(v, s.Type) {
		fail("is %T, want %s", v, s.Type)
		return errs
	}
	switch x := v.(type) {
	case string:
		if s.Pattern != "" && !regexp.MustCompile(s.Pattern).MatchString(x) {
			fail("%q does not match %s", x, s.Pattern)
		}
	case float64:
		if s.Minimum != nil && x < *s.Minimum {
			fail("%v is below %v", x, *s.Minimum)
		}
	case map[string]any:
		for _, r := range s.Required {
			if _, ok := x[r]; !ok {
				fail("lacks %q", r)
			}
		}
		for k, val := range x {
			p, ok := s.Properties[k]
			if !ok {
				if s.AdditionalP != nil && !*s.AdditionalP {
					fail("has %q, which the schema does not allow", k)
				}
				continue
			}
			errs = append(errs, p.validate(val, path+"."+k)...)
		}
	case []any:
		if s.Items != nil {
			for i, it := range x {
				errs = append(errs, s.Items.validate(it, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	return errs
}

func hasType(v any, t string) bool {
	switch t {
	case "string":
		_, ok := v.(string)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == math.Trunc(f)
	case "number":
		_, ok := v.(float64)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "null":
		return v == nil
	}
	return false
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
